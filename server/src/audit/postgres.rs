//! The audit history kept in PostgreSQL, walked with the same chain rules as SQLite's.

use futures_util::TryStreamExt as _;
use lensgate_postgres::{
    PgPool,
    audit::{self, CheckpointRow, EventRow},
};

use super::{Event, Position, StoredChain, Verification, broken_at, checkpoint::Checkpoint};

/// Events read per round trip while the chain is walked.
const WALK_BATCH: i64 = 5_000;

pub struct PgHistory {
    pool: PgPool,
}

impl PgHistory {
    pub fn new(pool: PgPool) -> Self {
        PgHistory { pool }
    }

    /// Walks the whole chain in order, in constant memory.
    pub async fn verify(&self) -> Result<Verification, sqlx::Error> {
        let mut reached = Position::genesis();
        loop {
            let mut batch = audit::events_after(&self.pool, reached.seq, WALK_BATCH);
            let mut walked = 0;
            while let Some(row) = batch.try_next().await? {
                walked += 1;
                let seq = row.seq;
                if let Err(reason) = reached.follow(Event::from(row)) {
                    return Ok(broken_at(&reached, seq, reason));
                }
            }
            if walked < WALK_BATCH {
                break;
            }
        }
        Ok(Verification::Intact {
            events: reached.seq as u64,
        })
    }

    /// Every checkpoint the database holds, oldest first.
    pub async fn checkpoints(&self) -> Result<Vec<Checkpoint>, sqlx::Error> {
        Ok(audit::checkpoints(&self.pool)
            .await?
            .into_iter()
            .map(|row: CheckpointRow| Checkpoint {
                seq: row.seq,
                hash: row.hash,
                signed_at: row.signed_at,
                key: row.key,
                signature: row.signature,
            })
            .collect())
    }

    /// The operations whose outcome is not written yet.
    pub async fn open_operations(&self) -> Result<i64, sqlx::Error> {
        audit::open_operations(&self.pool).await
    }
}

impl StoredChain for PgHistory {
    async fn head(&self) -> Result<Option<(i64, String)>, sqlx::Error> {
        audit::head(&self.pool).await
    }

    async fn event_hash(&self, seq: i64) -> Result<Option<String>, sqlx::Error> {
        audit::event_hash(&self.pool, seq).await
    }
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Self {
        Event {
            seq: row.seq,
            occurred_at: row.occurred_at,
            actor: row.actor,
            actor_role: row.actor_role,
            action: row.action,
            target: row.target,
            phase: row.phase,
            operation_id: row.operation_id,
            idempotency_token: row.idempotency_token,
            request: row.request,
            response: row.response,
            error_code: row.error_code,
            error_message: row.error_message,
            aws_request_id: row.aws_request_id,
            attempts: row.attempts,
            duration_ms: row.duration_ms,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}
