//! Local accounts: users with argon2id passwords and one role each, sessions in SQLite,
//! throttled sign-in, and the first administrator created on an empty database.

mod admin;
mod password;
pub mod proxy;
pub mod session;
pub mod session_store;
mod throttle;
pub mod tokens;
pub mod users;

use std::{net::SocketAddr, sync::Arc};

use axum::extract::ConnectInfo;
use lensgate_app::{
    auth::{CurrentUser, Role},
    error::AppError,
    services::{BoxFuture, SignIn},
};
use serde_json::json;
use time::OffsetDateTime;
use tower_sessions::Session;

use self::{
    session::{SESSION_KEY, SessionUser, auth_digest},
    throttle::LoginThrottle,
};
use crate::{
    audit::{Actor, AuditAction, AuditLog, NewEvent},
    db::Database,
};

pub const FIRST_ADMIN: &str = "admin";

pub struct Accounts {
    db: Database,
    audit: Arc<AuditLog>,
    throttle: LoginThrottle,
    proxy: Option<proxy::ProxyAuth>,
}

#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error("cannot create the first administrator: {0}")]
    Database(#[from] sqlx::Error),
}

impl Accounts {
    pub fn new(audit: Arc<AuditLog>) -> Self {
        let db = audit.database().clone();
        Accounts {
            throttle: LoginThrottle::new(db.clone()),
            db,
            audit,
            proxy: None,
        }
    }

    /// Open reviews `user` can decide, for the header; none when the count cannot be read.
    pub async fn waiting_reviews(&self, user: &CurrentUser) -> lensgate_app::auth::WaitingReviews {
        match crate::reviews::waiting_for(&self.db, user).await {
            Ok(count) => lensgate_app::auth::WaitingReviews(count),
            Err(error) => {
                tracing::warn!(%error, "the reviews waiting could not be counted");
                lensgate_app::auth::WaitingReviews(0)
            }
        }
    }

    /// Trusts an authenticating proxy's identity header (see [`proxy`]).
    pub fn with_proxy(mut self, proxy: Option<proxy::ProxyAuth>) -> Self {
        self.proxy = proxy;
        self
    }

    /// The user an authenticating proxy vouches for: a known, enabled user with their role, or
    /// an unknown one with the configured default role.
    pub async fn proxy_user(
        &self,
        peer: Option<std::net::IpAddr>,
        headers: &axum::http::HeaderMap,
    ) -> Option<CurrentUser> {
        let proxy = self.proxy.as_ref()?;
        let username = proxy.identity(peer, headers)?;
        match users::by_name(&self.db, &username).await {
            Ok(Some(user)) if user.disabled => None,
            Ok(Some(user)) => Some(CurrentUser {
                username: user.username,
                role: user.role,
                token: None,
            }),
            Ok(None) => Some(CurrentUser {
                username,
                role: proxy.default_role,
                token: None,
            }),
            Err(error) => {
                tracing::error!(%error, "proxy sign-in: cannot read users");
                None
            }
        }
    }

    /// On an empty database, creates the `admin` account with `configured` as its password, or
    /// a generated one that is logged once with the sign-in address.
    pub async fn bootstrap(
        &self,
        configured: Option<String>,
        login_url: &str,
    ) -> Result<(), BootstrapError> {
        let (password, generated) = match configured.filter(|p| !p.is_empty()) {
            Some(password) => (password, false),
            None => (password::generate(), true),
        };
        let hash = password::hash(password.clone()).await;
        // Counted inside the audit transaction: replicas starting together on one database
        // take turns there, and only the first finds no users.
        let mut tx = self.audit.begin().await?;
        if users::count_in(tx.conn()).await? > 0 {
            return Ok(());
        }
        users::create(tx.conn(), FIRST_ADMIN, &hash, Role::Admin).await?;
        tx.record(NewEvent::recorded(
            Actor::system(),
            AuditAction::UserCreated,
            FIRST_ADMIN,
            json!({ "username": FIRST_ADMIN, "role": "admin" }),
        ))
        .await?;
        tx.commit().await?;
        if generated {
            tracing::warn!(
                "created the first administrator: sign in at {login_url} as `{FIRST_ADMIN}` with the password {password} and change it; it is not shown again"
            );
        } else {
            tracing::info!(
                "created the first administrator `{FIRST_ADMIN}` with the configured password; sign in at {login_url}"
            );
        }
        Ok(())
    }

    /// Creates a user (used by the first start and the admin page).
    pub async fn create_user(
        &self,
        by: &Actor,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<(), sqlx::Error> {
        let hash = password::hash(password.to_owned()).await;
        let mut tx = self.audit.begin().await?;
        users::create(tx.conn(), username, &hash, role).await?;
        tx.record(NewEvent::recorded(
            by.clone(),
            AuditAction::UserCreated,
            username,
            json!({ "username": username, "role": role.as_str() }),
        ))
        .await?;
        tx.commit().await
    }

    /// Disables or re-enables a user; a disabled user's open sessions stop working at once,
    /// because every request re-reads the user. The last enabled administrator stays enabled.
    pub async fn set_disabled(
        &self,
        by: &Actor,
        username: &str,
        disabled: bool,
    ) -> Result<bool, AppError> {
        let mut tx = self.audit.begin().await.map_err(admin::unrecorded)?;
        if disabled {
            admin::keep_an_admin(tx.conn(), username).await?;
        }
        let changed = users::set_disabled(tx.conn(), username, disabled)
            .await
            .map_err(admin::unrecorded)?;
        if changed {
            let action = if disabled {
                AuditAction::UserDisabled
            } else {
                AuditAction::UserEnabled
            };
            tx.record(NewEvent::recorded(
                by.clone(),
                action,
                username,
                json!({ "username": username }),
            ))
            .await
            .map_err(admin::unrecorded)?;
        }
        tx.commit().await.map_err(admin::unrecorded)?;
        Ok(changed)
    }

    async fn record(
        &self,
        actor: Actor,
        action: AuditAction,
        target: &str,
        request: serde_json::Value,
    ) {
        let event = NewEvent::recorded(actor, action, target, request);
        if let Err(error) = self.audit.append(event).await {
            tracing::error!(%error, action = action.as_str(), "cannot record an account event in the audit history");
        }
    }

    async fn sign_in_with(
        &self,
        session: Session,
        client: Option<SocketAddr>,
        username: String,
        password: String,
    ) -> Result<CurrentUser, AppError> {
        let username = username.trim().to_owned();
        let account_key = format!("user:{}", username.to_lowercase());
        let mut keys = vec![account_key.clone()];
        if let Some(client) = client {
            keys.push(format!("ip:{}", client.ip()));
        }
        let anonymous = Actor {
            name: username.clone(),
            role: "anonymous".to_owned(),
        };
        let now = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        let throttle_unavailable = |error: sqlx::Error| {
            tracing::error!(%error, "sign-in: cannot read or count failures");
            AppError::Unavailable("The user database".to_owned())
        };
        if let Some(wait) = self
            .throttle
            .wait(&keys, now)
            .await
            .map_err(throttle_unavailable)?
        {
            metrics::counter!("lensgate_sign_in_failures_total", "reason" => "throttled")
                .increment(1);
            self.record(
                anonymous,
                AuditAction::SignInThrottled,
                &username,
                json!({ "client": client.map(|c| c.ip().to_string()) }),
            )
            .await;
            return Err(AppError::TooManyAttempts {
                seconds: wait.as_secs().max(1),
            });
        }
        let user = users::by_name(&self.db, &username).await.map_err(|error| {
            tracing::error!(%error, "sign-in: cannot read users");
            AppError::Unavailable("The user database".to_owned())
        })?;
        let matches =
            password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await;
        let user = match user {
            Some(user) if matches && !user.disabled => user,
            _ => {
                let lockout = self
                    .throttle
                    .failed(&keys, now)
                    .await
                    .map_err(throttle_unavailable)?;
                metrics::counter!("lensgate_sign_in_failures_total", "reason" => "credentials")
                    .increment(1);
                self.record(
                    anonymous.clone(),
                    AuditAction::SignInFailed,
                    &username,
                    json!({ "client": client.map(|c| c.ip().to_string()) }),
                )
                .await;
                if let Some(lockout) = lockout {
                    metrics::counter!("lensgate_sign_in_lockouts_total").increment(1);
                    self.record(
                        anonymous,
                        AuditAction::SignInLocked,
                        &username,
                        json!({ "seconds": lockout.as_secs() }),
                    )
                    .await;
                }
                return Err(AppError::InvalidCredentials);
            }
        };
        self.throttle
            .succeeded(&account_key)
            .await
            .map_err(throttle_unavailable)?;
        // A new session id at sign-in: an id planted before sign-in is worthless after it.
        session.cycle_id().await.map_err(session_unavailable)?;
        session
            .insert(
                SESSION_KEY,
                SessionUser {
                    user_id: user.id,
                    auth: auth_digest(&user.password_hash),
                    signed_in_at: OffsetDateTime::now_utc().unix_timestamp(),
                },
            )
            .await
            .map_err(session_unavailable)?;
        let current = CurrentUser {
            username: user.username.clone(),
            role: user.role,
            token: None,
        };
        self.record(
            Actor {
                name: user.username.clone(),
                role: user.role.to_string(),
            },
            AuditAction::SignIn,
            &user.username,
            json!({ "client": client.map(|c| c.ip().to_string()) }),
        )
        .await;
        Ok(current)
    }

    async fn sign_out_with(&self, session: Session) -> Result<(), AppError> {
        if let Some(user) = self.session_user(&session).await {
            self.record(
                Actor {
                    name: user.username.clone(),
                    role: user.role.to_string(),
                },
                AuditAction::SignOut,
                &user.username,
                json!({}),
            )
            .await;
        }
        session.flush().await.map_err(session_unavailable)
    }
}

fn session_unavailable(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "the session store failed");
    AppError::Unavailable("The session store".to_owned())
}

/// The request's session and client address, from the server function's context.
fn request_session() -> Result<(Session, Option<SocketAddr>), AppError> {
    let parts = leptos::prelude::use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let session = parts
        .extensions
        .get::<Session>()
        .cloned()
        .ok_or(AppError::Internal)?;
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    Ok((session, client))
}

impl SignIn for Accounts {
    fn sign_in(
        &self,
        username: String,
        password: String,
    ) -> BoxFuture<'_, Result<CurrentUser, AppError>> {
        let request = request_session();
        Box::pin(async move {
            let (session, client) = request?;
            self.sign_in_with(session, client, username, password).await
        })
    }

    fn sign_out(&self) -> BoxFuture<'_, Result<(), AppError>> {
        let request = request_session();
        Box::pin(async move {
            let (session, _) = request?;
            self.sign_out_with(session).await
        })
    }
}
