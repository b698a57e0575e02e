//! The outline editor's edits over every fixture and real lens: each changes what it says and
//! nothing else (unknown members, other nodes and, outside the edited node, the author's
//! bytes stay), undoes cleanly, and works the same on YAML source.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking, with the value in the report"
)]

mod common;

use lensgate_lens::{
    Format,
    outline::{self, Edit, Path},
    source, validate,
};
use serde_json::Value;

fn tree(text: &str) -> Value {
    serde_json::from_str(
        source::to_json(text, Format::detect(text))
            .unwrap()
            .as_ref(),
    )
    .unwrap()
}

fn apply(text: &str, edit: &Edit) -> String {
    outline::apply(text, edit)
        .unwrap_or_else(|e| panic!("{edit:?}: {e}"))
        .text
}

/// Lenses the outline can edit: JSON that parses, with a first pillar holding a question.
fn editable() -> Vec<(String, String)> {
    let lenses: Vec<_> = common::lenses()
        .into_iter()
        .filter(|(_, text)| {
            serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'))
                .is_ok_and(|v| v["pillars"][0]["questions"][0].is_object())
        })
        .collect();
    assert!(
        lenses.len() >= 4,
        "too few lenses to edit: {}",
        lenses.len()
    );
    lenses
}

#[test]
fn renaming_a_question_changes_its_title_and_nothing_else() {
    for (name, text) in editable() {
        let before = tree(&text);
        let question = Path::question(0, 0);
        let edited = apply(
            &text,
            &Edit::Retitle {
                item: question.clone(),
                title: "Renamed \"question\" — ünïcode".into(),
                follow_id: false,
            },
        );
        let mut expected = before.clone();
        expected["pillars"][0]["questions"][0]["title"] = "Renamed \"question\" — ünïcode".into();
        let after = tree(&edited);
        // Ids stay unless the editor made the node: a published question's id is what
        // workloads' answers name.
        assert_eq!(after, expected, "{name}");
        let old_title = before["pillars"][0]["questions"][0]["title"]
            .as_str()
            .unwrap();
        let at = text.find(&serde_json::to_string(old_title).unwrap());
        if let Some(at) = at {
            assert_eq!(edited[..at], text[..at], "{name}: bytes before the title");
        }
        let back = apply(
            &edited,
            &Edit::Retitle {
                item: question,
                title: old_title.to_owned(),
                follow_id: false,
            },
        );
        assert_eq!(tree(&back), before, "{name}: renamed back");
    }
}

#[test]
fn an_added_choice_goes_before_none_of_these_and_is_removed_cleanly() {
    for (name, text) in editable() {
        let before = tree(&text);
        let choices = Path::question(0, 0).key("choices");
        let applied = outline::apply(
            &text,
            &Edit::Add {
                list: choices.clone(),
            },
        )
        .unwrap();
        let after = tree(&applied.text);
        let old = before["pillars"][0]["questions"][0]["choices"]
            .as_array()
            .unwrap();
        let new = after["pillars"][0]["questions"][0]["choices"]
            .as_array()
            .unwrap();
        assert_eq!(new.len(), old.len() + 1, "{name}");
        let ends_with_none = old
            .last()
            .and_then(|c| c["id"].as_str())
            .is_some_and(|id| id.ends_with("_no"));
        let at = if ends_with_none {
            old.len() - 1
        } else {
            old.len()
        };
        assert_eq!(applied.select, choices.index(at), "{name}");
        assert_eq!(new[at]["title"], "New choice", "{name}");
        let ids: Vec<_> = new.iter().filter_map(|c| c["id"].as_str()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{name}: the new id is unique");
        let mut expected = before.clone();
        let list = expected["pillars"][0]["questions"][0]["choices"]
            .as_array_mut()
            .unwrap();
        list.insert(at, new[at].clone());
        assert_eq!(after, expected, "{name}: nothing else changed");

        let removed = apply(
            &applied.text,
            &Edit::Remove {
                item: choices.index(at),
            },
        );
        assert_eq!(tree(&removed), before, "{name}: removed again");
    }
}

#[test]
fn moving_a_pillar_keeps_every_byte_of_both_and_moving_back_restores_the_text() {
    for (name, text) in editable() {
        let before = tree(&text);
        let pillars = before["pillars"].as_array().unwrap();
        if pillars.len() < 2 {
            continue;
        }
        let applied = outline::apply(
            &text,
            &Edit::Move {
                item: Path::pillar(0),
                up: false,
            },
        )
        .unwrap();
        assert_eq!(applied.select, Path::pillar(1));
        let mut expected = before.clone();
        expected["pillars"].as_array_mut().unwrap().swap(0, 1);
        assert_eq!(tree(&applied.text), expected, "{name}");
        assert_eq!(
            applied.text.len(),
            text.len(),
            "{name}: the same bytes, reordered"
        );
        let back = apply(
            &applied.text,
            &Edit::Move {
                item: Path::pillar(1),
                up: true,
            },
        );
        assert_eq!(back, text, "{name}: moved back, byte for byte");
    }
}

#[test]
fn the_same_edits_on_yaml_source_give_yaml_describing_the_same_lens() {
    for (name, text) in editable().into_iter().take(6) {
        let yaml = source::to_yaml(&text, Format::Json).unwrap();
        let edit = Edit::Retitle {
            item: Path::question(0, 0),
            title: "Renamed".into(),
            follow_id: false,
        };
        let from_json = apply(&text, &edit);
        let from_yaml = apply(&yaml, &edit);
        assert_eq!(Format::detect(&from_yaml), Format::Yaml, "{name}");
        assert_eq!(tree(&from_yaml), tree(&from_json), "{name}");
    }
}

#[test]
fn a_duplicated_pillar_gets_ids_of_its_own_and_adds_no_duplicate_id_problem() {
    for (name, text) in editable() {
        let count = |t: &str| {
            validate(t)
                .problems
                .iter()
                .filter(|p| p.rule == lensgate_lens::Rule::DuplicateId)
                .count()
        };
        let applied = outline::apply(
            &text,
            &Edit::Duplicate {
                item: Path::pillar(0),
            },
        )
        .unwrap();
        assert_eq!(applied.select, Path::pillar(1));
        assert_eq!(count(&applied.text), count(&text), "{name}");
        let after = tree(&applied.text);
        let (original, copy) = (&after["pillars"][0], &after["pillars"][1]);
        assert_eq!(copy["name"], original["name"], "{name}");
        assert_ne!(copy["id"], original["id"], "{name}");
        assert_eq!(
            copy["questions"].as_array().unwrap().len(),
            original["questions"].as_array().unwrap().len()
        );
    }
}

#[test]
fn a_lens_built_from_nothing_with_outline_edits_alone_can_be_imported() {
    let mut text = apply("", &Edit::Start);
    let report = validate(&text);
    assert!(
        !report.is_importable(),
        "the empty name and plan are errors to fill in"
    );
    let paths: Vec<_> = report.problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"name"), "{paths:?}");
    for edit in [
        Edit::SetText {
            at: Path::root().key("name"),
            text: "Team review".into(),
        },
        Edit::SetText {
            at: Path::root().key("description"),
            text: "Before go-live.".into(),
        },
        Edit::Retitle {
            item: Path::pillar(0),
            title: "Operations".into(),
            follow_id: true,
        },
        Edit::Retitle {
            item: Path::question(0, 0),
            title: "How do you deploy?".into(),
            follow_id: true,
        },
        Edit::Retitle {
            item: Path::choice(0, 0, 0),
            title: "With a pipeline".into(),
            follow_id: true,
        },
        Edit::SetText {
            at: Path::choice(0, 0, 0)
                .key("improvementPlan")
                .key("displayText"),
            text: "Build a pipeline".into(),
        },
        Edit::Add {
            list: Path::question(0, 0).key("choices"),
        },
        Edit::Retitle {
            item: Path::choice(0, 0, 1),
            title: "Rollback on alarms".into(),
            follow_id: true,
        },
        Edit::SetText {
            at: Path::choice(0, 0, 1)
                .key("improvementPlan")
                .key("displayText"),
            text: "Add alarms".into(),
        },
    ] {
        text = apply(&text, &edit);
    }
    let report = validate(&text);
    assert!(report.is_importable(), "{:?}", report.problems);
    let lens = report.lens.unwrap();
    let question = &lens.pillars[0].questions[0];
    assert_eq!(lens.pillars[0].id, "operations");
    assert_eq!(question.id, "how_do_you_deploy");
    let ids: Vec<_> = question.choices.iter().map(|c| c.id.as_str()).collect();
    // The first choice's id followed its title, and the risk rule that named it followed too;
    // "None of these" stayed last and kept the question's name.
    assert_eq!(
        ids,
        [
            "with_a_pipeline",
            "rollback_on_alarms",
            "how_do_you_deploy_no"
        ]
    );
    assert_eq!(question.risk_rules[0].text, "with_a_pipeline");
    let renamed = apply(
        &text,
        &Edit::Retitle {
            item: Path::question(0, 0),
            title: "How do you ship?".into(),
            follow_id: false,
        },
    );
    assert!(
        renamed.contains(r#""id": "how_do_you_deploy""#),
        "an id the editor did not make stays"
    );
}

#[test]
fn none_of_these_stays_last_and_a_field_is_added_in_the_style_of_its_object() {
    let text = r#"{
    "schemaVersion": "2021-11-01", "name": "N", "description": "D",
    "pillars": [
        {
            "id": "p1",
            "name": "P",
            "questions": [
                {
                    "id": "q1", "title": "Q",
                    "choices": [
                        { "id": "a", "title": "A", "x-note": "kept" },
                        { "id": "q1_no", "title": "None of these" }
                    ],
                    "riskRules": [{ "condition": "a", "risk": "NO_RISK" }, { "condition": "default", "risk": "HIGH_RISK" }]
                }
            ]
        }
    ]
}"#;
    let refused = outline::apply(
        text,
        &Edit::Move {
            item: Path::choice(0, 0, 0),
            up: false,
        },
    );
    assert!(refused.unwrap_err().0.contains("None of these"));
    let described = apply(
        text,
        &Edit::SetText {
            at: Path::choice(0, 0, 0).key("description"),
            text: "About A".into(),
        },
    );
    assert!(
        described
            .contains(r#"{ "id": "a", "title": "A", "x-note": "kept", "description": "About A" }"#),
        "{described}"
    );
    let deep = outline::apply(
        text,
        &Edit::SetText {
            at: Path::choice(0, 0, 0)
                .key("improvementPlan")
                .key("displayText"),
            text: "Plan".into(),
        },
    )
    .unwrap();
    assert_eq!(
        deep.select,
        Path::choice(0, 0, 0),
        "a field's edit shows its node"
    );
    let linked = apply(
        text,
        &Edit::SetText {
            at: Path::question(0, 0).key("helpfulResource").key("url"),
            text: "https://example.com/".into(),
        },
    );
    assert!(
        linked.contains("\"riskRules\": [{ \"condition\": \"a\", \"risk\": \"NO_RISK\" }, { \"condition\": \"default\", \"risk\": \"HIGH_RISK\" }],\n                    \"helpfulResource\": {\n                        \"url\": \"https://example.com/\"\n                    }\n"),
        "{linked}"
    );
    let renamed = apply(
        text,
        &Edit::SetId {
            item: Path::choice(0, 0, 0),
            id: "b".into(),
        },
    );
    assert!(
        renamed.contains(r#"{ "condition": "b", "risk": "NO_RISK" }"#),
        "{renamed}"
    );
    let rule = outline::apply(
        text,
        &Edit::Add {
            list: Path::question(0, 0).key("riskRules"),
        },
    )
    .unwrap();
    assert_eq!(
        rule.select,
        Path::risk_rule(0, 0, 1),
        "a new rule goes before `default`"
    );
}

#[test]
fn the_outline_finds_its_nodes_by_path() {
    let text = include_str!("fixtures/valid-small.json");
    let outline = outline::read(text).unwrap();
    assert_eq!(outline.id_at(&Path::pillar(1)), Some("sec"));
    assert_eq!(outline.id_at(&Path::question(0, 0)), Some("ops_deploy"));
    assert_eq!(outline.id_at(&Path::choice(0, 0, 2)), Some("ops_deploy_no"));
    assert!(
        outline
            .choice(&Path::choice(0, 0, 2))
            .unwrap()
            .is_none_of_these()
    );
    assert!(outline.has(&Path::root()));
    assert!(!outline.has(&Path::choice(0, 0, 9)));
    assert!(!outline.has(&Path::pillar(5)));
}
