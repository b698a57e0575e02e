//! `lensgate backup --to FILE` takes a consistent copy of an installation's database, running or
//! not, and checks the copy's audit chain; `lensgate restore FILE` puts such a copy in place of
//! the database, checking the chain before and after.

use std::{
    error::Error,
    path::{Path, PathBuf},
    process::ExitCode,
};

use sqlx::SqlitePool;

use crate::{
    accounts::users,
    audit::{AuditLog, Verification},
    db,
};

type CliResult = Result<ExitCode, Box<dyn Error>>;

/// Copies `database` to `to` (a new file), then verifies the copy. A copy whose chain does not
/// verify is removed: it would only restore the break.
pub async fn backup(database: &Path, to: &Path) -> CliResult {
    if !database.is_file() {
        return Err(format!(
            "there is no database at {}: name it with --db or LENSGATE_DATABASE",
            database.display()
        )
        .into());
    }
    if to.exists() {
        return Err(format!(
            "{} already exists: a backup never overwrites a file, so name a new one",
            to.display()
        )
        .into());
    }
    let pool = db::open_existing(database).await?;
    let copied = db::copy_into(&pool, to).await;
    pool.close().await;
    copied.map_err(|error| format!("cannot write the backup to {}: {error}", to.display()))?;

    match chain_of(to).await? {
        Verification::Intact { events } => {
            println!(
                "backup written to {}: {events} audit events, chain intact",
                to.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Verification::Broken { seq, reason, .. } => {
            std::fs::remove_file(to)?;
            Err(format!(
                "the copy's audit chain is broken at event {seq} ({reason}), so the database \
                 itself is: no backup was kept. Run `lensgate audit verify` on {}",
                database.display()
            )
            .into())
        }
    }
}

/// Puts the backup `from` in place of `database`. Refuses a backup whose chain does not verify,
/// and a database that holds an installation unless `force`. The server must be stopped: SQLite
/// gives no sure sign that another process has the file open (a cleanly closed database may
/// keep its write-ahead log), so this is said, not checked.
pub async fn restore(from: &Path, database: &Path, force: bool) -> CliResult {
    if !from.is_file() {
        return Err(format!("there is no backup at {}", from.display()).into());
    }
    if let Verification::Broken { seq, reason, .. } = chain_of(from).await? {
        return Err(format!(
            "the backup's audit chain is broken at event {seq} ({reason}): nothing was restored"
        )
        .into());
    }
    if database.is_file() {
        let pool = db::open_existing(database).await?;
        let holds = installation_in(&pool).await;
        pool.close().await;
        if let Some((users, events)) = holds?
            && !force
        {
            return Err(format!(
                "{} holds an installation ({users} users, {events} audit events): restoring \
                 would replace it. Back it up first, then pass --force",
                database.display()
            )
            .into());
        }
    }

    // The copy is made beside the database and renamed over it, so the database is either the
    // old one or the whole backup, never half of it.
    let partial = sidecar(database, ".restoring");
    std::fs::copy(from, &partial).map_err(|error| {
        format!(
            "cannot copy the backup beside {}: {error}",
            database.display()
        )
    })?;
    // A write-ahead log left beside the old database belongs to it: read with the backup, it
    // would corrupt it.
    for stale in [sidecar(database, "-wal"), sidecar(database, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale)?;
        }
    }
    std::fs::rename(&partial, database)?;

    match chain_of(database).await? {
        Verification::Intact { events } => {
            println!(
                "restored {} from {}: {events} audit events, chain intact",
                database.display(),
                from.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Verification::Broken { seq, reason, .. } => Err(format!(
            "the restored database's audit chain is broken at event {seq} ({reason}): the disk \
             may be failing; restore again from the backup"
        )
        .into()),
    }
}

async fn chain_of(path: &Path) -> Result<Verification, Box<dyn Error>> {
    let pool = db::open_existing(path).await?;
    let verification = AuditLog::new(pool.clone()).verify().await;
    pool.close().await;
    verification.map_err(|error| {
        format!(
            "cannot read the audit history of {}: {error}",
            path.display()
        )
        .into()
    })
}

/// Users and audit events, when the database holds any (an empty file holds neither).
async fn installation_in(pool: &SqlitePool) -> Result<Option<(i64, u64)>, Box<dyn Error>> {
    let migrated = db::schema_version(pool).await.ok().flatten().is_some();
    if !migrated {
        return Ok(None);
    }
    let users = users::count_in(db::Conn::Sqlite(&mut *pool.acquire().await?)).await?;
    let events = match AuditLog::new(pool.clone()).verify().await? {
        Verification::Intact { events } => events,
        Verification::Broken { verified, .. } => verified,
    };
    Ok((users > 0 || events > 0).then_some((users, events)))
}

/// `lensgate.db` with `suffix` added: SQLite's `-wal` and `-shm` files, or the restore's copy.
fn sidecar(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
