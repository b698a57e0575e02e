//! Well-Architected workloads and their shares as the pages see them, and the server functions
//! that list, describe, create and share them. The server does the work behind the
//! [`crate::services::Workloads`] port.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{audit_browser::AuditRow, error::AppError, href::encode_query};

/// What a workload share lets the other account do. Serialised by AWS's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Permission {
    ReadOnly,
    Contributor,
}

impl Permission {
    pub const ALL: [Permission; 2] = [Permission::ReadOnly, Permission::Contributor];

    /// AWS's name, as the form and the API carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ReadOnly => "READONLY",
            Permission::Contributor => "CONTRIBUTOR",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::ReadOnly => "Read-only",
            Permission::Contributor => "Contributor",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Permission::ReadOnly => {
                "sees the workload, its answers and its reports; changes nothing."
            }
            Permission::Contributor => {
                "also answers questions, adds notes and records milestones; cannot share or delete the workload."
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRow {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub lenses: Vec<String>,
    /// RFC 3339, when AWS last changed the workload.
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadShare {
    pub share_id: String,
    pub shared_with: String,
    pub permission: String,
    pub status: String,
    /// When lensgate created the share; `None` for shares made elsewhere.
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadDetail {
    pub workload: WorkloadRow,
    pub arn: String,
    pub description: String,
    pub environment: String,
    pub regions: Vec<String>,
    pub review_owner: Option<String>,
    /// Only the owner sees and changes the shares.
    pub owned: bool,
    pub shares: Vec<WorkloadShare>,
    pub timeline: Vec<AuditRow>,
    /// Sent back by the page's forms so a resubmission is not a second change.
    pub form_token: String,
}

/// What the New workload form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWorkload {
    pub name: String,
    pub description: String,
    pub environment: String,
    /// AWS Regions, comma- or space-separated.
    pub regions: String,
    pub review_owner: String,
    #[serde(default)]
    pub token: String,
}

/// Workloads visible to the account whose name starts with `search` (AWS matches prefixes,
/// ignoring case).
#[server(prefix = "/api", endpoint = "workloads")]
pub async fn list_workloads(search: String) -> Result<Vec<WorkloadRow>, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .workloads
        .list(search)
        .await
}

#[server(prefix = "/api", endpoint = "workloads/detail")]
pub async fn get_workload_detail(id: String) -> Result<WorkloadDetail, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .workloads
        .detail(crate::ids::HexId::parse(&id, "workload id")?)
        .await
}

/// Creates a workload; returns its id.
#[server(prefix = "/api", endpoint = "workloads/create")]
pub async fn create_workload(workload: NewWorkload) -> Result<String, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Admin)?;
    let id = crate::services::Services::current()?
        .workloads
        .create(user, workload)
        .await?;
    crate::auth::ssr::redirect_plain_form(&workload_href(&id));
    Ok(id)
}

#[cfg(feature = "ssr")]
fn permission_of(text: &str) -> Result<Permission, AppError> {
    Permission::parse(text.trim()).ok_or_else(|| {
        AppError::invalid_field(
            "permission",
            "Choose the permission: READONLY or CONTRIBUTOR.",
        )
    })
}

#[server(prefix = "/api", endpoint = "workloads/share")]
pub async fn share_workload(
    workload_id: String,
    principal: String,
    permission: String,
    #[server(default)] token: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .workloads
        .share(
            user,
            crate::ids::HexId::parse(&workload_id, "workload id")?,
            principal,
            permission_of(&permission)?,
            token,
        )
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Shared {
        shared: 1,
        already: 0,
        refused: 0,
    });
    Ok(())
}

#[server(prefix = "/api", endpoint = "workloads/permission")]
pub async fn update_workload_share(
    workload_id: String,
    share_id: String,
    permission: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .workloads
        .update(
            user,
            crate::ids::HexId::parse(&workload_id, "workload id")?,
            crate::ids::HexId::parse(&share_id, "share id")?,
            permission_of(&permission)?,
        )
        .await
}

#[server(prefix = "/api", endpoint = "workloads/unshare")]
pub async fn revoke_workload_share(
    workload_id: String,
    share_id: String,
    #[server(default)] token: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .workloads
        .revoke(
            user,
            crate::ids::HexId::parse(&workload_id, "workload id")?,
            crate::ids::HexId::parse(&share_id, "share id")?,
            token,
        )
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Revoked);
    Ok(())
}

/// The address of a workload's page.
pub fn workload_href(id: &str) -> String {
    format!("/workloads/detail?id={}", encode_query(id))
}
