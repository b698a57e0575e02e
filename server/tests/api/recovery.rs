//! Crash recovery: a change whose outcome was never recorded is finished at the next start-up
//! with its stored token, and AWS ends up with exactly one resource.

use aws_sdk_wellarchitected::types::LensType;
use lensgate::audit::{AuditLog, Verification};

use crate::{
    gateway::{author, import},
    helpers::TestApp,
};

async fn custom_lenses(app: &TestApp) -> usize {
    app.gateway
        .clients()
        .wellarchitected
        .list_lenses()
        .lens_type(LensType::CustomSelf)
        .send()
        .await
        .unwrap()
        .lens_summaries()
        .len()
}

#[tokio::test]
async fn a_server_stopped_mid_call_finishes_the_change_at_the_next_start() {
    let app = TestApp::start_with_args(&[
        "--emulator-faults",
        // Longer than the wait for the first write below, so a busy machine still sees the
        // change in flight; the restart ends the call, so it costs nothing when the machine is
        // idle.
        r#"{"ImportLens": {"latency_ms": 120000}}"#,
    ])
    .await;
    let gateway = app.gateway.clone();
    let in_flight =
        tokio::spawn(async move { gateway.apply(&author(), import("Interrupted")).await });
    let log = app.audit_log().await;
    // Bounded by time, not by polls: with the whole suite running on two cores (every test
    // hashing passwords), the first write can take seconds; once written, the event stays
    // unfinished for the two minutes the call is held.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let operation_id = loop {
        if let Some(requested) = log.unfinished().await.unwrap().first() {
            break requested.operation_id.clone();
        }
        if in_flight.is_finished() {
            panic!(
                "the change ended before it was seen in flight: {:?}",
                in_flight.await
            );
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the requested event was never written"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    in_flight.abort();
    let app = app.restart(&[]).await;

    assert!(
        log.unfinished().await.unwrap().is_empty(),
        "recovery recorded the outcome"
    );
    let events = log.operation(&operation_id).await.unwrap();
    let phases: Vec<&str> = events.iter().map(|e| e.phase.as_str()).collect();
    assert_eq!(phases, ["requested", "succeeded"]);
    assert_eq!(custom_lenses(&app).await, 1, "exactly one lens in AWS");
    assert!(matches!(
        log.verify().await.unwrap(),
        Verification::Intact { .. }
    ));
    app.stop().await;
}

#[tokio::test]
async fn a_change_aws_applied_but_never_recorded_is_not_applied_twice() {
    let app = TestApp::start().await;
    let log = app.audit_log().await;
    let applied = app
        .gateway
        .apply(&author(), import("Applied once"))
        .await
        .unwrap();
    let events = log.operation(&applied.operation_id).await.unwrap();
    let token = events[0].idempotency_token.clone().unwrap();

    // The same request with the same token reached AWS again, as a resend after a crash would.
    let replay = app
        .gateway
        .clients()
        .wellarchitected
        .import_lens()
        .json_string(crate::gateway::lens_json("Applied once"))
        .client_request_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.lens_arn(), applied.response["LensArn"].as_str());

    let retried = app.gateway.retry(&applied.operation_id).await.unwrap();
    assert_eq!(
        retried.response, applied.response,
        "a succeeded change is not sent again"
    );
    assert_eq!(custom_lenses(&app).await, 1);
    app.stop().await;
}

/// A database written before the open-operations table finds its unfinished changes after the
/// upgrade: the migration fills the table from the history.
#[tokio::test]
async fn an_upgraded_database_still_recovers_changes_left_unfinished() {
    let folder = tempfile::tempdir().unwrap();
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(folder.path().join("old.db"))
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(&migrations)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let open_operations = files
        .iter()
        .position(|f| f.ends_with("20261121000007_audit_open_operations.sql"))
        .expect("the migration that adds the open operations");
    let (before, upgrade) = files.split_at(open_operations);
    for file in before {
        sqlx::raw_sql(&std::fs::read_to_string(file).unwrap())
            .execute(&pool)
            .await
            .unwrap();
    }
    for (seq, phase, operation) in [
        (1, "requested", "finished"),
        (2, "succeeded", "finished"),
        (3, "requested", "interrupted"),
        (4, "requested", "failed"),
        (5, "failed", "failed"),
    ] {
        sqlx::query(
            "INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, target, phase,
                 operation_id, request, prev_hash, hash)
             VALUES (?, '2026-01-01T00:00:00Z', 'ana', 'author', 'ImportLens', 'lens', ?, ?, '{}', '', ?)",
        )
        .bind(seq)
        .bind(phase)
        .bind(operation)
        .bind(format!("hash-{seq}"))
        .execute(&pool)
        .await
        .unwrap();
    }
    for file in upgrade {
        sqlx::raw_sql(&std::fs::read_to_string(file).unwrap())
            .execute(&pool)
            .await
            .unwrap();
    }

    let log = AuditLog::new(pool);
    let unfinished: Vec<(i64, String)> = log
        .unfinished()
        .await
        .unwrap()
        .into_iter()
        .map(|event| (event.seq, event.operation_id))
        .collect();
    assert_eq!(unfinished, [(3, "interrupted".to_owned())]);
}
