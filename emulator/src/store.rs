//! The emulator's SQLite store. Writes are serialised by one async lock and run in one
//! transaction per request, so concurrent calls never interleave half-done updates; reads use
//! the pool freely (WAL lets them run beside a writer).

use std::{path::Path, str::FromStr, time::Duration};

use serde::{Serialize, de::DeserializeOwned};
use sqlx::{
    Sqlite, SqliteConnection, SqlitePool, Transaction,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::ServiceError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct Store {
    pool: SqlitePool,
    write_lock: Mutex<()>,
    page_key: Vec<u8>,
}

/// One write: holds the lock until committed or dropped (a dropped write rolls back).
pub struct Write<'a> {
    pub tx: Transaction<'static, Sqlite>,
    _lock: MutexGuard<'a, ()>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the emulator database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate the emulator database {path}: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
}

pub fn internal(error: impl std::fmt::Display) -> ServiceError {
    tracing::error!(%error, "emulator store failure");
    ServiceError::new(
        "InternalServerException",
        "The emulator could not access its store.",
    )
}

impl Store {
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let shown = path.display().to_string();
        let open = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(open)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        // No ping before each lending: a local file cannot go stale, and the ping is a round
        // trip to the connection's thread.
        let pool = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(open)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                path: shown.clone(),
                source,
            })?;
        let page_key = page_key(&pool).await.map_err(open)?;
        Ok(Store {
            pool,
            write_lock: Mutex::new(()),
            page_key,
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn page_key(&self) -> &[u8] {
        &self.page_key
    }

    pub async fn write(&self) -> Result<Write<'_>, ServiceError> {
        let lock = self.write_lock.lock().await;
        // IMMEDIATE: a write that starts by reading must not fail with SQLITE_BUSY when another
        // connection to the file commits between its read and its first write.
        let tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(internal)?;
        Ok(Write { tx, _lock: lock })
    }
}

impl Write<'_> {
    pub async fn commit(self) -> Result<(), ServiceError> {
        self.tx.commit().await.map_err(internal)
    }
}

/// The key that signs pagination tokens, created on first start so tokens survive restarts.
async fn page_key(pool: &SqlitePool) -> Result<Vec<u8>, sqlx::Error> {
    let fresh = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    sqlx::query!(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('page_key', ?)",
        fresh
    )
    .execute(pool)
    .await?;
    let key = sqlx::query_scalar!("SELECT value FROM meta WHERE key = 'page_key'")
        .fetch_one(pool)
        .await?;
    Ok(key.into_bytes())
}

pub async fn get<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    kind: &str,
    id: &str,
) -> Result<Option<T>, ServiceError> {
    let body = sqlx::query_scalar!(
        "SELECT body FROM documents WHERE kind = ? AND id = ?",
        kind,
        id
    )
    .fetch_optional(conn)
    .await
    .map_err(internal)?;
    body.map(|b| serde_json::from_str(&b).map_err(internal))
        .transpose()
}

/// Inserts or replaces; a replaced document keeps its place in listings.
pub async fn put<T: Serialize>(
    conn: &mut SqliteConnection,
    kind: &str,
    id: &str,
    owner: &str,
    document: &T,
) -> Result<(), ServiceError> {
    put_child(conn, kind, id, owner, None, document).await
}

/// Like [`put`], for a document that belongs to `parent` (a share of a lens, say).
pub async fn put_child<T: Serialize>(
    conn: &mut SqliteConnection,
    kind: &str,
    id: &str,
    owner: &str,
    parent: Option<&str>,
    document: &T,
) -> Result<(), ServiceError> {
    let body = serde_json::to_string(document).map_err(internal)?;
    sqlx::query!(
        "INSERT INTO documents (kind, id, owner, parent, body, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents))
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, owner = excluded.owner, parent = excluded.parent",
        kind,
        id,
        owner,
        parent,
        body
    )
    .execute(conn)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn delete(
    conn: &mut SqliteConnection,
    kind: &str,
    id: &str,
) -> Result<bool, ServiceError> {
    let done = sqlx::query!("DELETE FROM documents WHERE kind = ? AND id = ?", kind, id)
        .execute(conn)
        .await
        .map_err(internal)?;
    Ok(done.rows_affected() > 0)
}

/// Every document of `kind`, oldest first.
pub async fn list<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    kind: &str,
) -> Result<Vec<T>, ServiceError> {
    let bodies = sqlx::query_scalar!(
        "SELECT body FROM documents WHERE kind = ? ORDER BY seq",
        kind
    )
    .fetch_all(conn)
    .await
    .map_err(internal)?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(internal))
        .collect()
}

/// The documents of `kind` that belong to `parent`, oldest first.
pub async fn children<T: DeserializeOwned>(
    conn: &mut SqliteConnection,
    kind: &str,
    parent: &str,
) -> Result<Vec<T>, ServiceError> {
    let bodies = sqlx::query_scalar!(
        "SELECT body FROM documents WHERE kind = ? AND parent = ? ORDER BY seq",
        kind,
        parent
    )
    .fetch_all(conn)
    .await
    .map_err(internal)?;
    bodies
        .iter()
        .map(|b| serde_json::from_str(b).map_err(internal))
        .collect()
}

pub struct Remembered {
    pub fingerprint: String,
    pub response: String,
}

pub async fn remembered(
    conn: &mut SqliteConnection,
    account: &str,
    operation: &str,
    token: &str,
    not_before: i64,
) -> Result<Option<Remembered>, ServiceError> {
    sqlx::query_as!(
        Remembered,
        "SELECT fingerprint, response FROM idempotency
         WHERE account = ? AND operation = ? AND token = ? AND created_at >= ?",
        account,
        operation,
        token,
        not_before
    )
    .fetch_optional(conn)
    .await
    .map_err(internal)
}

pub async fn remember(
    conn: &mut SqliteConnection,
    account: &str,
    operation: &str,
    token: &str,
    fingerprint: &str,
    response: &str,
    now: i64,
) -> Result<(), ServiceError> {
    sqlx::query!(
        "INSERT OR REPLACE INTO idempotency (account, operation, token, fingerprint, response, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        account,
        operation,
        token,
        fingerprint,
        response,
        now
    )
    .execute(conn)
    .await
    .map_err(internal)?;
    Ok(())
}
