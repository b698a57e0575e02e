//! The stored shapes of Well-Architected resources and the lookups handlers share.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::{context::Ctx, error::ServiceError, store};

pub const LENS: &str = "lens";
pub const LENS_VERSION: &str = "lens-version";
pub const LENS_SHARE: &str = "lens-share";
pub const WORKLOAD: &str = "workload";
pub const WORKLOAD_SHARE: &str = "workload-share";

/// AWS's own lenses: listed and readable, never exported or shared.
pub const OFFICIAL_LENSES: [(&str, &str, &str); 3] = [
    (
        "wellarchitected",
        "AWS Well-Architected Framework",
        "The AWS Well-Architected Framework lens.",
    ),
    (
        "serverless",
        "Serverless Lens",
        "Best practices for serverless applications.",
    ),
    (
        "softwareasaservice",
        "SaaS Lens",
        "Best practices for software-as-a-service applications.",
    ),
];
pub const OFFICIAL_VERSION: &str = "2024-06-27";

pub fn official_arn(alias: &str) -> String {
    format!("arn:aws:wellarchitected::aws:lens/{alias}")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LensDoc {
    pub arn: String,
    pub owner: String,
    pub name: String,
    pub description: Option<String>,
    /// The imported JSON not yet published, if any.
    pub draft: Option<String>,
    pub versions: Vec<VersionInfo>,
    pub tags: BTreeMap<String, String>,
    pub created_at: f64,
    pub updated_at: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: String,
    pub major: bool,
    pub created_at: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionDoc {
    pub json: String,
}

impl LensDoc {
    pub fn latest(&self) -> Option<&VersionInfo> {
        self.versions.last()
    }
}

pub fn version_id(arn: &str, version: &str) -> String {
    format!("{arn}|{version}")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShareDoc {
    pub share_id: String,
    /// The lens ARN or the workload id.
    pub resource: String,
    pub resource_name: String,
    pub owner: String,
    pub shared_with: String,
    pub recipient: Option<String>,
    pub invitation_id: String,
    pub status: String,
    pub permission: Option<String>,
    pub created_at: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkloadDoc {
    pub id: String,
    pub arn: String,
    pub owner: String,
    pub name: String,
    pub description: String,
    pub environment: String,
    pub lenses: Vec<String>,
    pub account_ids: Vec<String>,
    pub aws_regions: Vec<String>,
    pub review_owner: Option<String>,
    pub architectural_design: Option<String>,
    pub industry_type: Option<String>,
    pub industry: Option<String>,
    pub notes: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub updated_at: f64,
}

/// What a lens alias names.
pub enum LensRef {
    Official(&'static (&'static str, &'static str, &'static str)),
    Custom(Box<LensDoc>),
}

pub fn is_lens_arn(alias: &str) -> bool {
    alias.starts_with("arn:") && alias.contains(":wellarchitected:") && alias.contains(":lens/")
}

pub fn lens_not_found(alias: &str) -> ServiceError {
    ServiceError::not_found("LENS", alias, format!("Lens {alias} not found."))
}

/// AWS names an official lens by its alias or by an ARN without an owning account: the
/// LensAlias documentation gives `arn:aws:wellarchitected:us-east-1::lens/serverless`, and
/// ListLenses answers `arn:aws:wellarchitected::aws:lens/wellarchitected`.
fn names_official(alias: &str, official: &str) -> bool {
    if alias == official {
        return true;
    }
    let parts: Vec<&str> = alias.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", _, "wellarchitected", _, "" | "aws", resource]
            if resource.strip_prefix("lens/") == Some(official)
    )
}

/// Resolves an alias the caller may see: an official lens, a lens the caller owns, or one
/// shared with the caller and accepted.
pub async fn visible_lens(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    alias: &str,
) -> Result<LensRef, ServiceError> {
    if let Some(official) = OFFICIAL_LENSES
        .iter()
        .find(|(a, _, _)| names_official(alias, a))
    {
        return Ok(LensRef::Official(official));
    }
    if !is_lens_arn(alias) {
        return Err(lens_not_found(alias));
    }
    let lens: LensDoc = store::get(conn, LENS, alias)
        .await?
        .ok_or_else(|| lens_not_found(alias))?;
    if lens.owner == ctx.account || accepted_by(conn, LENS_SHARE, &lens.arn, ctx.account).await? {
        Ok(LensRef::Custom(Box::new(lens)))
    } else {
        Err(lens_not_found(alias))
    }
}

/// A custom lens the caller owns, for an `action` such as "shared"; AWS lenses and lenses of other accounts are refused.
pub async fn owned_lens(
    ctx: &Ctx<'_>,
    conn: &mut SqliteConnection,
    alias: &str,
    action: &str,
) -> Result<LensDoc, ServiceError> {
    match visible_lens(ctx, conn, alias).await? {
        LensRef::Official(_) => Err(ServiceError::validation(format!(
            "AWS official lenses cannot be {action}; only custom lenses can."
        ))),
        LensRef::Custom(lens) if lens.owner == ctx.account => Ok(*lens),
        LensRef::Custom(_) => Err(ServiceError::access_denied(format!(
            "Only the owner of lens {alias} can have it {action}."
        ))),
    }
}

/// The resources of every share of `kind` that `account` accepted: a listing reads them once
/// instead of asking per resource.
pub async fn accepted_resources(
    conn: &mut SqliteConnection,
    kind: &str,
    account: &str,
) -> Result<std::collections::HashSet<String>, ServiceError> {
    let shares: Vec<ShareDoc> = store::list(conn, kind).await?;
    Ok(shares
        .into_iter()
        .filter(|s| s.recipient.as_deref() == Some(account) && s.status == "ACCEPTED")
        .map(|s| s.resource)
        .collect())
}

pub async fn accepted_by(
    conn: &mut SqliteConnection,
    kind: &str,
    resource: &str,
    account: &str,
) -> Result<bool, ServiceError> {
    let shares: Vec<ShareDoc> = store::children(conn, kind, resource).await?;
    Ok(shares
        .iter()
        .any(|s| s.recipient.as_deref() == Some(account) && s.status == "ACCEPTED"))
}

#[cfg(test)]
mod tests {
    use super::names_official;

    #[test]
    fn an_official_lens_is_named_by_its_alias_or_an_arn_without_an_account() {
        assert!(names_official("serverless", "serverless"));
        assert!(names_official(
            "arn:aws:wellarchitected:us-east-1::lens/serverless",
            "serverless"
        ));
        assert!(names_official(
            "arn:aws:wellarchitected::aws:lens/wellarchitected",
            "wellarchitected"
        ));
        assert!(!names_official(
            "arn:aws:wellarchitected:us-east-1:123456789012:lens/serverless",
            "serverless"
        ));
        assert!(!names_official(
            "arn:aws:wellarchitected:us-east-1::lens/serverlessx",
            "serverless"
        ));
        assert!(!names_official(
            "arn:aws:s3:::lens/serverless",
            "serverless"
        ));
    }
}
