//! Input validation against the model: required members, lengths, ranges, patterns and enums.
//! Every offending member is reported, as AWS lists them in `ValidationException.Fields`.

use std::collections::HashMap;

use fancy_regex::Regex;
use serde_json::Value;

use super::{ServiceModel, Shape, ShapeKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The member's path in the input, e.g. `Tags.team` or `AllowedOperations[2]`.
    pub name: String,
    pub message: String,
}

/// The model's `pattern` traits, compiled once.
pub struct Patterns(HashMap<String, Regex>);

impl Patterns {
    pub fn compile(model: &ServiceModel) -> Result<Self, String> {
        let mut compiled = HashMap::new();
        for (name, shape) in &model.shapes {
            if let Some(pattern) = &shape.pattern
                && !compiled.contains_key(pattern)
            {
                let regex = Regex::new(pattern).map_err(|e| {
                    format!("shape {name}: pattern {pattern:?} does not compile: {e}")
                })?;
                compiled.insert(pattern.clone(), regex);
            }
        }
        Ok(Patterns(compiled))
    }

    fn matches(&self, pattern: &str, value: &str) -> bool {
        // Smithy patterns are not anchored: the value must contain a match.
        self.0
            .get(pattern)
            .is_some_and(|regex| regex.is_match(value).unwrap_or(false))
    }
}

pub struct Validator<'a> {
    model: &'a ServiceModel,
    patterns: &'a Patterns,
    errors: Vec<FieldError>,
}

impl<'a> Validator<'a> {
    pub fn new(model: &'a ServiceModel, patterns: &'a Patterns) -> Self {
        Validator {
            model,
            patterns,
            errors: Vec::new(),
        }
    }

    /// Checks `value` against the shape named `shape`; returns every problem found.
    pub fn check(mut self, shape: &str, value: &Value) -> Vec<FieldError> {
        self.value(shape, value, "");
        self.errors
    }

    fn fail(&mut self, path: &str, message: String) {
        self.errors.push(FieldError {
            name: if path.is_empty() {
                "(input)".to_owned()
            } else {
                path.to_owned()
            },
            message,
        });
    }

    fn value(&mut self, shape_name: &str, value: &Value, path: &str) {
        let Some(shape) = self.model.shape(shape_name) else {
            return;
        };
        match shape.kind {
            ShapeKind::Structure => self.structure(shape, value, path),
            ShapeKind::String => match value.as_str() {
                Some(text) => self.string(shape, text, path),
                None => self.fail(path, "must be a string".to_owned()),
            },
            ShapeKind::Integer | ShapeKind::Long => match value.as_i64() {
                Some(n) => self.range(shape, n as f64, path),
                None => self.fail(path, "must be a whole number".to_owned()),
            },
            ShapeKind::Double | ShapeKind::Float => match value.as_f64() {
                Some(n) => self.range(shape, n, path),
                None => self.fail(path, "must be a number".to_owned()),
            },
            ShapeKind::Boolean => {
                if !value.is_boolean() {
                    self.fail(path, "must be true or false".to_owned());
                }
            }
            ShapeKind::Timestamp => {
                if !(value.is_number() || value.is_string()) {
                    self.fail(path, "must be a timestamp".to_owned());
                }
            }
            ShapeKind::Blob => {
                if !value.is_string() {
                    self.fail(path, "must be base64 text".to_owned());
                }
            }
            ShapeKind::List => self.list(shape, value, path),
            ShapeKind::Map => self.map(shape, value, path),
        }
    }

    fn structure(&mut self, shape: &Shape, value: &Value, path: &str) {
        let Some(object) = value.as_object() else {
            self.fail(path, "must be an object".to_owned());
            return;
        };
        for required in &shape.required {
            if object.get(required).is_none_or(Value::is_null) {
                self.fail(&join(path, required), "is required".to_owned());
            }
        }
        for (name, member) in &shape.members {
            if let Some(member_value) = object.get(name).filter(|v| !v.is_null()) {
                self.value(&member.shape, member_value, &join(path, name));
            }
        }
    }

    fn string(&mut self, shape: &Shape, text: &str, path: &str) {
        let length = text.chars().count() as f64;
        if let Some(min) = shape.min.filter(|min| length < *min) {
            self.fail(path, format!("must be at least {min} characters long"));
        }
        if let Some(max) = shape.max.filter(|max| length > *max) {
            self.fail(path, format!("must be at most {max} characters long"));
        }
        if let Some(allowed) = &shape.enum_values
            && !allowed.iter().any(|a| a == text)
        {
            self.fail(path, format!("must be one of {}", allowed.join(", ")));
        }
        if let Some(pattern) = &shape.pattern
            && !self.patterns.matches(pattern, text)
        {
            self.fail(path, format!("must match the pattern {pattern}"));
        }
    }

    fn range(&mut self, shape: &Shape, n: f64, path: &str) {
        if let Some(min) = shape.min.filter(|min| n < *min) {
            self.fail(path, format!("must be at least {min}"));
        }
        if let Some(max) = shape.max.filter(|max| n > *max) {
            self.fail(path, format!("must be at most {max}"));
        }
    }

    fn list(&mut self, shape: &Shape, value: &Value, path: &str) {
        let Some(items) = value.as_array() else {
            self.fail(path, "must be a list".to_owned());
            return;
        };
        self.count(shape, items.len(), path);
        if let Some(member) = &shape.member {
            for (i, item) in items.iter().enumerate() {
                self.value(&member.shape, item, &format!("{path}[{i}]"));
            }
        }
    }

    fn map(&mut self, shape: &Shape, value: &Value, path: &str) {
        let Some(entries) = value.as_object() else {
            self.fail(path, "must be an object".to_owned());
            return;
        };
        self.count(shape, entries.len(), path);
        for (key, entry) in entries {
            let entry_path = join(path, key);
            if let Some(key_shape) = &shape.key {
                self.value(&key_shape.shape, &Value::String(key.clone()), &entry_path);
            }
            if let Some(value_shape) = &shape.value {
                self.value(&value_shape.shape, entry, &entry_path);
            }
        }
    }

    fn count(&mut self, shape: &Shape, n: usize, path: &str) {
        let n = n as f64;
        if let Some(min) = shape.min.filter(|min| n < *min) {
            self.fail(path, format!("must have at least {min} items"));
        }
        if let Some(max) = shape.max.filter(|max| n > *max) {
            self.fail(path, format!("must have at most {max} items"));
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}
