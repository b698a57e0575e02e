//! `/metrics`: served on its own address and only there, and its figures move as the server
//! works. The recorder is the process's, shared by every test app, so the checks are on growth.

use crate::{
    gateway::{author, import},
    helpers::TestApp,
};

/// The value of the series named `name` whose labels include each of `labels`; 0 when absent.
fn value(scrape: &str, name: &str, labels: &[&str]) -> f64 {
    scrape
        .lines()
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .filter(|line| labels.iter().all(|label| line.contains(label)))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn metrics_are_served_apart_from_the_pages_and_move_after_a_change() {
    let app = TestApp::start_with_args(&["--metrics-listen", "127.0.0.1:0"]).await;
    let metrics = format!("{}/metrics", app.metrics_url.clone().unwrap());
    let scrape = || async {
        let response = reqwest::get(&metrics).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        response.text().await.unwrap()
    };
    let before = scrape().await;

    app.sign_in("admin", "not the password").await;
    app.sign_in_as_admin().await;
    app.gateway
        .apply(&author(), import("Metered"))
        .await
        .unwrap();
    assert!(app.get_text("/").await.contains("intact"));
    let after = scrape().await;

    for (name, labels) in [
        (
            "lensgate_aws_calls_total",
            &[r#"operation="ImportLens""#, r#"outcome="succeeded""#][..],
        ),
        (
            "lensgate_aws_call_duration_seconds_count",
            &[r#"operation="ImportLens""#],
        ),
        ("lensgate_audit_events_total", &[]),
        ("lensgate_audit_chain_checks_total", &[r#"result="intact""#]),
        (
            "lensgate_sign_in_failures_total",
            &[r#"reason="credentials""#],
        ),
        (
            "lensgate_http_requests_total",
            &[r#"route="/""#, r#"method="GET""#, r#"status="200""#],
        ),
        (
            "lensgate_http_request_duration_seconds_count",
            &[r#"route="/""#],
        ),
    ] {
        assert!(
            value(&after, name, labels) > value(&before, name, labels),
            "{name} {labels:?} did not move:\n{after}"
        );
    }
    assert!(
        after.contains("lensgate_aws_calls_open"),
        "calls in flight are a gauge: {after}"
    );

    let pages = app.client.get(app.at("/metrics")).send().await.unwrap();
    let body = pages.text().await.unwrap();
    assert!(
        !body.contains("lensgate_http_requests_total"),
        "the pages' address does not serve the metrics"
    );
    app.stop().await;
}
