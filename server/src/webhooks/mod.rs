//! Webhooks: endpoints administrators configure, and the worker that tells them when a review
//! is submitted or decided, a version published, a share created or a change failed. Which
//! audit events are announced, and their payloads, is `crate::audit::outbox`; sending is
//! [`delivery`]; the body and signature are [`message`].

pub mod delivery;
pub mod message;
mod store;

use std::{collections::HashMap, sync::Arc};

use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    services::{BoxFuture, Webhooks},
    webhooks::{Delivery, NewWebhook, Webhook, WebhookEvent, WebhookFormat},
};
use serde_json::json;

use crate::{
    audit::{Actor, AuditAction, AuditLog, NewEvent},
    timestamp,
};

/// How many of each endpoint's deliveries the admin page shows.
const SHOWN_DELIVERIES: i64 = 10;
const MIN_SECRET: usize = 16;

pub struct LiveWebhooks {
    pub audit: Arc<AuditLog>,
}

fn unavailable(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "webhooks: database error");
    AppError::Unavailable("The webhook settings".to_owned())
}

fn check(webhook: &NewWebhook) -> Result<String, AppError> {
    let url = webhook.url.trim();
    let parsed = url
        .split_once("://")
        .filter(|(scheme, rest)| matches!(*scheme, "http" | "https") && !rest.is_empty());
    if parsed.is_none() || url.len() > 2000 || url.chars().any(char::is_whitespace) {
        return Err(AppError::invalid_field(
            "url",
            "The address must start with https:// (or http:// on a trusted network) and be at most 2,000 characters.",
        ));
    }
    if webhook.secret.chars().count() < MIN_SECRET || webhook.secret.len() > 200 {
        return Err(AppError::invalid_field(
            "secret",
            format!(
                "Choose a secret of {MIN_SECRET} to 200 characters; the receiver checks each delivery's signature with it."
            ),
        ));
    }
    if webhook.events.is_empty() {
        return Err(AppError::invalid_field(
            "events",
            "Choose at least one event to announce.",
        ));
    }
    Ok(url.to_owned())
}

fn delivery(row: store::DeliveryRow) -> Delivery {
    let state = if row.delivered_at.is_some() {
        "delivered"
    } else if row.abandoned_at.is_some() {
        "abandoned"
    } else {
        "retrying"
    };
    Delivery {
        id: row.id,
        event: row.kind,
        created_at: row.created_at,
        attempts: row.attempts,
        state: state.to_owned(),
        last_status: row.last_status,
        last_response: row.last_error.or(row.last_response),
        next_attempt_at: (state == "retrying").then_some(row.next_attempt_at),
    }
}

impl Webhooks for LiveWebhooks {
    fn list(&self) -> BoxFuture<'_, Result<Vec<Webhook>, AppError>> {
        Box::pin(async move {
            let db = self.audit.database();
            let endpoints = store::endpoints(db).await.map_err(unavailable)?;
            let mut deliveries: HashMap<i64, Vec<Delivery>> = HashMap::new();
            for row in store::recent_deliveries(db, SHOWN_DELIVERIES)
                .await
                .map_err(unavailable)?
            {
                deliveries
                    .entry(row.webhook_id)
                    .or_default()
                    .push(delivery(row));
            }
            Ok(endpoints
                .into_iter()
                .map(|endpoint| Webhook {
                    deliveries: deliveries.remove(&endpoint.id).unwrap_or_default(),
                    id: endpoint.id,
                    url: endpoint.url,
                    events: endpoint
                        .events
                        .split(',')
                        .filter_map(WebhookEvent::parse)
                        .collect(),
                    format: WebhookFormat::parse(&endpoint.format).unwrap_or(WebhookFormat::Json),
                    created_by: endpoint.created_by,
                    created_at: endpoint.created_at,
                })
                .collect())
        })
    }

    fn create(&self, by: CurrentUser, webhook: NewWebhook) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let url = check(&webhook)?;
            let events: Vec<&str> = webhook.events.iter().map(|e| e.as_str()).collect();
            let events = events.join(",");
            let mut tx = self.audit.begin().await.map_err(unavailable)?;
            let id = store::insert(
                tx.conn(),
                &store::NewEndpoint {
                    url: &url,
                    secret: &webhook.secret,
                    events: &events,
                    format: webhook.format.as_str(),
                    created_by: &by.username,
                    created_at: &timestamp::now(),
                },
            )
            .await
            .map_err(unavailable)?;
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::WebhookCreated,
                &url,
                json!({ "webhook": id, "url": url, "events": events, "format": webhook.format.as_str() }),
            ))
            .await
            .map_err(unavailable)?;
            tx.commit().await.map_err(unavailable)
        })
    }

    fn remove(&self, by: CurrentUser, id: i64) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let mut tx = self.audit.begin().await.map_err(unavailable)?;
            let Some(url) = store::remove(tx.conn(), id, &timestamp::now())
                .await
                .map_err(unavailable)?
            else {
                return Err(AppError::NotFound(
                    "There is no such webhook. Reload the page to see the ones configured."
                        .to_owned(),
                ));
            };
            tx.record(NewEvent::recorded(
                Actor::from(&by),
                AuditAction::WebhookRemoved,
                &url,
                json!({ "webhook": id, "url": url }),
            ))
            .await
            .map_err(unavailable)?;
            tx.commit().await.map_err(unavailable)
        })
    }
}
