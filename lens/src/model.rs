//! The typed custom lens (schemaVersion "2021-11-01"), as the validator builds it from the
//! JSON. Members the format does not know are kept in the original text, not here: lensgate
//! imports and exports the author's text unchanged.

use serde::{Deserialize, Serialize};

use crate::condition::Condition;

pub const SCHEMA_VERSION: &str = "2021-11-01";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lens {
    pub schema_version: String,
    pub name: String,
    pub description: String,
    pub pillars: Vec<Pillar>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pillar {
    pub id: String,
    pub name: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub helpful_resource: Option<Resource>,
    pub choices: Vec<Choice>,
    pub risk_rules: Vec<RiskRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub helpful_resource: Option<Resource>,
    pub improvement_plan: Option<Resource>,
    pub additional_resources: Vec<AdditionalResources>,
}

impl Choice {
    /// By the format's convention, a choice whose id ends in `_no` is "None of these": it needs
    /// no improvement plan, and selecting it clears the other choices.
    pub fn is_none_of_these(&self) -> bool {
        is_none_of_these(&self.id)
    }
}

pub fn is_none_of_these(id: &str) -> bool {
    id.ends_with("_no")
}

/// A lens name as the service compares names (observed: "A lens with normalized name
/// awsoperationalreadinessreview already exists."): lowercase letters and digits only.
pub fn normalized_name(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A text with an optional link; an empty url in the file is read as no link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub display_text: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionalResources {
    pub kind: ResourceKind,
    pub content: Vec<Resource>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceKind {
    HelpfulResource,
    ImprovementPlan,
}

impl ResourceKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "HELPFUL_RESOURCE" => Some(Self::HelpfulResource),
            "IMPROVEMENT_PLAN" => Some(Self::ImprovementPlan),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRule {
    /// The condition as written.
    pub text: String,
    /// `None` when the text does not parse (the validator reports why).
    pub condition: Option<Condition>,
    pub risk: Risk,
}

impl RiskRule {
    /// When the rule applies, as a reader says it, choices named by their titles: "when “A” is
    /// not selected", "in every other case".
    pub fn condition_in_words(&self, choices: &[Choice]) -> String {
        let title = |id: &str| {
            choices
                .iter()
                .find(|c| c.id == id)
                .map_or_else(|| id.to_owned(), |c| c.title.clone())
        };
        match &self.condition {
            Some(Condition::Default) => "in every other case".to_owned(),
            Some(Condition::Expr(expr)) => format!("when {}", expr.describe(&title)),
            None => format!("when “{}” (this condition does not parse)", self.text),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Risk {
    High,
    Medium,
    None,
}

impl Risk {
    pub const ALL: [(&'static str, Risk); 3] = [
        ("HIGH_RISK", Risk::High),
        ("MEDIUM_RISK", Risk::Medium),
        ("NO_RISK", Risk::None),
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, risk)| *risk)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::High => "HIGH_RISK",
            Risk::Medium => "MEDIUM_RISK",
            Risk::None => "NO_RISK",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Risk::High => "High risk",
            Risk::Medium => "Medium risk",
            Risk::None => "No risk",
        }
    }
}

/// Whether a link may be offered to a reader: only web links, never `javascript:` or `data:`.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}
