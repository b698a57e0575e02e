//! The lenses the integration tests run over: the fixtures, and the public lenses kept beside
//! the project (`../shared/lenses-real`, or `$LENSGATE_REAL_LENSES`) when they are there.

use std::path::{Path, PathBuf};

pub fn real_lens_folder() -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os("LENSGATE_REAL_LENSES") {
        return Some(PathBuf::from(folder));
    }
    // `shared/lenses-real` beside the checkout, or beside any folder above it.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/lenses-real"))
        .find(|folder| folder.is_dir())
}

/// Every `.json` file of the fixtures and the real lenses, as (path, text), sorted by path.
#[allow(dead_code, reason = "each test crate uses its own part of the helpers")]
pub fn lenses() -> Vec<(String, String)> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for folder in std::iter::once(fixtures).chain(real_lens_folder()) {
        for entry in std::fs::read_dir(&folder).expect("the folder lists") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("the lens reads");
                files.push((path.display().to_string(), text));
            }
        }
    }
    files.sort();
    files
}
