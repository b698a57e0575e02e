//! The `[[workspace.metadata.leptos]]` settings, shared with `cargo leptos`.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SiteSettings {
    pub name: String,
    pub lib_package: String,
    pub site_root: String,
    pub site_pkg_dir: String,
    pub style_file: String,
    pub assets_dir: String,
    pub lib_profile_release: String,
}

#[derive(Deserialize)]
struct Manifest {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct Workspace {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    leptos: Vec<SiteSettings>,
}

pub fn read(workspace: &Path) -> anyhow::Result<SiteSettings> {
    let path = workspace.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest = toml::from_str(&text).with_context(|| {
        format!(
            "{}: [[workspace.metadata.leptos]] is incomplete",
            path.display()
        )
    })?;
    manifest
        .workspace
        .metadata
        .leptos
        .into_iter()
        .next()
        .context("Cargo.toml has no [[workspace.metadata.leptos]] entry")
}
