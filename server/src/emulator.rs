//! `lensgate emulator`: the AWS emulator on its own port.

use std::net::SocketAddr;

use lensgate_emulator::{Account, Config, Emulator, FaultRules};
use tokio::net::TcpListener;

use crate::config::EmulatorArgs;

/// AWS's documented example key pair, used when no account is given.
const EXAMPLE_ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const EXAMPLE_ACCOUNT: &str = "111122223333";

#[derive(Debug, thiserror::Error)]
pub enum EmulatorCommandError {
    #[error("{0}")]
    Arguments(String),
    #[error(transparent)]
    Emulator(#[from] lensgate_emulator::EmulatorError),
    #[error("cannot listen on {address}: {source}; choose another address with --listen")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

pub fn accounts(args: &EmulatorArgs) -> Result<Vec<Account>, EmulatorCommandError> {
    let (keys, secrets, ids) = (&args.access_keys, &args.secret_keys, &args.account_ids);
    if keys.is_empty() && secrets.is_empty() && ids.is_empty() {
        return Ok(vec![
            Account::new(EXAMPLE_ACCESS_KEY, EXAMPLE_SECRET_KEY, EXAMPLE_ACCOUNT)
                .map_err(EmulatorCommandError::Arguments)?,
        ]);
    }
    if keys.len() != secrets.len() || keys.len() != ids.len() {
        return Err(EmulatorCommandError::Arguments(format!(
            "give --access-key, --secret-key and --account-id the same number of times (got {}, {} and {})",
            keys.len(),
            secrets.len(),
            ids.len()
        )));
    }
    keys.iter()
        .zip(secrets)
        .zip(ids)
        .map(|((key, secret), id)| {
            Account::new(key, secret, id).map_err(EmulatorCommandError::Arguments)
        })
        .collect()
}

pub async fn run(
    args: EmulatorArgs,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), EmulatorCommandError> {
    let accounts = accounts(&args)?;
    let faults: FaultRules = match &args.faults {
        Some(json) => serde_json::from_str(json).map_err(|e| {
            EmulatorCommandError::Arguments(format!("--faults is not valid fault JSON: {e}"))
        })?,
        None => FaultRules::new(),
    };
    let emulator = Emulator::open(Config {
        accounts: accounts.clone(),
        region: args.region.clone(),
        database: args.database.clone(),
        faults,
        check_outputs: false,
        seed: true,
    })
    .await?;
    let listener =
        TcpListener::bind(args.listen)
            .await
            .map_err(|source| EmulatorCommandError::Listen {
                address: args.listen,
                source,
            })?;
    let address = listener
        .local_addr()
        .map_err(|source| EmulatorCommandError::Listen {
            address: args.listen,
            source,
        })?;
    if !address.ip().is_loopback() {
        tracing::warn!(%address, "the emulator is reachable from other machines");
    }
    tracing::info!(%address, database = %args.database.display(), "emulator listening on http://{address}");
    let mut instructions = format!(
        "lensgate emulator on http://{address} (region {})\n",
        args.region
    );
    for account in &accounts {
        instructions.push_str(&format!(
            "  account {}: AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={} aws --endpoint-url http://{address} --region {} wellarchitected list-lenses\n",
            account.account_id, account.access_key, account.secret_key, args.region
        ));
    }
    print!("{instructions}");
    let router = emulator.router();
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| EmulatorCommandError::Listen { address, source })
}
