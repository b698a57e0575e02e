//! restJson1: routes compiled from each operation's `http` block (`POST /lenses/{LensAlias}/versions`).

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::{Call, RawRequest};
use crate::{
    error::ServiceError,
    model::{Location, ServiceModel, ShapeKind},
};

pub struct Route {
    method: String,
    segments: Vec<Segment>,
    operation: String,
}

enum Segment {
    Literal(String),
    Label(String),
    Greedy(String),
}

pub fn routes(model: &ServiceModel) -> Vec<Route> {
    let mut routes: Vec<Route> = model
        .operations
        .values()
        .map(|op| {
            let path = op.http.request_uri.split('?').next().unwrap_or("");
            let segments = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(label) => match label.strip_suffix('+') {
                            Some(greedy) => Segment::Greedy(greedy.to_owned()),
                            None => Segment::Label(label.to_owned()),
                        },
                        None => Segment::Literal(s.to_owned()),
                    },
                )
                .collect();
            Route {
                method: op.http.method.clone(),
                segments,
                operation: op.name.clone(),
            }
        })
        .collect();
    // Literal segments win over labels, so `/lenses/{LensAlias}/shares` never swallows another route.
    routes.sort_by_key(|r| {
        std::cmp::Reverse(
            r.segments
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count(),
        )
    });
    routes
}

impl Route {
    fn matches(&self, method: &str, parts: &[&str]) -> Option<HashMap<String, String>> {
        if self.method != method {
            return None;
        }
        let mut labels = HashMap::new();
        let mut i = 0;
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => {
                    if parts.get(i) != Some(&text.as_str()) {
                        return None;
                    }
                }
                Segment::Label(name) => {
                    labels.insert(name.clone(), decode(parts.get(i)?)?);
                }
                Segment::Greedy(name) => {
                    let rest = parts
                        .get(i..)?
                        .iter()
                        .map(|p| decode(p))
                        .collect::<Option<Vec<_>>>()?;
                    labels.insert(name.clone(), rest.join("/"));
                    return Some(labels);
                }
            }
            i += 1;
        }
        (i == parts.len()).then_some(labels)
    }
}

fn decode(segment: &str) -> Option<String> {
    percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

pub fn resolve(
    model: &ServiceModel,
    routes: &[Route],
    request: &RawRequest<'_>,
) -> Result<Call, ServiceError> {
    let parts: Vec<&str> = request
        .uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let method = request.method.as_str();
    let (operation, labels) = routes
        .iter()
        .find_map(|route| {
            route
                .matches(method, &parts)
                .map(|labels| (&route.operation, labels))
        })
        .ok_or_else(|| {
            ServiceError::unknown_operation(format!(
                "No operation matches {method} {}.",
                request.uri.path()
            ))
        })?;

    let mut input = if request.body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(request.body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(ServiceError::cannot_parse(
                    "The request body must be a JSON object.",
                ));
            }
            Err(e) => {
                return Err(ServiceError::cannot_parse(format!(
                    "The request body is not valid JSON: {e}."
                )));
            }
        }
    };

    let query = query_pairs(request.uri.query().unwrap_or(""));
    let op = &model.operations[operation];
    if let Some(shape) = op.input.as_ref().and_then(|r| model.shape(&r.shape)) {
        for (name, member) in &shape.members {
            let wire_name = member.location_name.as_deref().unwrap_or(name);
            let target = model.shape(&member.shape);
            let kind = target.map(|s| s.kind);
            let value = match member.location {
                Some(Location::Uri) => labels.get(wire_name).map(|v| typed(v, kind)),
                Some(Location::Querystring) => {
                    let values: Vec<&String> = query
                        .iter()
                        .filter(|(k, _)| k == wire_name)
                        .map(|(_, v)| v)
                        .collect();
                    if values.is_empty() {
                        None
                    } else if kind == Some(ShapeKind::List) {
                        let item_kind = target
                            .and_then(|s| s.member.as_ref())
                            .and_then(|m| model.shape(&m.shape))
                            .map(|s| s.kind);
                        Some(Value::Array(
                            values.iter().map(|v| typed(v, item_kind)).collect(),
                        ))
                    } else {
                        Some(typed(values[0], kind))
                    }
                }
                Some(Location::Header) => request
                    .headers
                    .get(wire_name)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| typed(v, kind)),
                _ => continue,
            };
            match value {
                Some(value) => input.insert(name.clone(), value),
                None => input.remove(name),
            };
        }
    }
    Ok(Call {
        operation: operation.clone(),
        input: Value::Object(input),
    })
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Text from a path, query or header, as the member's type; what does not parse stays text
/// and the validator reports it.
fn typed(text: &str, kind: Option<ShapeKind>) -> Value {
    match kind {
        Some(ShapeKind::Integer | ShapeKind::Long) => text
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        Some(ShapeKind::Boolean) => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    }
}
