//! What every handler shares: typed input from the validated JSON, JSON output from its result.

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::error::ServiceError;

/// Validated input into the handler's type. A failure here means the model and the handler
/// disagree, which the emulator reports rather than hides.
pub fn parse<T: DeserializeOwned>(input: Value) -> Result<T, ServiceError> {
    serde_json::from_value(input)
        .map_err(|e| ServiceError::cannot_parse(format!("Unexpected input: {e}.")))
}

/// The handler's output as JSON without null members, as AWS omits absent members.
pub fn reply<T: Serialize>(result: Result<T, ServiceError>) -> Result<Value, ServiceError> {
    let value = serde_json::to_value(result?).map_err(crate::store::internal)?;
    Ok(without_nulls(value))
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}
