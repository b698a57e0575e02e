//! The `users` table: all of its SQL, for either database.

use lensgate_app::auth::Role;
use lensgate_postgres::accounts as pg;

use crate::{
    db::{Conn, Database, parsed},
    timestamp,
};

#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
}

/// Password hashes stay out of logs.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

struct Row {
    id: i64,
    username: String,
    password_hash: String,
    role: Role,
    disabled: i64,
}

impl From<Row> for User {
    fn from(row: Row) -> Self {
        User {
            id: row.id,
            username: row.username,
            password_hash: row.password_hash,
            role: row.role,
            disabled: row.disabled != 0,
        }
    }
}

impl TryFrom<pg::UserRow> for User {
    type Error = sqlx::Error;

    fn try_from(row: pg::UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: row.id,
            username: row.username,
            password_hash: row.password_hash,
            role: parsed("users.role", &row.role, Role::parse)?,
            disabled: row.disabled,
        })
    }
}

pub async fn count_in(conn: Conn<'_>) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
                .fetch_one(conn)
                .await
        }
        Conn::Postgres(conn) => pg::count(conn).await,
    }
}

pub async fn create(
    conn: Conn<'_>,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, sqlx::Error> {
    let now = timestamp::now();
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query_scalar!(
                r#"INSERT INTO users (username, password_hash, role, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
                username,
                password_hash,
                role,
                now,
                now
            )
            .fetch_one(conn)
            .await
        }
        Conn::Postgres(conn) => {
            pg::create(conn, username, password_hash, role.as_str(), &now).await
        }
    }
}

pub async fn by_name(db: &Database, username: &str) -> Result<Option<User>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    by_name_in(conn.conn(), username).await
}

pub async fn by_name_in(conn: Conn<'_>, username: &str) -> Result<Option<User>, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            let row = sqlx::query_as!(
                Row,
                r#"SELECT id AS "id!: i64", username, password_hash, role AS "role: Role", disabled AS "disabled!: i64"
                   FROM users WHERE username = ?"#,
                username
            )
            .fetch_optional(conn)
            .await?;
            Ok(row.map(User::from))
        }
        Conn::Postgres(conn) => pg::by_name(conn, username)
            .await?
            .map(User::try_from)
            .transpose(),
    }
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<User>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            let row = sqlx::query_as!(
                Row,
                r#"SELECT id AS "id!: i64", username, password_hash, role AS "role: Role", disabled AS "disabled!: i64"
                   FROM users WHERE id = ?"#,
                id
            )
            .fetch_optional(pool)
            .await?;
            Ok(row.map(User::from))
        }
        Database::Postgres(pool) => pg::by_id(pool, id).await?.map(User::try_from).transpose(),
    }
}

pub async fn set_disabled(
    conn: Conn<'_>,
    username: &str,
    disabled: bool,
) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    match conn {
        Conn::Sqlite(conn) => {
            let flag = i64::from(disabled);
            let done = sqlx::query!(
                "UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?",
                flag,
                now,
                username
            )
            .execute(conn)
            .await?;
            Ok(done.rows_affected() > 0)
        }
        Conn::Postgres(conn) => pg::set_disabled(conn, username, disabled, &now).await,
    }
}

pub struct Listed {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

struct ListedRow {
    username: String,
    role: Role,
    disabled: i64,
}

pub async fn list(db: &Database) -> Result<Vec<Listed>, sqlx::Error> {
    match db {
        Database::Sqlite(pool) => {
            let rows = sqlx::query_as!(
                ListedRow,
                r#"SELECT username, role AS "role: Role", disabled AS "disabled!: i64" FROM users ORDER BY username COLLATE NOCASE"#
            )
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|row| Listed {
                    username: row.username,
                    role: row.role,
                    disabled: row.disabled != 0,
                })
                .collect())
        }
        Database::Postgres(pool) => pg::list(pool)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Listed {
                    role: parsed("users.role", &row.role, Role::parse)?,
                    username: row.username,
                    disabled: row.disabled,
                })
            })
            .collect(),
    }
}

/// Enabled administrators other than `username`: the last one must stay.
pub async fn other_active_admins(conn: Conn<'_>, username: &str) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'admin' AND disabled = 0 AND username <> ?"#,
                username
            )
            .fetch_one(conn)
            .await
        }
        Conn::Postgres(conn) => pg::other_active_admins(conn, username).await,
    }
}

pub async fn set_role(conn: Conn<'_>, username: &str, role: Role) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    match conn {
        Conn::Sqlite(conn) => {
            let done = sqlx::query!(
                "UPDATE users SET role = ?, updated_at = ? WHERE username = ?",
                role,
                now,
                username
            )
            .execute(conn)
            .await?;
            Ok(done.rows_affected() > 0)
        }
        Conn::Postgres(conn) => pg::set_role(conn, username, role.as_str(), &now).await,
    }
}

pub async fn set_password(
    conn: Conn<'_>,
    username: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    match conn {
        Conn::Sqlite(conn) => {
            let done = sqlx::query!(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?",
                password_hash,
                now,
                username
            )
            .execute(conn)
            .await?;
            Ok(done.rows_affected() > 0)
        }
        Conn::Postgres(conn) => pg::set_password(conn, username, password_hash, &now).await,
    }
}
