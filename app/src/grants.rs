//! License Manager grants as the pages see them: the grants this account distributed and
//! received, one grant's versions, and the New version form. The server does the work behind
//! the [`crate::services::Grants`] port.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{audit_browser::AuditRow, error::AppError, href::encode_query};

/// The model's AllowedOperation values, in its order.
pub const ALLOWED_OPERATIONS: [&str; 8] = [
    "CreateGrant",
    "CheckoutLicense",
    "CheckoutBorrowLicense",
    "CheckInLicense",
    "ExtendConsumptionLicense",
    "ListPurchasedLicenses",
    "CreateToken",
    "ListReceivedLicenses",
];

/// The statuses a grantor may set in a new version; the others are AWS's or the grantee's.
pub const GRANTOR_STATUSES: [&str; 2] = ["ACTIVE", "DISABLED"];

/// A grant name's length in characters; the model sets none, the console allows this much.
pub const MAX_GRANT_NAME: usize = 150;

/// The status reason's limit in the model (StatusReasonMessage).
pub const MAX_STATUS_REASON: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// This account is the grantor.
    Distributed,
    /// This account is the grantee.
    Received,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Distributed => "distributed",
            Direction::Received => "received",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Direction::Distributed, Direction::Received]
            .into_iter()
            .find(|d| d.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Distributed => "Distributed",
            Direction::Received => "Received",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRow {
    pub arn: String,
    pub name: String,
    pub license_arn: String,
    pub grantee: String,
    pub operations: Vec<String>,
    pub status: String,
    pub status_reason: Option<String>,
    pub version: String,
    pub direction: Direction,
}

/// The filters of the grant list, as its URL carries them; empty means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantFilter {
    pub direction: String,
    pub status: String,
    pub license: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantList {
    pub grants: Vec<GrantRow>,
    /// Every license of the unfiltered list, for the filter's choices.
    pub licenses: Vec<String>,
    pub statuses: Vec<String>,
}

/// One version of a grant, as AWS keeps it, with who created it when lensgate did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantVersion {
    pub version: String,
    pub name: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub operations: Vec<String>,
    /// Who created it through lensgate, and when; `None` for versions made elsewhere.
    pub by: Option<String>,
    pub at: Option<String>,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantDetail {
    pub grant: GrantRow,
    /// Newest first.
    pub versions: Vec<GrantVersion>,
    pub timeline: Vec<AuditRow>,
    pub form_token: String,
}

/// What the New version form sends; a field left out is empty (no operation checked, the
/// status kept).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewGrantVersion {
    pub grant_arn: String,
    pub name: String,
    pub operations: Vec<String>,
    pub status: String,
    pub status_reason: String,
    /// The version the user started from; another one meanwhile is a conflict.
    pub source_version: String,
    pub token: String,
}

#[server(prefix = "/api", endpoint = "grants")]
pub async fn list_grants(filter: GrantFilter) -> Result<GrantList, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .grants
        .list(filter)
        .await
}

#[server(prefix = "/api", endpoint = "grants/detail")]
pub async fn get_grant_detail(arn: String) -> Result<GrantDetail, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .grants
        .detail(crate::ids::GrantArn::parse(&arn)?)
        .await
}

/// Creates a version of a grant this account distributed; returns the new version.
#[server(prefix = "/api", endpoint = "grants/version")]
pub async fn create_grant_version(version: NewGrantVersion) -> Result<String, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .grants
        .create_version(
            user,
            crate::ids::GrantArn::parse(&version.grant_arn)?,
            version,
        )
        .await
}

/// The address of a grant's page.
pub fn grant_href(arn: &str) -> String {
    format!("/grants/detail?arn={}", encode_query(arn))
}
