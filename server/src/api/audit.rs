//! The audit history for pipelines and compliance tools: the Audit page's filters, one page at
//! a time, or everything the filter matches as a file.

use axum::{
    Json,
    body::Body,
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use http::{HeaderValue, header};
use lensgate_app::{audit_browser::ExportFormat, auth::Role};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Caller, Problem};
use crate::http::{AppState, audit_query};

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub subject: Option<String>,
    /// `requested` (no outcome yet), `succeeded`, `failed` or `recorded`.
    pub phase: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub duration_ms: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub events: Vec<AuditEvent>,
    /// Pass as `before` for the next, older page; absent on the last page.
    pub before: Option<i64>,
}

/// One page of events matching the Audit page's filters, newest first.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit",
    params(
        ("action" = Option<Vec<String>>, Query, description = "An action; repeat for several"),
        ("actor" = Option<String>, Query),
        ("outcome" = Option<String>, Query, description = "`pending`, `succeeded` or `failed`"),
        ("target" = Option<String>, Query, description = "An ARN or id"),
        ("range" = Option<String>, Query, description = "`1h`, `24h`, `7d`, `30d` or `custom` with from/until"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DDTHH:MM, UTC"),
        ("until" = Option<String>, Query, description = "YYYY-MM-DDTHH:MM, UTC"),
        ("q" = Option<String>, Query, description = "Words in requests, responses and errors"),
        ("before" = Option<i64>, Query, description = "The cursor of the previous page"),
    ),
    responses(
        (status = 200, body = AuditPage),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<AuditPage>, Problem> {
    caller.require(Role::Viewer)?;
    let (mut query, _) = audit_query(&pairs);
    if let Some((_, before)) = pairs.iter().find(|(key, _)| key == "before") {
        query.before = Some(before.parse().map_err(|_| {
            Problem::malformed("`before` is the number of an event, as the last page gave it.")
        })?);
    }
    let results = state.services.audit.search(query).await?;
    Ok(Json(AuditPage {
        events: results
            .rows
            .into_iter()
            .map(|row| AuditEvent {
                seq: row.seq,
                at: row.at,
                actor: row.actor,
                action: row.action,
                target: row.target,
                subject: row.subject,
                phase: row.phase,
                error_code: row.error_code,
                error_message: row.error_message,
                duration_ms: row.duration_ms,
            })
            .collect(),
        before: results.older,
    }))
}

/// Every event the filters match, oldest first, as CSV or JSON Lines, streamed; the first line
/// says how far the hash chain verifies.
#[utoipa::path(
    get, path = "/api/v1/audit/export", tag = "audit",
    params(
        ("format" = Option<String>, Query, description = "`csv` (default) or `jsonl`"),
        ("action" = Option<Vec<String>>, Query),
        ("actor" = Option<String>, Query),
        ("outcome" = Option<String>, Query),
        ("target" = Option<String>, Query),
        ("range" = Option<String>, Query),
        ("from" = Option<String>, Query),
        ("until" = Option<String>, Query),
        ("q" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "The file", content_type = "text/csv"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    caller.require(Role::Viewer)?;
    let (query, format) = audit_query(&pairs);
    let format = ExportFormat::parse(format.as_deref())?;
    let file = state.services.audit.export(query, format).await?;
    let mut response = Body::from_stream(file).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    Ok(response)
}
