//! What the session remembers of a signed-in user, and the middleware that turns it into the
//! request's [`CurrentUser`] on every request, or sends a visitor to the sign-in page.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::State,
    http::{Method, Request},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use lensgate_app::auth::CurrentUser;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

use super::{Accounts, users};

pub const SESSION_KEY: &str = "user";
/// However active a session is, it ends this long after sign-in.
pub const ABSOLUTE_LIMIT: time::Duration = time::Duration::hours(24);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionUser {
    pub user_id: i64,
    /// A digest of the password hash at sign-in: a password change ends older sessions.
    pub auth: String,
    pub signed_in_at: i64,
}

pub fn auth_digest(password_hash: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(password_hash.as_bytes())[..16])
}

/// Pages anyone may load; everything else needs a session. Server functions check roles
/// themselves and answer with an error instead of a redirect.
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/healthz" | "/readyz" | "/favicon.svg")
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
}

fn accepts_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn load_user(
    State(accounts): State<Arc<Accounts>>,
    session: Session,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    // The JSON API knows only tokens: no cookie session acts there, so another site cannot make
    // a browser call it, and a refused token is answered before any handler runs.
    if request.uri().path().starts_with(crate::api::PREFIX) {
        match crate::api::bearer(request.headers()) {
            Ok(Some(secret)) => match accounts.bearer_user(secret).await {
                Ok(user) => {
                    request.extensions_mut().insert(user);
                }
                Err(refusal) => {
                    tracing::info!(?refusal, uri = %request.uri(), "refused an API token");
                    return crate::api::Problem::unauthenticated().into_response();
                }
            },
            Ok(None) => {}
            Err(problem) => return problem.into_response(),
        }
        return next.run(request).await;
    }
    let user = match accounts.session_user(&session).await {
        Some(user) => Some(user),
        None => {
            let peer = request
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip());
            accounts.proxy_user(peer, request.headers()).await
        }
    };
    match user {
        Some(user) => {
            // Pages show it in the header; assets and server-function calls do not need it.
            if request.method() == Method::GET && accepts_html(request.headers()) {
                let waiting = accounts.waiting_reviews(&user).await;
                request.extensions_mut().insert(waiting);
            }
            request.extensions_mut().insert(user);
        }
        None if !is_public(request.uri().path()) && request.method() == Method::GET => {
            let next_path = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".to_owned());
            let target = format!(
                "/login?next={}",
                lensgate_app::href::encode_query(&next_path)
            );
            return Redirect::to(&target).into_response();
        }
        None => {}
    }
    next.run(request).await
}

impl Accounts {
    /// The user of a valid session: still enabled, same password, within the absolute limit.
    /// Anything else clears the session.
    pub async fn session_user(&self, session: &Session) -> Option<CurrentUser> {
        let remembered: SessionUser = session.get(SESSION_KEY).await.ok().flatten()?;
        let valid = match users::by_id(&self.db, remembered.user_id).await {
            Ok(Some(user))
                if !user.disabled
                    && auth_digest(&user.password_hash) == remembered.auth
                    && OffsetDateTime::now_utc().unix_timestamp() - remembered.signed_in_at
                        < ABSOLUTE_LIMIT.whole_seconds() =>
            {
                Some(CurrentUser {
                    username: user.username,
                    role: user.role,
                    token: None,
                })
            }
            Ok(_) => None,
            Err(error) => {
                tracing::error!(%error, "cannot read the session's user");
                return None;
            }
        };
        if valid.is_none() {
            let _ = session.flush().await;
        }
        valid
    }
}
