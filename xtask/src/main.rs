//! `cargo xtask site [--release]` builds the browser bundle into the site folder;
//! `cargo xtask run [--release] [-- SERVER ARGS]` builds it and the server side by side, then starts
//! the server (built with the `local` profile when `--release`).
//!
//! It replaces `cargo leptos build` with steps whose tools come from the registries only:
//! wasm-bindgen is linked as a library at the exact version in Cargo.lock, and wasm-opt is
//! binaryen's own build from the npm lockfile.

mod compress;
mod first_load;
mod manifest;
mod site;
mod split;

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use anyhow::{Context, bail};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let (own, server_args) = match rest.iter().position(|a| a == "--") {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&rest[..], &[][..]),
    };
    let mut release = false;
    for arg in own {
        match arg.as_str() {
            "--release" => release = true,
            other => bail!("unknown option {other:?}; see `cargo xtask help`"),
        }
    }
    let workspace = workspace_root()?;
    match command.as_str() {
        "site" => site::build(&workspace, release).map(drop),
        "run" => {
            // The server compiles while the site does: cargo locks each profile's folder, not
            // the whole target folder, and the two builds leave each other's idle core busy
            // (README, "Run").
            let mut server = build_server(&workspace, release)?;
            let site_root = match site::build(&workspace, release) {
                Ok(root) => root,
                Err(error) => {
                    let _ = server.kill();
                    let _ = server.wait();
                    return Err(error);
                }
            };
            let built = server.wait().context("waiting for the server's build")?;
            if !built.success() {
                bail!("building the server failed ({built}); its errors are above");
            }
            run_server(&workspace, &site_root, release, server_args)
        }
        "" | "help" | "--help" | "-h" => {
            println!(
                "usage: cargo xtask site [--release]\n       cargo xtask run [--release] [-- SERVER ARGS]"
            );
            Ok(())
        }
        other => bail!("unknown command {other:?}; see `cargo xtask help`"),
    }
}

/// The checkout `cargo xtask` was run in. Cargo says so at run time; the folder compiled in is
/// only a fallback, because checkouts sharing one target folder (`.ci/run` shares
/// `~/.cache/lensgate/target`) share one `xtask` binary too, and the path compiled into it may be
/// another checkout's.
fn workspace_root() -> anyhow::Result<PathBuf> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives one folder below the workspace root")
}

/// The profile `cargo xtask run --release` builds the server with: the release profile's
/// settings that cost build time without a difference a person trying lensgate would notice
/// are turned down there (Cargo.toml, `[profile.local]`).
const RUN_PROFILE: &str = "local";

fn server_cargo(workspace: &Path, command: &str, release: bool) -> Command {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(workspace)
        .args([command, "--package", "lensgate"]);
    if release {
        cargo.args(["--profile", RUN_PROFILE]);
    }
    cargo
}

/// Starts the server's build, quiet so that only its errors come between the site's messages.
fn build_server(workspace: &Path, release: bool) -> anyhow::Result<std::process::Child> {
    server_cargo(workspace, "build", release)
        .arg("--quiet")
        .spawn()
        .context("starting cargo build for the server")
}

fn run_server(
    workspace: &Path,
    site_root: &Path,
    release: bool,
    server_args: &[String],
) -> anyhow::Result<()> {
    let status = server_cargo(workspace, "run", release)
        .arg("--")
        .arg("--site-root")
        .arg(site_root)
        .args(server_args)
        .status()
        .context("starting cargo run")?;
    if !status.success() {
        bail!("the server exited with {status}");
    }
    Ok(())
}
