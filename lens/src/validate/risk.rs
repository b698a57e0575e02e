//! Risk rules: their conditions parsed, the choices they name checked, and rules that can
//! never apply found.

use super::{
    MAX_RISK_RULES, Path,
    check::{Check, bounds},
    shorten,
};
use crate::{
    condition::{self, Condition},
    json::{self, Value},
    model::{Choice, Risk, RiskRule},
    problem::Rule,
};

impl Check<'_> {
    pub(super) fn risk_rules(
        &mut self,
        question: &Value,
        path: &Path<'_>,
        choices: &[Choice],
    ) -> Vec<RiskRule> {
        let rules_path = path.key("riskRules");
        let items = self.list(question, "riskRules", path, MAX_RISK_RULES, false);
        let mut rules: Vec<RiskRule> = Vec::new();
        let mut default_at: Option<usize> = None;
        for (i, value) in items.iter().enumerate() {
            let path = rules_path.index(i);
            if self.object(value, &path, &["condition", "risk"]).is_none() {
                continue;
            }
            let text = self
                .text(value, "condition", &path, bounds(true, 4096, 4096))
                .unwrap_or_default();
            let risk_text = self
                .text(value, "risk", &path, bounds(true, 64, 64))
                .unwrap_or_default();
            let risk = Risk::parse(&risk_text);
            if risk.is_none() && !risk_text.is_empty() {
                let at = value.get("risk").map_or(value.start, |v| v.start);
                self.error(
                    Rule::UnknownRisk,
                    &path.key("risk"),
                    at,
                    format!("\"{risk_text}\" is not a risk level."),
                    Some("Use HIGH_RISK, MEDIUM_RISK or NO_RISK.".into()),
                );
            }
            let condition = value
                .get("condition")
                .filter(|v| v.as_str().is_some_and(|t| !t.trim().is_empty()))
                .and_then(|v| self.condition(v, &text, &path, choices));
            if let Some(earlier) = default_at {
                self.warning(
                    Rule::UnreachableRule,
                    &path,
                    value.start,
                    format!("This rule is never used: the `default` rule riskRules[{earlier}] comes first and always applies."),
                    Some("Move the `default` rule to the end.".into()),
                );
            } else if let Some(same) = condition
                .as_ref()
                .and_then(|c| rules.iter().position(|r| r.condition.as_ref() == Some(c)))
            {
                self.warning(
                    Rule::UnreachableRule,
                    &path,
                    value.start,
                    format!("This rule is never used: riskRules[{same}] has the same condition and comes first."),
                    None,
                );
            }
            if let Some(risk) = risk
                && let Some(same) = rules.iter().position(|r| r.risk == risk)
            {
                self.warning(
                        Rule::DuplicateRisk,
                        &path.key("risk"),
                        value.get("risk").map_or(value.start, |v| v.start),
                        format!("{} is already the risk of riskRules[{same}]; each risk level should have one rule.", risk.as_str()),
                        Some("Combine the two conditions with `||`.".into()),
                    );
            }
            if condition == Some(Condition::Default) && default_at.is_none() {
                default_at = Some(i);
            }
            if let Some(risk) = risk {
                rules.push(RiskRule {
                    text,
                    condition,
                    risk,
                });
            }
        }
        if default_at.is_none() {
            let (at, place) = match question.get("riskRules") {
                Some(value) => (value.start, rules_path),
                None => (question.start, path.key("riskRules")),
            };
            self.warning(
                Rule::MissingDefaultRule,
                &place,
                at,
                "This question has no `default` risk rule, so an answer that matches no condition gets no risk level.".into(),
                Some("Add { \"condition\": \"default\", \"risk\": \"HIGH_RISK\" } (or the risk that fits) as the last rule.".into()),
            );
        }
        rules
    }

    pub(super) fn condition(
        &mut self,
        value: &Value,
        text: &str,
        path: &Path<'_>,
        choices: &[Choice],
    ) -> Option<Condition> {
        let at = path.key("condition");
        match condition::parse(text) {
            Err(syntax) => {
                let offset = json::offset_in_string(self.source, value.start, syntax.at);
                self.error(
                    Rule::ConditionSyntax,
                    &at,
                    offset,
                    format!(
                        "The condition \"{}\" does not parse at character {}: {}",
                        shorten(text),
                        syntax.at + 1,
                        syntax.message
                    ),
                    None,
                );
                None
            }
            Ok(parsed) => {
                for reference in &parsed.references {
                    if choices.iter().any(|c| c.id == reference.id) {
                        continue;
                    }
                    let offset = json::offset_in_string(self.source, value.start, reference.at);
                    let known: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
                    let fix = match reference.id.to_ascii_lowercase().as_str() {
                        "and" => "Write `&&` for and.".to_owned(),
                        "or" => "Write `||` for or.".to_owned(),
                        "not" => "Write `!` for not.".to_owned(),
                        _ => format!("This question's choices are: {}.", known.join(", ")),
                    };
                    self.error(
                        Rule::UnknownChoice,
                        &at,
                        offset,
                        format!(
                            "The condition names \"{}\", which is not a choice of this question.",
                            reference.id
                        ),
                        Some(fix),
                    );
                }
                Some(parsed.condition)
            }
        }
    }
}
