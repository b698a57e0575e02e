//! Personal API tokens' data and server functions: the account page lists, creates and revokes
//! one's own; the admin page lists and revokes everyone's.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{auth::Role, error::AppError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSummary {
    pub id: i64,
    pub username: String,
    pub name: String,
    /// The token's first characters, to tell tokens apart; never enough to use one.
    pub prefix: String,
    /// The most the token may do; its user's role of the moment caps it too.
    pub role: Role,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A token just created: the secret exists only here, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub secret: String,
    pub summary: TokenSummary,
}

/// How long a new token lasts unless the form says otherwise, and the longest allowed.
pub const DEFAULT_DAYS: u32 = 90;
pub const MAX_DAYS: u32 = 365;

#[server(prefix = "/api", endpoint = "tokens")]
pub async fn list_own_tokens() -> Result<Vec<TokenSummary>, AppError> {
    let user = crate::auth::ssr::require(Role::Viewer)?;
    crate::services::Services::current()?
        .tokens
        .list(Some(user.username))
        .await
}

#[server(prefix = "/api", endpoint = "tokens/all")]
pub async fn list_all_tokens() -> Result<Vec<TokenSummary>, AppError> {
    crate::auth::ssr::require(Role::Admin)?;
    crate::services::Services::current()?
        .tokens
        .list(None)
        .await
}

/// Creates a token. Without JavaScript the answer is a redirect back to the account page,
/// which then shows the secret once: it travels in the session, never in an address.
#[server(prefix = "/api", endpoint = "tokens/create")]
pub async fn create_token(
    name: String,
    days: String,
    role: String,
) -> Result<CreatedToken, AppError> {
    let user = crate::auth::ssr::require(Role::Viewer)?;
    let days = days.trim().parse::<u32>().map_err(|_| {
        AppError::invalid_field(
            "days",
            format!("A token lasts 1 to {MAX_DAYS} days; write a number."),
        )
    })?;
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::invalid_field("role", format!("{role:?} is not a role.")))?;
    let services = crate::services::Services::current()?;
    let created = services.tokens.create(user, name, days, role).await?;
    if crate::auth::ssr::is_plain_form() {
        services.tokens.hold_for_display(created.clone()).await?;
    }
    Ok(created)
}

/// The token created by a form posted without JavaScript, once.
#[server(prefix = "/api", endpoint = "tokens/created")]
pub async fn take_created_token() -> Result<Option<CreatedToken>, AppError> {
    crate::auth::ssr::require(Role::Viewer)?;
    crate::services::Services::current()?
        .tokens
        .take_held()
        .await
}

#[server(prefix = "/api", endpoint = "tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(Role::Viewer)?;
    let id = id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::Invalid("This form names no token. Reload the page.".to_owned()))?;
    crate::services::Services::current()?
        .tokens
        .revoke(user, id)
        .await
}
