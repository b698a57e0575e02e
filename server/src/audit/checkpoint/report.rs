//! What the signed checkpoints say about the history the database holds now.

use std::fmt;

use ed25519_dalek::VerifyingKey;

use super::{Checkpoint, key::key_id};
use crate::audit::AuditLog;

/// Where a checkpoint was read: a line of the checkpoint file, or the database's own copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Line(usize),
    Database,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(number) => write!(f, "line {number} of the checkpoint file"),
            Place::Database => f.write_str("the database's copy"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Nothing was signed yet: only the chain itself could be checked.
    NoCheckpoints,
    /// Every checkpoint names an event the database holds, with the same hash.
    Covered { newest: Checkpoint, after: i64 },
    Forged {
        place: Place,
        checkpoint: Checkpoint,
    },
    OtherKey {
        place: Place,
        checkpoint: Checkpoint,
        expected: String,
    },
    /// The database ends before an event a checkpoint names: the newest events were removed.
    Missing {
        checkpoint: Checkpoint,
        ends_at: i64,
    },
    /// The database holds the event a checkpoint names, with another hash.
    Rewritten { checkpoint: Checkpoint },
}

impl Finding {
    pub fn is_sound(&self) -> bool {
        matches!(self, Finding::NoCheckpoints | Finding::Covered { .. })
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::NoCheckpoints => f.write_str(
                "no signed checkpoint yet: the chain was checked, but not whether its newest events were removed",
            ),
            Finding::Covered { newest, after } => write!(
                f,
                "{after} events after the last checkpoint (event {}, signed {})",
                newest.seq, newest.signed_at
            ),
            Finding::Forged { place, checkpoint } => write!(
                f,
                "forged checkpoint: the one on {place} (event {}, {}) does not carry a valid signature by the audit key; it was written or altered by someone else",
                checkpoint.seq, checkpoint.signed_at
            ),
            Finding::OtherKey {
                place,
                checkpoint,
                expected,
            } => write!(
                f,
                "the checkpoint on {place} (event {}, {}) names another signing key ({}) than this installation's ({expected}); check --audit-key / --public-key",
                checkpoint.seq,
                checkpoint.signed_at,
                checkpoint.key
            ),
            Finding::Missing {
                checkpoint,
                ends_at,
            } => write!(
                f,
                "events missing: the checkpoint of {} names event {}, the database ends at {ends_at}",
                checkpoint.signed_at, checkpoint.seq
            ),
            Finding::Rewritten { checkpoint } => write!(
                f,
                "history rewritten: event {} is not the one the checkpoint of {} signed",
                checkpoint.seq, checkpoint.signed_at
            ),
        }
    }
}

/// Checks `checkpoints` (as written, oldest first) against the database: every signature, then
/// that the database reaches the furthest event any of them names, then that each named event
/// is still the one signed.
pub async fn compare(
    audit: &AuditLog,
    key: &VerifyingKey,
    instance_id: &str,
    checkpoints: Vec<(Place, Checkpoint)>,
) -> Result<Finding, sqlx::Error> {
    let expected = key_id(key);
    for (place, checkpoint) in &checkpoints {
        if checkpoint.key != expected {
            return Ok(Finding::OtherKey {
                place: place.clone(),
                checkpoint: checkpoint.clone(),
                expected,
            });
        }
        if !checkpoint.is_signed_by(key, instance_id) {
            return Ok(Finding::Forged {
                place: place.clone(),
                checkpoint: checkpoint.clone(),
            });
        }
    }
    let Some(furthest) = checkpoints.iter().map(|(_, c)| c).max_by_key(|c| c.seq) else {
        return Ok(Finding::NoCheckpoints);
    };
    let ends_at = audit.head().await?.map_or(0, |(seq, _)| seq);
    if furthest.seq > ends_at {
        return Ok(Finding::Missing {
            checkpoint: furthest.clone(),
            ends_at,
        });
    }
    for (_, checkpoint) in &checkpoints {
        if audit.event_hash(checkpoint.seq).await?.as_deref() != Some(&checkpoint.hash) {
            return Ok(Finding::Rewritten {
                checkpoint: checkpoint.clone(),
            });
        }
    }
    Ok(Finding::Covered {
        after: ends_at - furthest.seq,
        newest: furthest.clone(),
    })
}
