//! The structure ImportLens requires of a lens document: enough to refuse what AWS refuses
//! (not JSON, no name, no pillars, items without ids), naming the place of the problem.

use serde_json::Value;

use crate::error::ServiceError;

pub struct LensSummary {
    pub name: String,
    pub description: Option<String>,
}

pub fn check(text: &str) -> Result<LensSummary, ServiceError> {
    let invalid = |problem: String| {
        ServiceError::validation(format!("The lens JSON is not valid: {problem}."))
    };
    let lens: Value = serde_json::from_str(text).map_err(|e| invalid(format!("{e}")))?;
    let object = lens
        .as_object()
        .ok_or_else(|| invalid("the document must be a JSON object".into()))?;
    let name = text_member(&lens, "name", "", 128).map_err(invalid)?;
    let description = match object.get("description") {
        None => None,
        Some(_) => Some(text_member(&lens, "description", "", 2048).map_err(invalid)?),
    };
    let pillars = items(&lens, "pillars", "", 10).map_err(invalid)?;
    for (p, pillar) in pillars.iter().enumerate() {
        let at = format!("pillars[{p}]");
        text_member(pillar, "id", &at, 128).map_err(invalid)?;
        text_member(pillar, "name", &at, 128).map_err(invalid)?;
        let questions = items(pillar, "questions", &at, 20).map_err(invalid)?;
        for (q, question) in questions.iter().enumerate() {
            let at = format!("{at}.questions[{q}]");
            text_member(question, "id", &at, 128).map_err(invalid)?;
            text_member(question, "title", &at, 128).map_err(invalid)?;
            let choices = items(question, "choices", &at, 15).map_err(invalid)?;
            for (c, choice) in choices.iter().enumerate() {
                let at = format!("{at}.choices[{c}]");
                text_member(choice, "id", &at, 128).map_err(invalid)?;
                text_member(choice, "title", &at, 128).map_err(invalid)?;
            }
        }
    }
    Ok(LensSummary { name, description })
}

fn place(at: &str, member: &str) -> String {
    if at.is_empty() {
        member.to_owned()
    } else {
        format!("{at}.{member}")
    }
}

fn text_member(value: &Value, member: &str, at: &str, max: usize) -> Result<String, String> {
    match value.get(member) {
        Some(Value::String(text)) if text.trim().is_empty() => {
            Err(format!("{} is empty", place(at, member)))
        }
        Some(Value::String(text)) if text.chars().count() > max => Err(format!(
            "{} is longer than {max} characters",
            place(at, member)
        )),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(format!("{} must be text", place(at, member))),
        None => Err(format!("{} is missing", place(at, member))),
    }
}

fn items<'v>(
    value: &'v Value,
    member: &str,
    at: &str,
    max: usize,
) -> Result<&'v Vec<Value>, String> {
    match value.get(member) {
        Some(Value::Array(list)) if list.is_empty() => {
            Err(format!("{} is empty", place(at, member)))
        }
        Some(Value::Array(list)) if list.len() > max => Err(format!(
            "{} has {} items, more than the {max} allowed",
            place(at, member),
            list.len()
        )),
        Some(Value::Array(list)) => Ok(list),
        Some(_) => Err(format!("{} must be a list", place(at, member))),
        None => Err(format!("{} is missing", place(at, member))),
    }
}
