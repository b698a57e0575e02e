//! Brotli and gzip copies of the bundle, made once at build time so the server never compresses
//! static files per request, and the size report the README quotes.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::Context;
use flate2::{Compression, write::GzEncoder};

const COMPRESSIBLE: [&str; 3] = ["js", "wasm", "css"];

pub fn precompress(dir: &Path) -> anyhow::Result<()> {
    for file in compressible_files(dir)? {
        let bytes = fs::read(&file)?;
        fs::write(with_suffix(&file, "br"), brotli(&bytes)?)?;
        fs::write(with_suffix(&file, "gz"), gzip(&bytes)?)?;
    }
    Ok(())
}

/// Prints raw, gzip and brotli sizes of each part of the bundle; the shared chunks the
/// splitter makes (`chunk_N`, code two or more pages use) as one line.
pub fn report(dir: &Path, release: bool) -> anyhow::Result<()> {
    let mut totals = (0usize, 0usize, 0usize);
    let mut chunks = (0usize, 0usize, 0usize, 0usize);
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for file in compressible_files(dir)? {
        let raw = fs::metadata(&file)?.len() as usize;
        let (gz, br) = if release {
            (
                fs::metadata(with_suffix(&file, "gz"))?.len() as usize,
                fs::metadata(with_suffix(&file, "br"))?.len() as usize,
            )
        } else {
            (0, 0)
        };
        totals = (totals.0 + raw, totals.1 + gz, totals.2 + br);
        let name = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        if name.starts_with("chunk_") {
            chunks = (chunks.0 + 1, chunks.1 + raw, chunks.2 + gz, chunks.3 + br);
            continue;
        }
        // Without the build id, which every file of a build shares.
        let parts: Vec<&str> = name.split('.').collect();
        let short = match parts.as_slice() {
            [stem, _, ext] => format!("{stem}.{ext}"),
            _ => name.clone(),
        };
        println!(
            "{short:<44} {:>10} {:>10} {:>10}",
            kib(raw),
            kib(gz),
            kib(br)
        );
    }
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        format!("{} shared chunks", chunks.0),
        kib(chunks.1),
        kib(chunks.2),
        kib(chunks.3)
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "total",
        kib(totals.0),
        kib(totals.1),
        kib(totals.2)
    );
    if !release {
        println!("(compressed sizes are measured on release builds only)");
    }
    Ok(())
}

fn kib(bytes: usize) -> String {
    if bytes == 0 {
        "-".to_owned()
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn compressible_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in
            fs::read_dir(&folder).with_context(|| format!("listing {}", folder.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSIBLE.contains(&e))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn brotli(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
