//! The validator answers every input with a report, never a panic: arbitrary text (as JSON and
//! as YAML, and YAML written back reads again), every truncation and corruption of a real lens
//! (and outline edits of it), and nesting far deeper than the parser follows.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

use lensgate_lens::{
    Format, Rule,
    outline::{self, Edit, Path},
    source, validate, validate_as,
};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("fixtures/valid-small.json");

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        let _ = validate(&text);
    }

    #[test]
    fn arbitrary_text_as_yaml(text in any::<String>()) {
        let _ = validate_as(&text, Format::Yaml);
    }

    #[test]
    fn yaml_shaped_noise(text in r##"[-:&*!|>'"#\[\]{},?a-z0-9 \n\t.]{0,200}"##) {
        let _ = validate_as(&text, Format::Yaml);
        if let Ok(yaml) = source::to_yaml(&text, Format::Yaml) {
            prop_assert!(validate_as(&yaml, Format::Yaml).problems.iter().all(|p| p.rule != Rule::YamlSyntax), "{yaml}");
        }
    }

    #[test]
    fn json_shaped_noise(text in r#"[\[\]{}",:0-9a-z\\ \n._!&|()-]{0,200}"#) {
        let _ = validate(&text);
    }

    #[test]
    fn every_truncation_of_a_lens(cut in 0..SAMPLE.trim_end().len()) {
        let mut cut = cut;
        while !SAMPLE.is_char_boundary(cut) {
            cut -= 1;
        }
        let report = validate(&SAMPLE[..cut]);
        prop_assert!(!report.is_importable());
    }

    #[test]
    fn one_byte_corrupted(at in 0..SAMPLE.len(), byte in any::<char>()) {
        let mut text = SAMPLE.to_owned();
        if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
            text.replace_range(at..at + 1, &byte.to_string());
        }
        let _ = validate(&text);
    }

    #[test]
    fn outline_edits_of_a_corrupted_lens(at in 0..SAMPLE.len(), byte in any::<char>(), which in 0..8usize, title in any::<String>()) {
        let mut text = SAMPLE.to_owned();
        if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
            text.replace_range(at..at + 1, &byte.to_string());
        }
        let item = [Path::pillar(1), Path::question(0, 0), Path::choice(0, 0, 2), Path::risk_rule(0, 0, 0)][which % 4].clone();
        let edit = match which {
            0 | 1 => Edit::Retitle { item, title, follow_id: which == 1 },
            2 => Edit::Duplicate { item },
            3 => Edit::Move { item, up: true },
            4 => Edit::Remove { item },
            5 => Edit::SetId { item, id: title },
            6 => Edit::Add { list: Path::question(0, 0).key("choices") },
            _ => Edit::SetText { at: item.key("helpfulResource").key("url"), text: title },
        };
        if let Ok(applied) = outline::apply(&text, &edit) {
            let _ = validate(&applied.text);
        }
    }

    #[test]
    fn conditions_of_any_shape(condition in r"[a-z_!&|() ]{0,60}") {
        let text = SAMPLE.replacen("ops_deploy_pipeline && ops_deploy_rollback", &condition.replace('"', ""), 1);
        let _ = validate(&text);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for open in ["[", "{\"a\":"] {
        let text = open.repeat(100_000);
        let report = validate(&text);
        assert_eq!(report.problems[0].rule, Rule::JsonSyntax);
        assert!(
            report.problems[0]
                .message
                .contains("nested more than 64 levels")
        );
    }
}
