//! Structured logs to standard error, so standard output stays free for command results.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt};

use crate::config::LogFormat;

/// Installs the global subscriber. An invalid filter is reported and replaced by `info`,
/// because refusing to start over a log setting would be worse than logging too much.
pub fn init(filter: &str, format: LogFormat) {
    let (env_filter, filter_error) = match EnvFilter::try_new(filter) {
        Ok(parsed) => (parsed, None),
        Err(error) => (EnvFilter::new("info"), Some(error)),
    };
    let builder = fmt()
        .with_env_filter(env_filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    if installed.is_ok()
        && let Some(error) = filter_error
    {
        tracing::warn!(%filter, %error, "invalid log filter, using `info`");
    }
}
