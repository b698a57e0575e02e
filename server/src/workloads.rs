//! Workloads behind the workload pages: the list, one workload with its shares and audit
//! history, the New workload form, and sharing (create, change the permission, revoke).

use std::sync::Arc;

use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    ids::HexId,
    principal::{self, PrincipalKind},
    services::{BoxFuture, Workloads},
    workloads::{NewWorkload, Permission, WorkloadDetail, WorkloadRow, WorkloadShare},
};

use crate::{
    audit::{Actor, AuditLog},
    gateway::{Change, ErrorKind, FormToken, Gateway, every_page},
    timestamp,
};

pub struct LiveWorkloads {
    pub gateway: Gateway,
    pub audit: Arc<AuditLog>,
}

/// The lens every new workload starts with; others are added in the AWS console.
const DEFAULT_LENS: &str = "wellarchitected";

impl Workloads for LiveWorkloads {
    fn list(&self, search: String) -> BoxFuture<'_, Result<Vec<WorkloadRow>, AppError>> {
        Box::pin(self.rows(search))
    }

    fn detail(&self, id: HexId) -> BoxFuture<'_, Result<WorkloadDetail, AppError>> {
        Box::pin(self.describe(id))
    }

    fn create(
        &self,
        by: CurrentUser,
        workload: NewWorkload,
    ) -> BoxFuture<'_, Result<String, AppError>> {
        Box::pin(self.create_workload(by, workload))
    }

    fn share(
        &self,
        by: CurrentUser,
        id: HexId,
        principal: String,
        permission: Permission,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let form = FormToken::parse(&token)?;
            let workload = self.gateway.get_workload(id.as_str()).await?;
            let owner = workload
                .workload()
                .and_then(|w| w.owner())
                .unwrap_or_default();
            let principal = principal.trim();
            match principal::parse(principal) {
                Err(why) => return Err(AppError::invalid_field("principal", why)),
                Ok(PrincipalKind::IamRole | PrincipalKind::IamUser) => {
                    return Err(AppError::invalid_field(
                        "principal",
                        "Workloads are shared with accounts, organizations or OUs; IAM roles and users cannot be given a workload.",
                    ));
                }
                Ok(PrincipalKind::Account) if principal == owner => {
                    return Err(AppError::invalid_field(
                        "principal",
                        "That is the account that owns the workload; share it with another one.",
                    ));
                }
                Ok(_) => {}
            }
            let change = Change::CreateWorkloadShare {
                workload_id: id.clone(),
                shared_with: principal.to_owned(),
                permission_type: permission,
            };
            match self
                .gateway
                .apply_once(&Actor::from(&by), change, form.as_ref())
                .await
            {
                Ok(applied) => {
                    if let Some(share_id) = applied.response["ShareId"].as_str() {
                        crate::shares::record(
                            self.audit.database(),
                            share_id,
                            id.as_str(),
                            principal,
                            &by.username,
                            &applied.operation_id,
                        )
                        .await;
                    }
                    Ok(())
                }
                Err(error) if error.kind == ErrorKind::Conflict => Err(AppError::invalid_field(
                    "principal",
                    format!(
                        "The workload is already shared with {principal}; change its permission in the table above instead."
                    ),
                )),
                Err(error) => Err(error.into()),
            }
        })
    }

    fn update(
        &self,
        by: CurrentUser,
        workload_id: HexId,
        share_id: HexId,
        permission: Permission,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let change = Change::UpdateWorkloadShare {
                workload_id,
                share_id,
                permission_type: permission,
            };
            self.gateway.apply(&Actor::from(&by), change).await?;
            Ok(())
        })
    }

    fn revoke(
        &self,
        by: CurrentUser,
        workload_id: HexId,
        share_id: HexId,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            let change = Change::DeleteWorkloadShare {
                workload_id,
                share_id,
            };
            let form = FormToken::parse(&token)?;
            self.gateway
                .apply_once(&Actor::from(&by), change, form.as_ref())
                .await?;
            Ok(())
        })
    }
}

impl LiveWorkloads {
    async fn rows(&self, search: String) -> Result<Vec<WorkloadRow>, AppError> {
        let search = search.trim();
        if search.chars().count() > 100 {
            return Err(AppError::Invalid(
                "Workload names have at most 100 characters; shorten the search.".into(),
            ));
        }
        let prefix = (!search.is_empty()).then(|| search.to_owned());
        let workloads = every_page(
            |token| self.gateway.list_workloads(prefix.clone(), token),
            |page| (page.workload_summaries.unwrap_or_default(), page.next_token),
        )
        .await?;
        Ok(workloads
            .iter()
            .map(|w| WorkloadRow {
                id: w.workload_id().unwrap_or_default().to_owned(),
                name: w.workload_name().unwrap_or_default().to_owned(),
                owner: w.owner().unwrap_or_default().to_owned(),
                lenses: w.lenses().to_vec(),
                updated_at: w
                    .updated_at()
                    .and_then(timestamp::from_aws)
                    .map(timestamp::format),
            })
            .collect())
    }

    async fn describe(&self, id: HexId) -> Result<WorkloadDetail, AppError> {
        let got = self.gateway.get_workload(id.as_str()).await?;
        let workload = got.workload().ok_or_else(|| {
            AppError::Invalid(format!("No workload {id} is visible to this account."))
        })?;
        let shares = self.shares(&id).await?;
        Ok(WorkloadDetail {
            workload: WorkloadRow {
                id: id.to_string(),
                name: workload.workload_name().unwrap_or_default().to_owned(),
                owner: workload.owner().unwrap_or_default().to_owned(),
                lenses: workload.lenses().to_vec(),
                updated_at: workload
                    .updated_at()
                    .and_then(timestamp::from_aws)
                    .map(timestamp::format),
            },
            arn: workload.workload_arn().unwrap_or_default().to_owned(),
            description: workload.description().unwrap_or_default().to_owned(),
            environment: workload
                .environment()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            regions: workload.aws_regions().to_vec(),
            review_owner: workload.review_owner().map(str::to_owned),
            owned: shares.is_some(),
            shares: shares.unwrap_or_default(),
            timeline: self.audit.timeline(id.as_str()).await?,
            form_token: lensgate_app::form_token::fresh(),
        })
    }

    /// The workload's shares; `None` when this account does not own it (only the owner may
    /// list them).
    async fn shares(&self, id: &HexId) -> Result<Option<Vec<WorkloadShare>>, AppError> {
        let since = crate::shares::since(self.audit.database(), id.as_str())
            .await
            .map_err(crate::audit::unreadable)?;
        let shares = match every_page(
            |token| self.gateway.list_workload_shares(id.as_str(), token),
            |page| {
                (
                    page.workload_share_summaries.unwrap_or_default(),
                    page.next_token,
                )
            },
        )
        .await
        {
            Ok(shares) => shares,
            Err(error) if error.kind == ErrorKind::AccessDenied => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        Ok(Some(
            shares
                .iter()
                .map(|share| {
                    let share_id = share.share_id().unwrap_or_default().to_owned();
                    WorkloadShare {
                        since: since.get(&share_id).cloned(),
                        share_id,
                        shared_with: share.shared_with().unwrap_or_default().to_owned(),
                        permission: share
                            .permission_type()
                            .map(|p| p.as_str().to_owned())
                            .unwrap_or_default(),
                        status: share
                            .status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
        ))
    }

    async fn create_workload(
        &self,
        by: CurrentUser,
        workload: NewWorkload,
    ) -> Result<String, AppError> {
        let name = workload.name.trim();
        let description = workload.description.trim();
        let review_owner = workload.review_owner.trim();
        let length = |text: &str| text.chars().count();
        if !(3..=100).contains(&length(name)) {
            return Err(AppError::invalid_field(
                "name",
                "The name needs 3 to 100 characters.",
            ));
        }
        if !(3..=250).contains(&length(description)) {
            return Err(AppError::invalid_field(
                "description",
                "The description needs 3 to 250 characters.",
            ));
        }
        if !review_owner.is_empty() && !(3..=255).contains(&length(review_owner)) {
            return Err(AppError::invalid_field(
                "review_owner",
                "The review owner needs 3 to 255 characters, or leave it empty.",
            ));
        }
        let environment = match workload.environment.as_str() {
            env @ ("PRODUCTION" | "PREPRODUCTION") => env.to_owned(),
            _ => {
                return Err(AppError::invalid_field(
                    "environment",
                    "Choose the environment: production or pre-production.",
                ));
            }
        };
        let regions: Vec<String> = workload
            .regions
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        if regions.is_empty() {
            return Err(AppError::invalid_field(
                "regions",
                "Name at least one AWS Region the workload runs in, such as us-east-1.",
            ));
        }
        if let Some(bad) = regions.iter().find(|r| !is_region(r)) {
            return Err(AppError::invalid_field(
                "regions",
                format!(
                    "“{}” is not an AWS Region name such as us-east-1 or eu-west-3.",
                    bad.chars().take(40).collect::<String>()
                ),
            ));
        }
        let form = FormToken::parse(&workload.token)?;
        let change = Change::CreateWorkload {
            workload_name: name.to_owned(),
            description: description.to_owned(),
            environment,
            lenses: vec![DEFAULT_LENS.to_owned()],
            aws_regions: regions,
            review_owner: (!review_owner.is_empty()).then(|| review_owner.to_owned()),
        };
        let applied = match self
            .gateway
            .apply_once(&Actor::from(&by), change, form.as_ref())
            .await
        {
            Ok(applied) => applied,
            Err(error) if error.kind == ErrorKind::Conflict => {
                return Err(AppError::invalid_field(
                    "name",
                    format!(
                        "A workload named {name} already exists (AWS ignores case and spaces); choose another name."
                    ),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        Ok(Change::created(&applied.response))
    }
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`: letters, a dash, letters and dashes, a digit.
fn is_region(text: &str) -> bool {
    let mut parts = text.split('-');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && rest.len() >= 2
        && rest
            .last()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && rest[..rest.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::is_region;

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-4",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "US-EAST-1",
            "us-east-1a",
            "<b>-x-1",
            "us--1",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
