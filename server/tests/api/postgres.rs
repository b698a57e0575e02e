//! PostgreSQL: `lensgate migrate` copies a SQLite installation and its audit chain, the database
//! itself refuses to change audit events, and `lensgate audit verify` walks the chain there.
//! Each test works in a schema of its own on the PostgreSQL server `LENSGATE_TEST_POSTGRES`
//! names (default: the machine's, postgres://postgres@127.0.0.1:5432/test).

use std::{path::Path, process::Output, str::FromStr};

use clap::Parser as _;
use lensgate::{
    audit::{AuditLog, Verification},
    config::Config,
};
use lensgate_app::auth::Role;
use sqlx::{Connection, PgConnection, SqliteConnection, postgres::PgConnectOptions};

use crate::{
    audit::event,
    backup::{lensgate, text},
    helpers::{Schema, TestApp},
    reviews::submitted,
};

fn migrate(from: &Path, to: &str) -> Output {
    lensgate(&["migrate", "--from", from.to_str().unwrap(), "--to", to])
}

async fn count(conn: &mut PgConnection, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(conn)
        .await
        .unwrap()
}

async fn sqlite_count(path: &Path, table: &str) -> i64 {
    let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// An installation people used: accounts, a lens imported, submitted and approved, audited.
async fn used_installation() -> (tempfile::TempDir, std::path::PathBuf) {
    let app = TestApp::start_on_sqlite().await;
    let draft = submitted(&app, Role::Author).await;
    draft
        .reviewer
        .decide(&app, draft.review, "approve")
        .await
        .unwrap();
    let database = app.database.clone();
    let dir = app.stop_keeping_files().await;
    (dir, database)
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_copies_every_table_and_the_chain_verifies_on_both_sides() {
    let (_dir, database) = used_installation().await;
    let schema = Schema::new().await;

    let output = migrate(&database, &schema.url());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let events = sqlite_count(&database, "audit_events").await;
    assert!(events >= 5, "the installation was used: {events} events");
    assert!(
        text(&output).contains(&format!(
            "audit chain intact, {events} events, ending at the same event"
        )),
        "{}",
        text(&output)
    );

    let mut pg = schema.connect().await;
    for table in [
        "users",
        "lens_revisions",
        "reviews",
        "review_decisions",
        "audit_events",
    ] {
        assert_eq!(
            count(&mut pg, table).await,
            sqlite_count(&database, table).await,
            "{table}"
        );
    }
    // Signed checkpoints stay bound to the installation they were made for.
    let source = lensgate::db::open_existing(&database).await.unwrap();
    let instance = lensgate::db::instance(&source).await.unwrap();
    let copied: String = sqlx::query_scalar("SELECT instance_id FROM instance")
        .fetch_one(&mut pg)
        .await
        .unwrap();
    assert_eq!(copied, instance.instance_id);
    // New rows continue after the copied ids instead of colliding with them.
    let next_user: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at, updated_at)
         VALUES ('new', 'x', 'viewer', 'now', 'now') RETURNING id",
    )
    .fetch_one(&mut pg)
    .await
    .unwrap();
    assert_eq!(next_user, sqlite_count(&database, "users").await + 1);

    let pool = lensgate_postgres::connect(PgConnectOptions::from_str(&schema.url()).unwrap())
        .await
        .unwrap();
    let history = AuditLog::new(pool.clone());
    assert_eq!(
        history.verify().await.unwrap(),
        Verification::Intact {
            events: events as u64
        }
    );
    assert_eq!(
        history.head().await.unwrap(),
        AuditLog::new(source.clone()).head().await.unwrap()
    );

    // The running server signed checkpoints; they travel with the copy and still check out.
    let public_key = database.with_file_name("lensgate-audit.pub");
    let verify = lensgate(&[
        "audit",
        "verify",
        "--db",
        &schema.url(),
        "--public-key",
        public_key.to_str().unwrap(),
    ]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    assert!(
        text(&verify).contains(&format!("audit chain intact: {events} events verified")),
        "{}",
        text(&verify)
    );
    assert!(count(&mut pg, "audit_checkpoints").await > 0);
    let unnamed = lensgate(&["audit", "verify", "--db", &schema.url()]);
    assert_eq!(unnamed.status.code(), Some(1), "{}", text(&unnamed));
    assert!(
        text(&unnamed).contains("name the key that checks them with --public-key"),
        "{}",
        text(&unnamed)
    );
    pool.close().await;
    schema.remove().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_refuses_a_database_that_holds_data_and_a_broken_history() {
    let (_dir, database) = used_installation().await;
    let schema = Schema::new().await;
    assert_eq!(migrate(&database, &schema.url()).status.code(), Some(0));

    let again = migrate(&database, &schema.url());
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(
        text(&again).contains("already holds lensgate data (its users table has rows)"),
        "{}",
        text(&again)
    );
    schema.remove().await;

    // A history edited behind lensgate's back is not carried anywhere.
    let mut raw = SqliteConnection::connect(&format!("sqlite:{}", database.display()))
        .await
        .unwrap();
    for statement in [
        "DROP TRIGGER audit_events_no_update",
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
    ] {
        sqlx::query(statement).execute(&mut raw).await.unwrap();
    }
    raw.close().await.unwrap();
    let empty = Schema::new().await;
    let broken = migrate(&database, &empty.url());
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains("is broken at event 2: event 2 was changed after it was written"),
        "{}",
        text(&broken)
    );
    let mut pg = empty.connect().await;
    assert_eq!(
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'users'"
        )
        .fetch_one(&mut pg)
        .await
        .unwrap(),
        0,
        "a refused copy does not even create the schema"
    );
    empty.remove().await;
}

#[tokio::test]
async fn migrate_names_a_missing_file_and_a_url_that_is_not_postgres() {
    let schema = Schema::new().await;
    let missing = migrate(Path::new("/nonexistent/lensgate.db"), &schema.url());
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("/nonexistent/lensgate.db does not exist"),
        "{}",
        text(&missing)
    );
    let mysql = lensgate(&[
        "migrate",
        "--from",
        "lensgate.db",
        "--to",
        "mysql://root@db/lensgate",
    ]);
    assert_eq!(mysql.status.code(), Some(2), "{}", text(&mysql));
    assert!(
        text(&mysql).contains("mysql:// is not a PostgreSQL URL"),
        "{}",
        text(&mysql)
    );
    schema.remove().await;
}

#[tokio::test]
async fn the_database_refuses_to_change_remove_or_empty_audit_events() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("lensgate.db");
    let log = AuditLog::new(lensgate::db::open(&database).await.unwrap());
    for n in 1..=3 {
        log.append(event(n)).await.unwrap();
    }
    let schema = Schema::new().await;
    assert_eq!(migrate(&database, &schema.url()).status.code(), Some(0));

    let mut pg = schema.connect().await;
    sqlx::query(
        "INSERT INTO audit_checkpoints (seq, hash, signed_at, key, signature)
         SELECT seq, hash, occurred_at, 'k', 's' FROM audit_events WHERE seq = 3",
    )
    .execute(&mut pg)
    .await
    .unwrap();
    for statement in [
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3",
        "TRUNCATE audit_events CASCADE",
        "UPDATE audit_checkpoints SET seq = 1",
        "DELETE FROM audit_checkpoints",
    ] {
        let refused = sqlx::query(statement).execute(&mut pg).await.unwrap_err();
        assert!(
            refused.to_string().contains("rows are append-only"),
            "{statement}: {refused}"
        );
    }
    assert_eq!(count(&mut pg, "audit_events").await, 3);
    schema.remove().await;
}

#[tokio::test]
async fn audit_verify_names_the_event_changed_on_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("lensgate.db");
    let log = AuditLog::new(lensgate::db::open(&database).await.unwrap());
    for n in 1..=5 {
        log.append(event(n)).await.unwrap();
    }
    let schema = Schema::new().await;
    assert_eq!(migrate(&database, &schema.url()).status.code(), Some(0));

    // Only the table's owner can lift the rule, and then the chain still tells.
    let mut pg = schema.connect().await;
    for statement in [
        "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
        "UPDATE audit_events SET request = '{\"lens\":\"other\"}' WHERE seq = 4",
    ] {
        sqlx::query(statement).execute(&mut pg).await.unwrap();
    }
    let verify = lensgate(&["audit", "verify", "--db", &schema.url()]);
    assert_eq!(verify.status.code(), Some(1), "{}", text(&verify));
    assert!(
        text(&verify).contains(
            "audit chain broken at event 4: event 4 was changed after it was written (3 events verified before it)"
        ),
        "{}",
        text(&verify)
    );
    schema.remove().await;
}

#[test]
fn a_postgres_url_the_server_cannot_use_is_named_without_its_password() {
    let malformed = Config::try_parse_from([
        "lensgate",
        "--database",
        "postgres://ops:secret@db:notaport/lensgate",
    ])
    .unwrap_err()
    .to_string();
    assert!(
        malformed.contains("postgres://ops@db:notaport/lensgate"),
        "{malformed}"
    );
    assert!(!malformed.contains("secret"), "{malformed}");

    // Nothing listens on port 1: the start-up stops, naming the server without the password.
    let unreachable = lensgate(&[
        "--listen",
        "127.0.0.1:0",
        "--database",
        "postgres://ops:secret@127.0.0.1:1/lensgate",
    ]);
    assert!(!unreachable.status.success());
    let said = text(&unreachable);
    assert!(
        said.contains("cannot connect to postgres://ops@127.0.0.1:1/lensgate"),
        "{said}"
    );
    assert!(!said.contains("secret"), "{said}");
}
