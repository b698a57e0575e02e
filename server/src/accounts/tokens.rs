//! Personal API tokens: the `api_tokens` table (all of its SQL) and the rules around it.
//!
//! A token is `lgt_` and 40 hex digits (160 random bits), shown once at creation; only its
//! SHA-256 is stored, so a copy of the database lets nobody call the API. It acts as its user
//! with at most the role chosen at creation, and never above the user's role of the moment:
//! demoting or disabling a user takes effect on their tokens at the next request.

use lensgate_app::{
    api_tokens::{CreatedToken, TokenSummary},
    auth::{CurrentUser, Role},
    error::AppError,
    services::{ApiTokens, BoxFuture},
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::{Accounts, admin::unrecorded, users};
use crate::{
    audit::{Actor, AuditAction, NewEvent},
    timestamp,
};

pub const PREFIX: &str = "lgt_";
pub const DEFAULT_DAYS: u32 = 90;
pub const MAX_DAYS: u32 = 365;
/// Where a token created without JavaScript waits in the session for the page that shows it.
const HELD_KEY: &str = "created_token";
/// Last use is written at most this often per token: an API call is not a database write.
const LAST_USE_RESOLUTION: Duration = Duration::minutes(1);

fn unavailable(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "API tokens: database error");
    AppError::Unavailable("The token store".to_owned())
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Why a bearer token was not accepted; the answer does not say which, so a guesser learns
/// nothing, but the log does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    Unknown,
    Revoked,
    Expired,
    UserDisabled,
}

struct Row {
    id: i64,
    username: String,
    name: String,
    prefix: String,
    role: Role,
    created_at: String,
    expires_at: String,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

impl From<Row> for TokenSummary {
    fn from(row: Row) -> Self {
        TokenSummary {
            id: row.id,
            username: row.username,
            name: row.name,
            prefix: row.prefix,
            role: row.role,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

mod store {
    use lensgate_app::auth::Role;
    use lensgate_postgres::accounts as pg;

    use super::Row;
    use crate::db::{Conn, Database, parsed};

    pub struct Bearer {
        pub id: i64,
        pub name: String,
        pub role: Role,
        pub expires_at: String,
        pub last_used_at: Option<String>,
        pub revoked_at: Option<String>,
        pub username: String,
        pub user_role: Role,
        pub disabled: bool,
    }

    struct BearerRow {
        id: i64,
        name: String,
        role: Role,
        expires_at: String,
        last_used_at: Option<String>,
        revoked_at: Option<String>,
        username: String,
        user_role: Role,
        disabled: i64,
    }

    fn role(column: &str, text: &str) -> Result<Role, sqlx::Error> {
        parsed(column, text, Role::parse)
    }

    pub async fn by_hash(db: &Database, hash: &str) -> Result<Option<Bearer>, sqlx::Error> {
        match db {
            Database::Sqlite(pool) => {
                let row = sqlx::query_as!(
                    BearerRow,
                    r#"SELECT t.id AS "id!: i64", t.name, t.role AS "role: Role", t.expires_at,
                              t.last_used_at, t.revoked_at, u.username, u.role AS "user_role: Role",
                              u.disabled AS "disabled!: i64"
                       FROM api_tokens t JOIN users u ON u.id = t.user_id
                       WHERE t.token_hash = ?"#,
                    hash
                )
                .fetch_optional(pool)
                .await?;
                Ok(row.map(|row| Bearer {
                    id: row.id,
                    name: row.name,
                    role: row.role,
                    expires_at: row.expires_at,
                    last_used_at: row.last_used_at,
                    revoked_at: row.revoked_at,
                    username: row.username,
                    user_role: row.user_role,
                    disabled: row.disabled != 0,
                }))
            }
            Database::Postgres(pool) => {
                let Some(row) = pg::token_by_hash(pool, hash).await? else {
                    return Ok(None);
                };
                Ok(Some(Bearer {
                    id: row.id,
                    name: row.name,
                    role: role("api_tokens.role", &row.role)?,
                    expires_at: row.expires_at,
                    last_used_at: row.last_used_at,
                    revoked_at: row.revoked_at,
                    username: row.username,
                    user_role: role("users.role", &row.user_role)?,
                    disabled: row.disabled,
                }))
            }
        }
    }

    pub async fn touch(db: &Database, id: i64, now: &str) -> Result<(), sqlx::Error> {
        match db {
            Database::Sqlite(pool) => {
                sqlx::query!(
                    "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                    now,
                    id
                )
                .execute(pool)
                .await?;
                Ok(())
            }
            Database::Postgres(pool) => pg::touch_token(pool, id, now).await,
        }
    }

    pub struct NewToken<'a> {
        pub user_id: i64,
        pub name: &'a str,
        pub hash: &'a str,
        pub prefix: &'a str,
        pub role: Role,
        pub created_at: &'a str,
        pub expires_at: &'a str,
    }

    pub async fn insert(conn: Conn<'_>, token: &NewToken<'_>) -> Result<i64, sqlx::Error> {
        match conn {
            Conn::Sqlite(conn) => {
                sqlx::query_scalar!(
                    r#"INSERT INTO api_tokens (user_id, name, token_hash, prefix, role, created_at, expires_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
                    token.user_id,
                    token.name,
                    token.hash,
                    token.prefix,
                    token.role,
                    token.created_at,
                    token.expires_at
                )
                .fetch_one(conn)
                .await
            }
            Conn::Postgres(conn) => {
                pg::insert_token(
                    conn,
                    &pg::NewToken {
                        user_id: token.user_id,
                        name: token.name,
                        hash: token.hash,
                        prefix: token.prefix,
                        role: token.role.as_str(),
                        created_at: token.created_at,
                        expires_at: token.expires_at,
                    },
                )
                .await
            }
        }
    }

    /// Tokens of `username`, or every user's when `None`; newest first.
    pub async fn list(db: &Database, username: Option<&str>) -> Result<Vec<Row>, sqlx::Error> {
        match db {
            Database::Sqlite(pool) => sqlx::query_as!(
                Row,
                r#"SELECT t.id AS "id!: i64", u.username, t.name, t.prefix, t.role AS "role: Role",
                              t.created_at, t.expires_at, t.last_used_at, t.revoked_at
                       FROM api_tokens t JOIN users u ON u.id = t.user_id
                       WHERE ?1 IS NULL OR u.username = ?1
                       ORDER BY t.id DESC"#,
                username
            )
            .fetch_all(pool)
            .await,
            Database::Postgres(pool) => pg::tokens(pool, username)
                .await?
                .into_iter()
                .map(|row| {
                    Ok(Row {
                        role: role("api_tokens.role", &row.role)?,
                        id: row.id,
                        username: row.username,
                        name: row.name,
                        prefix: row.prefix,
                        created_at: row.created_at,
                        expires_at: row.expires_at,
                        last_used_at: row.last_used_at,
                        revoked_at: row.revoked_at,
                    })
                })
                .collect(),
        }
    }

    pub async fn owner(
        conn: Conn<'_>,
        id: i64,
    ) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
        match conn {
            Conn::Sqlite(conn) => {
                let row = sqlx::query!(
                    r#"SELECT u.username, t.name, t.revoked_at
                       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?"#,
                    id
                )
                .fetch_optional(conn)
                .await?;
                Ok(row.map(|r| (r.username, r.name, r.revoked_at)))
            }
            Conn::Postgres(conn) => pg::token_owner(conn, id).await,
        }
    }

    pub async fn revoke(conn: Conn<'_>, id: i64, at: &str, by: &str) -> Result<(), sqlx::Error> {
        match conn {
            Conn::Sqlite(conn) => {
                sqlx::query!(
                    "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                    at,
                    by,
                    id
                )
                .execute(conn)
                .await?;
                Ok(())
            }
            Conn::Postgres(conn) => pg::revoke_token(conn, id, at, by).await,
        }
    }
}

fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 || length > 64 || name.chars().any(char::is_control) {
        return Err(AppError::invalid_field(
            "name",
            "Name the token in 1 to 64 characters (what uses it, e.g. \"ci-push\").",
        ));
    }
    Ok(name.to_owned())
}

fn check_days(days: u32) -> Result<u32, AppError> {
    if days == 0 || days > MAX_DAYS {
        return Err(AppError::invalid_field(
            "days",
            format!("A token lasts 1 to {MAX_DAYS} days; {DEFAULT_DAYS} is the default."),
        ));
    }
    Ok(days)
}

fn fresh_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|error| {
        tracing::error!(%error, "no randomness for an API token");
        AppError::Internal
    })?;
    Ok(format!("{PREFIX}{}", hex::encode(bytes)))
}

impl Accounts {
    /// The user a bearer token acts as, with its effective role, or why it is refused.
    pub async fn bearer_user(&self, secret: &str) -> Result<CurrentUser, Refusal> {
        let well_formed = secret
            .strip_prefix(PREFIX)
            .is_some_and(|hex| hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if !well_formed {
            return Err(Refusal::Malformed);
        }
        let token = match store::by_hash(&self.db, &digest(secret)).await {
            Ok(Some(token)) => token,
            Ok(None) => return Err(Refusal::Unknown),
            Err(error) => {
                tracing::error!(%error, "API tokens: cannot read tokens");
                return Err(Refusal::Unknown);
            }
        };
        let now = OffsetDateTime::now_utc();
        let now_text = timestamp::format(now);
        if token.revoked_at.is_some() {
            return Err(Refusal::Revoked);
        }
        if token.expires_at <= now_text {
            return Err(Refusal::Expired);
        }
        if token.disabled {
            return Err(Refusal::UserDisabled);
        }
        let stale = token
            .last_used_at
            .as_deref()
            .is_none_or(|last| last < timestamp::format(now - LAST_USE_RESOLUTION).as_str());
        if stale && let Err(error) = store::touch(&self.db, token.id, &now_text).await {
            tracing::warn!(%error, "API tokens: last use not recorded");
        }
        Ok(CurrentUser {
            username: token.username,
            role: token.role.min(token.user_role),
            token: Some(token.name),
        })
    }
}

impl ApiTokens for Accounts {
    fn create(
        &self,
        by: CurrentUser,
        name: String,
        days: u32,
        role: Role,
    ) -> BoxFuture<'_, Result<CreatedToken, AppError>> {
        Box::pin(async move {
            let name = check_name(&name)?;
            let days = check_days(days)?;
            if role > by.role {
                return Err(AppError::invalid_field(
                    "role",
                    format!(
                        "A token cannot do more than you: choose {} or a role below it.",
                        by.role
                    ),
                ));
            }
            let user = users::by_name(&self.db, &by.username)
                .await
                .map_err(unavailable)?
                .ok_or(AppError::Unauthenticated)?;
            let secret = fresh_secret()?;
            let prefix = secret[..PREFIX.len() + 8].to_owned();
            let now = OffsetDateTime::now_utc();
            let created_at = timestamp::format(now);
            let expires_at = timestamp::format(now + Duration::days(i64::from(days)));
            let mut tx = self.audit.begin().await.map_err(unrecorded)?;
            let id = store::insert(
                tx.conn(),
                &store::NewToken {
                    user_id: user.id,
                    name: &name,
                    hash: &digest(&secret),
                    prefix: &prefix,
                    role,
                    created_at: &created_at,
                    expires_at: &expires_at,
                },
            )
            .await
            .map_err(unavailable)?;
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::TokenCreated,
                &by.username,
                json!({ "token": id, "name": name, "prefix": prefix, "role": role.as_str(), "expires_at": expires_at }),
            ))
            .await
            .map_err(unrecorded)?;
            tx.commit().await.map_err(unrecorded)?;
            Ok(CreatedToken {
                secret,
                summary: TokenSummary {
                    id,
                    username: by.username,
                    name,
                    prefix,
                    role,
                    created_at,
                    expires_at,
                    last_used_at: None,
                    revoked_at: None,
                },
            })
        })
    }

    fn list(&self, of: Option<String>) -> BoxFuture<'_, Result<Vec<TokenSummary>, AppError>> {
        Box::pin(async move {
            let rows = store::list(&self.db, of.as_deref())
                .await
                .map_err(unavailable)?;
            Ok(rows.into_iter().map(TokenSummary::from).collect())
        })
    }

    fn revoke(&self, by: CurrentUser, id: i64) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let gone = || {
                AppError::NotFound(
                    "There is no such token. The list shows every token you can revoke.".to_owned(),
                )
            };
            let mut tx = self.audit.begin().await.map_err(unrecorded)?;
            let (owner, name, revoked_at) = store::owner(tx.conn(), id)
                .await
                .map_err(unavailable)?
                .ok_or_else(gone)?;
            // Someone else's token is not even said to exist, unless an administrator asks.
            if owner != by.username && !by.can(Role::Admin) {
                return Err(gone());
            }
            if revoked_at.is_some() {
                return Ok(());
            }
            store::revoke(tx.conn(), id, &timestamp::now(), &by.username)
                .await
                .map_err(unavailable)?;
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::TokenRevoked,
                &owner,
                json!({ "token": id, "name": name }),
            ))
            .await
            .map_err(unrecorded)?;
            tx.commit().await.map_err(unrecorded)
        })
    }

    fn hold_for_display(&self, created: CreatedToken) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let (session, _) = super::request_session()?;
            session
                .insert(HELD_KEY, created)
                .await
                .map_err(super::session_unavailable)
        })
    }

    fn take_held(&self) -> BoxFuture<'_, Result<Option<CreatedToken>, AppError>> {
        Box::pin(async move {
            let (session, _) = super::request_session()?;
            session
                .remove::<CreatedToken>(HELD_KEY)
                .await
                .map_err(super::session_unavailable)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_secret_has_the_prefix_and_160_random_bits() {
        let one = fresh_secret().unwrap();
        let two = fresh_secret().unwrap();
        assert!(one.starts_with(PREFIX));
        assert_eq!(one.len(), PREFIX.len() + 40);
        assert_ne!(one, two);
    }

    #[test]
    fn names_and_lifetimes_are_checked() {
        assert_eq!(check_name("  ci-push ").unwrap(), "ci-push");
        assert!(check_name("").is_err());
        assert!(check_name("a\u{7}b").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
        assert!(check_days(0).is_err());
        assert!(check_days(366).is_err());
        assert_eq!(check_days(365).unwrap(), 365);
    }
}
