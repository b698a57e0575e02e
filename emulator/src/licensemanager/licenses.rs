//! Licenses: created by a seller account, the parent of grants.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

use super::invalid_parameter;
use crate::{context::Ctx, error::ServiceError, pagination::paginate, store};

pub const LICENSE: &str = "license";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LicenseDoc {
    pub arn: String,
    pub owner: String,
    /// The License structure as GetLicense returns it.
    pub license: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    #[serde(flatten)]
    fields: Map<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateOutput {
    license_arn: String,
    status: &'static str,
    version: &'static str,
}

pub async fn create(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateInput,
) -> Result<CreateOutput, ServiceError> {
    let arn = format!(
        "arn:aws:license-manager::{}:license:l-{}",
        ctx.account,
        ctx.new_id()
    );
    let mut license = input.fields;
    license.remove("ClientToken");
    license.remove("Tags");
    license.insert("LicenseArn".into(), Value::String(arn.clone()));
    license.insert("Status".into(), Value::String("AVAILABLE".into()));
    license.insert("Version".into(), Value::String("1".into()));
    let created = ctx
        .now
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(crate::store::internal)?;
    license.insert("CreateTime".into(), Value::String(created));
    let doc = LicenseDoc {
        arn: arn.clone(),
        owner: ctx.account.to_owned(),
        license: Value::Object(license),
    };
    store::put(conn, LICENSE, &arn, ctx.account, &doc).await?;
    Ok(CreateOutput {
        license_arn: arn,
        status: "AVAILABLE",
        version: "1",
    })
}

pub async fn find(conn: &mut SqliteConnection, arn: &str) -> Result<LicenseDoc, ServiceError> {
    store::get(conn, LICENSE, arn).await?.ok_or_else(|| {
        ServiceError::new(
            "ResourceNotFoundException",
            format!("License {arn} not found."),
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    license_arn: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    license: Value,
}

pub async fn get(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: GetInput,
) -> Result<GetOutput, ServiceError> {
    let doc = find(conn, &input.license_arn).await?;
    if doc.owner != ctx.account {
        return Err(ServiceError::access_denied(format!(
            "License {} belongs to another account.",
            input.license_arn
        )));
    }
    Ok(GetOutput {
        license: doc.license,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    license_arns: Option<Vec<String>>,
    filters: Option<Vec<Value>>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    licenses: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListInput,
) -> Result<ListOutput, ServiceError> {
    if input.filters.as_ref().is_some_and(|f| !f.is_empty()) {
        return Err(invalid_parameter(
            "The emulator supports ListLicenses without filters only.",
        ));
    }
    let docs: Vec<LicenseDoc> = store::list(conn, LICENSE).await?;
    let items: Vec<Value> = docs
        .into_iter()
        .filter(|d| d.owner == ctx.account)
        .filter(|d| {
            input
                .license_arns
                .as_ref()
                .is_none_or(|arns| arns.contains(&d.arn))
        })
        .map(|d| d.license)
        .collect();
    let scope = format!("ListLicenses|{}|{:?}", ctx.account, input.license_arns);
    let page = paginate(
        items,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        100,
    )?;
    Ok(ListOutput {
        licenses: page.items,
        next_token: page.next_token,
    })
}
