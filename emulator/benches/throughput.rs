//! CreateLensShare and ListLenses through the official SDK over loopback HTTP with SigV4:
//! throughput with concurrent clients and latency percentiles.

use std::time::{Duration, Instant};

use aws_sdk_wellarchitected::{
    Client,
    config::{BehaviorVersion, Credentials, Region, retry::RetryConfig},
};
use lensgate_emulator::{Account, Config, Emulator, FaultRules};
use tokio::net::TcpListener;

const CONCURRENCY: usize = 8;
const SHARES: usize = 800;
const LISTS: usize = 4000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let owner =
        Account::new("AKIABENCH0000000001", "bench-secret", "111122223333").expect("account");
    let emulator = Emulator::open(Config {
        accounts: vec![owner.clone()],
        region: "us-east-1".into(),
        database: dir.path().join("bench.db"),
        faults: FaultRules::new(),
        check_outputs: false,
        seed: false,
    })
    .await
    .expect("emulator");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listener");
    let (address, _task) = emulator.spawn(listener).expect("serve");
    let client = Client::from_conf(
        aws_sdk_wellarchitected::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(format!("http://{address}"))
            .credentials_provider(Credentials::new(
                &owner.access_key,
                &owner.secret_key,
                None,
                None,
                "bench",
            ))
            .retry_config(RetryConfig::disabled())
            .build(),
    );

    let lens = client
        .import_lens()
        .json_string(include_str!("../tests/fixtures/bench-lens.json"))
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("import")
        .lens_arn
        .expect("arn");
    client
        .create_lens_version()
        .lens_alias(&lens)
        .lens_version("1.0")
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
        .expect("publish");

    let share_client = client.clone();
    let shares = run(SHARES, move |i| {
        let client = share_client.clone();
        let lens = lens.clone();
        async move {
            client
                .create_lens_share()
                .lens_alias(lens)
                .shared_with(format!("{:012}", 200_000_000_000u64 + i as u64))
                .client_request_token(uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .expect("share");
        }
    })
    .await;
    let list_client = client.clone();
    let lists = run(LISTS, move |_| {
        let client = list_client.clone();
        async move {
            client.list_lenses().send().await.expect("list");
        }
    })
    .await;

    println!("| operation | requests | concurrency | requests/s | p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    shares.print("CreateLensShare");
    lists.print("ListLenses");
}

struct Measured {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Measured {
    fn print(mut self, name: &str) {
        self.latencies.sort();
        let at = |q: f64| {
            self.latencies
                [((self.latencies.len() as f64 * q) as usize).min(self.latencies.len() - 1)]
        };
        println!(
            "| {name} | {} | {CONCURRENCY} | {:.0} | {:.2} ms | {:.2} ms |",
            self.latencies.len(),
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
        );
    }
}

/// Runs `count` requests from CONCURRENCY workers, timing each one.
async fn run<F, Fut>(count: usize, request: F) -> Measured
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|worker| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                for i in (worker..count).step_by(CONCURRENCY) {
                    let sent = Instant::now();
                    request(i).await;
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    Measured {
        latencies,
        elapsed: started.elapsed(),
    }
}
