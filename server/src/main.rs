use std::process::ExitCode;

use clap::Parser;
use lensgate::{
    audit::{AuditLog, Verification},
    config::{AuditCommand, Cli, Command},
    db, emulator,
    error::StartupError,
    startup::{Application, shutdown_signal},
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.serve;
    telemetry::init(&config.log_filter, config.log_format);

    let result: Result<(), Box<dyn std::error::Error>> = async {
        let shutdown = shutdown_signal().map_err(StartupError::Signals)?;
        match cli.command {
            Some(Command::Emulator(args)) => emulator::run(args, shutdown).await?,
            Some(Command::Audit(AuditCommand::Verify { database })) => {
                let audit = AuditLog::new(db::open(&database).await?);
                match audit.verify().await? {
                    Verification::Intact { events } => println!("audit chain intact: {events} events verified"),
                    Verification::Broken { verified, seq, reason } => {
                        println!("audit chain broken at event {seq}: {reason} ({verified} events verified before it)");
                        return Err("the audit chain is broken".into());
                    }
                }
            }
            None => {
                Application::build(&config)
                    .await?
                    .run_until(shutdown)
                    .await?
            }
        }
        Ok(())
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
