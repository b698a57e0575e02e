//! Probes for process supervisors and load balancers: `/healthz` says the process serves
//! requests, `/readyz` that its dependencies answer too.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use super::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database and AWS (or the emulator) both answer; the body says which did not.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let readiness = state.services.status.readiness().await;
    let status = if readiness.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let check = |problem: Option<String>| problem.unwrap_or_else(|| "ok".to_owned());
    (
        status,
        Json(json!({
            "ready": readiness.ready(),
            "checks": { "database": check(readiness.database), "aws": check(readiness.aws) },
        })),
    )
}
