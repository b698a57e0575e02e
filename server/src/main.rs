use std::process::ExitCode;

use clap::Parser;
use lensgate::{
    audit::{AuditLog, Verification},
    config::{AuditCommand, Cli, Command, LensCommand},
    db, emulator,
    error::StartupError,
    lens_check, lens_diff,
    startup::{Application, shutdown_signal},
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.serve;
    telemetry::init(&config.log_filter, config.log_format);

    let result: Result<ExitCode, Box<dyn std::error::Error>> = async {
        let shutdown = shutdown_signal().map_err(StartupError::Signals)?;
        match cli.command {
            Some(Command::Lens(LensCommand::Validate { files, format })) => {
                return Ok(lens_check::run(&files, format));
            }
            Some(Command::Lens(LensCommand::Diff { old, new, format })) => {
                return Ok(lens_diff::run(&old, &new, format));
            }
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
                    .await?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    result.unwrap_or_else(|error| {
        tracing::error!("{error}");
        ExitCode::FAILURE
    })
}
