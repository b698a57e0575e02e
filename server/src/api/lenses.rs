//! Lenses for pipelines: validate a file, import it as a draft (a new lens or a new draft of an
//! existing one), list lenses and a lens's versions.

use axum::{
    Json,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use lensgate_app::{auth::Role, ids::LensArn, lens_catalog::ImportRequest};
use lensgate_lens::{Format, Problem as ValidatorProblem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Caller, Problem, idempotency};
use crate::http::AppState;

/// One problem the validator found, where it is and how to fix it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LensProblem {
    /// `error` (ImportLens would refuse) or `warning`.
    pub severity: &'static str,
    pub rule: &'static str,
    /// e.g. `pillars[2].questions[0].choices[4].id`; empty for the whole document.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub fix: Option<String>,
}

impl From<&ValidatorProblem> for LensProblem {
    fn from(problem: &ValidatorProblem) -> Self {
        LensProblem {
            severity: problem.severity.as_str(),
            rule: problem.rule.as_str(),
            path: problem.path.clone(),
            line: problem.position.line,
            column: problem.position.column,
            message: problem.message.clone(),
            fix: problem.fix.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Validation {
    /// Whether ImportLens would accept the lens (no errors; warnings allowed).
    pub importable: bool,
    pub errors: usize,
    pub warnings: usize,
    pub problems: Vec<LensProblem>,
}

/// Checks a lens file (JSON or YAML, the body as it is) the way ImportLens would, without
/// sending it anywhere.
#[utoipa::path(
    post, path = "/api/v1/lenses/validate", tag = "lenses",
    request_body(content = String, description = "The lens file, JSON or YAML", content_type = "application/json"),
    responses(
        (status = 200, description = "The verdict and every problem", body = Validation),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn validate(caller: Caller, body: String) -> Result<Json<Validation>, Problem> {
    caller.require(Role::Viewer)?;
    let report = lensgate_lens::validate_as(&body, Format::detect(&body));
    Ok(Json(Validation {
        importable: report.is_importable(),
        errors: report.errors(),
        warnings: report.warnings(),
        problems: report.problems.iter().map(LensProblem::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LensSummary {
    pub arn: String,
    pub name: String,
    pub description: String,
    /// The newest published version; absent while the lens is a draft only.
    pub latest_version: Option<String>,
    pub owner: String,
    pub updated_at: Option<String>,
}

/// The lenses the account sees.
#[utoipa::path(
    get, path = "/api/v1/lenses", tag = "lenses",
    responses(
        (status = 200, body = [LensSummary]),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<LensSummary>>, Problem> {
    caller.require(Role::Viewer)?;
    let rows = state.services.lenses.list().await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| LensSummary {
                arn: row.arn,
                name: row.name,
                description: row.description,
                latest_version: row.latest_version,
                owner: row.owner,
                updated_at: row.updated_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportBody {
    /// The lens file's text, JSON or YAML.
    pub lens: String,
    /// Import as the new draft of this lens; a new lens when absent.
    #[serde(default)]
    pub lens_arn: Option<String>,
    /// `key=value` pairs separated by commas, for a new lens.
    #[serde(default)]
    pub tags: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedLens {
    pub lens_arn: String,
    /// The audit operation of the import.
    pub operation_id: String,
    pub warnings: usize,
}

/// Imports a lens as a draft, validated first: a lens with errors is refused with its problems
/// and nothing is sent to AWS. With an `Idempotency-Key`, the same request sent again makes the
/// change once.
#[utoipa::path(
    post, path = "/api/v1/lenses", tag = "lenses",
    request_body = ImportBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key and body make the change once")),
    responses(
        (status = 201, body = ImportedLens),
        (status = 422, description = "The lens has errors, or the input cannot be used", body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<ImportBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<ImportedLens>), Problem> {
    let user = caller.require(Role::Author)?;
    let Json(body) = body.map_err(|e| Problem::malformed(e.body_text()))?;
    let token = idempotency::form_token(&headers, &user.username)?;
    let imported = state
        .services
        .lenses
        .import(
            user.clone(),
            ImportRequest {
                json: body.lens,
                lens_arn: body.lens_arn.unwrap_or_default(),
                tags: body.tags.unwrap_or_default(),
                token,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportedLens {
            lens_arn: imported.lens_arn,
            operation_id: imported.operation_id,
            warnings: imported.warnings,
        }),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LensQuery {
    pub lens_arn: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub name: String,
    pub is_major: Option<bool>,
    pub author: Option<String>,
    pub approvers: Vec<String>,
    pub publisher: Option<String>,
    pub published_at: Option<String>,
    pub review_id: Option<i64>,
    /// Published through lensgate (with its review), or found in AWS only.
    pub through_lensgate: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Versions {
    /// The open review of the draft, when there is one.
    pub draft_review_id: Option<i64>,
    /// Newest first.
    pub versions: Vec<Version>,
}

/// A lens's versions, newest first, and the review its draft is in.
#[utoipa::path(
    get, path = "/api/v1/lenses/versions", tag = "lenses",
    params(LensQuery),
    responses(
        (status = 200, body = Versions),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<LensQuery>,
) -> Result<Json<Versions>, Problem> {
    caller.require(Role::Viewer)?;
    let arn = LensArn::parse(&query.lens_arn)?;
    let found = state.services.reviews.versions(arn).await?;
    Ok(Json(Versions {
        draft_review_id: found.draft.and_then(|d| d.review).map(|r| r.id),
        versions: found
            .versions
            .into_iter()
            .map(|v| Version {
                name: v.name,
                is_major: v.is_major,
                author: v.author,
                approvers: v.approvers,
                publisher: v.publisher,
                published_at: v.published_at,
                review_id: v.review_id,
                through_lensgate: v.through_lensgate,
            })
            .collect(),
    }))
}
