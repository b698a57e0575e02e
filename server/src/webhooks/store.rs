//! The `webhooks` and `webhook_deliveries` tables: all of their SQL.

use sqlx::{SqliteConnection, SqlitePool};

pub struct Endpoint {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub format: String,
    pub created_by: String,
    pub created_at: String,
}

pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub kind: String,
    pub created_at: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub delivered_at: Option<String>,
    pub abandoned_at: Option<String>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub last_response: Option<String>,
}

/// A delivery due now, with what sending it needs.
pub struct Due {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub created_at: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
    pub format: String,
}

pub async fn insert(
    conn: &mut SqliteConnection,
    url: &str,
    secret: &str,
    events: &str,
    format: &str,
    created_by: &str,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO webhooks (url, secret, events, format, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
        url,
        secret,
        events,
        format,
        created_by,
        created_at
    )
    .fetch_one(conn)
    .await
}

/// Marks the endpoint removed; its deliveries still pending are abandoned with it.
pub async fn remove(
    conn: &mut SqliteConnection,
    id: i64,
    at: &str,
) -> Result<Option<String>, sqlx::Error> {
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

pub async fn endpoints(pool: &SqlitePool) -> Result<Vec<Endpoint>, sqlx::Error> {
    sqlx::query_as!(
        Endpoint,
        r#"SELECT id AS "id!: i64", url, events, format, created_by, created_at
           FROM webhooks WHERE removed_at IS NULL ORDER BY id"#
    )
    .fetch_all(pool)
    .await
}

/// The newest deliveries of every endpoint still configured, `per_endpoint` each at most.
pub async fn recent_deliveries(
    pool: &SqlitePool,
    per_endpoint: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
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

/// Queues one delivery of announcement `seq` for every endpoint subscribed to `kind` now.
pub async fn queue(
    conn: &mut SqliteConnection,
    seq: i64,
    kind: &str,
    payload: &str,
    now: &str,
) -> Result<u64, sqlx::Error> {
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

pub async fn due(pool: &SqlitePool, now: &str, limit: i64) -> Result<Vec<Due>, sqlx::Error> {
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

pub async fn delivered(
    pool: &SqlitePool,
    id: i64,
    at: &str,
    status: i64,
    response: &str,
) -> Result<(), sqlx::Error> {
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

/// Records a failed attempt: retried at `next` or, when `next` is `None`, abandoned.
#[allow(clippy::too_many_arguments, reason = "one column each")]
pub async fn failed(
    pool: &SqlitePool,
    id: i64,
    at: &str,
    status: Option<i64>,
    response: Option<&str>,
    error: Option<&str>,
    next: Option<&str>,
) -> Result<(), sqlx::Error> {
    let abandoned = next.is_none().then_some(at);
    let next = next.unwrap_or(at);
    sqlx::query!(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_response = ?,
             last_error = ?, next_attempt_at = ?, abandoned_at = ?
         WHERE id = ?",
        status,
        response,
        error,
        next,
        abandoned,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}
