//! Checkpoint rows as the PostgreSQL store reads and writes them.

use lensgate_postgres::audit::CheckpointRow;

use super::checkpoint::Checkpoint;

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
