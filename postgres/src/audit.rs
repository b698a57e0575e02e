//! The audit history's rows on PostgreSQL. The chain's rules (hashing, what breaks it) belong to
//! the server; this module reads and writes rows.

use futures_util::stream::BoxStream;
use sqlx::{PgExecutor, PgPool};

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

/// The key of the advisory lock that lets one transaction at a time append to the chain,
/// whichever replica it runs on ("lensgate" in ASCII).
const CHAIN_LOCK: i64 = 0x6c65_6e73_6761_7465;

/// Waits until this transaction is the chain's only appender; the lock ends with the
/// transaction, committed or not.
pub async fn lock_chain(db: impl PgExecutor<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", CHAIN_LOCK)
        .execute(db)
        .await?;
    Ok(())
}

/// The chain's newest event, read inside the appending transaction.
pub async fn head_in(db: impl PgExecutor<'_>) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row = sqlx::query!("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| (r.seq, r.hash)))
}

pub async fn insert(db: impl PgExecutor<'_>, event: &EventRow) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, target, phase,
             operation_id, idempotency_token, request, response, error_code, error_message,
             aws_request_id, attempts, duration_ms, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        event.seq,
        event.occurred_at,
        event.actor,
        event.actor_role,
        event.action,
        event.target,
        event.phase,
        event.operation_id,
        event.idempotency_token,
        event.request,
        event.response,
        event.error_code,
        event.error_message,
        event.aws_request_id,
        event.attempts,
        event.duration_ms,
        event.prev_hash,
        event.hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The `requested` event of each operation whose outcome was never written, oldest first.
pub async fn unfinished(db: impl PgExecutor<'_>) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        "SELECT e.seq, e.occurred_at, e.actor, e.actor_role, e.action, e.target, e.phase,
                e.operation_id, e.idempotency_token, e.request, e.response, e.error_code,
                e.error_message, e.aws_request_id, e.attempts, e.duration_ms, e.prev_hash, e.hash
         FROM audit_open_operations AS o JOIN audit_events AS e ON e.seq = o.seq
         ORDER BY e.seq"
    )
    .fetch_all(db)
    .await
}

pub async fn failures_of(
    db: impl PgExecutor<'_>,
    actor: &str,
    since: &str,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        "SELECT seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id,
                attempts, duration_ms, prev_hash, hash
         FROM audit_events WHERE phase = 'failed' AND actor = $1 AND occurred_at >= $2
         ORDER BY seq DESC LIMIT $3",
        actor,
        since,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn for_target(
    db: impl PgExecutor<'_>,
    target: &str,
    limit: i64,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        "SELECT seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id,
                attempts, duration_ms, prev_hash, hash
         FROM audit_events WHERE target = $1 ORDER BY seq DESC LIMIT $2",
        target,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn operation_with_token(
    db: impl PgExecutor<'_>,
    token: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT operation_id FROM audit_events
         WHERE idempotency_token = $1 AND phase = 'requested' ORDER BY seq LIMIT 1",
        token
    )
    .fetch_optional(db)
    .await
}

/// The `requested` events' requests of these operations.
pub async fn requests_of(
    db: impl PgExecutor<'_>,
    operation_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT operation_id, request FROM audit_events
         WHERE phase = 'requested' AND operation_id = ANY($1)",
        operation_ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.operation_id, r.request))
        .collect())
}

pub async fn operation(
    db: impl PgExecutor<'_>,
    operation_id: &str,
) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        "SELECT seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id,
                attempts, duration_ms, prev_hash, hash
         FROM audit_events WHERE operation_id = $1 ORDER BY seq",
        operation_id
    )
    .fetch_all(db)
    .await
}

pub async fn event(db: impl PgExecutor<'_>, seq: i64) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        "SELECT seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
                idempotency_token, request, response, error_code, error_message, aws_request_id,
                attempts, duration_ms, prev_hash, hash
         FROM audit_events WHERE seq = $1",
        seq
    )
    .fetch_optional(db)
    .await
}

/// The newest event's `seq`, 0 for an empty history.
pub async fn newest(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT coalesce(max(seq), 0) AS "seq!" FROM audit_events"#)
        .fetch_one(db)
        .await
}

/// The distinct actions, one index seek per action rather than a scan.
pub async fn actions(db: impl PgExecutor<'_>) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"WITH RECURSIVE found(action) AS (
               SELECT min(action) FROM audit_events
               UNION ALL
               SELECT (SELECT min(action) FROM audit_events WHERE action > found.action)
               FROM found WHERE found.action IS NOT NULL
           )
           SELECT action AS "action!" FROM found WHERE action IS NOT NULL"#
    )
    .fetch_all(db)
    .await
}

pub async fn newest_checkpoint(db: impl PgExecutor<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT seq FROM audit_checkpoints ORDER BY id DESC LIMIT 1")
        .fetch_optional(db)
        .await
}

pub async fn insert_checkpoint(
    db: impl PgExecutor<'_>,
    checkpoint: &CheckpointRow,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_checkpoints (seq, hash, signed_at, key, signature) VALUES ($1, $2, $3, $4, $5)",
        checkpoint.seq,
        checkpoint.hash,
        checkpoint.signed_at,
        checkpoint.key,
        checkpoint.signature
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Holds operation `operation_id` for this connection unless another holds it; whether it is
/// held now. The lock is advisory, keyed by the operation id, so it can be taken before the
/// operation's first event exists; it lasts across the connection's transactions until
/// [`release_operation`], or until the connection of a server that died closes.
pub async fn hold_operation(
    db: impl PgExecutor<'_>,
    operation_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS "held!""#,
        operation_id
    )
    .fetch_one(db)
    .await
}

/// Lets `operation_id` go; whether this connection held it.
pub async fn release_operation(
    db: impl PgExecutor<'_>,
    operation_id: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS "released!""#,
        operation_id
    )
    .fetch_one(db)
    .await
}

/// Whether `operation_id` still waits for its outcome.
pub async fn is_open(db: impl PgExecutor<'_>, operation_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM audit_open_operations WHERE operation_id = $1) AS "open!""#,
        operation_id
    )
    .fetch_one(db)
    .await
}
