//! Probes for process supervisors and load balancers: `/healthz` says the process serves
//! requests, `/readyz` that its dependencies answer too.

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use super::AppState;
use crate::db;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match db::ping(&state.pool).await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "ready": true, "checks": { "database": "ok" } })),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness: database check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "ready": false, "checks": { "database": error.to_string() } })),
            )
        }
    }
}
