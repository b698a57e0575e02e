//! A generated audit history, the same for every run: a realistic year of mixed actions,
//! 50 actors, 5,000 targets and 5% failures, written as the gateway writes it.

use std::{
    str::FromStr,
    time::{Duration, Instant},
};

use lensgate::{
    audit::{Event, chain},
    timestamp,
};
use sqlx::{SqlitePool, sqlite::SqliteConnectOptions};
use time::OffsetDateTime;

pub const ACTORS: usize = 50;
const TARGETS: usize = 5_000;
const BATCH: usize = 10_000;

const AWS_ACTIONS: [&str; 8] = [
    "ImportLens",
    "CreateLensVersion",
    "CreateLensShare",
    "DeleteLensShare",
    "CreateWorkloadShare",
    "UpdateWorkloadShare",
    "DeleteWorkloadShare",
    "CreateGrantVersion",
];
const RECORDED_ACTIONS: [&str; 4] = ["ReviewSubmitted", "ReviewApproved", "SignIn", "UserCreated"];
const ERRORS: [(&str, &str); 3] = [
    (
        "ConflictException",
        "The resource is already shared with that principal.",
    ),
    (
        "ValidationException",
        "SourceVersion is not the current version of the grant.",
    ),
    ("ThrottlingException", "Rate exceeded."),
];

/// A small deterministic generator, so every run seeds the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The target of the `i`th generated event: lenses, workloads and grants in turn.
pub fn target(i: usize) -> String {
    match i % 3 {
        0 => format!("arn:aws:wellarchitected:us-east-1:111122223333:lens/{i:032x}"),
        1 => format!("{:032x}", i * 7_919),
        _ => format!("arn:aws:license-manager::111122223333:grant:g-{i:032x}"),
    }
}

/// The next events of the generated history: a review, sign-in or account event on its own,
/// or an AWS change as the gateway writes it, `requested` then its outcome under the same
/// operation id (one in twenty fails). `room` is how many events may still be written.
fn next_events(rng: &mut Rng, room: usize) -> Vec<Event> {
    let actor = format!("user{:02}", rng.below(ACTORS));
    let target = target(rng.below(TARGETS));
    let operation_id = format!("{:032x}", rng.next());
    // One event in 100,000 carries a rare word; "share" is in most requests.
    let note = if rng.below(100_000) == 0 {
        "quasar migration"
    } else {
        "routine share review"
    };
    let event = |action: &str, phase: &str| Event {
        seq: 0,
        occurred_at: String::new(),
        actor: actor.clone(),
        actor_role: "author".into(),
        action: action.into(),
        target: target.clone(),
        phase: phase.into(),
        operation_id: operation_id.clone(),
        idempotency_token: None,
        request: String::new(),
        response: None,
        error_code: None,
        error_message: None,
        aws_request_id: None,
        attempts: None,
        duration_ms: None,
        prev_hash: String::new(),
        hash: String::new(),
    };
    if room < 2 || rng.below(10) >= 7 {
        let action = RECORDED_ACTIONS[rng.below(RECORDED_ACTIONS.len())];
        let mut recorded = event(action, "recorded");
        recorded.request = format!(r#"{{"action":"{action}","note":"{note}"}}"#);
        return vec![recorded];
    }
    let action = AWS_ACTIONS[rng.below(AWS_ACTIONS.len())];
    let mut requested = event(action, "requested");
    requested.idempotency_token = Some(format!("{:064x}", rng.next()));
    requested.request = format!(
        r#"{{"operation":"{action}","shared_with":"{:012}","note":"{note}"}}"#,
        rng.below(1_000_000_000)
    );
    let mut outcome = requested.clone();
    outcome.aws_request_id = Some(format!("{:032x}", rng.next()));
    outcome.attempts = Some(1);
    outcome.duration_ms = Some(rng.below(400) as i64 + 20);
    if rng.below(20) == 0 {
        let (code, message) = ERRORS[rng.below(ERRORS.len())];
        outcome.phase = "failed".into();
        outcome.error_code = Some(code.into());
        outcome.error_message = Some(message.into());
    } else {
        outcome.phase = "succeeded".into();
        outcome.response = Some(r#"{"ShareId":"4f2a"}"#.into());
    }
    vec![requested, outcome]
}

/// Seeds `count` events into the chain; returns the time it took.
async fn seed(pool: &SqlitePool, count: usize) -> Duration {
    let started = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let year = 365 * 86_400_000i64;
    let first = OffsetDateTime::now_utc() - Duration::from_millis(year as u64);
    let step = year / count as i64;
    let mut prev_hash = chain::GENESIS.to_owned();
    let mut seq = 0i64;
    while (seq as usize) < count {
        let mut tx = pool.begin().await.expect("transaction");
        let batch_end = (seq as usize + BATCH).min(count);
        while (seq as usize) < batch_end {
            for mut event in next_events(&mut rng, batch_end - seq as usize) {
                seq += 1;
                event.seq = seq;
                event.occurred_at =
                    timestamp::format(first + Duration::from_millis((seq * step) as u64));
                event.prev_hash = prev_hash;
                event.hash = chain::hash(&event);
                prev_hash = event.hash.clone();
                insert(&mut tx, &event).await;
            }
        }
        tx.commit().await.expect("commit");
    }
    started.elapsed()
}

async fn insert(tx: &mut sqlx::SqliteConnection, event: &Event) {
    sqlx::query(
        "INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, target, phase, operation_id,
            idempotency_token, request, response, error_code, error_message, aws_request_id, attempts,
            duration_ms, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.seq)
    .bind(&event.occurred_at)
    .bind(&event.actor)
    .bind(&event.actor_role)
    .bind(&event.action)
    .bind(&event.target)
    .bind(&event.phase)
    .bind(&event.operation_id)
    .bind(&event.idempotency_token)
    .bind(&event.request)
    .bind(&event.response)
    .bind(&event.error_code)
    .bind(&event.error_message)
    .bind(&event.aws_request_id)
    .bind(event.attempts)
    .bind(event.duration_ms)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .execute(tx)
    .await
    .expect("insert");
}

/// Seeds `count` events into a new database with the generator's own fast settings, then
/// leaves it as the server would find it.
pub async fn seed_fresh(pool: &SqlitePool, database: &std::path::Path, count: usize) {
    // The generator's own connection: a 1 GB cache for the random-keyed indexes (hash,
    // operation, token). The full-text index is built once at the end: fed 10,000 rows per
    // transaction, its segment merges dominate and seeding crawls past 300,000 events. The
    // trigger comes back exactly as the migration wrote it.
    let seeding = pool_with(
        database,
        &[("cache_size", "-1000000"), ("synchronous", "OFF")],
    )
    .await;
    let trigger: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'audit_events_index'")
            .fetch_one(&seeding)
            .await
            .expect("the full-text trigger");
    sqlx::query("DROP TRIGGER audit_events_index")
        .execute(&seeding)
        .await
        .expect("drop trigger");
    let took = seed(&seeding, count).await;
    println!(
        "seeded {count} events in {:.1} s: {:.0} events/s",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64()
    );
    let started = Instant::now();
    sqlx::query("INSERT INTO audit_search (audit_search) VALUES ('rebuild')")
        .execute(&seeding)
        .await
        .expect("rebuild");
    sqlx::query(&trigger)
        .execute(&seeding)
        .await
        .expect("trigger");
    println!(
        "full-text index built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    seeding.close().await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .expect("checkpoint");
    // What the server does when it opens the file.
    lensgate::db::optimize(pool).await.expect("optimize");
}

/// A pool of two connections to `path` with extra pragmas.
pub async fn pool_with(path: &std::path::Path, pragmas: &[(&str, &str)]) -> SqlitePool {
    let mut options = SqliteConnectOptions::from_str("sqlite:")
        .unwrap()
        .filename(path);
    for (name, value) in pragmas {
        options = options.pragma(name.to_string(), value.to_string());
    }
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .expect("pool")
}
