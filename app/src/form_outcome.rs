//! What a form did, shown next to the button that sent it.
//!
//! With JavaScript the page shows the server function's answer itself. A form posted without
//! JavaScript is answered with a redirect back to the page it came from; on failure Leptos
//! carries the error in the address, and on success [`announce`] carries a [`Done`] there,
//! so both kinds of browser see the same sentence in the same place. A `Done` holds only
//! numbers and short names checked on the way in: an address cannot make a page say much.

use leptos::{html, prelude::*};
use leptos_router::params::ParamsMap;

/// The query parameter that names what was done.
const DONE: &str = "done";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Submitted {
        review: i64,
    },
    Decided,
    Commented,
    Resolved,
    Published {
        version: String,
    },
    Shared {
        shared: u32,
        already: u32,
        refused: u32,
    },
    Revoked,
}

impl Done {
    fn code(&self) -> &'static str {
        match self {
            Done::Submitted { .. } => "submitted",
            Done::Decided => "decided",
            Done::Commented => "commented",
            Done::Resolved => "resolved",
            Done::Published { .. } => "published",
            Done::Shared { .. } => "shared",
            Done::Revoked => "revoked",
        }
    }

    /// The parameters after `done=<code>`, in the order [`Done::from_query`] reads them.
    fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            Done::Submitted { review } => vec![("review", review.to_string())],
            Done::Published { version } => vec![("version", version.clone())],
            Done::Shared {
                shared,
                already,
                refused,
            } => vec![
                ("shared", shared.to_string()),
                ("already", already.to_string()),
                ("refused", refused.to_string()),
            ],
            Done::Decided | Done::Commented | Done::Resolved | Done::Revoked => Vec::new(),
        }
    }

    pub fn from_query(query: &ParamsMap) -> Option<Done> {
        Done::from_params(|key| query.get(key))
    }

    /// The outcome `get` reads from an address's parameters.
    fn from_params(get: impl Fn(&str) -> Option<String>) -> Option<Done> {
        let number = |key: &str| get(key)?.parse::<u32>().ok();
        Some(match get(DONE)?.as_str() {
            "submitted" => Done::Submitted {
                review: get("review")?.parse().ok()?,
            },
            "decided" => Done::Decided,
            "commented" => Done::Commented,
            "resolved" => Done::Resolved,
            "published" => {
                let version = get("version")?;
                // AWS's LensVersion: 1 to 32 characters.
                let plain = (1..=32).contains(&version.chars().count())
                    && !version.chars().any(char::is_control);
                Done::Published {
                    version: plain.then_some(version)?,
                }
            }
            "shared" => Done::Shared {
                shared: number("shared")?,
                already: number("already")?,
                refused: number("refused")?,
            },
            "revoked" => Done::Revoked,
            _ => return None,
        })
    }

    /// The sentence the page shows.
    pub fn sentence(&self) -> String {
        match self {
            Done::Submitted { review } => format!("Submitted for review as review {review}."),
            Done::Decided => "Decision recorded.".to_owned(),
            Done::Commented => "Comment added; the author sees it beside that place.".to_owned(),
            Done::Resolved => "Comment marked resolved.".to_owned(),
            Done::Published { version } => format!("Published as version {version}."),
            Done::Shared {
                shared,
                already,
                refused,
            } => {
                let mut parts = vec![format!("Shared with {shared}")];
                if *already > 0 {
                    parts.push(format!("{already} already shared"));
                }
                if *refused > 0 {
                    parts.push(format!("{refused} refused or not sent"));
                }
                format!("{}.", parts.join(", "))
            }
            Done::Revoked => "Share revoked.".to_owned(),
        }
    }

    /// `path?query` with this outcome in place of any earlier one, of Leptos's error and of
    /// the confirmation the form answered.
    pub fn address(&self, path_and_query: &str) -> String {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let ours: Vec<&str> = self.details().iter().map(|(k, _)| *k).collect();
        let mut pairs: Vec<String> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                // `revoke` opens a confirmation, answered by now.
                ![DONE, "__err", "__path", "revoke"].contains(&key) && !ours.contains(&key)
            })
            .map(str::to_owned)
            .collect();
        pairs.push(format!("{DONE}={}", self.code()));
        pairs.extend(
            self.details()
                .into_iter()
                .map(|(k, v)| format!("{k}={}", crate::href::encode_query(&v))),
        );
        format!("{path}?{}", pairs.join("&"))
    }
}

/// After a successful form post without JavaScript, sends the browser back to the page it came
/// from with `done` in the address. Requests from the WASM ask for JSON and are left alone.
#[cfg(feature = "ssr")]
pub fn announce(done: &Done) {
    use http::header::REFERER;

    if !crate::auth::ssr::is_plain_form() {
        return;
    }
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    // Only the referrer's path and query are kept, so the redirect cannot leave the site.
    let back = parts
        .headers
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<http::Uri>().ok())
        .and_then(|uri| uri.path_and_query().map(|pq| pq.as_str().to_owned()));
    if let Some(back) = back {
        leptos_axum::redirect(&done.address(&back));
    }
}

/// A form's result line: focused when it appears, so a keyboard or screen-reader user lands on
/// what their action did.
#[component]
pub fn ResultLine(
    ok: bool,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let line = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(line) = line.get() {
            let _ = line.focus();
        }
    });
    let (class, role) = if ok {
        ("ok", "status")
    } else {
        ("error", "alert")
    };
    view! {
        <div class=format!("result {class}") role=role tabindex="-1" data-testid=testid node_ref=line>
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::Done;

    fn query(address: &str) -> HashMap<String, String> {
        let (_, query) = address.split_once('?').unwrap();
        query
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn read(address: &str) -> Option<Done> {
        let params = query(address);
        Done::from_params(|key| params.get(key).cloned())
    }

    #[test]
    fn an_outcome_survives_the_round_trip_through_the_address() {
        let done = Done::Shared {
            shared: 2,
            already: 1,
            refused: 0,
        };
        let address =
            done.address("/lenses/detail?arn=x&done=revoked&revoke=s1&__err=abc&__path=/api/y");
        assert_eq!(
            address,
            "/lenses/detail?arn=x&done=shared&shared=2&already=1&refused=0"
        );
        assert_eq!(read(&address), Some(done));
        assert_eq!(
            read(&address).unwrap().sentence(),
            "Shared with 2, 1 already shared."
        );
    }

    #[test]
    fn an_address_cannot_put_words_on_the_page() {
        let forged = "/reviews/detail?done=published&version=Call%20this%20number%20now%20to%20keep%20your%20account";
        assert_eq!(read(forged), None);
        assert_eq!(read("/x?done=whatever"), None);
        assert_eq!(read("/x?done=submitted&review=abc"), None);
        assert_eq!(
            read("/x?done=published&version=1.0"),
            Some(Done::Published {
                version: "1.0".to_owned()
            })
        );
    }
}
