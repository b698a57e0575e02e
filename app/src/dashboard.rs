//! The home page's data: what needs the signed-in user and what happened lately. The server
//! reads it as it renders the page and sends it inside the page (`page_data`), so the page
//! works before, and without, its script.

use leptos::server;
use serde::{Deserialize, Serialize};

use crate::{
    audit_browser::{AuditRow, ChainState},
    error::AppError,
    lens_catalog::LensRow,
    reviews::ReviewRow,
    status::ServerStatus,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentVersion {
    pub lens_arn: String,
    pub lens_name: String,
    pub version_name: String,
    pub publisher: String,
    pub published_at: String,
    pub review_id: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentShare {
    /// The lens ARN or workload id.
    pub resource: String,
    pub shared_with: String,
    pub shared_by: String,
    pub shared_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Open reviews of others the user can still decide, oldest first.
    pub waiting: Vec<ReviewRow>,
    /// The user's own reviews that are not closed yet.
    pub drafts: Vec<ReviewRow>,
    /// The user's changes to AWS that failed lately or have no outcome yet, newest first.
    pub unfinished: Vec<AuditRow>,
    pub versions: Vec<RecentVersion>,
    pub shares: Vec<RecentShare>,
    /// The lenses AWS changed most recently, or why AWS did not answer.
    pub lenses: Result<Vec<LensRow>, String>,
    /// Share invitations waiting for an answer, or why AWS did not answer.
    pub invitations: Result<usize, String>,
    pub chain: Result<ChainState, String>,
}

/// Everything the home page shows: its panels, the chain's state in a line, and the server's
/// facts for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub panels: Result<Vec<Panel>, String>,
    pub chain: String,
    pub about: Option<Result<ServerStatus, String>>,
}

/// One line of a home page list, ready to show: the browser only displays it, so the first
/// download carries no code for the dashboard's own types.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub href: Option<String>,
    /// The link's words (or the line's, without a link).
    pub label: String,
    pub detail: String,
    pub at: Option<String>,
    /// `failed` or `pending`, for the lines of changes.
    pub outcome: Option<String>,
    /// For a failed change: the page where it is made, to try it again with what AWS holds now.
    pub retry: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    pub id: String,
    pub title: String,
    pub lines: Vec<Line>,
    /// Shown when there are no lines: what to do first, or why the list could not be read.
    pub note: String,
    pub failed: bool,
}

/// The home page's data again, for the page to bring itself up to date once its script runs.
#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home() -> Result<Home, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    Ok(Home::load(&crate::services::Services::current()?, &user).await)
}

#[cfg(feature = "ssr")]
mod build {
    use super::{Dashboard, Home, Line, Panel, ServerStatus};
    use crate::{
        audit_browser::{ChainState, event_href, target_href},
        auth::{CurrentUser, Role},
        lens_catalog::detail_href,
        reviews::{ReviewRow, review_href},
    };

    fn panel(id: &str, title: &str, lines: Vec<Line>, empty: &str) -> Panel {
        Panel {
            id: id.to_owned(),
            title: title.to_owned(),
            lines,
            note: empty.to_owned(),
            failed: false,
        }
    }

    fn unreadable(id: &str, title: &str, why: String) -> Panel {
        Panel {
            failed: true,
            ..panel(id, title, Vec::new(), &why)
        }
    }

    fn reviews(rows: Vec<ReviewRow>) -> Vec<Line> {
        rows.into_iter()
            .map(|row| Line {
                href: Some(review_href(row.id)),
                label: row.lens_name,
                detail: format!(
                    " by {}, {}, submitted ",
                    row.author,
                    row.state.as_str().replace('_', " ")
                ),
                at: Some(row.created_at),
                outcome: None,
                retry: None,
            })
            .collect()
    }

    impl Home {
        /// Reads what `user` sees on the home page: the dashboard, and the server's facts for
        /// an administrator, at the same time.
        pub async fn load(services: &crate::services::Services, user: &CurrentUser) -> Home {
            let about = async {
                if user.can(Role::Admin) {
                    Some(services.status.status().await.map_err(|e| e.to_string()))
                } else {
                    None
                }
            };
            let (dashboard, about) =
                futures_util::join!(services.activity.dashboard(user.clone()), about);
            Home::new(user, dashboard.map_err(|e| e.to_string()), about)
        }

        /// The panels `user`'s role has a use for, in the order they matter.
        pub fn new(
            user: &CurrentUser,
            dashboard: Result<Dashboard, String>,
            about: Option<Result<ServerStatus, String>>,
        ) -> Self {
            let dashboard = match dashboard {
                Ok(dashboard) => dashboard,
                Err(why) => {
                    return Home {
                        panels: Err(why),
                        chain: String::new(),
                        about,
                    };
                }
            };
            let mut panels = Vec::new();
            if user.can(Role::Reviewer) {
                panels.push(panel(
                    "waiting",
                    "Waiting for your review",
                    reviews(dashboard.waiting),
                    "Nothing waits for your review.",
                ));
            }
            if user.can(Role::Author) {
                panels.push(panel(
                    "drafts",
                    "Your drafts under review",
                    reviews(dashboard.drafts),
                    "No draft of yours is under review. Import a lens (Lenses, then New lens) and submit it.",
                ));
            }
            if !dashboard.unfinished.is_empty() {
                let lines = dashboard
                    .unfinished
                    .into_iter()
                    .map(|row| {
                        let outcome = if row.phase == "failed" {
                            "failed"
                        } else {
                            "pending"
                        };
                        Line {
                            href: Some(event_href(row.seq)),
                            label: format!("{} {outcome}", row.action),
                            // A new lens that failed to import has no target yet.
                            detail: format!(
                                "{}{} ",
                                if row.target.is_empty() {
                                    String::new()
                                } else {
                                    format!(" on {}", row.target)
                                },
                                row.error_message
                                    .map(|m| format!(": {m}"))
                                    .unwrap_or_default()
                            ),
                            at: Some(row.at),
                            retry: (outcome == "failed")
                                .then(|| retry_href(&row.action, &row.target))
                                .flatten(),
                            outcome: Some(outcome.to_owned()),
                        }
                    })
                    .collect();
                panels.push(panel(
                    "unfinished",
                    "Your changes that failed or wait for AWS",
                    lines,
                    "",
                ));
            }
            panels.push(match dashboard.invitations {
                Ok(0) => panel(
                    "invitations",
                    "Invitations",
                    Vec::new(),
                    "No share invitation waits for an answer.",
                ),
                Ok(n) => panel(
                    "invitations",
                    "Invitations",
                    vec![Line {
                        href: Some("/invitations".to_owned()),
                        label: format!("{n} share invitation(s) wait for an answer"),
                        detail: String::new(),
                        at: None,
                        outcome: None,
                        retry: None,
                    }],
                    "",
                ),
                Err(why) => unreadable("invitations", "Invitations", why),
            });
            panels.push(match dashboard.lenses {
                Ok(lenses) => panel(
                    "lenses",
                    "Lenses changed recently",
                    lenses
                        .into_iter()
                        .map(|lens| Line {
                            href: Some(detail_href(&lens.arn)),
                            label: lens.name,
                            detail: format!(
                                " ({}) ",
                                lens.latest_version
                                    .map_or_else(|| "draft".to_owned(), |v| format!("version {v}"))
                            ),
                            at: lens.updated_at,
                            outcome: None,
                            retry: None,
                        })
                        .collect(),
                    "No custom lens yet: import one from the Lenses page.",
                ),
                Err(why) => unreadable("lenses", "Lenses changed recently", why),
            });
            panels.push(panel(
                "versions",
                "Versions published recently",
                dashboard
                    .versions
                    .into_iter()
                    .map(|v| Line {
                        href: Some(detail_href(&v.lens_arn)),
                        label: format!("{} {}", v.lens_name, v.version_name),
                        detail: format!(" by {} ", v.publisher),
                        at: Some(v.published_at),
                        outcome: None,
                        retry: None,
                    })
                    .collect(),
                "Nothing published through lensgate yet.",
            ));
            panels.push(panel(
                "shares",
                "Shares created recently",
                dashboard
                    .shares
                    .into_iter()
                    .map(|share| Line {
                        href: target_href(&share.resource),
                        detail: format!(" with {} by {} ", share.shared_with, share.shared_by),
                        label: share.resource,
                        at: Some(share.shared_at),
                        outcome: None,
                        retry: None,
                    })
                    .collect(),
                "No share made through lensgate yet.",
            ));
            let chain = match dashboard.chain {
                Ok(ChainState::Intact { events }) => {
                    format!("Audit history intact: {events} events verified.")
                }
                Ok(ChainState::Broken { seq, reason, .. }) => {
                    format!("Audit history broken at event {seq}: {reason}")
                }
                Err(why) => why,
            };
            Home {
                panels: Ok(panels),
                chain,
                about,
            }
        }
    }

    /// The page where a failed change is made again: its target's page, or for a new lens or an
    /// invitation's answer (no page of their own yet) the editor and the invitations.
    fn retry_href(action: &str, target: &str) -> Option<String> {
        target_href(target).or_else(|| match action {
            "ImportLens" => Some("/lenses/new".to_owned()),
            "UpdateShareInvitation" => Some("/invitations".to_owned()),
            _ => None,
        })
    }
}
