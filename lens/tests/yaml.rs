//! Lens source in YAML: the same tree as the JSON it describes, the same problems at lines
//! and columns of the YAML, and JSON to YAML and back without a change.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

mod common;

use common::lenses;
use lensgate_lens::{
    Format, Position, Rule, json,
    json::{Kind, Value},
    source, validate, validate_as, yaml,
};

/// Two trees hold the same values, wherever each sits in its source.
fn same(a: &Value<'_>, b: &Value<'_>, at: &str) {
    match (&a.kind, &b.kind) {
        (Kind::Object(x), Kind::Object(y)) => {
            let keys =
                |m: &[json::Member<'_>]| m.iter().map(|m| m.key.to_string()).collect::<Vec<_>>();
            assert_eq!(keys(x), keys(y), "member names at {at}");
            for (x, y) in x.iter().zip(y) {
                same(&x.value, &y.value, &format!("{at}.{}", x.key));
            }
        }
        (Kind::Array(x), Kind::Array(y)) => {
            assert_eq!(x.len(), y.len(), "items at {at}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                same(x, y, &format!("{at}[{i}]"));
            }
        }
        (x, y) => assert_eq!(x, y, "value at {at}"),
    }
}

#[test]
fn every_lens_goes_to_yaml_and_back_unchanged_with_the_same_problems() {
    let mut converted = 0;
    for (name, text) in lenses() {
        let start = usize::from(text.starts_with('\u{feff}')) * 3;
        let Ok(tree) = json::parse(&text, start) else {
            continue;
        };
        let yaml_text = source::to_yaml(&text, Format::Json).unwrap();
        let from_yaml = yaml::parse(&yaml_text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        same(&tree, &from_yaml, &name);
        let json_again = source::to_json(&yaml_text, Format::Yaml).unwrap();
        same(&tree, &json::parse(&json_again, 0).unwrap(), &name);

        let rules = |report: lensgate_lens::Report| {
            report
                .problems
                .into_iter()
                .filter(|p| !matches!(p.rule, Rule::ByteOrderMark | Rule::TooLarge))
                .map(|p| (p.rule, p.path, p.severity))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            rules(validate(&text)),
            rules(validate_as(&yaml_text, Format::Yaml)),
            "{name}"
        );
        converted += 1;
    }
    // The five fixtures that parse as JSON, and the public lenses when they sit beside the project.
    assert!(converted >= 5, "only {converted} lenses were converted");
}

const SMALL: &str = r#"schemaVersion: "2021-11-01"
name: Serverless API review
description: Questions before an API goes live.
pillars:
  - id: ops
    name: Operational excellence
    questions:
      - id: ops_deploy
        title: How do you deploy changes?
        choices:
          - id: ops_deploy_pipeline
            title: A pipeline deploys every change
            improvementPlan:
              displayText: Deploy through a pipeline.
          - id: ops_deploy_no
            title: None of these
        riskRules:
          - condition: ops_deploy_pipeline && ops_deploy_typo
            risk: NO_RISK
          - condition: default
            risk: HIGH_RISK
"#;

fn problem(text: &str, rule: Rule) -> lensgate_lens::Problem {
    let report = validate_as(text, Format::Yaml);
    report
        .problems
        .into_iter()
        .find(|p| p.rule == rule)
        .unwrap_or_else(|| panic!("no {rule:?} in the report"))
}

#[test]
fn problems_point_at_the_yaml_line_and_column() {
    let unknown = problem(SMALL, Rule::UnknownChoice);
    assert_eq!(
        unknown.path,
        "pillars[0].questions[0].riskRules[0].condition"
    );
    // `ops_deploy_typo` starts 23 characters after `condition: ` on line 18.
    assert_eq!(
        unknown.position,
        Position {
            line: 18,
            column: 47
        }
    );

    let text = SMALL.replace("id: ops_deploy_pipeline", "id: \"ops deploy\"");
    let invalid = problem(&text, Rule::InvalidId);
    assert_eq!(
        invalid.position,
        Position {
            line: 11,
            column: 17
        }
    );
}

#[test]
fn a_number_where_text_belongs_is_a_wrong_type_at_its_place() {
    let text = SMALL.replace("id: ops\n", "id: 1\n");
    let wrong = problem(&text, Rule::WrongType);
    assert_eq!(wrong.path, "pillars[0].id");
    assert_eq!(wrong.position, Position { line: 5, column: 9 });
    // Quoted, the same digits are text.
    let quoted = SMALL.replace("id: ops\n", "id: \"123\"\n");
    assert!(
        validate_as(&quoted, Format::Yaml)
            .problems
            .iter()
            .all(|p| p.rule != Rule::WrongType)
    );
}

#[test]
fn syntax_errors_name_the_place_and_the_fix() {
    let text = SMALL.replace("    name: Operational", "\tname: Operational");
    let report = validate_as(&text, Format::Yaml);
    let first = &report.problems[0];
    assert_eq!(first.rule, Rule::YamlSyntax);
    assert_eq!(first.position.line, 6, "{first}");
    assert!(
        first.message.starts_with("Invalid YAML: "),
        "{}",
        first.message
    );
    assert!(report.lens.is_none());

    let two = format!("{SMALL}---\nname: second\n");
    let second = problem(&two, Rule::YamlSyntax);
    assert!(second.message.contains("more than one YAML document"));
    assert_eq!(second.position.line, 22);

    let empty = problem("# only a comment\n", Rule::YamlSyntax);
    assert!(empty.message.contains("empty"));
}

#[test]
fn aliases_are_expanded_and_alias_bombs_refused() {
    let text = SMALL
        .replace(
            "name: Serverless API review",
            "name: &lens Serverless API review",
        )
        .replace("name: Operational excellence", "name: *lens");
    let report = validate_as(&text, Format::Yaml);
    assert_eq!(
        report.lens.unwrap().pillars[0].name,
        "Serverless API review"
    );
    let before = SMALL.replace(
        "description: Questions before an API goes live.",
        "description: *later",
    );
    let undefined = problem(&before, Rule::YamlSyntax);
    assert!(
        undefined.message.contains("unknown anchor"),
        "{}",
        undefined.message
    );
    let inside = problem("a: &x [1, *x]\n", Rule::YamlSyntax);
    assert!(
        inside.message.contains("inside the value it names"),
        "{}",
        inside.message
    );

    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in ["b", "c", "d", "e", "f", "g", "h"] {
        let previous = (bomb.lines().last().unwrap().as_bytes()[0] as char).to_string();
        bomb.push_str(&format!(
            "{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
        ));
    }
    let refused = problem(&bomb, Rule::YamlSyntax);
    assert!(
        refused.message.contains("Aliases expand"),
        "{}",
        refused.message
    );
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let report = validate_as(&"[".repeat(100_000), Format::Yaml);
    assert_eq!(report.problems[0].rule, Rule::YamlSyntax);
}

#[test]
fn the_json_a_yaml_lens_is_imported_as_is_valid_lens_json() {
    let fixed = SMALL.replace("ops_deploy_typo", "ops_deploy_no");
    let report = validate_as(&fixed, Format::Yaml);
    assert!(report.is_importable(), "{:?}", report.problems);
    let json_text = source::to_json(&fixed, Format::Yaml).unwrap();
    let report = validate(&json_text);
    assert!(report.is_importable(), "{:?}", report.problems);
    assert!(json_text.starts_with(
        "{\n  \"schemaVersion\": \"2021-11-01\",\n  \"name\": \"Serverless API review\""
    ));
}

#[test]
fn text_that_yaml_would_read_as_something_else_is_quoted() {
    let text = r##"{"a": "yes", "b": "2021-11-01", "c": "- item", "d": "x: y", "e": "", "f": "null",
        "g": "line one\nline two\n", "h": " padded", "i": "tab\there", "j": "#hash", "k": "C:\\users",
        "l": "\u2028", "m": "plain text, with punctuation!"}"##;
    let yaml_text = source::to_yaml(text, Format::Json).unwrap();
    same(
        &json::parse(text, 0).unwrap(),
        &yaml::parse(&yaml_text).unwrap(),
        "root",
    );
    assert!(yaml_text.contains("a: \"yes\"\n"), "{yaml_text}");
    assert!(
        yaml_text.contains("g: |\n  line one\n  line two\n"),
        "{yaml_text}"
    );
    assert!(
        yaml_text.contains("m: plain text, with punctuation!\n"),
        "{yaml_text}"
    );
}

#[test]
fn the_format_comes_from_the_file_name_or_the_text() {
    assert_eq!(Format::of(Some("lens.YAML"), "{}"), Format::Yaml);
    assert_eq!(Format::of(Some("lens.json"), "name: x"), Format::Json);
    assert_eq!(Format::of(None, "  {\"name\": 1}"), Format::Json);
    assert_eq!(Format::of(None, "---\nname: x"), Format::Yaml);
    assert_eq!(Format::of(None, "# my lens\nname: x"), Format::Yaml);
    assert_eq!(
        Format::of(None, "schemaVersion: \"2021-11-01\""),
        Format::Yaml
    );
    assert_eq!(Format::of(None, "hello"), Format::Json);
    assert_eq!(Format::of(None, ""), Format::Json);
}
