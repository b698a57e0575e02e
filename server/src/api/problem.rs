//! Errors as RFC 9457 problem details (`application/problem+json`): a `type` that links to its
//! explanation in the API's documentation, the HTTP status, a sentence saying what to do, and
//! for a rejected lens the validator's problems with their paths and positions.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use lensgate_app::error::AppError;
use serde::Serialize;
use utoipa::ToSchema;

use super::lenses::LensProblem;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A link to this kind of problem in `/api/v1/docs`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    /// What went wrong and what to do, in a sentence.
    pub detail: String,
    /// The request's field the problem is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Box<str>>,
    /// The lens's problems, when a lens was refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<LensProblem>,
    /// What AWS said, when AWS refused.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub aws: Option<Box<AwsRefusal>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwsRefusal {
    /// The AWS error code.
    pub aws_code: String,
    /// The audit operation of the change AWS refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
}

/// Every kind of problem the API answers with: its slug (the anchor in the docs), title and
/// when it happens. The docs page lists them from here.
pub const KINDS: [(&str, &str, &str); 11] = [
    (
        "unauthenticated",
        "Authentication required",
        "No token, a malformed one, or one that is unknown, revoked or expired, or whose user is disabled. Create a token on your account page and send it as `Authorization: Bearer lgt_…`.",
    ),
    (
        "forbidden",
        "Role too low",
        "The token's role (or its user's, if lower) cannot do this.",
    ),
    (
        "malformed-request",
        "Malformed request",
        "The body is not the JSON the operation takes, or a header is malformed.",
    ),
    (
        "invalid-input",
        "Invalid input",
        "A value cannot be used; the detail says which and why, and `field` names the field when it is one.",
    ),
    (
        "lens-rejected",
        "Lens rejected",
        "The lens has errors; nothing was sent to AWS. `problems` lists them with paths and positions.",
    ),
    (
        "not-found",
        "Not found",
        "What the request names does not exist.",
    ),
    (
        "aws-refused",
        "AWS refused the change",
        "AWS refused the change (a conflict, a quota, a missing resource); the audit history has the attempt under `operation_id`.",
    ),
    (
        "stale",
        "Changed meanwhile",
        "Someone changed the resource since it was read; read it again and retry.",
    ),
    (
        "unavailable",
        "Unavailable",
        "The database or AWS cannot answer right now; retry later.",
    ),
    (
        "too-many-attempts",
        "Too many attempts",
        "Wait, then try again.",
    ),
    (
        "internal",
        "Server error",
        "Something failed on the server; its log has the details under the response's x-request-id.",
    ),
];

impl Problem {
    pub fn new(slug: &'static str, status: StatusCode, detail: impl Into<String>) -> Self {
        let title = KINDS
            .iter()
            .find(|(kind, _, _)| *kind == slug)
            .map_or("Error", |(_, title, _)| *title);
        Problem {
            kind: format!("/api/v1/docs#problem-{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            problems: Vec::new(),
            aws: None,
        }
    }

    pub fn unauthenticated() -> Self {
        Problem::new(
            "unauthenticated",
            StatusCode::UNAUTHORIZED,
            "Send a valid API token as `Authorization: Bearer lgt_…`: it is missing, unknown, revoked or expired, or its user is disabled. Create one on your account page.",
        )
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Problem::new("malformed-request", StatusCode::BAD_REQUEST, detail)
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let detail = error.to_string();
        match error {
            AppError::Unauthenticated | AppError::InvalidCredentials => Problem::unauthenticated(),
            AppError::Forbidden { .. } => Problem::new("forbidden", status, detail),
            AppError::TooManyAttempts { .. } => Problem::new("too-many-attempts", status, detail),
            AppError::Invalid(_) => Problem::new("invalid-input", status, detail),
            AppError::InvalidField { field, .. } => Problem {
                field: Some(field.into()),
                ..Problem::new("invalid-input", status, detail)
            },
            AppError::NotFound(_) => Problem::new("not-found", status, detail),
            AppError::LensRejected { problems } => Problem {
                problems: problems.iter().map(LensProblem::from).collect(),
                ..Problem::new("lens-rejected", status, detail)
            },
            AppError::Aws {
                code, operation_id, ..
            } => Problem {
                aws: Some(Box::new(AwsRefusal {
                    aws_code: code,
                    operation_id,
                })),
                ..Problem::new("aws-refused", status, detail)
            },
            AppError::Stale { .. } => Problem::new("stale", status, detail),
            AppError::Unavailable(_) | AppError::Transport(_) => {
                Problem::new("unavailable", status, detail)
            }
            AppError::Internal => Problem::new("internal", status, detail),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
