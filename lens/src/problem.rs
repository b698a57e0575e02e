//! What the validator reports: errors (the import would fail or the lens is broken) and
//! warnings (accepted, but probably not what the author meant).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::position::Position;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Which rule found the problem; stable names that tools may match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    JsonSyntax,
    YamlSyntax,
    ByteOrderMark,
    TooLarge,
    WrongType,
    Missing,
    Empty,
    TooLong,
    TooMany,
    InvalidId,
    DuplicateId,
    SchemaVersion,
    InvalidUrl,
    MissingImprovementPlan,
    ResourceType,
    ConditionSyntax,
    UnknownChoice,
    UnknownRisk,
    RestrictedCharacter,
    // Warnings from here on.
    DuplicateKey,
    UnknownKey,
    EmptyUrl,
    ApiLimit,
    MissingDefaultRule,
    UnreachableRule,
    DuplicateRisk,
    NoneOfThese,
    BestAnswerRisk,
    NoneOfTheseRisk,
    EmptyAnswerRisk,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::JsonSyntax => "json-syntax",
            Rule::YamlSyntax => "yaml-syntax",
            Rule::ByteOrderMark => "byte-order-mark",
            Rule::TooLarge => "too-large",
            Rule::WrongType => "wrong-type",
            Rule::Missing => "missing",
            Rule::Empty => "empty",
            Rule::TooLong => "too-long",
            Rule::TooMany => "too-many",
            Rule::InvalidId => "invalid-id",
            Rule::DuplicateId => "duplicate-id",
            Rule::DuplicateKey => "duplicate-key",
            Rule::SchemaVersion => "schema-version",
            Rule::InvalidUrl => "invalid-url",
            Rule::MissingImprovementPlan => "missing-improvement-plan",
            Rule::ResourceType => "resource-type",
            Rule::ConditionSyntax => "condition-syntax",
            Rule::UnknownChoice => "unknown-choice",
            Rule::UnknownRisk => "unknown-risk",
            Rule::RestrictedCharacter => "restricted-character",
            Rule::UnknownKey => "unknown-key",
            Rule::EmptyUrl => "empty-url",
            Rule::ApiLimit => "api-limit",
            Rule::MissingDefaultRule => "missing-default-rule",
            Rule::UnreachableRule => "unreachable-rule",
            Rule::DuplicateRisk => "duplicate-risk",
            Rule::NoneOfThese => "none-of-these",
            Rule::BestAnswerRisk => "best-answer-risk",
            Rule::NoneOfTheseRisk => "none-of-these-risk",
            Rule::EmptyAnswerRisk => "empty-answer-risk",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub rule: Rule,
    /// Where in the lens, e.g. `pillars[2].questions[0].choices[4].id`; empty for the document.
    pub path: String,
    pub position: Position,
    pub message: String,
    /// How to fix it, where the validator can say.
    pub fix: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: ",
            self.position.line,
            self.position.column,
            self.severity.as_str()
        )?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " {fix}")?;
        }
        Ok(())
    }
}
