//! `webhooks`, `webhook_deliveries` and the `audit_outbox` they are fed from, on PostgreSQL.
//! The row types are the server's on both databases.

use sqlx::PgExecutor;

pub struct EndpointRow {
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

pub struct DueRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub created_at: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
    pub format: String,
}

pub struct NewEndpoint<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a str,
    pub format: &'a str,
    pub created_by: &'a str,
    pub created_at: &'a str,
}

pub async fn insert(
    db: impl PgExecutor<'_>,
    endpoint: &NewEndpoint<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO webhooks (url, secret, events, format, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        endpoint.url,
        endpoint.secret,
        endpoint.events,
        endpoint.format,
        endpoint.created_by,
        endpoint.created_at
    )
    .fetch_one(db)
    .await
}

/// Marks the endpoint removed and abandons its pending deliveries, in one statement.
pub async fn remove(
    db: impl PgExecutor<'_>,
    id: i64,
    at: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"WITH removed AS (
               UPDATE webhooks SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL RETURNING url
           ), abandoned AS (
               UPDATE webhook_deliveries SET abandoned_at = $1
               WHERE webhook_id = $2 AND delivered_at IS NULL AND abandoned_at IS NULL
                 AND EXISTS (SELECT 1 FROM removed)
           )
           SELECT url AS "url!" FROM removed"#,
        at,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn endpoints(db: impl PgExecutor<'_>) -> Result<Vec<EndpointRow>, sqlx::Error> {
    sqlx::query_as!(
        EndpointRow,
        "SELECT id, url, events, format, created_by, created_at
         FROM webhooks WHERE removed_at IS NULL ORDER BY id"
    )
    .fetch_all(db)
    .await
}

pub async fn recent_deliveries(
    db: impl PgExecutor<'_>,
    per_endpoint: i64,
) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as!(
        DeliveryRow,
        r#"SELECT id AS "id!", webhook_id AS "webhook_id!", kind AS "kind!", created_at AS "created_at!",
                  attempts AS "attempts!", next_attempt_at AS "next_attempt_at!", delivered_at,
                  abandoned_at, last_status, last_error, last_response
           FROM (SELECT d.*, row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.id DESC) AS n
                 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE w.removed_at IS NULL) AS recent
           WHERE n <= $1 ORDER BY webhook_id, id DESC"#,
        per_endpoint
    )
    .fetch_all(db)
    .await
}

/// Queues one delivery of announcement `seq` for every endpoint subscribed to `kind` now.
pub async fn queue(
    db: impl PgExecutor<'_>,
    seq: i64,
    kind: &str,
    payload: &str,
    now: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO webhook_deliveries (webhook_id, seq, kind, payload, created_at, next_attempt_at)
         SELECT id, $1, $2, $3, $4, $4 FROM webhooks
         WHERE removed_at IS NULL AND $2 = ANY(string_to_array(events, ','))
         ON CONFLICT DO NOTHING",
        seq,
        kind,
        payload,
        now
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Takes up to `limit` deliveries due at `now` for this replica: each is due again only at
/// `lease_until`, unless its attempt is recorded first, so other replicas leave it alone while
/// it is sent, and take it up again if this one stopped.
pub async fn take_due(
    db: impl PgExecutor<'_>,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    sqlx::query_as!(
        DueRow,
        r#"WITH due AS (
               SELECT id FROM webhook_deliveries
               WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $1
               ORDER BY next_attempt_at, id LIMIT $3
               FOR UPDATE SKIP LOCKED
           ), taken AS (
               UPDATE webhook_deliveries AS d SET next_attempt_at = $2
               FROM due WHERE d.id = due.id
               RETURNING d.id, d.kind, d.payload, d.created_at, d.attempts, d.webhook_id
           )
           SELECT t.id AS "id!", t.kind AS "kind!", t.payload AS "payload!",
                  t.created_at AS "created_at!", t.attempts AS "attempts!", w.url, w.secret, w.format
           FROM taken t JOIN webhooks w ON w.id = t.webhook_id
           ORDER BY t.id"#,
        now,
        lease_until,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn delivered(
    db: impl PgExecutor<'_>,
    id: i64,
    at: &str,
    status: i64,
    response: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $1, last_status = $2,
             last_response = $3, last_error = NULL
         WHERE id = $4",
        at,
        status,
        response,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct FailedAttempt<'a> {
    pub at: &'a str,
    pub status: Option<i64>,
    pub response: Option<&'a str>,
    pub error: Option<&'a str>,
    pub next: &'a str,
    pub abandoned: Option<&'a str>,
}

pub async fn failed(
    db: impl PgExecutor<'_>,
    id: i64,
    attempt: &FailedAttempt<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $1, last_response = $2,
             last_error = $3, next_attempt_at = $4, abandoned_at = $5
         WHERE id = $6",
        attempt.status,
        attempt.response,
        attempt.error,
        attempt.next,
        attempt.abandoned,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn announce(
    db: impl PgExecutor<'_>,
    seq: i64,
    kind: &str,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_outbox (seq, kind, payload) VALUES ($1, $2, $3)",
        seq,
        kind,
        payload
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct AnnouncementRow {
    pub seq: i64,
    pub kind: String,
    pub payload: String,
}

pub async fn waiting(
    db: impl PgExecutor<'_>,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, sqlx::Error> {
    sqlx::query_as!(
        AnnouncementRow,
        "SELECT seq, kind, payload FROM audit_outbox WHERE NOT fanned_out ORDER BY seq LIMIT $1",
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn fanned_out(db: impl PgExecutor<'_>, seq: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE audit_outbox SET fanned_out = TRUE WHERE seq = $1",
        seq
    )
    .execute(db)
    .await?;
    Ok(())
}
