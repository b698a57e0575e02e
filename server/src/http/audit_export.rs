//! The Audit page's export: every event of the current filter as CSV or JSON Lines, streamed
//! by [`crate::audit::export`] so memory stays flat and the first bytes leave at once, whatever
//! the size. The first line says how far the hash chain verifies.

use axum::{
    body::{Body, Bytes},
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use futures_util::StreamExt as _;
use http::{HeaderValue, StatusCode, header};
use lensgate_app::audit_browser::{AuditQuery, ChainState};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::AppState;
use crate::audit::{
    browser::filter_of,
    export::{self, CSV_HEADER, Rendering},
};

/// The query string as pairs, so `action` may repeat.
fn audit_query(pairs: &[(String, String)]) -> (AuditQuery, Option<String>) {
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
    let (audit_query, format) = audit_query(&pairs);
    let rendering = match format.as_deref() {
        Some("csv") | None => Rendering::Csv,
        Some("jsonl") => Rendering::JsonLines,
        Some(_) => {
            return (
                StatusCode::BAD_REQUEST,
                "Export as format=csv or format=jsonl.",
            )
                .into_response();
        }
    };
    let filter = match filter_of(&audit_query, OffsetDateTime::now_utc()) {
        Ok(filter) => filter,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let audit = state.audit.clone();
    let chain = match audit.chain_status().await {
        Ok(verification) => ChainState::from(verification),
        Err(error) => {
            tracing::error!(%error, "audit export: the chain could not be read");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The audit history is unavailable right now.",
            )
                .into_response();
        }
    };
    let header_line = match rendering {
        Rendering::Csv => format!("# {}\n{CSV_HEADER}\n", chain_words(&chain)),
        Rendering::JsonLines => format!(
            "{}\n",
            json!({ "lensgate_audit_export": { "chain": chain_json(&chain), "query": audit_query.to_query_string() } })
        ),
    };
    let database = audit.pool().connect_options().get_filename().to_owned();
    let rows = export::stream(database, filter, rendering).map(|chunk| {
        chunk.map_err(|error| {
            // The status line is gone; ending the body early marks the file as cut short.
            tracing::error!(%error, "audit export stopped");
            std::io::Error::other(error)
        })
    });
    let body = futures_util::stream::once(async move { Ok(Bytes::from(header_line)) }).chain(rows);
    let (content_type, extension) = match rendering {
        Rendering::Csv => ("text/csv; charset=utf-8", "csv"),
        Rendering::JsonLines => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"lensgate-audit.{extension}\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn chain_words(chain: &ChainState) -> String {
    match chain {
        ChainState::Intact { events } => {
            format!("lensgate audit export; hash chain verified up to event {events}")
        }
        ChainState::Broken { seq, reason, .. } => {
            format!("lensgate audit export; hash chain BROKEN at event {seq}: {reason}")
        }
    }
}

fn chain_json(chain: &ChainState) -> Value {
    match chain {
        ChainState::Intact { events } => json!({ "status": "verified", "up_to_event": events }),
        ChainState::Broken {
            seq,
            verified,
            reason,
        } => {
            json!({ "status": "broken", "at_event": seq, "verified": verified, "reason": reason })
        }
    }
}
