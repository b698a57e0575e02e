//! The webhook worker: fans each announcement out to the endpoints subscribed, then sends the
//! deliveries that are due, retrying a failed one with doubling waits until it succeeds or a day
//! has passed. Everything it needs is in the database, so pending deliveries survive a restart
//! and each event reaches each endpoint once (`UNIQUE (webhook_id, seq)`); a receiver should
//! still treat `X-Lensgate-Delivery` as the key of what it has seen, as with any webhook.

use std::{sync::Arc, time::Duration};

use lensgate_app::webhooks::{WebhookEvent, WebhookFormat};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{message, store};
use crate::{
    audit::{AuditLog, outbox},
    outbound::Outbound,
    timestamp,
};

/// How long to wait after each failed attempt, and when to give up.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub first: Duration,
    pub longest: Duration,
    pub give_up_after: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            first: Duration::from_secs(10),
            longest: Duration::from_secs(60 * 60),
            give_up_after: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl Retry {
    /// The wait after the `attempts`-th failed attempt: first, twice that, ... at most longest.
    fn wait(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(20);
        self.first
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.longest)
    }
}

/// One receiver's answer is kept this long, for the admin page.
const KEPT_RESPONSE: usize = 500;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a replica on PostgreSQL holds the deliveries it took: well past the sends of one
/// round (20 deliveries, 10 s at most each), after which another replica sends them again.
const LEASE: Duration = Duration::from_secs(5 * 60);
/// How often the worker looks for deliveries due when nothing wakes it.
const POLL: Duration = Duration::from_secs(1);

pub struct Worker {
    audit: Arc<AuditLog>,
    outbound: Outbound,
    /// Where links in deliveries point: `--public-url`, or the address the server listens on.
    base_url: String,
    retry: Retry,
}

impl Worker {
    pub fn new(audit: Arc<AuditLog>, base_url: String, retry: Retry) -> std::io::Result<Self> {
        Ok(Worker {
            audit,
            outbound: Outbound::new(concat!("lensgate-webhooks/", env!("CARGO_PKG_VERSION")))?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            retry,
        })
    }

    /// Works until `stop` completes; woken by every audit commit and once a second.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let mut head = self.audit.watch_head();
        tokio::pin!(stop);
        loop {
            if let Err(error) = self.fan_out().await {
                tracing::error!(%error, "webhooks: announcements could not be queued");
            }
            if let Err(error) = self.send_due().await {
                tracing::error!(%error, "webhooks: deliveries could not be read or recorded");
            }
            tokio::select! {
                () = &mut stop => break,
                _ = head.changed() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Queues a delivery of each new announcement for every endpoint subscribed to it.
    async fn fan_out(&self) -> Result<(), sqlx::Error> {
        let db = self.audit.database();
        for announcement in outbox::waiting(db, 100).await? {
            let payload = self.with_link(announcement.kind, announcement.payload);
            let mut tx = db.begin().await?;
            store::queue(
                tx.conn(),
                announcement.seq,
                announcement.kind.as_str(),
                &payload.to_string(),
                &timestamp::now(),
            )
            .await?;
            outbox::fanned_out(tx.conn(), announcement.seq).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    fn with_link(&self, kind: WebhookEvent, mut payload: Value) -> Value {
        let path = match (kind, payload["review_id"].as_i64()) {
            (WebhookEvent::ReviewSubmitted | WebhookEvent::DecisionMade, Some(review)) => {
                lensgate_app::reviews::review_href(review)
            }
            _ => format!("/audit/event?seq={}", payload["event_id"]),
        };
        payload["url"] = json!(format!("{}{path}", self.base_url));
        payload
    }

    async fn send_due(&self) -> Result<(), sqlx::Error> {
        let db = self.audit.database();
        let now = OffsetDateTime::now_utc();
        let lease_until = timestamp::format(now + LEASE);
        for due in store::due(db, &timestamp::format(now), &lease_until, 20).await? {
            let kind = WebhookEvent::parse(&due.kind).unwrap_or(WebhookEvent::ChangeFailed);
            let format = WebhookFormat::parse(&due.format).unwrap_or(WebhookFormat::Json);
            let payload: Value = serde_json::from_str(&due.payload).unwrap_or(Value::Null);
            let body = message::body(format, kind, &payload);
            let signature = message::signature(
                &due.secret,
                OffsetDateTime::now_utc().unix_timestamp(),
                &body,
            );
            let delivery = due.id.to_string();
            let headers = [
                (message::SIGNATURE_HEADER, signature.as_str()),
                (message::EVENT_HEADER, kind.as_str()),
                (message::DELIVERY_HEADER, delivery.as_str()),
            ];
            let sent = self
                .outbound
                .post_json(&due.url, &headers, body, SEND_TIMEOUT)
                .await;
            let now = OffsetDateTime::now_utc();
            let at = timestamp::format(now);
            match sent {
                Ok(answer) if answer.status.is_success() => {
                    metrics::counter!("lensgate_webhook_deliveries_total", "outcome" => "delivered")
                        .increment(1);
                    store::delivered(
                        db,
                        due.id,
                        &at,
                        i64::from(answer.status.as_u16()),
                        &kept(&answer.body),
                    )
                    .await?;
                }
                failure => {
                    let (status, response, error) = match failure {
                        Ok(answer) => (
                            Some(i64::from(answer.status.as_u16())),
                            Some(kept(&answer.body)),
                            None,
                        ),
                        Err(error) => (None, None, Some(error.to_string())),
                    };
                    let next = self.next_attempt(&due, now);
                    metrics::counter!(
                        "lensgate_webhook_deliveries_total",
                        "outcome" => if next.is_some() { "retrying" } else { "abandoned" }
                    )
                    .increment(1);
                    tracing::info!(delivery = due.id, url = %due.url, ?status, ?error, retry = ?next, "webhook delivery failed");
                    store::failed(
                        db,
                        due.id,
                        &store::Failure {
                            at: &at,
                            status,
                            response: response.as_deref(),
                            error: error.as_deref(),
                            next: next.as_deref(),
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// When to try `due` again after this failure; `None` once a day has passed since it was
    /// queued.
    fn next_attempt(&self, due: &store::Due, now: OffsetDateTime) -> Option<String> {
        let next = now + self.retry.wait(due.attempts + 1);
        let queued = time::OffsetDateTime::parse(
            &due.created_at,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap_or(now);
        (next - queued <= self.retry.give_up_after).then(|| timestamp::format(next))
    }
}

/// The start of a receiver's answer, as text.
fn kept(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(KEPT_RESPONSE)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_longest() {
        let retry = Retry::default();
        let waits: Vec<u64> = (1..=11).map(|n| retry.wait(n).as_secs()).collect();
        assert_eq!(
            waits,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
    }
}
