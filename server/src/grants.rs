//! License Manager grants behind the grant pages: the grants this account distributed and
//! received, one grant's versions, and creating a version from the form, refused as stale when
//! someone else created one since the form was opened.

use std::{collections::BTreeSet, sync::Arc};

use aws_sdk_licensemanager::types::Grant;
use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    grants::{
        ALLOWED_OPERATIONS, Direction, GRANTOR_STATUSES, GrantDetail, GrantFilter, GrantList,
        GrantRow, GrantVersion, MAX_STATUS_REASON, NewGrantVersion,
    },
    services::{BoxFuture, Grants},
};
use serde_json::Value;

use crate::{
    audit::{Actor, AuditLog, Phase},
    gateway::{Change, FormToken, Gateway, every_page},
    ids::GrantArn,
};

pub struct LiveGrants {
    pub gateway: Gateway,
    pub audit: Arc<AuditLog>,
}

/// How many of a grant's audit events are searched for the versions lensgate created.
const HISTORY_DEPTH: i64 = 1_000;

/// A grant name's length in characters; the model sets none, the console allows this much.
const MAX_GRANT_NAME: usize = 150;

impl Grants for LiveGrants {
    fn list(&self, filter: GrantFilter) -> BoxFuture<'_, Result<GrantList, AppError>> {
        Box::pin(self.filtered(filter))
    }

    fn detail(&self, arn: String) -> BoxFuture<'_, Result<GrantDetail, AppError>> {
        Box::pin(async move { self.describe(GrantArn::parse(&arn)?).await })
    }

    fn create_version(
        &self,
        by: CurrentUser,
        version: NewGrantVersion,
    ) -> BoxFuture<'_, Result<String, AppError>> {
        Box::pin(self.new_version(by, version))
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
        let mut versions = self.created_versions(&arn).await?;
        match versions.iter_mut().find(|v| v.version == grant.version) {
            Some(same) => same.current = true,
            None => versions.push(GrantVersion {
                version: grant.version.clone(),
                name: grant.name.clone(),
                status: grant.status.clone(),
                status_reason: grant.status_reason.clone(),
                operations: grant.operations.clone(),
                by: None,
                at: None,
                current: true,
            }),
        }
        versions.sort_by_key(|v| std::cmp::Reverse(v.version.parse::<u64>().unwrap_or(0)));
        Ok(GrantDetail {
            grant,
            versions,
            timeline: self.audit.timeline(arn.as_str()).await?,
            form_token: lensgate_app::form_token::fresh(),
        })
    }

    /// The versions lensgate created, from the audit history: what was asked (the request) and
    /// what AWS answered (the version number and status).
    async fn created_versions(&self, arn: &GrantArn) -> Result<Vec<GrantVersion>, AppError> {
        let events = self
            .audit
            .for_target(arn.as_str(), HISTORY_DEPTH)
            .await
            .map_err(crate::audit::unreadable)?;
        let mut versions = Vec::new();
        for done in events
            .iter()
            .filter(|e| e.action == "CreateGrantVersion" && e.phase == Phase::Succeeded.as_str())
        {
            let response: Value = done
                .response
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or(Value::Null);
            let Some(requested) = events.iter().find(|e| {
                e.operation_id == done.operation_id && e.phase == Phase::Requested.as_str()
            }) else {
                continue;
            };
            let Ok(Change::CreateGrantVersion {
                grant_name,
                allowed_operations,
                status_reason,
                ..
            }) = serde_json::from_str::<Change>(&requested.request)
            else {
                continue;
            };
            versions.push(GrantVersion {
                version: response["Version"].as_str().unwrap_or_default().to_owned(),
                name: grant_name.unwrap_or_default(),
                status: response["Status"].as_str().unwrap_or_default().to_owned(),
                status_reason,
                operations: allowed_operations.unwrap_or_default(),
                by: Some(done.actor.clone()),
                at: Some(done.occurred_at.clone()),
                current: false,
            });
        }
        Ok(versions)
    }

    async fn new_version(
        &self,
        by: CurrentUser,
        form: NewGrantVersion,
    ) -> Result<String, AppError> {
        let arn = GrantArn::parse(&form.grant_arn)?;
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
            Ok(applied) => Ok(applied.response["Version"]
                .as_str()
                .unwrap_or_default()
                .to_owned()),
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
        return Err(AppError::Invalid(format!(
            "The grant name needs 1 to {MAX_GRANT_NAME} characters."
        )));
    }
    if form.operations.is_empty() {
        return Err(AppError::Invalid("Allow at least one operation.".into()));
    }
    let mut operations = Vec::with_capacity(form.operations.len());
    for op in &form.operations {
        if !ALLOWED_OPERATIONS.contains(&op.as_str()) {
            return Err(AppError::Invalid(format!(
                "“{}” is not an operation a grant can allow.",
                op.chars().take(60).collect::<String>()
            )));
        }
        if !operations.contains(op) {
            operations.push(op.clone());
        }
    }
    let status = match form.status.trim() {
        "" => None,
        status if GRANTOR_STATUSES.contains(&status) => Some(status.to_owned()),
        _ => {
            return Err(AppError::Invalid(format!(
                "A grantor can set the status to {} only, or keep the current one.",
                GRANTOR_STATUSES.join(" or ")
            )));
        }
    };
    let reason = form.status_reason.trim();
    if reason.chars().count() > MAX_STATUS_REASON {
        return Err(AppError::Invalid(format!(
            "The status reason has {} characters; the limit is {MAX_STATUS_REASON}.",
            reason.chars().count()
        )));
    }
    let source = form.source_version.trim();
    if source.is_empty() || !source.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::Invalid(
            "The source version is missing; reload the page to start from the current version."
                .into(),
        ));
    }
    Ok(Change::CreateGrantVersion {
        grant_arn: arn.to_string(),
        grant_name: Some(name.to_owned()),
        allowed_operations: Some(operations),
        status,
        status_reason: (!reason.is_empty()).then(|| reason.to_owned()),
        source_version: Some(source.to_owned()),
    })
}

fn stale(current: &Grant) -> AppError {
    let operations: Vec<&str> = current
        .granted_operations()
        .iter()
        .map(|op| op.as_str())
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
