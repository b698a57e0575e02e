//! Sharing a lens with a pasted list of principals, one audited CreateLensShare per valid entry,
//! and revoking a share.

use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    lens_catalog::LensKind,
    lens_shares::{ShareOutcome, ShareResult},
    principal,
};

use super::{LensArn, LiveLenses, actor, aws_error};
use crate::gateway::{Change, ErrorKind};

impl LiveLenses {
    pub(super) async fn share_lens(
        &self,
        by: CurrentUser,
        lens_arn: String,
        principals: String,
    ) -> Result<Vec<ShareResult>, AppError> {
        let arn = LensArn::parse(&lens_arn)?;
        let lens = self
            .rows()
            .await?
            .into_iter()
            .find(|row| row.arn == arn.as_str());
        match lens {
            None => {
                return Err(AppError::Invalid(format!(
                    "No lens {arn} is visible to this account."
                )));
            }
            Some(row) if row.kind == LensKind::Aws => {
                return Err(AppError::Invalid(
                    "AWS official lenses cannot be shared; share a custom lens instead.".into(),
                ));
            }
            Some(row) if row.kind == LensKind::Shared => {
                return Err(AppError::Invalid(
                    "Only the account that owns this lens can share it.".into(),
                ));
            }
            Some(row) if row.latest_version.is_none() => {
                return Err(AppError::Invalid(
                    "This lens has only a draft: AWS shares published lenses, so publish a version first.".into(),
                ));
            }
            Some(_) => {}
        }
        let entries = principal::parse_list(&principals, arn.account());
        if entries.is_empty() {
            return Err(AppError::Invalid(
                "List at least one account id, IAM role or user ARN, organization or OU.".into(),
            ));
        }
        let mut results = Vec::with_capacity(entries.len());
        for entry in entries {
            let outcome = match &entry.verdict {
                Err(why) => ShareOutcome::NotSent(why.clone()),
                Ok(_) => {
                    let change = Change::CreateLensShare {
                        lens_alias: arn.to_string(),
                        shared_with: entry.text.clone(),
                    };
                    match self.gateway.apply(&actor(&by), change).await {
                        Ok(_) => ShareOutcome::Shared,
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
        lens_arn: String,
        share_id: String,
    ) -> Result<(), AppError> {
        let arn = LensArn::parse(&lens_arn)?;
        let share_id = share_id.trim();
        if share_id.is_empty()
            || share_id.len() > 128
            || !share_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(AppError::Invalid("That is not a share id.".into()));
        }
        self.gateway
            .apply(
                &actor(&by),
                Change::DeleteLensShare {
                    lens_alias: arn.to_string(),
                    share_id: share_id.to_owned(),
                },
            )
            .await
            .map(|_| ())
            .map_err(aws_error)
    }
}
