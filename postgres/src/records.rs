//! `grant_versions` and `shares` on PostgreSQL: who made a grant version or a share through
//! lensgate, and when.

use sqlx::PgExecutor;

#[derive(Debug, Clone)]
pub struct CreatedVersionRow {
    pub version: String,
    pub created_by: String,
    pub created_at: String,
}

/// A resubmitted form answers with its first operation: the same version, recorded once.
pub async fn record_grant_version(
    db: impl PgExecutor<'_>,
    grant_arn: &str,
    version: &str,
    created_by: &str,
    created_at: &str,
    operation_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO grant_versions (grant_arn, version, created_by, created_at, operation_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        grant_arn,
        version,
        created_by,
        created_at,
        operation_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn grant_versions(
    db: impl PgExecutor<'_>,
    grant_arn: &str,
) -> Result<Vec<CreatedVersionRow>, sqlx::Error> {
    sqlx::query_as!(
        CreatedVersionRow,
        "SELECT version, created_by, created_at FROM grant_versions WHERE grant_arn = $1",
        grant_arn
    )
    .fetch_all(db)
    .await
}

pub struct NewShare<'a> {
    pub share_id: &'a str,
    pub resource: &'a str,
    pub shared_with: &'a str,
    pub shared_by: &'a str,
    pub shared_at: &'a str,
    pub operation_id: &'a str,
}

pub async fn record_share(
    db: impl PgExecutor<'_>,
    share: &NewShare<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO shares (share_id, resource, shared_with, shared_by, shared_at, operation_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        share.share_id,
        share.resource,
        share.shared_with,
        share.shared_by,
        share.shared_at,
        share.operation_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Share id and time of each share of `resource` made through lensgate.
pub async fn shares_of(
    db: impl PgExecutor<'_>,
    resource: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT share_id, shared_at FROM shares WHERE resource = $1",
        resource
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.share_id, r.shared_at))
        .collect())
}

pub struct RecentShareRow {
    pub resource: String,
    pub shared_with: String,
    pub shared_by: String,
    pub shared_at: String,
}

pub async fn recent_shares(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<RecentShareRow>, sqlx::Error> {
    sqlx::query_as!(
        RecentShareRow,
        "SELECT resource, shared_with, shared_by, shared_at FROM shares ORDER BY shared_at DESC LIMIT $1",
        limit
    )
    .fetch_all(db)
    .await
}
