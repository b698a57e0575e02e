//! Errors as the services send them. A handler names the modeled error and its members; the
//! protocol layer writes only the members the error's shape declares, with the model's casing.

use serde_json::{Map, Value, json};

use crate::model::validate::FieldError;

#[derive(Debug, Clone)]
pub struct ServiceError {
    /// The error shape's name, e.g. `ResourceNotFoundException`.
    pub code: String,
    pub message: String,
    /// Members beyond the message, by their model names (`ResourceId`, `Reason`, `Fields`, ...).
    pub members: Map<String, Value>,
    /// Set for errors outside the model (signature problems), which carry their own status.
    pub status: Option<u16>,
}

impl ServiceError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ServiceError {
            code: code.to_owned(),
            message: message.into(),
            members: Map::new(),
            status: None,
        }
    }

    pub fn with(mut self, member: &str, value: impl Into<Value>) -> Self {
        self.members.insert(member.to_owned(), value.into());
        self
    }

    fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// A ValidationException with Reason OTHER.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message).with("Reason", "OTHER")
    }

    pub fn cannot_parse(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message).with("Reason", "CANNOT_PARSE")
    }

    pub fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message).with("Reason", "UNKNOWN_OPERATION")
    }

    /// One `Fields` entry per offending member, and AWS's summary sentence as the message.
    pub fn field_validation(fields: &[FieldError]) -> Self {
        let count = fields.len();
        let plural = if count == 1 { "error" } else { "errors" };
        let details: Vec<String> = fields
            .iter()
            .map(|f| {
                format!(
                    "Value at '{}' failed to satisfy constraint: Member {}",
                    f.name, f.message
                )
            })
            .collect();
        let entries: Vec<Value> = fields
            .iter()
            .map(|f| json!({ "Name": f.name, "Message": f.message }))
            .collect();
        Self::new(
            "ValidationException",
            format!(
                "{count} validation {plural} detected: {}",
                details.join("; ")
            ),
        )
        .with("Reason", "FIELD_VALIDATION_FAILED")
        .with("Fields", entries)
    }

    pub fn not_found(resource_type: &str, resource_id: &str, message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
            .with("ResourceId", resource_id)
            .with("ResourceType", resource_type)
    }

    pub fn conflict(resource_type: &str, resource_id: &str, message: impl Into<String>) -> Self {
        Self::new("ConflictException", message)
            .with("ResourceId", resource_id)
            .with("ResourceType", resource_type)
    }

    pub fn quota_exceeded(
        resource_type: &str,
        resource_id: &str,
        quota_code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new("ServiceQuotaExceededException", message)
            .with("ResourceId", resource_id)
            .with("ResourceType", resource_type)
            .with("QuotaCode", quota_code)
            .with("ServiceCode", "wellarchitected")
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new("AccessDeniedException", message)
    }

    /// The request carried no usable signature.
    pub fn missing_authentication() -> Self {
        Self::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
        .with_status(403)
    }

    pub fn unrecognized_client() -> Self {
        Self::new(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
        .with_status(403)
    }

    pub fn invalid_signature(message: impl Into<String>) -> Self {
        Self::new("InvalidSignatureException", message).with_status(403)
    }
}
