//! awsJson1_1: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body.

use serde_json::{Map, Value};

use super::{Call, RawRequest};
use crate::{error::ServiceError, model::ServiceModel};

pub fn resolve(model: &ServiceModel, request: &RawRequest<'_>) -> Result<Call, ServiceError> {
    let unknown = |what: String| ServiceError::new("UnknownOperationException", what);
    let target = request
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let prefix = model.metadata.target_prefix.as_deref().unwrap_or("");
    let operation = target
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|op| model.operations.contains_key(*op))
        .ok_or_else(|| unknown(format!("Unknown operation {target:?}.")))?;
    if request.method != http::Method::POST || request.uri.path() != "/" {
        return Err(unknown(format!("{operation} is called with POST /.")));
    }
    let input = if request.body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice::<Value>(request.body) {
            Ok(value @ Value::Object(_)) => value,
            Ok(_) => {
                return Err(ServiceError::new(
                    "SerializationException",
                    "The request body must be a JSON object.",
                ));
            }
            Err(e) => {
                return Err(ServiceError::new(
                    "SerializationException",
                    format!("The request body is not valid JSON: {e}."),
                ));
            }
        }
    };
    Ok(Call {
        operation: operation.to_owned(),
        input,
    })
}
