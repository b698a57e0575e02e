//! The shares lensgate made, by AWS share id: who made each and when. AWS lists a resource's
//! shares; it does not know who asked lensgate for them, so this table owns that fact.

use std::collections::HashMap;

use lensgate_app::dashboard::RecentShare;
use sqlx::SqlitePool;

use crate::timestamp;

/// A share AWS created for `by`. A failure to write is logged: the share exists in AWS either
/// way, and its page then says it was not made through lensgate.
pub async fn record(
    pool: &SqlitePool,
    share_id: &str,
    resource: &str,
    shared_with: &str,
    by: &str,
    operation_id: &str,
) {
    let now = timestamp::now();
    let written = sqlx::query!(
        "INSERT OR IGNORE INTO shares (share_id, resource, shared_with, shared_by, shared_at, operation_id)
         VALUES (?, ?, ?, ?, ?, ?)",
        share_id,
        resource,
        shared_with,
        by,
        now,
        operation_id
    )
    .execute(pool)
    .await;
    if let Err(error) = written {
        tracing::error!(%error, share_id, "cannot record who made a share");
    }
}

/// When each share of `resource` was made through lensgate, by share id.
pub async fn since(
    pool: &SqlitePool,
    resource: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT share_id, shared_at FROM shares WHERE resource = ?",
        resource
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.share_id, row.shared_at))
        .collect())
}

/// The newest shares made through lensgate, of lenses and workloads.
pub async fn recent(pool: &SqlitePool, limit: i64) -> Result<Vec<RecentShare>, sqlx::Error> {
    sqlx::query_as!(
        RecentShare,
        "SELECT resource, shared_with, shared_by, shared_at FROM shares ORDER BY shared_at DESC LIMIT ?",
        limit
    )
    .fetch_all(pool)
    .await
}
