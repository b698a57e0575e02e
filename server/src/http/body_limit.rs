//! Request body limits by route. Forms and server-function calls are small; the two that
//! carry a lens may be as large as a lens written in any script, URL-encoded. A body that
//! declares more is refused before a byte of it is read; one that does not declare its length
//! is cut off at the limit.

use axum::{
    body::Body,
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{StatusCode, header};
use http_body_util::Limited;

pub const FORM_LIMIT: usize = 64 * 1024;
/// 500,000 characters of up to 4 UTF-8 bytes, percent-encoded (3 bytes per byte), rounded
/// up: the form encoding, not the lens, is what makes this large.
pub const LENS_LIMIT: usize = 6 * 1024 * 1024;
const LENS_ROUTES: [&str; 4] = [
    "/lenses/new",
    "/api/lenses/import",
    "/api/v1/lenses",
    "/api/v1/lenses/validate",
];

pub async fn limit(request: Request, next: Next) -> Response {
    let lens = LENS_ROUTES.contains(&request.uri().path());
    let limit = if lens { LENS_LIMIT } else { FORM_LIMIT };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        let message = if lens {
            "The lens is too large to send: ImportLens accepts at most 500,000 characters."
        } else {
            "The request is too large."
        };
        return (StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    }
    next.run(request.map(|body| Body::new(Limited::new(body, limit))))
        .await
}
