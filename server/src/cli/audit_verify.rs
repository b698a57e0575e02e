//! `lensgate audit verify --db FILE|postgres://…`: walks the hash chain, then compares it with the signed
//! checkpoints, so a history cut short is found as surely as an edited one.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use crate::{
    audit::{
        AuditLog, Verification,
        checkpoint::{
            Checkpoint, CheckpointFile, key,
            report::{self, Place},
            store,
        },
    },
    config::CheckpointPaths,
    db::{self, location::Location},
};

/// Prints how many events verify and what the checkpoints say; exits 1 on a broken chain,
/// events missing since a checkpoint, or a checkpoint the audit key did not sign.
pub async fn run(
    database: &Location,
    paths: &CheckpointPaths,
    public_key: Option<&Path>,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match database {
        Location::File(path) => {
            let audit = AuditLog::new(db::open(path).await?);
            let evidence = Evidence {
                file: Some(paths.file(database)),
                key: public_key.map_or_else(
                    || KeyFile::Private(paths.key(database)),
                    |p| KeyFile::Public(p.to_owned()),
                ),
                stored: store::all(audit.database()).await?,
                instance_id: audit.database().instance().await?.instance_id,
            };
            report(&audit, audit.verify().await?, evidence).await
        }
        Location::Postgres(url) => {
            let history = AuditLog::new(db::postgres::open(url).await?);
            // Nothing sits beside a URL: the key and the checkpoint file are where they are said to be.
            let key = match (public_key, &paths.audit_key) {
                (Some(public), _) => KeyFile::Public(public.to_owned()),
                (None, Some(private)) => KeyFile::Private(private.clone()),
                (None, None) => KeyFile::Unnamed,
            };
            let evidence = Evidence {
                file: paths
                    .checkpoint_dir
                    .as_ref()
                    .map(|folder| folder.join("lensgate-checkpoints.jsonl")),
                key,
                stored: store::all(history.database()).await?,
                instance_id: history.database().instance().await?.instance_id,
            };
            report(&history, history.verify().await?, evidence).await
        }
    }
}

/// What the chain is compared with.
struct Evidence {
    /// The append-only checkpoint file, when there is one to read.
    file: Option<PathBuf>,
    key: KeyFile,
    /// The database's own copy of the checkpoints.
    stored: Vec<Checkpoint>,
    instance_id: String,
}

enum KeyFile {
    Private(PathBuf),
    Public(PathBuf),
    Unnamed,
}

async fn report(
    chain: &AuditLog,
    verification: Verification,
    evidence: Evidence,
) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let chain_intact = match verification {
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

    let lines = match &evidence.file {
        Some(path) => CheckpointFile::new(path.clone()).read()?,
        None => None,
    };
    let checkpoints: Vec<_> = match lines {
        Some(lines) => lines
            .into_iter()
            .map(|line| (Place::Line(line.number), line.checkpoint))
            .collect(),
        None => {
            if !evidence.stored.is_empty() {
                match &evidence.file {
                    Some(path) => println!(
                        "the checkpoint file {} is missing: compared with the database's own copy of the checkpoints (point --checkpoint-dir at the file to compare with it)",
                        path.display()
                    ),
                    None => println!(
                        "compared with the database's own copy of the checkpoints (point --checkpoint-dir at the checkpoint file to compare with it)"
                    ),
                }
            }
            evidence
                .stored
                .into_iter()
                .map(|c| (Place::Database, c))
                .collect()
        }
    };
    let finding = if checkpoints.is_empty() {
        report::Finding::NoCheckpoints
    } else {
        let verifying_key = match &evidence.key {
            KeyFile::Public(path) => key::load_public(path)?,
            KeyFile::Private(path) => key::load(path)
                .map_err(|error| {
                    format!(
                        "{error}; or check the checkpoints with the public key alone (--public-key)"
                    )
                })?
                .verifying_key(),
            KeyFile::Unnamed => {
                return Err("the checkpoints are signed: name the key that checks them with --public-key (the .pub written beside the audit key) or --audit-key".into());
            }
        };
        report::compare(chain, &verifying_key, &evidence.instance_id, checkpoints).await?
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
