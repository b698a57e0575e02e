//! Webhooks end to end: deliveries reach a local receiver signed with the endpoint's secret, a
//! receiver that fails is retried until it answers and gets each event once, deliveries pending
//! at a restart are sent after it, and the admin page's list shows what happened.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, routing::post};
use hmac::{Hmac, Mac as _};
use lensgate_app::auth::Role;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{
    api_v1::{post as api_post, token_for},
    helpers::{TestApp, call},
};

const SECRET: &str = "a webhook secret, long enough";
const LENS: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");

#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
}

/// A webhook receiver on loopback that answers 500 to its first `failures` requests.
#[derive(Clone)]
struct Receiver {
    received: Arc<Mutex<Vec<Received>>>,
    failures: Arc<Mutex<u32>>,
}

impl Receiver {
    async fn start_on(listener: tokio::net::TcpListener, failures: u32) -> Self {
        let receiver = Receiver {
            received: Arc::default(),
            failures: Arc::new(Mutex::new(failures)),
        };
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        receiver
    }

    async fn start(failures: u32) -> (Self, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        (Self::start_on(listener, failures).await, url)
    }

    fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits, bounded, until `n` requests arrived.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let all = self.all();
            if all.len() >= n {
                return all;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} requests arrived",
                all.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> (axum::http::StatusCode, &'static str) {
    receiver.received.lock().unwrap().push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let mut failures = receiver.failures.lock().unwrap();
    if *failures > 0 {
        *failures -= 1;
        (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "down for maintenance",
        )
    } else {
        (axum::http::StatusCode::OK, "thanks")
    }
}

fn header<'a>(received: &'a Received, name: &str) -> &'a str {
    received.headers[name].to_str().unwrap()
}

/// Checks the signature as a receiver would.
fn signed_by(received: &Received, secret: &str) -> bool {
    let signature = header(received, "x-lensgate-signature");
    let Some((t, v1)) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", received.body).as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).is_ok()
}

/// Posts the new-webhook form as the admin page sends it.
async fn send_form(
    app: &TestApp,
    url: &str,
    secret: &str,
    format: &str,
    events: &[&str],
) -> (u16, Value) {
    let names: Vec<String> = events.iter().map(|e| format!("webhook[{e}]")).collect();
    let mut form = vec![
        ("webhook[url]", url),
        ("webhook[secret]", secret),
        ("webhook[format]", format),
    ];
    form.extend(names.iter().map(|name| (name.as_str(), "on")));
    call(app, "/api/webhooks/create", &form).await
}

async fn add_webhook(app: &TestApp, url: &str, format: &str, events: &[&str]) -> (u16, Value) {
    send_form(app, url, SECRET, format, events).await
}

/// Imports a lens and submits it through the API: one `review.submitted`.
async fn submit_a_review(app: &TestApp, token: &str) -> i64 {
    let (_, imported) = api_post(app, token, "/api/v1/lenses", json!({ "lens": LENS })).await;
    let (_, submitted) = api_post(
        app,
        token,
        "/api/v1/reviews",
        json!({ "lens_arn": imported["lens_arn"], "note": "please" }),
    )
    .await;
    submitted["review_id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_is_signed_and_says_what_happened_with_a_link() {
    let (receiver, url) = Receiver::start(0).await;
    let (slack, slack_url) = Receiver::start(0).await;
    let app = TestApp::start_with_args(&["--webhook-retry-seconds", "1"]).await;
    app.sign_in_as_admin().await;
    assert_eq!(
        add_webhook(&app, &url, "json", &["review_submitted", "change_failed"])
            .await
            .0,
        200
    );
    assert_eq!(
        add_webhook(&app, &slack_url, "slack", &["review_submitted"])
            .await
            .0,
        200
    );
    let token = token_for(&app, "ana", Role::Author, Role::Author).await;
    let review = submit_a_review(&app, &token).await;

    let delivered = receiver.wait_for(1).await;
    assert!(signed_by(&delivered[0], SECRET), "the signature verifies");
    assert!(!signed_by(&delivered[0], "another secret entirely"));
    assert_eq!(
        header(&delivered[0], "x-lensgate-event"),
        "review.submitted"
    );
    let payload: Value = serde_json::from_str(&delivered[0].body).unwrap();
    assert_eq!(payload["event"], "review.submitted");
    assert_eq!(payload["actor"], "ana");
    assert_eq!(payload["review_id"], review);
    assert_eq!(
        payload["url"],
        format!("{}/reviews/detail?id={review}", app.url)
    );

    let posted = slack.wait_for(1).await;
    let text: Value = serde_json::from_str(&posted[0].body).unwrap();
    assert!(
        text["text"]
            .as_str()
            .unwrap()
            .starts_with("Review submitted by ana: arn:aws:wellarchitected:"),
        "{text}"
    );
    assert!(signed_by(&posted[0], SECRET));

    // The import's own events (requested, succeeded) announce nothing.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.all().len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_that_fails_is_retried_and_gets_each_event_once() {
    let (receiver, url) = Receiver::start(2).await;
    let app = TestApp::start_with_args(&["--webhook-retry-seconds", "1"]).await;
    app.sign_in_as_admin().await;
    add_webhook(&app, &url, "json", &["review_submitted"]).await;
    let token = token_for(&app, "ana", Role::Author, Role::Author).await;
    submit_a_review(&app, &token).await;

    let attempts = receiver.wait_for(3).await;
    let ids: Vec<&str> = attempts
        .iter()
        .map(|r| header(r, "x-lensgate-delivery"))
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one delivery, sent three times: {ids:?}"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(receiver.all().len(), 3, "nothing after the success");

    let (_, listed) = call(&app, "/api/webhooks", &[]).await;
    let delivery = &listed[0]["deliveries"][0];
    assert_eq!(delivery["state"], "delivered", "{listed}");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["last_status"], 200);
    assert_eq!(delivery["last_response"], "thanks");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_pending_at_a_restart_is_sent_after_it() {
    // The receiver's address is taken, then let go: nothing answers until it starts.
    let parked = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = parked.local_addr().unwrap();
    drop(parked);
    let url = format!("http://{address}/hook");
    let app = TestApp::start_with_args(&["--webhook-retry-seconds", "1"]).await;
    app.sign_in_as_admin().await;
    add_webhook(&app, &url, "json", &["review_submitted"]).await;
    let token = token_for(&app, "ana", Role::Author, Role::Author).await;
    submit_a_review(&app, &token).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, listed) = call(&app, "/api/webhooks", &[]).await;
        let delivery = &listed[0]["deliveries"][0];
        if delivery["attempts"].as_i64().unwrap_or(0) >= 1 {
            assert_eq!(delivery["state"], "retrying");
            assert!(
                delivery["last_response"]
                    .as_str()
                    .unwrap()
                    .contains("refused"),
                "{delivery}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "no attempt was made");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let app = app.restart(&["--webhook-retry-seconds", "1"]).await;
    let receiver =
        Receiver::start_on(tokio::net::TcpListener::bind(address).await.unwrap(), 0).await;
    let delivered = receiver.wait_for(1).await;
    assert_eq!(
        header(&delivered[0], "x-lensgate-event"),
        "review.submitted"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.all().len(), 1, "delivered once");
    app.stop().await;
}

#[tokio::test]
async fn an_endpoint_needs_an_address_a_secret_and_an_event() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    for (url, secret, events, why) in [
        (
            "ftp://example.com/hook",
            SECRET,
            vec!["review_submitted"],
            "https://",
        ),
        (
            "https://example.com/hook",
            "short",
            vec!["review_submitted"],
            "secret of 16",
        ),
        (
            "https://example.com/hook",
            SECRET,
            vec![],
            "at least one event",
        ),
    ] {
        let (status, body) = send_form(&app, url, secret, "json", &events).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains(why), "{body}");
    }
    let (_, listed) = call(&app, "/api/webhooks", &[]).await;
    assert_eq!(listed, json!([]), "nothing half-written");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_aws_refuses_is_announced_with_its_error() {
    let (receiver, url) = Receiver::start(0).await;
    let app = TestApp::start_with_args(&["--webhook-retry-seconds", "1"]).await;
    app.sign_in_as_admin().await;
    add_webhook(&app, &url, "json", &["change_failed"]).await;
    let token = token_for(&app, "ana", Role::Author, Role::Author).await;
    let (first, _) = api_post(&app, &token, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert!(first.is_success());
    // The same name again: AWS refuses the second lens.
    let (second, problem) = api_post(&app, &token, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert_eq!(second.as_u16(), 409, "{problem}");

    let delivered = receiver.wait_for(1).await;
    let payload: Value = serde_json::from_str(&delivered[0].body).unwrap();
    assert_eq!(payload["event"], "change.failed");
    assert_eq!(payload["action"], "ImportLens");
    assert_eq!(payload["error_code"], problem["aws_code"], "{payload}");
    assert!(
        payload["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/audit/event?seq=", app.url))
    );
    app.stop().await;
}
