//! Signed checkpoints of the audit chain, after CloudTrail's digest files.
//!
//! The hash chain finds an edited, deleted or reordered event, but not a history cut short: drop
//! the newest events and what is left is still a valid chain. So every so often lensgate signs
//! the chain's head (event number, hash, time, this installation's id) with an Ed25519 key kept
//! outside the database, and writes the checkpoint twice: into the database and onto an
//! append-only file that may live on another disk. `lensgate audit verify` then knows how long
//! the history was at each checkpoint.

pub mod file;
pub mod key;
pub mod report;

use std::{sync::Arc, time::Duration};

use super::AuditLog;
use crate::timestamp;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};

pub use file::CheckpointFile;

/// One signed statement: "at `signed_at` the chain ended at event `seq`, whose hash is `hash`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub signed_at: String,
    /// The public key that signed, in hex: a checkpoint signed by another key is named as such.
    pub key: String,
    pub signature: String,
}

impl Checkpoint {
    /// The bytes signed. The installation's id binds a checkpoint to its own database: one
    /// copied from another installation does not verify here.
    fn message(instance_id: &str, seq: i64, hash: &str, signed_at: &str) -> String {
        format!(
            "lensgate audit checkpoint v1\ninstance {instance_id}\nevent {seq}\nhash {hash}\nsigned at {signed_at}\n"
        )
    }

    pub fn sign(key: &SigningKey, instance_id: &str, seq: i64, hash: &str) -> Self {
        let signed_at = timestamp::now();
        let signature = key.sign(Self::message(instance_id, seq, hash, &signed_at).as_bytes());
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            signed_at,
            key: key::key_id(&key.verifying_key()),
            signature: hex::encode(signature.to_bytes()),
        }
    }

    /// Whether `key` signed exactly this checkpoint for this installation.
    pub fn is_signed_by(&self, key: &VerifyingKey, instance_id: &str) -> bool {
        let Ok(bytes) = hex::decode(&self.signature) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&bytes) else {
            return false;
        };
        key.verify(
            Self::message(instance_id, self.seq, &self.hash, &self.signed_at).as_bytes(),
            &signature,
        )
        .is_ok()
    }
}

/// When to sign: after this many new events, or this long after the last checkpoint when any
/// event came since.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub every_events: i64,
    pub every: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error(transparent)]
    File(#[from] file::FileError),
    #[error("the database could not be read or written: {0}")]
    Database(#[from] sqlx::Error),
}

/// Signs checkpoints for one database while the server runs.
pub struct Checkpointer {
    audit: Arc<AuditLog>,
    key: SigningKey,
    instance_id: String,
    file: CheckpointFile,
    policy: Policy,
}

impl Checkpointer {
    pub async fn new(
        audit: Arc<AuditLog>,
        key: SigningKey,
        file: CheckpointFile,
        policy: Policy,
    ) -> Result<Self, CheckpointError> {
        file.check_writable()?;
        let instance_id = audit.database().instance().await?.instance_id;
        Ok(Checkpointer {
            audit,
            key,
            instance_id,
            file,
            policy,
        })
    }

    pub fn file(&self) -> &CheckpointFile {
        &self.file
    }

    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// Signs the chain's head unless the newest checkpoint already names it; the database's
    /// copy is written first, so a checkpoint in the file is always one the database had.
    pub async fn sign_head(&self) -> Result<Option<Checkpoint>, CheckpointError> {
        let Some((seq, hash)) = self.audit.head().await? else {
            return Ok(None);
        };
        let db = self.audit.database();
        if store::newest_seq(db).await? == Some(seq) {
            return Ok(None);
        }
        let checkpoint = Checkpoint::sign(&self.key, &self.instance_id, seq, &hash);
        store::insert(db, &checkpoint).await?;
        self.file.append(&checkpoint)?;
        metrics::counter!("lensgate_audit_checkpoints_total").increment(1);
        tracing::debug!(seq, "audit checkpoint signed");
        Ok(Some(checkpoint))
    }

    /// Signs whenever the policy says, until `stop` completes; then signs the head once more,
    /// so a clean shutdown leaves a checkpoint naming the last event.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let mut head = self.audit.watch_head();
        let mut signed_at = tokio::time::Instant::now();
        let mut last = store::newest_seq(self.audit.database())
            .await
            .ok()
            .flatten()
            .unwrap_or(0);
        tokio::pin!(stop);
        loop {
            let due = signed_at + self.policy.every;
            tokio::select! {
                () = &mut stop => break,
                changed = head.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    if *head.borrow_and_update() - last < self.policy.every_events {
                        continue;
                    }
                }
                () = tokio::time::sleep_until(due) => {}
            }
            signed_at = tokio::time::Instant::now();
            match self.sign_head().await {
                Ok(Some(checkpoint)) => last = checkpoint.seq,
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "the audit checkpoint could not be written"),
            }
        }
        if let Err(error) = self.sign_head().await {
            tracing::error!(%error, "the audit checkpoint at shutdown could not be written");
        }
    }
}

/// The `audit_checkpoints` table: the database's copy of every checkpoint.
pub mod store {
    use lensgate_postgres::audit as pg;

    use super::Checkpoint;
    use crate::db::Database;

    pub async fn newest_seq(db: &Database) -> Result<Option<i64>, sqlx::Error> {
        match db {
            Database::Sqlite(pool) => {
                sqlx::query_scalar!(
                    r#"SELECT seq AS "seq!: i64" FROM audit_checkpoints ORDER BY id DESC LIMIT 1"#
                )
                .fetch_optional(pool)
                .await
            }
            Database::Postgres(pool) => pg::newest_checkpoint(pool).await,
        }
    }

    pub async fn insert(db: &Database, checkpoint: &Checkpoint) -> Result<(), sqlx::Error> {
        match db {
            Database::Sqlite(pool) => {
                sqlx::query!(
                    "INSERT INTO audit_checkpoints (seq, hash, signed_at, key, signature) VALUES (?, ?, ?, ?, ?)",
                    checkpoint.seq,
                    checkpoint.hash,
                    checkpoint.signed_at,
                    checkpoint.key,
                    checkpoint.signature
                )
                .execute(pool)
                .await?;
                Ok(())
            }
            Database::Postgres(pool) => pg::insert_checkpoint(pool, &checkpoint.into()).await,
        }
    }

    /// Every checkpoint the database holds, oldest first.
    pub async fn all(db: &Database) -> Result<Vec<Checkpoint>, sqlx::Error> {
        match db {
            Database::Sqlite(pool) => {
                sqlx::query_as!(
                    Checkpoint,
                    r#"SELECT seq AS "seq!: i64", hash, signed_at, key, signature FROM audit_checkpoints ORDER BY id"#
                )
                .fetch_all(pool)
                .await
            }
            Database::Postgres(pool) => Ok(pg::checkpoints(pool)
                .await?
                .into_iter()
                .map(Checkpoint::from)
                .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_unchanged_with_its_key_and_installation() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let checkpoint = Checkpoint::sign(&key, "instance-a", 42, "abc");
        assert!(checkpoint.is_signed_by(&key.verifying_key(), "instance-a"));
        assert!(!checkpoint.is_signed_by(&key.verifying_key(), "instance-b"));
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(!checkpoint.is_signed_by(&other.verifying_key(), "instance-a"));
        let moved = Checkpoint {
            seq: 41,
            ..checkpoint
        };
        assert!(!moved.is_signed_by(&key.verifying_key(), "instance-a"));
    }
}
