//! Probes for process supervisors and load balancers: `/healthz` says the process serves
//! requests, `/readyz` that its dependencies answer too.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use super::AppState;
use crate::db;

pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database and AWS (or the emulator) both answer; the body says which did not.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = match db::ping(&state.pool).await {
        Ok(()) => None,
        Err(error) => {
            tracing::warn!(%error, "readiness: database check failed");
            Some(error.to_string())
        }
    };
    let aws = state.gateway.check().await;
    if let Some(problem) = &aws {
        tracing::warn!(%problem, "readiness: AWS check failed");
    }
    let ready = database.is_none() && aws.is_none();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let check = |problem: Option<String>| problem.unwrap_or_else(|| "ok".to_owned());
    (
        status,
        Json(json!({
            "ready": ready,
            "checks": { "database": check(database), "aws": check(aws) },
        })),
    )
}
