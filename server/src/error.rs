//! Why the server could not start, in words that tell the operator what to change.

use std::{io, net::SocketAddr, path::PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "cannot open the database file {path}: {source}. Check that the folder exists and is writable, or choose another file with --database / LENSGATE_DATABASE"
    )]
    DatabaseOpen { path: PathBuf, source: sqlx::Error },

    #[error(transparent)]
    Postgres(#[from] crate::db::postgres::OpenError),

    #[error(
        "cannot create the folder {path} for the database: {source}. Choose another file with --database / LENSGATE_DATABASE"
    )]
    DatabaseFolder { path: PathBuf, source: io::Error },

    #[error(
        "cannot bring the database {path} up to date: {source}. Restore a backup or start with a new file"
    )]
    Migration {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },

    #[error("{}", listen_message(.address, .source))]
    Listen {
        address: SocketAddr,
        source: io::Error,
    },

    #[error("cannot start the embedded AWS emulator: {0}")]
    Emulator(String),

    #[error("cannot recover unfinished AWS changes from the audit history: {0}")]
    Recovery(String),

    #[error(transparent)]
    AuditKey(#[from] crate::audit::checkpoint::key::KeyError),

    #[error(transparent)]
    Checkpoints(#[from] crate::audit::checkpoint::CheckpointError),

    #[error(transparent)]
    Bootstrap(#[from] crate::accounts::BootstrapError),

    #[error("{0}")]
    Settings(String),

    #[error("cannot prepare the session store: {0}")]
    Sessions(#[source] sqlx::Error),

    #[error("cannot install the shutdown signal handlers: {0}")]
    Signals(#[source] io::Error),

    #[error("the server stopped with an I/O error: {0}")]
    Serve(#[source] io::Error),
}

fn listen_message(address: &SocketAddr, source: &io::Error) -> String {
    let hint = match source.kind() {
        io::ErrorKind::AddrInUse => {
            "another process is using this port: stop it, or choose another address with --listen / LENSGATE_LISTEN"
        }
        io::ErrorKind::AddrNotAvailable => {
            "this machine has no such address: choose another with --listen / LENSGATE_LISTEN"
        }
        io::ErrorKind::PermissionDenied => {
            "ports below 1024 need extra privileges: choose a higher port with --listen / LENSGATE_LISTEN"
        }
        _ => "choose another address with --listen / LENSGATE_LISTEN",
    };
    format!("cannot listen on {address}: {source}; {hint}")
}
