//! The `webhooks` and `webhook_deliveries` tables: all of their SQL, for either database.

use lensgate_postgres::webhooks as pg;

use crate::db::{Conn, Database};

pub use pg::{DeliveryRow, DueRow as Due, EndpointRow as Endpoint, NewEndpoint};

pub async fn insert(conn: Conn<'_>, endpoint: &NewEndpoint<'_>) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query_scalar!(
                r#"INSERT INTO webhooks (url, secret, events, format, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
                endpoint.url,
                endpoint.secret,
                endpoint.events,
                endpoint.format,
                endpoint.created_by,
                endpoint.created_at
            )
            .fetch_one(conn)
            .await
        }
        Conn::Postgres(conn) => pg::insert(conn, endpoint).await,
    }
}

/// Marks the endpoint removed; its deliveries still pending are abandoned with it.
pub async fn remove(conn: Conn<'_>, id: i64, at: &str) -> Result<Option<String>, sqlx::Error> {
    let conn = match conn {
        Conn::Sqlite(conn) => conn,
        Conn::Postgres(conn) => return pg::remove(conn, id, at).await,
    };
    let url = sqlx::query_scalar!(
        "UPDATE webhooks SET removed_at = ? WHERE id = ? AND removed_at IS NULL RETURNING url",
        at,
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if url.is_some() {
        sqlx::query!(
            "UPDATE webhook_deliveries SET abandoned_at = ?
             WHERE webhook_id = ? AND delivered_at IS NULL AND abandoned_at IS NULL",
            at,
            id
        )
        .execute(conn)
        .await?;
    }
    Ok(url)
}

pub async fn endpoints(db: &Database) -> Result<Vec<Endpoint>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                Endpoint,
                r#"SELECT id AS "id!: i64", url, events, format, created_by, created_at
           FROM webhooks WHERE removed_at IS NULL ORDER BY id"#
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::endpoints(pool).await,
    }
}

/// The newest deliveries of every endpoint still configured, `per_endpoint` each at most.
pub async fn recent_deliveries(
    db: &Database,
    per_endpoint: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                DeliveryRow,
                r#"SELECT id AS "id!: i64", webhook_id AS "webhook_id!: i64", kind, created_at,
                  attempts AS "attempts!: i64", next_attempt_at, delivered_at, abandoned_at,
                  last_status, last_error, last_response
           FROM (SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.webhook_id ORDER BY d.id DESC) AS n
                 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE w.removed_at IS NULL)
           WHERE n <= ? ORDER BY webhook_id, id DESC"#,
                per_endpoint
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::recent_deliveries(pool, per_endpoint).await,
    }
}

/// Queues one delivery of announcement `seq` for every endpoint subscribed to `kind` now.
pub async fn queue(
    conn: Conn<'_>,
    seq: i64,
    kind: &str,
    payload: &str,
    now: &str,
) -> Result<u64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            let done = sqlx::query!(
                "INSERT OR IGNORE INTO webhook_deliveries (webhook_id, seq, kind, payload, created_at, next_attempt_at)
         SELECT id, ?1, ?2, ?3, ?4, ?4 FROM webhooks
         WHERE removed_at IS NULL AND (',' || events || ',') LIKE ('%,' || ?2 || ',%')",
                seq,
                kind,
                payload,
                now
            )
            .execute(conn)
            .await?;
            Ok(done.rows_affected())
        }
        Conn::Postgres(conn) => pg::queue(conn, seq, kind, payload, now).await,
    }
}

/// Deliveries due at `now`, at most `limit`. On PostgreSQL they are taken for this replica
/// until `lease_until` (see `take_due`); SQLite has one server, which needs no lease.
pub async fn due(
    db: &Database,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<Due>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query_as!(
                Due,
                r#"SELECT d.id AS "id!: i64", d.kind, d.payload, d.created_at, d.attempts AS "attempts!: i64",
                  w.url, w.secret, w.format
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.next_attempt_at <= ?
           ORDER BY d.next_attempt_at, d.id LIMIT ?"#,
                now,
                limit
            )
            .fetch_all(pool)
            .await
        }
        Database::Postgres(pool) => pg::take_due(pool, now, lease_until, limit).await,
    }
}

pub async fn delivered(
    db: &Database,
    id: i64,
    at: &str,
    status: i64,
    response: &str,
) -> Result<(), sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            sqlx::query!(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = ?, last_status = ?,
             last_response = ?, last_error = NULL
         WHERE id = ?",
                at,
                status,
                response,
                id
            )
            .execute(pool)
            .await?;
            Ok(())
        }
        Database::Postgres(pool) => pg::delivered(pool, id, at, status, response).await,
    }
}

/// A failed attempt: retried at `next` or, when `next` is `None`, abandoned.
pub struct Failure<'a> {
    pub at: &'a str,
    pub status: Option<i64>,
    pub response: Option<&'a str>,
    pub error: Option<&'a str>,
    pub next: Option<&'a str>,
}

pub async fn failed(db: &Database, id: i64, failure: &Failure<'_>) -> Result<(), sqlx::Error> {
    let abandoned = failure.next.is_none().then_some(failure.at);
    let next = failure.next.unwrap_or(failure.at);
    match db {
        Database::Sqlite(pool) => {
            sqlx::query!(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_response = ?,
             last_error = ?, next_attempt_at = ?, abandoned_at = ?
         WHERE id = ?",
                failure.status,
                failure.response,
                failure.error,
                next,
                abandoned,
                id
            )
            .execute(pool)
            .await?;
            Ok(())
        }
        Database::Postgres(pool) => {
            let attempt = pg::FailedAttempt {
                at: failure.at,
                status: failure.status,
                response: failure.response,
                error: failure.error,
                next,
                abandoned,
            };
            pg::failed(pool, id, &attempt).await
        }
    }
}
