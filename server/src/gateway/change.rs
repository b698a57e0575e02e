//! The changes lensgate makes in AWS, as data: what the audit history stores as the request
//! and what a retry or a recovery sends again, with the same idempotency token.

use std::collections::BTreeMap;

use aws_sdk_licensemanager::{
    operation::RequestId as _, types::AllowedOperation, types::GrantStatus,
};
use aws_sdk_wellarchitected::types::{PermissionType, ShareInvitationAction, WorkloadEnvironment};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use lensgate_app::{
    ids::{GrantArn, HexId, LensArn},
    invitations::Answer as InvitationAnswer,
    workloads::Permission,
};

use super::{attempts::AttemptCounter, error::Failure};
use crate::aws::AwsClients;

/// Ids and enums keep their parsed types: each serialises as the string AWS takes, so the
/// audit history's request is what was sent, and a recovered change is checked again as it is
/// read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "operation")]
pub enum Change {
    ImportLens {
        lens_alias: Option<LensArn>,
        json_string: String,
        tags: BTreeMap<String, String>,
    },
    CreateLensVersion {
        lens_alias: LensArn,
        lens_version: String,
        is_major_version: bool,
    },
    CreateLensShare {
        lens_alias: LensArn,
        shared_with: String,
    },
    CreateWorkload {
        workload_name: String,
        description: String,
        environment: String,
        lenses: Vec<String>,
        aws_regions: Vec<String>,
        review_owner: Option<String>,
    },
    UpdateShareInvitation {
        share_invitation_id: HexId,
        share_invitation_action: InvitationAnswer,
        /// The lens ARN or workload id the invitation is for: the audit target. Not sent.
        resource: String,
    },
    DeleteLensShare {
        lens_alias: LensArn,
        share_id: HexId,
    },
    CreateWorkloadShare {
        workload_id: HexId,
        shared_with: String,
        permission_type: Permission,
    },
    UpdateWorkloadShare {
        workload_id: HexId,
        share_id: HexId,
        permission_type: Permission,
    },
    DeleteWorkloadShare {
        workload_id: HexId,
        share_id: HexId,
    },
    CreateGrantVersion {
        grant_arn: GrantArn,
        grant_name: Option<String>,
        allowed_operations: Option<Vec<String>>,
        status: Option<String>,
        status_reason: Option<String>,
        source_version: Option<String>,
    },
}

/// Sends an SDK request with the attempt counter attached; an error becomes a [`Failure`].
macro_rules! sent {
    ($request:expr, $attempts:expr) => {
        $request
            .customize()
            .interceptor($attempts.clone())
            .send()
            .await
            .map_err(|e| Failure::from_sdk(&e))?
    };
}

/// What AWS answered, summarised for the audit history and the page.
#[derive(Debug, Clone)]
pub struct Answer {
    pub response: Value,
    pub request_id: Option<String>,
}

impl Change {
    /// The AWS operation, as the audit history names the action.
    pub fn action(&self) -> &'static str {
        match self {
            Change::ImportLens { .. } => "ImportLens",
            Change::CreateLensVersion { .. } => "CreateLensVersion",
            Change::CreateLensShare { .. } => "CreateLensShare",
            Change::CreateWorkload { .. } => "CreateWorkload",
            Change::UpdateShareInvitation { .. } => "UpdateShareInvitation",
            Change::DeleteLensShare { .. } => "DeleteLensShare",
            Change::CreateWorkloadShare { .. } => "CreateWorkloadShare",
            Change::UpdateWorkloadShare { .. } => "UpdateWorkloadShare",
            Change::DeleteWorkloadShare { .. } => "DeleteWorkloadShare",
            Change::CreateGrantVersion { .. } => "CreateGrantVersion",
        }
    }

    /// The resource changed: a lens ARN, a workload id or a grant ARN. A new lens or workload
    /// has none until AWS names it.
    pub fn target(&self) -> String {
        match self {
            Change::ImportLens { lens_alias, .. } => lens_alias
                .as_ref()
                .map(LensArn::to_string)
                .unwrap_or_default(),
            Change::CreateWorkload { .. } => String::new(),
            Change::UpdateShareInvitation { resource, .. } => resource.clone(),
            Change::CreateLensVersion { lens_alias, .. }
            | Change::CreateLensShare { lens_alias, .. }
            | Change::DeleteLensShare { lens_alias, .. } => lens_alias.to_string(),
            Change::CreateWorkloadShare { workload_id, .. }
            | Change::UpdateWorkloadShare { workload_id, .. }
            | Change::DeleteWorkloadShare { workload_id, .. } => workload_id.to_string(),
            Change::CreateGrantVersion { grant_arn, .. } => grant_arn.to_string(),
        }
    }

    /// The resource a creating change named, from AWS's answer.
    pub fn created(response: &Value) -> String {
        ["LensArn", "WorkloadId"]
            .iter()
            .find_map(|key| response[key].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the operation takes an idempotency token. UpdateWorkloadShare and
    /// UpdateShareInvitation have none: they set a value, so repeating them is harmless.
    pub fn takes_token(&self) -> bool {
        !matches!(
            self,
            Change::UpdateWorkloadShare { .. } | Change::UpdateShareInvitation { .. }
        )
    }

    pub async fn send(
        &self,
        aws: &AwsClients,
        token: &str,
        attempts: &AttemptCounter,
    ) -> Result<Answer, Failure> {
        let wa = &aws.wellarchitected;
        match self {
            Change::ImportLens {
                lens_alias,
                json_string,
                tags,
            } => {
                let out = sent!(
                    wa.import_lens()
                        .set_lens_alias(lens_alias.as_ref().map(LensArn::to_string))
                        .json_string(json_string)
                        .set_tags((!tags.is_empty()).then(|| tags.clone().into_iter().collect()))
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({ "LensArn": out.lens_arn(), "Status": out.status().map(aws_sdk_wellarchitected::types::ImportLensStatus::as_str) }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::CreateLensVersion {
                lens_alias,
                lens_version,
                is_major_version,
            } => {
                let out = sent!(
                    wa.create_lens_version()
                        .lens_alias(lens_alias.as_str())
                        .lens_version(lens_version)
                        .is_major_version(*is_major_version)
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({ "LensArn": out.lens_arn(), "LensVersion": out.lens_version() }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::CreateLensShare {
                lens_alias,
                shared_with,
            } => {
                let out = sent!(
                    wa.create_lens_share()
                        .lens_alias(lens_alias.as_str())
                        .shared_with(shared_with)
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({ "ShareId": out.share_id() }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::CreateWorkload {
                workload_name,
                description,
                environment,
                lenses,
                aws_regions,
                review_owner,
            } => {
                let out = sent!(
                    wa.create_workload()
                        .workload_name(workload_name)
                        .description(description)
                        .environment(WorkloadEnvironment::from(environment.as_str()))
                        .set_lenses(Some(lenses.clone()))
                        .set_aws_regions(Some(aws_regions.clone()))
                        .set_review_owner(review_owner.clone())
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({ "WorkloadId": out.workload_id(), "WorkloadArn": out.workload_arn() }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::UpdateShareInvitation {
                share_invitation_id,
                share_invitation_action,
                resource: _,
            } => {
                let out = sent!(
                    wa.update_share_invitation()
                        .share_invitation_id(share_invitation_id.as_str())
                        .share_invitation_action(ShareInvitationAction::from(
                            share_invitation_action.as_str()
                        )),
                    attempts
                );
                let invitation = out.share_invitation();
                Ok(Answer {
                    response: json!({
                        "ShareInvitationId": invitation.and_then(|i| i.share_invitation_id()),
                        "ShareResourceType": invitation.and_then(|i| i.share_resource_type()).map(aws_sdk_wellarchitected::types::ShareResourceType::as_str),
                        "LensArn": invitation.and_then(|i| i.lens_arn()),
                        "WorkloadId": invitation.and_then(|i| i.workload_id()),
                    }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::DeleteLensShare {
                lens_alias,
                share_id,
            } => {
                let out = sent!(
                    wa.delete_lens_share()
                        .lens_alias(lens_alias.as_str())
                        .share_id(share_id.as_str())
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({}),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::CreateWorkloadShare {
                workload_id,
                shared_with,
                permission_type,
            } => {
                let out = sent!(
                    wa.create_workload_share()
                        .workload_id(workload_id.as_str())
                        .shared_with(shared_with)
                        .permission_type(PermissionType::from(permission_type.as_str()))
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({ "WorkloadId": out.workload_id(), "ShareId": out.share_id() }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::UpdateWorkloadShare {
                workload_id,
                share_id,
                permission_type,
            } => {
                let out = sent!(
                    wa.update_workload_share()
                        .workload_id(workload_id.as_str())
                        .share_id(share_id.as_str())
                        .permission_type(PermissionType::from(permission_type.as_str())),
                    attempts
                );
                let share = out.workload_share();
                Ok(Answer {
                    response: json!({
                        "WorkloadId": out.workload_id(),
                        "ShareId": share.and_then(|s| s.share_id()),
                        "PermissionType": share.and_then(|s| s.permission_type()).map(aws_sdk_wellarchitected::types::PermissionType::as_str),
                    }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::DeleteWorkloadShare {
                workload_id,
                share_id,
            } => {
                let out = sent!(
                    wa.delete_workload_share()
                        .workload_id(workload_id.as_str())
                        .share_id(share_id.as_str())
                        .client_request_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({}),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
            Change::CreateGrantVersion {
                grant_arn,
                grant_name,
                allowed_operations,
                status,
                status_reason,
                source_version,
            } => {
                let out = sent!(
                    aws.license_manager
                        .create_grant_version()
                        .grant_arn(grant_arn.as_str())
                        .set_grant_name(grant_name.clone())
                        .set_allowed_operations(allowed_operations.as_ref().map(|ops| {
                            ops.iter()
                                .map(|op| AllowedOperation::from(op.as_str()))
                                .collect()
                        }))
                        .set_status(status.as_deref().map(GrantStatus::from))
                        .set_status_reason(status_reason.clone())
                        .set_source_version(source_version.clone())
                        .client_token(token),
                    attempts
                );
                Ok(Answer {
                    response: json!({
                        "GrantArn": out.grant_arn(),
                        "Status": out.status().map(aws_sdk_licensemanager::types::GrantStatus::as_str),
                        "Version": out.version(),
                    }),
                    request_id: out.request_id().map(str::to_owned),
                })
            }
        }
    }
}
