//! The lens as an outline (pillars, questions, choices, risk rules) and the edits the outline
//! editor makes. The text stays the document: the outline is read from it, and every edit
//! changes only the node it is about (see `splice`), so members the format does not know and
//! the author's layout of everything else survive. YAML source is edited as the JSON it
//! describes and written back in lensgate's YAML layout.

mod ids;
mod path;
mod splice;

use std::fmt;

pub use ids::{follows_title, from_title, rename_in_condition, unique};
pub use path::{NodeKind, Path, Step, lies_in};

use crate::{
    Format,
    json::{SyntaxError, Value},
    model::{SCHEMA_VERSION, is_none_of_these},
    source, yaml,
};

use splice::{array, find, object, string, text_at};

/// Why an edit could not be made, in words for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outline {
    pub name: Option<String>,
    pub description: Option<String>,
    pub pillars: Vec<PillarNode>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PillarNode {
    pub id: Option<String>,
    pub name: Option<String>,
    pub questions: Vec<QuestionNode>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionNode {
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub helpful_resource: ResourceNode,
    pub choices: Vec<ChoiceNode>,
    pub risk_rules: Vec<RiskRuleNode>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChoiceNode {
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub helpful_resource: ResourceNode,
    pub improvement_plan: ResourceNode,
    pub additional_resources: Vec<AdditionalNode>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResourceNode {
    pub display_text: Option<String>,
    pub url: Option<String>,
}

/// One entry of a choice's `additionalResources`: its type and its links.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AdditionalNode {
    pub kind: Option<String>,
    pub content: Vec<ResourceNode>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskRuleNode {
    pub condition: Option<String>,
    pub risk: Option<String>,
}

impl Outline {
    pub fn pillar(&self, path: &Path) -> Option<&PillarNode> {
        self.pillars.get(path.index_at(1)?)
    }

    /// The question at `path`, or the one a choice or risk rule at `path` belongs to.
    pub fn question(&self, path: &Path) -> Option<&QuestionNode> {
        self.pillar(path)?.questions.get(path.index_at(3)?)
    }

    pub fn choice(&self, path: &Path) -> Option<&ChoiceNode> {
        self.question(path)?.choices.get(path.index_at(5)?)
    }

    /// Whether the pillar, question or choice at `path` is there (the lens always is).
    pub fn has(&self, path: &Path) -> bool {
        match path.kind() {
            Some(NodeKind::Pillar) => self.pillar(path).is_some(),
            Some(NodeKind::Question) => self.question(path).is_some(),
            Some(NodeKind::Choice) => self.choice(path).is_some(),
            _ => true,
        }
    }

    /// The id of the pillar, question or choice at `path`.
    pub fn id_at(&self, path: &Path) -> Option<&str> {
        match path.kind()? {
            NodeKind::Pillar => self.pillar(path)?.id.as_deref(),
            NodeKind::Question => self.question(path)?.id.as_deref(),
            NodeKind::Choice => self.choice(path)?.id.as_deref(),
            _ => None,
        }
    }

    /// Every pillar, question and choice id, for telling the nodes an edit made.
    pub fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for pillar in &self.pillars {
            ids.extend(pillar.id.clone());
            for question in &pillar.questions {
                ids.extend(question.id.clone());
                ids.extend(question.choices.iter().filter_map(|c| c.id.clone()));
            }
        }
        ids
    }
}

impl ChoiceNode {
    pub fn is_none_of_these(&self) -> bool {
        self.id.as_deref().is_some_and(is_none_of_these)
    }
}

/// Reads the outline of lens source in either format. Items that are not objects are kept as
/// empty nodes, so that the outline's positions are the text's.
pub fn read(text: &str) -> Result<Outline, SyntaxError> {
    let tree = match Format::detect(text) {
        Format::Json => {
            let start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
            crate::json::parse(text, start)?
        }
        Format::Yaml => yaml::parse(text)?,
    };
    Ok(outline(&tree))
}

fn text(value: &Value<'_>, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn list<'v, 's>(value: &'v Value<'s>, key: &str) -> &'v [Value<'s>] {
    value.get(key).and_then(Value::items).unwrap_or_default()
}

fn resource(value: &Value<'_>, key: &str) -> ResourceNode {
    value
        .get(key)
        .map_or_else(ResourceNode::default, |r| ResourceNode {
            display_text: text(r, "displayText"),
            url: text(r, "url"),
        })
}

fn outline(tree: &Value<'_>) -> Outline {
    Outline {
        name: text(tree, "name"),
        description: text(tree, "description"),
        pillars: list(tree, "pillars")
            .iter()
            .map(|pillar| PillarNode {
                id: text(pillar, "id"),
                name: text(pillar, "name"),
                questions: list(pillar, "questions").iter().map(question).collect(),
            })
            .collect(),
    }
}

fn question(question: &Value<'_>) -> QuestionNode {
    QuestionNode {
        id: text(question, "id"),
        title: text(question, "title"),
        description: text(question, "description"),
        helpful_resource: resource(question, "helpfulResource"),
        choices: list(question, "choices")
            .iter()
            .map(|choice| ChoiceNode {
                id: text(choice, "id"),
                title: text(choice, "title"),
                description: text(choice, "description"),
                helpful_resource: resource(choice, "helpfulResource"),
                improvement_plan: resource(choice, "improvementPlan"),
                additional_resources: list(choice, "additionalResources")
                    .iter()
                    .map(|entry| AdditionalNode {
                        kind: text(entry, "type"),
                        content: list(entry, "content")
                            .iter()
                            .map(|link| ResourceNode {
                                display_text: text(link, "displayText"),
                                url: text(link, "url"),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        risk_rules: list(question, "riskRules")
            .iter()
            .map(|rule| RiskRuleNode {
                condition: text(rule, "condition"),
                risk: text(rule, "risk"),
            })
            .collect(),
    }
}

/// What the outline editor can do to the lens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Blank text becomes a lens with one pillar, one question and its choices to fill in.
    Start,
    /// The text at a path (`name`, `pillars[0].questions[1].helpfulResource.url`…), created
    /// with the objects on the way when absent.
    SetText {
        at: Path,
        text: String,
    },
    /// Removes an optional member.
    Clear {
        at: Path,
    },
    /// A pillar's name or a question's or choice's title. With `follow_id`, an id still made
    /// from the old title follows the new one: the editor asks for that only for nodes it
    /// made, since a published question's or choice's id is what workloads' answers name.
    Retitle {
        item: Path,
        title: String,
        follow_id: bool,
    },
    /// A node's id; for a choice, its question's risk rules follow.
    SetId {
        item: Path,
        id: String,
    },
    /// A new pillar, question, choice or risk rule at the end of the list (a choice before the
    /// question's "None of these", a risk rule before its `default`).
    Add {
        list: Path,
    },
    /// The question's "None of these" choice, last.
    AddNoneOfThese {
        question: Path,
    },
    Remove {
        item: Path,
    },
    /// A copy right after the item, with ids of its own.
    Duplicate {
        item: Path,
    },
    Move {
        item: Path,
        up: bool,
    },
    /// A new entry of a choice's additional resources, or a link in one.
    AddResource {
        list: Path,
    },
}

/// The edited text, and the node the editor should show next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub select: Path,
}

/// Applies `edit` to lens source in either format.
pub fn apply(text: &str, edit: &Edit) -> Result<Applied, EditError> {
    let format = if text.trim().is_empty() {
        Format::Json
    } else {
        Format::detect(text)
    };
    let json = source::to_json(text, format).map_err(|error| {
        EditError(format!(
            "The text is not YAML yet ({}), so the outline cannot change it; fix it in the text first.",
            error.message
        ))
    })?;
    let (json, select) = apply_json(&json, edit)?;
    let text = match format {
        Format::Json => json,
        Format::Yaml => {
            source::to_yaml(&json, Format::Json).map_err(|error| EditError(error.message))?
        }
    };
    Ok(Applied { text, select })
}

const NEW_PILLAR: &str = "New pillar";
const NEW_QUESTION: &str = "New question";
const NEW_CHOICE: &str = "New choice";
const NONE_OF_THESE: &str = "None of these";

fn fallback(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Pillar => "pillar",
        NodeKind::Question => "question",
        _ => "choice",
    }
}

fn apply_json(json: &str, edit: &Edit) -> Result<(String, Path), EditError> {
    match edit {
        Edit::Start => start(json),
        Edit::SetText { at, text } => Ok((splice::set_text(json, at, text)?, owner(at))),
        Edit::Clear { at } => Ok((splice::remove_member(json, at)?, owner(at))),
        Edit::Retitle {
            item,
            title,
            follow_id,
        } => retitle(json, item, title, *follow_id),
        Edit::SetId { item, id } => Ok((set_id(json, item, id)?, item.clone())),
        Edit::Add { list } => add(json, list),
        Edit::AddNoneOfThese { question } => add_none_of_these(json, question),
        Edit::Remove { item } => remove(json, item),
        Edit::Duplicate { item } => duplicate(json, item),
        Edit::Move { item, up } => move_item(json, item, *up),
        Edit::AddResource { list } => add_resource(json, list),
    }
}

/// The pillar, question, choice or risk rule a field lies in (the lens for its own fields).
fn owner(at: &Path) -> Path {
    let mut path = at.clone();
    while path.kind().is_none() {
        match path.split_last() {
            Some((parent, _)) => path = parent,
            None => break,
        }
    }
    path
}

fn kind_of(item: &Path) -> Result<NodeKind, EditError> {
    item.kind().ok_or_else(|| {
        EditError(format!(
            "{item} is not a pillar, question, choice or risk rule."
        ))
    })
}

fn start(json: &str) -> Result<(String, Path), EditError> {
    if !json.trim().is_empty() {
        return Err(EditError(
            "The text already holds a lens; the outline edits it as it is.".into(),
        ));
    }
    let lens = object(vec![
        ("schemaVersion", string(SCHEMA_VERSION)),
        ("name", string("")),
        ("description", string("")),
        (
            "pillars",
            array(vec![new_pillar(
                &from_title(NEW_PILLAR, "pillar"),
                &from_title(NEW_QUESTION, "question"),
            )]),
        ),
    ]);
    Ok((crate::json::write::to_string_pretty(&lens), Path::root()))
}

fn new_pillar(id: &str, question_id: &str) -> Value<'static> {
    object(vec![
        ("id", string(id)),
        ("name", string(NEW_PILLAR)),
        ("questions", array(vec![new_question(question_id)])),
    ])
}

fn new_question(id: &str) -> Value<'static> {
    let choice = from_title(NEW_CHOICE, "choice");
    object(vec![
        ("id", string(id)),
        ("title", string(NEW_QUESTION)),
        ("description", string("")),
        (
            "choices",
            array(vec![
                new_choice(&choice),
                object(vec![
                    ("id", string(&format!("{id}_no"))),
                    ("title", string(NONE_OF_THESE)),
                ]),
            ]),
        ),
        (
            "riskRules",
            array(vec![rule(&choice, "NO_RISK"), rule("default", "HIGH_RISK")]),
        ),
    ])
}

fn new_choice(id: &str) -> Value<'static> {
    object(vec![
        ("id", string(id)),
        ("title", string(NEW_CHOICE)),
        ("improvementPlan", object(vec![("displayText", string(""))])),
    ])
}

fn rule(condition: &str, risk: &str) -> Value<'static> {
    object(vec![
        ("condition", string(condition)),
        ("risk", string(risk)),
    ])
}

/// Every id of `kind` that must differ from a new one: pillars' and questions' across the
/// lens, choices' within their question.
fn taken_ids(json: &str, item: &Path, kind: NodeKind) -> Result<Vec<String>, EditError> {
    let root = splice::parse(json)?;
    let outline = outline(&root);
    Ok(match kind {
        NodeKind::Pillar => outline.pillars.into_iter().filter_map(|p| p.id).collect(),
        NodeKind::Question => outline
            .pillars
            .into_iter()
            .flat_map(|p| p.questions)
            .filter_map(|q| q.id)
            .collect(),
        _ => {
            let question = item.question_of().ok_or_else(|| missing(item))?;
            find(&root, &question.key("choices"))
                .and_then(Value::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|c| c.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect()
        }
    })
}

fn missing(path: &Path) -> EditError {
    EditError(format!(
        "There is no {path} in the lens any more; the text changed."
    ))
}

fn retitle(
    json: &str,
    item: &Path,
    title: &str,
    follow_id: bool,
) -> Result<(String, Path), EditError> {
    let kind = kind_of(item)?;
    let key = kind
        .title_key()
        .ok_or_else(|| EditError("A risk rule has no title.".into()))?;
    let (old_title, old_id) = {
        let root = splice::parse(json)?;
        (
            text_at(&root, &item.key(key)).unwrap_or_default(),
            text_at(&root, &item.key("id")),
        )
    };
    let mut json = splice::set_text(json, &item.key(key), title)?;
    let follows = follow_id
        && old_id.as_deref().is_some_and(|id| {
            follows_title(id, &old_title, fallback(kind)) && !is_none_of_these(id)
        });
    if kind != NodeKind::Lens
        && follows
        && let Some(old_id) = old_id
    {
        let taken = taken_ids(&json, item, kind)?;
        let new_id = unique(&from_title(title, fallback(kind)), |id| {
            id != old_id && taken.iter().any(|t| t == id)
        });
        if new_id != old_id {
            json = set_id(&json, item, &new_id)?;
        }
    }
    Ok((json, item.clone()))
}

fn set_id(json: &str, item: &Path, id: &str) -> Result<String, EditError> {
    let kind = kind_of(item)?;
    let old = text_at(&splice::parse(json)?, &item.key("id"));
    let mut json = splice::set_text(json, &item.key("id"), id)?;
    // A question's "None of these" named after the question keeps being named after it.
    if let (NodeKind::Question, Some(old)) = (kind, &old) {
        let choices = item.key("choices");
        let none = format!("{old}_no");
        if let Some(at) = item_ids(&json, &choices)?
            .iter()
            .position(|c| c.as_deref() == Some(none.as_str()))
        {
            json = set_id(&json, &choices.index(at), &format!("{id}_no"))?;
        }
        return Ok(json);
    }
    if let (NodeKind::Choice, Some(old), Some(question)) = (kind, old, item.question_of()) {
        let rules = conditions(&splice::parse(&json)?, &question)
            .into_iter()
            .enumerate()
            .filter_map(|(i, condition)| {
                rename_in_condition(&condition?, &old, id).map(|renamed| (i, renamed))
            })
            .collect::<Vec<_>>();
        for (i, renamed) in rules {
            json = splice::set_text(
                &json,
                &question.key("riskRules").index(i).key("condition"),
                &renamed,
            )?;
        }
    }
    Ok(json)
}

/// The conditions of the question's risk rules, by index.
fn conditions(root: &Value<'_>, question: &Path) -> Vec<Option<String>> {
    find(root, &question.key("riskRules"))
        .and_then(Value::items)
        .unwrap_or_default()
        .iter()
        .map(|rule| {
            rule.get("condition")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

/// The ids of a list's items, by index.
fn item_ids(json: &str, list: &Path) -> Result<Vec<Option<String>>, EditError> {
    let root = splice::parse(json)?;
    Ok(find(&root, list)
        .and_then(Value::items)
        .ok_or_else(|| missing(list))?
        .iter()
        .map(|item| item.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect())
}

fn add(json: &str, list: &Path) -> Result<(String, Path), EditError> {
    let root = splice::parse(json)?;
    let items = find(&root, list)
        .and_then(Value::items)
        .ok_or_else(|| missing(list))?;
    let count = items.len();
    let kind = list.index(0).kind().ok_or_else(|| missing(list))?;
    let (index, value) = match kind {
        NodeKind::Pillar => {
            let pillars = taken_ids(json, &list.index(0), NodeKind::Pillar)?;
            let questions = taken_ids(json, &list.index(0), NodeKind::Question)?;
            let id = unique(&from_title(NEW_PILLAR, "pillar"), |id| {
                pillars.iter().any(|t| t == id)
            });
            let question = unique(&from_title(NEW_QUESTION, "question"), |id| {
                questions.iter().any(|t| t == id)
            });
            (count, new_pillar(&id, &question))
        }
        NodeKind::Question => {
            let questions = taken_ids(json, &list.index(0), NodeKind::Question)?;
            let id = unique(&from_title(NEW_QUESTION, "question"), |id| {
                questions.iter().any(|t| t == id)
            });
            (count, new_question(&id))
        }
        NodeKind::Choice => {
            let ids = item_ids(json, list)?;
            let id = unique(&from_title(NEW_CHOICE, "choice"), |id| {
                ids.iter().any(|t| t.as_deref() == Some(id))
            });
            let before_none = ids
                .last()
                .and_then(Option::as_deref)
                .is_some_and(is_none_of_these);
            (count - usize::from(before_none), new_choice(&id))
        }
        NodeKind::RiskRule => {
            let question = list.question_of().ok_or_else(|| missing(list))?;
            let conditions = conditions(&root, &question);
            let before_default = conditions
                .last()
                .and_then(Option::as_deref)
                .is_some_and(|c| c.trim() == "default");
            let first_choice = item_ids(json, &question.key("choices"))
                .unwrap_or_default()
                .into_iter()
                .flatten()
                .find(|id| !is_none_of_these(id))
                .unwrap_or_else(|| "default".to_owned());
            (
                count - usize::from(before_default),
                rule(&first_choice, "MEDIUM_RISK"),
            )
        }
        NodeKind::Lens => return Err(missing(list)),
    };
    Ok((
        splice::insert_item(json, list, index, &value)?,
        list.index(index),
    ))
}

fn add_none_of_these(json: &str, question: &Path) -> Result<(String, Path), EditError> {
    let list = question.key("choices");
    let ids = item_ids(json, &list)?;
    if let Some(at) = ids
        .iter()
        .position(|id| id.as_deref().is_some_and(is_none_of_these))
    {
        return Ok((json.to_owned(), list.index(at)));
    }
    let question_id = text_at(&splice::parse(json)?, &question.key("id")).unwrap_or_default();
    let base = if question_id.is_empty() {
        "choice_no".to_owned()
    } else {
        format!("{question_id}_no")
    };
    let id = unique(&base, |id| ids.iter().any(|t| t.as_deref() == Some(id)));
    let id = if is_none_of_these(&id) {
        id
    } else {
        format!("{id}_no")
    };
    let value = object(vec![("id", string(&id)), ("title", string(NONE_OF_THESE))]);
    Ok((
        splice::insert_item(json, &list, ids.len(), &value)?,
        list.index(ids.len()),
    ))
}

fn remove(json: &str, item: &Path) -> Result<(String, Path), EditError> {
    let (list, index) = item.as_item().ok_or_else(|| missing(item))?;
    let json = splice::remove_item(json, &list, index)?;
    let select = match index.checked_sub(1) {
        Some(before) => list.index(before),
        None => owner(&list),
    };
    Ok((json, select))
}

fn duplicate(json: &str, item: &Path) -> Result<(String, Path), EditError> {
    let kind = kind_of(item)?;
    let (list, index) = item.as_item().ok_or_else(|| missing(item))?;
    let copy = splice::item_text(json, &list, index)?;
    let copy = match kind {
        NodeKind::Pillar => {
            let pillars = taken_ids(json, item, NodeKind::Pillar)?;
            let mut questions = taken_ids(json, item, NodeKind::Question)?;
            let mut copy = with_new_id(&copy, &Path::root(), &pillars)?;
            let count = item_ids(&copy, &Path::root().key("questions")).map_or(0, |ids| ids.len());
            for q in 0..count {
                let at = Path::root().key("questions").index(q);
                let Some(old) = text_at(&splice::parse(&copy)?, &at.key("id")) else {
                    continue;
                };
                let new = unique(&format!("{old}_copy"), |id| {
                    questions.iter().any(|t| t == id)
                });
                copy = splice::set_text(&copy, &at.key("id"), &new)?;
                questions.push(new);
            }
            copy
        }
        NodeKind::Question => with_new_id(&copy, &Path::root(), &taken_ids(json, item, kind)?)?,
        NodeKind::Choice => {
            if text_at(&splice::parse(&copy)?, &Path::root().key("id"))
                .is_some_and(|id| is_none_of_these(&id))
            {
                return Err(EditError(
                    "A question has one “None of these” choice; add another choice instead.".into(),
                ));
            }
            with_new_id(&copy, &Path::root(), &taken_ids(json, item, kind)?)?
        }
        NodeKind::RiskRule => copy,
        NodeKind::Lens => return Err(missing(item)),
    };
    Ok((
        splice::insert_text_after(json, &list, index, &copy)?,
        list.index(index + 1),
    ))
}

/// The copied item's text with `id` (at `at`) replaced by `{id}_copy`, made unique.
fn with_new_id(copy: &str, at: &Path, taken: &[String]) -> Result<String, EditError> {
    let Some(old) = text_at(&splice::parse(copy)?, &at.key("id")) else {
        return Ok(copy.to_owned());
    };
    let new = unique(&format!("{old}_copy"), |id| taken.iter().any(|t| t == id));
    splice::set_text(copy, &at.key("id"), &new)
}

fn move_item(json: &str, item: &Path, up: bool) -> Result<(String, Path), EditError> {
    let kind = kind_of(item)?;
    let (list, index) = item.as_item().ok_or_else(|| missing(item))?;
    let ids = item_ids(json, &list)?;
    let to = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1).filter(|to| *to < ids.len())
    };
    let Some(to) = to else {
        return Err(EditError(format!(
            "This {} is already the {} of its list.",
            kind.noun(),
            if up { "first" } else { "last" }
        )));
    };
    if kind == NodeKind::Choice {
        let none = |i: usize| ids[i].as_deref().is_some_and(is_none_of_these);
        if none(index) || none(to) {
            return Err(EditError(
                "“None of these” stays the last choice of its question.".into(),
            ));
        }
    }
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.swap(index, to);
    Ok((splice::reorder(json, &list, &order)?, list.index(to)))
}

fn add_resource(json: &str, list: &Path) -> Result<(String, Path), EditError> {
    let count = find(&splice::parse(json)?, list)
        .and_then(Value::items)
        .map(<[Value<'_>]>::len);
    let is_entries =
        matches!(list.split_last(), Some((_, Step::Key(key))) if key == "additionalResources");
    let link = || object(vec![("displayText", string("")), ("url", string(""))]);
    let value = if is_entries {
        object(vec![
            ("type", string("HELPFUL_RESOURCE")),
            ("content", array(vec![link()])),
        ])
    } else {
        link()
    };
    let owner = owner(list);
    let json = match count {
        Some(count) => splice::insert_item(json, list, count, &value)?,
        None => splice::set_value(json, list, &array(vec![value]))?,
    };
    Ok((json, owner))
}
