//! Endpoints for tests and operators under `/__lensgate/`, a path no AWS SDK uses: read and set
//! fault injection, read or clear the request journal.

use std::{collections::HashMap, sync::Arc};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use serde_json::json;

use crate::{Emulator, faults::FaultRules};

pub const PREFIX: &str = "/__lensgate";

pub fn router() -> Router<Arc<Emulator>> {
    Router::new()
        .route(&format!("{PREFIX}/faults"), get(get_faults).put(put_faults))
        .route(
            &format!("{PREFIX}/requests"),
            get(get_requests).delete(clear_requests),
        )
}

async fn get_faults(State(emulator): State<Arc<Emulator>>) -> Json<FaultRules> {
    Json(emulator.faults.rules())
}

async fn put_faults(
    State(emulator): State<Arc<Emulator>>,
    Json(rules): Json<FaultRules>,
) -> impl IntoResponse {
    match emulator.faults.replace(rules) {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "faults": emulator.faults.rules() })),
        ),
        Err(message) => (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))),
    }
}

async fn get_requests(
    State(emulator): State<Arc<Emulator>>,
    Query(query): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    Json(
        emulator
            .journal
            .entries(query.get("operation").map(String::as_str)),
    )
}

async fn clear_requests(State(emulator): State<Arc<Emulator>>) -> StatusCode {
    emulator.journal.clear();
    StatusCode::NO_CONTENT
}
