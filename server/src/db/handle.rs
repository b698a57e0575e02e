//! One handle over either database. Every store matches on it and runs the SQL of that
//! database: SQLite's checked in this crate, PostgreSQL's in `lensgate-postgres`.

use lensgate_postgres::PgPool;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, SqlitePool, pool::PoolConnection};

use super::location::Location;
use crate::error::StartupError;

#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl From<SqlitePool> for Database {
    fn from(pool: SqlitePool) -> Self {
        Database::Sqlite(pool)
    }
}

impl From<PgPool> for Database {
    fn from(pool: PgPool) -> Self {
        Database::Postgres(pool)
    }
}

/// A transaction on either database: on a connection of its own (`'static`), or on one a
/// caller keeps after it ends.
#[derive(Debug)]
pub enum Tx<'c> {
    Sqlite(sqlx::Transaction<'c, Sqlite>),
    Postgres(sqlx::Transaction<'c, Postgres>),
}

/// A connection lent for a few statements: a transaction's, or one taken from the pool.
#[derive(Debug)]
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// A connection taken from the pool, returned to it when dropped.
#[derive(Debug)]
pub enum Acquired {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Database {
    /// Opens the database `location` names and brings its schema up to date.
    pub async fn open(location: &Location) -> Result<Self, StartupError> {
        Ok(match location {
            Location::File(path) => Database::Sqlite(super::open(path).await?),
            Location::Postgres(url) => Database::Postgres(super::postgres::open(url).await?),
        })
    }

    /// A transaction for a change. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred one that reads first and writes later fails with SQLITE_BUSY when
    /// another connection commits in between, and the busy timeout cannot help it.
    pub async fn begin(&self) -> Result<Tx<'static>, sqlx::Error> {
        Ok(match self {
            Database::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Database::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn acquire(&self) -> Result<Acquired, sqlx::Error> {
        Ok(match self {
            Database::Sqlite(pool) => Acquired::Sqlite(pool.acquire().await?),
            Database::Postgres(pool) => Acquired::Postgres(pool.acquire().await?),
        })
    }

    /// Which database this is, as `/status` and the logs name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// A cheap round trip that proves the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Database::Sqlite(pool) => super::ping(pool).await,
            Database::Postgres(pool) => lensgate_postgres::ping(pool).await,
        }
    }

    /// The newest migration applied, or `None` on an empty database.
    pub async fn schema_version(&self) -> Result<Option<i64>, sqlx::Error> {
        match self {
            Database::Sqlite(pool) => super::schema_version(pool).await,
            Database::Postgres(pool) => lensgate_postgres::schema_version(pool).await,
        }
    }

    /// The identity the first migration gave this database.
    pub async fn instance(&self) -> Result<super::Instance, sqlx::Error> {
        match self {
            Database::Sqlite(pool) => super::instance(pool).await,
            Database::Postgres(pool) => {
                let (instance_id, created_at) = lensgate_postgres::instance(pool).await?;
                Ok(super::Instance {
                    instance_id,
                    created_at,
                })
            }
        }
    }
}

impl Tx<'_> {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

impl Acquired {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Acquired::Sqlite(conn) => Conn::Sqlite(conn),
            Acquired::Postgres(conn) => Conn::Postgres(conn),
        }
    }
}

impl Conn<'_> {
    /// The same connection for one more statement, keeping this handle for the next.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(conn) => Conn::Sqlite(conn),
            Conn::Postgres(conn) => Conn::Postgres(conn),
        }
    }
}

/// A text column read back into the type it was written from; a value the type does not know
/// means the row was written by something else, and is reported as such.
pub fn parsed<T>(
    column: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(text).ok_or_else(|| sqlx::Error::Decode(format!("{column} holds {text:?}").into()))
}
