//! Sharing a lens with a pasted list of principals, one audited CreateLensShare per valid entry,
//! and revoking a share.

use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    ids::HexId,
    lens_catalog::LensKind,
    lens_shares::{ShareOutcome, ShareResult},
    principal,
};

use super::{LensArn, LiveLenses};
use crate::{
    audit::Actor,
    gateway::{Change, ErrorKind, FormToken},
};

impl LiveLenses {
    pub(super) async fn share_lens(
        &self,
        by: CurrentUser,
        arn: LensArn,
        principals: String,
        token: String,
    ) -> Result<Vec<ShareResult>, AppError> {
        let form = FormToken::parse(&token)?;
        let (lens, _) = self.visible(&arn).await?;
        let refusal = match lens.kind {
            LensKind::Aws => {
                Some("AWS official lenses cannot be shared; share a custom lens instead.")
            }
            LensKind::Shared => Some("Only the account that owns this lens can share it."),
            LensKind::Owned if lens.latest_version.is_none() => Some(
                "This lens has only a draft: AWS shares published lenses, so publish a version first.",
            ),
            LensKind::Owned => None,
        };
        if let Some(why) = refusal {
            return Err(AppError::Invalid(why.to_owned()));
        }
        let entries = principal::parse_list(&principals, arn.account());
        if entries.is_empty() {
            return Err(AppError::invalid_field(
                "principals",
                "List at least one account id, IAM role or user ARN, organization or OU.",
            ));
        }
        let mut results = Vec::with_capacity(entries.len());
        for entry in entries {
            let outcome = match &entry.verdict {
                Err(why) => ShareOutcome::NotSent(why.clone()),
                Ok(_) => {
                    let change = Change::CreateLensShare {
                        lens_alias: arn.clone(),
                        shared_with: entry.text.clone(),
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
                                    arn.as_str(),
                                    &entry.text,
                                    &by.username,
                                    &applied.operation_id,
                                )
                                .await;
                            }
                            ShareOutcome::Shared
                        }
                        Err(error) if error.kind == ErrorKind::Conflict => {
                            ShareOutcome::AlreadyShared
                        }
                        Err(error) => ShareOutcome::Refused(error.user_message),
                    }
                }
            };
            results.push(ShareResult {
                principal: entry.text,
                kind: entry.verdict.ok(),
                outcome,
            });
        }
        Ok(results)
    }

    pub(super) async fn revoke_share(
        &self,
        by: CurrentUser,
        arn: LensArn,
        share_id: HexId,
        token: String,
    ) -> Result<(), AppError> {
        let form = FormToken::parse(&token)?;
        self.gateway
            .apply_once(
                &Actor::from(&by),
                Change::DeleteLensShare {
                    lens_alias: arn.clone(),
                    share_id,
                },
                form.as_ref(),
            )
            .await
            .map(|_| ())
            .map_err(AppError::from)
    }
}
