use aws_sdk_wellarchitected::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
use lensgate_emulator::{Account, Config, Emulator, FaultRules};
use tempfile::TempDir;
use tokio::{net::TcpListener, task::JoinHandle};

pub const REGION: &str = "us-east-1";

pub fn alice() -> Account {
    Account::new("AKIAALICE0000000001", "alice-secret-key", "111122223333").unwrap()
}

pub fn bob() -> Account {
    Account::new("AKIABOB00000000002", "bob-secret-key", "444455556666").unwrap()
}

/// An emulator on a free loopback port with a database of its own.
pub struct TestEmulator {
    pub url: String,
    task: JoinHandle<()>,
    dir: Option<TempDir>,
    seed: bool,
}

impl TestEmulator {
    /// An empty emulator: tests see only what they create.
    pub async fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), false).await
    }

    /// An emulator whose new database starts with the example workloads, license and grant.
    pub async fn start_seeded() -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), true).await
    }

    async fn start_in(dir: TempDir, seed: bool) -> Self {
        let database = dir.path().join("emulator.db");
        let emulator = Emulator::open(Config {
            accounts: vec![alice(), bob()],
            region: REGION.to_owned(),
            database,
            faults: FaultRules::new(),
            check_outputs: true,
            seed,
        })
        .await
        .expect("the emulator opens");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (address, task) = emulator.spawn(listener).unwrap();
        TestEmulator {
            url: format!("http://{address}"),
            task,
            dir: Some(dir),
            seed,
        }
    }

    /// Stops this emulator and starts a new one on the same database.
    pub async fn restart(mut self) -> Self {
        let dir = self.dir.take().expect("a running emulator has its folder");
        let seed = self.seed;
        drop(self);
        Self::start_in(dir, seed).await
    }

    pub fn wa(&self, account: &Account) -> aws_sdk_wellarchitected::Client {
        self.wa_signed_with(account, &account.secret_key)
    }

    pub fn wa_signed_with(
        &self,
        account: &Account,
        secret: &str,
    ) -> aws_sdk_wellarchitected::Client {
        let config = aws_sdk_wellarchitected::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(Credentials::new(
                &account.access_key,
                secret,
                None,
                None,
                "test",
            ))
            .retry_config(RetryConfig::disabled())
            .build();
        aws_sdk_wellarchitected::Client::from_conf(config)
    }

    pub fn lm(&self, account: &Account) -> aws_sdk_licensemanager::Client {
        let config = aws_sdk_licensemanager::Config::builder()
            .behavior_version(aws_sdk_licensemanager::config::BehaviorVersion::latest())
            .region(aws_sdk_licensemanager::config::Region::new(REGION))
            .endpoint_url(&self.url)
            .credentials_provider(aws_sdk_licensemanager::config::Credentials::new(
                &account.access_key,
                &account.secret_key,
                None,
                None,
                "test",
            ))
            .retry_config(aws_sdk_licensemanager::config::retry::RetryConfig::disabled())
            .build();
        aws_sdk_licensemanager::Client::from_conf(config)
    }
}

impl Drop for TestEmulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A small valid lens; `name` and the question title vary so versions differ.
pub fn lens_json(name: &str, question_title: &str) -> String {
    serde_json::json!({
        "schemaVersion": "2021-11-01",
        "name": name,
        "description": "A lens for tests.",
        "pillars": [{
            "id": "security",
            "name": "Security",
            "questions": [{
                "id": "sec_keys",
                "title": question_title,
                "description": "How are keys rotated?",
                "choices": [
                    { "id": "sec_keys_rotate", "title": "Keys rotate", "helpfulResource": { "displayText": "Rotate" }, "improvementPlan": { "displayText": "Rotate keys" } },
                    { "id": "sec_keys_no", "title": "None of these" }
                ],
                "riskRules": [
                    { "condition": "sec_keys_rotate", "risk": "NO_RISK" },
                    { "condition": "default", "risk": "HIGH_RISK" }
                ]
            }]
        }]
    })
    .to_string()
}

pub async fn import(client: &aws_sdk_wellarchitected::Client, name: &str) -> String {
    client
        .import_lens()
        .json_string(lens_json(name, "How do you manage keys?"))
        .client_request_token(uuid())
        .send()
        .await
        .expect("import succeeds")
        .lens_arn
        .expect("a lens ARN")
}

/// Imports `json` as the new draft of the lens `arn`.
pub async fn reimport(client: &aws_sdk_wellarchitected::Client, arn: &str, json: String) {
    client
        .import_lens()
        .lens_alias(arn)
        .json_string(json)
        .client_request_token(uuid())
        .send()
        .await
        .expect("the new draft is imported");
}

pub async fn publish(client: &aws_sdk_wellarchitected::Client, arn: &str, version: &str) {
    client
        .create_lens_version()
        .lens_alias(arn)
        .lens_version(version)
        .is_major_version(true)
        .client_request_token(uuid())
        .send()
        .await
        .expect("publish succeeds");
}

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
