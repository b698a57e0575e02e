//! The shares lensgate made, by AWS share id: who made each and when. AWS lists a resource's
//! shares; it does not know who asked lensgate for them, so this table owns that fact.

use std::collections::HashMap;

use lensgate_app::dashboard::RecentShare;
use lensgate_postgres::records as pg;

use crate::{db::Database, timestamp};

/// A share AWS created for `by`. A failure to write is logged: the share exists in AWS either
/// way, and its page then says it was not made through lensgate.
pub async fn record(
    db: &Database,
    share_id: &str,
    resource: &str,
    shared_with: &str,
    by: &str,
    operation_id: &str,
) {
    let now = timestamp::now();
    let written = match db {
        Database::Sqlite(pool) => sqlx::query!(
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
        .await
        .map(drop),
        Database::Postgres(pool) => {
            let share = pg::NewShare {
                share_id,
                resource,
                shared_with,
                shared_by: by,
                shared_at: &now,
                operation_id,
            };
            pg::record_share(pool, &share).await
        }
    };
    if let Err(error) = written {
        tracing::error!(%error, share_id, "cannot record who made a share");
    }
}

/// When each share of `resource` was made through lensgate, by share id.
pub async fn since(db: &Database, resource: &str) -> Result<HashMap<String, String>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
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
        Database::Postgres(pool) => Ok(pg::shares_of(pool, resource).await?.into_iter().collect()),
    }
}

/// The newest shares made through lensgate, of lenses and workloads.
pub async fn recent(db: &Database, limit: i64) -> Result<Vec<RecentShare>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                RecentShare,
                "SELECT resource, shared_with, shared_by, shared_at FROM shares ORDER BY shared_at DESC LIMIT ?",
                limit
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => Ok(pg::recent_shares(pool, limit)
            .await?
            .into_iter()
            .map(|row| RecentShare {
                resource: row.resource,
                shared_with: row.shared_with,
                shared_by: row.shared_by,
                shared_at: row.shared_at,
            })
            .collect()),
    }
}
