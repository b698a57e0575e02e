//! The wire protocols, driven by the service model: how a request names its operation and
//! carries its input, and how outputs and errors go back.

mod aws_json;
mod rest_json;

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::Response,
};
use serde_json::{Map, Value};

use crate::{
    error::ServiceError,
    model::{
        ServiceModel,
        validate::{Patterns, Validator},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// restJson1: the operation from method and path, members in path, query, headers and body.
    RestJson,
    /// awsJson1_1: `POST /`, the operation in `X-Amz-Target`, every member in the body.
    AwsJson,
}

pub struct Service {
    pub model: ServiceModel,
    pub protocol: Protocol,
    pub signing_name: String,
    patterns: Patterns,
    routes: Vec<rest_json::Route>,
}

/// A request resolved to an operation with its validated input.
pub struct Call {
    pub operation: String,
    pub input: Value,
}

pub struct RawRequest<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl Service {
    pub fn load(model_json: &str) -> Result<Self, String> {
        let model = ServiceModel::parse(model_json).map_err(|e| format!("service model: {e}"))?;
        let protocol = match model.metadata.protocol.as_str() {
            "rest-json" => Protocol::RestJson,
            "json" => Protocol::AwsJson,
            other => return Err(format!("unsupported protocol {other}")),
        };
        let patterns = Patterns::compile(&model)?;
        let routes = match protocol {
            Protocol::RestJson => rest_json::routes(&model),
            Protocol::AwsJson => Vec::new(),
        };
        let signing_name = model
            .metadata
            .signing_name
            .clone()
            .unwrap_or_else(|| model.metadata.endpoint_prefix.clone());
        Ok(Service {
            model,
            protocol,
            signing_name,
            patterns,
            routes,
        })
    }

    /// Finds the operation, gathers its input from wherever the model puts each member, and
    /// validates it.
    pub fn resolve(&self, request: &RawRequest<'_>) -> Result<Call, ServiceError> {
        let call = match self.protocol {
            Protocol::RestJson => rest_json::resolve(&self.model, &self.routes, request)?,
            Protocol::AwsJson => aws_json::resolve(&self.model, request)?,
        };
        if let Some(input) = self.model.operations[&call.operation].input.as_ref() {
            let errors =
                Validator::new(&self.model, &self.patterns).check(&input.shape, &call.input);
            if !errors.is_empty() {
                return Err(ServiceError::field_validation(&errors));
            }
        }
        Ok(call)
    }

    /// Problems in an output, checked against the operation's output shape.
    pub fn check_output(&self, operation: &str, output: &Value) -> Vec<String> {
        let Some(shape) = self
            .model
            .operations
            .get(operation)
            .and_then(|o| o.output.as_ref())
        else {
            return Vec::new();
        };
        Validator::new(&self.model, &self.patterns)
            .check(&shape.shape, output)
            .into_iter()
            .map(|e| format!("{}: {}", e.name, e.message))
            .collect()
    }

    /// Whether the operation changes state (and so takes the write path).
    pub fn mutates(&self, operation: &str) -> bool {
        match self.protocol {
            Protocol::RestJson => self
                .model
                .operations
                .get(operation)
                .is_some_and(|o| o.http.method != "GET"),
            Protocol::AwsJson => !(operation.starts_with("Get") || operation.starts_with("List")),
        }
    }

    /// The service's own name for errors both services have under different names.
    pub fn error_code<'a>(&self, code: &'a str) -> &'a str {
        match (self.protocol, code) {
            (Protocol::AwsJson, "InternalServerException") => "ServerInternalException",
            (Protocol::AwsJson, "ThrottlingException") => "RateLimitExceededException",
            _ => code,
        }
    }

    /// A client token reused with other parameters.
    pub fn idempotency_mismatch(&self, operation: &str) -> ServiceError {
        let message = format!(
            "The client token was already used for a different {operation} request; use a new token."
        );
        match self.protocol {
            Protocol::RestJson => ServiceError::conflict("ClientRequestToken", "", message),
            Protocol::AwsJson => ServiceError::validation(message),
        }
    }

    pub fn respond(&self, operation: &str, output: Value) -> Response {
        let status = self
            .model
            .operations
            .get(operation)
            .and_then(|o| o.http.response_code)
            .unwrap_or(200);
        let content_type = match self.protocol {
            Protocol::RestJson => "application/json",
            Protocol::AwsJson => "application/x-amz-json-1.1",
        };
        json_response(status, content_type, &output, None)
    }

    pub fn respond_error(&self, error: &ServiceError) -> Response {
        let code = self.error_code(&error.code);
        let shape = self.model.shape(code);
        let status = error
            .status
            .or_else(|| self.model.error_status(code))
            .unwrap_or(400);
        let mut body = Map::new();
        let content_type = match self.protocol {
            Protocol::RestJson => {
                body.insert("Message".to_owned(), Value::String(error.message.clone()));
                "application/json"
            }
            Protocol::AwsJson => {
                body.insert("__type".to_owned(), Value::String(code.to_owned()));
                body.insert("message".to_owned(), Value::String(error.message.clone()));
                "application/x-amz-json-1.1"
            }
        };
        for (name, value) in &error.members {
            // Only the members the error's shape declares; errors outside the model keep theirs.
            if shape.is_none_or(|s| s.members.contains_key(name)) {
                body.insert(name.clone(), value.clone());
            }
        }
        json_response(status, content_type, &Value::Object(body), Some(code))
    }
}

fn json_response(
    status: u16,
    content_type: &str,
    body: &Value,
    error_type: Option<&str>,
) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    );
    headers.insert(
        "x-amzn-requestid",
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .unwrap_or(HeaderValue::from_static("-")),
    );
    if let Some(code) = error_type.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert("x-amzn-errortype", code);
    }
    response
}
