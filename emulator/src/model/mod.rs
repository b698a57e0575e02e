//! The AWS service models (botocore JSON, vendored under `models/`): the single source of truth
//! for routes, member locations, input constraints and error shapes.

pub mod validate;

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ServiceModel {
    pub metadata: Metadata,
    pub operations: HashMap<String, Operation>,
    pub shapes: HashMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub protocol: String,
    pub signing_name: Option<String>,
    pub endpoint_prefix: String,
    pub target_prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    pub name: String,
    pub http: Http,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

#[derive(Debug, Deserialize)]
pub struct ShapeRef {
    pub shape: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeKind {
    Structure,
    String,
    Integer,
    Long,
    Boolean,
    List,
    Map,
    Timestamp,
    Blob,
    Double,
    Float,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: ShapeKind,
    #[serde(default)]
    pub members: BTreeMap<String, Member>,
    #[serde(default)]
    pub required: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub fault: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub shape: String,
    pub location: Option<Location>,
    pub location_name: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Uri,
    Querystring,
    Header,
    Headers,
    StatusCode,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    pub http_status_code: Option<u16>,
}

impl ServiceModel {
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The input member the client fills with an idempotency token, if the operation has one:
    /// the member with the `idempotencyToken` trait, or else one named as AWS documents its
    /// tokens (the License Manager model documents `ClientToken` without the trait).
    pub fn idempotency_member(&self, operation: &Operation) -> Option<&str> {
        let input = self.shape(&operation.input.as_ref()?.shape)?;
        input
            .members
            .iter()
            .find(|(_, member)| member.idempotency_token)
            .or_else(|| {
                input
                    .members
                    .iter()
                    .find(|(name, _)| matches!(name.as_str(), "ClientToken" | "ClientRequestToken"))
            })
            .map(|(name, _)| name.as_str())
    }

    /// The HTTP status of a modeled error: its `httpStatusCode`, else 500 for faults and 400
    /// for client errors, as awsJson services answer.
    pub fn error_status(&self, code: &str) -> Option<u16> {
        let shape = self.shape(code)?;
        Some(
            shape
                .error
                .as_ref()
                .and_then(|e| e.http_status_code)
                .unwrap_or(if shape.fault { 500 } else { 400 }),
        )
    }
}
