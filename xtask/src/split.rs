//! Splitting the wasm into the parts the pages load: the lazy routes' code leaves the main
//! module for files fetched when a page needs them, as `cargo leptos --split` does, with the
//! splitter linked as a library (`wasm_split_cli_support`) instead of a downloaded tool.
//!
//! The splitter reads the relocations the linker keeps with `--emit-relocs` (set for the wasm
//! target in `.cargo/config.toml`), writes the main module for wasm-bindgen, one file per
//! part, and the loader module `__wasm_split.<placeholder>.js` that fetches them.

use std::{
    collections::{BTreeMap, HashMap},
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, anyhow};

/// The loader's name before the bundle is named by content: the placeholder is as long as a
/// build id, so the main wasm's import of it can be renamed in place (a wasm binary stores the
/// name's length).
pub const LOADER_PLACEHOLDER: &str = "______________________";

pub fn loader_name(id: &str) -> String {
    format!("__wasm_split.{id}.js")
}

pub fn manifest_name(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("__wasm_split_manifest.{id}.json"),
        None => "__wasm_split_manifest.json".to_owned(),
    }
}

/// What the splitter wrote.
pub struct Split {
    /// The main module, for wasm-bindgen.
    pub main: PathBuf,
    /// The parts, in the output folder.
    pub parts: Vec<PathBuf>,
    /// Each lazy function's name and the parts (file stems) it needs, as Leptos reads them to
    /// preload a page's parts with its HTML.
    pub needs: BTreeMap<String, Vec<String>>,
}

/// Splits `wasm` into `out_dir`; the main module goes to `main` for wasm-bindgen, which writes
/// the main JS module `./{name}.js` the loader imports.
pub fn split(wasm: &Path, main: &Path, out_dir: &Path, name: &str) -> anyhow::Result<Split> {
    let input = fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let main_module = format!("./{name}.js");
    let link_name = format!("./{}", loader_name(LOADER_PLACEHOLDER));
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = out_dir;
    options.main_out_path = main;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| anyhow!("splitting {} failed: {error:?}", wasm.display()))?;
    Ok(Split {
        main: main.to_path_buf(),
        parts: split.split_modules,
        needs: split.prefetch_map.into_iter().collect(),
    })
}

/// Writes the manifest Leptos reads to preload a page's parts.
pub fn write_manifest(
    dir: &Path,
    id: Option<&str>,
    needs: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<PathBuf> {
    let path = dir.join(manifest_name(id));
    let text = serde_json::to_string_pretty(needs)?;
    fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Names every file of the split bundle by the build id `id`: the main JS and wasm, the loader,
/// each part and the manifest, rewriting the names each one uses to find the others. One id for
/// the whole bundle keeps the names free of cycles (the main JS imports the loader, which
/// imports the main JS).
pub fn name_by_build(dir: &Path, name: &str, id: &str, split: &mut Split) -> anyhow::Result<()> {
    assert_eq!(
        id.len(),
        LOADER_PLACEHOLDER.len(),
        "a build id replaces the placeholder"
    );
    let loader = dir.join(loader_name(LOADER_PLACEHOLDER));
    let main_js = dir.join(format!("{name}.js"));
    let main_wasm = dir.join(format!("{name}.wasm"));
    // The main JS imports the loader, and the main wasm names it as its import's module.
    for file in [&main_js, &main_wasm] {
        replace_in_file(file, LOADER_PLACEHOLDER.as_bytes(), id.as_bytes())?;
    }
    replace_in_file(
        &loader,
        format!("\"./{name}.js\"").as_bytes(),
        format!("\"./{name}.{id}.js\"").as_bytes(),
    )?;
    let mut renamed = HashMap::new();
    for part in &mut split.parts {
        let stem = file_stem(part)?;
        let new_stem = format!("{stem}.{id}");
        replace_in_file(
            &loader,
            format!("\"./{stem}.wasm\"").as_bytes(),
            format!("\"./{new_stem}.wasm\"").as_bytes(),
        )?;
        let new_path = dir.join(format!("{new_stem}.wasm"));
        fs::rename(&*part, &new_path)?;
        *part = new_path;
        renamed.insert(stem, new_stem);
    }
    for stems in split.needs.values_mut() {
        for stem in stems {
            if let Some(new_stem) = renamed.get(stem) {
                stem.clone_from(new_stem);
            }
        }
    }
    fs::rename(&loader, dir.join(loader_name(id)))?;
    fs::rename(&main_js, dir.join(format!("{name}.{id}.js")))?;
    fs::rename(&main_wasm, dir.join(format!("{name}.{id}.wasm")))?;
    Ok(())
}

fn file_stem(path: &Path) -> anyhow::Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .with_context(|| format!("{} has no file name", path.display()))
}

/// Replaces every occurrence of `from` with `to` in a file, and says when there was none: a
/// name the bundle should hold but does not means the splitter or wasm-bindgen changed.
fn replace_in_file(path: &Path, from: &[u8], to: &[u8]) -> anyhow::Result<()> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes.as_slice();
    let mut found = false;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
        found = true;
    }
    out.extend_from_slice(rest);
    if !found {
        anyhow::bail!(
            "{} does not name {}",
            path.display(),
            String::from_utf8_lossy(from)
        );
    }
    fs::write(path, out).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeMap, fs};

    use super::{LOADER_PLACEHOLDER, Split, loader_name, name_by_build};

    #[test]
    fn a_build_id_names_every_file_and_every_reference_to_it() {
        let dir = std::env::temp_dir().join(format!("lensgate-split-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let placeholder = loader_name(LOADER_PLACEHOLDER);
        fs::write(
            dir.join("app.js"),
            format!("import * as s from \"./{placeholder}\";"),
        )
        .unwrap();
        let wasm = format!("\0asm./{placeholder}\0");
        fs::write(dir.join("app.wasm"), &wasm).unwrap();
        fs::write(
            dir.join(&placeholder),
            "import { initSync } from \"./app.js\"; fetch(\"./chunk_0.wasm\"); fetch(\"./split_a.wasm\");",
        )
        .unwrap();
        fs::write(dir.join("chunk_0.wasm"), "c").unwrap();
        fs::write(dir.join("split_a.wasm"), "a").unwrap();
        let mut split = Split {
            main: dir.join("main.wasm"),
            parts: vec![dir.join("chunk_0.wasm"), dir.join("split_a.wasm")],
            needs: BTreeMap::from([(
                "__a_view_1".to_owned(),
                vec!["chunk_0".to_owned(), "split_a".to_owned()],
            )]),
        };
        let id = "0123456789abcdef012345";
        name_by_build(&dir, "app", id, &mut split).unwrap();

        let loader = fs::read_to_string(dir.join(loader_name(id))).unwrap();
        assert!(loader.contains(&format!("\"./app.{id}.js\"")), "{loader}");
        assert!(
            loader.contains(&format!("\"./chunk_0.{id}.wasm\"")),
            "{loader}"
        );
        assert!(
            loader.contains(&format!("\"./split_a.{id}.wasm\"")),
            "{loader}"
        );
        let main_js = fs::read_to_string(dir.join(format!("app.{id}.js"))).unwrap();
        assert!(main_js.contains(&loader_name(id)), "{main_js}");
        let main_wasm = fs::read(dir.join(format!("app.{id}.wasm"))).unwrap();
        assert_eq!(
            main_wasm.len(),
            wasm.len(),
            "a wasm binary keeps its length"
        );
        assert!(String::from_utf8_lossy(&main_wasm).contains(&loader_name(id)));
        assert!(dir.join(format!("chunk_0.{id}.wasm")).exists());
        assert_eq!(
            split.needs["__a_view_1"],
            [format!("chunk_0.{id}"), format!("split_a.{id}")]
        );
        assert!(!dir.join(&placeholder).exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
