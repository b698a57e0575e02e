//! The audit history as the Audit page sees it: the filters its URL carries, a page of events,
//! one event in full, and the chain's state. The server answers through the
//! [`crate::services::AuditBrowser`] port.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError, grants::grant_href, href::encode_query, lens_catalog::detail_href,
    workloads::workload_href,
};

/// Events per page.
pub const PAGE_SIZE: i64 = 50;

/// The time range presets, as the URL names them, with their length in seconds.
pub const RANGES: [(&str, &str, i64); 5] = [
    ("hour", "Last hour", 3_600),
    ("day", "Last 24 hours", 86_400),
    ("week", "Last 7 days", 7 * 86_400),
    ("month", "Last 30 days", 30 * 86_400),
    ("year", "Last 365 days", 365 * 86_400),
];

/// The outcomes a filter can ask for: (URL value, label, stored phase).
pub const OUTCOMES: [(&str, &str, &str); 4] = [
    ("pending", "Pending", "requested"),
    ("succeeded", "Succeeded", "succeeded"),
    ("failed", "Failed", "failed"),
    ("recorded", "Recorded (no AWS call)", "recorded"),
];

/// The audit export's file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

impl ExportFormat {
    /// The `format` parameter of the export link; CSV when it has none.
    pub fn parse(format: Option<&str>) -> Result<Self, AppError> {
        match format {
            Some("csv") | None => Ok(ExportFormat::Csv),
            Some("jsonl") => Ok(ExportFormat::JsonLines),
            Some(_) => Err(AppError::Invalid(
                "Export as format=csv or format=jsonl.".into(),
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::JsonLines => "application/x-ndjson; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::JsonLines => "jsonl",
        }
    }
}

/// Every filter of the page, as its URL carries them; empty means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub actions: Vec<String>,
    pub actor: String,
    pub outcome: String,
    pub target: String,
    /// A preset of [`RANGES`], `custom` for `from`/`until`, or empty for all time.
    pub range: String,
    /// `YYYY-MM-DDTHH:MM` in UTC, as a datetime-local field sends it.
    pub from: String,
    pub until: String,
    /// Words to search for in requests, responses and errors.
    pub q: String,
    /// Show events older than this one (keyset pagination).
    pub before: Option<i64>,
}

impl AuditQuery {
    /// The query string that reproduces this view (without the page cursor).
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .actions
            .iter()
            .map(|a| ("action", a.as_str()))
            .collect();
        for (key, value) in [
            ("actor", &self.actor),
            ("outcome", &self.outcome),
            ("target", &self.target),
            ("range", &self.range),
            ("from", &self.from),
            ("until", &self.until),
            ("q", &self.q),
        ] {
            if !value.is_empty() {
                pairs.push((key, value));
            }
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub seq: i64,
    /// RFC 3339 in UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// What the event was about beyond its target ("with 111122223333", "version 1.1").
    pub subject: Option<String>,
    /// `requested` is shown as pending.
    pub phase: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub duration_ms: Option<i64>,
}

/// How an event's outcome reads in a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pending,
    Succeeded,
    /// AWS refused because the change was already made (a share that exists).
    AlreadyDone,
    Failed,
    Recorded,
}

impl Verdict {
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Pending => "outcome pending",
            Verdict::Succeeded => "outcome succeeded",
            Verdict::AlreadyDone => "outcome already-done",
            Verdict::Failed => "outcome failed",
            Verdict::Recorded => "outcome recorded",
        }
    }
}

impl AuditRow {
    pub fn outcome(&self) -> &str {
        match self.phase.as_str() {
            "requested" => "pending",
            other => other,
        }
    }

    pub fn verdict(&self) -> Verdict {
        let shares = matches!(
            self.action.as_str(),
            "CreateLensShare" | "CreateWorkloadShare"
        );
        match (self.phase.as_str(), self.error_code.as_deref()) {
            ("requested", _) => Verdict::Pending,
            ("succeeded", _) => Verdict::Succeeded,
            ("failed", Some("ConflictException")) if shares => Verdict::AlreadyDone,
            ("failed", _) => Verdict::Failed,
            _ => Verdict::Recorded,
        }
    }

    /// The outcome in words: "already shared" rather than a red ConflictException.
    pub fn outcome_words(&self) -> String {
        match (self.verdict(), &self.error_code) {
            (Verdict::AlreadyDone, _) => "already shared".to_owned(),
            (Verdict::Failed, Some(code)) => format!("failed: {code}"),
            (Verdict::Pending, _) => "pending".to_owned(),
            _ => self.outcome().to_owned(),
        }
    }
}

/// Where the page of an audited resource is: a lens ARN, a workload id or a grant ARN.
pub fn target_href(target: &str) -> Option<String> {
    if target.starts_with("arn:")
        && target.contains(":wellarchitected:")
        && target.contains(":lens/")
    {
        Some(detail_href(target))
    } else if target.starts_with("arn:")
        && target.contains(":license-manager:")
        && target.contains(":grant:")
    {
        Some(grant_href(target))
    } else if target.len() == 32
        && target
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Some(workload_href(target))
    } else {
        None
    }
}

/// How far the chain verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainState {
    Intact {
        events: u64,
    },
    Broken {
        seq: i64,
        verified: u64,
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditResults {
    pub rows: Vec<AuditRow>,
    /// The cursor of the next, older page, when there is one.
    pub older: Option<i64>,
    /// The newest event in the whole history when the page was read.
    pub newest: i64,
    /// The actions the history holds, for the filter's choices.
    pub actions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub row: AuditRow,
    pub actor_role: String,
    /// Pretty-printed JSON.
    pub request: String,
    pub response: Option<String>,
    pub error_message: Option<String>,
    pub idempotency_token: Option<String>,
    pub aws_request_id: Option<String>,
    pub attempts: Option<i64>,
    pub operation_id: String,
    /// The other events of the same operation: the request and its outcomes.
    pub related: Vec<AuditRow>,
    pub prev_hash: String,
    pub hash: String,
    /// Whether the chain verifies up to and including this event.
    pub chain_verified: bool,
    pub chain: ChainState,
}

#[server(prefix = "/api", endpoint = "audit")]
pub async fn search_audit(query: AuditQuery) -> Result<AuditResults, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .audit
        .search(query)
        .await
}

#[server(prefix = "/api", endpoint = "audit/event")]
pub async fn get_audit_event(seq: i64) -> Result<EventDetail, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?.audit.event(seq).await
}

#[server(prefix = "/api", endpoint = "audit/chain")]
pub async fn get_chain_state() -> Result<ChainState, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?.audit.chain().await
}

/// The newest event's number, polled by the page to say that newer events arrived.
#[server(prefix = "/api", endpoint = "audit/newest")]
pub async fn newest_audit_event() -> Result<i64, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?.audit.newest().await
}

pub fn event_href(seq: i64) -> String {
    format!("/audit/event?seq={seq}")
}
