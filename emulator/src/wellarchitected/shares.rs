//! Sharing lenses and workloads, and the invitations the recipients accept or reject.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::SqliteConnection;

use super::{
    documents::{LENS_SHARE, ShareDoc, WORKLOAD, WORKLOAD_SHARE, WorkloadDoc, owned_lens},
    lenses::Empty,
    principal::Principal,
};
use crate::{context::Ctx, error::ServiceError, pagination::paginate, store};

/// Checks the principal and refuses sharing with oneself or twice with the same principal.
/// AWS's documented quota: 300 shares per custom lens.
const MAX_LENS_SHARES: usize = 300;
const LENS_SHARE_QUOTA_CODE: &str = "L-9D4E2A71";

async fn new_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    kind: &str,
    resource: &str,
    resource_name: &str,
    shared_with: &str,
    permission: Option<String>,
) -> Result<ShareDoc, ServiceError> {
    let principal = Principal::parse(shared_with).ok_or_else(|| {
        ServiceError::validation(format!(
            "SharedWith {shared_with:?} is not an account id (12 digits), an IAM role or user ARN, an organization id (o-...) or an OU id (ou-...)."
        ))
    })?;
    if principal.account() == Some(ctx.account) {
        return Err(ServiceError::conflict(
            "SHARE",
            resource,
            "A resource cannot be shared with the account that owns it.",
        ));
    }
    let existing: Vec<ShareDoc> = store::children(conn, kind, resource).await?;
    if let Some(share) = existing.iter().find(|s| {
        s.shared_with == shared_with && matches!(s.status.as_str(), "PENDING" | "ACCEPTED")
    }) {
        return Err(ServiceError::conflict(
            "SHARE",
            &share.share_id,
            format!("The resource is already shared with {shared_with}."),
        ));
    }
    let share = ShareDoc {
        share_id: ctx.new_id(),
        resource: resource.to_owned(),
        resource_name: resource_name.to_owned(),
        owner: ctx.account.to_owned(),
        shared_with: shared_with.to_owned(),
        recipient: principal.account().map(str::to_owned),
        invitation_id: ctx.new_id(),
        status: "PENDING".to_owned(),
        permission,
        created_at: ctx.timestamp(),
    };
    store::put_child(
        conn,
        kind,
        &share.share_id,
        ctx.account,
        Some(resource),
        &share,
    )
    .await?;
    Ok(share)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateLensShareInput {
    lens_alias: String,
    shared_with: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateLensShareOutput {
    share_id: String,
}

pub async fn create_lens_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateLensShareInput,
) -> Result<CreateLensShareOutput, ServiceError> {
    let lens = owned_lens(ctx, conn, &input.lens_alias, "shared").await?;
    if lens.latest().is_none() {
        return Err(ServiceError::validation(format!(
            "Lens {} has only a draft; publish a version before sharing it.",
            lens.arn
        )));
    }
    let active = store::children::<ShareDoc>(conn, LENS_SHARE, &lens.arn)
        .await?
        .iter()
        .filter(|s| matches!(s.status.as_str(), "PENDING" | "ACCEPTED"))
        .count();
    if active >= MAX_LENS_SHARES {
        return Err(ServiceError::quota_exceeded(
            "LENS",
            &lens.arn,
            LENS_SHARE_QUOTA_CODE,
            format!("A custom lens can be shared at most {MAX_LENS_SHARES} times."),
        ));
    }
    let share = new_share(
        ctx,
        conn,
        LENS_SHARE,
        &lens.arn,
        &lens.name,
        &input.shared_with,
        None,
    )
    .await?;
    Ok(CreateLensShareOutput {
        share_id: share.share_id,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListSharesInput {
    lens_alias: Option<String>,
    workload_id: Option<String>,
    shared_with_prefix: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
    status: Option<String>,
}

fn summaries(
    ctx: &Ctx<'_>,
    shares: Vec<ShareDoc>,
    resource: &str,
    input: &ListSharesInput,
) -> Result<(Vec<Value>, Option<String>), ServiceError> {
    let items: Vec<Value> = shares
        .into_iter()
        .filter(|s| s.resource == resource)
        .filter(|s| input.status.as_deref().is_none_or(|st| st == s.status))
        .filter(|s| {
            input
                .shared_with_prefix
                .as_deref()
                .is_none_or(|p| s.shared_with.starts_with(p))
        })
        .map(|s| {
            json!({
                "ShareId": s.share_id,
                "SharedWith": s.shared_with,
                "Status": s.status,
                "PermissionType": s.permission,
            })
        })
        .collect();
    let scope = format!(
        "ListShares|{resource}|{:?}|{:?}",
        input.status, input.shared_with_prefix
    );
    let page = paginate(
        items,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        50,
    )?;
    Ok((page.items, page.next_token))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListLensSharesOutput {
    lens_share_summaries: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list_lens_shares(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListSharesInput,
) -> Result<ListLensSharesOutput, ServiceError> {
    let alias = input.lens_alias.clone().unwrap_or_default();
    let lens = owned_lens(ctx, conn, &alias, "listed with its shares").await?;
    let shares = store::children(conn, LENS_SHARE, &lens.arn).await?;
    let (items, next_token) = summaries(ctx, shares, &lens.arn, &input)?;
    Ok(ListLensSharesOutput {
        lens_share_summaries: items
            .into_iter()
            .map(|mut v| {
                if let Some(map) = v.as_object_mut() {
                    map.remove("PermissionType");
                }
                v
            })
            .collect(),
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteLensShareInput {
    lens_alias: String,
    share_id: String,
}

pub async fn delete_lens_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: DeleteLensShareInput,
) -> Result<Empty, ServiceError> {
    let lens = owned_lens(ctx, conn, &input.lens_alias, "unshared").await?;
    remove_share(conn, LENS_SHARE, &lens.arn, &input.share_id).await
}

async fn remove_share(
    conn: &mut SqliteConnection,
    kind: &str,
    resource: &str,
    share_id: &str,
) -> Result<Empty, ServiceError> {
    let share: Option<ShareDoc> = store::get(conn, kind, share_id).await?;
    match share {
        Some(share) if share.resource == resource => {
            store::delete(conn, kind, share_id).await?;
            Ok(Empty {})
        }
        _ => Err(ServiceError::not_found(
            "SHARE",
            share_id,
            format!("Share {share_id} not found."),
        )),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInvitationsInput {
    workload_name_prefix: Option<String>,
    lens_name_prefix: Option<String>,
    share_resource_type: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInvitationsOutput {
    share_invitation_summaries: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list_invitations(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListInvitationsInput,
) -> Result<ListInvitationsOutput, ServiceError> {
    let mut items = Vec::new();
    let wants = |kind: &str| {
        input
            .share_resource_type
            .as_deref()
            .is_none_or(|t| t == kind)
    };
    // (stored kind, resource type, name filter, name member, resource member)
    let kinds = [
        (
            LENS_SHARE,
            "LENS",
            &input.lens_name_prefix,
            "LensName",
            "LensArn",
        ),
        (
            WORKLOAD_SHARE,
            "WORKLOAD",
            &input.workload_name_prefix,
            "WorkloadName",
            "WorkloadId",
        ),
    ];
    for (kind, resource_type, prefix, name_member, resource_member) in kinds {
        if !wants(resource_type) {
            continue;
        }
        let shares: Vec<ShareDoc> = store::list(conn, kind).await?;
        for share in pending_for(ctx, shares) {
            if prefix
                .as_deref()
                .is_none_or(|p| share.resource_name.starts_with(p))
            {
                let mut item = json!({
                    "ShareInvitationId": share.invitation_id,
                    "SharedBy": share.owner,
                    "SharedWith": share.shared_with,
                    "PermissionType": share.permission,
                    "ShareResourceType": resource_type,
                });
                item[name_member] = json!(share.resource_name);
                item[resource_member] = json!(share.resource);
                items.push(item);
            }
        }
    }
    let scope = format!(
        "ListShareInvitations|{}|{:?}|{:?}|{:?}",
        ctx.account, input.share_resource_type, input.lens_name_prefix, input.workload_name_prefix
    );
    let page = paginate(
        items,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        50,
    )?;
    Ok(ListInvitationsOutput {
        share_invitation_summaries: page.items,
        next_token: page.next_token,
    })
}

fn pending_for(ctx: &Ctx<'_>, shares: Vec<ShareDoc>) -> Vec<ShareDoc> {
    shares
        .into_iter()
        .filter(|s| s.recipient.as_deref() == Some(ctx.account) && s.status == "PENDING")
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInvitationInput {
    share_invitation_id: String,
    share_invitation_action: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateInvitationOutput {
    share_invitation: Value,
}

pub async fn update_invitation(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: UpdateInvitationInput,
) -> Result<UpdateInvitationOutput, ServiceError> {
    for (kind, resource_type) in [(LENS_SHARE, "LENS"), (WORKLOAD_SHARE, "WORKLOAD")] {
        let shares: Vec<ShareDoc> = store::list(conn, kind).await?;
        let Some(mut share) = shares
            .into_iter()
            .find(|s| s.invitation_id == input.share_invitation_id)
        else {
            continue;
        };
        if share.recipient.as_deref() != Some(ctx.account) {
            break;
        }
        if share.status != "PENDING" {
            return Err(ServiceError::conflict(
                "SHARE_INVITATION",
                &input.share_invitation_id,
                format!(
                    "The invitation was already answered: the share is {}.",
                    share.status
                ),
            ));
        }
        share.status = match input.share_invitation_action.as_str() {
            "ACCEPT" => "ACCEPTED",
            _ => "REJECTED",
        }
        .to_owned();
        store::put_child(
            conn,
            kind,
            &share.share_id,
            &share.owner,
            Some(&share.resource),
            &share,
        )
        .await?;
        let invitation = if resource_type == "LENS" {
            json!({
                "ShareInvitationId": share.invitation_id,
                "ShareResourceType": "LENS",
                "LensAlias": share.resource,
                "LensArn": share.resource,
            })
        } else {
            json!({
                "ShareInvitationId": share.invitation_id,
                "ShareResourceType": "WORKLOAD",
                "WorkloadId": share.resource,
            })
        };
        return Ok(UpdateInvitationOutput {
            share_invitation: invitation,
        });
    }
    Err(ServiceError::not_found(
        "SHARE_INVITATION",
        &input.share_invitation_id,
        format!("Share invitation {} not found.", input.share_invitation_id),
    ))
}

async fn owned_workload(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<WorkloadDoc, ServiceError> {
    let workload: Option<WorkloadDoc> = store::get(conn, WORKLOAD, id).await?;
    match workload {
        Some(w) if w.owner == ctx.account => Ok(w),
        Some(_) => Err(ServiceError::access_denied(format!(
            "Only the owner of workload {id} can share it."
        ))),
        None => Err(ServiceError::not_found(
            "WORKLOAD",
            id,
            format!("Workload {id} not found."),
        )),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateWorkloadShareInput {
    workload_id: String,
    shared_with: String,
    permission_type: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateWorkloadShareOutput {
    workload_id: String,
    share_id: String,
}

pub async fn create_workload_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateWorkloadShareInput,
) -> Result<CreateWorkloadShareOutput, ServiceError> {
    let workload = owned_workload(ctx, conn, &input.workload_id).await?;
    let share = new_share(
        ctx,
        conn,
        WORKLOAD_SHARE,
        &workload.id,
        &workload.name,
        &input.shared_with,
        Some(input.permission_type),
    )
    .await?;
    Ok(CreateWorkloadShareOutput {
        workload_id: workload.id,
        share_id: share.share_id,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWorkloadSharesOutput {
    workload_id: String,
    workload_share_summaries: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list_workload_shares(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListSharesInput,
) -> Result<ListWorkloadSharesOutput, ServiceError> {
    let id = input.workload_id.clone().unwrap_or_default();
    let workload = owned_workload(ctx, conn, &id).await?;
    let shares = store::children(conn, WORKLOAD_SHARE, &workload.id).await?;
    let (items, next_token) = summaries(ctx, shares, &workload.id, &input)?;
    Ok(ListWorkloadSharesOutput {
        workload_id: workload.id,
        workload_share_summaries: items,
        next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateWorkloadShareInput {
    share_id: String,
    workload_id: String,
    permission_type: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateWorkloadShareOutput {
    workload_id: String,
    workload_share: Value,
}

pub async fn update_workload_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: UpdateWorkloadShareInput,
) -> Result<UpdateWorkloadShareOutput, ServiceError> {
    let workload = owned_workload(ctx, conn, &input.workload_id).await?;
    let share: Option<ShareDoc> = store::get(conn, WORKLOAD_SHARE, &input.share_id).await?;
    let Some(mut share) = share.filter(|s| s.resource == workload.id) else {
        return Err(ServiceError::not_found(
            "SHARE",
            &input.share_id,
            format!("Share {} not found.", input.share_id),
        ));
    };
    share.permission = Some(input.permission_type);
    store::put_child(
        conn,
        WORKLOAD_SHARE,
        &share.share_id,
        &share.owner,
        Some(&share.resource),
        &share,
    )
    .await?;
    Ok(UpdateWorkloadShareOutput {
        workload_id: workload.id.clone(),
        workload_share: json!({
            "ShareId": share.share_id,
            "SharedBy": share.owner,
            "SharedWith": share.shared_with,
            "PermissionType": share.permission,
            "Status": share.status,
            "WorkloadName": workload.name,
            "WorkloadId": workload.id,
        }),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteWorkloadShareInput {
    share_id: String,
    workload_id: String,
}

pub async fn delete_workload_share(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: DeleteWorkloadShareInput,
) -> Result<Empty, ServiceError> {
    let workload = owned_workload(ctx, conn, &input.workload_id).await?;
    remove_share(conn, WORKLOAD_SHARE, &workload.id, &input.share_id).await
}
