//! License Manager: licenses, grants and grant versions.

use serde_json::Value;
use sqlx::SqliteConnection;

use crate::{context::Ctx, error::ServiceError};

pub async fn dispatch(
    operation: &str,
    _ctx: &Ctx<'_>,
    _conn: &mut SqliteConnection,
    _input: Value,
) -> Result<Value, ServiceError> {
    Err(ServiceError::new(
        "UnknownOperationException",
        format!("{operation} is part of the License Manager API but not of the lensgate emulator."),
    ))
}
