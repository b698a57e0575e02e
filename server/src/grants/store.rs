//! The SQL of `grant_versions`: the only module that touches it.

use sqlx::SqlitePool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatedVersion {
    pub version: String,
    pub created_by: String,
    pub created_at: String,
}

pub async fn record(
    pool: &SqlitePool,
    grant_arn: &str,
    version: &str,
    created_by: &str,
    created_at: &str,
    operation_id: &str,
) -> Result<(), sqlx::Error> {
    // A resubmitted form answers with its first operation: the same version, recorded once.
    sqlx::query!(
        "INSERT OR IGNORE INTO grant_versions (grant_arn, version, created_by, created_at, operation_id)
         VALUES (?, ?, ?, ?, ?)",
        grant_arn,
        version,
        created_by,
        created_at,
        operation_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn created(
    pool: &SqlitePool,
    grant_arn: &str,
) -> Result<Vec<CreatedVersion>, sqlx::Error> {
    sqlx::query_as!(
        CreatedVersion,
        "SELECT version, created_by, created_at FROM grant_versions WHERE grant_arn = ?",
        grant_arn
    )
    .fetch_all(pool)
    .await
}
