//! What a first visit to each page downloads: the main module, its JS, the parts loader and the
//! stylesheet, plus the parts Leptos preloads for the page (from the split manifest). The
//! sign-in and home pages must fit [`BUDGET`] in brotli, or the release build fails.

use std::{collections::BTreeMap, fs, path::Path};

use anyhow::{Context, bail};

/// The most a first visit to the sign-in or the home page may download, brotli-compressed: the
/// goal the project set (README, "The browser bundle").
pub const BUDGET: u64 = 200 * 1024;

/// The pages a user reaches from the navigation, with the lazy route each one loads (`None`:
/// in the main module).
const PAGES: [(&str, Option<&str>); 14] = [
    ("/login", None),
    ("/", None),
    ("/lenses", Some("lenses")),
    ("/lenses/new", Some("lens_editor")),
    ("/lenses/detail", Some("lens_detail")),
    ("/reviews", Some("reviews")),
    ("/reviews/detail", Some("review")),
    ("/workloads", Some("workloads")),
    ("/workloads/detail", Some("workload")),
    ("/invitations", Some("invitations")),
    ("/grants", Some("grants")),
    ("/audit", Some("audit")),
    ("/audit/event", Some("audit_event")),
    ("/admin", Some("admin")),
];

#[derive(Default, Clone, Copy)]
struct Bytes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl Bytes {
    fn of(dir: &Path, file: &str) -> anyhow::Result<Self> {
        let size = |name: String| -> anyhow::Result<u64> {
            Ok(fs::metadata(dir.join(&name))
                .with_context(|| format!("the bundle has no {name}"))?
                .len())
        };
        Ok(Bytes {
            raw: size(file.to_owned())?,
            gzip: size(format!("{file}.gz"))?,
            brotli: size(format!("{file}.br"))?,
        })
    }

    fn add(self, other: Bytes) -> Bytes {
        Bytes {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

/// Prints each page's first download and fails when the sign-in or home page exceeds the
/// budget. `main` lists the files every page loads; `needs` is the split manifest.
pub fn report(
    dir: &Path,
    main: &[String],
    needs: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<()> {
    let mut always = Bytes::default();
    for file in main {
        always = always.add(Bytes::of(dir, file)?);
    }
    println!(
        "\n{:<20} {:>6} {:>11} {:>11} {:>11}",
        "first visit to", "parts", "raw", "gzip", "brotli"
    );
    let mut over = Vec::new();
    for (page, route) in PAGES {
        let parts: &[String] = match route {
            None => &[],
            Some(route) => needs
                .iter()
                .find(|(name, _)| lazy_route_of(name) == Some(route))
                .map(|(_, parts)| parts.as_slice())
                .with_context(|| format!("the split manifest has no lazy route {route}"))?,
        };
        let mut total = always;
        for part in parts {
            total = total.add(Bytes::of(dir, &format!("{part}.wasm"))?);
        }
        println!(
            "{page:<20} {:>6} {:>11} {:>11} {:>11}",
            parts.len(),
            kib(total.raw),
            kib(total.gzip),
            kib(total.brotli)
        );
        if route.is_none() && total.brotli > BUDGET {
            over.push(format!("{page} ({})", kib(total.brotli)));
        }
    }
    if !over.is_empty() {
        bail!(
            "a first visit downloads more than {} brotli: {}. Move code out of the main module (see README, \"The browser bundle\").",
            kib(BUDGET),
            over.join(", ")
        );
    }
    Ok(())
}

/// `__lens_editor_view_1755…` names the lazy route `lens_editor`.
fn lazy_route_of(split: &str) -> Option<&str> {
    let rest = split.strip_prefix("__")?;
    let (route, _) = rest.rsplit_once("_view_")?;
    Some(route)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::lazy_route_of;

    #[test]
    fn split_names_give_their_lazy_route() {
        assert_eq!(
            lazy_route_of("__lens_editor_view_17554302866502942681"),
            Some("lens_editor")
        );
        assert_eq!(lazy_route_of("__audit_view_1"), Some("audit"));
        assert_eq!(lazy_route_of("chunk_3"), None);
    }
}
