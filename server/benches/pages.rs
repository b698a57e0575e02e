//! The server's speed page by page under load, side by side with `/healthz` (axum and the
//! runtime alone): `wrk` (Debian's package) drives the real release binary with 50 connections
//! for each page, signed in, against an emulator holding 100 custom lenses and a history of
//! 100,000 audit events. Figures: README, "The server's speed".

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up stops with the value in the report"
)]

mod support;

use std::{process::Command, time::Duration};

use aws_sdk_wellarchitected::{
    Client,
    config::{BehaviorVersion, Credentials, Region},
    types::ShareInvitationAction,
};
use lensgate_emulator::Account;
use support::{
    history::seed_fresh,
    process::{cpu_seconds, listening, rss_now_kib, rss_peak_kib},
};

const REGION: &str = "us-east-1";
const CONNECTIONS: &str = "50";
const THREADS: &str = "2";
const DURATION: &str = "10s";
const EVENTS: usize = 100_000;
/// 15 owned (AWS's quota per account and Region) and 85 shared by six other accounts.
const OWNED: usize = 15;
const SHARED: usize = 85;
const ADMIN_PASSWORD: &str = "bench administrator password";

struct Run {
    requests: f64,
    requests_per_s: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

#[tokio::main]
async fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "this benchmark drives the server with wrk: install it with `apt-get install wrk`"
        );
        std::process::exit(1);
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let owner = Account::new("AKIABENCHOWNER000001", "owner-secret", "111122223333").unwrap();
    let others: Vec<Account> = (1..=6)
        .map(|n| {
            Account::new(
                &format!("AKIABENCHOTHER00000{n}"),
                "other-secret",
                &format!("2000000000{n:02}"),
            )
            .unwrap()
        })
        .collect();
    // The emulator runs as its own process, as AWS would: its work is not the server's.
    let mut emulator = Command::new(env!("CARGO_BIN_EXE_lensgate"));
    emulator
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--region",
            REGION,
            "--db",
        ])
        .arg(dir.path().join("emulator.db"));
    for account in std::iter::once(&owner).chain(&others) {
        emulator
            .args(["--access-key", &account.access_key])
            .args(["--secret-key", &account.secret_key])
            .args(["--account-id", &account.account_id]);
    }
    let mut emulator = Stopped(
        emulator
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("lensgate emulator"),
    );
    let endpoint = listening(&mut emulator.0);

    let owner_client = client(&endpoint, &owner);
    let mut owned = Vec::new();
    for n in 0..OWNED {
        owned.push(publish_lens(&owner_client, &format!("Bench lens owned {n:02}")).await);
    }
    for n in 0..SHARED {
        let other = &others[n % others.len()];
        let lens = publish_lens(
            &client(&endpoint, other),
            &format!("Bench lens shared {n:02}"),
        )
        .await;
        client(&endpoint, other)
            .create_lens_share()
            .lens_alias(lens)
            .shared_with(&owner.account_id)
            .client_request_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .expect("share with the owner");
    }
    accept_every_invitation(&owner_client).await;
    // The detail page's lens has shares of its own to list.
    for n in 0..10 {
        owner_client
            .create_lens_share()
            .lens_alias(&owned[0])
            .shared_with(format!("3000000000{n:02}"))
            .client_request_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .expect("share");
    }

    let database = dir.path().join("lensgate.db");
    let pool = lensgate::db::open(&database).await.expect("database");
    seed_fresh(&pool, &database, EVENTS).await;
    pool.close().await;

    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let mut server = Stopped(
        Command::new(env!("CARGO_BIN_EXE_lensgate"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--backend",
                "aws",
                "--region",
                REGION,
            ])
            .arg("--endpoint-url")
            .arg(&endpoint)
            .arg("--database")
            .arg(&database)
            .arg("--site-root")
            .arg(&site)
            .env("LENSGATE_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("AWS_ACCESS_KEY_ID", &owner.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &owner.secret_key)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("lensgate server"),
    );
    let url = listening(&mut server.0);
    let pid = server.0.id();
    let cookie = sign_in(&url).await;

    let detail = lensgate_app::lens_catalog::detail_href(&owned[0]);
    let pages: [(&str, String, Option<&str>, &str); 6] = [
        ("`/healthz`", "/healthz".into(), None, "ok"),
        ("sign-in page", "/login".into(), None, "Sign in"),
        ("home page", "/".into(), Some(&cookie), "lensgate"),
        (
            "lens list (100 custom lenses)",
            "/lenses".into(),
            Some(&cookie),
            "Bench lens shared 84",
        ),
        (
            "audit page (100,000 events)",
            "/audit".into(),
            Some(&cookie),
            "Chain",
        ),
        ("lens detail", detail, Some(&cookie), "Bench lens owned 00"),
    ];
    // Every page is checked to be the page it should be before it is timed: a redirect to the
    // sign-in page is fast and would measure nothing.
    for (name, path, cookie, expect) in &pages {
        let body = fetch(&url, path, *cookie).await;
        assert!(body.contains(expect), "{name} ({path}) lacks {expect:?}");
    }
    wrk(&url, "/healthz", None, "3s");

    let emulator_pid = emulator.0.id();
    let mut results = Vec::new();
    for (name, path, cookie, _) in &pages {
        let cpu = (cpu_seconds(pid), cpu_seconds(emulator_pid));
        let run = wrk(&url, path, *cookie, DURATION);
        assert_eq!(run.errors, 0, "{name}: responses other than 2xx or 3xx");
        // CPU per request, the server's and the emulator's (AWS's stand-in) apart.
        let per_request = |before: f64, after: f64| (after - before) / run.requests * 1e6;
        let server_us = per_request(cpu.0, cpu_seconds(pid));
        let emulator_us = per_request(cpu.1, cpu_seconds(emulator_pid));
        results.push((*name, run, server_us, emulator_us));
    }
    let rss_now = rss_now_kib(pid);
    let rss_peak = rss_peak_kib(pid);
    let floor = results[0].1.requests_per_s;
    println!(
        "\nwrk -t{THREADS} -c{CONNECTIONS} -d{DURATION} --latency, signed in (the load generator shares the two cores)\n"
    );
    println!(
        "| page | requests/s | p50 | p99 | of `/healthz` | server CPU per request | emulator CPU per request |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, run, server_us, emulator_us) in &results {
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms | {:.0}% | {server_us:.0} µs | {emulator_us:.0} µs |",
            run.requests_per_s,
            run.p50.as_secs_f64() * 1e3,
            run.p99.as_secs_f64() * 1e3,
            run.requests_per_s / floor * 100.0
        );
    }
    println!(
        "\nserver RSS after the runs {} MB, peak {} MB",
        rss_now / 1024,
        rss_peak / 1024
    );
    drop((server, emulator));
}

/// A child process stopped when the benchmark ends, also when it stops on a failed check.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn client(endpoint: &str, account: &Account) -> Client {
    Client::from_conf(
        aws_sdk_wellarchitected::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new(
                &account.access_key,
                &account.secret_key,
                None,
                None,
                "bench",
            ))
            .build(),
    )
}

/// Imports a lens named `name` and publishes it as version 1.0; returns its ARN.
async fn publish_lens(client: &Client, name: &str) -> String {
    let mut lens: serde_json::Value = serde_json::from_str(include_str!(
        "../../emulator/tests/fixtures/bench-lens.json"
    ))
    .unwrap();
    lens["name"] = name.into();
    let arn = client
        .import_lens()
        .json_string(lens.to_string())
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("import")
        .lens_arn
        .unwrap();
    client
        .create_lens_version()
        .lens_alias(&arn)
        .lens_version("1.0")
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("publish");
    arn
}

async fn accept_every_invitation(client: &Client) {
    let mut accepted = 0;
    loop {
        let page = client
            .list_share_invitations()
            .send()
            .await
            .expect("invitations");
        let invitations = page.share_invitation_summaries.unwrap_or_default();
        if invitations.is_empty() {
            break;
        }
        for invitation in invitations {
            client
                .update_share_invitation()
                .share_invitation_id(invitation.share_invitation_id.unwrap())
                .share_invitation_action(ShareInvitationAction::Accept)
                .send()
                .await
                .expect("accept");
            accepted += 1;
        }
    }
    assert!(accepted >= SHARED, "only {accepted} invitations accepted");
}

/// Signs in as the first administrator and returns the session cookie.
async fn sign_in(url: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{url}/api/login"))
        .header("accept", "application/json")
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(
        response.status().is_success(),
        "sign in: {}",
        response.status()
    );
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect();
    assert!(!cookies.is_empty(), "signing in set no cookie");
    cookies.join("; ")
}

async fn fetch(url: &str, path: &str, cookie: Option<&str>) -> String {
    let mut request = reqwest::Client::new().get(format!("{url}{path}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("page");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.text().await.unwrap()
}

fn wrk(url: &str, path: &str, cookie: Option<&str>, duration: &str) -> Run {
    let mut command = Command::new("wrk");
    command.args([
        "-t",
        THREADS,
        "-c",
        CONNECTIONS,
        "-d",
        duration,
        "--latency",
    ]);
    if let Some(cookie) = cookie {
        command.arg("-H").arg(format!("Cookie: {cookie}"));
    }
    let output = command.arg(format!("{url}{path}")).output().expect("wrk");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "wrk failed on {path}: {text}");
    assert!(
        !text.contains("Socket errors"),
        "requests to {path} failed or timed out: {text}"
    );
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    let requests = text
        .lines()
        .find_map(|l| l.trim().split_once(" requests in "))
        .map(|(n, _)| n.trim().parse().unwrap())
        .unwrap();
    Run {
        requests,
        requests_per_s: field("Requests/sec:").unwrap().parse().unwrap(),
        p50: latency(field("50%").unwrap()),
        p99: latency(field("99%").unwrap()),
        errors: field("Non-2xx or 3xx responses:").map_or(0, |n| n.parse().unwrap()),
    }
}

/// wrk's latencies: `635.91us`, `1.03ms`, `2.00s`.
fn latency(text: &str) -> Duration {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap();
    let (value, unit) = text.split_at(split);
    let value: f64 = value.parse().unwrap();
    Duration::from_secs_f64(match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        other => panic!("unknown wrk unit {other:?}"),
    })
}
