//! Well-Architected: lenses, lens versions, shares, invitations and workloads.

mod diff;
mod documents;
mod lens_json;
mod lenses;
mod principal;
mod shares;
mod workloads;

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
        "ImportLens" => reply(lenses::import(ctx, conn, parse(input)?).await),
        "CreateLensVersion" => reply(lenses::create_version(ctx, conn, parse(input)?).await),
        "ListLenses" => reply(lenses::list(ctx, conn, parse(input)?).await),
        "GetLens" => reply(lenses::get(ctx, conn, parse(input)?).await),
        "ExportLens" => reply(lenses::export(ctx, conn, parse(input)?).await),
        "DeleteLens" => reply(lenses::delete(ctx, conn, parse(input)?).await),
        "GetLensVersionDifference" => {
            reply(lenses::version_difference(ctx, conn, parse(input)?).await)
        }
        "CreateLensShare" => reply(shares::create_lens_share(ctx, conn, parse(input)?).await),
        "ListLensShares" => reply(shares::list_lens_shares(ctx, conn, parse(input)?).await),
        "DeleteLensShare" => reply(shares::delete_lens_share(ctx, conn, parse(input)?).await),
        "ListShareInvitations" => reply(shares::list_invitations(ctx, conn, parse(input)?).await),
        "UpdateShareInvitation" => reply(shares::update_invitation(ctx, conn, parse(input)?).await),
        "CreateWorkload" => reply(workloads::create(ctx, conn, parse(input)?).await),
        "ListWorkloads" => reply(workloads::list(ctx, conn, parse(input)?).await),
        "GetWorkload" => reply(workloads::get(ctx, conn, parse(input)?).await),
        "CreateWorkloadShare" => {
            reply(shares::create_workload_share(ctx, conn, parse(input)?).await)
        }
        "ListWorkloadShares" => reply(shares::list_workload_shares(ctx, conn, parse(input)?).await),
        "UpdateWorkloadShare" => {
            reply(shares::update_workload_share(ctx, conn, parse(input)?).await)
        }
        "DeleteWorkloadShare" => {
            reply(shares::delete_workload_share(ctx, conn, parse(input)?).await)
        }
        other => Err(ServiceError::unknown_operation(format!(
            "{other} is part of the Well-Architected API but not of the lensgate emulator."
        ))),
    }
}
