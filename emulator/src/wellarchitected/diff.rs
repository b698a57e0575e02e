//! GetLensVersionDifference: pillars and questions NEW, UPDATED or DELETED between two versions.

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PillarDifference {
    pub pillar_id: String,
    pub pillar_name: String,
    pub difference_status: &'static str,
    pub question_differences: Vec<QuestionDifference>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuestionDifference {
    pub question_id: String,
    pub question_title: String,
    pub difference_status: &'static str,
}

fn list<'v>(value: &'v Value, member: &str) -> Vec<&'v Value> {
    value
        .get(member)
        .and_then(Value::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default()
}

fn text(value: &Value, member: &str) -> String {
    value
        .get(member)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn find<'v>(items: &[&'v Value], id: &str) -> Option<&'v Value> {
    items.iter().copied().find(|item| text(item, "id") == id)
}

pub fn pillar_differences(base: &Value, target: &Value) -> Vec<PillarDifference> {
    let base_pillars = list(base, "pillars");
    let target_pillars = list(target, "pillars");
    let mut differences = Vec::new();
    for pillar in &target_pillars {
        let id = text(pillar, "id");
        let questions = match find(&base_pillars, &id) {
            None => all_questions(pillar, "NEW"),
            Some(before) => {
                let changes = question_differences(before, pillar);
                if changes.is_empty() && text(before, "name") == text(pillar, "name") {
                    continue;
                }
                changes
            }
        };
        let status = if find(&base_pillars, &id).is_some() {
            "UPDATED"
        } else {
            "NEW"
        };
        differences.push(PillarDifference {
            pillar_name: text(pillar, "name"),
            pillar_id: id,
            difference_status: status,
            question_differences: questions,
        });
    }
    for pillar in &base_pillars {
        let id = text(pillar, "id");
        if find(&target_pillars, &id).is_none() {
            differences.push(PillarDifference {
                pillar_name: text(pillar, "name"),
                pillar_id: id,
                difference_status: "DELETED",
                question_differences: all_questions(pillar, "DELETED"),
            });
        }
    }
    differences
}

fn all_questions(pillar: &Value, status: &'static str) -> Vec<QuestionDifference> {
    list(pillar, "questions")
        .iter()
        .map(|q| QuestionDifference {
            question_id: text(q, "id"),
            question_title: text(q, "title"),
            difference_status: status,
        })
        .collect()
}

fn question_differences(before: &Value, after: &Value) -> Vec<QuestionDifference> {
    let old = list(before, "questions");
    let new = list(after, "questions");
    let mut changes = Vec::new();
    for question in &new {
        let id = text(question, "id");
        let status = match find(&old, &id) {
            None => "NEW",
            Some(previous) if previous != *question => "UPDATED",
            Some(_) => continue,
        };
        changes.push(QuestionDifference {
            question_title: text(question, "title"),
            question_id: id,
            difference_status: status,
        });
    }
    for question in &old {
        let id = text(question, "id");
        if find(&new, &id).is_none() {
            changes.push(QuestionDifference {
                question_title: text(question, "title"),
                question_id: id,
                difference_status: "DELETED",
            });
        }
    }
    changes
}
