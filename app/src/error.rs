//! The one error type server functions return to the browser. Each variant's text is written for
//! the person at the screen; internal causes are logged on the server and never sent.

use lensgate_lens::{Problem, Severity};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Sign in to continue.")]
    Unauthenticated,
    /// The signed-in user's role is below the one the action needs.
    #[error("Your role cannot do this: it needs the {needed} role. Ask an administrator.")]
    Forbidden { needed: String },
    /// The same words whether the user is unknown or the password wrong.
    #[error("Wrong username or password.")]
    InvalidCredentials,
    #[error("Too many failed sign-ins. Wait {seconds} seconds, then try again.")]
    TooManyAttempts { seconds: u64 },
    /// The input cannot be used; the text says why and what to do.
    #[error("{0}")]
    Invalid(String),
    /// One field of the form cannot be used: `field` is its name in the request, and the page
    /// shows `message` under that field.
    #[error("{message}")]
    InvalidField { field: String, message: String },
    /// What the request names does not exist (any more); the text says what and where to look.
    #[error("{0}")]
    NotFound(String),
    /// The lens has errors; nothing was sent to AWS.
    #[error(
        "The lens has {} that must be fixed before it can be imported.",
        count_errors(problems)
    )]
    LensRejected { problems: Vec<Problem> },
    /// AWS refused the change; the audit history has the attempt. `message` says so in full.
    #[error("{message}")]
    Aws {
        message: String,
        code: String,
        operation_id: Option<String>,
    },
    /// Someone changed the resource since the page was loaded; `current` names what it is now,
    /// and the change can be applied again on top of it.
    #[error("{message}")]
    Stale { message: String, current: String },
    /// A dependency (database, AWS backend) cannot answer right now; retrying later may help.
    #[error(
        "{0} is unavailable right now. Try again in a moment; if it persists, check the server log."
    )]
    Unavailable(String),
    /// A fault on the server whose details are in its log.
    #[error("The server could not complete this request. The server log has the details.")]
    Internal,
    /// The request never reached the server function, or its answer could not be read.
    #[error(
        "The request failed before the server could answer: {0}. Check your connection and try again."
    )]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The HTTP status of the error, the one place it is decided: 4xx for what the user can fix,
    /// 5xx for what fails on the way (AWS, the database, the server).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden { .. } => 403,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Invalid(_)
            | AppError::InvalidField { .. }
            | AppError::LensRejected { .. } => 422,
            AppError::NotFound(_) => 404,
            AppError::Stale { .. } => 409,
            AppError::Aws { code, .. } => match code.as_str() {
                "ValidationException" | "InvalidParameterValueException" => 422,
                "ResourceNotFoundException" => 404,
                "ConflictException"
                | "ServiceQuotaExceededException"
                | "ResourceLimitExceededException" => 409,
                "ThrottlingException" | "RateLimitExceededException" => 503,
                // lensgate's own credentials or AWS itself: nothing the user can change.
                _ => 502,
            },
            AppError::Unavailable(_) => 503,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl AppError {
    pub fn invalid_field(field: &str, message: impl Into<String>) -> AppError {
        AppError::InvalidField {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The message when this error is about `field`.
    pub fn about(&self, field: &str) -> Option<&str> {
        match self {
            AppError::InvalidField {
                field: named,
                message,
            } if named == field => Some(message),
            _ => None,
        }
    }
}

fn count_errors(problems: &[Problem]) -> String {
    match problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count()
    {
        1 => "1 error".to_owned(),
        n => format!("{n} errors"),
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn what_the_user_can_fix_is_4xx_and_what_fails_on_the_way_is_5xx() {
        let aws = |code: &str| AppError::Aws {
            message: String::new(),
            code: code.to_owned(),
            operation_id: None,
        };
        assert_eq!(AppError::Invalid(String::new()).status(), 422);
        assert_eq!(AppError::NotFound(String::new()).status(), 404);
        assert_eq!(AppError::LensRejected { problems: vec![] }.status(), 422);
        assert_eq!(
            AppError::Forbidden {
                needed: "admin".into()
            }
            .status(),
            403
        );
        assert_eq!(aws("ConflictException").status(), 409);
        assert_eq!(aws("ValidationException").status(), 422);
        assert_eq!(aws("ResourceNotFoundException").status(), 404);
        assert_eq!(aws("AccessDeniedException").status(), 502);
        assert_eq!(AppError::Unavailable("AWS".into()).status(), 503);
        assert_eq!(
            aws("ConflictException").to_string(),
            "",
            "the message is shown as the gateway wrote it, without a second \"AWS refused\""
        );
    }
}
