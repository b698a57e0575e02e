//! One error for everything the gateway can meet: the AWS error code and message for the audit
//! history, and a sentence for the person who asked for the change.

use aws_sdk_wellarchitected::{
    config::http::HttpResponse,
    error::{ProvideErrorMetadata, SdkError},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    NotFound,
    Conflict,
    QuotaExceeded,
    Throttled,
    AccessDenied,
    /// AWS answered with a fault, timed out or could not be reached: the outcome is unknown
    /// and a retry with the same token is safe.
    Unavailable,
    /// The audit history could not be written, so nothing was sent.
    Audit,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{user_message}")]
pub struct GatewayError {
    pub kind: ErrorKind,
    /// The AWS error code, such as `ConflictException`, or lensgate's own for non-AWS failures.
    pub code: String,
    pub aws_message: String,
    pub user_message: String,
    /// The audited operation, for a retry.
    pub operation_id: Option<String>,
}

/// What an SDK call failed with, before it is put in words for a given operation.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl Failure {
    pub fn from_sdk<E>(error: &SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let (code, message) = match error {
            SdkError::ServiceError(service) => (
                service.err().code().unwrap_or("Unknown").to_owned(),
                service.err().message().unwrap_or_default().to_owned(),
            ),
            SdkError::TimeoutError(_) => {
                ("Timeout".to_owned(), "the call to AWS timed out".to_owned())
            }
            SdkError::DispatchFailure(failure) => (
                "NetworkError".to_owned(),
                format!("the request could not be sent: {failure:?}"),
            ),
            SdkError::ResponseError(_) => (
                "ResponseError".to_owned(),
                "the answer could not be read".to_owned(),
            ),
            SdkError::ConstructionFailure(_) => (
                "InvalidRequest".to_owned(),
                "the request could not be built".to_owned(),
            ),
            _ => ("Unknown".to_owned(), error.to_string()),
        };
        let request_id = error.raw_response().and_then(|r| {
            r.headers()
                .get("x-amzn-requestid")
                .or_else(|| r.headers().get("x-amz-request-id"))
                .map(str::to_owned)
        });
        Failure {
            code,
            message,
            request_id,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self.code.as_str() {
            "ValidationException" | "InvalidParameterValueException" | "InvalidRequest" => {
                ErrorKind::Invalid
            }
            "ResourceNotFoundException" => ErrorKind::NotFound,
            "ConflictException" => ErrorKind::Conflict,
            "ServiceQuotaExceededException" | "ResourceLimitExceededException" => {
                ErrorKind::QuotaExceeded
            }
            "ThrottlingException" | "RateLimitExceededException" => ErrorKind::Throttled,
            "AccessDeniedException"
            | "AuthorizationException"
            | "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "MissingAuthenticationTokenException"
            | "ExpiredTokenException" => ErrorKind::AccessDenied,
            _ => ErrorKind::Unavailable,
        }
    }

    /// The error as the person who asked for `action` reads it.
    pub fn for_action(&self, action: &str, operation_id: Option<String>) -> GatewayError {
        let kind = self.kind();
        let aws = &self.message;
        let user_message = match (action, kind) {
            ("CreateLensVersion", ErrorKind::QuotaExceeded) => {
                "This lens already has 100 versions, the most AWS allows.".to_owned()
            }
            ("CreateLensVersion", ErrorKind::Conflict) => {
                format!("AWS did not publish this version: {aws} Choose a version name this lens has not used yet.")
            }
            ("CreateLensShare" | "CreateWorkloadShare", ErrorKind::Conflict) => {
                format!("Already shared, or shared with your own account: {aws}")
            }
            ("ImportLens", ErrorKind::Conflict) if aws.contains("normalized name") => format!(
                "AWS refused a new lens: {aws} Names are compared in lowercase letters and digits only, so this name is taken. Import the file as an update of that lens (choose it under “Import as”), or rename this one."
            ),
            ("ImportLens", ErrorKind::Invalid) if aws.contains("must match published name") => format!(
                "AWS refused the update: {aws}. A published lens keeps its name: set \"name\" back to the published one, or import the file as a new lens to use the new name."
            ),
            ("ImportLens", ErrorKind::QuotaExceeded) => format!(
                "AWS refused a new lens: {aws} An account has at most 15 custom lenses per Region: import this file as an update of an existing lens, delete one you no longer need, or request a higher quota in Service Quotas."
            ),
            ("CreateLensShare", ErrorKind::QuotaExceeded) => format!(
                "AWS refused the share: {aws} A custom lens can be shared at most 300 times: revoke shares no longer needed, or share with an organization or OU instead of single accounts."
            ),
            (_, ErrorKind::Invalid) => format!("AWS refused the request: {aws}"),
            (_, ErrorKind::NotFound) => format!("AWS cannot find it (it may have been deleted): {aws}"),
            (_, ErrorKind::Conflict) => format!("AWS refused the change because of the current state: {aws}"),
            (_, ErrorKind::QuotaExceeded) => format!("An AWS limit was reached: {aws}"),
            (_, ErrorKind::Throttled) => {
                "AWS is throttling requests and lensgate's retries ran out. Try again in a minute; the change will not be applied twice.".to_owned()
            }
            (_, ErrorKind::AccessDenied) => format!(
                "AWS denied the request: the credentials lensgate uses lack permission or are invalid ({aws})."
            ),
            (_, ErrorKind::Unavailable | ErrorKind::Audit) => format!(
                "AWS could not complete the request ({}: {aws}). Retry; the change will not be applied twice.",
                self.code
            ),
        };
        GatewayError {
            kind,
            code: self.code.clone(),
            aws_message: self.message.clone(),
            user_message,
            operation_id,
        }
    }
}

/// A gateway failure in the words the page shows, with the audit operation when there is one.
impl From<GatewayError> for lensgate_app::error::AppError {
    fn from(error: GatewayError) -> Self {
        lensgate_app::error::AppError::Aws {
            message: error.user_message,
            code: error.code,
            operation_id: error.operation_id,
        }
    }
}

pub fn audit_unavailable(error: &sqlx::Error) -> GatewayError {
    tracing::error!(%error, "the audit history cannot be written");
    GatewayError {
        kind: ErrorKind::Audit,
        code: "AuditUnavailable".to_owned(),
        aws_message: String::new(),
        user_message: "The audit history cannot be written right now, so nothing was sent to AWS. Try again; if it persists, check the server log.".to_owned(),
        operation_id: None,
    }
}
