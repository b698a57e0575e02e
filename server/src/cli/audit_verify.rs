//! `lensgate audit verify --db FILE`: walks the hash chain, then compares it with the signed
//! checkpoints, so a history cut short is found as surely as an edited one.

use std::{path::Path, process::ExitCode};

use crate::{
    audit::{
        AuditLog, Verification,
        checkpoint::{
            CheckpointFile, key,
            report::{self, Place},
            store,
        },
    },
    config::CheckpointPaths,
    db,
};

/// Prints how many events verify and what the checkpoints say; exits 1 on a broken chain,
/// events missing since a checkpoint, or a checkpoint the audit key did not sign.
pub async fn run(
    database: &Path,
    paths: &CheckpointPaths,
    public_key: Option<&Path>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let audit = AuditLog::new(db::open(database).await?);
    let chain_intact = match audit.verify().await? {
        Verification::Intact { events } => {
            println!("audit chain intact: {events} events verified");
            true
        }
        Verification::Broken {
            verified,
            seq,
            reason,
        } => {
            println!(
                "audit chain broken at event {seq}: {reason} ({verified} events verified before it)"
            );
            false
        }
    };

    let file = CheckpointFile::new(paths.file(database));
    let checkpoints: Vec<_> = match file.read()? {
        Some(lines) => lines
            .into_iter()
            .map(|line| (Place::Line(line.number), line.checkpoint))
            .collect(),
        None => {
            let stored = store::all(audit.pool()).await?;
            if !stored.is_empty() {
                println!(
                    "the checkpoint file {} is missing: compared with the database's own copy of the checkpoints (point --checkpoint-dir at the file to compare with it)",
                    file.path().display()
                );
            }
            stored.into_iter().map(|c| (Place::Database, c)).collect()
        }
    };
    let finding = if checkpoints.is_empty() {
        report::Finding::NoCheckpoints
    } else {
        let verifying_key = match public_key {
            Some(path) => key::load_public(path)?,
            None => key::load(&paths.key(database))
                .map_err(|error| {
                    format!(
                        "{error}; or check the checkpoints with the public key alone (--public-key)"
                    )
                })?
                .verifying_key(),
        };
        let instance_id = db::instance(audit.pool()).await?.instance_id;
        report::compare(&audit, &verifying_key, &instance_id, checkpoints).await?
    };
    println!("{finding}");

    if chain_intact && finding.is_sound() {
        Ok(ExitCode::SUCCESS)
    } else if chain_intact {
        Err("the audit history does not match its signed checkpoints".into())
    } else {
        Err("the audit chain is broken".into())
    }
}
