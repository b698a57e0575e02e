//! Configuration from flags and `LENSGATE_*` environment variables; flags win.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Parser)]
#[command(
    name = "lensgate",
    version,
    about = "Review, publish and share AWS Well-Architected custom lenses, with an audit history"
)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port (the chosen address is logged).
    #[arg(long, env = "LENSGATE_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// SQLite database file; created, with its directory, if missing.
    #[arg(long, env = "LENSGATE_DATABASE", default_value = "lensgate.db")]
    pub database: PathBuf,

    /// Which AWS the server talks to: its embedded emulator, or AWS through the default credential chain.
    #[arg(long, env = "LENSGATE_BACKEND", value_enum, default_value_t = BackendKind::Emulator)]
    pub backend: BackendKind,

    /// Folder holding the browser bundle (`pkg/`) built by `cargo xtask site`.
    #[arg(long, env = "LENSGATE_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log filter, in `tracing` syntax: `info`, `debug`, `lensgate=debug,tower_http=info`, ...
    #[arg(long = "log", env = "LENSGATE_LOG", default_value = "info")]
    pub log_filter: String,

    /// Log line format: human-readable text or one JSON object per line.
    #[arg(long, env = "LENSGATE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendKind {
    Emulator,
    Aws,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Emulator => "emulator",
            BackendKind::Aws => "aws",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
