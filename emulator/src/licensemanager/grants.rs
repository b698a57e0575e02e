//! Grants of a license to another principal, and their versions. CreateGrantVersion makes the
//! next version from the current one; every earlier version stays readable.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::SqliteConnection;

use super::{invalid_parameter, licenses};
use crate::{context::Ctx, error::ServiceError, pagination::paginate, store};

const GRANT: &str = "grant";

/// The statuses a grantor may set through CreateGrantVersion. The others are reached through
/// the grantee's answer (PENDING_ACCEPT, REJECTED), DeleteGrant (DELETED, PENDING_DELETE) or
/// workflows the emulator does not run. AWS documents no list; this is the strict reading.
const GRANTOR_STATUSES: [&str; 2] = ["ACTIVE", "DISABLED"];

#[derive(Debug, Clone, Serialize, Deserialize)]
struct GrantDoc {
    arn: String,
    owner: String,
    grantee_account: Option<String>,
    /// Every version, oldest first; the last is the current one.
    versions: Vec<GrantVersion>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct GrantVersion {
    version: u32,
    name: String,
    license_arn: String,
    grantee_principal_arn: String,
    home_region: String,
    status: String,
    status_reason: Option<String>,
    granted_operations: Vec<String>,
}

impl GrantDoc {
    fn current(&self) -> &GrantVersion {
        self.versions
            .last()
            .expect("a grant has at least one version")
    }

    fn view(&self, version: &GrantVersion) -> Value {
        json!({
            "GrantArn": self.arn,
            "GrantName": version.name,
            "ParentArn": version.license_arn,
            "LicenseArn": version.license_arn,
            "GranteePrincipalArn": version.grantee_principal_arn,
            "HomeRegion": version.home_region,
            "GrantStatus": version.status,
            "StatusReason": version.status_reason,
            "Version": version.version.to_string(),
            "GrantedOperations": version.granted_operations,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantState {
    grant_arn: String,
    status: String,
    version: String,
}

impl From<&GrantDoc> for GrantState {
    fn from(doc: &GrantDoc) -> Self {
        GrantState {
            grant_arn: doc.arn.clone(),
            status: doc.current().status.clone(),
            version: doc.current().version.to_string(),
        }
    }
}

/// The account in an IAM principal ARN (`arn:aws:iam::111122223333:root`).
fn account_of(principal_arn: &str) -> Option<String> {
    let account = principal_arn.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then(|| account.to_owned())
}

async fn find(conn: &mut SqliteConnection, arn: &str) -> Result<GrantDoc, ServiceError> {
    store::get(conn, GRANT, arn).await?.ok_or_else(|| {
        ServiceError::new(
            "ResourceNotFoundException",
            format!("Grant {arn} not found."),
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateInput {
    grant_name: String,
    license_arn: String,
    principals: Vec<String>,
    home_region: String,
    allowed_operations: Vec<String>,
}

pub async fn create(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateInput,
) -> Result<GrantState, ServiceError> {
    let license = licenses::find(conn, &input.license_arn).await?;
    if license.owner != ctx.account {
        return Err(ServiceError::access_denied(
            "Only the license's owner can grant it.",
        ));
    }
    let principal = input.principals.into_iter().next().unwrap_or_default();
    let doc = GrantDoc {
        arn: format!(
            "arn:aws:license-manager::{}:grant:g-{}",
            ctx.account,
            ctx.new_id()
        ),
        owner: ctx.account.to_owned(),
        grantee_account: account_of(&principal),
        versions: vec![GrantVersion {
            version: 1,
            name: input.grant_name,
            license_arn: input.license_arn,
            grantee_principal_arn: principal,
            home_region: input.home_region,
            status: "PENDING_ACCEPT".to_owned(),
            status_reason: None,
            granted_operations: input.allowed_operations,
        }],
    };
    store::put(conn, GRANT, &doc.arn, ctx.account, &doc).await?;
    Ok((&doc).into())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateVersionInput {
    grant_arn: String,
    grant_name: Option<String>,
    allowed_operations: Option<Vec<String>>,
    status: Option<String>,
    status_reason: Option<String>,
    source_version: Option<String>,
}

pub async fn create_version(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: CreateVersionInput,
) -> Result<GrantState, ServiceError> {
    let mut doc = find(conn, &input.grant_arn).await?;
    if doc.owner != ctx.account {
        return Err(ServiceError::access_denied(
            "Only the grantor can create a version of this grant.",
        ));
    }
    let current = doc.current().clone();
    if let Some(source) = &input.source_version
        && source != &current.version.to_string()
    {
        return Err(ServiceError::validation(format!(
            "SourceVersion {source} is not the current version of the grant; the current version is {}.",
            current.version
        )));
    }
    if current.status == "DELETED" {
        return Err(ServiceError::validation(
            "The grant is deleted; no new version can be created.",
        ));
    }
    if let Some(status) = &input.status
        && !GRANTOR_STATUSES.contains(&status.as_str())
    {
        return Err(ServiceError::validation(format!(
            "A grantor cannot set the status {status}; allowed: {}.",
            GRANTOR_STATUSES.join(", ")
        )));
    }
    let next = GrantVersion {
        version: current.version + 1,
        name: input.grant_name.unwrap_or(current.name),
        license_arn: current.license_arn,
        grantee_principal_arn: current.grantee_principal_arn,
        home_region: current.home_region,
        status: input.status.unwrap_or(current.status),
        status_reason: input.status_reason.or(current.status_reason),
        granted_operations: input
            .allowed_operations
            .unwrap_or(current.granted_operations),
    };
    doc.versions.push(next);
    store::put(conn, GRANT, &doc.arn, &doc.owner, &doc).await?;
    Ok((&doc).into())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetInput {
    grant_arn: String,
    version: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOutput {
    grant: Value,
}

pub async fn get(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: GetInput,
) -> Result<GetOutput, ServiceError> {
    let doc = find(conn, &input.grant_arn).await?;
    if doc.owner != ctx.account && doc.grantee_account.as_deref() != Some(ctx.account) {
        return Err(ServiceError::access_denied(
            "The grant belongs to other accounts.",
        ));
    }
    let version = match &input.version {
        None => doc.current(),
        Some(wanted) => doc
            .versions
            .iter()
            .find(|v| &v.version.to_string() == wanted)
            .ok_or_else(|| {
                ServiceError::new(
                    "ResourceNotFoundException",
                    format!("Grant version {wanted} not found."),
                )
            })?,
    };
    Ok(GetOutput {
        grant: doc.view(version),
    })
}

pub enum Side {
    Distributed,
    Received,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListInput {
    grant_arns: Option<Vec<String>>,
    filters: Option<Vec<Filter>>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Filter {
    name: Option<String>,
    values: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    grants: Vec<Value>,
    next_token: Option<String>,
}

pub async fn list(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: ListInput,
    side: Side,
) -> Result<ListOutput, ServiceError> {
    let filters = input.filters.unwrap_or_default();
    for filter in &filters {
        match filter.name.as_deref() {
            Some("LicenseArn" | "GrantStatus" | "GranteePrincipalARN") => {}
            other => {
                return Err(invalid_parameter(format!(
                    "Unsupported filter name {other:?}."
                )));
            }
        }
    }
    let docs: Vec<GrantDoc> = store::list(conn, GRANT).await?;
    let items: Vec<Value> = docs
        .iter()
        .filter(|d| match side {
            Side::Distributed => d.owner == ctx.account,
            Side::Received => d.grantee_account.as_deref() == Some(ctx.account),
        })
        .filter(|d| {
            input
                .grant_arns
                .as_ref()
                .is_none_or(|arns| arns.contains(&d.arn))
        })
        .filter(|d| {
            let current = d.current();
            filters.iter().all(|f| {
                let values = f.values.as_deref().unwrap_or_default();
                let field = match f.name.as_deref() {
                    Some("LicenseArn") => &current.license_arn,
                    Some("GrantStatus") => &current.status,
                    _ => &current.grantee_principal_arn,
                };
                values.is_empty() || values.contains(field)
            })
        })
        .map(|d| d.view(d.current()))
        .collect();
    let side_name = match side {
        Side::Distributed => "distributed",
        Side::Received => "received",
    };
    let scope = format!(
        "ListGrants|{side_name}|{}|{:?}",
        ctx.account, input.grant_arns
    );
    let page = paginate(
        items,
        input.max_results,
        input.next_token.as_deref(),
        &scope,
        ctx.page_key,
        100,
    )?;
    Ok(ListOutput {
        grants: page.items,
        next_token: page.next_token,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AnswerInput {
    grant_arn: String,
}

/// AcceptGrant or RejectGrant by the grantee, on a grant waiting for its answer.
pub async fn answer(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: AnswerInput,
    status: &str,
) -> Result<GrantState, ServiceError> {
    let mut doc = find(conn, &input.grant_arn).await?;
    if doc.grantee_account.as_deref() != Some(ctx.account) {
        return Err(ServiceError::access_denied(
            "Only the grantee can answer this grant.",
        ));
    }
    if doc.current().status != "PENDING_ACCEPT" {
        return Err(ServiceError::validation(format!(
            "The grant is {}, not waiting for an answer.",
            doc.current().status
        )));
    }
    if let Some(current) = doc.versions.last_mut() {
        current.status = status.to_owned();
    }
    store::put(conn, GRANT, &doc.arn, &doc.owner, &doc).await?;
    Ok((&doc).into())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteInput {
    grant_arn: String,
    status_reason: Option<String>,
    version: String,
}

pub async fn delete(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    input: DeleteInput,
) -> Result<GrantState, ServiceError> {
    let mut doc = find(conn, &input.grant_arn).await?;
    if doc.owner != ctx.account {
        return Err(ServiceError::access_denied(
            "Only the grantor can delete this grant.",
        ));
    }
    if input.version != doc.current().version.to_string() {
        return Err(ServiceError::validation(format!(
            "Version {} is not the current version of the grant.",
            input.version
        )));
    }
    if let Some(current) = doc.versions.last_mut() {
        current.status = "DELETED".to_owned();
        current.status_reason = input.status_reason;
    }
    store::put(conn, GRANT, &doc.arn, &doc.owner, &doc).await?;
    Ok((&doc).into())
}
