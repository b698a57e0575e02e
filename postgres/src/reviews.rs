//! Drafts (`lens_revisions`), `reviews`, `review_decisions`, `review_comments` and
//! `lens_versions` on PostgreSQL. Review states travel as their text; the server parses them.
//! Rows without a state are the server's own row types on both databases.

use sqlx::PgExecutor;

#[derive(Debug, Clone)]
pub struct RevisionRow {
    pub id: i64,
    /// 1 for the lens's first import through lensgate, then 2, 3, …
    pub number: i64,
    pub lens_arn: String,
    pub json: String,
    pub imported_by: String,
    pub imported_at: String,
    pub operation_id: String,
}

pub struct ReviewRow {
    pub id: i64,
    pub lens_arn: String,
    pub revision_id: i64,
    pub author: String,
    pub note: String,
    pub state: String,
    pub created_at: String,
    pub closed_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DecisionRow {
    pub reviewer: String,
    pub decision: String,
    pub comment: String,
    pub decided_at: String,
}

#[derive(Debug, Clone)]
pub struct VersionRow {
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

#[derive(Debug, Clone)]
pub struct RecentVersionRow {
    pub lens_arn: String,
    pub version_name: String,
    pub json: String,
    pub publisher: String,
    pub published_at: String,
    pub review_id: i64,
}

#[derive(Debug, Clone)]
pub struct CommentRow {
    pub id: i64,
    pub review_id: i64,
    pub place: String,
    pub place_title: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

pub async fn insert_revision(
    db: impl PgExecutor<'_>,
    lens_arn: &str,
    json: &str,
    imported_by: &str,
    imported_at: &str,
    operation_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO lens_revisions (lens_arn, json, imported_by, imported_at, operation_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        lens_arn,
        json,
        imported_by,
        imported_at,
        operation_id
    )
    .fetch_one(db)
    .await
}

pub async fn latest_revision(
    db: impl PgExecutor<'_>,
    lens_arn: &str,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as!(
        RevisionRow,
        r#"SELECT id, (SELECT count(*) FROM lens_revisions AS p WHERE p.lens_arn = r.lens_arn AND p.id <= r.id) AS "number!",
                  lens_arn, json, imported_by, imported_at, operation_id
           FROM lens_revisions AS r WHERE lens_arn = $1 ORDER BY id DESC LIMIT 1"#,
        lens_arn
    )
    .fetch_optional(db)
    .await
}

pub async fn revision(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<RevisionRow>, sqlx::Error> {
    sqlx::query_as!(
        RevisionRow,
        r#"SELECT id, (SELECT count(*) FROM lens_revisions AS p WHERE p.lens_arn = r.lens_arn AND p.id <= r.id) AS "number!",
                  lens_arn, json, imported_by, imported_at, operation_id
           FROM lens_revisions AS r WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn supersede_active(
    db: impl PgExecutor<'_>,
    lens_arn: &str,
    reason: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE reviews SET state = 'superseded', closed_reason = $1
         WHERE lens_arn = $2 AND state IN ('open', 'approved', 'changes_requested')
         RETURNING id",
        reason,
        lens_arn
    )
    .fetch_all(db)
    .await
}

pub async fn insert_review(
    db: impl PgExecutor<'_>,
    lens_arn: &str,
    revision_id: i64,
    author: &str,
    note: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO reviews (lens_arn, revision_id, author, note, state, created_at)
         VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
        lens_arn,
        revision_id,
        author,
        note,
        created_at
    )
    .fetch_one(db)
    .await
}

pub async fn review(db: impl PgExecutor<'_>, id: i64) -> Result<Option<ReviewRow>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRow,
        "SELECT id, lens_arn, revision_id, author, note, state, created_at, closed_reason
         FROM reviews WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn review_of_revision(
    db: impl PgExecutor<'_>,
    revision_id: i64,
) -> Result<Option<ReviewRow>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRow,
        "SELECT id, lens_arn, revision_id, author, note, state, created_at, closed_reason
         FROM reviews WHERE revision_id = $1 ORDER BY id DESC LIMIT 1",
        revision_id
    )
    .fetch_optional(db)
    .await
}

pub async fn active_reviews(db: impl PgExecutor<'_>) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as!(
        ReviewRow,
        "SELECT id, lens_arn, revision_id, author, note, state, created_at, closed_reason
         FROM reviews WHERE state IN ('open', 'approved', 'changes_requested') ORDER BY id"
    )
    .fetch_all(db)
    .await
}

pub async fn waiting_ids(db: impl PgExecutor<'_>, username: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT r.id FROM reviews r
         WHERE r.state = 'open' AND r.author <> $1
           AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.review_id = r.id AND d.reviewer = $1)
         ORDER BY r.id",
        username
    )
    .fetch_all(db)
    .await
}

pub async fn recent_versions(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<RecentVersionRow>, sqlx::Error> {
    sqlx::query_as!(
        RecentVersionRow,
        "SELECT lens_arn, version_name, json, publisher, published_at, review_id
         FROM lens_versions ORDER BY id DESC LIMIT $1",
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn decisions(
    db: impl PgExecutor<'_>,
    review_id: i64,
) -> Result<Vec<DecisionRow>, sqlx::Error> {
    sqlx::query_as!(
        DecisionRow,
        "SELECT reviewer, decision, comment, decided_at FROM review_decisions
         WHERE review_id = $1 ORDER BY id",
        review_id
    )
    .fetch_all(db)
    .await
}

pub async fn insert_decision(
    db: impl PgExecutor<'_>,
    review_id: i64,
    reviewer: &str,
    decision: &str,
    comment: &str,
    decided_at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO review_decisions (review_id, reviewer, decision, comment, decided_at)
         VALUES ($1, $2, $3, $4, $5)",
        review_id,
        reviewer,
        decision,
        comment,
        decided_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Moves a review from one of `from` to `to`; false when it was no longer in one of them.
pub async fn set_state(
    db: impl PgExecutor<'_>,
    id: i64,
    from: &[String],
    to: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE reviews SET state = $1 WHERE id = $2 AND state = ANY($3)",
        to,
        id,
        from
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn versions(
    db: impl PgExecutor<'_>,
    lens_arn: &str,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as!(
        VersionRow,
        "SELECT version_name, is_major, revision_id, review_id, json, author, approvers, publisher, published_at
         FROM lens_versions WHERE lens_arn = $1 ORDER BY id DESC",
        lens_arn
    )
    .fetch_all(db)
    .await
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

pub async fn insert_version(
    db: impl PgExecutor<'_>,
    version: &NewVersion<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO lens_versions (lens_arn, version_name, is_major, revision_id, review_id, json,
             author, approvers, publisher, published_at, operation_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
    .execute(db)
    .await?;
    Ok(())
}

pub struct NewComment<'a> {
    pub review_id: i64,
    pub place: &'a str,
    pub place_title: &'a str,
    pub author: &'a str,
    pub body: &'a str,
    pub at: &'a str,
}

pub async fn insert_comment(
    db: impl PgExecutor<'_>,
    comment: &NewComment<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO review_comments (review_id, place, place_title, author, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        comment.review_id,
        comment.place,
        comment.place_title,
        comment.author,
        comment.body,
        comment.at
    )
    .fetch_one(db)
    .await
}

pub async fn comment(db: impl PgExecutor<'_>, id: i64) -> Result<Option<CommentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommentRow,
        "SELECT id, review_id, place, place_title, author, body, created_at, resolved_by, resolved_at
         FROM review_comments WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn comments_of(
    db: impl PgExecutor<'_>,
    review_id: i64,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommentRow,
        "SELECT id, review_id, place, place_title, author, body, created_at, resolved_by, resolved_at
         FROM review_comments WHERE review_id = $1 ORDER BY id",
        review_id
    )
    .fetch_all(db)
    .await
}

pub async fn resolve_comment(
    db: impl PgExecutor<'_>,
    id: i64,
    by: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE review_comments SET resolved_by = $1, resolved_at = $2
         WHERE id = $3 AND resolved_by IS NULL",
        by,
        at,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
