//! User administration's data and server functions: list users, create them, set roles,
//! disable and enable, reset passwords. The Admin page (`routes::admin`) calls them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{auth::Role, error::AppError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub username: String,
    pub role: Role,
    pub disabled: bool,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<(crate::auth::CurrentUser, crate::services::Services), AppError> {
    let user = crate::auth::ssr::require(Role::Admin)?;
    Ok((user, crate::services::Services::current()?))
}

#[cfg(feature = "ssr")]
fn role_from(text: &str) -> Result<Role, AppError> {
    Role::parse(text)
        .ok_or_else(|| AppError::invalid_field("role", format!("{text:?} is not a role.")))
}

#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    let (_, services) = admin()?;
    services.users.list().await
}

#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(username: String, password: String, role: String) -> Result<(), AppError> {
    let (by, services) = admin()?;
    services
        .users
        .create(by, username, password, role_from(&role)?)
        .await
}

#[server(prefix = "/api", endpoint = "users/role")]
pub async fn set_user_role(username: String, role: String) -> Result<(), AppError> {
    let (by, services) = admin()?;
    services
        .users
        .set_role(by, username, role_from(&role)?)
        .await
}

#[server(prefix = "/api", endpoint = "users/disabled")]
pub async fn set_user_disabled(username: String, disabled: String) -> Result<(), AppError> {
    let (by, services) = admin()?;
    services
        .users
        .set_disabled(by, username, disabled == "true")
        .await
}

#[server(prefix = "/api", endpoint = "users/password")]
pub async fn reset_user_password(username: String, password: String) -> Result<(), AppError> {
    let (by, services) = admin()?;
    services.users.reset_password(by, username, password).await
}
