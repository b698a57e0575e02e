//! Reviews for pipelines: submit a draft with a note, read where a review stands, publish an
//! approved one. The rules are the pages' rules: four eyes, approvals required, unchanged drafts.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use lensgate_app::{auth::Role, ids::LensArn, reviews::review_href};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Caller, Problem, public_base};
use crate::http::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitBody {
    pub lens_arn: String,
    /// What changed and why, for the reviewers.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedReview {
    pub review_id: i64,
    /// The review's page, for people.
    pub url: String,
}

/// Submits the lens's current draft for review.
#[utoipa::path(
    post, path = "/api/v1/reviews", tag = "reviews",
    request_body = SubmitBody,
    responses(
        (status = 201, body = SubmittedReview),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<SubmitBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<SubmittedReview>), Problem> {
    let user = caller.require(Role::Author)?;
    let Json(body) = body.map_err(|e| Problem::malformed(e.body_text()))?;
    let arn = LensArn::parse(&body.lens_arn)?;
    let review_id = state
        .services
        .reviews
        .submit(user.clone(), arn, body.note)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SubmittedReview {
            review_id,
            url: format!(
                "{}{}",
                public_base(&state, &headers),
                review_href(review_id)
            ),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDecision {
    pub reviewer: String,
    /// `approve` or `request_changes`.
    pub decision: &'static str,
    pub comment: String,
    pub decided_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    pub id: i64,
    pub lens_arn: String,
    pub lens_name: String,
    pub author: String,
    pub created_at: String,
    /// `open`, `approved`, `changes_requested`, `superseded` or `published`.
    pub state: &'static str,
    pub note: String,
    pub approvals: usize,
    pub approvals_required: usize,
    pub decisions: Vec<ReviewDecision>,
    pub url: String,
}

/// Where a review stands, with every decision.
#[utoipa::path(
    get, path = "/api/v1/reviews/{id}", tag = "reviews",
    params(("id" = i64, Path, description = "The review's number")),
    responses(
        (status = 200, body = Review),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Review>, Problem> {
    let user = caller.require(Role::Viewer)?;
    let detail = state.services.reviews.detail(user.clone(), id).await?;
    Ok(Json(Review {
        id,
        lens_arn: detail.review.lens_arn,
        lens_name: detail.review.lens_name,
        author: detail.review.author,
        created_at: detail.review.created_at,
        state: detail.review.state.as_str(),
        note: detail.note,
        approvals: detail.approvals,
        approvals_required: detail.approvals_required,
        decisions: detail
            .decisions
            .into_iter()
            .map(|d| ReviewDecision {
                reviewer: d.reviewer,
                decision: d.decision.as_str(),
                comment: d.comment,
                decided_at: d.decided_at,
            })
            .collect(),
        url: format!("{}{}", public_base(&state, &headers), review_href(id)),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishBody {
    /// The version's name, e.g. `1.1`.
    pub version_name: String,
    /// A major version: workloads are asked to upgrade.
    #[serde(default)]
    pub major: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub review_id: i64,
    pub version_name: String,
}

/// Publishes an approved review's draft as a version (reviewers).
#[utoipa::path(
    post, path = "/api/v1/reviews/{id}/publish", tag = "reviews",
    params(("id" = i64, Path, description = "The review's number")),
    request_body = PublishBody,
    responses(
        (status = 201, body = Published),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<PublishBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Published>), Problem> {
    let user = caller.require(Role::Reviewer)?;
    let Json(body) = body.map_err(|e| Problem::malformed(e.body_text()))?;
    let version_name = state
        .services
        .reviews
        .publish(user.clone(), id, body.version_name, body.major)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Published {
            review_id: id,
            version_name,
        }),
    ))
}
