//! What publishing a new version does to the workloads that use the lens, question by question,
//! as observed on the live service when a workload upgrades (ORR lens, gates G2 and G8): on a
//! kept question id, selections of choices that are gone are cleared while notes and "does not
//! apply" carry over; a retired question leaves the review and its answer stays only in the
//! upgrade milestone; a new question starts unanswered. A changed risk rule changes the risk of
//! answers already given, which is shown with an example.

use serde::{Deserialize, Serialize};

use crate::{
    analysis,
    model::{Lens, Question, Risk},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Choice ids of the old version that the new one no longer has (removed or renamed).
    ChoicesRemoved {
        choices: Vec<String>,
    },
    Retired,
    New,
    /// An answer made of choices both versions have, whose risk differs.
    RiskChanged {
        example: Vec<String>,
        before: Option<Risk>,
        after: Option<Risk>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionChange {
    pub pillar: String,
    pub question: String,
    pub title: String,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeReport {
    pub questions: Vec<QuestionChange>,
    /// Whether workloads should be asked before they move: a major version.
    pub major: bool,
    /// The verdict in words.
    pub advice: String,
}

pub fn report(old: &Lens, new: &Lens) -> UpgradeReport {
    let find = |lens: &'_ Lens, id: &str| -> Option<(String, Question)> {
        lens.pillars.iter().find_map(|p| {
            p.questions
                .iter()
                .find(|q| q.id == id)
                .map(|q| (p.id.clone(), q.clone()))
        })
    };
    let mut questions = Vec::new();
    for pillar in &new.pillars {
        for question in &pillar.questions {
            let changes = match find(old, &question.id) {
                None => vec![Change::New],
                Some((_, before)) => kept(&before, question),
            };
            if !changes.is_empty() {
                questions.push(QuestionChange {
                    pillar: pillar.id.clone(),
                    question: question.id.clone(),
                    title: question.title.clone(),
                    changes,
                });
            }
        }
    }
    for pillar in &old.pillars {
        for question in &pillar.questions {
            if find(new, &question.id).is_none() {
                questions.push(QuestionChange {
                    pillar: pillar.id.clone(),
                    question: question.id.clone(),
                    title: question.title.clone(),
                    changes: vec![Change::Retired],
                });
            }
        }
    }
    let count = |wanted: fn(&Change) -> bool| {
        questions
            .iter()
            .filter(|q| q.changes.iter().any(wanted))
            .count()
    };
    let removed = count(|c| matches!(c, Change::ChoicesRemoved { .. }));
    let retired = count(|c| matches!(c, Change::Retired));
    let new_questions = count(|c| matches!(c, Change::New));
    let risk = count(|c| matches!(c, Change::RiskChanged { .. }));
    let mut reasons = Vec::new();
    let mut say = |n: usize, one: &str, many: &str| {
        if n > 0 {
            reasons.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    say(
        removed,
        "question loses choices, whose selections are cleared",
        "questions lose choices, whose selections are cleared",
    );
    say(
        retired,
        "question leaves the review",
        "questions leave the review",
    );
    say(
        risk,
        "question scores existing answers differently",
        "questions score existing answers differently",
    );
    say(
        new_questions,
        "new question starts unanswered",
        "new questions start unanswered",
    );
    let major = !reasons.is_empty();
    let advice = if major {
        format!(
            "Publish as a major version: {}. A minor version would move workloads without asking.",
            reasons.join("; ")
        )
    } else {
        "Safe as a minor version: no answer is cleared, retired or scored differently.".to_owned()
    };
    UpgradeReport {
        questions,
        major,
        advice,
    }
}

fn kept(before: &Question, after: &Question) -> Vec<Change> {
    let mut changes = Vec::new();
    let removed: Vec<String> = before
        .choices
        .iter()
        .filter(|c| !after.choices.iter().any(|n| n.id == c.id))
        .map(|c| c.id.clone())
        .collect();
    if !removed.is_empty() {
        changes.push(Change::ChoicesRemoved { choices: removed });
    }
    let same_rules = before.risk_rules.len() == after.risk_rules.len()
        && before
            .risk_rules
            .iter()
            .zip(&after.risk_rules)
            .all(|(a, b)| a.condition == b.condition && a.risk == b.risk);
    if !same_rules && let Some(change) = risk_change(before, after) {
        changes.push(change);
    }
    changes
}

/// The simplest answer, over the choices both versions have, whose risk changes.
fn risk_change(before: &Question, after: &Question) -> Option<Change> {
    let shared: Vec<&str> = after
        .choices
        .iter()
        .filter(|c| before.choices.iter().any(|b| b.id == c.id))
        .map(|c| c.id.as_str())
        .take(analysis::MAX_CHOICES)
        .collect();
    let mut answers: Vec<usize> = (0..1usize << shared.len()).collect();
    answers.sort_by_key(|a| (a.count_ones(), *a));
    answers.into_iter().find_map(|answer| {
        let selected: Vec<&str> = shared
            .iter()
            .enumerate()
            .filter(|(i, _)| answer >> i & 1 == 1)
            .map(|(_, id)| *id)
            .collect();
        let (was, is) = (
            analysis::risk_of(before, &selected),
            analysis::risk_of(after, &selected),
        );
        (was != is).then(|| Change::RiskChanged {
            example: selected.iter().map(|s| (*s).to_owned()).collect(),
            before: was,
            after: is,
        })
    })
}

impl Change {
    /// The change in words, for the review page and the CLI.
    pub fn describe(&self) -> String {
        let risk = |r: &Option<Risk>| r.map_or("no risk level (unanswered)", Risk::as_str);
        match self {
            Change::ChoicesRemoved { choices } => format!(
                "choices {} are gone: workloads that selected them lose those selections; notes and \"does not apply\" carry over",
                choices.join(", ")
            ),
            Change::Retired => {
                "retired: it leaves the review, and its answer stays only in the upgrade milestone"
                    .to_owned()
            }
            Change::New => "new: it starts unanswered on every workload".to_owned(),
            Change::RiskChanged {
                example,
                before,
                after,
            } => format!(
                "risk rules changed: the answer {} went from {} to {}",
                if example.is_empty() {
                    "with nothing selected".to_owned()
                } else {
                    format!("selecting {}", example.join(" + "))
                },
                risk(before),
                risk(after)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Change, report};
    use crate::validate;

    const LENS: &str = include_str!("../tests/fixtures/valid-small.json");

    #[test]
    fn wording_changes_are_safe_as_a_minor_version() {
        let old = validate(LENS).lens.unwrap();
        let new = validate(&LENS.replace("How do you deploy changes?", "How do you ship changes?"))
            .lens
            .unwrap();
        let report = report(&old, &new);
        assert_eq!(report.questions, vec![]);
        assert!(!report.major);
        assert!(report.advice.starts_with("Safe as a minor version"));
    }

    #[test]
    fn renamed_choices_retired_questions_and_new_rules_call_for_a_major_version() {
        let old = validate(LENS).lens.unwrap();
        let text = LENS
            .replace("\"ops_deploy_rollback\"", "\"ops_deploy_rollback_auto\"")
            .replace(
                "ops_deploy_pipeline || ops_deploy_rollback",
                "ops_deploy_pipeline || ops_deploy_rollback_auto",
            )
            .replace(
                "ops_deploy_pipeline && ops_deploy_rollback",
                "ops_deploy_pipeline && ops_deploy_rollback_auto",
            )
            .replace("\"sec_secrets\"", "\"sec_secret_store\"");
        let new = validate(&text).lens.unwrap();
        let report = report(&old, &new);
        let changes: Vec<(&str, &Change)> = report
            .questions
            .iter()
            .flat_map(|q| q.changes.iter().map(move |c| (q.question.as_str(), c)))
            .collect();
        assert_eq!(
            changes[0],
            (
                "ops_deploy",
                &Change::ChoicesRemoved {
                    choices: vec!["ops_deploy_rollback".into()]
                }
            )
        );
        // Over the choices both versions share, selecting the pipeline alone was MEDIUM and is still;
        // nothing changes for the answers that can carry over except through the removed choice.
        assert!(
            changes
                .iter()
                .any(|(q, c)| *q == "sec_secret_store" && **c == Change::New)
        );
        assert!(
            changes
                .iter()
                .any(|(q, c)| *q == "sec_secrets" && **c == Change::Retired)
        );
        assert!(report.major);
        assert!(
            report.advice.contains("1 question loses choices"),
            "{}",
            report.advice
        );
        assert!(
            report.advice.contains("1 question leaves the review"),
            "{}",
            report.advice
        );
    }

    #[test]
    fn a_changed_rule_is_shown_with_an_answer_it_rescores() {
        let old = validate(LENS).lens.unwrap();
        let new = validate(&LENS.replace(
            "ops_deploy_pipeline || ops_deploy_rollback",
            "ops_deploy_pipeline",
        ))
        .lens
        .unwrap();
        let report = report(&old, &new);
        let change = &report.questions[0].changes[0];
        assert_eq!(
            change.describe(),
            "risk rules changed: the answer selecting ops_deploy_rollback went from MEDIUM_RISK to HIGH_RISK"
        );
        assert!(report.major);
    }
}
