//! Headers every response carries, and the refusal of state-changing requests that come from
//! other sites.

use axum::{
    body::Body,
    http::{HeaderValue, Method, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Pages set their own Content-Security-Policy with the request's script nonce (see the app's
/// shell); everything else gets one that allows nothing.
const FALLBACK_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn headers(request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Same-origin referrers let a form posted without JavaScript return to its page.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(FALLBACK_CSP));
    response
}

/// Refuses a state-changing request that a browser says came from another site. Same-origin
/// form posts (with or without JavaScript) carry a matching `Origin` and `Sec-Fetch-Site:
/// same-origin`; tools that send neither are not browsers and carry no ambient cookies.
pub async fn same_origin_writes(request: Request<Body>, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = matches!(fetch_site, Some(site) if site != "same-origin" && site != "none");
    let origin_mismatch = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or_default();
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host != host.to_str().unwrap_or_default()
        }
        (Some(_), None) => true,
        (None, _) => false,
    };
    if cross_site || origin_mismatch {
        tracing::warn!(
            method = %request.method(),
            uri = %request.uri(),
            origin = ?headers.get(header::ORIGIN),
            fetch_site = ?fetch_site,
            "refused a cross-site request"
        );
        return (
            StatusCode::FORBIDDEN,
            "Refused: this change can only be made from lensgate's own pages.",
        )
            .into_response();
    }
    next.run(request).await
}
