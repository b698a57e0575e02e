//! `lensgate backup` and `lensgate restore`: a copy taken while changes are written holds every
//! committed one and verifies; a restore never replaces an installation by accident and never
//! brings back a broken chain.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use lensgate::audit::{AuditLog, Verification};

use crate::audit::event;
use sqlx::{Connection, SqliteConnection};

/// Runs the `lensgate` binary to the end.
pub(crate) fn lensgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What a finished command printed, standard output then standard error.
pub(crate) fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn backup(database: &Path, to: &Path) -> Output {
    lensgate(&["backup", "--db", arg(database), "--to", arg(to)])
}

/// The command exited 1, naming the reason.
fn assert_refused(output: &Output, reason: &str) {
    assert_eq!(output.status.code(), Some(1), "{}", text(output));
    assert!(text(output).contains(reason), "{}", text(output));
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

async fn events_in(path: &Path) -> u64 {
    let pool = lensgate::db::open_existing(path).await.unwrap();
    let verification = AuditLog::new(pool.clone()).verify().await.unwrap();
    pool.close().await;
    match verification {
        Verification::Intact { events } => events,
        broken @ Verification::Broken { .. } => panic!("{broken:?}"),
    }
}

/// A database with an installation in it: migrated, `events` audit events.
async fn installation(dir: &Path, events: u32) -> PathBuf {
    let path = dir.join("lensgate.db");
    let pool = lensgate::db::open(&path).await.unwrap();
    let log = AuditLog::new(pool.clone());
    for n in 1..=events {
        log.append(event(n)).await.unwrap();
    }
    pool.close().await;
    path
}

#[tokio::test]
async fn a_backup_taken_while_events_are_written_keeps_every_committed_one_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let database = installation(dir.path(), 50).await;
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let database = database.clone();
        let writing = writing.clone();
        tokio::spawn(async move {
            let log = AuditLog::new(lensgate::db::open(&database).await.unwrap());
            let mut n = 1000;
            while writing.load(Ordering::Relaxed) {
                log.append(event(n)).await.unwrap();
                n += 1;
            }
            n - 1000
        })
    };
    // Let the writer get going, so the copy is taken in the middle of its appends.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let before = events_in(&database).await;
    let copy = dir.path().join("backup.db");
    let taken = {
        let (database, copy) = (database.clone(), copy.clone());
        tokio::task::spawn_blocking(move || backup(&database, &copy))
            .await
            .unwrap()
    };
    writing.store(false, Ordering::Relaxed);
    let written = writer.await.unwrap();

    assert!(taken.status.success(), "{}", text(&taken));
    let copied = events_in(&copy).await;
    assert!(
        copied >= before,
        "the copy holds the {before} events committed before it began (it has {copied})"
    );
    assert!(text(&taken).contains(&format!("{copied} audit events, chain intact")));
    assert!(written > 0, "events were written during the backup");
    assert_eq!(
        events_in(&database).await,
        50 + u64::from(written),
        "the writer lost nothing to the backup"
    );
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let database = installation(dir.path(), 3).await;
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, "an earlier backup").unwrap();
    assert_refused(&backup(&database, &taken), "already exists");
    assert_eq!(
        std::fs::read_to_string(&taken).unwrap(),
        "an earlier backup"
    );
}

#[tokio::test]
async fn a_restore_replaces_an_installation_only_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let database = installation(dir.path(), 7).await;
    let copy = dir.path().join("backup.db");
    assert!(backup(&database, &copy).status.success());
    let pool = lensgate::db::open(&database).await.unwrap();
    AuditLog::new(pool.clone()).append(event(8)).await.unwrap();
    pool.close().await;

    let refused = lensgate(&["restore", arg(&copy), "--db", arg(&database)]);
    assert_refused(&refused, "holds an installation");
    assert_eq!(events_in(&database).await, 8, "nothing was replaced");

    let forced = lensgate(&["restore", arg(&copy), "--db", arg(&database), "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    assert!(text(&forced).contains("7 audit events, chain intact"));
    assert_eq!(
        events_in(&database).await,
        7,
        "the backup's history is back"
    );

    let elsewhere = dir.path().join("new").join("lensgate.db");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    let fresh = lensgate(&["restore", arg(&copy), "--db", arg(&elsewhere)]);
    assert!(fresh.status.success(), "{}", text(&fresh));
    assert_eq!(events_in(&elsewhere).await, 7);
}

#[tokio::test]
async fn a_backup_whose_chain_is_broken_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let database = installation(dir.path(), 5).await;
    let copy = dir.path().join("backup.db");
    assert!(backup(&database, &copy).status.success());
    let mut raw = SqliteConnection::connect(&format!("sqlite:{}", copy.display()))
        .await
        .unwrap();
    for statement in [
        "DROP TRIGGER audit_events_no_update",
        "UPDATE audit_events SET actor = 'someone else' WHERE seq = 3",
    ] {
        sqlx::query(statement).execute(&mut raw).await.unwrap();
    }
    raw.close().await.unwrap();

    let target = dir.path().join("restored.db");
    let refused = lensgate(&["restore", arg(&copy), "--db", arg(&target)]);
    assert_refused(&refused, "broken at event 3");
    assert!(!target.exists(), "nothing was written");
}
