//! `--backend aws` takes the same path as the embedded emulator, with credentials from the
//! default chain; pointed at a standalone emulator it proves that path without AWS.

use std::process::Command;

use lensgate_emulator::{Account, Config, Emulator, FaultRules};
use tokio::net::TcpListener;

use crate::helpers::Process;

fn start(endpoint: &str, access_key: &str, secret: &str, dir: &std::path::Path) -> Process {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lensgate"));
    command
        .args([
            "--listen",
            "127.0.0.1:0",
            "--backend",
            "aws",
            "--region",
            "us-east-1",
        ])
        .args(["--endpoint-url", endpoint, "--aws-max-attempts", "1"])
        .arg("--database")
        .arg(dir.join("lensgate.db"))
        .env("LENSGATE_ADMIN_PASSWORD", crate::helpers::ADMIN_PASSWORD)
        .env("AWS_ACCESS_KEY_ID", access_key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
    Process::start(command)
}

async fn standalone_emulator(dir: &std::path::Path) -> (String, Account) {
    let account = Account::new("AKIASTANDALONE00001", "standalone-secret", "444455556666").unwrap();
    let emulator = Emulator::open(Config {
        accounts: vec![account.clone()],
        region: "us-east-1".into(),
        database: dir.join("emulator.db"),
        faults: FaultRules::new(),
        check_outputs: true,
        seed: true,
    })
    .await
    .unwrap();
    let (address, _task) = emulator
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    (format!("http://{address}"), account)
}

// The emulator runs on this test's runtime while the test thread waits for the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_backend_uses_the_default_credential_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (endpoint, account) = standalone_emulator(dir.path()).await;
    let server = start(
        &endpoint,
        &account.access_key,
        &account.secret_key,
        dir.path(),
    );
    let ready = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["aws"], "ok");
    let client = crate::helpers::new_client();
    crate::helpers::sign_in(
        &client,
        &server.url,
        "admin",
        crate::helpers::ADMIN_PASSWORD,
    )
    .await;
    let status: serde_json::Value = client
        .post(format!("{}/api/status", server.url))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["backend"], "aws");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_keep_the_ui_up_and_readiness_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (endpoint, account) = standalone_emulator(dir.path()).await;
    let server = start(&endpoint, &account.access_key, "wrong-secret", dir.path());
    let home = reqwest::get(format!("{}/", server.url)).await.unwrap();
    assert_eq!(home.status(), 200, "the UI still serves");
    let ready = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert!(
        body["checks"]["aws"]
            .as_str()
            .unwrap()
            .contains("InvalidSignatureException"),
        "{body}"
    );
    assert_eq!(body["checks"]["database"], "ok");
}
