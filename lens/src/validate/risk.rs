//! Risk rules: their conditions parsed, the choices they name checked, and every answer scored
//! to find rules that never apply and answers whose risk reads wrong.

use super::{
    MAX_RISK_RULES, Path,
    check::{Check, bounds},
    shorten,
};
use crate::{
    analysis,
    condition::{self, Condition},
    json::Value,
    model::{Choice, Question, Risk, RiskRule},
    problem::Rule,
};

impl Check<'_> {
    pub(super) fn risk_rules(
        &mut self,
        question: &Value,
        path: &Path<'_>,
        choices: &[Choice],
    ) -> (Vec<RiskRule>, Vec<(usize, usize)>) {
        let rules_path = path.key("riskRules");
        let items = self.list(question, "riskRules", path, MAX_RISK_RULES, false);
        let mut rules: Vec<RiskRule> = Vec::new();
        let mut offsets = Vec::new();
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
                offsets.push((i, value.start));
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
        (rules, offsets)
    }

    /// Warnings from scoring every answer: rules that decide nothing, and answers whose risk
    /// reads wrong. `offsets` holds each rule's index in the file and where it starts.
    pub(super) fn risk_analysis(
        &mut self,
        question: &Question,
        value: &Value,
        path: &Path<'_>,
        offsets: &[(usize, usize)],
    ) {
        let Some(analysis) = analysis::analyse(question) else {
            return;
        };
        let rules_path = path.key("riskRules");
        let rules = &question.risk_rules;
        for (n, rule) in rules.iter().enumerate() {
            if analysis.decided[n] > 0 {
                continue;
            }
            let (index, at) = offsets[n];
            let earlier_default = rules[..n]
                .iter()
                .position(|r| r.condition == Some(Condition::Default));
            let alone = analysis::analyse(&Question {
                risk_rules: vec![rule.clone()],
                ..question.clone()
            })
            .is_some_and(|a| a.decided[0] > 0);
            let level_lost = !rules
                .iter()
                .zip(&analysis.decided)
                .any(|(r, d)| r.risk == rule.risk && *d > 0);
            let (mut message, fix) = match earlier_default {
                Some(k) => (
                    format!(
                        "This rule is never used: the `default` rule riskRules[{}] comes first and always applies.",
                        offsets[k].0
                    ),
                    Some("Move the `default` rule to the end.".to_owned()),
                ),
                None if !alone => (
                    "This rule is never used: its condition holds for no answer.".to_owned(),
                    None,
                ),
                None => (
                    format!(
                        "This rule is never used: every answer its condition holds for is decided by an earlier rule ({}).",
                        offsets[..n]
                            .iter()
                            .map(|(i, _)| format!("riskRules[{i}]"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some("Narrow the earlier rules, or move this one before them.".to_owned()),
                ),
            };
            if level_lost {
                message.push_str(&format!(" No answer gets {}.", rule.risk.as_str()));
            }
            self.warning(
                Rule::UnreachableRule,
                &rules_path.index(index),
                at,
                message,
                fix,
            );
        }
        let at = value.get("riskRules").map_or(value.start, |v| v.start);
        let words =
            |risk: Option<Risk>| risk.map_or("no risk level".to_owned(), |r| r.as_str().to_owned());
        if analysis.every_choice != Some(Risk::None) {
            self.warning(
                Rule::BestAnswerRisk,
                &rules_path,
                at,
                format!(
                    "Selecting every choice except “None of these” gives {}, not NO_RISK: a workload that does everything asked still shows a risk.",
                    words(analysis.every_choice)
                ),
                Some("Check the NO_RISK rule's condition against the choices.".into()),
            );
        }
        let highest = analysis.outcomes.iter().find_map(|o| o.risk);
        // "None of these" with no rule holding is the missing-default warning's case.
        if let (Some(Some(none)), Some(highest)) = (analysis.none_of_these, highest)
            && none != highest
        {
            self.warning(
                Rule::NoneOfTheseRisk,
                &rules_path,
                at,
                format!(
                    "“None of these” alone gives {}, while this question's highest risk is {}: a workload that does none of it looks better than one that does part.",
                    none.as_str(),
                    highest.as_str()
                ),
                Some("Make the `default` rule, or a rule on the `_no` choice, give the highest risk.".into()),
            );
        }
        if analysis.nothing == Some(Risk::None) {
            self.warning(
                Rule::EmptyAnswerRisk,
                &rules_path,
                at,
                "Selecting nothing gives NO_RISK: an answer with no choice reads as risk-free."
                    .into(),
                Some("Require a choice in the NO_RISK condition, e.g. `a && b`.".into()),
            );
        }
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
                let offset = self.offset_in_text(value.start, syntax.at);
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
                    let offset = self.offset_in_text(value.start, reference.at);
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
