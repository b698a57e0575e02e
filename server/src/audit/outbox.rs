//! The `audit_outbox` table: the audit events webhooks announce, written in the same
//! transaction as the event itself, so an announcement exists exactly when its change does and
//! survives a restart. The webhook worker (`crate::webhooks::delivery`) takes them from here.

use lensgate_app::webhooks::WebhookEvent;
use lensgate_postgres::webhooks as pg;
use serde_json::{Value, json};

use super::Event;
use crate::db::{Conn, Database};

/// An event to announce, as it waits for the webhook worker.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub seq: i64,
    pub kind: WebhookEvent,
    /// What every webhook receives about it, before links and format are added.
    pub payload: Value,
}

/// Queues `event` for webhooks when it is one they announce.
pub(super) async fn record(conn: Conn<'_>, event: &Event) -> Result<(), sqlx::Error> {
    let Some(kind) = WebhookEvent::of(&event.action, &event.phase) else {
        return Ok(());
    };
    let request: Value = serde_json::from_str(&event.request).unwrap_or(Value::Null);
    let mut payload = json!({
        "event_id": event.seq,
        "event": kind.as_str(),
        "occurred_at": event.occurred_at,
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
    });
    if let Some(review) = request.get("review_id").and_then(Value::as_i64) {
        payload["review_id"] = json!(review);
    }
    if kind == WebhookEvent::ChangeFailed {
        payload["error_code"] = json!(event.error_code);
        payload["error_message"] = json!(event.error_message);
    }
    let kind_name = kind.as_str();
    let payload = payload.to_string();
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query!(
                "INSERT INTO audit_outbox (seq, kind, payload) VALUES (?, ?, ?)",
                event.seq,
                kind_name,
                payload
            )
            .execute(conn)
            .await?;
            Ok(())
        }
        Conn::Postgres(conn) => pg::announce(conn, event.seq, kind_name, &payload).await,
    }
}

/// Announcements the worker has not fanned out yet, oldest first.
pub async fn waiting(db: &Database, limit: i64) -> Result<Vec<Announcement>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = match db {
        Database::Sqlite(pool) => sqlx::query!(
            r#"SELECT seq AS "seq!: i64", kind, payload FROM audit_outbox
           WHERE fanned_out = 0 ORDER BY seq LIMIT ?"#,
            limit
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| (row.seq, row.kind, row.payload))
        .collect(),
        Database::Postgres(pool) => pg::waiting(pool, limit)
            .await?
            .into_iter()
            .map(|row| (row.seq, row.kind, row.payload))
            .collect(),
    };
    Ok(rows
        .into_iter()
        .filter_map(|(seq, kind, payload)| {
            Some(Announcement {
                seq,
                kind: WebhookEvent::parse(&kind)?,
                payload: serde_json::from_str(&payload).ok()?,
            })
        })
        .collect())
}

/// Marks an announcement as handed to every endpoint subscribed, in the transaction that
/// queued its deliveries.
pub async fn fanned_out(conn: Conn<'_>, seq: i64) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(conn) => {
            sqlx::query!("UPDATE audit_outbox SET fanned_out = 1 WHERE seq = ?", seq)
                .execute(conn)
                .await?;
            Ok(())
        }
        Conn::Postgres(conn) => pg::fanned_out(conn, seq).await,
    }
}
