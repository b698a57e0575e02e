//! The Audit page's export: every event of the current filter as CSV or JSON Lines, streamed in
//! keyset batches so memory stays flat and the first bytes leave at once, whatever the size.
//! The first line says how far the hash chain verifies.

use std::sync::Arc;

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
    AuditLog, Event,
    browser::filter_of,
    query::{self, Filter},
};

/// Events read per database round trip.
const BATCH: i64 = 1_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

const CSV_COLUMNS: [&str; 17] = [
    "seq",
    "occurred_at",
    "actor",
    "actor_role",
    "action",
    "target",
    "outcome",
    "error_code",
    "error_message",
    "duration_ms",
    "attempts",
    "operation_id",
    "idempotency_token",
    "aws_request_id",
    "request",
    "response",
    "hash",
];

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
    let format = match format.as_deref() {
        Some("csv") | None => Format::Csv,
        Some("jsonl") => Format::JsonLines,
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
    let header_line = match format {
        Format::Csv => format!("# {}\n{}\n", chain_words(&chain), CSV_COLUMNS.join(",")),
        Format::JsonLines => format!(
            "{}\n",
            json!({ "lensgate_audit_export": { "chain": chain_json(&chain), "query": audit_query.to_query_string() } })
        ),
    };
    let rows = futures_util::stream::unfold(
        Walk {
            audit,
            filter,
            before: None,
            done: false,
        },
        move |mut walk| async move {
            if walk.done {
                return None;
            }
            match query::page(walk.audit.pool(), &walk.filter, walk.before, BATCH).await {
                Ok(events) => {
                    walk.done = (events.len() as i64) < BATCH;
                    walk.before = events.last().map(|e| e.seq);
                    let mut chunk = String::with_capacity(events.len() * 512);
                    for event in &events {
                        match format {
                            Format::Csv => csv_line(&mut chunk, event),
                            Format::JsonLines => {
                                chunk.push_str(&json_line(event).to_string());
                                chunk.push('\n');
                            }
                        }
                    }
                    Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), walk))
                }
                Err(error) => {
                    // The status line is gone; ending the body early marks the file as cut short.
                    tracing::error!(%error, "audit export stopped");
                    Some((
                        Err(std::io::Error::other(error)),
                        Walk { done: true, ..walk },
                    ))
                }
            }
        },
    );
    let body = futures_util::stream::once(async move { Ok(Bytes::from(header_line)) }).chain(rows);
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::JsonLines => ("application/x-ndjson; charset=utf-8", "jsonl"),
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

struct Walk {
    audit: Arc<AuditLog>,
    filter: Filter,
    before: Option<i64>,
    done: bool,
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

fn outcome(phase: &str) -> &str {
    if phase == "requested" {
        "pending"
    } else {
        phase
    }
}

/// One CSV record. Cells a spreadsheet would run as a formula get a leading apostrophe.
fn csv_line(out: &mut String, event: &Event) {
    let seq = event.seq.to_string();
    let duration = event.duration_ms.map(|d| d.to_string()).unwrap_or_default();
    let attempts = event.attempts.map(|a| a.to_string()).unwrap_or_default();
    let cells: [&str; 17] = [
        &seq,
        &event.occurred_at,
        &event.actor,
        &event.actor_role,
        &event.action,
        &event.target,
        outcome(&event.phase),
        event.error_code.as_deref().unwrap_or_default(),
        event.error_message.as_deref().unwrap_or_default(),
        &duration,
        &attempts,
        &event.operation_id,
        event.idempotency_token.as_deref().unwrap_or_default(),
        event.aws_request_id.as_deref().unwrap_or_default(),
        &event.request,
        event.response.as_deref().unwrap_or_default(),
        &event.hash,
    ];
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_cell(out, cell);
    }
    out.push('\n');
}

fn csv_cell(out: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula || cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if formula {
            out.push('\'');
        }
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

fn json_line(event: &Event) -> Value {
    let parsed = |text: &str| {
        serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.to_owned()))
    };
    json!({
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "actor": event.actor,
        "actor_role": event.actor_role,
        "action": event.action,
        "target": event.target,
        "outcome": outcome(&event.phase),
        "error_code": event.error_code,
        "error_message": event.error_message,
        "duration_ms": event.duration_ms,
        "attempts": event.attempts,
        "operation_id": event.operation_id,
        "idempotency_token": event.idempotency_token,
        "aws_request_id": event.aws_request_id,
        "request": parsed(&event.request),
        "response": event.response.as_deref().map(parsed),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    })
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let cell = |text: &str| {
            let mut out = String::new();
            csv_cell(&mut out, text);
            out
        };
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
