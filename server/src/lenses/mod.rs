//! The lens catalog behind the lens pages: lenses from AWS joined with what the audit history
//! recorded about them, and imports that are validated on the server before they are sent.

mod listing;
mod shares;
mod tags;

use std::{sync::Arc, time::Instant};

use aws_sdk_wellarchitected::{operation::get_lens::GetLensOutput, types::LensType};
use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    lens_catalog::{ImportRequest, Imported, LensDetail, LensKind, LensRow, LensShare},
    lens_shares::ShareResult,
    services::{BoxFuture, LensCatalog},
};
use lensgate_lens::{Format, source};

use lensgate_app::ids::{HexId, LensArn};

use crate::{
    audit::{Actor, AuditLog},
    gateway::{Change, ErrorKind, FormToken, Gateway, every_page},
    reviews::LiveReviews,
    timestamp,
};

pub use listing::Listing;

pub struct LiveLenses {
    pub gateway: Gateway,
    pub audit: Arc<AuditLog>,
    pub reviews: Arc<LiveReviews>,
    pub listing: Listing,
}

impl LensCatalog for LiveLenses {
    fn list(&self) -> BoxFuture<'_, Result<Vec<LensRow>, AppError>> {
        Box::pin(async move { Ok(self.every_row().await?.to_vec()) })
    }

    fn detail(&self, arn: LensArn) -> BoxFuture<'_, Result<LensDetail, AppError>> {
        Box::pin(self.describe(arn))
    }

    fn export(
        &self,
        arn: LensArn,
        version: Option<String>,
    ) -> BoxFuture<'_, Result<Option<String>, AppError>> {
        Box::pin(async move {
            match version {
                None => self.draft_json(&arn).await,
                Some(version) => Ok(Some(
                    self.gateway
                        .export_lens(arn.as_str(), Some(version))
                        .await?
                        .lens_json()
                        .unwrap_or_default()
                        .to_owned(),
                )),
            }
        })
    }

    fn import(
        &self,
        by: CurrentUser,
        request: ImportRequest,
    ) -> BoxFuture<'_, Result<Imported, AppError>> {
        Box::pin(self.import_lens(by, request))
    }

    fn share(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        principals: String,
        token: String,
    ) -> BoxFuture<'_, Result<Vec<ShareResult>, AppError>> {
        Box::pin(self.share_lens(by, lens_arn, principals, token))
    }

    fn revoke(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        share_id: HexId,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(self.revoke_share(by, lens_arn, share_id, token))
    }
}

impl LiveLenses {
    /// Every lens visible to the account, from the answer kept in [`Listing`] while it is
    /// fresh.
    async fn every_row(&self) -> Result<Arc<Vec<LensRow>>, AppError> {
        let changes_sent = self.gateway.changes_sent();
        if let Some(rows) = self.listing.get(changes_sent) {
            return Ok(rows);
        }
        let asked_at = Instant::now();
        let rows = Arc::new(self.rows(None).await?);
        self.listing.keep(asked_at, changes_sent, rows.clone());
        Ok(rows)
    }

    /// The lenses visible to the account; with `name`, those AWS matches to that name.
    async fn rows(&self, name: Option<&str>) -> Result<Vec<LensRow>, AppError> {
        let lenses = self
            .gateway
            .list_all_lenses(name)
            .await
            .map_err(AppError::from)?;
        Ok(lenses
            .iter()
            .map(|lens| LensRow {
                arn: lens.lens_arn().unwrap_or_default().to_owned(),
                name: lens.lens_name().unwrap_or_default().to_owned(),
                description: lens.description().unwrap_or_default().to_owned(),
                kind: match lens.lens_type() {
                    Some(LensType::AwsOfficial) => LensKind::Aws,
                    Some(LensType::CustomShared) => LensKind::Shared,
                    _ => LensKind::Owned,
                },
                latest_version: lens
                    .lens_version()
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
                owner: lens.owner().unwrap_or("AWS").to_owned(),
                updated_at: lens
                    .updated_at()
                    .and_then(timestamp::from_aws)
                    .map(timestamp::format),
            })
            .collect())
    }

    /// The lens's row and what GetLens says of it. GetLens refuses a lens the account cannot
    /// see; only ListLenses says whose lens it is and when it changed: the kept list when it is
    /// fresh and holds the lens, else a call of its own. Listing by the lens's
    /// full name takes one call where listing everything takes one per 50 lenses; the model
    /// calls the filter "the full name of the lens" without saying how it matches, and exact,
    /// prefix or substring matching all include the lens itself.
    async fn visible(&self, arn: &LensArn) -> Result<(LensRow, GetLensOutput), AppError> {
        let got = self
            .gateway
            .get_lens(arn.as_str(), None)
            .await
            .map_err(AppError::from)?;
        let kept = self
            .listing
            .get(self.gateway.changes_sent())
            .and_then(|rows| rows.iter().find(|row| row.arn == arn.as_str()).cloned());
        let row = match kept {
            Some(row) => Some(row),
            None => self
                .rows(got.lens().and_then(|l| l.name()))
                .await?
                .into_iter()
                .find(|row| row.arn == arn.as_str()),
        }
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "No lens {arn} is visible to this account: it was never shared with it, or the share was revoked."
                ))
            })?;
        Ok((row, got))
    }

    async fn describe(&self, arn: LensArn) -> Result<LensDetail, AppError> {
        let (lens, got) = self.visible(&arn).await?;
        let tags = got
            .lens()
            .and_then(|l| l.tags())
            .map(|t| {
                let mut tags: Vec<_> = t.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                tags.sort();
                tags
            })
            .unwrap_or_default();
        let timeline = self.audit.timeline(arn.as_str()).await?;
        let (shares, shares_note) = match lens.kind {
            LensKind::Aws => (
                Vec::new(),
                Some("AWS official lenses cannot be shared.".to_owned()),
            ),
            LensKind::Shared => (
                Vec::new(),
                Some(
                    "Only the account that owns this lens sees whom it is shared with.".to_owned(),
                ),
            ),
            LensKind::Owned => (self.shares(&arn).await?, None),
        };
        Ok(LensDetail {
            lens,
            tags,
            shares,
            shares_note,
            timeline,
            form_token: lensgate_app::form_token::fresh(),
        })
    }

    /// The draft's JSON from the revisions table that owns it, not from the audit history.
    async fn draft_json(&self, arn: &LensArn) -> Result<Option<String>, AppError> {
        self.reviews.latest_import(arn.as_str()).await
    }

    async fn shares(&self, arn: &LensArn) -> Result<Vec<LensShare>, AppError> {
        let since = crate::shares::since(self.audit.database(), arn.as_str())
            .await
            .map_err(crate::audit::unreadable)?;
        let shares = every_page(
            |token| self.gateway.list_lens_shares(arn.as_str(), token),
            |page| {
                (
                    page.lens_share_summaries.unwrap_or_default(),
                    page.next_token,
                )
            },
        )
        .await?;
        Ok(shares
            .iter()
            .map(|share| {
                let share_id = share.share_id().unwrap_or_default().to_owned();
                LensShare {
                    since: since.get(&share_id).cloned(),
                    share_id,
                    shared_with: share.shared_with().unwrap_or_default().to_owned(),
                    status: share
                        .status()
                        .map(|s| s.as_str().to_owned())
                        .unwrap_or_default(),
                }
            })
            .collect())
    }

    async fn import_lens(
        &self,
        by: CurrentUser,
        request: ImportRequest,
    ) -> Result<Imported, AppError> {
        let format = Format::detect(&request.json);
        let report = lensgate_lens::validate_as(&request.json, format);
        if !report.is_importable() {
            return Err(AppError::LensRejected {
                problems: report.problems,
            });
        }
        // YAML source is imported, reviewed and published as the JSON it describes.
        let json = source::to_json(&request.json, format)
            .map_err(|syntax| AppError::Invalid(syntax.message))?
            .into_owned();
        let tags = tags::parse(&request.tags)?;
        let lens_alias = match request.lens_arn.trim() {
            "" => None,
            arn => Some(LensArn::parse(arn)?),
        };
        let form = FormToken::parse(&request.token)?;
        let new_lens = lens_alias.is_none();
        let applied = match self
            .gateway
            .apply_once(
                &Actor::from(&by),
                Change::ImportLens {
                    lens_alias,
                    json_string: json.clone(),
                    tags,
                },
                form.as_ref(),
            )
            .await
        {
            Ok(applied) => applied,
            Err(error) if new_lens && error.kind == ErrorKind::Conflict => {
                let name = report
                    .lens
                    .as_ref()
                    .map(|l| l.name.as_str())
                    .unwrap_or_default();
                return Err(self.name_taken(error, name).await);
            }
            Err(error) => return Err(error.into()),
        };
        let lens_arn = applied.response["LensArn"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        self.reviews
            .record_import(&by, &lens_arn, &json, &applied.operation_id)
            .await?;
        Ok(Imported {
            lens_arn,
            operation_id: applied.operation_id,
            warnings: report.warnings(),
        })
    }

    /// A new lens whose name AWS already holds: the refusal names the lens that has it and its
    /// page, where the file can be imported as an update.
    async fn name_taken(&self, error: crate::gateway::GatewayError, name: &str) -> AppError {
        let wanted = lensgate_lens::model::normalized_name(name);
        let holder = self.rows(None).await.ok().and_then(|rows| {
            rows.into_iter().find(|row| {
                row.kind == LensKind::Owned
                    && lensgate_lens::model::normalized_name(&row.name) == wanted
            })
        });
        let mut refused = AppError::from(error);
        if let (Some(holder), AppError::Aws { message, .. }) = (holder, &mut refused) {
            message.push_str(&format!(
                " The lens that has it is “{}”: open {} and choose Import an update.",
                holder.name,
                lensgate_app::lens_catalog::detail_href(&holder.arn)
            ));
        }
        refused
    }
}
