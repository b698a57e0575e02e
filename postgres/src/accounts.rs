//! The `users` and `api_tokens` tables on PostgreSQL. Roles travel as their text; the server
//! parses them.

use sqlx::PgExecutor;

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
}

pub async fn count(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users"#)
        .fetch_one(db)
        .await
}

pub async fn create(
    db: impl PgExecutor<'_>,
    username: &str,
    password_hash: &str,
    role: &str,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO users (username, password_hash, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
        username,
        password_hash,
        role,
        now
    )
    .fetch_one(db)
    .await
}

/// Usernames match whatever their case, as on SQLite (`COLLATE NOCASE`).
pub async fn by_name(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT id, username, password_hash, role, disabled FROM users WHERE lower(username) = lower($1)",
        username
    )
    .fetch_optional(db)
    .await
}

pub async fn by_id(db: impl PgExecutor<'_>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as!(
        UserRow,
        "SELECT id, username, password_hash, role, disabled FROM users WHERE id = $1",
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn set_disabled(
    db: impl PgExecutor<'_>,
    username: &str,
    disabled: bool,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET disabled = $1, updated_at = $2 WHERE lower(username) = lower($3)",
        disabled,
        now,
        username
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_role(
    db: impl PgExecutor<'_>,
    username: &str,
    role: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET role = $1, updated_at = $2 WHERE lower(username) = lower($3)",
        role,
        now,
        username
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_password(
    db: impl PgExecutor<'_>,
    username: &str,
    password_hash: &str,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET password_hash = $1, updated_at = $2 WHERE lower(username) = lower($3)",
        password_hash,
        now,
        username
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub struct ListedRow {
    pub username: String,
    pub role: String,
    pub disabled: bool,
}

pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<ListedRow>, sqlx::Error> {
    sqlx::query_as!(
        ListedRow,
        "SELECT username, role, disabled FROM users ORDER BY lower(username)"
    )
    .fetch_all(db)
    .await
}

pub async fn other_active_admins(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM users
           WHERE role = 'admin' AND NOT disabled AND lower(username) <> lower($1)"#,
        username
    )
    .fetch_one(db)
    .await
}

pub struct BearerRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub username: String,
    pub user_role: String,
    pub disabled: bool,
}

pub async fn token_by_hash(
    db: impl PgExecutor<'_>,
    hash: &str,
) -> Result<Option<BearerRow>, sqlx::Error> {
    sqlx::query_as!(
        BearerRow,
        "SELECT t.id, t.name, t.role, t.expires_at, t.last_used_at, t.revoked_at, u.username,
                u.role AS user_role, u.disabled
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1",
        hash
    )
    .fetch_optional(db)
    .await
}

pub async fn touch_token(db: impl PgExecutor<'_>, id: i64, now: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct NewToken<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub hash: &'a str,
    pub prefix: &'a str,
    pub role: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
}

pub async fn insert_token(
    db: impl PgExecutor<'_>,
    token: &NewToken<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        token.user_id,
        token.name,
        token.hash,
        token.prefix,
        token.role,
        token.created_at,
        token.expires_at
    )
    .fetch_one(db)
    .await
}

pub struct TokenRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub prefix: String,
    pub role: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Tokens of `username`, or every user's when `None`; newest first.
pub async fn tokens(
    db: impl PgExecutor<'_>,
    username: Option<&str>,
) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as!(
        TokenRow,
        "SELECT t.id, u.username, t.name, t.prefix, t.role, t.created_at, t.expires_at,
                t.last_used_at, t.revoked_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE $1::text IS NULL OR lower(u.username) = lower($1)
         ORDER BY t.id DESC",
        username
    )
    .fetch_all(db)
    .await
}

/// The token's owner, name and revocation time.
pub async fn token_owner(
    db: impl PgExecutor<'_>,
    id: i64,
) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT u.username, t.name, t.revoked_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.username, r.name, r.revoked_at)))
}

pub async fn revoke_token(
    db: impl PgExecutor<'_>,
    id: i64,
    at: &str,
    by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
        at,
        by,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}
