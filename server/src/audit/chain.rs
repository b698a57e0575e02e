//! The chain hash: SHA-256 over the previous hash and the event's canonical serialisation.

use sha2::{Digest, Sha256};

use super::Event;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every stored field but the hash itself, in a fixed order, as one JSON array: the same event
/// always serialises to the same bytes, and no field can be moved into another unnoticed.
fn canonical(event: &Event) -> String {
    serde_json::json!([
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
    ])
    .to_string()
}

pub fn hash(event: &Event) -> String {
    let mut hasher = Sha256::new();
    hasher.update(event.prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical(event).as_bytes());
    hex::encode(hasher.finalize())
}

/// How far a walk of the chain has verified: the last event that followed, or the genesis.
#[derive(Debug, Clone)]
pub struct Position {
    pub seq: i64,
    pub hash: String,
}

impl Position {
    pub fn genesis() -> Self {
        Position {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }

    /// Checks that `event` is the next link after this position and moves onto it; otherwise
    /// says why not, as the audit page and `lensgate audit verify` report it.
    pub fn follow(&mut self, event: Event) -> Result<(), String> {
        let expected_seq = self.seq + 1;
        if event.seq != expected_seq {
            return Err(format!(
                "event {expected_seq} is missing: the chain jumps to event {}",
                event.seq
            ));
        }
        if event.prev_hash != self.hash {
            return Err(format!(
                "event {} does not follow event {}: an event before it was removed, replaced or reordered",
                event.seq,
                event.seq - 1
            ));
        }
        if hash(&event) != event.hash {
            return Err(format!(
                "event {} was changed after it was written",
                event.seq
            ));
        }
        *self = Position {
            seq: event.seq,
            hash: event.hash,
        };
        Ok(())
    }
}
