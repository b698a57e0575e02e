//! Audit rows as the PostgreSQL store reads and writes them.

use lensgate_postgres::audit::{CheckpointRow, EventRow};

use super::{Event, checkpoint::Checkpoint};

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

impl From<Event> for EventRow {
    fn from(event: Event) -> Self {
        EventRow {
            seq: event.seq,
            occurred_at: event.occurred_at,
            actor: event.actor,
            actor_role: event.actor_role,
            action: event.action,
            target: event.target,
            phase: event.phase,
            operation_id: event.operation_id,
            idempotency_token: event.idempotency_token,
            request: event.request,
            response: event.response,
            error_code: event.error_code,
            error_message: event.error_message,
            aws_request_id: event.aws_request_id,
            attempts: event.attempts,
            duration_ms: event.duration_ms,
            prev_hash: event.prev_hash,
            hash: event.hash,
        }
    }
}

impl From<CheckpointRow> for Checkpoint {
    fn from(row: CheckpointRow) -> Self {
        Checkpoint {
            seq: row.seq,
            hash: row.hash,
            signed_at: row.signed_at,
            key: row.key,
            signature: row.signature,
        }
    }
}

impl From<&Checkpoint> for CheckpointRow {
    fn from(checkpoint: &Checkpoint) -> Self {
        CheckpointRow {
            seq: checkpoint.seq,
            hash: checkpoint.hash.clone(),
            signed_at: checkpoint.signed_at.clone(),
            key: checkpoint.key.clone(),
            signature: checkpoint.signature.clone(),
        }
    }
}
