//! The audit history's guarantees: append-only, and any edit, deletion or reordering in the
//! database is found by `verify` at the exact event.

use std::process::Command;

use lensgate::audit::{Actor, AuditLog, NewEvent, Phase, Verification};
use sqlx::{Connection, SqliteConnection};

/// An event of its own number; other tests chain them too.
pub fn event(n: u32) -> NewEvent {
    NewEvent {
        actor: Actor {
            name: format!("user{n}"),
            role: "author".to_owned(),
        },
        action: "ImportLens".to_owned(),
        target: format!("arn:aws:wellarchitected:us-east-1:111122223333:lens/{n:032}"),
        phase: Phase::Recorded,
        operation_id: format!("op-{n}"),
        idempotency_token: Some(format!("token-{n}")),
        request: serde_json::json!({ "n": n }),
        response: None,
        error_code: None,
        error_message: None,
        aws_request_id: None,
        attempts: None,
        duration_ms: None,
    }
}

/// A database with five chained events, and a raw connection as an attacker with file access
/// would have, triggers dropped.
async fn five_events() -> (tempfile::TempDir, AuditLog, SqliteConnection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lensgate.db");
    let log = AuditLog::new(lensgate::db::open(&path).await.unwrap());
    for n in 1..=5 {
        log.append(event(n)).await.unwrap();
    }
    let mut raw = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_events_no_update")
        .execute(&mut raw)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_events_no_delete")
        .execute(&mut raw)
        .await
        .unwrap();
    (dir, log, raw)
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    let (_dir, log, _raw) = five_events().await;
    assert_eq!(
        log.verify().await.unwrap(),
        Verification::Intact { events: 5 }
    );
}

#[tokio::test]
async fn the_database_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let pool = lensgate::db::open(&dir.path().join("lensgate.db"))
        .await
        .unwrap();
    let log = AuditLog::new(pool.clone());
    log.append(event(1)).await.unwrap();
    let update = sqlx::query("UPDATE audit_events SET actor = 'mallory'")
        .execute(&pool)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_events").execute(&pool).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn an_edited_field_is_found_at_its_event() {
    let (_dir, log, mut raw) = five_events().await;
    sqlx::query("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
        .execute(&mut raw)
        .await
        .unwrap();
    let Verification::Broken {
        verified,
        seq,
        reason,
    } = log.verify().await.unwrap()
    else {
        panic!("the edit went unnoticed");
    };
    assert_eq!((verified, seq), (2, 3));
    assert!(reason.contains("changed"), "{reason}");
}

#[tokio::test]
async fn a_deleted_event_is_found() {
    let (_dir, log, mut raw) = five_events().await;
    sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(&mut raw)
        .await
        .unwrap();
    let Verification::Broken { seq, reason, .. } = log.verify().await.unwrap() else {
        panic!("the deletion went unnoticed");
    };
    assert_eq!(seq, 3);
    assert!(reason.contains("event 2 is missing"), "{reason}");
}

#[tokio::test]
async fn reordered_events_are_found() {
    let (_dir, log, mut raw) = five_events().await;
    for statement in [
        "UPDATE audit_events SET seq = 100 WHERE seq = 3",
        "UPDATE audit_events SET seq = 3 WHERE seq = 4",
        "UPDATE audit_events SET seq = 4 WHERE seq = 100",
    ] {
        sqlx::query(statement).execute(&mut raw).await.unwrap();
    }
    let Verification::Broken { verified, seq, .. } = log.verify().await.unwrap() else {
        panic!("the reordering went unnoticed");
    };
    assert_eq!((verified, seq), (2, 3));
}

#[tokio::test]
async fn the_verify_command_reports_and_exits_non_zero_on_a_break() {
    let (dir, _log, mut raw) = five_events().await;
    let database = dir.path().join("lensgate.db");
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_lensgate"))
            .args(["audit", "verify", "--db", database.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let intact = verify();
    assert!(intact.status.success());
    let stdout = String::from_utf8_lossy(&intact.stdout);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "audit chain intact: 5 events verified",
            "no signed checkpoint yet: the chain was checked, but not whether its newest events were removed"
        ]
    );

    sqlx::query("UPDATE audit_events SET request = '{\"n\":99}' WHERE seq = 4")
        .execute(&mut raw)
        .await
        .unwrap();
    let broken = verify();
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains("broken at event 4"), "{stdout}");
    assert!(stdout.contains("3 events verified before it"), "{stdout}");
}

/// Sessions, users and reviews are written through other connections to the same file while
/// events are appended: no append may fail because another write committed in between.
#[tokio::test]
async fn appends_hold_while_other_connections_write_to_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lensgate.db");
    let log = AuditLog::new(lensgate::db::open(&path).await.unwrap());
    let other = lensgate::db::open(&path).await.unwrap();
    sqlx::query("CREATE TABLE elsewhere (n INTEGER)")
        .execute(&other)
        .await
        .unwrap();
    let writer = tokio::spawn(async move {
        for n in 0..2_000 {
            sqlx::query("INSERT INTO elsewhere (n) VALUES (?)")
                .bind(n)
                .execute(&other)
                .await
                .unwrap();
        }
    });
    for n in 1..=300 {
        log.append(event(n)).await.unwrap_or_else(|error| {
            panic!("append {n} failed while another connection wrote: {error}")
        });
    }
    writer.await.unwrap();
    assert_eq!(
        log.verify().await.unwrap(),
        Verification::Intact { events: 300 }
    );
}
