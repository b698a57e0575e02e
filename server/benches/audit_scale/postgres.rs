//! The seeded history on PostgreSQL: copied with `lensgate migrate` into a schema of its own,
//! measured as on SQLite, then the chain's advisory lock against a lock on a head row, with
//! concurrent appenders.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use lensgate::{
    audit::{Actor, AuditAction, AuditLog, NewEvent, Verification},
    db::Database,
};
use sqlx::{Connection, PgConnection, Row as _};

use super::{appends_on_top, http_figures, query_figures};

const WRITERS: usize = 8;
const APPENDS_EACH: usize = 250;

pub async fn figures(server: &str, sqlite: &Path, count: usize, dir: &Path) {
    let schema = format!("lensgate_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(server).await.expect("PostgreSQL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = format!("{server}?options=-c%20search_path%3D{schema}");

    let started = Instant::now();
    let migrated = std::process::Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(["migrate", "--from"])
        .arg(sqlite)
        .args(["--to", &url])
        .output()
        .expect("lensgate migrate");
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    println!(
        "lensgate migrate of {count} events into PostgreSQL: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let db = Database::open(&url.parse().unwrap()).await.unwrap();
    let Database::Postgres(pool) = &db else {
        unreachable!("a postgres:// URL opens PostgreSQL");
    };
    // What autovacuum would gather soon after a bulk load; the planner needs it at once.
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    let size: i64 = sqlx::query_scalar("SELECT pg_total_relation_size('audit_events')")
        .fetch_one(pool)
        .await
        .unwrap();
    println!("audit_events with its indexes: {:.0} MB", size as f64 / 1e6);

    let log = Arc::new(AuditLog::new(db.clone()));
    appends_on_top(&log).await;
    println!(
        "\n{WRITERS} writers appending {APPENDS_EACH} events each at once (appends/s, whole run):"
    );
    println!(
        "  advisory lock (lensgate):   {:>6.0}",
        advisory(&log).await
    );
    println!(
        "  lock on a head row:         {:>6.0}",
        head_row(pool).await
    );
    let started = Instant::now();
    let verdict = log.verify().await.unwrap();
    println!(
        "whole chain walked in {:.1} s: {verdict:?}",
        started.elapsed().as_secs_f64()
    );
    assert!(matches!(verdict, Verification::Intact { .. }));

    println!("\nthrough the server's query code on PostgreSQL (first page of 50, p50 / p95):");
    query_figures(&db, count).await;
    http_figures(std::ffi::OsStr::new(&url), dir).await;

    if let Database::Postgres(pool) = db {
        pool.close().await;
    }
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
}

fn event(writer: usize, i: usize) -> NewEvent {
    NewEvent::recorded(
        Actor {
            name: format!("writer{writer}"),
            role: "author".into(),
        },
        AuditAction::SubmitForReview,
        &format!("lens-{i}"),
        serde_json::json!({ "note": "a concurrent append" }),
    )
}

/// The server's path: every appending transaction takes the chain's advisory lock.
async fn advisory(log: &Arc<AuditLog>) -> f64 {
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let log = log.clone();
            tokio::spawn(async move {
                for i in 0..APPENDS_EACH {
                    log.append(event(writer, i)).await.expect("append");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    rate(started.elapsed())
}

/// The alternative: a one-row table naming the head, locked with `SELECT … FOR UPDATE` and
/// updated by every append, the same event written the same way otherwise.
async fn head_row(pool: &sqlx::PgPool) -> f64 {
    sqlx::query(
        "CREATE TABLE bench_head AS SELECT 1 AS id, seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ALTER TABLE bench_head ADD PRIMARY KEY (id)")
        .execute(pool)
        .await
        .unwrap();
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for i in 0..APPENDS_EACH {
                    let mut tx = pool.begin().await.unwrap();
                    let head =
                        sqlx::query("SELECT seq, hash FROM bench_head WHERE id = 1 FOR UPDATE")
                            .fetch_one(&mut *tx)
                            .await
                            .unwrap();
                    let (seq, prev_hash): (i64, String) = (head.get(0), head.get(1));
                    let stored = event(writer, i).chained(seq + 1, prev_hash);
                    lensgate_postgres::audit::insert(&mut *tx, &stored)
                        .await
                        .unwrap();
                    sqlx::query("UPDATE bench_head SET seq = $1, hash = $2 WHERE id = 1")
                        .bind(stored.seq)
                        .bind(&stored.hash)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    rate(started.elapsed())
}

fn rate(took: Duration) -> f64 {
    (WRITERS * APPENDS_EACH) as f64 / took.as_secs_f64()
}
