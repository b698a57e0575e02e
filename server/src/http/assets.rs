//! The browser bundle under `/pkg`. A release build names its files by content hash (listed in
//! `hash.txt`), so they can be cached for a year; an unhashed development build is revalidated
//! on every load instead. Brotli and gzip copies made at build time are served when accepted.

use std::path::{Path, PathBuf};

use axum::{Router, http::HeaderValue};
use http::header::CACHE_CONTROL;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

#[derive(Debug, Clone)]
pub struct SiteAssets {
    pub pkg_dir: PathBuf,
    /// Absolute path of `hash.txt` when the bundle is content-hashed.
    pub hash_file: Option<PathBuf>,
    pub stylesheet_href: String,
}

impl SiteAssets {
    pub fn discover(site_root: &Path, output_name: &str) -> Self {
        let pkg_dir = site_root.join("pkg");
        let hash_file = std::path::absolute(site_root.join("hash.txt"))
            .ok()
            .filter(|p| p.is_file());
        let hashes = hash_file
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let file_name = |kind: &str| match hash_of(&hashes, kind) {
            Some(hash) => format!("{output_name}.{hash}.{kind}"),
            None => format!("{output_name}.{kind}"),
        };
        if !pkg_dir.join(file_name("js")).is_file() {
            tracing::warn!(
                site_root = %site_root.display(),
                "the browser bundle is missing: pages render but do not hydrate; build it with `cargo xtask site`"
            );
        }
        SiteAssets {
            stylesheet_href: format!("/pkg/{}", file_name("css")),
            pkg_dir,
            hash_file,
        }
    }

    pub fn service(&self) -> Router {
        let cache = if self.hash_file.is_some() {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        Router::new()
            .fallback_service(
                ServeDir::new(&self.pkg_dir)
                    .precompressed_br()
                    .precompressed_gzip(),
            )
            .layer(SetResponseHeaderLayer::overriding(
                CACHE_CONTROL,
                HeaderValue::from_static(cache),
            ))
    }
}

/// The hash recorded for `kind` (`js`, `wasm`, `css`) in a `hash.txt` of `kind: hash` lines.
fn hash_of(text: &str, kind: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim() == kind)
        .map(|(_, hash)| hash.trim().to_owned())
        .filter(|hash| !hash.is_empty())
}

#[cfg(test)]
mod tests {
    use super::hash_of;

    #[test]
    fn reads_each_kind_from_the_hash_file() {
        let text = "js: abc\nwasm: def\ncss: 123\n";
        assert_eq!(hash_of(text, "css").as_deref(), Some("123"));
        assert_eq!(hash_of(text, "wasm").as_deref(), Some("def"));
        assert_eq!(hash_of(text, "split"), None);
        assert_eq!(hash_of("css:\n", "css"), None);
    }
}
