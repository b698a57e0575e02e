//! The audit history's rows on PostgreSQL. The chain's rules (hashing, what breaks it) belong to
//! the server; this module reads and writes rows.

use futures_util::stream::BoxStream;
use sqlx::PgPool;

/// One stored audit event, column for column.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub target: String,
    pub phase: String,
    pub operation_id: String,
    pub idempotency_token: Option<String>,
    pub request: String,
    pub response: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub aws_request_id: Option<String>,
    pub attempts: Option<i64>,
    pub duration_ms: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

/// One signed checkpoint, as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckpointRow {
    pub seq: i64,
    pub hash: String,
    pub signed_at: String,
    pub key: String,
    pub signature: String,
}

/// The chain's newest event: its number and hash.
pub async fn head(pool: &PgPool) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query!("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| (r.seq, r.hash)))
}

/// The hash stored for event `seq`, if the database holds that event.
pub async fn event_hash(pool: &PgPool, seq: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT hash FROM audit_events WHERE seq = $1", seq)
        .fetch_optional(pool)
        .await
}

/// Up to `limit` events after `seq`, in chain order, one at a time.
pub fn events_after(
    pool: &PgPool,
    seq: i64,
    limit: i64,
) -> BoxStream<'_, Result<EventRow, sqlx::Error>> {
    sqlx::query_as!(
        EventRow,
        "SELECT seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id,
                attempts, duration_ms, prev_hash, hash
         FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        seq,
        limit
    )
    .fetch(pool)
}

/// Every checkpoint the database holds, oldest first.
pub async fn checkpoints(pool: &PgPool) -> Result<Vec<CheckpointRow>, sqlx::Error> {
    sqlx::query_as!(
        CheckpointRow,
        "SELECT seq, hash, signed_at, key, signature FROM audit_checkpoints ORDER BY id"
    )
    .fetch_all(pool)
    .await
}

/// The operations whose outcome is not written yet.
pub async fn open_operations(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM audit_open_operations"#)
        .fetch_one(pool)
        .await
}
