//! `lensgate migrate --from lensgate.db --to postgres://…`: copies a SQLite installation into an
//! empty PostgreSQL database. Every table goes over in one PostgreSQL transaction, read from one
//! SQLite snapshot, and the audit chain must verify on both sides with the same newest event:
//! a copy that fails or does not match leaves the target as empty as it was.

use std::{path::Path, process::ExitCode};

use futures_util::TryStreamExt as _;
use lensgate_postgres::copy::{self, Copy, TABLES};
use sqlx::Row as _;

use crate::{
    audit::{AuditLog, Verification},
    db::{self, location::PostgresUrl},
};

type CliResult = Result<ExitCode, Box<dyn std::error::Error>>;

pub async fn run(from: &Path, to: &PostgresUrl) -> CliResult {
    if !from.is_file() {
        return Err(format!(
            "{} does not exist: name the lensgate database to copy with --from",
            from.display()
        )
        .into());
    }
    let source = db::open_existing(from).await?;
    let newest = db::MIGRATOR.iter().map(|m| m.version).max();
    let version = db::schema_version(&source).await?;
    if version != newest {
        return Err(format!(
            "{} has schema {} and this lensgate writes schema {}: start this version of lensgate on it once (it brings the file up to date), stop it, then migrate",
            from.display(),
            version.map_or_else(|| "none".to_owned(), |v| v.to_string()),
            newest.unwrap_or_default()
        )
        .into());
    }
    let audit = AuditLog::new(source.clone());
    let events = match audit.verify().await? {
        Verification::Intact { events } => events,
        Verification::Broken { seq, reason, .. } => {
            return Err(format!(
                "the audit chain of {} is broken at event {seq}: {reason}. Only an intact history is copied (lensgate audit verify --db {} tells more)",
                from.display(),
                from.display()
            )
            .into());
        }
    };
    println!("{}: audit chain intact, {events} events", from.display());

    let target = db::postgres::open(to).await?;
    if let Some(table) = copy::first_with_rows(&target).await? {
        return Err(format!(
            "{to} already holds lensgate data (its {table} table has rows): migrate only into an empty database"
        )
        .into());
    }

    let instance = db::instance(&source).await?;
    // One read transaction: every table from the same snapshot, even if a server still writes.
    let mut snapshot = source.begin().await?;
    let mut copying = Copy::begin(&target).await?;
    copying
        .keep_instance(&instance.instance_id, &instance.created_at)
        .await?;
    for table in TABLES {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let select = format!(
            "SELECT {} FROM {} ORDER BY rowid",
            columns.join(", "),
            table.name
        );
        let mut rows = sqlx::query(&select).fetch(&mut *snapshot);
        let mut into = copying.table(table).await?;
        let mut read = 0u64;
        while let Some(row) = rows.try_next().await? {
            let values = (0..table.columns.len())
                .map(|i| row.try_get::<Option<String>, _>(i))
                .collect::<Result<Vec<_>, _>>()?;
            into.row(&values).await?;
            read += 1;
        }
        let stored = into.finish().await?;
        if stored != read {
            return Err(format!(
                "{}: {read} rows read but {stored} stored; nothing was copied",
                table.name
            )
            .into());
        }
        println!("  {}: {stored} rows", table.name);
    }
    drop(snapshot);
    copying.commit().await?;

    let copied = AuditLog::new(target);
    let source_head = audit.head().await?;
    let target_head = copied.head().await?;
    match copied.verify().await? {
        Verification::Intact { events: there } if there == events && target_head == source_head => {
            let open = copied.unfinished().await?.len();
            println!(
                "{to}: audit chain intact, {there} events, ending at the same event as {} ({}); {open} unfinished AWS changes to re-drive",
                from.display(),
                target_head.map_or_else(|| "no events".to_owned(), |(seq, hash)| format!("event {seq}, {}", &hash[..16])),
            );
            Ok(ExitCode::SUCCESS)
        }
        verdict => Err(format!(
            "the copy's audit chain does not match the original ({verdict:?}): the copy is committed but must not be used; drop its tables and migrate again"
        )
        .into()),
    }
}
