use std::process::ExitCode;

use clap::Parser;
use lensgate::{
    config::Config,
    error::StartupError,
    startup::{Application, shutdown_signal},
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    telemetry::init(&config.log_filter, config.log_format);

    let result = async {
        let shutdown = shutdown_signal().map_err(StartupError::Signals)?;
        Application::build(&config).await?.run_until(shutdown).await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
