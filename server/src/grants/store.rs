//! The SQL of `grant_versions`: the only module that touches it.

use lensgate_postgres::records as pg;

use crate::db::Database;

pub use pg::CreatedVersionRow as CreatedVersion;

/// Who created a grant version through lensgate.
pub struct NewVersion<'a> {
    pub grant_arn: &'a str,
    pub version: &'a str,
    pub created_by: &'a str,
    pub created_at: &'a str,
    pub operation_id: &'a str,
}

pub async fn record(db: &Database, new: &NewVersion<'_>) -> Result<(), sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            // A resubmitted form answers with its first operation: the same version, recorded once.
            sqlx::query!(
                "INSERT OR IGNORE INTO grant_versions (grant_arn, version, created_by, created_at, operation_id)
         VALUES (?, ?, ?, ?, ?)",
                new.grant_arn,
                new.version,
                new.created_by,
                new.created_at,
                new.operation_id
            )
            .execute(pool)
            .await?;
            Ok(())
        }
        Database::Postgres(pool) => {
            pg::record_grant_version(
                pool,
                new.grant_arn,
                new.version,
                new.created_by,
                new.created_at,
                new.operation_id,
            )
            .await
        }
    }
}

pub async fn created(db: &Database, grant_arn: &str) -> Result<Vec<CreatedVersion>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                CreatedVersion,
                "SELECT version, created_by, created_at FROM grant_versions WHERE grant_arn = ?",
                grant_arn
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::grant_versions(pool, grant_arn).await,
    }
}
