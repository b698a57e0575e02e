//! The one way lensgate reaches AWS. Every change is audited in three steps:
//! 1. a `requested` event with a fresh idempotency token, committed before any network traffic;
//! 2. the SDK call with that token (the SDK retries throttling and faults with the same token);
//! 3. a `succeeded` or `failed` event with the answer, the AWS error, the attempts and the time.
//!
//! A retry of a failed or unanswered change, and the recovery at start-up of changes whose
//! outcome was never written, send the stored request again with the stored token, which AWS
//! (and the emulator) answer without applying the change twice.

mod attempts;
mod change;
mod error;
mod form_token;
mod reads;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use serde_json::Value;

pub use change::Change;
pub use error::{ErrorKind, GatewayError};
pub use form_token::FormToken;
pub use reads::every_page;

use self::{attempts::AttemptCounter, error::Failure};
use crate::{
    audit::{Actor, AuditLog, Claim, Event, NewEvent, Phase},
    aws::AwsClients,
    db::Database,
};

#[derive(Clone)]
pub struct Gateway {
    aws: AwsClients,
    audit: Arc<AuditLog>,
    /// Changes sent so far, for reads kept a while: one kept before the count moved may no
    /// longer be what AWS holds.
    sent: Arc<AtomicU64>,
}

/// A change AWS accepted.
#[derive(Debug, Clone)]
pub struct Applied {
    pub operation_id: String,
    pub response: Value,
}

/// Whether AWS answers through `aws`; `None` when it does, what failed otherwise.
pub async fn check(aws: &AwsClients) -> Option<String> {
    match aws
        .wellarchitected
        .list_lenses()
        .max_results(1)
        .send()
        .await
    {
        Ok(_) => None,
        Err(error) => Some(describe_sdk_error(&error)),
    }
}

/// A short description of any SDK error, for logs and readiness.
fn describe_sdk_error<E>(
    error: &aws_sdk_wellarchitected::error::SdkError<
        E,
        aws_sdk_wellarchitected::config::http::HttpResponse,
    >,
) -> String
where
    E: aws_sdk_wellarchitected::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let failure = Failure::from_sdk(error);
    format!("{}: {}", failure.code, failure.message)
}

impl Gateway {
    pub fn new(aws: AwsClients, audit: Arc<AuditLog>) -> Self {
        Gateway {
            aws,
            audit,
            sent: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How many changes this server has sent to AWS, whatever their outcome: a failed or
    /// unanswered one may have been applied too.
    pub fn changes_sent(&self) -> u64 {
        self.sent.load(Ordering::Acquire)
    }

    /// The database the gateway's audit history is kept in.
    pub fn database(&self) -> &Database {
        self.audit.database()
    }

    pub fn clients(&self) -> &AwsClients {
        &self.aws
    }

    /// A cheap read that proves credentials, region and network work: `None` when it does.
    pub async fn check(&self) -> Option<String> {
        check(&self.aws).await
    }

    /// Makes `change` in AWS on behalf of `actor`, audited.
    pub async fn apply(&self, actor: &Actor, change: Change) -> Result<Applied, GatewayError> {
        let token = change
            .takes_token()
            .then(|| uuid::Uuid::new_v4().to_string());
        self.begin(actor, change, token).await
    }

    /// Makes `change` as submitted from a form. Submitting the same form with the same input
    /// again answers with the first submission's operation (re-sent with its token if it has no
    /// success yet) instead of making the change twice.
    pub async fn apply_once(
        &self,
        actor: &Actor,
        change: Change,
        form: Option<&FormToken>,
    ) -> Result<Applied, GatewayError> {
        let Some(form) = form.filter(|_| change.takes_token()) else {
            return self.apply(actor, change).await;
        };
        let token = form.idempotency_token(&change);
        let earlier = self
            .audit
            .operation_with_token(&token)
            .await
            .map_err(|e| error::audit_unavailable(&e))?;
        match earlier {
            Some(operation_id) => {
                tracing::info!(%operation_id, "a form was submitted again; answering with its first operation");
                self.retry(&operation_id).await
            }
            None => self.begin(actor, change, Some(token)).await,
        }
    }

    async fn begin(
        &self,
        actor: &Actor,
        change: Change,
        token: Option<String>,
    ) -> Result<Applied, GatewayError> {
        let operation_id = uuid::Uuid::new_v4().to_string();
        let request = serde_json::to_value(&change)
            .map_err(|e| error::audit_unavailable(&sqlx::Error::Decode(Box::new(e))))?;
        let mut claim = self.claim(&operation_id).await?;
        self.audit
            .append_in(
                &mut claim,
                NewEvent {
                    actor: actor.clone(),
                    action: change.action().to_owned(),
                    target: change.target(),
                    phase: Phase::Requested,
                    operation_id: operation_id.clone(),
                    idempotency_token: token.clone(),
                    request,
                    response: None,
                    error_code: None,
                    error_message: None,
                    aws_request_id: None,
                    attempts: None,
                    duration_ms: None,
                },
            )
            .await
            .map_err(|e| error::audit_unavailable(&e))?;
        self.drive(actor, &operation_id, token.as_deref(), &change, claim)
            .await
    }

    /// Holds an open operation for this server while it is sent and its outcome recorded.
    async fn claim(&self, operation_id: &str) -> Result<Claim, GatewayError> {
        self.audit
            .claim(operation_id)
            .await
            .map_err(|e| error::audit_unavailable(&e))?
            .ok_or_else(|| GatewayError {
                kind: ErrorKind::Conflict,
                code: "OperationInProgress".to_owned(),
                aws_message: String::new(),
                user_message: "Another lensgate server is finishing this change right now: reload in a moment to see its outcome.".to_owned(),
                operation_id: Some(operation_id.to_owned()),
            })
    }

    /// Sends an audited change again with its stored token. A change that already succeeded is
    /// not sent again; its answer is returned.
    pub async fn retry(&self, operation_id: &str) -> Result<Applied, GatewayError> {
        let events = self
            .audit
            .operation(operation_id)
            .await
            .map_err(|e| error::audit_unavailable(&e))?;
        if let Some(done) = events.iter().find(|e| e.phase == Phase::Succeeded.as_str()) {
            return Ok(Applied {
                operation_id: operation_id.to_owned(),
                response: done
                    .response
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .unwrap_or(Value::Null),
            });
        }
        let requested = events
            .iter()
            .find(|e| e.phase == Phase::Requested.as_str())
            .ok_or_else(|| unknown_operation(operation_id))?;
        let claim = self.claim(operation_id).await?;
        self.resend(requested, claim).await
    }

    /// Finishes the changes whose outcome was never written (the server stopped between
    /// sending and recording). Returns how many were re-driven. On PostgreSQL only those no
    /// replica holds: a replica holds each change it sends (see [`AuditLog::claim`]), so only a
    /// stopped replica's are taken, each by one replica.
    pub async fn recover(&self) -> Result<usize, sqlx::Error> {
        let mut recovered = 0;
        match self.audit.database() {
            Database::Postgres(_) => {
                let mut seen = std::collections::HashSet::new();
                while let Some((requested, claim)) = self.audit.claim_unfinished().await? {
                    // An outcome that could not be recorded leaves the operation open: it waits
                    // for the next round rather than being sent again and again now.
                    if !seen.insert(requested.operation_id.clone()) {
                        break;
                    }
                    self.redrive(&requested, claim).await;
                    recovered += 1;
                }
            }
            Database::Sqlite(_) => {
                for requested in self.audit.unfinished().await? {
                    if let Some(claim) = self.audit.claim(&requested.operation_id).await? {
                        self.redrive(&requested, claim).await;
                        recovered += 1;
                    }
                }
            }
        }
        Ok(recovered)
    }

    async fn redrive(&self, requested: &Event, claim: Claim) {
        tracing::info!(
            operation_id = %requested.operation_id,
            action = %requested.action,
            "recovering an AWS change whose outcome was not recorded"
        );
        if let Err(error) = self.resend(requested, claim).await {
            tracing::warn!(operation_id = %requested.operation_id, %error, "the recovered change failed");
        }
    }

    async fn resend(&self, requested: &Event, claim: Claim) -> Result<Applied, GatewayError> {
        let change: Change = serde_json::from_str(&requested.request)
            .map_err(|_| unknown_operation(&requested.operation_id))?;
        let actor = Actor {
            name: requested.actor.clone(),
            role: requested.actor_role.clone(),
        };
        self.drive(
            &actor,
            &requested.operation_id,
            requested.idempotency_token.as_deref(),
            &change,
            claim,
        )
        .await
    }

    async fn drive(
        &self,
        actor: &Actor,
        operation_id: &str,
        token: Option<&str>,
        change: &Change,
        claim: Claim,
    ) -> Result<Applied, GatewayError> {
        let attempts = AttemptCounter::default();
        let started = Instant::now();
        let open = metrics::gauge!("lensgate_aws_calls_open");
        open.increment(1);
        let result = change
            .send(&self.aws, token.unwrap_or_default(), &attempts)
            .await;
        self.sent.fetch_add(1, Ordering::AcqRel);
        open.decrement(1);
        let elapsed = started.elapsed();
        let duration_ms = elapsed.as_millis() as i64;
        let operation = change.action().to_owned();
        let outcome = if result.is_ok() {
            "succeeded"
        } else {
            "failed"
        };
        metrics::counter!("lensgate_aws_calls_total", "operation" => operation.clone(), "outcome" => outcome)
            .increment(1);
        metrics::histogram!("lensgate_aws_call_duration_seconds", "operation" => operation.clone())
            .record(elapsed.as_secs_f64());
        metrics::histogram!("lensgate_aws_call_attempts", "operation" => operation)
            .record(attempts.count() as f64);
        let mut outcome = NewEvent {
            actor: actor.clone(),
            action: change.action().to_owned(),
            target: change.target(),
            phase: Phase::Succeeded,
            operation_id: operation_id.to_owned(),
            idempotency_token: token.map(str::to_owned),
            request: Value::Null,
            response: None,
            error_code: None,
            error_message: None,
            aws_request_id: None,
            attempts: Some(attempts.count()),
            duration_ms: Some(duration_ms),
        };
        match &result {
            Ok(answer) => {
                if outcome.target.is_empty() {
                    outcome.target = Change::created(&answer.response);
                }
                outcome.response = Some(answer.response.clone());
                outcome.aws_request_id = answer.request_id.clone();
            }
            Err(failure) => {
                outcome.phase = Phase::Failed;
                outcome.error_code = Some(failure.code.clone());
                outcome.error_message = Some(failure.message.clone());
                outcome.aws_request_id = failure.request_id.clone();
            }
        }
        if let Err(error) = self.audit.append_claimed(claim, outcome).await {
            // The change may have happened; its `requested` event stays unfinished and recovery
            // re-drives it with the same token.
            return Err(error::audit_unavailable(&error));
        }
        match result {
            Ok(answer) => Ok(Applied {
                operation_id: operation_id.to_owned(),
                response: answer.response,
            }),
            Err(failure) => Err(failure.for_action(change.action(), Some(operation_id.to_owned()))),
        }
    }
}

fn unknown_operation(operation_id: &str) -> GatewayError {
    GatewayError {
        kind: ErrorKind::NotFound,
        code: "UnknownOperation".to_owned(),
        aws_message: String::new(),
        user_message: format!("No audited change {operation_id} can be retried."),
        operation_id: Some(operation_id.to_owned()),
    }
}
