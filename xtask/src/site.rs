//! Building the site folder: wasm, its JS glue, the stylesheet and the static assets.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::{compress, manifest};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Builds the site and returns its root folder.
pub fn build(workspace: &Path, release: bool) -> anyhow::Result<PathBuf> {
    let settings = manifest::read(workspace)?;
    let site_root = workspace.join(&settings.site_root);
    let pkg = site_root.join(&settings.site_pkg_dir);
    let profile = if release {
        settings.lib_profile_release.as_str()
    } else {
        "dev"
    };

    let wasm = compile_wasm(workspace, &settings.lib_package, profile)?;

    let staging = site_root.join(".pkg-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("clearing {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)?;
    Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        .debug(!release)
        .out_name(&settings.name)
        .generate(&staging)
        .context("wasm-bindgen could not process the wasm")?;
    let wasm_out = staging.join(format!("{}.wasm", settings.name));
    fs::rename(
        staging.join(format!("{}_bg.wasm", settings.name)),
        &wasm_out,
    )?;
    fs::copy(
        workspace.join(&settings.style_file),
        staging.join(format!("{}.css", settings.name)),
    )
    .with_context(|| format!("copying the stylesheet {}", settings.style_file))?;

    let hashes = if release {
        optimize_wasm(workspace, &wasm_out)?;
        let hashes = name_by_content(&staging, &settings.name)?;
        compress::precompress(&staging)?;
        Some(hashes)
    } else {
        None
    };

    if pkg.exists() {
        fs::remove_dir_all(&pkg).with_context(|| format!("removing the old {}", pkg.display()))?;
    }
    fs::rename(&staging, &pkg)?;
    let hash_file = site_root.join("hash.txt");
    match hashes {
        Some(text) => fs::write(&hash_file, text)?,
        None if hash_file.exists() => fs::remove_file(&hash_file)?,
        None => {}
    }
    copy_assets(&workspace.join(&settings.assets_dir), &site_root)?;

    compress::report(&pkg, release)?;
    println!("site ready in {}", site_root.display());
    Ok(site_root)
}

fn compile_wasm(workspace: &Path, package: &str, profile: &str) -> anyhow::Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .current_dir(workspace)
        .args([
            "build",
            "--package",
            package,
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            profile,
        ])
        .status()
        .context("starting cargo build for the wasm")?;
    if !status.success() {
        bail!(
            "building {package} for {WASM_TARGET} failed (is the target installed? `rustup target add {WASM_TARGET}`)"
        );
    }
    let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    let profile_dir = if profile == "dev" { "debug" } else { profile };
    Ok(target_dir
        .join(WASM_TARGET)
        .join(profile_dir)
        .join(format!("{}.wasm", package.replace('-', "_"))))
}

/// Runs binaryen's wasm-opt from `node_modules` (the version pinned by package-lock.json).
fn optimize_wasm(workspace: &Path, wasm: &Path) -> anyhow::Result<()> {
    let wasm_opt = workspace.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        bail!(
            "{} is missing: run `npm ci` in {} (binaryen's wasm-opt comes from package-lock.json)",
            wasm_opt.display(),
            workspace.display()
        );
    }
    let status = Command::new(&wasm_opt)
        .arg("-Oz")
        .args([
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .status()
        .context("starting wasm-opt")?;
    if !status.success() {
        bail!("wasm-opt failed on {}", wasm.display());
    }
    Ok(())
}

/// Renames `NAME.js`, `NAME.wasm` and `NAME.css` to `NAME.HASH.EXT` so browsers may cache them
/// for good, and returns the `hash.txt` that tells the server the names.
fn name_by_content(dir: &Path, name: &str) -> anyhow::Result<String> {
    let mut listing = String::new();
    for ext in ["js", "wasm", "css"] {
        let plain = dir.join(format!("{name}.{ext}"));
        let bytes = fs::read(&plain).with_context(|| format!("reading {}", plain.display()))?;
        let digest = Sha256::digest(&bytes);
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        fs::rename(&plain, dir.join(format!("{name}.{hash}.{ext}")))?;
        listing.push_str(&format!("{ext}: {hash}\n"));
    }
    Ok(listing)
}

fn copy_assets(from: &Path, to: &Path) -> anyhow::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            copy_assets(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
