//! License Manager: licenses, grants and grant versions.

mod grants;
mod licenses;

use serde_json::Value;
use sqlx::SqliteConnection;

use crate::{
    context::Ctx,
    error::ServiceError,
    handler::{parse, reply},
};

pub async fn dispatch(
    operation: &str,
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: Value,
) -> Result<Value, ServiceError> {
    match operation {
        "CreateLicense" => reply(licenses::create(ctx, conn, parse(input)?).await),
        "GetLicense" => reply(licenses::get(ctx, conn, parse(input)?).await),
        "ListLicenses" => reply(licenses::list(ctx, conn, parse(input)?).await),
        "CreateGrant" => reply(grants::create(ctx, conn, parse(input)?).await),
        "CreateGrantVersion" => reply(grants::create_version(ctx, conn, parse(input)?).await),
        "GetGrant" => reply(grants::get(ctx, conn, parse(input)?).await),
        "ListDistributedGrants" => {
            reply(grants::list(ctx, conn, parse(input)?, grants::Side::Distributed).await)
        }
        "ListReceivedGrants" => {
            reply(grants::list(ctx, conn, parse(input)?, grants::Side::Received).await)
        }
        "AcceptGrant" => reply(grants::answer(ctx, conn, parse(input)?, "ACTIVE").await),
        "RejectGrant" => reply(grants::answer(ctx, conn, parse(input)?, "REJECTED").await),
        "DeleteGrant" => reply(grants::delete(ctx, conn, parse(input)?).await),
        other => Err(ServiceError::new(
            "UnknownOperationException",
            format!("{other} is part of the License Manager API but not of the lensgate emulator."),
        )),
    }
}

/// License Manager reports a bad argument with this modeled error.
fn invalid_parameter(message: impl Into<String>) -> ServiceError {
    ServiceError::new("InvalidParameterValueException", message)
}
