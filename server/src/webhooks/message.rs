//! What a delivery sends: the body in the endpoint's format, and its signature.
//!
//! The signature follows Stripe's and GitHub's practice: `X-Lensgate-Signature: t=<unix
//! seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`. The time inside
//! the signed text lets a receiver refuse a replayed delivery (say, older than five minutes).

use hmac::{Hmac, Mac as _};
use lensgate_app::webhooks::{WebhookEvent, WebhookFormat};
use serde_json::{Value, json};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "x-lensgate-signature";
pub const EVENT_HEADER: &str = "x-lensgate-event";
pub const DELIVERY_HEADER: &str = "x-lensgate-delivery";

pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// The body for an endpoint in `format`: the payload itself, or Slack's `{"text": …}` with a
/// link to the page that shows what happened.
pub fn body(format: WebhookFormat, kind: WebhookEvent, payload: &Value) -> String {
    match format {
        WebhookFormat::Json => payload.to_string(),
        WebhookFormat::Slack => {
            let text = |key: &str| payload[key].as_str().unwrap_or_default().to_owned();
            let what = match kind {
                WebhookEvent::ChangeFailed => format!(
                    "{} by {} failed on {}: {}",
                    text("action"),
                    text("actor"),
                    text("target"),
                    text("error_message")
                ),
                _ => format!("{} by {}: {}", kind.label(), text("actor"), text("target")),
            };
            let link = payload["url"]
                .as_str()
                .map(|url| format!(" <{url}|Open in lensgate>"))
                .unwrap_or_default();
            json!({ "text": format!("{}{link}", slack_escape(&what)) }).to_string()
        }
    }
}

/// Slack reads `&`, `<` and `>` as markup; names and targets are text.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_time_and_the_body() {
        // Computed apart, with Python's hmac module.
        assert_eq!(
            signature("Jefe", 1, "what do ya want for nothing?"),
            "t=1,v1=a9049465ce89cfb8e9aac62333abda66f80e3403f51f57f6bae3c3a4485eca38"
        );
        assert_ne!(
            signature("Jefe", 2, "what do ya want for nothing?"),
            signature("Jefe", 1, "what do ya want for nothing?")
        );
    }

    #[test]
    fn slack_text_links_the_page_and_keeps_names_as_text() {
        let payload = json!({ "actor": "<b>ana</b>", "target": "arn:x", "url": "https://lg.example.com/reviews/detail?id=3" });
        let body: Value = serde_json::from_str(&body(
            WebhookFormat::Slack,
            WebhookEvent::ReviewSubmitted,
            &payload,
        ))
        .unwrap();
        assert_eq!(
            body["text"],
            "Review submitted by &lt;b&gt;ana&lt;/b&gt;: arn:x <https://lg.example.com/reviews/detail?id=3|Open in lensgate>"
        );
    }
}
