//! The audit history at one million events: a generator seeds a realistic year (mixed actions,
//! 50 actors, 5,000 targets, 5% failures), then the Audit page's query code and the HTTP page,
//! search, deep keyset pages and the streamed export are timed, with the server's peak memory.
//! `LENSGATE_BENCH_EVENTS` changes the size. Figures: README, "Audit history at scale".

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up stops with the value in the report"
)]

use std::{
    str::FromStr,
    time::{Duration, Instant},
};

use futures_util::StreamExt as _;
use lensgate::{
    audit::{
        Actor, AuditAction, AuditLog, Event, NewEvent, chain, export,
        query::{self, Filter},
    },
    timestamp,
};
use sqlx::{SqlitePool, sqlite::SqliteConnectOptions};
use time::OffsetDateTime;

const ACTORS: usize = 50;
const TARGETS: usize = 5_000;
const BATCH: usize = 10_000;
const ADMIN_PASSWORD: &str = "bench administrator password";

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

fn target(i: usize) -> String {
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

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn time_page(
    pool: &SqlitePool,
    filter: &Filter,
    before: Option<i64>,
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        rows = query::page(pool, filter, before, 51)
            .await
            .expect("page")
            .len();
        times.push(started.elapsed());
    }
    (
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.95),
        rows,
    )
}

fn cases(count: usize) -> Vec<(&'static str, Filter, Option<i64>, usize)> {
    let month_ago = timestamp::format(OffsetDateTime::now_utc() - Duration::from_secs(30 * 86_400));
    let one = |f: fn(&mut Filter)| {
        let mut filter = Filter::default();
        f(&mut filter);
        filter
    };
    vec![
        ("no filter", Filter::default(), None, 200),
        (
            "action",
            one(|f| f.actions = vec!["CreateGrantVersion".into()]),
            None,
            200,
        ),
        ("actor", one(|f| f.actor = Some("user07".into())), None, 200),
        (
            "outcome (failed)",
            one(|f| f.phase = Some("failed".into())),
            None,
            200,
        ),
        ("target", one(|f| f.target = Some(target(1_234))), None, 200),
        (
            "last 30 days",
            Filter {
                from: Some(month_ago),
                ..Filter::default()
            },
            None,
            200,
        ),
        (
            "actor + action + outcome",
            one(|f| {
                f.actor = Some("user07".into());
                f.actions = vec!["CreateLensShare".into()];
                f.phase = Some("succeeded".into());
            }),
            None,
            200,
        ),
        (
            "actor, deep page (keyset)",
            one(|f| f.actor = Some("user07".into())),
            Some(count as i64 / 2),
            200,
        ),
        (
            "search, rare word",
            one(|f| f.text = Some("quasar".into())),
            None,
            20,
        ),
        (
            "search, common word",
            one(|f| f.text = Some("share".into())),
            None,
            20,
        ),
    ]
}

fn rss_peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

async fn pool_with(path: &std::path::Path, pragmas: &[(&str, &str)]) -> SqlitePool {
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

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("LENSGATE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    // A kept database is seeded once and reused by later runs, so tuning the reads does not
    // wait minutes for the generator each time.
    let database = std::env::var_os("LENSGATE_BENCH_DATABASE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("lensgate.db"));
    let reused = database.exists();
    let pool = lensgate::db::open(&database).await.expect("database");
    if reused {
        println!("reusing the seeded database {}", database.display());
    } else {
        seed_fresh(&pool, &database, count).await;
    }
    let size = std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {:.0} MB, {:.0} MB per million events",
        size as f64 / 1e6,
        size as f64 / 1e6 * 1e6 / count as f64
    );
    let log = AuditLog::new(pool.clone());
    let started = Instant::now();
    for i in 0..1_000 {
        log.append(NewEvent::recorded(
            Actor {
                name: format!("user{:02}", i % ACTORS),
                role: "author".into(),
            },
            AuditAction::SubmitForReview,
            &target(i),
            serde_json::json!({ "note": "appended through the server's path" }),
        ))
        .await
        .expect("append");
    }
    println!(
        "1,000 appends through AuditLog::append on top: {:.0} appends/s",
        1_000.0 / started.elapsed().as_secs_f64()
    );

    println!("\nthrough the server's query code (first page of 50, p50 / p95):");
    for (name, filter, before, runs) in cases(count) {
        let (p50, p95, rows) = time_page(&pool, &filter, before, runs).await;
        println!(
            "  {name:<28} {:>10} {:>10}  ({rows} rows)",
            ms(p50),
            ms(p95)
        );
    }
    // The export's own reader, without HTTP: how much of the export rate is the database's.
    // The first pass may read a reused file from disk; the second finds it in the OS cache.
    for pass in ["first pass", "second pass"] {
        let started = Instant::now();
        let mut rows = 0usize;
        let mut chunks = std::pin::pin!(export::stream(
            database.clone(),
            Filter::default(),
            lensgate_app::audit_browser::ExportFormat::Csv,
        ));
        while let Some(chunk) = chunks.next().await {
            rows += chunk
                .expect("export")
                .iter()
                .filter(|b| **b == b'\n')
                .count();
        }
        println!(
            "  export reader alone (CSV), {pass}: {:>8.0} rows/s",
            rows as f64 / started.elapsed().as_secs_f64()
        );
    }
    pool.close().await;

    println!("\nSQLite settings (p95 of the same cases, first run after opening):");
    for (label, pragmas) in [
        ("cache 2 MB (SQLite default)", vec![("cache_size", "-2000")]),
        ("cache 8 MB (lensgate)", vec![("cache_size", "-8000")]),
        ("cache 32 MB", vec![("cache_size", "-32000")]),
        (
            "cache 8 MB + mmap 256 MB",
            vec![("cache_size", "-8000"), ("mmap_size", "268435456")],
        ),
    ] {
        let pool = pool_with(&database, &pragmas).await;
        let mut line = format!("  {label:<28}");
        for (name, filter, before, runs) in cases(count) {
            if matches!(
                name,
                "actor + action + outcome"
                    | "search, common word"
                    | "last 30 days"
                    | "outcome (failed)"
            ) {
                let (_, p95, _) = time_page(&pool, &filter, before, runs).await;
                line.push_str(&format!(" {name}: {}", ms(p95)));
            }
        }
        println!("{line}");
        pool.close().await;
    }

    // The real server binary, so its memory is its own.
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site folder");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(["--listen", "127.0.0.1:0", "--log", "info", "--database"])
        .arg(&database)
        .arg("--site-root")
        .arg(&site)
        .env("LENSGATE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("lensgate server");
    let url = listening(&mut server);
    let pid = server.id();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    client
        .post(format!("{url}/api/login"))
        .header("accept", "application/json")
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .expect("sign in");

    let started = Instant::now();
    let chain = client
        .post(format!("{url}/api/audit/chain"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    println!(
        "\nfirst chain verification (whole chain): {:.1} s: {chain}; server peak RSS so far {} MB",
        started.elapsed().as_secs_f64(),
        rss_peak_kib(pid) / 1024
    );

    println!("\nend to end through HTTP (p50 / p95):");
    for (name, path) in [
        ("Audit page (HTML), no filter", "/audit".to_owned()),
        (
            "Audit page (HTML), three filters",
            "/audit?actor=user07&action=CreateLensShare&outcome=succeeded".to_owned(),
        ),
        ("Audit page (HTML), search", "/audit?q=quasar".to_owned()),
    ] {
        let mut times = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            let response = client.get(format!("{url}{path}")).send().await.unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.bytes().await.unwrap();
            times.push(started.elapsed());
        }
        println!(
            "  {name:<34} {:>10} {:>10}",
            ms(percentile(&mut times, 0.5)),
            ms(percentile(&mut times, 0.95))
        );
    }

    println!();
    for (format, header_lines) in [("csv", 2), ("jsonl", 1)] {
        // The server's peak memory from here on: the kernel's high-water mark restarts at its
        // current size.
        let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
        let before_export = rss_peak_kib(pid);
        let started = Instant::now();
        let mut response = client
            .get(format!("{url}/audit/export?format={format}"))
            .send()
            .await
            .unwrap();
        let mut first_byte = None;
        let mut lines = 0usize;
        let mut bytes = 0usize;
        while let Some(chunk) = response.chunk().await.unwrap() {
            first_byte.get_or_insert_with(|| started.elapsed());
            lines += chunk.iter().filter(|b| **b == b'\n').count();
            bytes += chunk.len();
        }
        let took = started.elapsed();
        let rows = lines.saturating_sub(header_lines);
        println!(
            "export ({format}, everything): {rows} rows, {:.0} MB in {:.1} s: {:.0} rows/s; first bytes after {}; peak RSS {} MB (was {} MB before the export)",
            bytes as f64 / 1e6,
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64(),
            ms(first_byte.unwrap_or_default()),
            rss_peak_kib(pid) / 1024,
            before_export / 1024,
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}

/// Seeds `count` events into a new database with the generator's own fast settings, then
/// leaves it as the server would find it.
async fn seed_fresh(pool: &SqlitePool, database: &std::path::Path, count: usize) {
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

/// Waits for the server's "listening on" line and keeps draining its log.
fn listening(server: &mut std::process::Child) -> String {
    use std::io::{BufRead, BufReader};
    let mut lines = BufReader::new(server.stderr.take().expect("log")).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the server stopped before listening")
            .expect("log line");
        if let Some(at) = line.find("listening on http://") {
            break line[at + "listening on ".len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    url
}
