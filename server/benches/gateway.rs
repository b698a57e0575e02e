//! An audited CreateLensShare through the gateway against the same call made directly with the
//! same SDK client and emulator, interleaved in one run; then the audit append rate.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up stops with the value in the report"
)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use clap::Parser;
use lensgate::{
    audit::{Actor, AuditLog, NewEvent, Phase},
    config::Config,
    gateway::Change,
    startup::Application,
};

const CHANGES: usize = 400;
const WRITERS: usize = 4;
const APPENDS_PER_WRITER: usize = 2_500;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database = dir.path().join("lensgate.db");
    let config = Config::parse_from([
        "lensgate".as_ref(),
        "--listen".as_ref(),
        "127.0.0.1:0".as_ref(),
        "--database".as_ref(),
        database.as_os_str(),
        "--log".as_ref(),
        "warn".as_ref(),
    ]);
    let app = Application::build(&config).await.expect("application");
    let gateway = app.gateway().clone();
    let actor = Actor {
        name: "bench".into(),
        role: "author".into(),
    };
    let lens = gateway
        .apply(
            &actor,
            Change::ImportLens {
                lens_alias: None,
                json_string: include_str!("../../emulator/tests/fixtures/bench-lens.json")
                    .to_owned(),
                tags: Default::default(),
            },
        )
        .await
        .expect("import")
        .response["LensArn"]
        .as_str()
        .and_then(|arn| lensgate_app::ids::LensArn::parse(arn).ok())
        .expect("arn");
    gateway
        .apply(
            &actor,
            Change::CreateLensVersion {
                lens_alias: lens.clone(),
                lens_version: "1".into(),
                is_major_version: true,
            },
        )
        .await
        .expect("publish");

    let wa = &gateway.clients().wellarchitected;
    let mut direct = Vec::with_capacity(CHANGES);
    let mut audited = Vec::with_capacity(CHANGES);
    for i in 0..CHANGES {
        let started = Instant::now();
        wa.create_lens_share()
            .lens_alias(lens.as_str())
            .shared_with(format!("{:012}", 300_000_000_000u64 + i as u64))
            .client_request_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .expect("direct share");
        direct.push(started.elapsed());

        let started = Instant::now();
        gateway
            .apply(
                &actor,
                Change::CreateLensShare {
                    lens_alias: lens.clone(),
                    shared_with: format!("{:012}", 400_000_000_000u64 + i as u64),
                },
            )
            .await
            .expect("audited share");
        audited.push(started.elapsed());
    }
    let (d50, d99) = percentiles(&mut direct);
    let (a50, a99) = percentiles(&mut audited);
    println!("| CreateLensShare ({CHANGES} each, interleaved) | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| direct SDK call | {:.2} ms | {:.2} ms |",
        ms(d50),
        ms(d99)
    );
    println!(
        "| audited through the gateway | {:.2} ms | {:.2} ms |",
        ms(a50),
        ms(a99)
    );
    println!(
        "| added by auditing | {:.2} ms | {:.2} ms |",
        ms(a50) - ms(d50),
        ms(a99) - ms(d99)
    );
    println!(
        "| ratio audited/direct | {:.2} | {:.2} |",
        ms(a50) / ms(d50),
        ms(a99) / ms(d99)
    );

    let append_dir = tempfile::tempdir().expect("temporary folder");
    let log = Arc::new(AuditLog::new(
        lensgate::db::open(&append_dir.path().join("audit.db"))
            .await
            .expect("database"),
    ));
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let log = log.clone();
            tokio::spawn(async move {
                for n in 0..APPENDS_PER_WRITER {
                    log.append(NewEvent {
                        actor: Actor {
                            name: format!("writer{w}"),
                            role: "author".into(),
                        },
                        action: "CreateLensShare".into(),
                        target: "arn:aws:wellarchitected:us-east-1:111122223333:lens/bench".into(),
                        phase: Phase::Recorded,
                        operation_id: format!("{w}-{n}"),
                        idempotency_token: Some(uuid::Uuid::new_v4().to_string()),
                        request: serde_json::json!({ "SharedWith": "444455556666" }),
                        response: Some(
                            serde_json::json!({ "ShareId": "0123456789abcdef0123456789abcdef" }),
                        ),
                        error_code: None,
                        error_message: None,
                        aws_request_id: None,
                        attempts: Some(1),
                        duration_ms: Some(3),
                    })
                    .await
                    .expect("append");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("writer");
    }
    let elapsed = started.elapsed();
    let total = WRITERS * APPENDS_PER_WRITER;
    println!();
    println!(
        "audit appends: {total} events from {WRITERS} concurrent writers in {:.2} s = {:.0} events/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    let verified = log.verify().await.expect("verify");
    println!("chain after the run: {verified:?}");
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    (at(0.50), at(0.99))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
