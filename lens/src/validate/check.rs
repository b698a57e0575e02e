//! The validator's state and the checks every member goes through: object shape, text
//! length, ids, lists, uniqueness.

use std::collections::HashMap;

use super::{Path, suggested_id};
use crate::{
    json::{self, Member, Value},
    model::Lens,
    position::LineIndex,
    problem::{Problem, Rule, Severity},
    source::Format,
    validate::Report,
    yaml,
};

pub(super) struct Found {
    pub(super) severity: Severity,
    pub(super) rule: Rule,
    pub(super) path: String,
    pub(super) offset: usize,
    pub(super) message: String,
    pub(super) fix: Option<String>,
}

/// Length bounds of a text member: beyond `error` ImportLens refuses it, beyond `warn` one of
/// the two published definitions does.
#[derive(Clone, Copy)]
pub(super) struct Bounds {
    required: bool,
    warn: usize,
    error: usize,
}

pub(super) const fn bounds(required: bool, warn: usize, error: usize) -> Bounds {
    Bounds {
        required,
        warn,
        error,
    }
}

/// Id bounds: outside `error` refused, outside `warn` accepted by one definition only.
pub(super) struct IdBounds {
    warn: (usize, usize),
    error: (usize, usize),
}

pub(super) const PILLAR_ID: IdBounds = IdBounds {
    warn: (3, 64),
    error: (1, 128),
};
pub(super) const QUESTION_ID: IdBounds = IdBounds {
    warn: (3, 128),
    error: (1, 128),
};
pub(super) const CHOICE_ID: IdBounds = IdBounds {
    warn: (3, 64),
    error: (1, 128),
};

pub(super) struct Check<'s> {
    pub(super) source: &'s str,
    pub(super) format: Format,
    pub(super) found: Vec<Found>,
}

impl<'s> Check<'s> {
    /// The offset in the source of the `index`-th character of the text value starting at
    /// `start`, for positions inside a value (a risk-rule condition, a restricted character).
    pub(super) fn offset_in_text(&self, start: usize, index: usize) -> usize {
        match self.format {
            Format::Json => json::offset_in_string(self.source, start, index),
            Format::Yaml => yaml::offset_in_scalar(self.source, start, index),
        }
    }

    pub(super) fn report(self, lens: Option<Lens>) -> Report {
        let mut found = self.found;
        if found.is_empty() {
            return Report {
                problems: Vec::new(),
                lens,
            };
        }
        let index = LineIndex::new(self.source);
        found.sort_by_key(|f| f.offset);
        let problems = found
            .into_iter()
            .map(|f| Problem {
                severity: f.severity,
                rule: f.rule,
                path: f.path,
                position: index.position(f.offset),
                message: f.message,
                fix: f.fix,
            })
            .collect();
        Report { problems, lens }
    }

    pub(super) fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: &Path<'_>,
        offset: usize,
        message: String,
        fix: Option<String>,
    ) {
        self.found.push(Found {
            severity,
            rule,
            path: path.render(),
            offset,
            message,
            fix,
        });
    }

    pub(super) fn error(
        &mut self,
        rule: Rule,
        path: &Path<'_>,
        offset: usize,
        message: String,
        fix: Option<String>,
    ) {
        self.push(Severity::Error, rule, path, offset, message, fix);
    }

    pub(super) fn warning(
        &mut self,
        rule: Rule,
        path: &Path<'_>,
        offset: usize,
        message: String,
        fix: Option<String>,
    ) {
        self.push(Severity::Warning, rule, path, offset, message, fix);
    }

    /// The members of an object, after reporting duplicate and unknown keys.
    pub(super) fn object<'v, 'j>(
        &mut self,
        value: &'v Value<'j>,
        path: &Path<'_>,
        known: &[&str],
    ) -> Option<&'v [Member<'j>]> {
        let Some(members) = value.members() else {
            self.error(
                Rule::WrongType,
                path,
                value.start,
                format!(
                    "{} must be an object, not {}.",
                    path.named(),
                    value.type_name()
                ),
                None,
            );
            return None;
        };
        for (i, member) in members.iter().enumerate() {
            // Not known to be refused by ImportLens, so a warning: JSON leaves the meaning open.
            if let Some(earlier) = members[..i].iter().rev().find(|e| e.key == member.key) {
                let first = LineIndex::new(self.source).position(earlier.key_start);
                self.warning(
                    Rule::DuplicateKey,
                    &path.key(&member.key),
                    member.key_start,
                    format!(
                        "\"{}\" appears here and at line {}, column {} of the same object; most JSON parsers keep the last one, and lensgate reads this one.",
                        member.key, first.line, first.column
                    ),
                    Some("Remove the one you do not mean.".into()),
                );
            } else if !known.contains(&member.key.as_ref()) {
                self.warning(
                    Rule::UnknownKey,
                    &path.key(&member.key),
                    member.key_start,
                    format!(
                        "\"{}\" is not part of the lens format; AWS ignores it, and lensgate keeps it in the JSON it imports and exports.",
                        member.key
                    ),
                    Some(format!("Known members here: {}.", known.join(", "))),
                );
            }
        }
        Some(members)
    }

    pub(super) fn text(
        &mut self,
        object: &Value,
        key: &str,
        path: &Path<'_>,
        bounds: Bounds,
    ) -> Option<String> {
        let at = path.key(key);
        let Some(value) = object.get(key) else {
            if bounds.required {
                self.error(
                    Rule::Missing,
                    &at,
                    object.start,
                    format!("{} has no \"{key}\".", path.named()),
                    Some(format!("Add \"{key}\": \"…\".")),
                );
            }
            return None;
        };
        let Some(text) = value.as_str() else {
            self.error(
                Rule::WrongType,
                &at,
                value.start,
                format!("{} must be text, not {}.", at.named(), value.type_name()),
                None,
            );
            return None;
        };
        let length = text.chars().count();
        if bounds.required && text.trim().is_empty() {
            self.error(
                Rule::Empty,
                &at,
                value.start,
                format!("{} is empty.", at.named()),
                None,
            );
        } else if length > bounds.error {
            self.error(
                Rule::TooLong,
                &at,
                value.start,
                format!(
                    "{} is {length} characters long; the limit is {}.",
                    at.named(),
                    bounds.error
                ),
                None,
            );
        } else if length > bounds.warn {
            self.warning(
                Rule::ApiLimit,
                &at,
                value.start,
                format!(
                    "{} is {length} characters long; one published limit is {}, the other {}.",
                    at.named(),
                    bounds.warn,
                    bounds.error
                ),
                Some(format!("Keep it to {} characters to be safe.", bounds.warn)),
            );
        }
        Some(text.to_owned())
    }

    pub(super) fn id(
        &mut self,
        object: &Value,
        path: &Path<'_>,
        limits: &IdBounds,
    ) -> Option<(String, usize)> {
        let at = path.key("id");
        let value = object.get("id");
        let text = self.text(object, "id", path, bounds(true, usize::MAX, usize::MAX))?;
        let offset = value.map_or(object.start, |v| v.start);
        let length = text.chars().count();
        if text.is_empty() {
            return Some((text, offset));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            self.error(
                Rule::InvalidId,
                &at,
                offset,
                format!("The id \"{text}\" contains `{bad}`; ids use only letters, digits and underscores."),
                Some(format!("Try \"{}\".", suggested_id(&text))),
            );
        } else if length < limits.error.0 || length > limits.error.1 {
            self.error(
                Rule::InvalidId,
                &at,
                offset,
                format!(
                    "The id \"{text}\" is {length} characters long; ids are {} to {}.",
                    limits.error.0, limits.error.1
                ),
                None,
            );
        } else if length < limits.warn.0 || length > limits.warn.1 {
            self.warning(
                Rule::ApiLimit,
                &at,
                offset,
                format!(
                    "The id \"{text}\" is {length} characters long; the format's specification asks for {} to {}.",
                    limits.warn.0, limits.warn.1
                ),
                None,
            );
        }
        Some((text, offset))
    }

    /// A list member: reports a missing, mistyped, empty or overlong list.
    pub(super) fn list<'v, 'j>(
        &mut self,
        object: &'v Value<'j>,
        key: &str,
        path: &Path<'_>,
        max: usize,
        required: bool,
    ) -> &'v [Value<'j>] {
        let at = path.key(key);
        let Some(value) = object.get(key) else {
            if required {
                self.error(
                    Rule::Missing,
                    &at,
                    object.start,
                    format!("{} has no \"{key}\".", path.named()),
                    Some(format!("Add \"{key}\": [ … ] with at least one item.")),
                );
            }
            return &[];
        };
        let Some(items) = value.items() else {
            self.error(
                Rule::WrongType,
                &at,
                value.start,
                format!("{} must be a list, not {}.", at.named(), value.type_name()),
                None,
            );
            return &[];
        };
        if items.is_empty() && required {
            self.error(
                Rule::Empty,
                &at,
                value.start,
                format!("{} is empty; it needs at least one item.", at.named()),
                None,
            );
        }
        if items.len() > max {
            self.error(
                Rule::TooMany,
                &at.index(max),
                items[max].start,
                format!(
                    "{} has {} items; the limit is {max}.",
                    at.named(),
                    items.len()
                ),
                Some(format!("Remove {} of them.", items.len() - max)),
            );
        }
        items
    }

    pub(super) fn unique(
        &mut self,
        seen: &mut HashMap<String, usize>,
        id: &str,
        offset: usize,
        path: &Path<'_>,
        scope: &str,
    ) {
        if id.is_empty() {
            return;
        }
        if let Some(first) = seen.get(id) {
            let first = LineIndex::new(self.source).position(*first);
            self.error(
                Rule::DuplicateId,
                &path.key("id"),
                offset,
                format!(
                    "The id \"{id}\" is already used {scope} at line {}, column {}.",
                    first.line, first.column
                ),
                Some("Give each one its own id.".into()),
            );
        } else {
            seen.insert(id.to_owned(), offset);
        }
    }
}
