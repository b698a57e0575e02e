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

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, Method, Uri};

    use super::{RawRequest, Service};

    fn wellarchitected() -> Service {
        Service::load(crate::WELLARCHITECTED_MODEL).unwrap()
    }

    fn resolve(
        service: &Service,
        method: Method,
        uri: &str,
        headers: HeaderMap,
        body: &[u8],
    ) -> Result<super::Call, crate::error::ServiceError> {
        let uri: Uri = uri.parse().unwrap();
        service.resolve(&RawRequest {
            method: &method,
            uri: &uri,
            headers: &headers,
            body,
        })
    }

    #[test]
    fn a_percent_encoded_arn_in_the_path_is_decoded_into_its_member() {
        let call = resolve(
            &wellarchitected(),
            Method::POST,
            "/lenses/arn%3Aaws%3Awellarchitected%3Aus-east-1%3A111122223333%3Alens%2Fabc/versions",
            HeaderMap::new(),
            br#"{"LensVersion":"1.0","ClientRequestToken":"t"}"#,
        )
        .unwrap();
        assert_eq!(call.operation, "CreateLensVersion");
        assert_eq!(
            call.input["LensAlias"],
            "arn:aws:wellarchitected:us-east-1:111122223333:lens/abc"
        );
        assert_eq!(call.input["LensVersion"], "1.0");
    }

    #[test]
    fn query_members_are_typed_as_the_model_says() {
        let call = resolve(
            &wellarchitected(),
            Method::GET,
            "/lenses?MaxResults=5&LensType=CUSTOM_SELF",
            HeaderMap::new(),
            b"",
        )
        .unwrap();
        assert_eq!(call.operation, "ListLenses");
        assert_eq!(call.input["MaxResults"], 5);
        let error = resolve(
            &wellarchitected(),
            Method::GET,
            "/lenses?MaxResults=many",
            HeaderMap::new(),
            b"",
        )
        .err()
        .unwrap();
        assert_eq!(error.members["Reason"], "FIELD_VALIDATION_FAILED");
    }

    #[test]
    fn an_unknown_path_is_an_unknown_operation_not_a_panic() {
        let error = resolve(
            &wellarchitected(),
            Method::GET,
            "/no/such/thing",
            HeaderMap::new(),
            b"",
        )
        .err()
        .unwrap();
        assert_eq!(error.code, "ValidationException");
        assert_eq!(error.members["Reason"], "UNKNOWN_OPERATION");
    }

    #[test]
    fn a_body_that_is_not_json_cannot_be_parsed() {
        let error = resolve(
            &wellarchitected(),
            Method::PUT,
            "/importLens",
            HeaderMap::new(),
            b"{not json",
        )
        .err()
        .unwrap();
        assert_eq!(error.members["Reason"], "CANNOT_PARSE");
    }

    #[test]
    fn an_unknown_target_is_an_unknown_operation_for_license_manager() {
        let service = Service::load(crate::LICENSE_MANAGER_MODEL).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-target",
            HeaderValue::from_static("AWSLicenseManager.MakeCoffee"),
        );
        let error = resolve(&service, Method::POST, "/", headers, b"{}")
            .err()
            .unwrap();
        assert_eq!(error.code, "UnknownOperationException");
        let response = service.respond_error(&error);
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "UnknownOperationException"
        );
    }

    #[test]
    fn errors_carry_the_models_status_and_only_the_declared_members() {
        let service = wellarchitected();
        let error = crate::error::ServiceError::quota_exceeded("LENS", "arn", "L-1", "too many")
            .with("Bogus", "x");
        let response = service.respond_error(&error);
        assert_eq!(response.status(), 402);
        let license_manager = Service::load(crate::LICENSE_MANAGER_MODEL).unwrap();
        let throttled = license_manager.respond_error(&crate::error::ServiceError::new(
            "ThrottlingException",
            "slow down",
        ));
        assert_eq!(
            throttled.headers()["x-amzn-errortype"],
            "RateLimitExceededException"
        );
    }
}
