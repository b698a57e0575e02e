//! Drafts, four-eyes reviews and published versions: what AWS does not keep. Every import
//! through lensgate records a revision; a review approves one revision; publishing checks that
//! the approved revision is still the lens's draft, in lensgate and in AWS, before it calls
//! CreateLensVersion through the audited gateway.

mod comments;
mod diff;
mod rules;
mod store;
mod versions;

use std::sync::Arc;

use lensgate_app::{
    auth::{CurrentUser, Role},
    dashboard::RecentVersion,
    error::AppError,
    ids::LensArn,
    reviews::{
        Comparison, Decision, DecisionRow, DraftState, LensVersions, ReviewDetail, ReviewRow,
        ReviewState, Revision,
    },
    services::{BoxFuture, Reviews},
};
use serde_json::json;

pub use diff::lens_diff;
use store::{NewVersion, ReviewRecord, RevisionRecord};

use crate::{
    audit::{Actor, AuditAction, AuditLog, NewEvent},
    db::Database,
    gateway::{Change, Gateway},
    timestamp,
};

/// AWS keeps at most this many versions of a lens.
pub const MAX_VERSIONS: usize = 100;
const MAX_VERSION_NAME: usize = 32;
use rules::MAX_NOTE;
/// How much later than lensgate's record of the import AWS may date the draft before it counts
/// as changed elsewhere: the two clocks are not the same clock.
const CLOCK_TOLERANCE: time::Duration = time::Duration::seconds(1);

pub struct LiveReviews {
    pub db: Database,
    pub gateway: Gateway,
    pub audit: Arc<AuditLog>,
    pub approvals_required: usize,
}

fn database(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "review store");
    AppError::Unavailable("The review store".to_owned())
}

fn invalid(text: impl Into<String>) -> AppError {
    AppError::Invalid(text.into())
}

fn lens_name(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v["name"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn revision_summary(record: &RevisionRecord) -> Revision {
    Revision {
        id: record.id,
        number: record.number,
        imported_by: record.imported_by.clone(),
        imported_at: record.imported_at.clone(),
        operation_id: record.operation_id.clone(),
    }
}

impl Reviews for LiveReviews {
    fn submit(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        note: String,
    ) -> BoxFuture<'_, Result<i64, AppError>> {
        Box::pin(self.submit_draft(by, lens_arn, note))
    }

    fn open(&self, author: Option<String>) -> BoxFuture<'_, Result<Vec<ReviewRow>, AppError>> {
        Box::pin(async move {
            let mut rows = Vec::new();
            let records = store::active_reviews(&self.db).await.map_err(database)?;
            let wanted = records
                .into_iter()
                .filter(|r| author.as_ref().is_none_or(|a| *a == r.author));
            for record in wanted {
                rows.push(self.row(&record).await?);
            }
            Ok(rows)
        })
    }

    fn detail(&self, user: CurrentUser, id: i64) -> BoxFuture<'_, Result<ReviewDetail, AppError>> {
        Box::pin(self.review_detail(user, id))
    }

    fn decide(
        &self,
        by: CurrentUser,
        review_id: i64,
        decision: Decision,
        comment: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(self.record_decision(by, review_id, decision, comment))
    }

    fn comment(
        &self,
        by: CurrentUser,
        review_id: i64,
        place: String,
        body: String,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(self.add_comment(by, review_id, place, body))
    }

    fn resolve_comment(
        &self,
        by: CurrentUser,
        comment_id: i64,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(self.resolve(by, comment_id))
    }

    fn publish(
        &self,
        by: CurrentUser,
        review_id: i64,
        version_name: String,
        is_major: bool,
    ) -> BoxFuture<'_, Result<String, AppError>> {
        Box::pin(self.publish_review(by, review_id, version_name, is_major))
    }

    fn versions(&self, arn: LensArn) -> BoxFuture<'_, Result<LensVersions, AppError>> {
        Box::pin(async move {
            Ok(LensVersions {
                draft: self.draft_state(&arn).await?,
                versions: self.version_history(&arn).await?,
            })
        })
    }

    fn compare(
        &self,
        lens_arn: LensArn,
        base: String,
        target: String,
    ) -> BoxFuture<'_, Result<Comparison, AppError>> {
        Box::pin(self.compare_versions(lens_arn, base, target))
    }
}

impl LiveReviews {
    /// A transaction for a change and its audit events: both commit, or neither.
    async fn begin(&self) -> Result<crate::audit::Recorded<'_>, AppError> {
        self.audit.begin().await.map_err(unrecorded)
    }

    /// The JSON lensgate last imported for the lens: its draft, or the draft its newest version
    /// was published from. `None` when the lens was never imported through lensgate.
    pub async fn latest_import(&self, lens_arn: &str) -> Result<Option<String>, AppError> {
        Ok(store::latest_revision(&self.db, lens_arn)
            .await
            .map_err(database)?
            .map(|revision| revision.json))
    }

    /// Records a successful import as the lens's new draft revision; reviews of the previous
    /// draft no longer decide anything, and their approvals are void.
    pub async fn record_import(
        &self,
        by: &CurrentUser,
        lens_arn: &str,
        json: &str,
        operation_id: &str,
    ) -> Result<(), AppError> {
        let mut tx = self.begin().await?;
        let revision = RevisionRecord {
            id: 0,
            number: 0,
            lens_arn: lens_arn.to_owned(),
            json: json.to_owned(),
            imported_by: by.username.clone(),
            imported_at: timestamp::now(),
            operation_id: operation_id.to_owned(),
        };
        let id = store::insert_revision(tx.conn(), &revision)
            .await
            .map_err(database)?;
        let reason = format!(
            "A new import by {} on {} replaced the draft under review; its approvals no longer count.",
            by.username, revision.imported_at
        );
        let superseded = store::supersede_active(tx.conn(), lens_arn, &reason)
            .await
            .map_err(database)?;
        for review_id in superseded {
            tx.record(event(
                by,
                AuditAction::SupersedeReview,
                lens_arn,
                json!({ "review_id": review_id, "revision_id": id }),
            ))
            .await
            .map_err(unrecorded)?;
        }
        tx.commit().await.map_err(unrecorded)
    }

    async fn submit_draft(
        &self,
        by: CurrentUser,
        arn: LensArn,
        note: String,
    ) -> Result<i64, AppError> {
        let note = note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(AppError::invalid_field(
                "note",
                format!("The note is longer than {MAX_NOTE} characters."),
            ));
        }
        let revision = store::latest_revision(&self.db, arn.as_str())
            .await
            .map_err(database)?
            .ok_or_else(|| {
                invalid("This lens has no draft imported through lensgate; import it here first.")
            })?;
        if let Some(existing) = store::review_of_revision(&self.db, revision.id)
            .await
            .map_err(database)?
            && (existing.state.is_active() || existing.state == ReviewState::Published)
        {
            return Err(invalid(format!(
                "This draft is already under review (review {}).",
                existing.id
            )));
        }
        let mut tx = self.begin().await?;
        let id = store::insert_review(
            tx.conn(),
            arn.as_str(),
            revision.id,
            &by.username,
            note,
            &timestamp::now(),
        )
        .await
        .map_err(database)?;
        tx.record(event(
            &by,
            AuditAction::SubmitForReview,
            arn.as_str(),
            json!({ "review_id": id, "revision_id": revision.id, "note": note }),
        ))
        .await
        .map_err(unrecorded)?;
        tx.commit().await.map_err(unrecorded)?;
        Ok(id)
    }

    async fn row(&self, record: &ReviewRecord) -> Result<ReviewRow, AppError> {
        let revision = store::revision(&self.db, record.revision_id)
            .await
            .map_err(database)?
            .ok_or(AppError::Internal)?;
        let base = store::versions(&self.db, &record.lens_arn)
            .await
            .map_err(database)?;
        let diff = lens_diff(
            rules::base_of(&base, revision.id).map_or("", |v| v.json.as_str()),
            &revision.json,
        );
        Ok(ReviewRow {
            id: record.id,
            lens_arn: record.lens_arn.clone(),
            lens_name: lens_name(&revision.json),
            author: record.author.clone(),
            created_at: record.created_at.clone(),
            state: record.state,
            lines_added: diff.lines_added,
            lines_removed: diff.lines_removed,
        })
    }

    async fn review_record(&self, id: i64) -> Result<ReviewRecord, AppError> {
        store::review(&self.db, id)
            .await
            .map_err(database)?
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "There is no review {id}. The Reviews page lists the reviews there are."
                ))
            })
    }

    async fn review_detail(&self, user: CurrentUser, id: i64) -> Result<ReviewDetail, AppError> {
        let record = self.review_record(id).await?;
        let revision = store::revision(&self.db, record.revision_id)
            .await
            .map_err(database)?
            .ok_or(AppError::Internal)?;
        let versions = store::versions(&self.db, &record.lens_arn)
            .await
            .map_err(database)?;
        let base = rules::base_of(&versions, revision.id);
        let decisions = store::decisions(&self.db, id).await.map_err(database)?;
        let (approvers, _) = rules::standing(&decisions);
        let state = record.state;
        let comments = self.comments_of(id).await?;
        Ok(ReviewDetail {
            review: self.row(&record).await?,
            note: record.note.clone(),
            revision: revision_summary(&revision),
            closed_reason: record.closed_reason.clone(),
            approvals: approvers.len(),
            approvals_required: self.approvals_required,
            diff: lens_diff(base.map_or("", |v| v.json.as_str()), &revision.json),
            base_version: base.map(|v| v.version_name.clone()),
            lens: lensgate_lens::validate(&revision.json).lens,
            upgrade: base.and_then(|v| upgrade_report(&v.json, &revision.json)),
            can_decide: state.is_active()
                && user.can(Role::Reviewer)
                && user.username != record.author,
            can_publish: state == ReviewState::Approved && user.can(Role::Reviewer),
            can_comment: state.is_active() && user.can(Role::Reviewer),
            can_resolve: state.is_active() && user.username == record.author,
            comments,
            version_count: versions.len(),
            decisions: decisions
                .into_iter()
                .map(|d| DecisionRow {
                    reviewer: d.reviewer,
                    decision: Decision::parse(&d.decision).unwrap_or(Decision::RequestChanges),
                    comment: d.comment,
                    decided_at: d.decided_at,
                })
                .collect(),
        })
    }

    async fn record_decision(
        &self,
        by: CurrentUser,
        review_id: i64,
        decision: Decision,
        comment: String,
    ) -> Result<(), AppError> {
        let record = self.review_record(review_id).await?;
        let state = record.state;
        if !state.is_active() {
            return Err(invalid(format!(
                "Review {review_id} is closed ({}); it takes no more decisions.",
                state.label().to_lowercase()
            )));
        }
        let comment = rules::decision_comment(&record.author, &by.username, decision, &comment)?;
        // The decision, the state it leads to and its audit event in one transaction: two
        // reviewers deciding at once are counted one after the other.
        let mut tx = self.begin().await?;
        store::insert_decision(
            tx.conn(),
            review_id,
            &by.username,
            decision.as_str(),
            comment,
            &timestamp::now(),
        )
        .await
        .map_err(database)?;
        let decisions = store::decisions_in(tx.conn(), review_id)
            .await
            .map_err(database)?;
        let next = rules::next_state(&decisions, self.approvals_required);
        store::set_state(
            tx.conn(),
            review_id,
            &[
                ReviewState::Open,
                ReviewState::Approved,
                ReviewState::ChangesRequested,
            ],
            next,
        )
        .await
        .map_err(database)?;
        let action = match decision {
            Decision::Approve => AuditAction::ApproveDraft,
            Decision::RequestChanges => AuditAction::RequestChanges,
        };
        tx.record(event(
            &by,
            action,
            &record.lens_arn,
            json!({ "review_id": review_id, "comment": comment, "state": next.as_str() }),
        ))
        .await
        .map_err(unrecorded)?;
        tx.commit().await.map_err(unrecorded)
    }

    async fn publish_review(
        &self,
        by: CurrentUser,
        review_id: i64,
        version_name: String,
        is_major: bool,
    ) -> Result<String, AppError> {
        let record = self.review_record(review_id).await?;
        match record.state {
            ReviewState::Approved => {}
            ReviewState::Published => return Err(invalid("This draft is already published.")),
            ReviewState::Superseded => {
                return Err(invalid(format!(
                    "This review was superseded: {}",
                    record.closed_reason.clone().unwrap_or_default()
                )));
            }
            ReviewState::Open | ReviewState::ChangesRequested => {
                return Err(invalid(
                    "This draft is not approved yet; only an approved draft can be published.",
                ));
            }
        }
        let revision = store::revision(&self.db, record.revision_id)
            .await
            .map_err(database)?
            .ok_or(AppError::Internal)?;
        let latest = store::latest_revision(&self.db, &record.lens_arn)
            .await
            .map_err(database)?;
        if latest.as_ref().map(|r| r.id) != Some(revision.id) {
            return Err(invalid(
                "The draft changed since it was approved: a newer import replaced it. Review the new draft.",
            ));
        }
        self.check_draft_unchanged_in_aws(&record.lens_arn, &revision)
            .await?;
        let name = version_name.trim();
        if name.is_empty() || name.chars().count() > MAX_VERSION_NAME {
            return Err(AppError::invalid_field(
                "version_name",
                format!("A version name has 1 to {MAX_VERSION_NAME} characters."),
            ));
        }
        let lens_arn = LensArn::parse(&record.lens_arn)?;
        let versions = self.version_history(&lens_arn).await?;
        if versions.iter().any(|v| v.name == name) {
            return Err(AppError::invalid_field(
                "version_name",
                format!("This lens already has a version “{name}”; choose another name."),
            ));
        }
        if versions.len() >= MAX_VERSIONS {
            return Err(invalid(format!(
                "This lens already has {MAX_VERSIONS} versions, the most AWS allows; no more can be published."
            )));
        }
        let applied = self
            .gateway
            .apply(
                &Actor::from(&by),
                Change::CreateLensVersion {
                    lens_alias: lens_arn,
                    lens_version: name.to_owned(),
                    is_major_version: is_major,
                },
            )
            .await
            .map_err(AppError::from)?;
        let (approvers, _) = rules::standing(
            &store::decisions(&self.db, review_id)
                .await
                .map_err(database)?,
        );
        let mut tx = self.db.begin().await.map_err(database)?;
        store::insert_version(
            tx.conn(),
            &NewVersion {
                lens_arn: &record.lens_arn,
                version_name: name,
                is_major,
                revision_id: revision.id,
                review_id,
                json: &revision.json,
                author: &record.author,
                approvers: &approvers.join(","),
                publisher: &by.username,
                published_at: &timestamp::now(),
                operation_id: &applied.operation_id,
            },
        )
        .await
        .map_err(database)?;
        store::set_state(
            tx.conn(),
            review_id,
            &[ReviewState::Approved],
            ReviewState::Published,
        )
        .await
        .map_err(database)?;
        tx.commit().await.map_err(database)?;
        Ok(name.to_owned())
    }

    /// AWS cannot export a draft, but it dates the lens's last change: a draft imported after
    /// the approved one, outside lensgate, shows as a change later than lensgate's record.
    async fn check_draft_unchanged_in_aws(
        &self,
        lens_arn: &str,
        revision: &RevisionRecord,
    ) -> Result<(), AppError> {
        let format = time::format_description::well_known::Rfc3339;
        let imported = time::OffsetDateTime::parse(&revision.imported_at, &format)
            .map_err(|_| AppError::Internal)?;
        let lenses = self
            .gateway
            .list_all_lenses(None)
            .await
            .map_err(AppError::from)?;
        let lens = lenses
            .iter()
            .find(|l| l.lens_arn() == Some(lens_arn))
            .ok_or_else(|| {
                AppError::NotFound(
                    "The lens is no longer visible in AWS: it was deleted or unshared. Reload the Lenses page."
                        .into(),
                )
            })?;
        match lens.updated_at().and_then(timestamp::from_aws) {
            Some(changed) if changed > imported + CLOCK_TOLERANCE => Err(invalid(format!(
                "The draft changed in AWS after it was approved (AWS dates the lens's last change {}; lensgate imported the approved draft {}). Import it through lensgate and review it again.",
                timestamp::format(changed),
                revision.imported_at
            ))),
            _ => Ok(()),
        }
    }

    async fn draft_state(&self, arn: &LensArn) -> Result<Option<DraftState>, AppError> {
        let Some(revision) = store::latest_revision(&self.db, arn.as_str())
            .await
            .map_err(database)?
        else {
            return Ok(None);
        };
        let review = match store::review_of_revision(&self.db, revision.id)
            .await
            .map_err(database)?
        {
            Some(record) => Some(self.row(&record).await?),
            None => None,
        };
        let versions = store::versions(&self.db, arn.as_str())
            .await
            .map_err(database)?;
        if versions.iter().any(|v| v.revision_id == revision.id) {
            // The newest import is published: nothing is waiting to become a version.
            return Ok(None);
        }
        let diff = lens_diff(
            rules::base_of(&versions, revision.id).map_or("", |v| v.json.as_str()),
            &revision.json,
        );
        Ok(Some(DraftState {
            revision: revision_summary(&revision),
            review,
            diff,
        }))
    }
}

/// What publishing `draft` after `published` does to workloads, when both read as lenses.
fn upgrade_report(published: &str, draft: &str) -> Option<lensgate_lens::upgrade::UpgradeReport> {
    let before = lensgate_lens::validate(published).lens?;
    let after = lensgate_lens::validate(draft).lens?;
    Some(lensgate_lens::upgrade::report(&before, &after))
}

fn event(
    by: &CurrentUser,
    action: AuditAction,
    target: &str,
    request: serde_json::Value,
) -> NewEvent {
    NewEvent::recorded(Actor::from(by), action, target, request)
}

/// The audit history could not be written, so the change it would describe was not made.
fn unrecorded(error: sqlx::Error) -> AppError {
    tracing::error!(%error, "the audit history could not be written; the change was rolled back");
    AppError::Unavailable("The audit history".to_owned())
}

/// The open reviews `user` can still decide, oldest first: someone else's, without their
/// decision yet, and none below the reviewer role. The header counts them, the home page lists
/// them.
async fn waiting_ids(db: &Database, user: &CurrentUser) -> Result<Vec<i64>, sqlx::Error> {
    if !user.can(Role::Reviewer) {
        return Ok(Vec::new());
    }
    store::waiting_ids(db, &user.username).await
}

/// How many open reviews `user` can decide, for the header.
pub async fn waiting_for(db: &Database, user: &CurrentUser) -> Result<u32, sqlx::Error> {
    let count = waiting_ids(db, user).await?.len();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

impl LiveReviews {
    /// Open reviews of others `user` can still decide, oldest first; none below reviewer.
    pub async fn waiting_rows(&self, user: &CurrentUser) -> Result<Vec<ReviewRow>, AppError> {
        let ids = waiting_ids(&self.db, user).await.map_err(database)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = Vec::new();
        for record in store::active_reviews(&self.db)
            .await
            .map_err(database)?
            .into_iter()
            .filter(|r| ids.contains(&r.id))
        {
            rows.push(self.row(&record).await?);
        }
        Ok(rows)
    }

    /// The newest versions published through lensgate.
    pub async fn recent_versions(&self, limit: i64) -> Result<Vec<RecentVersion>, AppError> {
        Ok(store::recent_versions(&self.db, limit)
            .await
            .map_err(database)?
            .into_iter()
            .map(|v| RecentVersion {
                lens_name: lens_name(&v.json),
                lens_arn: v.lens_arn,
                version_name: v.version_name,
                publisher: v.publisher,
                published_at: v.published_at,
                review_id: v.review_id,
            })
            .collect())
    }
}
