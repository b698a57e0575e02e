//! A lens as a questionnaire for workshops: per pillar, each question followed by its choices,
//! with empty columns for the answer and notes, and the risk rules in words. The workbook, the
//! CSV and the printable page are all written from these rows.

use crate::model::{Choice, Lens, Pillar, Question, Resource};

/// The columns of a questionnaire sheet.
pub const COLUMNS: [&str; 7] = [
    "Id",
    "Question",
    "Choice",
    "Helpful text",
    "Selected",
    "Notes",
    "Risk rules",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Question,
    Choice,
}

/// One line of a sheet, its cells in the order of [`COLUMNS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub kind: RowKind,
    pub cells: [String; 7],
}

pub struct Sheet<'l> {
    pub pillar: &'l Pillar,
    pub rows: Vec<Row>,
}

pub fn sheets(lens: &Lens) -> Vec<Sheet<'_>> {
    lens.pillars
        .iter()
        .map(|pillar| Sheet {
            pillar,
            rows: pillar.questions.iter().flat_map(question_rows).collect(),
        })
        .collect()
}

fn question_rows(question: &Question) -> Vec<Row> {
    let rules = question
        .risk_rules
        .iter()
        .map(|rule| {
            format!(
                "{} {}",
                rule.risk.label(),
                rule.condition_in_words(&question.choices)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut rows = vec![Row {
        kind: RowKind::Question,
        cells: [
            question.id.clone(),
            question.title.clone(),
            String::new(),
            helpful_text(
                question.description.as_deref(),
                question.helpful_resource.as_ref(),
            ),
            String::new(),
            String::new(),
            rules,
        ],
    }];
    rows.extend(question.choices.iter().map(choice_row));
    rows
}

fn choice_row(choice: &Choice) -> Row {
    Row {
        kind: RowKind::Choice,
        cells: [
            choice.id.clone(),
            String::new(),
            choice.title.clone(),
            helpful_text(
                choice.description.as_deref(),
                choice.helpful_resource.as_ref(),
            ),
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

/// The description and the helpful resource, one per line, the link after its text.
fn helpful_text(description: Option<&str>, resource: Option<&Resource>) -> String {
    let resource = resource.map(|r| match &r.url {
        Some(url) => format!("{} ({url})", r.display_text),
        None => r.display_text.clone(),
    });
    description
        .map(str::to_owned)
        .into_iter()
        .chain(resource)
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
