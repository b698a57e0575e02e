//! Server functions answer every error with HTTP 500; this layer gives each the status of what
//! went wrong, from the one mapping in `AppError::status`, so tools and proxies see a user's
//! mistake as a 4xx and an AWS or dependency outage as a 5xx.

use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use http::StatusCode;
use lensgate_app::error::AppError;

/// Server function error bodies are small JSON; anything larger is left as it is.
const MAX_ERROR_BODY: usize = 1 << 20;

pub async fn status_of_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
