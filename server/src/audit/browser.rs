//! The Audit page's reads: the URL's filters turned into a [`Filter`], a page of events with its
//! cursor, one event in full with its operation and the chain's verdict.

use std::sync::Arc;

use futures_util::StreamExt as _;

use lensgate_app::{
    audit_browser::{
        AuditQuery, AuditResults, AuditRow, ChainState, EventDetail, ExportFormat, OUTCOMES,
        PAGE_SIZE, RANGES,
    },
    error::AppError,
    services::{AuditBrowser, BoxFuture, ByteStream},
};
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

use super::{
    AuditLog, Event, Verification, export,
    query::{self, Filter},
    subject::{needs_request, subject},
    unreadable,
};
use crate::timestamp;

pub struct LiveAudit {
    pub audit: Arc<AuditLog>,
}

/// One line of the Audit page for `event`.
fn audit_row(event: &Event) -> AuditRow {
    let request = serde_json::from_str(&event.request).unwrap_or(serde_json::Value::Null);
    AuditRow {
        seq: event.seq,
        at: event.occurred_at.clone(),
        actor: event.actor.clone(),
        action: event.action.clone(),
        target: event.target.clone(),
        subject: subject(&event.action, &request),
        phase: event.phase.clone(),
        error_code: event.error_code.clone(),
        error_message: event.error_message.clone(),
        duration_ms: event.duration_ms,
    }
}

/// Up to `limit` rows of `filter` older than `before`, one per change, each outcome named
/// with what its request was about.
pub async fn rows(
    audit: &AuditLog,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let filter = Filter {
        changes_only: true,
        ..filter.clone()
    };
    let events = query::page(audit.database(), &filter, before, limit).await?;
    let operations: Vec<&str> = events
        .iter()
        .filter(|e| needs_request(&e.action, &e.phase))
        .map(|e| e.operation_id.as_str())
        .collect();
    let requests = audit.requests_of(&operations).await?;
    Ok(events
        .iter()
        .map(|event| {
            let mut row = audit_row(event);
            if let Some(request) = requests.get(&event.operation_id) {
                row.subject = subject(&event.action, request);
            }
            row
        })
        .collect())
}

impl From<Verification> for ChainState {
    fn from(verification: Verification) -> Self {
        match verification {
            Verification::Intact { events } => ChainState::Intact { events },
            Verification::Broken {
                verified,
                seq,
                reason,
            } => ChainState::Broken {
                seq,
                verified,
                reason,
            },
        }
    }
}

/// The filter the URL asks for, checked. Search text is never refused: it is searched for as
/// written.
pub fn filter_of(query: &AuditQuery, now: OffsetDateTime) -> Result<Filter, AppError> {
    let given = |text: &str| {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    };
    let phase = match query.outcome.trim() {
        "" => None,
        outcome => Some(
            OUTCOMES
                .iter()
                .find(|(value, ..)| *value == outcome)
                .map(|(.., phase)| (*phase).to_owned())
                .ok_or_else(|| {
                    AppError::Invalid(
                        "Choose an outcome: pending, succeeded, failed or recorded.".into(),
                    )
                })?,
        ),
    };
    let (from, until) = match query.range.trim() {
        "" => (None, None),
        "custom" => (minute(&query.from, "from")?, minute(&query.until, "until")?),
        preset => {
            let (.., seconds) = RANGES
                .iter()
                .find(|(name, ..)| *name == preset)
                .ok_or_else(|| {
                    AppError::Invalid("Choose a time range from the list, or a custom one.".into())
                })?;
            (
                Some(timestamp::format(now - time::Duration::seconds(*seconds))),
                None,
            )
        }
    };
    Ok(Filter {
        actions: query.actions.iter().filter_map(|a| given(a)).collect(),
        actor: given(&query.actor),
        phase,
        target: given(&query.target),
        from,
        until,
        text: given(&query.q),
        changes_only: false,
    })
}

/// A datetime-local value (`2026-11-21T09:30`, UTC) as the stored timestamps' form.
fn minute(text: &str, which: &str) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let layout = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(text, layout)
        .map(|at| Some(timestamp::format(at.assume_utc())))
        .map_err(|_| {
            AppError::Invalid(format!(
                "The “{which}” time must look like 2026-11-21T09:30 (UTC)."
            ))
        })
}

impl AuditBrowser for LiveAudit {
    fn search(&self, query: AuditQuery) -> BoxFuture<'_, Result<AuditResults, AppError>> {
        Box::pin(async move {
            let filter = filter_of(&query, OffsetDateTime::now_utc())?;
            let db = self.audit.database();
            let mut rows = rows(&self.audit, &filter, query.before, PAGE_SIZE + 1)
                .await
                .map_err(unreadable)?;
            let older = (rows.len() as i64 > PAGE_SIZE).then(|| {
                rows.truncate(PAGE_SIZE as usize);
                rows.last().map(|r| r.seq).unwrap_or_default()
            });
            Ok(AuditResults {
                rows,
                older,
                newest: query::newest(db).await.map_err(unreadable)?,
                actions: query::actions(db).await.map_err(unreadable)?,
            })
        })
    }

    fn export(
        &self,
        query: AuditQuery,
        format: ExportFormat,
    ) -> BoxFuture<'_, Result<ByteStream, AppError>> {
        Box::pin(async move {
            let filter = filter_of(&query, OffsetDateTime::now_utc())?;
            let chain = ChainState::from(self.audit.chain_status().await.map_err(unreadable)?);
            let header = export::header(&chain, format, &query);
            let rows = export::stream(self.audit.database(), filter, format).map(|chunk| {
                chunk.map_err(|error| {
                    tracing::error!(%error, "audit export stopped");
                    std::io::Error::other(error)
                })
            });
            let file = futures_util::stream::once(std::future::ready(Ok(header))).chain(rows);
            Ok(Box::pin(file) as ByteStream)
        })
    }

    fn event(&self, seq: i64) -> BoxFuture<'_, Result<EventDetail, AppError>> {
        Box::pin(async move {
            let event = query::event(self.audit.database(), seq)
                .await
                .map_err(unreadable)?
                .ok_or_else(|| AppError::NotFound(format!(
                    "There is no audit event {seq}: the history ends earlier. Open the Audit page for the newest events."
                )))?;
            let operation = self
                .audit
                .operation(&event.operation_id)
                .await
                .map_err(unreadable)?;
            let related = operation
                .iter()
                .filter(|e| e.seq != event.seq)
                .map(audit_row)
                .collect();
            // An outcome stores only the answer; the request is its `requested` event's.
            let request = operation
                .iter()
                .find(|e| e.phase == super::Phase::Requested.as_str())
                .map_or(event.request.as_str(), |e| e.request.as_str());
            let chain = ChainState::from(self.audit.chain_status().await.map_err(unreadable)?);
            let chain_verified = match &chain {
                ChainState::Intact { events } => event.seq as u64 <= *events,
                ChainState::Broken { seq, .. } => event.seq < *seq,
            };
            let pretty = |json: &str| {
                serde_json::from_str::<serde_json::Value>(json)
                    .and_then(|v| serde_json::to_string_pretty(&v))
                    .unwrap_or_else(|_| json.to_owned())
            };
            let mut row = audit_row(&event);
            row.subject = serde_json::from_str(request)
                .ok()
                .and_then(|request| subject(&event.action, &request));
            Ok(EventDetail {
                row,
                actor_role: event.actor_role.clone(),
                request: pretty(request),
                response: event.response.as_deref().map(pretty),
                error_message: event.error_message.clone(),
                idempotency_token: event.idempotency_token.clone(),
                aws_request_id: event.aws_request_id.clone(),
                attempts: event.attempts,
                operation_id: event.operation_id.clone(),
                related,
                prev_hash: event.prev_hash.clone(),
                hash: event.hash.clone(),
                chain_verified,
                chain,
            })
        })
    }

    fn chain(&self) -> BoxFuture<'_, Result<ChainState, AppError>> {
        Box::pin(async move {
            Ok(ChainState::from(
                self.audit.chain_status().await.map_err(unreadable)?,
            ))
        })
    }

    fn unfinished_changes_of(
        &self,
        actor: String,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<AuditRow>, AppError>> {
        Box::pin(async move {
            let week_ago =
                crate::timestamp::format(OffsetDateTime::now_utc() - time::Duration::days(7));
            let (open, failed) = tokio::join!(
                self.audit.unfinished(),
                self.audit.failures_of(&actor, &week_ago, limit as i64)
            );
            let mut rows: Vec<AuditRow> = open
                .map_err(unreadable)?
                .iter()
                .filter(|event| event.actor == actor)
                .chain(failed.map_err(unreadable)?.iter())
                .map(audit_row)
                .collect();
            rows.sort_by_key(|row| std::cmp::Reverse(row.seq));
            rows.truncate(limit);
            Ok(rows)
        })
    }

    fn newest(&self) -> BoxFuture<'_, Result<i64, AppError>> {
        Box::pin(async move {
            query::newest(self.audit.database())
                .await
                .map_err(unreadable)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    }

    #[test]
    fn the_url_becomes_a_filter() {
        let query = AuditQuery {
            actions: vec!["CreateLensShare".into(), " ".into()],
            actor: " ana ".into(),
            outcome: "pending".into(),
            range: "day".into(),
            q: "\"unbalanced (".into(),
            ..AuditQuery::default()
        };
        let filter = filter_of(&query, at("2026-11-21T12:00:00Z")).unwrap();
        assert_eq!(filter.actions, ["CreateLensShare"]);
        assert_eq!(filter.actor.as_deref(), Some("ana"));
        assert_eq!(filter.phase.as_deref(), Some("requested"));
        assert_eq!(filter.from.as_deref(), Some("2026-11-20T12:00:00.000Z"));
        assert_eq!(filter.text.as_deref(), Some("\"unbalanced ("));

        let custom = AuditQuery {
            range: "custom".into(),
            from: "2026-01-01T00:00".into(),
            until: "2026-02-01T12:30".into(),
            ..AuditQuery::default()
        };
        let filter = filter_of(&custom, at("2026-11-21T12:00:00Z")).unwrap();
        assert_eq!(filter.from.as_deref(), Some("2026-01-01T00:00:00.000Z"));
        assert_eq!(filter.until.as_deref(), Some("2026-02-01T12:30:00.000Z"));

        for bad in [
            AuditQuery {
                outcome: "maybe".into(),
                ..AuditQuery::default()
            },
            AuditQuery {
                range: "decade".into(),
                ..AuditQuery::default()
            },
            AuditQuery {
                range: "custom".into(),
                from: "yesterday".into(),
                ..AuditQuery::default()
            },
        ] {
            assert!(
                matches!(
                    filter_of(&bad, at("2026-11-21T12:00:00Z")),
                    Err(AppError::Invalid(_))
                ),
                "{bad:?}"
            );
        }
    }
}
