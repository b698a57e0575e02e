//! Building the site folder: wasm, its JS glue, the stylesheet and the static assets.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

use crate::{compress, first_load, manifest, split};

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
    let mut parts = split::split(
        &wasm,
        &wasm.with_file_name(format!("{}_split.wasm", settings.name)),
        &staging,
        &settings.name,
    )?;
    Bindgen::new()
        .input_path(&parts.main)
        .web(true)?
        .typescript(false)
        .debug(!release)
        // The parts call into the main module through its linker exports, by their raw names.
        .keep_lld_exports(true)
        .demangle(false)
        .out_name(&settings.name)
        .generate(&staging)
        .context("wasm-bindgen could not process the wasm")?;
    let wasm_out = staging.join(format!("{}.wasm", settings.name));
    fs::rename(
        staging.join(format!("{}_bg.wasm", settings.name)),
        &wasm_out,
    )?;
    let stylesheet = staging.join(format!("{}.css", settings.name));
    fs::copy(workspace.join(&settings.style_file), &stylesheet)
        .with_context(|| format!("copying the stylesheet {}", settings.style_file))?;

    let hashes = if release {
        optimize_all(workspace, std::iter::once(&wasm_out).chain(&parts.parts))?;
        let id = build_id(&staging)?;
        split::name_by_build(&staging, &settings.name, &id, &mut parts)?;
        split::write_manifest(&staging, Some(&id), &parts.needs)?;
        let css = content_hash(&stylesheet)?;
        fs::rename(
            &stylesheet,
            staging.join(format!("{}.{css}.css", settings.name)),
        )?;
        compress::precompress(&staging)?;
        let name = &settings.name;
        let every_page = vec![
            format!("{name}.{id}.js"),
            format!("{name}.{id}.wasm"),
            split::loader_name(&id),
            format!("{name}.{css}.css"),
        ];
        Some((
            format!("js: {id}\nwasm: {id}\nsplit: {id}\nmanifest: {id}\ncss: {css}\n"),
            every_page,
        ))
    } else {
        split::write_manifest(&staging, None, &parts.needs)?;
        None
    };

    if pkg.exists() {
        fs::remove_dir_all(&pkg).with_context(|| format!("removing the old {}", pkg.display()))?;
    }
    fs::rename(&staging, &pkg)?;
    let hash_file = site_root.join("hash.txt");
    match &hashes {
        Some((text, _)) => fs::write(&hash_file, text)?,
        None if hash_file.exists() => fs::remove_file(&hash_file)?,
        None => {}
    }
    copy_assets(&workspace.join(&settings.assets_dir), &site_root)?;

    compress::report(&pkg, release)?;
    if let Some((_, every_page)) = &hashes {
        first_load::report(&pkg, every_page, &parts.needs)?;
    }
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

/// binaryen's `-Oz` on every file: one node process per core, each optimising its share in
/// turn (`xtask/js/wasm_opt.mjs`). Files are dealt out largest first, so the cores finish
/// together.
fn optimize_all<'a>(
    workspace: &Path,
    files: impl Iterator<Item = &'a PathBuf>,
) -> anyhow::Result<()> {
    let binaryen = workspace.join("node_modules/binaryen");
    if !binaryen.exists() {
        bail!(
            "{} is missing: run `npm ci` in {} (binaryen comes from package-lock.json)",
            binaryen.display(),
            workspace.display()
        );
    }
    let mut files: Vec<(u64, &PathBuf)> = files
        .map(|file| Ok((fs::metadata(file)?.len(), file)))
        .collect::<std::io::Result<_>>()?;
    files.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let mut shares: Vec<Vec<&PathBuf>> = vec![Vec::new(); workers];
    for (at, (_, file)) in files.into_iter().enumerate() {
        shares[at % workers].push(file);
    }
    let script = workspace.join("xtask/js/wasm_opt.mjs");
    let running: Vec<_> = shares
        .into_iter()
        .filter(|share| !share.is_empty())
        .map(|share| {
            Command::new("node")
                .arg(&script)
                .args(share)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .context("starting node for wasm-opt (is Node.js installed? `.ci/install`)")
        })
        .collect::<anyhow::Result<_>>()?;
    for child in running {
        let run = child.wait_with_output().context("waiting for wasm-opt")?;
        if !run.status.success() {
            bail!(
                "wasm-opt failed: {}",
                String::from_utf8_lossy(&run.stderr).trim()
            );
        }
    }
    Ok(())
}

/// The id that names the JS and wasm files of a build: a digest of all of them, so browsers
/// may cache each file for good and a new build is fetched anew. Its length is the loader
/// placeholder's.
fn build_id(dir: &Path) -> anyhow::Result<String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "js" || e == "wasm"));
    files.sort();
    let mut digest = Sha256::new();
    for file in files {
        digest.update(fs::read(&file).with_context(|| format!("reading {}", file.display()))?);
    }
    Ok(hex(
        &digest.finalize()[..split::LOADER_PLACEHOLDER.len() / 2]
    ))
}

fn content_hash(file: &Path) -> anyhow::Result<String> {
    let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(hex(&Sha256::digest(&bytes)[..8]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
