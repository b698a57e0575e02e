//! The SQL of drafts, reviews, decisions and versions: the only module that touches their
//! tables.

use lensgate_app::reviews::ReviewState;
use lensgate_postgres::reviews as pg;

pub use pg::{
    DecisionRow as DecisionRecord, NewVersion, RecentVersionRow as RecentVersionRecord,
    RevisionRow as RevisionRecord, VersionRow as VersionRecord,
};

use crate::db::{Conn, Database, parsed};

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

pub async fn insert_revision(
    conn: Conn<'_>,
    revision: &RevisionRecord,
) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => {
            pg::insert_revision(
                conn,
                &revision.lens_arn,
                &revision.json,
                &revision.imported_by,
                &revision.imported_at,
                &revision.operation_id,
            )
            .await
        }
    }
}

pub async fn latest_revision(
    db: &Database,
    lens_arn: &str,
) -> Result<Option<RevisionRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
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
        Database::Postgres(pool) => pg::latest_revision(pool, lens_arn).await,
    }
}

pub async fn revision(db: &Database, id: i64) -> Result<Option<RevisionRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
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
        Database::Postgres(pool) => pg::revision(pool, id).await,
    }
}

/// Closes the lens's reviews that still decide something; returns their ids.
pub async fn supersede_active(
    conn: Conn<'_>,
    lens_arn: &str,
    reason: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => pg::supersede_active(conn, lens_arn, reason).await,
    }
}

pub async fn insert_review(
    conn: Conn<'_>,
    lens_arn: &str,
    revision_id: i64,
    author: &str,
    note: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => {
            pg::insert_review(conn, lens_arn, revision_id, author, note, created_at).await
        }
    }
}

pub async fn review(db: &Database, id: i64) -> Result<Option<ReviewRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                ReviewRecord,
                r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
                   FROM reviews WHERE id = ?"#,
                id
            )
            .fetch_optional(pool)
            .await
        }
        Database::Postgres(pool) => pg::review(pool, id).await?.map(ReviewRecord::try_from).transpose(),
    }
}

/// The newest review of a revision.
pub async fn review_of_revision(
    db: &Database,
    revision_id: i64,
) -> Result<Option<ReviewRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                ReviewRecord,
                r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
                   FROM reviews WHERE revision_id = ? ORDER BY id DESC LIMIT 1"#,
                revision_id
            )
            .fetch_optional(pool)
            .await
        }
        Database::Postgres(pool) => pg::review_of_revision(pool, revision_id)
            .await?
            .map(ReviewRecord::try_from)
            .transpose(),
    }
}

/// Reviews that still decide something, oldest first.
pub async fn active_reviews(db: &Database) -> Result<Vec<ReviewRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                ReviewRecord,
                r#"SELECT id AS "id!: i64", lens_arn, revision_id, author, note, state AS "state: ReviewState", created_at, closed_reason
                   FROM reviews WHERE state IN ('open', 'approved', 'changes_requested') ORDER BY id"#
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::active_reviews(pool)
            .await?
            .into_iter()
            .map(ReviewRecord::try_from)
            .collect(),
    }
}

/// The ids of the open reviews `username` can still decide, oldest first.
pub async fn waiting_ids(db: &Database, username: &str) -> Result<Vec<i64>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
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
        Database::Postgres(pool) => pg::waiting_ids(pool, username).await,
    }
}

/// The newest versions published through lensgate, of any lens.
pub async fn recent_versions(
    db: &Database,
    limit: i64,
) -> Result<Vec<RecentVersionRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                RecentVersionRecord,
                r#"SELECT lens_arn, version_name, json, publisher, published_at, review_id AS "review_id!: i64"
                   FROM lens_versions ORDER BY id DESC LIMIT ?"#,
                limit
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::recent_versions(pool, limit).await,
    }
}

pub async fn decisions(db: &Database, review_id: i64) -> Result<Vec<DecisionRecord>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    decisions_in(conn.conn(), review_id).await
}

pub async fn decisions_in(
    conn: Conn<'_>,
    review_id: i64,
) -> Result<Vec<DecisionRecord>, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query_as!(
                DecisionRecord,
                "SELECT reviewer, decision, comment, decided_at FROM review_decisions WHERE review_id = ? ORDER BY id",
                review_id
            )
            .fetch_all(conn)
            .await
        }
        Conn::Postgres(conn) => pg::decisions(conn, review_id).await,
    }
}

pub async fn insert_decision(
    conn: Conn<'_>,
    review_id: i64,
    reviewer: &str,
    decision: &str,
    comment: &str,
    decided_at: &str,
) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => {
            pg::insert_decision(conn, review_id, reviewer, decision, comment, decided_at).await
        }
    }
}

/// Moves a review from one of `from` to `to`; false when it was no longer in one of them.
pub async fn set_state(
    conn: Conn<'_>,
    id: i64,
    from: &[ReviewState],
    to: ReviewState,
) -> Result<bool, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => {
            let from: Vec<String> = from.iter().map(|s| s.as_str().to_owned()).collect();
            pg::set_state(conn, id, &from, to.as_str()).await
        }
    }
}

/// Versions published through lensgate, newest first.
pub async fn versions(db: &Database, lens_arn: &str) -> Result<Vec<VersionRecord>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                VersionRecord,
                r#"SELECT version_name, is_major AS "is_major: bool", revision_id, review_id, json, author, approvers, publisher, published_at
                   FROM lens_versions WHERE lens_arn = ? ORDER BY id DESC"#,
                lens_arn
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::versions(pool, lens_arn).await,
    }
}

pub async fn insert_version(conn: Conn<'_>, version: &NewVersion<'_>) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
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
        Conn::Postgres(conn) => pg::insert_version(conn, version).await,
    }
}

impl TryFrom<pg::ReviewRow> for ReviewRecord {
    type Error = sqlx::Error;

    fn try_from(row: pg::ReviewRow) -> Result<Self, Self::Error> {
        Ok(ReviewRecord {
            state: parsed("reviews.state", &row.state, ReviewState::parse)?,
            id: row.id,
            lens_arn: row.lens_arn,
            revision_id: row.revision_id,
            author: row.author,
            note: row.note,
            created_at: row.created_at,
            closed_reason: row.closed_reason,
        })
    }
}
