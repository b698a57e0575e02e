//! Webhook endpoints' data and server functions: the admin page lists, adds and removes them
//! and shows each one's recent deliveries.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a webhook can announce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    ReviewSubmitted,
    DecisionMade,
    VersionPublished,
    ShareCreated,
    ChangeFailed,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 5] = [
        WebhookEvent::ReviewSubmitted,
        WebhookEvent::DecisionMade,
        WebhookEvent::VersionPublished,
        WebhookEvent::ShareCreated,
        WebhookEvent::ChangeFailed,
    ];

    /// The name in payloads and in the `X-Lensgate-Event` header; stable.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::ReviewSubmitted => "review.submitted",
            WebhookEvent::DecisionMade => "review.decided",
            WebhookEvent::VersionPublished => "version.published",
            WebhookEvent::ShareCreated => "share.created",
            WebhookEvent::ChangeFailed => "change.failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WebhookEvent::ReviewSubmitted => "Review submitted",
            WebhookEvent::DecisionMade => "Decision made",
            WebhookEvent::VersionPublished => "Version published",
            WebhookEvent::ShareCreated => "Share created",
            WebhookEvent::ChangeFailed => "Change failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        WebhookEvent::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// The name of its checkbox in the new-webhook form.
    pub fn field(self) -> &'static str {
        match self {
            WebhookEvent::ReviewSubmitted => "review_submitted",
            WebhookEvent::DecisionMade => "decision_made",
            WebhookEvent::VersionPublished => "version_published",
            WebhookEvent::ShareCreated => "share_created",
            WebhookEvent::ChangeFailed => "change_failed",
        }
    }

    /// The event an audit event announces, if any: what happened (`action`) and how it ended
    /// (`phase`).
    pub fn of(action: &str, phase: &str) -> Option<Self> {
        match (action, phase) {
            (_, "failed") => Some(WebhookEvent::ChangeFailed),
            ("SubmitForReview", "recorded") => Some(WebhookEvent::ReviewSubmitted),
            ("ApproveDraft" | "RequestChanges", "recorded") => Some(WebhookEvent::DecisionMade),
            ("CreateLensVersion", "succeeded") => Some(WebhookEvent::VersionPublished),
            ("CreateLensShare" | "CreateWorkloadShare", "succeeded") => {
                Some(WebhookEvent::ShareCreated)
            }
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebhookFormat {
    /// The event as JSON, signed.
    Json,
    /// `{"text": …}` with links, as Slack's incoming webhooks (and Mattermost, Teams' Slack
    /// connector) take it; signed too.
    Slack,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "json" => Some(WebhookFormat::Json),
            "slack" => Some(WebhookFormat::Slack),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub event: String,
    pub created_at: String,
    pub attempts: i64,
    /// `delivered`, `retrying` or `abandoned`.
    pub state: String,
    pub last_status: Option<i64>,
    /// The receiver's answer (its start) or why it could not be reached.
    pub last_response: Option<String>,
    pub next_attempt_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub format: WebhookFormat,
    pub created_by: String,
    pub created_at: String,
    /// The newest first.
    pub deliveries: Vec<Delivery>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub url: String,
    pub secret: String,
    pub events: Vec<WebhookEvent>,
    pub format: WebhookFormat,
}

#[server(prefix = "/api", endpoint = "webhooks")]
pub async fn list_webhooks() -> Result<Vec<Webhook>, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Admin)?;
    crate::services::Services::current()?.webhooks.list().await
}

/// The new-webhook form as sent: each event is a checkbox of its own (named by
/// [`WebhookEvent::field`]), so a form without JavaScript sends exactly the checked ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookForm {
    pub url: String,
    pub secret: String,
    pub format: String,
    #[serde(default)]
    pub review_submitted: String,
    #[serde(default)]
    pub decision_made: String,
    #[serde(default)]
    pub version_published: String,
    #[serde(default)]
    pub share_created: String,
    #[serde(default)]
    pub change_failed: String,
}

impl WebhookForm {
    /// The field names as the form sends them: `webhook[url]`, `webhook[review_submitted]`, ...
    pub fn name(field: &str) -> String {
        format!("webhook[{field}]")
    }

    #[cfg(feature = "ssr")]
    fn into_new(self) -> Result<NewWebhook, AppError> {
        let checked = [
            self.review_submitted,
            self.decision_made,
            self.version_published,
            self.share_created,
            self.change_failed,
        ];
        let events = WebhookEvent::ALL
            .into_iter()
            .zip(checked)
            .filter(|(_, value)| !value.is_empty())
            .map(|(event, _)| event)
            .collect();
        let format = WebhookFormat::parse(&self.format).ok_or_else(|| {
            AppError::invalid_field("format", "Choose the JSON or the Slack format.")
        })?;
        Ok(NewWebhook {
            url: self.url,
            secret: self.secret,
            events,
            format,
        })
    }
}

#[server(prefix = "/api", endpoint = "webhooks/create")]
pub async fn create_webhook(webhook: WebhookForm) -> Result<(), AppError> {
    let by = crate::auth::ssr::require(crate::auth::Role::Admin)?;
    crate::services::Services::current()?
        .webhooks
        .create(by, webhook.into_new()?)
        .await
}

#[server(prefix = "/api", endpoint = "webhooks/remove")]
pub async fn remove_webhook(id: String) -> Result<(), AppError> {
    let by = crate::auth::ssr::require(crate::auth::Role::Admin)?;
    let id = id.trim().parse::<i64>().map_err(|_| {
        AppError::Invalid("This form names no webhook. Reload the page.".to_owned())
    })?;
    crate::services::Services::current()?
        .webhooks
        .remove(by, id)
        .await
}
