//! What changed between two lens JSONs: structurally (pillars, questions, choices, risk rules
//! added, removed or changed, with word-level before and after) and textually (a unified diff).
//! Computed on the server so the diff code stays out of the browser bundle.

use std::collections::BTreeMap;

use lensgate_app::reviews::{Change, ChangeKind, DiffLine, LensDiff, LineKind, Neighbours, Words};
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
    // A first version is all new: its order is the lens itself, shown whole below the changes.
    if before.trim().is_empty() {
        for change in &mut changes {
            change.neighbours = None;
        }
    }
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
        neighbours: None,
    });
}

/// An item added or removed whole: its place names it, so no before or after text repeats the
/// name.
fn presence(changes: &mut Vec<Change>, kind: ChangeKind, place: String) {
    changes.push(Change {
        kind,
        place,
        field: None,
        before: Vec::new(),
        after: Vec::new(),
        neighbours: None,
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
    children(
        changes,
        "",
        "Pillar",
        &before.pillars,
        &after.pillars,
        |p| (&p.id, &p.name),
        pillar,
    );
}

/// Pairs the children of two items by id: those only in one are added or removed, the others
/// compared by `compare`.
fn children<T>(
    changes: &mut Vec<Change>,
    parent: &str,
    noun: &str,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> (&str, &str),
    compare: impl Fn(&str, &T, &T, &mut Vec<Change>),
) {
    let place = |item: &T| match parent {
        "" => format!("{noun} “{}”", key(item).1),
        parent => format!("{parent} › {noun} “{}”", key(item).1),
    };
    for pair in pair(before, after, |item| key(item).0) {
        let first = changes.len();
        // A removed item is placed in the list it was removed from, the others in the new one.
        let (list, item) = match pair {
            (None, Some(item)) => {
                presence(changes, ChangeKind::Added, place(item));
                (after, item)
            }
            (Some(item), None) => {
                presence(changes, ChangeKind::Removed, place(item));
                (before, item)
            }
            (Some(old), Some(new)) => {
                compare(&place(new), old, new, changes);
                (after, new)
            }
            (None, None) => continue,
        };
        // The item's own first change, not one of its children's (they are placed among theirs).
        let here = place(item);
        if let Some(change) = changes[first..].iter_mut().find(|c| c.place == here) {
            change.neighbours = Some(neighbours(list, key(item).0, &key));
        }
    }
}

/// The titles around the item with id `id` in `list`.
fn neighbours<T>(list: &[T], id: &str, key: &impl Fn(&T) -> (&str, &str)) -> Neighbours {
    let at = list.iter().position(|item| key(item).0 == id);
    let title = |index: Option<usize>| {
        index
            .and_then(|i| list.get(i))
            .map(|item| key(item).1.to_owned())
    };
    Neighbours {
        previous: title(at.and_then(|i| i.checked_sub(1))),
        next: title(at.map(|i| i + 1)),
    }
}

fn pillar(place: &str, before: &Pillar, after: &Pillar, changes: &mut Vec<Change>) {
    field(changes, place, "name", &before.name, &after.name);
    children(
        changes,
        place,
        "question",
        &before.questions,
        &after.questions,
        |q| (&q.id, &q.title),
        question,
    );
}

fn resource_text(resource: Option<&Resource>) -> String {
    resource.map_or_else(String::new, |r| match &r.url {
        Some(url) => format!("{} <{url}>", r.display_text),
        None => r.display_text.clone(),
    })
}

/// The texts a question is compared by, named as the review shows them.
fn question_fields(question: &Question) -> [(&'static str, String); 4] {
    let rules = question
        .risk_rules
        .iter()
        .map(|rule| format!("{}: {}", rule.risk.as_str(), rule.text))
        .collect::<Vec<_>>()
        .join("; ");
    [
        ("title", question.title.clone()),
        (
            "description",
            question.description.clone().unwrap_or_default(),
        ),
        (
            "helpful resource",
            resource_text(question.helpful_resource.as_ref()),
        ),
        ("risk rules", rules),
    ]
}

fn choice_fields(choice: &Choice) -> [(&'static str, String); 4] {
    [
        ("title", choice.title.clone()),
        (
            "description",
            choice.description.clone().unwrap_or_default(),
        ),
        (
            "helpful resource",
            resource_text(choice.helpful_resource.as_ref()),
        ),
        (
            "improvement plan",
            resource_text(choice.improvement_plan.as_ref()),
        ),
    ]
}

fn compare_fields<const N: usize>(
    changes: &mut Vec<Change>,
    place: &str,
    before: [(&str, String); N],
    after: [(&str, String); N],
) {
    for ((name, old), (_, new)) in before.into_iter().zip(after) {
        field(changes, place, name, &old, &new);
    }
}

fn question(place: &str, before: &Question, after: &Question, changes: &mut Vec<Change>) {
    compare_fields(
        changes,
        place,
        question_fields(before),
        question_fields(after),
    );
    children(
        changes,
        place,
        "choice",
        &before.choices,
        &after.choices,
        |c| (&c.id, &c.title),
        choice,
    );
}

fn choice(place: &str, before: &Choice, after: &Choice, changes: &mut Vec<Change>) {
    compare_fields(changes, place, choice_fields(before), choice_fields(after));
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
        assert!(
            diff.changes
                .iter()
                .all(|c| c.before.is_empty() && c.after.is_empty()),
            "the place names what was added; no line repeats it"
        );
    }

    #[test]
    fn each_changed_item_is_placed_between_its_neighbours_once() {
        let after = V07.replace(
            r#"{ "id": "ops_deploy_no", "title": "None of these" }"#,
            r#"{ "id": "ops_deploy_canary", "title": "Canary releases" },
            { "id": "ops_deploy_no", "title": "None of these" }"#,
        );
        let diff = lens_diff(V07, &after);
        let added = diff
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Added)
            .expect("the added choice");
        assert_eq!(
            added.neighbours,
            Some(Neighbours {
                previous: Some("Deployments roll back automatically on alarms".to_owned()),
                next: Some("None of these".to_owned()),
            })
        );

        let retitled = V07.replace("How do you deploy changes?", "How do you ship changes?");
        let diff = lens_diff(
            V07,
            &retitled.replace(
                "Where do functions read their secrets from?",
                "Where are secrets read from?",
            ),
        );
        let placed: Vec<_> = diff
            .changes
            .iter()
            .filter(|c| c.neighbours.is_some())
            .collect();
        assert_eq!(
            placed.len(),
            2,
            "one placement per changed question: {placed:?}"
        );
        assert_eq!(
            placed[0].neighbours,
            Some(Neighbours {
                previous: None,
                next: None
            }),
            "the only question of its pillar"
        );

        let removed = lens_diff(&after, V07);
        let gone = removed
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Removed)
            .expect("the removed choice");
        assert_eq!(
            gone.neighbours.as_ref().and_then(|n| n.next.as_deref()),
            Some("None of these"),
            "a removed item is placed where it was"
        );
    }
}
