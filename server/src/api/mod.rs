//! The JSON API for pipelines, under `/api/v1`: the pages' ports, rules, gateway and audit,
//! reached with a personal API token (`Authorization: Bearer lgt_…`) instead of a session, so
//! there is no second way to make a change. Errors are RFC 9457 problem details; the OpenAPI
//! document is generated from the handlers (`openapi`).

mod audit;
mod lenses;
pub mod openapi;
mod problem;
mod reviews;

use axum::{
    Router,
    extract::FromRequestParts,
    http::{HeaderMap, request::Parts},
    routing::{any, get, post},
};
use lensgate_app::auth::{CurrentUser, Role};

pub use problem::Problem;

use crate::http::AppState;

pub const PREFIX: &str = "/api/v1/";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/docs", get(openapi::page))
        .route("/api/v1/lenses", get(lenses::list).post(lenses::import))
        .route("/api/v1/lenses/validate", post(lenses::validate))
        .route("/api/v1/lenses/versions", get(lenses::versions))
        .route("/api/v1/reviews", post(reviews::submit))
        .route("/api/v1/reviews/{id}", get(reviews::read))
        .route("/api/v1/reviews/{id}/publish", post(reviews::publish))
        .route("/api/v1/audit", get(audit::search))
        .route("/api/v1/audit/export", get(audit::export))
        // The pages' fallback would answer with HTML; an API client gets a problem.
        .route(
            "/api/v1/{*rest}",
            any(|| async {
                Problem::new(
                    "not-found",
                    http::StatusCode::NOT_FOUND,
                    "There is no such API route: /api/v1/docs lists them.",
                )
            }),
        )
}

/// The user a request's token acts as; the session middleware resolved it from the
/// `Authorization` header (and answered 401 itself for a token it refused).
pub struct Caller(Option<CurrentUser>);

impl Caller {
    /// The caller, if their token's role (capped by their own) is at least `needed`.
    pub fn require(&self, needed: Role) -> Result<&CurrentUser, Problem> {
        let user = self.0.as_ref().ok_or_else(Problem::unauthenticated)?;
        if user.can(needed) {
            Ok(user)
        } else {
            Err(Problem::from(lensgate_app::error::AppError::Forbidden {
                needed: needed.to_string(),
            }))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Caller(parts.extensions.get::<CurrentUser>().cloned()))
    }
}

/// The token in `Authorization: Bearer …`; `Err` when the header is there but says something
/// else (a bearer token is the only way in).
pub fn bearer(headers: &HeaderMap) -> Result<Option<&str>, Problem> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| Some(token.trim()))
        .ok_or_else(Problem::unauthenticated)
}

/// Where people reach this lensgate: `--public-url`, or the address the request came to.
fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

/// `Idempotency-Key`: the same key from the same user with the same input derives the same
/// gateway token, so a retried request makes its change once.
mod idempotency {
    use http::HeaderMap;
    use sha2::{Digest, Sha256};

    use super::Problem;

    pub fn form_token(headers: &HeaderMap, username: &str) -> Result<String, Problem> {
        let Some(key) = headers.get("idempotency-key") else {
            return Ok(String::new());
        };
        let key = key
            .to_str()
            .ok()
            .filter(|k| !k.is_empty() && k.len() <= 255)
            .ok_or_else(|| {
                Problem::malformed(
                    "Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID or the commit and file.",
                )
            })?;
        let mut hasher = Sha256::new();
        hasher.update(b"api\0");
        hasher.update(username.as_bytes());
        hasher.update([0]);
        hasher.update(key.as_bytes());
        Ok(hex::encode(hasher.finalize()))
    }
}
