//! What the server reports about itself: version, backend, database and schema.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStatus {
    pub server_version: String,
    /// `emulator` or `aws`.
    pub backend: String,
    pub database_path: String,
    /// The newest migration applied to the database, if any.
    pub schema_version: Option<i64>,
    /// The installation's identity, fixed when its database was created.
    pub instance_id: String,
    pub database_created_at: String,
    /// Whether the audit history's hash chain verifies, and how far.
    pub audit_chain: String,
    /// When the server answered, RFC 3339 UTC with milliseconds.
    pub checked_at: String,
}

/// What `/readyz` reports: each dependency's problem, or none when it answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readiness {
    pub database: Option<String>,
    pub aws: Option<String>,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database.is_none() && self.aws.is_none()
    }
}

#[server(prefix = "/api", endpoint = "status")]
pub async fn get_status() -> Result<ServerStatus, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?.status.status().await
}
