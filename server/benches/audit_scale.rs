//! The audit history at one million events: a generator seeds a realistic year (mixed actions,
//! 50 actors, 5,000 targets, 5% failures), then the Audit page's query code and the HTTP page,
//! search, deep keyset pages and the streamed export are timed, with the server's peak memory.
//! `LENSGATE_BENCH_EVENTS` changes the size. With `LENSGATE_BENCH_POSTGRES=postgres://…` the
//! seeded history is copied there with `lensgate migrate` (in a schema of its own, dropped at the
//! end) and the same figures are taken on PostgreSQL, with the chain's advisory lock measured
//! against a lock on a head row. Figures: README, "Audit history at scale" and "PostgreSQL".

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up stops with the value in the report"
)]

#[path = "audit_scale/postgres.rs"]
mod postgres;
mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use lensgate::db::Database;
use lensgate::{
    audit::{
        Actor, AuditAction, AuditLog, NewEvent, export,
        query::{self, Filter},
    },
    timestamp,
};
use support::{
    history::{ACTORS, pool_with, seed_fresh, target},
    process::{listening, rss_peak_kib},
};
use time::OffsetDateTime;

const ADMIN_PASSWORD: &str = "bench administrator password";

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

async fn time_page(
    db: &Database,
    filter: &Filter,
    before: Option<i64>,
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        rows = query::page(db, filter, before, 51)
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
    if let Ok(server) = std::env::var("LENSGATE_BENCH_POSTGRES") {
        pool.close().await;
        postgres::figures(&server, &database, count, dir.path()).await;
        return;
    }
    appends_on_top(&AuditLog::new(pool.clone())).await;
    println!("\nthrough the server's query code (first page of 50, p50 / p95):");
    let db = Database::from(pool.clone());
    query_figures(&db, count).await;
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
        let db = Database::from(pool_with(&database, &pragmas).await);
        let mut line = format!("  {label:<28}");
        for (name, filter, before, runs) in cases(count) {
            if matches!(
                name,
                "actor + action + outcome"
                    | "search, common word"
                    | "last 30 days"
                    | "outcome (failed)"
            ) {
                let (_, p95, _) = time_page(&db, &filter, before, runs).await;
                line.push_str(&format!(" {name}: {}", ms(p95)));
            }
        }
        println!("{line}");
        if let Database::Sqlite(pool) = db {
            pool.close().await;
        }
    }
    http_figures(database.as_os_str(), dir.path()).await;
}

/// 1,000 appends through the server's own path on top of the seeded history.
async fn appends_on_top(log: &AuditLog) {
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
}

/// The cases through the server's query code, then the export's reader alone.
async fn query_figures(db: &Database, count: usize) {
    for (name, filter, before, runs) in cases(count) {
        let (p50, p95, rows) = time_page(db, &filter, before, runs).await;
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
            db,
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
}

/// The real server binary on `database` (a file or a URL), so its memory is its own: the chain's
/// first walk, the Audit page over HTTP, and the export with the server's peak memory.
async fn http_figures(database: &std::ffi::OsStr, dir: &std::path::Path) {
    // The real server binary, so its memory is its own.
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site folder");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(["--listen", "127.0.0.1:0", "--log", "info", "--database"])
        .arg(database)
        .current_dir(dir)
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
