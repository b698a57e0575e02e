//! Lens operations: import drafts, publish versions, read, export, compare and delete.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;

use super::{
    diff::{self, PillarDifference},
    documents::{
        LENS, LENS_SHARE, LENS_VERSION, LensDoc, LensRef, OFFICIAL_LENSES, OFFICIAL_VERSION,
        ShareDoc, VersionDoc, VersionInfo, accepted_resources, is_lens_arn, official_arn,
        owned_lens, version_id, visible_lens,
    },
    lens_json,
};
use lensgate_lens::model::normalized_name;

use crate::{context::Ctx, error::ServiceError, pagination::paginate, store};

/// AWS allows 100 versions of a custom lens.
const MAX_VERSIONS: usize = 100;
const VERSION_QUOTA_CODE: &str = "L-7A2D8F1C";
/// AWS's documented quota: 15 custom lenses per account and Region.
const MAX_LENSES: usize = 15;
const LENS_QUOTA_CODE: &str = "L-5C1B9E3A";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportInput {
    lens_alias: Option<String>,
    #[serde(rename = "JSONString")]
    json_string: String,
    tags: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportOutput {
    /// Observed: the live service answers with the ARN only, no `Status`.
    lens_arn: String,
}

pub async fn import(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ImportInput,
) -> Result<ImportOutput, ServiceError> {
    let summary = lens_json::check(&input.json_string)?;
    let now = ctx.timestamp();
    let lens = match input.lens_alias {
        None => {
            let owned: Vec<LensDoc> = store::list::<LensDoc>(conn, LENS)
                .await?
                .into_iter()
                .filter(|l| l.owner == ctx.account && l.arn.split(':').nth(3) == Some(ctx.region))
                .collect();
            let wanted = normalized_name(&summary.name);
            if let Some(existing) = owned.iter().find(|l| normalized_name(&l.name) == wanted) {
                return Err(ServiceError::conflict(
                    "LENS",
                    &existing.arn,
                    format!("A lens with normalized name {wanted} already exists."),
                ));
            }
            if owned.len() >= MAX_LENSES {
                return Err(ServiceError::quota_exceeded(
                    "LENS",
                    ctx.account,
                    LENS_QUOTA_CODE,
                    format!("An account can have at most {MAX_LENSES} custom lenses in a Region."),
                ));
            }
            LensDoc {
                arn: format!(
                    "arn:aws:wellarchitected:{}:{}:lens/{}",
                    ctx.region,
                    ctx.account,
                    ctx.new_id()
                ),
                owner: ctx.account.to_owned(),
                name: summary.name,
                description: summary.description,
                draft: Some(input.json_string),
                versions: Vec::new(),
                tags: input.tags.unwrap_or_default(),
                created_at: now,
                updated_at: now,
            }
        }
        Some(alias) => {
            if !is_lens_arn(&alias) {
                return Err(ServiceError::validation(format!(
                    "Invalid lens alias {alias} (allowed value as alias is LensARN)"
                )));
            }
            let mut lens = owned_lens(ctx, conn, &alias, "updated").await?;
            // Observed: a published lens keeps its name through every later import.
            if !lens.versions.is_empty() && summary.name != lens.name {
                return Err(ServiceError::validation(
                    "Lens name must match published name",
                ));
            }
            lens.name = summary.name;
            lens.description = summary.description;
            lens.draft = Some(input.json_string);
            if let Some(tags) = input.tags {
                lens.tags.extend(tags);
            }
            lens.updated_at = now;
            lens
        }
    };
    store::put(conn, LENS, &lens.arn, &lens.owner, &lens).await?;
    Ok(ImportOutput { lens_arn: lens.arn })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateVersionInput {
    lens_alias: String,
    lens_version: String,
    is_major_version: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateVersionOutput {
    lens_arn: String,
    lens_version: String,
}

pub async fn create_version(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateVersionInput,
) -> Result<CreateVersionOutput, ServiceError> {
    let mut lens = owned_lens(ctx, conn, &input.lens_alias, "published").await?;
    if lens
        .versions
        .iter()
        .any(|v| v.version == input.lens_version)
    {
        return Err(ServiceError::conflict(
            "LENS",
            &lens.arn,
            format!(
                "Lens version {} already exists for this lens.",
                input.lens_version
            ),
        ));
    }
    if lens.versions.len() >= MAX_VERSIONS {
        return Err(ServiceError::quota_exceeded(
            "LENS",
            &lens.arn,
            VERSION_QUOTA_CODE,
            format!("A lens can have at most {MAX_VERSIONS} versions."),
        ));
    }
    let Some(json) = lens.draft.take() else {
        return Err(ServiceError::conflict(
            "LENS",
            &lens.arn,
            "The lens has no draft to publish: import a new draft first.",
        ));
    };
    let now = ctx.timestamp();
    store::put(
        conn,
        LENS_VERSION,
        &version_id(&lens.arn, &input.lens_version),
        &lens.owner,
        &VersionDoc { json },
    )
    .await?;
    lens.versions.push(VersionInfo {
        version: input.lens_version.clone(),
        major: input.is_major_version.unwrap_or(false),
        created_at: now,
    });
    lens.updated_at = now;
    store::put(conn, LENS, &lens.arn, &lens.owner, &lens).await?;
    Ok(CreateVersionOutput {
        lens_arn: lens.arn,
        lens_version: input.lens_version,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    next_token: Option<String>,
    max_results: Option<i64>,
    lens_type: Option<String>,
    lens_status: Option<String>,
    lens_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    lens_summaries: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListInput,
) -> Result<ListOutput, ServiceError> {
    let mut summaries = Vec::new();
    for (alias, name, description) in OFFICIAL_LENSES {
        summaries.push((
            "AWS_OFFICIAL",
            true,
            serde_json::json!({
                "LensArn": official_arn(alias),
                "LensAlias": alias,
                "LensName": name,
                "LensType": "AWS_OFFICIAL",
                "Description": description,
                "LensVersion": OFFICIAL_VERSION,
                "LensStatus": "CURRENT",
            }),
        ));
    }
    let lenses: Vec<LensDoc> = store::list(conn, LENS).await?;
    let shared_with_us = accepted_resources(conn, LENS_SHARE, ctx.account).await?;
    for lens in lenses {
        let lens_type = if lens.owner == ctx.account {
            "CUSTOM_SELF"
        } else if shared_with_us.contains(&lens.arn) {
            "CUSTOM_SHARED"
        } else {
            continue;
        };
        summaries.push((
            lens_type,
            lens.latest().is_some(),
            summary(&lens, lens_type),
        ));
    }
    let wanted_name = input.lens_name.as_deref().map(str::to_lowercase);
    let filtered: Vec<Value> = summaries
        .into_iter()
        .filter(|(lens_type, _, _)| input.lens_type.as_deref().is_none_or(|t| t == *lens_type))
        .filter(|(_, published, _)| match input.lens_status.as_deref() {
            Some("PUBLISHED") => *published,
            Some("DRAFT") => !*published,
            _ => true,
        })
        .filter(|(_, _, s)| {
            wanted_name.as_deref().is_none_or(|wanted| {
                s["LensName"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().contains(wanted))
            })
        })
        .map(|(_, _, s)| s)
        .collect();
    let scope = format!(
        "ListLenses|{}|{:?}|{:?}|{:?}",
        ctx.account, input.lens_type, input.lens_status, input.lens_name
    );
    let page = paginate(
        filtered,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        50,
    )?;
    Ok(ListOutput {
        lens_summaries: page.items,
        next_token: page.next_token,
    })
}

fn summary(lens: &LensDoc, lens_type: &str) -> Value {
    serde_json::json!({
        "LensArn": lens.arn,
        "LensAlias": lens.arn,
        "LensName": lens.name,
        "LensType": lens_type,
        "Description": lens.description,
        "CreatedAt": lens.created_at,
        "UpdatedAt": lens.updated_at,
        "LensVersion": lens.latest().map(|v| v.version.clone()),
        "Owner": lens.owner,
        "LensStatus": "CURRENT",
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    lens_alias: String,
    lens_version: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    lens: Value,
}

pub async fn get(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: GetInput,
) -> Result<GetOutput, ServiceError> {
    let lens = match visible_lens(ctx, conn, &input.lens_alias).await? {
        LensRef::Official((alias, name, description)) => serde_json::json!({
            "LensArn": official_arn(alias),
            "LensVersion": OFFICIAL_VERSION,
            "Name": name,
            "Description": description,
        }),
        LensRef::Custom(lens) => {
            let version = match &input.lens_version {
                Some(wanted) => Some(
                    lens.versions
                        .iter()
                        .find(|v| &v.version == wanted)
                        .ok_or_else(|| version_not_found(&lens.arn, wanted))?
                        .version
                        .clone(),
                ),
                None => lens.latest().map(|v| v.version.clone()),
            };
            serde_json::json!({
                "LensArn": lens.arn,
                "LensVersion": version,
                "Name": lens.name,
                "Description": lens.description,
                "Owner": lens.owner,
                "Tags": if lens.tags.is_empty() { None } else { Some(&lens.tags) },
            })
        }
    };
    Ok(GetOutput { lens })
}

fn version_not_found(arn: &str, version: &str) -> ServiceError {
    ServiceError::not_found(
        "LENS",
        arn,
        format!("Lens version {version} not found for lens {arn}."),
    )
}

/// The JSON of a published version: `wanted`, or the latest.
async fn version_json(
    conn: &mut SqliteConnection,
    lens: &LensDoc,
    wanted: Option<&str>,
    action: &str,
) -> Result<(String, String), ServiceError> {
    let version = match wanted {
        Some(wanted) => lens
            .versions
            .iter()
            .find(|v| v.version == wanted)
            .ok_or_else(|| version_not_found(&lens.arn, wanted))?,
        None => lens.latest().ok_or_else(|| {
            ServiceError::validation(format!(
                "Lens {} has no published version to {action}; publish a version first.",
                lens.arn
            ))
        })?,
    };
    let doc: VersionDoc = store::get(conn, LENS_VERSION, &version_id(&lens.arn, &version.version))
        .await?
        .ok_or_else(|| version_not_found(&lens.arn, &version.version))?;
    Ok((version.version.clone(), doc.json))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportInput {
    lens_alias: String,
    lens_version: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportOutput {
    #[serde(rename = "LensJSON")]
    lens_json: String,
}

pub async fn export(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ExportInput,
) -> Result<ExportOutput, ServiceError> {
    let lens = match visible_lens(ctx, conn, &input.lens_alias).await? {
        LensRef::Official(_) => {
            return Err(ServiceError::validation(
                "AWS official lenses cannot be exported; only custom lenses can.",
            ));
        }
        LensRef::Custom(lens) => lens,
    };
    let (_, json) = version_json(conn, &lens, input.lens_version.as_deref(), "export").await?;
    Ok(ExportOutput { lens_json: json })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteInput {
    lens_alias: String,
    lens_status: String,
}

#[derive(Serialize)]
pub struct Empty {}

pub async fn delete(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: DeleteInput,
) -> Result<Empty, ServiceError> {
    let lens = owned_lens(ctx, conn, &input.lens_alias, "deleted").await?;
    let published = lens.latest().is_some();
    let matches = match input.lens_status.as_str() {
        "DRAFT" => !published,
        "PUBLISHED" => published,
        _ => true,
    };
    if !matches {
        return Err(ServiceError::conflict(
            "LENS",
            &lens.arn,
            format!("Lens {} is not in status {}.", lens.arn, input.lens_status),
        ));
    }
    for version in &lens.versions {
        store::delete(conn, LENS_VERSION, &version_id(&lens.arn, &version.version)).await?;
    }
    let shares: Vec<ShareDoc> = store::children(conn, LENS_SHARE, &lens.arn).await?;
    for share in &shares {
        store::delete(conn, LENS_SHARE, &share.share_id).await?;
    }
    store::delete(conn, LENS, &lens.arn).await?;
    Ok(Empty {})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DifferenceInput {
    lens_alias: String,
    base_lens_version: Option<String>,
    target_lens_version: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DifferenceOutput {
    lens_alias: String,
    lens_arn: String,
    base_lens_version: String,
    target_lens_version: String,
    latest_lens_version: String,
    version_differences: Differences,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Differences {
    pillar_differences: Vec<PillarDifference>,
}

pub async fn version_difference(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: DifferenceInput,
) -> Result<DifferenceOutput, ServiceError> {
    let lens = match visible_lens(ctx, conn, &input.lens_alias).await? {
        LensRef::Official(_) => {
            return Err(ServiceError::validation(
                "The emulator keeps no versions of AWS official lenses to compare.",
            ));
        }
        LensRef::Custom(lens) => lens,
    };
    let Some(base) = input.base_lens_version.as_deref() else {
        return Err(ServiceError::validation(
            "BaseLensVersion is required for a custom lens.",
        ));
    };
    let (base_version, base_json) = version_json(conn, &lens, Some(base), "compare").await?;
    let (target_version, target_json) =
        version_json(conn, &lens, input.target_lens_version.as_deref(), "compare").await?;
    let parse = |text: &str| serde_json::from_str::<Value>(text).map_err(store::internal);
    let differences = diff::pillar_differences(&parse(&base_json)?, &parse(&target_json)?);
    let latest = lens.latest().map(|v| v.version.clone()).unwrap_or_default();
    Ok(DifferenceOutput {
        lens_alias: lens.arn.clone(),
        lens_arn: lens.arn.clone(),
        base_lens_version: base_version,
        target_lens_version: target_version,
        latest_lens_version: latest,
        version_differences: Differences {
            pillar_differences: differences,
        },
    })
}
