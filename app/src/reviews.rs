//! Drafts, reviews and published versions as the pages see them, and the server functions
//! behind them. Every rule (the reviewer role, four eyes, an approved and unchanged draft, a
//! unique version name) is enforced by the server behind the [`crate::services::Reviews`] port.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
pub enum ReviewState {
    Open,
    Approved,
    ChangesRequested,
    Superseded,
    Published,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Open => "open",
            ReviewState::Approved => "approved",
            ReviewState::ChangesRequested => "changes_requested",
            ReviewState::Superseded => "superseded",
            ReviewState::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            ReviewState::Open,
            ReviewState::Approved,
            ReviewState::ChangesRequested,
            ReviewState::Superseded,
            ReviewState::Published,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Open => "Waiting for review",
            ReviewState::Approved => "Approved, ready to publish",
            ReviewState::ChangesRequested => "Changes requested",
            ReviewState::Superseded => "Superseded by a newer import",
            ReviewState::Published => "Published",
        }
    }

    /// Whether the review still decides anything.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ReviewState::Open | ReviewState::Approved | ReviewState::ChangesRequested
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve,
    RequestChanges,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::RequestChanges => "request_changes",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "approve" => Some(Decision::Approve),
            "request_changes" => Some(Decision::RequestChanges),
            _ => None,
        }
    }
}

/// A lens JSON imported through lensgate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    /// Counted per lens: its first import through lensgate is revision 1.
    pub number: i64,
    pub imported_by: String,
    pub imported_at: String,
    pub operation_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub id: i64,
    pub lens_arn: String,
    pub lens_name: String,
    pub author: String,
    pub created_at: String,
    pub state: ReviewState,
    /// Lines added and removed against the latest published version.
    pub lines_added: usize,
    pub lines_removed: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    pub reviewer: String,
    pub decision: Decision,
    pub comment: String,
    pub decided_at: String,
}

/// A reviewer's comment on one question or choice of the draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewComment {
    pub id: i64,
    /// The lens's ids: "pillar/question" or "pillar/question/choice".
    pub place: String,
    /// The question (and choice) as titled when the comment was made.
    pub place_title: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    /// Who resolved it (the review's author) and when.
    pub resolved: Option<(String, String)>,
}

/// Where a comment may be left: a question's place, and its choices' (id path, title).
pub fn question_place(pillar_id: &str, question_id: &str) -> String {
    format!("{pillar_id}/{question_id}")
}

pub fn choice_place(pillar_id: &str, question_id: &str, choice_id: &str) -> String {
    format!("{pillar_id}/{question_id}/{choice_id}")
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub review: ReviewRow,
    pub note: String,
    pub revision: Revision,
    pub closed_reason: Option<String>,
    pub decisions: Vec<DecisionRow>,
    pub approvals: usize,
    pub approvals_required: usize,
    /// What the draft changes, against the latest version published through lensgate (or
    /// nothing, for a first version).
    pub diff: LensDiff,
    pub base_version: Option<String>,
    /// The draft as reviewers read it, so that what they approve is in front of them.
    pub lens: Option<lensgate_lens::Lens>,
    /// What publishing the draft does to workloads on the base version; `None` for a first
    /// version.
    pub upgrade: Option<lensgate_lens::upgrade::UpgradeReport>,
    /// Comments on questions and choices, oldest first.
    pub comments: Vec<ReviewComment>,
    /// What the signed-in user may do here.
    pub can_decide: bool,
    pub can_publish: bool,
    /// A reviewer may comment while the review is active; its author resolves.
    pub can_comment: bool,
    pub can_resolve: bool,
    /// Versions the lens has, for the publish form's warning and uniqueness hint.
    pub version_count: usize,
}

/// One structural change between two lenses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where, in words: "Pillar “Security” › question “How are keys rotated?”".
    pub place: String,
    /// For a changed field: its name and word-level before/after.
    pub field: Option<String>,
    pub before: Vec<Words>,
    pub after: Vec<Words>,
    /// Where the item sits among its siblings, on the first change of each item.
    pub neighbours: Option<Neighbours>,
}

/// The titles of the items before and after a changed one in its list (pillars, a pillar's
/// questions, a question's choices), so a change reads in its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbours {
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// A run of words, marked when the other side does not have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub text: String,
    pub marked: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Context,
    Added,
    Removed,
    Hunk,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensDiff {
    pub changes: Vec<Change>,
    /// The unified diff of the JSON texts.
    pub lines: Vec<DiffLine>,
    pub lines_added: usize,
    pub lines_removed: usize,
}

/// A version of a lens: published through lensgate (with its people), or found in AWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRecord {
    pub name: String,
    pub is_major: Option<bool>,
    pub author: Option<String>,
    pub approvers: Vec<String>,
    pub publisher: Option<String>,
    pub published_at: Option<String>,
    pub review_id: Option<i64>,
    pub through_lensgate: bool,
}

/// The draft of a lens and where its review stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftState {
    pub revision: Revision,
    pub review: Option<ReviewRow>,
    /// Against the latest version published through lensgate (everything, before the first).
    pub diff: LensDiff,
}

/// The draft and every version known of a lens, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensVersions {
    pub draft: Option<DraftState>,
    pub versions: Vec<VersionRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub base: String,
    pub target: String,
    pub diff: LensDiff,
    /// What GetLensVersionDifference reports, one line per difference, when AWS can say it.
    pub aws: Result<Vec<String>, String>,
}

#[server(prefix = "/api", endpoint = "reviews/submit")]
pub async fn submit_for_review(lens_arn: String, note: String) -> Result<i64, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    let review = crate::services::Services::current()?
        .reviews
        .submit(user, crate::ids::LensArn::parse(&lens_arn)?, note)
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Submitted { review });
    Ok(review)
}

#[server(prefix = "/api", endpoint = "reviews")]
pub async fn list_reviews() -> Result<Vec<ReviewRow>, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    // Authors follow their own submissions; reviewers decide on everyone's.
    let author = (!user.can(crate::auth::Role::Reviewer)).then_some(user.username);
    crate::services::Services::current()?
        .reviews
        .open(author)
        .await
}

#[server(prefix = "/api", endpoint = "reviews/detail")]
pub async fn get_review(id: i64) -> Result<ReviewDetail, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .reviews
        .detail(user, id)
        .await
}

#[server(prefix = "/api", endpoint = "reviews/decide")]
pub async fn decide_review(
    review_id: i64,
    decision: String,
    comment: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Reviewer)?;
    let decision = Decision::parse(&decision).ok_or_else(|| {
        AppError::Invalid(format!(
            "“{decision}” is not a decision: approve or request changes."
        ))
    })?;
    crate::services::Services::current()?
        .reviews
        .decide(user, review_id, decision, comment)
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Decided);
    Ok(())
}

#[server(prefix = "/api", endpoint = "reviews/comment")]
pub async fn comment_on_review(
    review_id: i64,
    place: String,
    body: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Reviewer)?;
    crate::services::Services::current()?
        .reviews
        .comment(user, review_id, place, body)
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Commented);
    Ok(())
}

#[server(prefix = "/api", endpoint = "reviews/resolve")]
pub async fn resolve_comment(comment_id: i64) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .reviews
        .resolve_comment(user, comment_id)
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Resolved);
    Ok(())
}

#[server(prefix = "/api", endpoint = "reviews/publish")]
pub async fn publish_version(
    review_id: i64,
    version_name: String,
    kind: String,
) -> Result<String, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Reviewer)?;
    let is_major = match kind.as_str() {
        "major" => true,
        "minor" => false,
        other => {
            return Err(AppError::invalid_field(
                "kind",
                format!("“{other}” is not a version kind: major or minor."),
            ));
        }
    };
    let version = crate::services::Services::current()?
        .reviews
        .publish(user, review_id, version_name, is_major)
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Published {
        version: version.clone(),
    });
    Ok(version)
}

#[server(prefix = "/api", endpoint = "lenses/versions")]
pub async fn get_lens_versions(lens_arn: String) -> Result<LensVersions, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .reviews
        .versions(crate::ids::LensArn::parse(&lens_arn)?)
        .await
}

#[server(prefix = "/api", endpoint = "lenses/compare")]
pub async fn compare_versions(
    lens_arn: String,
    base: String,
    target: String,
) -> Result<Comparison, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .reviews
        .compare(crate::ids::LensArn::parse(&lens_arn)?, base, target)
        .await
}

pub fn review_href(id: i64) -> String {
    format!("/reviews/detail?id={id}")
}
