use std::process::ExitCode;

use clap::Parser;
use lensgate::{
    cli,
    config::{AuditCommand, Cli, Command, LensCommand},
    emulator,
    error::StartupError,
    startup::{Application, shutdown_signal},
    telemetry,
};

/// Rendering a page allocates thousands of small strings and frees them at once; glibc's
/// allocator spent a quarter of the server's time on them, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.serve;
    telemetry::init(&config.log_filter, config.log_format);

    let result: Result<ExitCode, Box<dyn std::error::Error>> = async {
        let shutdown = shutdown_signal().map_err(StartupError::Signals)?;
        match cli.command {
            Some(Command::Lens(LensCommand::Validate { files, format })) => {
                return Ok(cli::lens_validate::run(&files, format));
            }
            Some(Command::Lens(LensCommand::Build { source, output })) => {
                return Ok(cli::lens_source::build(&source, output.as_deref()));
            }
            Some(Command::Lens(LensCommand::Export {
                source,
                format,
                output,
            })) => {
                return Ok(cli::lens_source::export(
                    &source,
                    format.into(),
                    output.as_deref(),
                ));
            }
            Some(Command::Lens(LensCommand::Diff { old, new, format })) => {
                return Ok(cli::lens_diff::run(&old, &new, format));
            }
            Some(Command::Emulator(args)) => emulator::run(args, shutdown).await?,
            Some(Command::Audit(AuditCommand::Verify {
                database,
                checkpoints,
                public_key,
            })) => {
                return cli::audit_verify::run(&database, &checkpoints, public_key.as_deref())
                    .await;
            }
            Some(Command::Migrate { from, to }) => {
                return cli::migrate::run(&from, &to).await;
            }
            Some(Command::Backup { database, to }) => {
                return cli::backup::backup(&database, &to).await;
            }
            Some(Command::Push {
                file,
                server,
                lens,
                submit,
                idempotency_key,
            }) => {
                return Ok(cli::push::run(cli::push::Push {
                    file: &file,
                    server: &server,
                    lens: lens.as_deref(),
                    submit: submit.as_deref(),
                    idempotency_key: idempotency_key.as_deref(),
                })
                .await);
            }
            Some(Command::Restore {
                backup,
                database,
                force,
            }) => {
                return cli::backup::restore(&backup, &database, force).await;
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
