//! Opening the PostgreSQL database a `postgres://` URL names: connected, then migrated with
//! `migrations/postgres`.

use std::str::FromStr;

use lensgate_postgres::PgPool;
use sqlx::postgres::PgConnectOptions;

use super::location::PostgresUrl;

/// Why a PostgreSQL database could not be used, with the URL (never its password).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "cannot connect to {url}: {source}. Check the host, port, user and database in the URL, and that the server accepts connections from here"
    )]
    Connect { url: String, source: sqlx::Error },
    #[error("cannot bring the schema of {url} up to date: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
}

/// Connects to `url` and applies the migrations it lacks.
pub async fn open(url: &PostgresUrl) -> Result<PgPool, OpenError> {
    let connect_error = |source| OpenError::Connect {
        url: url.redacted(),
        source,
    };
    let options = PgConnectOptions::from_str(url.as_str()).map_err(connect_error)?;
    let pool = lensgate_postgres::connect(options)
        .await
        .map_err(connect_error)?;
    lensgate_postgres::migrate(&pool)
        .await
        .map_err(|source| OpenError::Migrate {
            url: url.redacted(),
            source,
        })?;
    Ok(pool)
}
