//! `lensgate audit verify --database FILE`: walks the hash chain and says whether it is intact.

use std::{path::Path, process::ExitCode};

use crate::{
    audit::{AuditLog, Verification},
    db,
};

/// Prints how many events verify; a broken chain names the first broken event and exits 1.
pub async fn run(database: &Path) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let audit = AuditLog::new(db::open(database).await?);
    match audit.verify().await? {
        Verification::Intact { events } => {
            println!("audit chain intact: {events} events verified");
            Ok(ExitCode::SUCCESS)
        }
        Verification::Broken {
            verified,
            seq,
            reason,
        } => {
            println!(
                "audit chain broken at event {seq}: {reason} ({verified} events verified before it)"
            );
            Err("the audit chain is broken".into())
        }
    }
}
