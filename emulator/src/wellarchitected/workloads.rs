//! Workloads: enough of them to share (create, list, read).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::SqliteConnection;

use super::documents::{WORKLOAD, WORKLOAD_SHARE, WorkloadDoc, accepted_by};
use crate::{context::Ctx, error::ServiceError, pagination::paginate, store};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    workload_name: String,
    description: String,
    environment: String,
    lenses: Vec<String>,
    account_ids: Option<Vec<String>>,
    aws_regions: Option<Vec<String>>,
    review_owner: Option<String>,
    architectural_design: Option<String>,
    industry_type: Option<String>,
    industry: Option<String>,
    notes: Option<String>,
    tags: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOutput {
    workload_id: String,
    workload_arn: String,
}

pub async fn create(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateInput,
) -> Result<CreateOutput, ServiceError> {
    let existing: Vec<WorkloadDoc> = store::list(conn, WORKLOAD).await?;
    if let Some(same) = existing
        .iter()
        .find(|w| w.owner == ctx.account && w.name.eq_ignore_ascii_case(&input.workload_name))
    {
        return Err(ServiceError::conflict(
            "WORKLOAD",
            &same.id,
            format!("A workload named {} already exists.", input.workload_name),
        ));
    }
    let id = ctx.new_id();
    let workload = WorkloadDoc {
        arn: format!(
            "arn:aws:wellarchitected:{}:{}:workload/{id}",
            ctx.region, ctx.account
        ),
        id,
        owner: ctx.account.to_owned(),
        name: input.workload_name,
        description: input.description,
        environment: input.environment,
        lenses: input.lenses,
        account_ids: input.account_ids.unwrap_or_default(),
        aws_regions: input.aws_regions.unwrap_or_default(),
        review_owner: input.review_owner,
        architectural_design: input.architectural_design,
        industry_type: input.industry_type,
        industry: input.industry,
        notes: input.notes,
        tags: input.tags.unwrap_or_default(),
        updated_at: ctx.timestamp(),
    };
    store::put(conn, WORKLOAD, &workload.id, ctx.account, &workload).await?;
    Ok(CreateOutput {
        workload_id: workload.id,
        workload_arn: workload.arn,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    workload_name_prefix: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    workload_summaries: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListInput,
) -> Result<ListOutput, ServiceError> {
    let workloads: Vec<WorkloadDoc> = store::list(conn, WORKLOAD).await?;
    let mut items = Vec::new();
    for workload in workloads {
        let visible = workload.owner == ctx.account
            || accepted_by(conn, WORKLOAD_SHARE, &workload.id, ctx.account).await?;
        let named = input
            .workload_name_prefix
            .as_deref()
            .is_none_or(|p| workload.name.to_lowercase().starts_with(&p.to_lowercase()));
        if visible && named {
            items.push(json!({
                "WorkloadId": workload.id,
                "WorkloadArn": workload.arn,
                "WorkloadName": workload.name,
                "Owner": workload.owner,
                "UpdatedAt": workload.updated_at,
                "Lenses": workload.lenses,
                "ImprovementStatus": "NOT_STARTED",
            }));
        }
    }
    let scope = format!(
        "ListWorkloads|{}|{:?}",
        ctx.account, input.workload_name_prefix
    );
    let page = paginate(
        items,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        50,
    )?;
    Ok(ListOutput {
        workload_summaries: page.items,
        next_token: page.next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    workload_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    workload: Value,
}

pub async fn get(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: GetInput,
) -> Result<GetOutput, ServiceError> {
    let not_found = || {
        ServiceError::not_found(
            "WORKLOAD",
            &input.workload_id,
            format!("Workload {} not found.", input.workload_id),
        )
    };
    let workload: WorkloadDoc = store::get(conn, WORKLOAD, &input.workload_id)
        .await?
        .ok_or_else(not_found)?;
    if workload.owner != ctx.account
        && !accepted_by(conn, WORKLOAD_SHARE, &workload.id, ctx.account).await?
    {
        return Err(not_found());
    }
    Ok(GetOutput {
        workload: json!({
            "WorkloadId": workload.id,
            "WorkloadArn": workload.arn,
            "WorkloadName": workload.name,
            "Description": workload.description,
            "Environment": workload.environment,
            "UpdatedAt": workload.updated_at,
            "AccountIds": workload.account_ids,
            "AwsRegions": workload.aws_regions,
            "ArchitecturalDesign": workload.architectural_design,
            "ReviewOwner": workload.review_owner,
            "IndustryType": workload.industry_type,
            "Industry": workload.industry,
            "Notes": workload.notes,
            "ImprovementStatus": "NOT_STARTED",
            "Lenses": workload.lenses,
            "Owner": workload.owner,
            "Tags": if workload.tags.is_empty() { None } else { Some(&workload.tags) },
        }),
    })
}
