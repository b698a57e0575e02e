//! The lens, its pillars, questions, choices and resources.

use std::collections::HashMap;

use super::{
    MAX_CHOICES, MAX_DISPLAY_TEXT, MAX_PILLARS, MAX_QUESTIONS, MAX_RESOURCE_CONTENT, MAX_URL, Path,
    check::{CHOICE_ID, Check, PILLAR_ID, QUESTION_ID, bounds},
    shorten,
};
use crate::{
    json::Value,
    model::{
        AdditionalResources, Choice, Lens, Pillar, Question, Resource, ResourceKind,
        SCHEMA_VERSION, is_none_of_these, is_web_url,
    },
    problem::Rule,
};

impl Check<'_> {
    pub(super) fn lens(&mut self, document: &Value) -> Option<Lens> {
        let root = Path::Root;
        self.object(
            document,
            &root,
            &["schemaVersion", "name", "description", "pillars"],
        )?;
        let schema_version = self
            .text(document, "schemaVersion", &root, bounds(true, 64, 64))
            .unwrap_or_default();
        if !schema_version.is_empty() && schema_version != SCHEMA_VERSION {
            let at = document
                .get("schemaVersion")
                .map_or(document.start, |v| v.start);
            self.error(
                Rule::SchemaVersion,
                &root.key("schemaVersion"),
                at,
                format!("schemaVersion \"{schema_version}\" is not one AWS knows; custom lenses use \"{SCHEMA_VERSION}\"."),
                Some(format!("Set \"schemaVersion\": \"{SCHEMA_VERSION}\".")),
            );
        }
        let name = self
            .text(document, "name", &root, bounds(true, 128, 128))
            .unwrap_or_default();
        let description = self
            .text(document, "description", &root, bounds(true, 1024, 2048))
            .unwrap_or_default();
        self.characters(document, "name", &root);
        self.characters(document, "description", &root);
        let pillars_path = root.key("pillars");
        let mut pillar_ids = HashMap::new();
        let mut question_ids = HashMap::new();
        let mut pillars = Vec::new();
        for (i, value) in self
            .list(document, "pillars", &root, MAX_PILLARS, true)
            .iter()
            .enumerate()
        {
            let path = pillars_path.index(i);
            if let Some(pillar) = self.pillar(value, &path, &mut pillar_ids, &mut question_ids) {
                pillars.push(pillar);
            }
        }
        Some(Lens {
            schema_version,
            name,
            description,
            pillars,
        })
    }

    pub(super) fn pillar(
        &mut self,
        value: &Value,
        path: &Path<'_>,
        pillar_ids: &mut HashMap<String, usize>,
        question_ids: &mut HashMap<String, usize>,
    ) -> Option<Pillar> {
        self.object(value, path, &["id", "name", "questions"])?;
        let (id, at) = self.id(value, path, &PILLAR_ID).unwrap_or_default();
        self.unique(pillar_ids, &id, at, path, "by another pillar");
        let name = self
            .text(value, "name", path, bounds(true, 128, 128))
            .unwrap_or_default();
        self.characters(value, "name", path);
        let questions_path = path.key("questions");
        let mut questions = Vec::new();
        for (i, item) in self
            .list(value, "questions", path, MAX_QUESTIONS, true)
            .iter()
            .enumerate()
        {
            let path = questions_path.index(i);
            if let Some(question) = self.question(item, &path, question_ids) {
                questions.push(question);
            }
        }
        Some(Pillar {
            id,
            name,
            questions,
        })
    }

    pub(super) fn question(
        &mut self,
        value: &Value,
        path: &Path<'_>,
        question_ids: &mut HashMap<String, usize>,
    ) -> Option<Question> {
        self.object(
            value,
            path,
            &[
                "id",
                "title",
                "description",
                "helpfulResource",
                "choices",
                "riskRules",
            ],
        )?;
        let (id, at) = self.id(value, path, &QUESTION_ID).unwrap_or_default();
        self.unique(
            question_ids,
            &id,
            at,
            path,
            "by another question of this lens",
        );
        // Observed: ImportLens refuses a 129-character title, whatever the API model's 512.
        let title = self
            .text(value, "title", path, bounds(true, 128, 128))
            .unwrap_or_default();
        let description = self.text(value, "description", path, bounds(false, 1024, 2048));
        self.characters(value, "title", path);
        self.characters(value, "description", path);
        let helpful_resource = self.resource(value, "helpfulResource", path, false);
        let choices_path = path.key("choices");
        let mut choice_ids = HashMap::new();
        let mut choices = Vec::new();
        let items = self.list(value, "choices", path, MAX_CHOICES, true);
        let mut none_of_these = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = choices_path.index(i);
            if let Some(choice) = self.choice(item, &path, &mut choice_ids) {
                if choice.is_none_of_these() {
                    none_of_these.push((i, item.start));
                }
                choices.push(choice);
            }
        }
        self.none_of_these(&none_of_these, items.len(), &choices_path);
        let (risk_rules, offsets) = self.risk_rules(value, path, &choices);
        let question = Question {
            id,
            title,
            description,
            helpful_resource,
            choices,
            risk_rules,
        };
        self.risk_analysis(&question, value, path, &offsets);
        Some(question)
    }

    pub(super) fn none_of_these(
        &mut self,
        found: &[(usize, usize)],
        choices: usize,
        path: &Path<'_>,
    ) {
        for (n, (i, offset)) in found.iter().enumerate() {
            if n > 0 {
                self.warning(
                    Rule::NoneOfThese,
                    &path.index(*i),
                    *offset,
                    "A second \"None of these\" choice (id ending in `_no`) in one question; AWS treats each as clearing the others.".into(),
                    Some("Keep one `_no` choice per question.".into()),
                );
            } else if *i + 1 != choices {
                self.warning(
                    Rule::NoneOfThese,
                    &path.index(*i),
                    *offset,
                    "The \"None of these\" choice (id ending in `_no`) is usually the last choice of its question.".into(),
                    Some("Move it to the end of the list.".into()),
                );
            }
        }
    }

    pub(super) fn choice(
        &mut self,
        value: &Value,
        path: &Path<'_>,
        choice_ids: &mut HashMap<String, usize>,
    ) -> Option<Choice> {
        self.object(
            value,
            path,
            &[
                "id",
                "title",
                "description",
                "helpfulResource",
                "improvementPlan",
                "additionalResources",
            ],
        )?;
        let (id, at) = self.id(value, path, &CHOICE_ID).unwrap_or_default();
        self.unique(
            choice_ids,
            &id,
            at,
            path,
            "by another choice of this question",
        );
        let title = self
            .text(value, "title", path, bounds(true, 128, 128))
            .unwrap_or_default();
        let description = self.text(value, "description", path, bounds(false, 1024, 2048));
        self.characters(value, "title", path);
        let helpful_resource = self.resource(value, "helpfulResource", path, false);
        let improvement_plan = self.resource(value, "improvementPlan", path, true);
        if value.get("improvementPlan").is_none() && !id.is_empty() && !is_none_of_these(&id) {
            self.error(
                Rule::MissingImprovementPlan,
                &path.key("improvementPlan"),
                value.start,
                format!("The choice \"{id}\" has no improvementPlan; every choice but \"None of these\" needs one."),
                Some("Add \"improvementPlan\": { \"displayText\": \"…\" }, or end the id in `_no` if this is the \"None of these\" choice.".into()),
            );
        }
        let additional_resources = self.additional_resources(value, path);
        Some(Choice {
            id,
            title,
            description,
            helpful_resource,
            improvement_plan,
            additional_resources,
        })
    }

    /// A `{displayText, url}` member. The display text is required when there is a url, and
    /// always for an improvement plan.
    pub(super) fn resource(
        &mut self,
        parent: &Value,
        key: &str,
        path: &Path<'_>,
        text_required: bool,
    ) -> Option<Resource> {
        let value = parent.get(key)?;
        let path = path.key(key);
        self.resource_value(value, &path, text_required)
    }

    pub(super) fn resource_value(
        &mut self,
        value: &Value,
        path: &Path<'_>,
        text_required: bool,
    ) -> Option<Resource> {
        self.object(value, path, &["displayText", "url"])?;
        let url = self.url(value, path);
        let required = text_required || url.is_some();
        let display_text = self.text(
            value,
            "displayText",
            path,
            bounds(required, MAX_DISPLAY_TEXT, MAX_DISPLAY_TEXT),
        );
        if display_text.is_none() && url.is_none() {
            return None;
        }
        Some(Resource {
            display_text: display_text.unwrap_or_default(),
            url,
        })
    }

    pub(super) fn url(&mut self, object: &Value, path: &Path<'_>) -> Option<String> {
        let at = path.key("url");
        let value = object.get("url")?;
        let Some(url) = value.as_str() else {
            self.error(
                Rule::WrongType,
                &at,
                value.start,
                format!("{} must be text, not {}.", at.named(), value.type_name()),
                None,
            );
            return None;
        };
        if url.trim().is_empty() {
            self.warning(
                Rule::EmptyUrl,
                &at,
                value.start,
                "The url is empty; the text is shown without a link.".into(),
                Some("Add the link, or remove \"url\".".into()),
            );
            return None;
        }
        if !is_web_url(url.trim()) {
            self.error(
                Rule::InvalidUrl,
                &at,
                value.start,
                format!(
                    "\"{}\" is not a web link; urls must start with http:// or https://.",
                    shorten(url)
                ),
                None,
            );
            return None;
        }
        if url.chars().count() > MAX_URL {
            self.error(
                Rule::TooLong,
                &at,
                value.start,
                format!("The url is longer than {MAX_URL} characters."),
                None,
            );
            return None;
        }
        Some(url.trim().to_owned())
    }

    pub(super) fn additional_resources(
        &mut self,
        choice: &Value,
        path: &Path<'_>,
    ) -> Vec<AdditionalResources> {
        let list_path = path.key("additionalResources");
        let mut kinds_seen = Vec::new();
        let mut out = Vec::new();
        for (i, value) in self
            .list(choice, "additionalResources", path, 2, false)
            .iter()
            .enumerate()
        {
            let path = list_path.index(i);
            if self.object(value, &path, &["type", "content"]).is_none() {
                continue;
            }
            let kind_text = self
                .text(value, "type", &path, bounds(true, 64, 64))
                .unwrap_or_default();
            let Some(kind) = ResourceKind::parse(&kind_text) else {
                if !kind_text.is_empty() {
                    let at = value.get("type").map_or(value.start, |v| v.start);
                    self.error(
                        Rule::ResourceType,
                        &path.key("type"),
                        at,
                        format!("\"{kind_text}\" is not a resource type."),
                        Some("Use HELPFUL_RESOURCE or IMPROVEMENT_PLAN.".into()),
                    );
                }
                continue;
            };
            if kinds_seen.contains(&kind) {
                self.warning(
                    Rule::DuplicateKey,
                    &path.key("type"),
                    value.start,
                    format!("A second {kind_text} entry for this choice; put all its links in one entry."),
                    None,
                );
            }
            kinds_seen.push(kind);
            let content_path = path.key("content");
            let content = self
                .list(value, "content", &path, MAX_RESOURCE_CONTENT, true)
                .iter()
                .enumerate()
                .filter_map(|(j, item)| self.resource_value(item, &content_path.index(j), true))
                .collect();
            out.push(AdditionalResources { kind, content });
        }
        out
    }
}
