//! lensgate's PostgreSQL store. Teams that run several replicas keep lensgate's state here
//! instead of in one SQLite file; the schema lives in `migrations/postgres`.

pub mod accounts;
pub mod audit;
pub mod copy;
pub mod records;
pub mod reviews;
pub mod throttle;
pub mod webhooks;

use std::time::Duration;

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
};

pub use sqlx::PgPool;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// Connects with the settings every replica uses.
pub async fn connect(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options.application_name("lensgate"))
        .await
}

/// Applies the migrations the database lacks. Replicas starting together take turns: sqlx holds
/// an advisory lock while it migrates.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// The identity of the installation: its id and when it was created.
pub async fn instance(pool: &PgPool) -> Result<(String, String), sqlx::Error> {
    let row = sqlx::query!("SELECT instance_id, created_at FROM instance")
        .fetch_one(pool)
        .await?;
    Ok((row.instance_id, row.created_at))
}

/// The newest migration applied.
pub async fn schema_version(pool: &PgPool) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT max(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}

/// A cheap round trip that proves the database answers.
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT 1 AS "one!""#)
        .fetch_one(pool)
        .await
        .map(drop)
}

/// The schema unqualified names resolve to: where the sessions table goes beside the rest.
pub async fn current_schema(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT current_schema() AS "schema!""#)
        .fetch_one(pool)
        .await
}
