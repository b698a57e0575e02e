//! Signed checkpoints: a history cut short, refilled or with a forged checkpoint is reported by
//! `lensgate audit verify`, and a checkpoint folder that is not there stops the start-up.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use lensgate::audit::{
    AuditLog,
    checkpoint::{self, Checkpoint, CheckpointFile, Checkpointer, Policy},
};
use sqlx::{Connection, SqliteConnection};

use crate::{
    audit::event,
    gateway::{author, import},
    helpers::TestApp,
};

const BINARY: &str = env!("CARGO_BIN_EXE_lensgate");

fn checkpoint_file(database: &Path) -> PathBuf {
    database.with_file_name("lensgate-checkpoints.jsonl")
}

fn checkpoints(database: &Path) -> Vec<Checkpoint> {
    std::fs::read_to_string(checkpoint_file(database))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// `lensgate audit verify` on `database`: its exit code and what it printed.
fn verify(database: &Path, extra: &[&str]) -> (i32, String) {
    let output = Command::new(BINARY)
        .args(["audit", "verify", "--db", database.to_str().unwrap()])
        .args(extra)
        .env_remove("LENSGATE_DATABASE")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap(), text)
}

/// A server that recorded `events` events through its own database file, then stopped cleanly;
/// its folder is kept.
async fn history_of(events: u32) -> (tempfile::TempDir, PathBuf) {
    let app = TestApp::start_on_sqlite().await;
    let log = app.audit_log().await;
    for n in 1..=events {
        log.append(event(n)).await.unwrap();
    }
    let database = app.database.clone();
    let dir = app.stop_keeping_files().await;
    (dir, database)
}

/// Deletes the events after `seq` as someone with the database file would: triggers dropped.
async fn remove_events_after(database: &Path, seq: i64) {
    let mut raw = SqliteConnection::connect(&format!("sqlite:{}", database.display()))
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_events_no_delete")
        .execute(&mut raw)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_events WHERE seq > ?")
        .bind(seq)
        .execute(&mut raw)
        .await
        .unwrap();
    raw.close().await.unwrap();
}

async fn head(database: &Path) -> i64 {
    let log = AuditLog::new(lensgate::db::open(database).await.unwrap());
    log.head().await.unwrap().unwrap().0
}

#[tokio::test]
async fn a_clean_shutdown_signs_the_last_event_and_verify_counts_what_came_after() {
    let (_dir, database) = history_of(4).await;
    let head = head(&database).await;
    let written = checkpoints(&database);
    assert_eq!(
        written.last().map(|c| c.seq),
        Some(head),
        "the checkpoint at shutdown names the last event"
    );

    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("audit chain intact: {head} events verified")),
        "{out}"
    );
    assert!(out.contains("0 events after the last checkpoint"), "{out}");

    let log = AuditLog::new(lensgate::db::open(&database).await.unwrap());
    log.append(event(99)).await.unwrap();
    log.append(event(100)).await.unwrap();
    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("2 events after the last checkpoint (event {head}")),
        "{out}"
    );

    std::fs::remove_file(checkpoint_file(&database)).unwrap();
    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("is missing: compared with the database's own copy"),
        "{out}"
    );
    assert!(out.contains("2 events after the last checkpoint"), "{out}");
}

#[tokio::test]
async fn a_checkpoint_follows_every_so_many_events_while_the_server_runs() {
    let app = TestApp::start_with_args(&["--checkpoint-events", "5"]).await;
    for n in 1..=3 {
        // Two events each: requested and succeeded.
        app.gateway
            .apply(&author(), import(&format!("Counted {n}")))
            .await
            .unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while checkpoints(&app.database).is_empty() {
        assert!(
            Instant::now() < deadline,
            "no checkpoint after six new events"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(checkpoints(&app.database)[0].seq >= 5);
    app.stop().await;
}

#[tokio::test]
async fn removing_the_newest_ten_events_is_reported_even_after_a_restart() {
    let (dir, database) = history_of(15).await;
    let head = head(&database).await;
    remove_events_after(&database, head - 10).await;

    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "audit chain intact: {} events verified",
            head - 10
        )),
        "the shorter chain is itself valid: {out}"
    );
    assert!(
        out.contains(&format!(
            "events missing: the checkpoint of {} names event {head}, the database ends at {}",
            checkpoints(&database).last().unwrap().signed_at,
            head - 10
        )),
        "{out}"
    );

    // A server started on the shorter history signs a checkpoint for it; the earlier one
    // still names the events that are gone.
    let _dir = TestApp::start_in_folder(dir)
        .await
        .stop_keeping_files()
        .await;
    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("names event {head}")), "{out}");
}

#[tokio::test]
async fn a_history_cut_short_and_refilled_is_reported_as_rewritten() {
    let (_dir, database) = history_of(15).await;
    let head = head(&database).await;
    remove_events_after(&database, head - 10).await;
    let log = AuditLog::new(lensgate::db::open(&database).await.unwrap());
    for n in 200..212 {
        log.append(event(n)).await.unwrap();
    }

    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("audit chain intact"), "{out}");
    assert!(
        out.contains(&format!("history rewritten: event {head} is not the one")),
        "{out}"
    );
}

#[tokio::test]
async fn a_forged_checkpoint_or_one_from_another_key_is_refused() {
    let (_dir, database) = history_of(3).await;
    let file = checkpoint_file(&database);
    let genuine = std::fs::read_to_string(&file).unwrap();
    let public_key = database.with_file_name("lensgate-audit.pub");

    // The genuine checkpoint moved on to an event that was never written, its signature kept.
    let mut forged: Checkpoint = serde_json::from_str(genuine.lines().last().unwrap()).unwrap();
    forged.seq += 50;
    std::fs::write(
        &file,
        format!("{genuine}{}\n", serde_json::to_string(&forged).unwrap()),
    )
    .unwrap();
    let (code, out) = verify(&database, &["--public-key", public_key.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let line = genuine.lines().count() + 1;
    assert!(
        out.contains(&format!(
            "forged checkpoint: the one on line {line} of the checkpoint file"
        )),
        "{out}"
    );

    let stranger = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let signed_elsewhere = Checkpoint::sign(&stranger, "another", forged.seq, &forged.hash);
    std::fs::write(
        &file,
        format!(
            "{genuine}{}\n",
            serde_json::to_string(&signed_elsewhere).unwrap()
        ),
    )
    .unwrap();
    let (code, out) = verify(&database, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("names another signing key"), "{out}");
}

#[test]
fn a_checkpoint_folder_that_does_not_exist_stops_the_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("other-disk").join("checkpoints");
    let output = Command::new(BINARY)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--database",
            dir.path().join("lensgate.db").to_str().unwrap(),
            "--checkpoint-dir",
            missing.to_str().unwrap(),
        ])
        .env_remove("LENSGATE_DATABASE")
        .env_remove("LENSGATE_LISTEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the checkpoint folder {} does not exist",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("--checkpoint-dir"),
        "says how to fix it: {stderr}"
    );
}

#[tokio::test]
async fn a_checkpoint_follows_the_interval_when_events_came_since() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("lensgate.db");
    let audit = Arc::new(AuditLog::new(lensgate::db::open(&database).await.unwrap()));
    let (key, _) = checkpoint::key::load_or_create(&dir.path().join("audit.key")).unwrap();
    let checkpointer = Checkpointer::new(
        audit.clone(),
        key,
        CheckpointFile::new(checkpoint_file(&database)),
        Policy {
            every_events: 1_000,
            every: Duration::from_millis(200),
        },
    )
    .await
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(checkpointer.run(async {
        let _ = stopped.await;
    }));
    audit.append(event(1)).await.unwrap();
    audit.append(event(2)).await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while checkpoints(&database).is_empty() {
        assert!(
            Instant::now() < deadline,
            "no checkpoint though the interval passed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(checkpoints(&database)[0].seq, 2);
    // Nothing new: later intervals and the stop add no checkpoint.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.send(()).unwrap();
    running.await.unwrap();
    assert_eq!(checkpoints(&database).len(), 1);
}
