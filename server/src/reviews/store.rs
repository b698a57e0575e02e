//! The SQL of drafts, reviews, decisions and versions: the only module that touches their
//! tables.

use lensgate_app::reviews::ReviewState;
use sqlx::{SqliteConnection, SqlitePool};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RevisionRecord {
    pub id: i64,
    /// 1 for the lens's first import through lensgate, then 2, 3, …
    pub number: i64,
    pub lens_arn: String,
    pub json: String,
    pub imported_by: String,
    pub imported_at: String,
    pub operation_id: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRecord {
    pub id: i64,
    pub lens_arn: String,
    pub revision_id: i64,
    pub author: String,
    pub note: String,
    pub state: ReviewState,
    pub created_at: String,
    pub closed_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DecisionRecord {
    pub reviewer: String,
    pub decision: String,
    pub comment: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRecord {
    pub version_name: String,
    pub is_major: bool,
    pub revision_id: i64,
    pub review_id: i64,
    pub json: String,
    pub author: String,
    pub approvers: String,
    pub publisher: String,
    pub published_at: String,
}

pub struct NewVersion<'a> {
    pub lens_arn: &'a str,
    pub version_name: &'a str,
    pub is_major: bool,
    pub revision_id: i64,
    pub review_id: i64,
    pub json: &'a str,
    pub author: &'a str,
    pub approvers: &'a str,
    pub publisher: &'a str,
    pub published_at: &'a str,
    pub operation_id: &'a str,
}

pub async fn insert_revision(
    conn: &mut SqliteConnection,
    revision: &RevisionRecord,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query!(
        "INSERT INTO lens_revisions (lens_arn, json, imported_by, imported_at, operation_id) VALUES (?, ?, ?, ?, ?)",
        revision.lens_arn,
        revision.json,
        revision.imported_by,
        revision.imported_at,
        revision.operation_id
    )
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

pub async fn latest_revision(
    pool: &SqlitePool,
    lens_arn: &str,
) -> Result<Option<RevisionRecord>, sqlx::Error> {
    sqlx::query_as!(
        RevisionRecord,
        r#"SELECT id AS "id!: i64",
                  (SELECT COUNT(*) FROM lens_revisions AS p WHERE p.lens_arn = r.lens_arn AND p.id <= r.id) AS "number!: i64",
                  lens_arn, json, imported_by, imported_at, operation_id
           FROM lens_revisions AS r WHERE lens_arn = ? ORDER BY id DESC LIMIT 1"#,
        lens_arn
    )
    .fetch_optional(pool)
    .await
}

pub async fn revision(pool: &SqlitePool, id: i64) -> Result<Option<RevisionRecord>, sqlx::Error> {
    sqlx::query_as!(
        RevisionRecord,
        r#"SELECT id AS "id!: i64",
                  (SELECT COUNT(*) FROM lens_revisions AS p WHERE p.lens_arn = r.lens_arn AND p.id <= r.id) AS "number!: i64",
                  lens_arn, json, imported_by, imported_at, operation_id
           FROM lens_revisions AS r WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// Closes the lens's reviews that still decide something; returns their ids.
pub async fn supersede_active(
    conn: &mut SqliteConnection,
    lens_arn: &str,
    reason: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows = sqlx::query_scalar!(
        r#"UPDATE reviews SET state = 'superseded', closed_reason = ?
           WHERE lens_arn = ? AND state IN ('open', 'approved', 'changes_requested')
           RETURNING id AS "id!: i64""#,
        reason,
        lens_arn
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn insert_review(
    conn: &mut SqliteConnection,
    lens_arn: &str,
    revision_id: i64,
    author: &str,
    note: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query!(
        "INSERT INTO reviews (lens_arn, revision_id, author, note, state, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
        lens_arn,
        revision_id,
        author,
        note,
        created_at
    )
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

pub async fn review(pool: &SqlitePool, id: i64) -> Result<Option<ReviewRecord>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRecord,
        r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
           FROM reviews WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// The newest review of a revision.
pub async fn review_of_revision(
    pool: &SqlitePool,
    revision_id: i64,
) -> Result<Option<ReviewRecord>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRecord,
        r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
           FROM reviews WHERE revision_id = ? ORDER BY id DESC LIMIT 1"#,
        revision_id
    )
    .fetch_optional(pool)
    .await
}

/// Reviews that still decide something, oldest first.
pub async fn active_reviews(pool: &SqlitePool) -> Result<Vec<ReviewRecord>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRecord,
        r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
           FROM reviews WHERE state IN ('open', 'approved', 'changes_requested') ORDER BY id"#
    )
    .fetch_all(pool)
    .await
}

/// The ids of the open reviews `username` can still decide, oldest first.
pub async fn waiting_ids(pool: &SqlitePool, username: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT r.id AS "id!: i64" FROM reviews r
           WHERE r.state = 'open' AND r.author <> ?1
             AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.review_id = r.id AND d.reviewer = ?1)
           ORDER BY r.id"#,
        username
    )
    .fetch_all(pool)
    .await
}

/// The newest versions published through lensgate, of any lens.
pub async fn recent_versions(
    pool: &SqlitePool,
    limit: i64,
) -> Result<Vec<RecentVersionRecord>, sqlx::Error> {
    sqlx::query_as!(
        RecentVersionRecord,
        r#"SELECT lens_arn, version_name, json, publisher, published_at, review_id AS "review_id!: i64"
           FROM lens_versions ORDER BY id DESC LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await
}

pub struct RecentVersionRecord {
    pub lens_arn: String,
    pub version_name: String,
    pub json: String,
    pub publisher: String,
    pub published_at: String,
    pub review_id: i64,
}

pub async fn decisions<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    review_id: i64,
) -> Result<Vec<DecisionRecord>, sqlx::Error> {
    sqlx::query_as!(
        DecisionRecord,
        "SELECT reviewer, decision, comment, decided_at FROM review_decisions WHERE review_id = ? ORDER BY id",
        review_id
    )
    .fetch_all(executor)
    .await
}

pub async fn insert_decision(
    conn: &mut SqliteConnection,
    review_id: i64,
    reviewer: &str,
    decision: &str,
    comment: &str,
    decided_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO review_decisions (review_id, reviewer, decision, comment, decided_at) VALUES (?, ?, ?, ?, ?)",
        review_id,
        reviewer,
        decision,
        comment,
        decided_at
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a review from one of `from` to `to`; false when it was no longer in one of them.
pub async fn set_state(
    conn: &mut SqliteConnection,
    id: i64,
    from: &[ReviewState],
    to: ReviewState,
) -> Result<bool, sqlx::Error> {
    let from = from
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let changed = sqlx::query!(
        "UPDATE reviews SET state = ? WHERE id = ? AND instr(',' || ? || ',', ',' || state || ',') > 0",
        to,
        id,
        from
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Versions published through lensgate, newest first.
pub async fn versions(
    pool: &SqlitePool,
    lens_arn: &str,
) -> Result<Vec<VersionRecord>, sqlx::Error> {
    sqlx::query_as!(
        VersionRecord,
        r#"SELECT version_name, is_major AS "is_major: bool", revision_id, review_id, json, author, approvers, publisher, published_at
           FROM lens_versions WHERE lens_arn = ? ORDER BY id DESC"#,
        lens_arn
    )
    .fetch_all(pool)
    .await
}

pub async fn insert_version(
    conn: &mut SqliteConnection,
    version: &NewVersion<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO lens_versions (lens_arn, version_name, is_major, revision_id, review_id, json, author, approvers, publisher, published_at, operation_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        version.lens_arn,
        version.version_name,
        version.is_major,
        version.revision_id,
        version.review_id,
        version.json,
        version.author,
        version.approvers,
        version.publisher,
        version.published_at,
        version.operation_id
    )
    .execute(conn)
    .await?;
    Ok(())
}
