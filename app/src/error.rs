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
    /// The lens has errors; nothing was sent to AWS.
    #[error(
        "The lens has {} that must be fixed before it can be imported.",
        count_errors(problems)
    )]
    LensRejected { problems: Vec<Problem> },
    /// AWS refused the change; the audit history has the attempt.
    #[error("AWS refused: {message}")]
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
