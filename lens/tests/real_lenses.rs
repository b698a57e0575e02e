//! The validator over the public lenses kept beside the project (`../shared/lenses-real`, or
//! `$LENSGATE_REAL_LENSES`): the broken ones refused for the right reason, the others accepted.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

mod common;

use lensgate_lens::{Rule, Severity, validate};

/// The lenses known to be broken and the error each must be refused for.
const BROKEN: [(&str, Rule, u32); 3] = [
    (
        "aws-samples__custom-lens-wa-hub__custom-lens-emr-spark-v1.0.json",
        Rule::JsonSyntax,
        1448,
    ),
    (
        "kdeath83__unofficial-wa-lens-ai-apra__lens-definition.json",
        Rule::SchemaVersion,
        2,
    ),
    (
        "kdeath83__unofficial-wa-lens-ai-apra__lens-definition.json",
        Rule::Missing,
        0,
    ),
];

#[test]
fn every_real_lens_gets_the_right_verdict() {
    let Some(folder) = common::real_lens_folder() else {
        eprintln!(
            "real lenses not present beside the project; set LENSGATE_REAL_LENSES to check them"
        );
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 17, "the reference folder holds 17 lenses");
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let report = validate(&text);
        let expected: Vec<_> = BROKEN.iter().filter(|(file, ..)| *file == name).collect();
        if expected.is_empty() {
            assert!(
                report.is_importable(),
                "{name} should be accepted: {:#?}",
                report.problems
            );
            continue;
        }
        for (_, rule, line) in expected {
            let found = report.problems.iter().find(|p| {
                p.rule == *rule
                    && p.severity == Severity::Error
                    && (*line == 0 || p.position.line == *line)
            });
            assert!(
                found.is_some(),
                "{name} should be refused for {rule:?}: {:#?}",
                report.problems
            );
        }
    }
}

#[test]
fn real_habits_come_out_as_warnings() {
    let Some(folder) = common::real_lens_folder() else {
        return;
    };
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).unwrap();
    let elasticache = validate(&read(
        "aws-samples__custom-lens-wa-hub__custom-lens-elasticache-v1.0.json",
    ));
    let missing_default = elasticache
        .problems
        .iter()
        .filter(|p| p.rule == Rule::MissingDefaultRule)
        .count();
    assert_eq!(missing_default, 22);
    assert!(
        elasticache
            .problems
            .iter()
            .any(|p| p.rule == Rule::UnknownKey && p.path == "_version")
    );

    let ecs = validate(&read(
        "aws-samples__custom-lens-wa-hub__Amazon_ECS_Lens.json",
    ));
    assert_eq!(
        ecs.problems
            .iter()
            .filter(|p| p.rule == Rule::MissingDefaultRule)
            .count(),
        1
    );
}
