//! The Audit page's export: every event of the current filter as CSV or JSON Lines, streamed
//! through the [`lensgate_app::services::AuditBrowser`] port so memory stays flat and the first
//! bytes leave at once, whatever the size. The first line says how far the hash chain verifies.

use axum::{
    body::Body,
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use http::{HeaderValue, StatusCode, header};
use lensgate_app::audit_browser::{AuditQuery, ExportFormat};

use super::{AppState, refused};

/// The query string as pairs, so `action` may repeat.
pub(crate) fn audit_query(pairs: &[(String, String)]) -> (AuditQuery, Option<String>) {
    let mut query = AuditQuery::default();
    let mut format = None;
    for (key, value) in pairs {
        let value = value.clone();
        match key.as_str() {
            "action" => query.actions.push(value),
            "actor" => query.actor = value,
            "outcome" => query.outcome = value,
            "target" => query.target = value,
            "range" => query.range = value,
            "from" => query.from = value,
            "until" => query.until = value,
            "q" => query.q = value,
            "format" => format = Some(value),
            _ => {}
        }
    }
    (query, format)
}

pub async fn export(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let (query, format) = audit_query(&pairs);
    // The export is a link, not a form: a bad parameter is a bad request.
    let bad_request = |error: lensgate_app::error::AppError| {
        (StatusCode::BAD_REQUEST, error.to_string()).into_response()
    };
    let format = match ExportFormat::parse(format.as_deref()) {
        Ok(format) => format,
        Err(error) => return bad_request(error),
    };
    let file = match state.services.audit.export(query, format).await {
        Ok(file) => file,
        Err(error @ lensgate_app::error::AppError::Invalid(_)) => return bad_request(error),
        Err(error) => return refused(&error),
    };
    let mut response = Body::from_stream(file).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"lensgate-audit.{}\"",
        format.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
