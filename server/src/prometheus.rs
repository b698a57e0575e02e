//! Metrics in Prometheus's text format, served on a listener of their own (`--metrics-listen`)
//! and never behind the session: off unless asked for, and then only where the operator points
//! the scraper. What is counted is recorded where it happens (`metrics::counter!` and
//! `histogram!`); without a listener no recorder is installed and those calls do nothing.
//!
//! - `lensgate_http_requests_total{method,route,status}`, `lensgate_http_request_duration_seconds`
//! - `lensgate_aws_calls_total{operation,outcome}`, `lensgate_aws_call_duration_seconds`,
//!   `lensgate_aws_call_attempts`, `lensgate_aws_calls_open`
//! - `lensgate_audit_events_total`, `lensgate_audit_chain_checks_total{result}`
//! - `lensgate_sign_in_failures_total{reason}`, `lensgate_sign_in_lockouts_total`

use std::{sync::OnceLock, time::Instant};

use axum::{
    Router,
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
    routing::get,
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Seconds, from a page served from memory to an AWS call retried with back-off.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

static RECORDER: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// The process's recorder, installed on first use (a process has one): what `/metrics` renders.
pub fn recorder() -> Result<PrometheusHandle, String> {
    RECORDER
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .map_err(|error| error.to_string())?
                .install_recorder()
                .map_err(|error| format!("cannot install the metrics recorder: {error}"))
        })
        .clone()
}

/// The metrics listener's routes: `GET /metrics`.
pub fn router(handle: PrometheusHandle) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move {
                // Histograms are folded into their buckets at upkeep; once per scrape suffices.
                handle.run_upkeep();
                (
                    [(
                        http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    handle.render(),
                )
            }
        }),
    )
}

/// Counts each request by the route it matched, so the label stays one of the routes however
/// many addresses are asked for.
pub async fn track(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(
        "lensgate_http_request_duration_seconds",
        "method" => method.clone(),
        "route" => route.clone(),
    )
    .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "lensgate_http_requests_total",
        "method" => method,
        "route" => route,
        "status" => status,
    )
    .increment(1);
    response
}
