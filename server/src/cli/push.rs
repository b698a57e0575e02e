//! `lensgate push FILE --server URL [--lens ARN] [--submit NOTE]`: what a pipeline runs after
//! its lens changed. Validates locally (nothing leaves the machine when the lens has errors),
//! imports the draft through the API with the token in `LENSGATE_TOKEN`, optionally submits it
//! for review, and prints the review's address. Exit codes for CI: 0 done, 1 the lens has
//! errors, 2 lensgate refused (token, role, input, AWS), 3 lensgate could not be reached.

use std::{path::Path, process::ExitCode, time::Duration};

use lensgate_lens::{Format, validate_as};
use serde_json::{Value, json};

use crate::outbound::Outbound;

pub const TOKEN_VARIABLE: &str = "LENSGATE_TOKEN";
/// One call, connection included; an import waits for AWS.
const TIMEOUT: Duration = Duration::from_secs(120);

/// How a push ended, as its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done = 0,
    LensErrors = 1,
    Refused = 2,
    Unreachable = 3,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome as u8)
    }
}

pub struct Push<'a> {
    pub file: &'a Path,
    pub server: &'a str,
    pub lens: Option<&'a str>,
    pub submit: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
}

pub async fn run(push: Push<'_>) -> ExitCode {
    run_to_outcome(push).await.into()
}

async fn run_to_outcome(push: Push<'_>) -> Outcome {
    let name = push.file.display().to_string();
    let text = match super::lens_validate::read(push.file) {
        Ok(text) => text,
        Err(problem) => {
            eprintln!("{name}:{problem}");
            return Outcome::LensErrors;
        }
    };
    let report = validate_as(&text, Format::of(Some(&name), &text));
    for problem in &report.problems {
        eprintln!("{name}:{problem}");
    }
    if !report.is_importable() {
        eprintln!("{name}: not pushed: fix the errors above first");
        return Outcome::LensErrors;
    }
    let Some(token) = std::env::var(TOKEN_VARIABLE).ok().filter(|t| !t.is_empty()) else {
        eprintln!(
            "no token: set {TOKEN_VARIABLE} to a personal API token (create one on your lensgate account page)"
        );
        return Outcome::Refused;
    };
    let client = match Client::new(push.server, &token) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot prepare the HTTPS client: {error}");
            return Outcome::Unreachable;
        }
    };
    let key = push
        .idempotency_key
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let imported = match client
        .post(
            "/api/v1/lenses",
            Some(&key),
            &json!({ "lens": text, "lens_arn": push.lens }),
        )
        .await
        .and_then(|answer| answer.or_refusal(&name))
    {
        Ok(imported) => imported,
        Err(outcome) => return outcome,
    };
    let lens_arn = imported["lens_arn"].as_str().unwrap_or_default().to_owned();
    println!(
        "imported {name} as the draft of {lens_arn} (operation {})",
        imported["operation_id"].as_str().unwrap_or_default()
    );
    let Some(note) = push.submit else {
        return Outcome::Done;
    };
    match client
        .post(
            "/api/v1/reviews",
            None,
            &json!({ "lens_arn": lens_arn, "note": note }),
        )
        .await
        .and_then(|answer| answer.or_refusal(&name))
    {
        Ok(review) => {
            println!(
                "submitted for review {}: {}",
                review["review_id"],
                review["url"].as_str().unwrap_or_default()
            );
            Outcome::Done
        }
        Err(outcome) => outcome,
    }
}

/// The lensgate being pushed to.
struct Client {
    base: String,
    authorization: String,
    outbound: Outbound,
}

/// An answer from lensgate: its status and JSON body.
struct Answer {
    status: http::StatusCode,
    body: Value,
}

impl Client {
    fn new(server: &str, token: &str) -> std::io::Result<Self> {
        Ok(Client {
            base: server.trim_end_matches('/').to_owned(),
            authorization: format!("Bearer {token}"),
            outbound: Outbound::new(concat!("lensgate-push/", env!("CARGO_PKG_VERSION")))?,
        })
    }

    async fn post(&self, path: &str, key: Option<&str>, body: &Value) -> Result<Answer, Outcome> {
        let mut headers = vec![("authorization", self.authorization.as_str())];
        if let Some(key) = key {
            headers.push(("idempotency-key", key));
        }
        let answer = self
            .outbound
            .post_json(
                &format!("{}{path}", self.base),
                &headers,
                body.to_string(),
                TIMEOUT,
            )
            .await
            .map_err(|error| {
                eprintln!("cannot reach lensgate at {}: {error}", self.base);
                Outcome::Unreachable
            })?;
        Ok(Answer {
            status: answer.status,
            body: serde_json::from_slice(&answer.body).unwrap_or(Value::Null),
        })
    }
}

impl Answer {
    /// The body of a success, or the outcome a refusal means, said on stderr with the lens's
    /// problems at their lines.
    fn or_refusal(self, file: &str) -> Result<Value, Outcome> {
        let Answer { status, body } = self;
        if status.is_success() {
            return Ok(body);
        }
        let detail = body["detail"].as_str().unwrap_or("no explanation given");
        eprintln!("lensgate answered {status}: {detail}");
        if let Some(problems) = body["problems"].as_array() {
            for problem in problems {
                eprintln!(
                    "{file}:{}:{}: {}: {}",
                    problem["line"],
                    problem["column"],
                    problem["severity"].as_str().unwrap_or("error"),
                    problem["message"].as_str().unwrap_or_default()
                );
            }
        }
        Err(if status.is_server_error() {
            Outcome::Unreachable
        } else if body["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("lens-rejected"))
        {
            Outcome::LensErrors
        } else {
            Outcome::Refused
        })
    }
}
