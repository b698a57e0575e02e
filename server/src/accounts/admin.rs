//! User administration for the admin page, and changing one's own password. Every change is
//! an audit event; the last enabled administrator can be neither demoted nor disabled.

use lensgate_app::{
    auth::{CurrentUser, Role},
    error::AppError,
    services::{BoxFuture, UserAdmin, UserSummary},
};
use serde_json::json;

use super::{Accounts, password, users};
use crate::audit::{Actor, AuditAction, NewEvent};

/// Long enough to resist guessing; no composition rules, which mostly make passwords worse.
pub const MIN_PASSWORD_LENGTH: usize = 12;

fn unavailable(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "user administration: database error");
    AppError::Unavailable("The user database".to_owned())
}

/// `field` is the form's name for the password, where the complaint is shown.
fn check_password(field: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(AppError::invalid_field(
            field,
            format!("Choose a password of at least {MIN_PASSWORD_LENGTH} characters."),
        ));
    }
    Ok(())
}

fn check_username(username: &str) -> Result<String, AppError> {
    let username = username.trim();
    let length = username.chars().count();
    if length == 0 || length > 64 || username.chars().any(char::is_control) {
        return Err(AppError::invalid_field(
            "username",
            "A username is 1 to 64 characters, without control characters.",
        ));
    }
    Ok(username.to_owned())
}

fn no_such_user(username: &str) -> AppError {
    AppError::NotFound(format!(
        "There is no user {username:?}. The list below shows every user; reload it."
    ))
}

/// Refuses to leave the users without an enabled administrator. Runs inside the transaction of
/// the change, which holds the one writer, so two administrators demoting each other at once
/// are decided one after the other.
pub(super) async fn keep_an_admin(
    mut conn: crate::db::Conn<'_>,
    username: &str,
) -> Result<(), AppError> {
    let target = users::by_name_in(conn.reborrow(), username)
        .await
        .map_err(unavailable)?;
    let is_active_admin = target.is_some_and(|u| u.role == Role::Admin && !u.disabled);
    if is_active_admin
        && users::other_active_admins(conn, username)
            .await
            .map_err(unavailable)?
            == 0
    {
        return Err(AppError::Invalid(
            "This is the last enabled administrator: make someone else an administrator first."
                .to_owned(),
        ));
    }
    Ok(())
}

/// The audit history could not be written, so the change was rolled back.
pub(super) fn unrecorded(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "the audit history could not be written; the account change was rolled back");
    AppError::Unavailable("The audit history".to_owned())
}

impl UserAdmin for Accounts {
    fn list(&self) -> BoxFuture<'_, Result<Vec<UserSummary>, AppError>> {
        Box::pin(async move {
            let listed = users::list(&self.db).await.map_err(unavailable)?;
            Ok(listed
                .into_iter()
                .map(|u| UserSummary {
                    role: u.role,
                    username: u.username,
                    disabled: u.disabled,
                })
                .collect())
        })
    }

    fn create(
        &self,
        by: CurrentUser,
        username: String,
        password: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let username = check_username(&username)?;
            check_password("password", &password)?;
            if users::by_name(&self.db, &username)
                .await
                .map_err(unavailable)?
                .is_some()
            {
                return Err(AppError::invalid_field(
                    "username",
                    format!("The username {username:?} is taken."),
                ));
            }
            self.create_user(&Actor::from(&by), &username, &password, role)
                .await
                .map_err(unavailable)
        })
    }

    fn set_role(
        &self,
        by: CurrentUser,
        username: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let mut tx = self.audit.begin().await.map_err(unrecorded)?;
            if role != Role::Admin {
                keep_an_admin(tx.conn(), &username).await?;
            }
            if !users::set_role(tx.conn(), &username, role)
                .await
                .map_err(unavailable)?
            {
                return Err(no_such_user(&username));
            }
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::UserRoleChanged,
                &username,
                json!({ "username": username, "role": role.as_str() }),
            ))
            .await
            .map_err(unrecorded)?;
            tx.commit().await.map_err(unrecorded)
        })
    }

    fn set_disabled(
        &self,
        by: CurrentUser,
        username: String,
        disabled: bool,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            if !Accounts::set_disabled(self, &Actor::from(&by), &username, disabled).await? {
                return Err(no_such_user(&username));
            }
            Ok(())
        })
    }

    fn reset_password(
        &self,
        by: CurrentUser,
        username: String,
        password: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            check_password("password", &password)?;
            let hash = password::hash(password).await;
            let mut tx = self.audit.begin().await.map_err(unrecorded)?;
            if !users::set_password(tx.conn(), &username, &hash)
                .await
                .map_err(unavailable)?
            {
                return Err(no_such_user(&username));
            }
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::UserPasswordReset,
                &username,
                json!({ "username": username }),
            ))
            .await
            .map_err(unrecorded)?;
            tx.commit().await.map_err(unrecorded)
        })
    }

    fn change_own_password(
        &self,
        user: CurrentUser,
        current: String,
        new: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            check_password("new", &new)?;
            let stored = users::by_name(&self.db, &user.username)
                .await
                .map_err(unavailable)?;
            if !password::verify(current, stored.map(|u| u.password_hash)).await {
                return Err(AppError::invalid_field(
                    "current",
                    "The current password is not right.",
                ));
            }
            let hash = password::hash(new).await;
            let mut tx = self.audit.begin().await.map_err(unrecorded)?;
            users::set_password(tx.conn(), &user.username, &hash)
                .await
                .map_err(unavailable)?;
            tx.record(NewEvent::recorded(
                Actor::from(&user),
                AuditAction::PasswordChanged,
                &user.username,
                json!({}),
            ))
            .await
            .map_err(unrecorded)?;
            tx.commit().await.map_err(unrecorded)
        })
    }
}
