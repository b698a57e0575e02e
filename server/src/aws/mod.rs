//! The AWS clients, built once at start-up. Both backends take the same path: an `SdkConfig`
//! from aws-config, then the official Well-Architected and License Manager clients. The only
//! difference is where they point: the embedded emulator on a loopback port with credentials
//! made for this start, or AWS (or any endpoint) through the default credential chain.

use std::{path::PathBuf, sync::Arc, time::Duration};

use aws_config::{BehaviorVersion, Region, retry::RetryConfig, timeout::TimeoutConfig};
use aws_sdk_wellarchitected::config::{Credentials, SharedCredentialsProvider};
use lensgate_emulator::{Account, Emulator, FaultRules};
use tokio::{net::TcpListener, task::JoinHandle};

use crate::{
    config::{AwsSettings, BackendKind},
    error::StartupError,
};

/// The account the embedded emulator signs as.
pub const EMULATED_ACCOUNT: &str = "111122223333";

#[derive(Clone)]
pub struct AwsClients {
    pub wellarchitected: aws_sdk_wellarchitected::Client,
    pub license_manager: aws_sdk_licensemanager::Client,
    pub embedded: Option<Arc<EmbeddedEmulator>>,
}

/// The emulator running inside this process.
pub struct EmbeddedEmulator {
    pub url: String,
    pub database: PathBuf,
    task: JoinHandle<()>,
}

impl Drop for EmbeddedEmulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn connect(
    backend: BackendKind,
    settings: &AwsSettings,
    emulator_database: PathBuf,
) -> Result<AwsClients, StartupError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
                .operation_timeout(Duration::from_millis(settings.operation_timeout_ms))
                .build(),
        );
    let mut embedded = None;
    match backend {
        BackendKind::Emulator => {
            let account = Account::generate(EMULATED_ACCOUNT);
            let faults: FaultRules = match &settings.emulator_faults {
                Some(json) => serde_json::from_str(json)
                    .map_err(|e| StartupError::Emulator(format!("--emulator-faults: {e}")))?,
                None => FaultRules::new(),
            };
            let emulator = Emulator::open(lensgate_emulator::Config {
                accounts: vec![account.clone()],
                region: settings
                    .region
                    .clone()
                    .unwrap_or_else(|| "us-east-1".to_owned()),
                database: emulator_database.clone(),
                faults,
                check_outputs: false,
                seed: true,
            })
            .await
            .map_err(|e| StartupError::Emulator(e.to_string()))?;
            let listener = TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| StartupError::Emulator(format!("cannot listen on loopback: {e}")))?;
            let (address, task) = emulator
                .spawn(listener)
                .map_err(|e| StartupError::Emulator(e.to_string()))?;
            let url = format!("http://{address}");
            tracing::info!(%url, database = %emulator_database.display(), "embedded AWS emulator started");
            loader = loader
                .region(Region::new(emulator.region().to_owned()))
                .endpoint_url(&url)
                .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                    account.access_key,
                    account.secret_key,
                    None,
                    None,
                    "lensgate-embedded-emulator",
                )));
            embedded = Some(Arc::new(EmbeddedEmulator {
                url,
                database: emulator_database,
                task,
            }));
        }
        BackendKind::Aws => {
            if let Some(region) = &settings.region {
                loader = loader.region(Region::new(region.clone()));
            }
            if let Some(profile) = &settings.profile {
                loader = loader.profile_name(profile);
            }
            if let Some(endpoint) = &settings.endpoint_url {
                loader = loader.endpoint_url(endpoint);
            }
        }
    }
    let sdk = loader.load().await;
    Ok(AwsClients {
        wellarchitected: aws_sdk_wellarchitected::Client::new(&sdk),
        license_manager: aws_sdk_licensemanager::Client::new(&sdk),
        embedded,
    })
}
