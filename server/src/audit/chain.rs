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
