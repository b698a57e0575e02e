//! What changed between two lens JSONs: structurally (pillars, questions, choices, risk rules
//! added, removed or changed, with word-level before and after) and textually (a unified diff).
//! Computed on the server so the diff code stays out of the browser bundle.

use std::collections::BTreeMap;

use lensgate_app::reviews::{Change, ChangeKind, DiffLine, LensDiff, LineKind, Words};
use lensgate_lens::{
    Lens,
    model::{Choice, Pillar, Question, Resource},
};
use similar::{ChangeTag, TextDiff};

/// Lines of context around each change in the unified diff.
const CONTEXT: usize = 3;

pub fn lens_diff(before: &str, after: &str) -> LensDiff {
    let (lines, lines_added, lines_removed) = unified(before, after);
    let parse = |text: &str| lensgate_lens::validate(text).lens.unwrap_or_default();
    let mut changes = Vec::new();
    structural(&parse(before), &parse(after), &mut changes);
    LensDiff {
        changes,
        lines,
        lines_added,
        lines_removed,
    }
}

fn unified(before: &str, after: &str) -> (Vec<DiffLine>, usize, usize) {
    let diff = TextDiff::from_lines(before, after);
    let (mut lines, mut added, mut removed) = (Vec::new(), 0, 0);
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (old, new) = (
            first.old_range().start..last.old_range().end,
            first.new_range().start..last.new_range().end,
        );
        lines.push(DiffLine {
            kind: LineKind::Hunk,
            text: format!(
                "@@ -{},{} +{},{} @@",
                old.start + 1,
                old.len(),
                new.start + 1,
                new.len()
            ),
        });
        for op in &group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineKind::Context,
                    ChangeTag::Insert => {
                        added += 1;
                        LineKind::Added
                    }
                    ChangeTag::Delete => {
                        removed += 1;
                        LineKind::Removed
                    }
                };
                lines.push(DiffLine {
                    kind,
                    text: change.value().trim_end_matches('\n').to_owned(),
                });
            }
        }
    }
    (lines, added, removed)
}

fn words(before: &str, after: &str) -> (Vec<Words>, Vec<Words>) {
    let diff = TextDiff::from_words(before, after);
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let text = change.value().to_owned();
        match change.tag() {
            ChangeTag::Equal => {
                old.push(Words {
                    text: text.clone(),
                    marked: false,
                });
                new.push(Words {
                    text,
                    marked: false,
                });
            }
            ChangeTag::Delete => old.push(Words { text, marked: true }),
            ChangeTag::Insert => new.push(Words { text, marked: true }),
        }
    }
    (old, new)
}

fn whole(text: &str) -> Vec<Words> {
    vec![Words {
        text: text.to_owned(),
        marked: false,
    }]
}

fn field(changes: &mut Vec<Change>, place: &str, name: &str, before: &str, after: &str) {
    if before == after {
        return;
    }
    let (before, after) = words(before, after);
    changes.push(Change {
        kind: ChangeKind::Changed,
        place: place.to_owned(),
        field: Some(name.to_owned()),
        before,
        after,
    });
}

fn presence(changes: &mut Vec<Change>, kind: ChangeKind, place: String, text: &str) {
    let (before, after) = match kind {
        ChangeKind::Removed => (whole(text), Vec::new()),
        _ => (Vec::new(), whole(text)),
    };
    changes.push(Change {
        kind,
        place,
        field: None,
        before,
        after,
    });
}

/// Pairs items of two lists by id, in the order of `after`, then those only in `before`.
fn pair<'a, T>(
    before: &'a [T],
    after: &'a [T],
    id: impl Fn(&T) -> &str,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let old: BTreeMap<&str, &T> = before.iter().map(|item| (id(item), item)).collect();
    let mut pairs: Vec<_> = after
        .iter()
        .map(|item| (old.get(id(item)).copied(), Some(item)))
        .collect();
    pairs.extend(
        before
            .iter()
            .filter(|item| !after.iter().any(|a| id(a) == id(item)))
            .map(|item| (Some(item), None)),
    );
    pairs
}

fn structural(before: &Lens, after: &Lens, changes: &mut Vec<Change>) {
    // A first version has no earlier name to change from: its pillars say what it adds.
    if !before.name.is_empty() {
        field(changes, "Lens", "name", &before.name, &after.name);
        field(
            changes,
            "Lens",
            "description",
            &before.description,
            &after.description,
        );
    }
    for pair in pair(&before.pillars, &after.pillars, |p| &p.id) {
        match pair {
            (None, Some(p)) => presence(
                changes,
                ChangeKind::Added,
                format!("Pillar “{}”", p.name),
                &summary_of_pillar(p),
            ),
            (Some(p), None) => presence(
                changes,
                ChangeKind::Removed,
                format!("Pillar “{}”", p.name),
                &summary_of_pillar(p),
            ),
            (Some(old), Some(new)) => pillar(old, new, changes),
            (None, None) => {}
        }
    }
}

fn summary_of_pillar(pillar: &Pillar) -> String {
    format!("{} ({} questions)", pillar.name, pillar.questions.len())
}

fn pillar(before: &Pillar, after: &Pillar, changes: &mut Vec<Change>) {
    let place = format!("Pillar “{}”", after.name);
    field(changes, &place, "name", &before.name, &after.name);
    for pair in pair(&before.questions, &after.questions, |q| &q.id) {
        match pair {
            (None, Some(q)) => presence(
                changes,
                ChangeKind::Added,
                format!("{place} › question “{}”", q.title),
                &q.title,
            ),
            (Some(q), None) => presence(
                changes,
                ChangeKind::Removed,
                format!("{place} › question “{}”", q.title),
                &q.title,
            ),
            (Some(old), Some(new)) => question(&place, old, new, changes),
            (None, None) => {}
        }
    }
}

fn resource_text(resource: Option<&Resource>) -> String {
    resource.map_or_else(String::new, |r| match &r.url {
        Some(url) => format!("{} <{url}>", r.display_text),
        None => r.display_text.clone(),
    })
}

fn risk_rules(question: &Question) -> String {
    question
        .risk_rules
        .iter()
        .map(|rule| format!("{}: {}", rule.risk.as_str(), rule.text))
        .collect::<Vec<_>>()
        .join("; ")
}

fn question(pillar: &str, before: &Question, after: &Question, changes: &mut Vec<Change>) {
    let place = format!("{pillar} › question “{}”", after.title);
    field(changes, &place, "title", &before.title, &after.title);
    field(
        changes,
        &place,
        "description",
        before.description.as_deref().unwrap_or_default(),
        after.description.as_deref().unwrap_or_default(),
    );
    field(
        changes,
        &place,
        "helpful resource",
        &resource_text(before.helpful_resource.as_ref()),
        &resource_text(after.helpful_resource.as_ref()),
    );
    field(
        changes,
        &place,
        "risk rules",
        &risk_rules(before),
        &risk_rules(after),
    );
    for pair in pair(&before.choices, &after.choices, |c| &c.id) {
        match pair {
            (None, Some(c)) => presence(
                changes,
                ChangeKind::Added,
                format!("{place} › choice “{}”", c.title),
                &c.title,
            ),
            (Some(c), None) => presence(
                changes,
                ChangeKind::Removed,
                format!("{place} › choice “{}”", c.title),
                &c.title,
            ),
            (Some(old), Some(new)) => choice(&place, old, new, changes),
            (None, None) => {}
        }
    }
}

fn choice(question: &str, before: &Choice, after: &Choice, changes: &mut Vec<Change>) {
    let place = format!("{question} › choice “{}”", after.title);
    field(changes, &place, "title", &before.title, &after.title);
    field(
        changes,
        &place,
        "description",
        before.description.as_deref().unwrap_or_default(),
        after.description.as_deref().unwrap_or_default(),
    );
    field(
        changes,
        &place,
        "helpful resource",
        &resource_text(before.helpful_resource.as_ref()),
        &resource_text(after.helpful_resource.as_ref()),
    );
    field(
        changes,
        &place,
        "improvement plan",
        &resource_text(before.improvement_plan.as_ref()),
        &resource_text(after.improvement_plan.as_ref()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const V07: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");

    #[test]
    fn a_changed_title_an_added_choice_and_a_changed_rule_are_found() {
        let after = V07
            .replace("How do you deploy changes?", "How do you deploy every change?")
            .replace(
                r#"{ "id": "ops_deploy_no", "title": "None of these" }"#,
                r#"{ "id": "ops_deploy_canary", "title": "Canary releases", "improvementPlan": { "displayText": "Release to a few first" } },
            { "id": "ops_deploy_no", "title": "None of these" }"#,
            )
            .replace(r#""condition": "default", "risk": "HIGH_RISK" }
          ]
        }
      ]
    },"#, r#""condition": "default", "risk": "MEDIUM_RISK" }
          ]
        }
      ]
    },"#);
        let diff = lens_diff(V07, &after);
        let title = diff
            .changes
            .iter()
            .find(|c| c.field.as_deref() == Some("title"))
            .expect("the title change");
        assert_eq!(title.kind, ChangeKind::Changed);
        let marked: Vec<_> = title
            .after
            .iter()
            .filter(|w| w.marked)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(marked, ["every", " ", "change?"], "{:?}", title.after);
        assert!(
            diff.changes
                .iter()
                .any(|c| c.kind == ChangeKind::Added
                    && c.place.ends_with("choice “Canary releases”"))
        );
        let rules = diff
            .changes
            .iter()
            .find(|c| c.field.as_deref() == Some("risk rules"))
            .expect("the rule change");
        assert!(
            rules
                .after
                .iter()
                .any(|w| w.marked && w.text.contains("MEDIUM_RISK"))
        );
        assert!(
            diff.lines_added >= 3 && diff.lines_removed >= 2,
            "{} {}",
            diff.lines_added,
            diff.lines_removed
        );
        assert!(diff.lines.iter().any(|l| l.kind == LineKind::Hunk));
    }

    #[test]
    fn a_first_version_is_all_added() {
        let diff = lens_diff("", V07);
        assert_eq!(diff.lines_removed, 0);
        assert_eq!(diff.lines_added, V07.lines().count());
        assert_eq!(
            diff.changes
                .iter()
                .filter(|c| c.kind == ChangeKind::Added)
                .count(),
            2,
            "two pillars"
        );
    }
}
