//! Lenses as the pages see them, and the server functions that list, describe and import them.
//! The server implements the work behind the [`crate::services::LensCatalog`] port.

use lensgate_lens::Format;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, href::encode_query};

/// Who a lens belongs to, as ListLenses says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LensKind {
    /// A custom lens this account owns.
    Owned,
    /// A custom lens another account shared with this one.
    Shared,
    /// An AWS official lens.
    Aws,
}

impl LensKind {
    pub const ALL: [LensKind; 3] = [LensKind::Owned, LensKind::Shared, LensKind::Aws];

    /// The value the lens list's filter carries in its URL.
    pub fn as_str(self) -> &'static str {
        match self {
            LensKind::Owned => "owned",
            LensKind::Shared => "shared",
            LensKind::Aws => "aws",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            LensKind::Owned => "Custom, owned",
            LensKind::Shared => "Shared with us",
            LensKind::Aws => "AWS official",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensRow {
    pub arn: String,
    pub name: String,
    pub description: String,
    pub kind: LensKind,
    /// The newest published version; `None` while the lens is a draft only.
    pub latest_version: Option<String>,
    pub owner: String,
    /// RFC 3339, when AWS last changed the lens.
    pub updated_at: Option<String>,
}

impl LensRow {
    pub fn status(&self) -> &'static str {
        if self.latest_version.is_some() {
            "Published"
        } else {
            "Draft"
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensShare {
    pub share_id: String,
    pub shared_with: String,
    pub status: String,
    /// When lensgate created the share; `None` for shares made elsewhere.
    pub since: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensDetail {
    pub lens: LensRow,
    pub tags: Vec<(String, String)>,
    pub shares: Vec<LensShare>,
    /// Why the shares could not be listed (an AWS official lens has none to list).
    pub shares_note: Option<String>,
    pub timeline: Vec<crate::audit_browser::AuditRow>,
    /// Sent back by the page's forms so a resubmission is not a second change.
    pub form_token: String,
}

/// What the lens form sends: the JSON, the lens it updates (empty for a new lens) and tags
/// written one `key=value` per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub json: String,
    pub lens_arn: String,
    pub tags: String,
    /// The form's token: the same form sent twice imports once.
    #[serde(default)]
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub lens_arn: String,
    /// The audit operation of the import.
    pub operation_id: String,
    pub warnings: usize,
}

#[server(prefix = "/api", endpoint = "lenses")]
pub async fn list_lenses() -> Result<Vec<LensRow>, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?.lenses.list().await
}

#[server(prefix = "/api", endpoint = "lenses/detail")]
pub async fn get_lens_detail(arn: String) -> Result<LensDetail, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .lenses
        .detail(crate::ids::LensArn::parse(&arn)?)
        .await
}

/// Imports the lens after validating it again on the server: the browser's verdict is never
/// trusted.
#[server(prefix = "/api", endpoint = "lenses/import")]
pub async fn import_lens(request: ImportRequest) -> Result<Imported, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .lenses
        .import(user, request)
        .await
}

/// The address of a lens's page.
pub fn detail_href(arn: &str) -> String {
    format!("/lenses/detail?arn={}", encode_query(arn))
}

/// The address that downloads a version (`None`: the draft) as JSON or YAML.
pub fn export_href(arn: &str, version: Option<&str>, format: Format) -> String {
    let mut href = format!("/lenses/export?arn={}", encode_query(arn));
    if let Some(version) = version {
        href.push_str(&format!("&version={}", encode_query(version)));
    }
    if format == Format::Yaml {
        href.push_str("&format=yaml");
    }
    href
}

/// The address of a version's questionnaire (`None`: the draft): `xlsx`, `csv`, or `print`
/// for the page to print.
pub fn questionnaire_href(arn: &str, version: Option<&str>, format: &str) -> String {
    let mut href = format!("/lenses/questionnaire?arn={}", encode_query(arn));
    if let Some(version) = version {
        href.push_str(&format!("&version={}", encode_query(version)));
    }
    href.push_str(&format!("&format={format}"));
    href
}

/// The server's answer to the lens form posted without JavaScript, provided as context while it
/// renders the editor again.
#[derive(Clone, Debug, Default)]
pub struct LensFormEcho {
    pub request: ImportRequest,
    pub report: lensgate_lens::Report,
    pub error: Option<AppError>,
}
