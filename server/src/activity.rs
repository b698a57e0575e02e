//! The home page's dashboard: what waits for the signed-in user and what happened lately,
//! gathered from the tables and ports that own each fact. The AWS parts (recent lenses,
//! invitations) are read at the same time as the rest, and a part AWS cannot answer says so
//! without hiding the others.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use lensgate_app::{
    auth::CurrentUser,
    dashboard::Dashboard,
    error::AppError,
    lens_catalog::LensRow,
    services::{Activity, AuditBrowser, BoxFuture, Invitations, LensCatalog},
};

use crate::reviews::LiveReviews;

/// How many items each list on the home page shows.
const SHOWN: usize = 5;
/// How long the AWS parts of the dashboard are reused. They are the account's, the same for
/// every user, and listing every lens on each visit cost the home page 90% of its speed
/// (README, "The server's speed"); half a minute late is soon enough for "recently".
const AWS_PARTS_FOR: Duration = Duration::from_secs(30);

pub struct LiveActivity {
    pub db: crate::db::Database,
    pub reviews: Arc<LiveReviews>,
    pub lenses: Arc<dyn LensCatalog>,
    pub invitations: Arc<dyn Invitations>,
    pub audit: Arc<dyn AuditBrowser>,
    aws_parts: Mutex<Option<(Instant, AwsParts)>>,
}

/// What the dashboard asks AWS: the most recently changed lenses and the invitations waiting.
#[derive(Clone)]
struct AwsParts {
    lenses: Vec<LensRow>,
    invitations: usize,
}

impl LiveActivity {
    pub fn new(
        db: crate::db::Database,
        reviews: Arc<LiveReviews>,
        lenses: Arc<dyn LensCatalog>,
        invitations: Arc<dyn Invitations>,
        audit: Arc<dyn AuditBrowser>,
    ) -> Self {
        LiveActivity {
            db,
            reviews,
            lenses,
            invitations,
            audit,
            aws_parts: Mutex::new(None),
        }
    }

    /// The AWS parts, asked again once they are older than [`AWS_PARTS_FOR`]; an answer that
    /// failed is not kept, so the next visit asks again.
    async fn aws_parts(&self) -> Result<AwsParts, (Option<String>, Option<String>)> {
        if let Ok(kept) = self.aws_parts.lock()
            && let Some((at, parts)) = kept.as_ref()
            && at.elapsed() < AWS_PARTS_FOR
        {
            return Ok(parts.clone());
        }
        let (lenses, invitations) = tokio::join!(self.lenses.list(), self.invitations.list());
        match (lenses, invitations) {
            (Ok(mut lenses), Ok(invitations)) => {
                lenses.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
                lenses.truncate(SHOWN);
                let parts = AwsParts {
                    lenses,
                    invitations: invitations.len(),
                };
                if let Ok(mut kept) = self.aws_parts.lock() {
                    *kept = Some((Instant::now(), parts.clone()));
                }
                Ok(parts)
            }
            (lenses, invitations) => Err((
                lenses.err().map(|e| e.to_string()),
                invitations.err().map(|e| e.to_string()),
            )),
        }
    }
}

impl Activity for LiveActivity {
    fn dashboard(&self, user: CurrentUser) -> BoxFuture<'_, Result<Dashboard, AppError>> {
        Box::pin(async move {
            let (waiting, drafts, unfinished, versions, aws, chain) = tokio::join!(
                self.reviews.waiting_rows(&user),
                lensgate_app::services::Reviews::open(&*self.reviews, Some(user.username.clone())),
                self.audit
                    .unfinished_changes_of(user.username.clone(), SHOWN),
                self.reviews.recent_versions(SHOWN as i64),
                self.aws_parts(),
                self.audit.chain(),
            );
            let shares = crate::shares::recent(&self.db, SHOWN as i64)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "the recent shares could not be read");
                    AppError::Unavailable("The share records".to_owned())
                })?;
            let unanswered = "AWS did not answer; the rest of the page is current.".to_owned();
            let (lenses, invitations) = match aws {
                Ok(parts) => (Ok(parts.lenses), Ok(parts.invitations)),
                Err((lenses, invitations)) => (
                    lenses.map_or_else(|| Err(unanswered.clone()), Err),
                    invitations.map_or_else(|| Err(unanswered.clone()), Err),
                ),
            };
            Ok(Dashboard {
                waiting: waiting?,
                drafts: drafts?,
                unfinished: unfinished?,
                versions: versions?,
                shares,
                lenses,
                invitations,
                chain: chain.map_err(|e| e.to_string()),
            })
        })
    }
}
