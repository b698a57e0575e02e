//! The home page's dashboard: what waits for the signed-in user and what happened lately,
//! gathered from the tables and ports that own each fact. The AWS parts (recent lenses,
//! invitations) are read at the same time as the rest, and a part AWS cannot answer says so
//! without hiding the others.

use std::sync::Arc;

use lensgate_app::{
    audit_browser::{AuditQuery, AuditRow},
    auth::CurrentUser,
    dashboard::Dashboard,
    error::AppError,
    services::{Activity, AuditBrowser, BoxFuture, Invitations, LensCatalog},
};
use sqlx::SqlitePool;

use crate::reviews::LiveReviews;

/// How many items each list on the home page shows.
const SHOWN: usize = 5;

pub struct LiveActivity {
    pub pool: SqlitePool,
    pub reviews: Arc<LiveReviews>,
    pub lenses: Arc<dyn LensCatalog>,
    pub invitations: Arc<dyn Invitations>,
    pub audit: Arc<dyn AuditBrowser>,
}

impl LiveActivity {
    /// The user's changes that failed in the last week or have no outcome yet, newest first.
    async fn unfinished(&self, user: &CurrentUser) -> Result<Vec<AuditRow>, AppError> {
        let mine = |outcome: &str, range: &str| AuditQuery {
            actor: user.username.clone(),
            outcome: outcome.to_owned(),
            range: range.to_owned(),
            ..AuditQuery::default()
        };
        let (pending, failed) = tokio::join!(
            self.audit.search(mine("pending", "")),
            self.audit.search(mine("failed", "week"))
        );
        let mut rows: Vec<AuditRow> = pending?.rows.into_iter().chain(failed?.rows).collect();
        rows.sort_by_key(|row| std::cmp::Reverse(row.seq));
        rows.truncate(SHOWN);
        Ok(rows)
    }
}

impl Activity for LiveActivity {
    fn dashboard(&self, user: CurrentUser) -> BoxFuture<'_, Result<Dashboard, AppError>> {
        Box::pin(async move {
            let (waiting, drafts, unfinished, versions, lenses, invitations, chain) = tokio::join!(
                self.reviews.waiting_rows(&user),
                lensgate_app::services::Reviews::open(&*self.reviews, Some(user.username.clone())),
                self.unfinished(&user),
                self.reviews.recent_versions(SHOWN as i64),
                self.lenses.list(),
                self.invitations.list(),
                self.audit.chain(),
            );
            let shares = crate::shares::recent(&self.pool, SHOWN as i64)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "the recent shares could not be read");
                    AppError::Unavailable("The share records".to_owned())
                })?;
            let lenses = lenses
                .map(|mut lenses| {
                    lenses.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
                    lenses.truncate(SHOWN);
                    lenses
                })
                .map_err(|e| e.to_string());
            Ok(Dashboard {
                waiting: waiting?,
                drafts: drafts?,
                unfinished: unfinished?,
                versions: versions?,
                shares,
                lenses,
                invitations: invitations
                    .map(|list| list.len())
                    .map_err(|e| e.to_string()),
                chain: chain.map_err(|e| e.to_string()),
            })
        })
    }
}
