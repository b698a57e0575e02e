//! The database lensgate keeps its state in: a SQLite file, opened with the settings every
//! store relies on and migrated at start-up, or PostgreSQL when `--database` is a `postgres://`
//! URL ([`location`], [`postgres`]). Stores take a [`Database`] (or, inside a transaction, a
//! [`Conn`]) and run the SQL written for the one it holds.

mod handle;
pub mod location;
pub mod postgres;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub use handle::{Acquired, Conn, Database, Tx, parsed};

use crate::error::StartupError;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Opens (creating if needed) the database at `path` and applies pending migrations.
pub async fn open(path: &Path) -> Result<SqlitePool, StartupError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|source| StartupError::DatabaseFolder {
            path: folder.to_owned(),
            source,
        })?;
    }
    let options = options(path)?.create_if_missing(true);
    let pool = pool_options()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| StartupError::DatabaseOpen {
            path: path.to_owned(),
            source,
        })?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|source| StartupError::Migration {
            path: path.to_owned(),
            source,
        })?;
    if let Err(error) = optimize(&pool).await {
        tracing::warn!(%error, "the database's query statistics could not be refreshed");
    }
    Ok(pool)
}

/// Opens a database file that must exist, as it is: no migrations, so a backup or a copy being
/// checked is read without being changed.
pub async fn open_existing(path: &Path) -> Result<SqlitePool, StartupError> {
    pool_options()
        .max_connections(2)
        .connect_with(options(path)?)
        .await
        .map_err(|source| StartupError::DatabaseOpen {
            path: path.to_owned(),
            source,
        })
}

/// sqlx pings a connection before lending it out by default; for SQLite that is a round trip
/// to the connection's worker thread that can find nothing wrong (there is no network to go
/// stale), and it doubled the thread switches of every query (README, "The server's speed").
fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new().test_before_acquire(false)
}

/// The settings every connection gets.
fn options(path: &Path) -> Result<SqliteConnectOptions, StartupError> {
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|source| StartupError::DatabaseOpen {
            path: path.to_owned(),
            source,
        })?
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL makes NORMAL durable against application crashes; only a power loss can
        // lose the last transactions, never corrupt the file.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // 8 MB per connection: at one million audit events 32 MB bought nothing measurable
        // once the filter indexes cover each other's columns, and eight connections of
        // 32 MB held the server above 400 MB.
        .pragma("cache_size", "-8000")
        .pragma("temp_store", "memory");
    Ok(options)
}

/// Writes a consistent copy of the whole database to `to`, a file that must not exist yet.
/// The copy is read in one transaction, so it holds every change committed before it began and
/// none after; in WAL mode writers go on meanwhile.
pub async fn copy_into(pool: &SqlitePool, to: &Path) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM INTO ?")
        .bind(to.to_string_lossy().into_owned())
        .execute(pool)
        .await?;
    Ok(())
}

/// Refreshes the statistics the query planner uses to pick an index. Without them a combined
/// audit filter (actor, action and outcome) may be read through the least selective index;
/// with them the planner prefers the actor's. Bounded, so start-up stays fast on a big file.
pub async fn optimize(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("PRAGMA analysis_limit = 1000")
        .execute(pool)
        .await?;
    sqlx::query("PRAGMA optimize = 0x10002")
        .execute(pool)
        .await?;
    Ok(())
}

/// The newest migration applied, or `None` on an empty database.
pub async fn schema_version(pool: &SqlitePool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT MAX(version) AS "version: i64" FROM _sqlx_migrations WHERE success = 1"#
    )
    .fetch_one(pool)
    .await
}

/// The identity the first migration gave this database.
pub struct Instance {
    pub instance_id: String,
    pub created_at: String,
}

pub async fn instance(pool: &SqlitePool) -> Result<Instance, sqlx::Error> {
    sqlx::query_as!(
        Instance,
        "SELECT instance_id, created_at FROM instance WHERE id = 1"
    )
    .fetch_one(pool)
    .await
}

/// A cheap round trip that proves the database answers.
pub async fn ping(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64""#)
        .fetch_one(pool)
        .await
        .map(drop)
}
