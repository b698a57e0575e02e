//! The `users` table: all of its SQL.

use lensgate_app::auth::Role;
use sqlx::SqlitePool;

use crate::timestamp;

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

pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
        .fetch_one(pool)
        .await
}

pub async fn create<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, sqlx::Error> {
    let now = timestamp::now();
    sqlx::query_scalar!(
        r#"INSERT INTO users (username, password_hash, role, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
        username,
        password_hash,
        role,
        now,
        now
    )
    .fetch_one(pool)
    .await
}

pub async fn by_name<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!: i64", username, password_hash, role AS "role: Role", disabled AS "disabled!: i64"
           FROM users WHERE username = ?"#,
        username
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(User::from))
}

pub async fn by_id(pool: &SqlitePool, id: i64) -> Result<Option<User>, sqlx::Error> {
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

pub async fn set_disabled<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
    disabled: bool,
) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    let flag = i64::from(disabled);
    let done = sqlx::query!(
        "UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?",
        flag,
        now,
        username
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub struct Listed {
    pub username: String,
    pub role: Role,
    pub disabled: i64,
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<Listed>, sqlx::Error> {
    sqlx::query_as!(
        Listed,
        r#"SELECT username, role AS "role: Role", disabled AS "disabled!: i64" FROM users ORDER BY username COLLATE NOCASE"#
    )
    .fetch_all(pool)
    .await
}

/// Enabled administrators other than `username`: the last one must stay.
pub async fn other_active_admins<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM users WHERE role = 'admin' AND disabled = 0 AND username <> ?"#,
        username
    )
    .fetch_one(pool)
    .await
}

pub async fn set_role<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    let done = sqlx::query!(
        "UPDATE users SET role = ?, updated_at = ? WHERE username = ?",
        role,
        now,
        username
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_password<'e>(
    pool: impl sqlx::SqliteExecutor<'e>,
    username: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let now = timestamp::now();
    let done = sqlx::query!(
        "UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?",
        password_hash,
        now,
        username
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}
