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

/// The example Grafana dashboard (`ops/grafana/lensgate.json`) asks only for series the server
/// records, so a renamed metric cannot leave it showing empty panels.
#[test]
fn the_grafana_dashboard_asks_only_for_series_the_server_records() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("ops/grafana/lensgate.json")).unwrap(),
    )
    .unwrap();
    let mut recorded = String::new();
    let mut folders = vec![root.join("server/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                recorded.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut asked = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            let mut rest = expr;
            while let Some(start) = rest.find("lensgate_") {
                let name: String = rest[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                rest = &rest[start + name.len()..];
                let series = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|suffix| name.strip_suffix(suffix))
                    .unwrap_or(&name)
                    .to_owned();
                asked.push(series);
            }
        }
    }
    assert!(
        asked.len() >= 10,
        "the dashboard asks for the server's series: {asked:?}"
    );
    for series in asked {
        assert!(
            recorded.contains(&format!("\"{series}\"")),
            "the dashboard asks for {series}, which the server does not record"
        );
    }
}
