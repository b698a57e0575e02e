//! License Manager grants behind the grant pages: the grants this account distributed and
//! received, one grant's versions, and creating a version from the form, refused as stale when
//! someone else created one since the form was opened. AWS keeps every version (GetGrant
//! with Version); lensgate's own table says which it created, by whom.

mod store;

use std::{collections::BTreeSet, sync::Arc};

use aws_sdk_licensemanager::types::Grant;
use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    grants::{
        ALLOWED_OPERATIONS, Direction, GRANTOR_STATUSES, GrantDetail, GrantFilter, GrantList,
        GrantRow, GrantVersion, MAX_GRANT_NAME, MAX_STATUS_REASON, NewGrantVersion,
    },
    ids::GrantArn,
    services::{BoxFuture, Grants},
};

use crate::{
    audit::{Actor, AuditLog},
    gateway::{Change, FormToken, Gateway, every_page},
    timestamp,
};

pub struct LiveGrants {
    pub db: crate::db::Database,
    pub gateway: Gateway,
    pub audit: Arc<AuditLog>,
}

/// How many of a grant's newest versions its page reads from AWS, one GetGrant each.
const VERSIONS_SHOWN: u64 = 20;

impl Grants for LiveGrants {
    fn list(&self, filter: GrantFilter) -> BoxFuture<'_, Result<GrantList, AppError>> {
        Box::pin(self.filtered(filter))
    }

    fn detail(&self, arn: GrantArn) -> BoxFuture<'_, Result<GrantDetail, AppError>> {
        Box::pin(self.describe(arn))
    }

    fn create_version(
        &self,
        by: CurrentUser,
        arn: GrantArn,
        version: NewGrantVersion,
    ) -> BoxFuture<'_, Result<String, AppError>> {
        Box::pin(self.new_version(by, arn, version))
    }
}

fn row(grant: &Grant, direction: Direction) -> GrantRow {
    GrantRow {
        arn: grant.grant_arn().to_owned(),
        name: grant.grant_name().to_owned(),
        license_arn: grant.license_arn().to_owned(),
        grantee: grant.grantee_principal_arn().to_owned(),
        operations: grant
            .granted_operations()
            .iter()
            .map(|op| op.as_str().to_owned())
            .collect(),
        status: grant.grant_status().as_str().to_owned(),
        status_reason: grant.status_reason().map(str::to_owned),
        version: grant.version().to_owned(),
        direction,
    }
}

impl LiveGrants {
    async fn all(&self) -> Result<Vec<GrantRow>, AppError> {
        let distributed = every_page(
            |token| self.gateway.list_distributed_grants(token),
            |page| (page.grants.unwrap_or_default(), page.next_token),
        )
        .await?;
        let received = every_page(
            |token| self.gateway.list_received_grants(token),
            |page| (page.grants.unwrap_or_default(), page.next_token),
        )
        .await?;
        Ok(distributed
            .iter()
            .map(|g| row(g, Direction::Distributed))
            .chain(received.iter().map(|g| row(g, Direction::Received)))
            .collect())
    }

    async fn filtered(&self, filter: GrantFilter) -> Result<GrantList, AppError> {
        let direction = match filter.direction.trim() {
            "" => None,
            text => Some(Direction::parse(text).ok_or_else(|| {
                AppError::Invalid("Show distributed or received grants, or both.".into())
            })?),
        };
        let all = self.all().await?;
        let licenses: BTreeSet<String> = all.iter().map(|g| g.license_arn.clone()).collect();
        let statuses: BTreeSet<String> = all.iter().map(|g| g.status.clone()).collect();
        let (status, license) = (filter.status.trim(), filter.license.trim());
        let grants = all
            .into_iter()
            .filter(|g| direction.is_none_or(|d| g.direction == d))
            .filter(|g| status.is_empty() || g.status == status)
            .filter(|g| license.is_empty() || g.license_arn == license)
            .collect();
        Ok(GrantList {
            grants,
            licenses: licenses.into_iter().collect(),
            statuses: statuses.into_iter().collect(),
        })
    }

    async fn current(&self, arn: &GrantArn) -> Result<Grant, AppError> {
        self.gateway
            .get_grant(arn.as_str(), None)
            .await?
            .grant()
            .cloned()
            .ok_or_else(|| AppError::Invalid(format!("No grant {arn} is visible to this account.")))
    }

    async fn describe(&self, arn: GrantArn) -> Result<GrantDetail, AppError> {
        let current = self.current(&arn).await?;
        let distributed = self
            .all()
            .await?
            .iter()
            .any(|g| g.arn == arn.as_str() && g.direction == Direction::Distributed);
        let grant = row(
            &current,
            if distributed {
                Direction::Distributed
            } else {
                Direction::Received
            },
        );
        let versions = self.versions(&arn, &grant).await?;
        Ok(GrantDetail {
            grant,
            versions,
            timeline: self.audit.timeline(arn.as_str()).await?,
            form_token: lensgate_app::form_token::fresh(),
        })
    }

    /// The grant's newest versions as AWS keeps them, newest first, each with who created it
    /// when lensgate did. A version AWS no longer returns is left out rather than failing the
    /// page.
    async fn versions(
        &self,
        arn: &GrantArn,
        current: &GrantRow,
    ) -> Result<Vec<GrantVersion>, AppError> {
        let created = store::created(&self.db, arn.as_str())
            .await
            .map_err(database)?;
        let newest: u64 = current.version.parse().unwrap_or(1);
        let oldest = newest.saturating_sub(VERSIONS_SHOWN - 1).max(1);
        let older = (oldest..newest).rev().map(|number| async move {
            let version = number.to_string();
            match self.gateway.get_grant(arn.as_str(), Some(version)).await {
                Ok(answer) => answer.grant().map(|g| row(g, current.direction)),
                Err(error) => {
                    tracing::warn!(%error, grant = %arn, number, "an earlier grant version could not be read");
                    None
                }
            }
        });
        let earlier = futures_util::future::join_all(older).await;
        Ok(std::iter::once(Some(current.clone()))
            .chain(earlier)
            .flatten()
            .map(|version| {
                let made = created.iter().find(|c| c.version == version.version);
                GrantVersion {
                    current: version.version == current.version,
                    by: made.map(|c| c.created_by.clone()),
                    at: made.map(|c| c.created_at.clone()),
                    version: version.version,
                    name: version.name,
                    status: version.status,
                    status_reason: version.status_reason,
                    operations: version.operations,
                }
            })
            .collect())
    }

    async fn new_version(
        &self,
        by: CurrentUser,
        arn: GrantArn,
        form: NewGrantVersion,
    ) -> Result<String, AppError> {
        let change = checked(&arn, &form)?;
        let token = FormToken::parse(&form.token)?;
        let source = form.source_version.trim().to_owned();
        let current = self.current(&arn).await?;
        if current.version() != source {
            return Err(stale(&current));
        }
        match self
            .gateway
            .apply_once(&Actor::from(&by), change, token.as_ref())
            .await
        {
            Ok(applied) => {
                let version = applied.response["Version"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                // AWS has the version whatever happens here; without this row the page shows
                // it as made outside lensgate, and the audit history still names its author.
                if let Err(error) = store::record(
                    &self.db,
                    &store::NewVersion {
                        grant_arn: arn.as_str(),
                        version: &version,
                        created_by: &by.username,
                        created_at: &timestamp::now(),
                        operation_id: &applied.operation_id,
                    },
                )
                .await
                {
                    tracing::error!(%error, grant = %arn, %version, "the grant version could not be recorded");
                }
                Ok(version)
            }
            Err(error) => {
                // Someone may have created a version between the check and the call.
                let now = self.current(&arn).await?;
                if now.version() != source {
                    Err(stale(&now))
                } else {
                    Err(error.into())
                }
            }
        }
    }
}

/// The form's values checked against the model, as the change to send.
fn checked(arn: &GrantArn, form: &NewGrantVersion) -> Result<Change, AppError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_GRANT_NAME {
        return Err(AppError::invalid_field(
            "name",
            format!("The grant name needs 1 to {MAX_GRANT_NAME} characters."),
        ));
    }
    if form.operations.is_empty() {
        return Err(AppError::invalid_field(
            "operations",
            "Allow at least one operation.",
        ));
    }
    let mut operations = Vec::with_capacity(form.operations.len());
    for op in &form.operations {
        if !ALLOWED_OPERATIONS.contains(&op.as_str()) {
            return Err(AppError::invalid_field(
                "operations",
                format!(
                    "“{}” is not an operation a grant can allow.",
                    op.chars().take(60).collect::<String>()
                ),
            ));
        }
        if !operations.contains(op) {
            operations.push(op.clone());
        }
    }
    let status = match form.status.trim() {
        "" => None,
        status if GRANTOR_STATUSES.contains(&status) => Some(status.to_owned()),
        _ => {
            return Err(AppError::invalid_field(
                "status",
                format!(
                    "A grantor can set the status to {} only, or keep the current one.",
                    GRANTOR_STATUSES.join(" or ")
                ),
            ));
        }
    };
    let reason = form.status_reason.trim();
    if reason.chars().count() > MAX_STATUS_REASON {
        return Err(AppError::invalid_field(
            "status_reason",
            format!(
                "The status reason has {} characters; the limit is {MAX_STATUS_REASON}.",
                reason.chars().count()
            ),
        ));
    }
    let source = form.source_version.trim();
    if source.is_empty() || !source.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::Invalid(
            "The source version is missing; reload the page to start from the current version."
                .into(),
        ));
    }
    Ok(Change::CreateGrantVersion {
        grant_arn: arn.clone(),
        grant_name: Some(name.to_owned()),
        allowed_operations: Some(operations),
        status,
        status_reason: (!reason.is_empty()).then(|| reason.to_owned()),
        source_version: Some(source.to_owned()),
    })
}

fn database(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "grant store");
    AppError::Unavailable("The grant store".to_owned())
}

fn stale(current: &Grant) -> AppError {
    let operations: Vec<&str> = current
        .granted_operations()
        .iter()
        .map(aws_sdk_licensemanager::types::AllowedOperation::as_str)
        .collect();
    AppError::Stale {
        message: format!(
            "Someone created version {} of this grant after you opened the form: it is now named “{}”, status {}, allowing {}. Your changes were not applied; apply them again on version {}.",
            current.version(),
            current.grant_name(),
            current.grant_status().as_str(),
            operations.join(", "),
            current.version()
        ),
        current: current.version().to_owned(),
    }
}
