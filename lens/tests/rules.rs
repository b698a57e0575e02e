//! One test per rule of the lens format: the valid sample passes, and each mistake is found as
//! the right kind, at the right path, line and column.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails by panicking, with the value in the report"
)]

use lensgate_lens::{Problem, Rule, Severity, validate};
use serde_json::{Value, json};

const VALID: &str = include_str!("fixtures/valid-small.json");

fn valid() -> Value {
    serde_json::from_str(VALID).unwrap()
}

/// Validates `lens` (pretty-printed) and returns its problems.
fn problems(lens: &Value) -> Vec<Problem> {
    validate(&serde_json::to_string_pretty(lens).unwrap()).problems
}

/// The one problem of `rule` that `lens` has; fails when there is none or several.
fn only(lens: &Value, rule: Rule) -> Problem {
    let all = problems(lens);
    let matching: Vec<_> = all.iter().filter(|p| p.rule == rule).cloned().collect();
    assert_eq!(matching.len(), 1, "expected one {rule:?}, got {all:#?}");
    matching.into_iter().next().unwrap()
}

fn error(lens: &Value, rule: Rule, path: &str) -> Problem {
    let problem = only(lens, rule);
    assert_eq!(problem.severity, Severity::Error, "{problem:?}");
    assert_eq!(problem.path, path);
    problem
}

fn warning(lens: &Value, rule: Rule, path: &str) -> Problem {
    let problem = only(lens, rule);
    assert_eq!(problem.severity, Severity::Warning, "{problem:?}");
    assert_eq!(problem.path, path);
    problem
}

fn question(lens: &mut Value) -> &mut Value {
    &mut lens["pillars"][0]["questions"][0]
}

#[test]
fn the_sample_lens_is_valid_with_nothing_to_report() {
    let report = validate(VALID);
    assert_eq!(report.problems, vec![]);
    let lens = report.lens.unwrap();
    assert_eq!(lens.name, "Serverless API review");
    assert_eq!(lens.pillars.len(), 2);
    assert_eq!(lens.pillars[0].questions[0].choices.len(), 3);
    assert!(lens.pillars[0].questions[0].choices[2].is_none_of_these());
    assert_eq!(lens.pillars[0].questions[0].risk_rules.len(), 3);
}

#[test]
fn invalid_json_is_reported_where_it_breaks() {
    let text = "{\n  \"name\": \"x\",\n  \"pillars\": [1, 2,]\n}";
    let report = validate(text);
    assert_eq!(report.problems.len(), 1);
    let problem = &report.problems[0];
    assert_eq!(
        (problem.rule, problem.severity),
        (Rule::JsonSyntax, Severity::Error)
    );
    assert_eq!((problem.position.line, problem.position.column), (3, 19));
    assert!(problem.message.contains("Trailing comma"), "{problem}");
    assert!(report.lens.is_none());

    let nan = validate("{\n \"a\": NaN\n}");
    assert_eq!(
        (
            nan.problems[0].position.line,
            nan.problems[0].position.column
        ),
        (2, 7)
    );
    assert!(nan.problems[0].message.contains("NaN"));
}

#[test]
fn a_byte_order_mark_is_an_error_and_the_rest_is_still_checked() {
    let text = include_str!("fixtures/bom.json");
    let report = validate(text);
    assert_eq!(report.problems[0].rule, Rule::ByteOrderMark);
    assert_eq!(
        (
            report.problems[0].position.line,
            report.problems[0].position.column
        ),
        (1, 1)
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.rule == Rule::Missing && p.path == "name")
    );
}

#[test]
fn size_is_measured_in_characters_like_the_api() {
    // 200,000 three-byte characters: 600 KB of UTF-8 but 200,000 characters, which the API accepts.
    let mut lens = valid();
    lens["description"] = json!("é".repeat(2000));
    let mut text = serde_json::to_string(&lens).unwrap();
    text.push_str(&" ".repeat(10));
    let wide = "日".repeat(200_000);
    let padded = text.replacen(
        "\"pillars\"",
        &format!("\"_notes\": \"{wide}\", \"pillars\""),
        1,
    );
    assert!(padded.len() > 500_000);
    assert!(
        !validate(&padded)
            .problems
            .iter()
            .any(|p| p.rule == Rule::TooLarge)
    );

    let over = text.replacen(
        "\"pillars\"",
        &format!("\"_notes\": \"{}\", \"pillars\"", "a".repeat(500_001)),
        1,
    );
    let problem = validate(&over)
        .problems
        .into_iter()
        .find(|p| p.rule == Rule::TooLarge)
        .unwrap();
    assert_eq!(problem.severity, Severity::Error);
    assert!(problem.message.contains("500,000"), "{problem}");
}

#[test]
fn missing_members_and_wrong_types() {
    let mut lens = valid();
    lens.as_object_mut().unwrap().remove("name");
    error(&lens, Rule::Missing, "name");

    let mut lens = valid();
    lens["pillars"][1]["questions"][0]["title"] = json!(42);
    let problem = error(&lens, Rule::WrongType, "pillars[1].questions[0].title");
    assert!(problem.message.contains("must be text, not a number"));

    let mut lens = valid();
    lens["pillars"][0]["questions"] = json!([]);
    error(&lens, Rule::Empty, "pillars[0].questions");

    let mut lens = valid();
    lens["pillars"][0]["name"] = json!("   ");
    error(&lens, Rule::Empty, "pillars[0].name");
}

#[test]
fn limits_on_counts() {
    let mut lens = valid();
    let pillar = lens["pillars"][1].clone();
    let pillars: Vec<Value> = (0..11)
        .map(|i| {
            let mut p = pillar.clone();
            p["id"] = json!(format!("pillar_{i}"));
            p["questions"][0]["id"] = json!(format!("question_{i}"));
            p
        })
        .collect();
    lens["pillars"] = json!(pillars);
    let problem = error(&lens, Rule::TooMany, "pillars[10]");
    assert!(problem.message.contains("11 items; the limit is 10"));

    let mut lens = valid();
    let choices: Vec<Value> = (0..16)
        .map(|i| json!({ "id": format!("choice_{i}"), "title": "A choice", "improvementPlan": { "displayText": "Do it" } }))
        .collect();
    question(&mut lens)["choices"] = json!(choices);
    question(&mut lens)["riskRules"] = json!([{ "condition": "default", "risk": "HIGH_RISK" }]);
    error(&lens, Rule::TooMany, "pillars[0].questions[0].choices[15]");

    let mut lens = valid();
    question(&mut lens)["riskRules"]
        .as_array_mut()
        .unwrap()
        .insert(
            0,
            json!({ "condition": "ops_deploy_no", "risk": "HIGH_RISK" }),
        );
    error(&lens, Rule::TooMany, "pillars[0].questions[0].riskRules[3]");
}

#[test]
fn text_lengths_use_the_looser_limit_for_errors_and_the_stricter_for_warnings() {
    let mut lens = valid();
    lens["name"] = json!("n".repeat(129));
    let problem = error(&lens, Rule::TooLong, "name");
    assert!(
        problem
            .message
            .contains("129 characters long; the limit is 128")
    );

    // Observed on the live service: a title of 128 characters is accepted, 129 refused.
    let mut lens = valid();
    question(&mut lens)["title"] = json!("t".repeat(128));
    assert_eq!(problems(&lens), vec![]);
    question(&mut lens)["title"] = json!("t".repeat(129));
    error(&lens, Rule::TooLong, "pillars[0].questions[0].title");
    let mut lens = valid();
    question(&mut lens)["choices"][0]["title"] = json!("t".repeat(129));
    error(
        &lens,
        Rule::TooLong,
        "pillars[0].questions[0].choices[0].title",
    );

    // Descriptions and display texts: accepted up to 2,048, refused from 2,049.
    let mut lens = valid();
    lens["description"] = json!("d".repeat(1500));
    warning(&lens, Rule::ApiLimit, "description");
    lens["description"] = json!("d".repeat(2048));
    assert!(validate(&serde_json::to_string(&lens).unwrap()).is_importable());
    lens["description"] = json!("d".repeat(2049));
    error(&lens, Rule::TooLong, "description");
    let mut lens = valid();
    question(&mut lens)["choices"][0]["improvementPlan"]["displayText"] = json!("i".repeat(2048));
    assert_eq!(problems(&lens), vec![]);
    question(&mut lens)["choices"][0]["improvementPlan"]["displayText"] = json!("i".repeat(2049));
    error(
        &lens,
        Rule::TooLong,
        "pillars[0].questions[0].choices[0].improvementPlan.displayText",
    );
}

#[test]
fn each_restricted_character_is_refused_where_the_service_refuses_it() {
    for bad in [
        ';', '%', '<', '>', '=', '*', '"', '[', ']', '$', '|', '~', '{', '}',
    ] {
        for (place, path) in [
            ("name", "name"),
            ("description", "description"),
            ("pillar", "pillars[0].name"),
            ("title", "pillars[0].questions[0].title"),
            (
                "question description",
                "pillars[0].questions[0].description",
            ),
            ("choice", "pillars[0].questions[0].choices[0].title"),
        ] {
            let mut lens = valid();
            let text = format!("Uptime {bad} 99");
            match place {
                "name" => lens["name"] = json!(text),
                "description" => lens["description"] = json!(text),
                "pillar" => lens["pillars"][0]["name"] = json!(text),
                "title" => question(&mut lens)["title"] = json!(text),
                "question description" => question(&mut lens)["description"] = json!(text),
                _ => question(&mut lens)["choices"][0]["title"] = json!(text),
            }
            let problem = error(&lens, Rule::RestrictedCharacter, path);
            assert!(
                problem.message.contains(&format!("`{bad}` at character 8")),
                "{problem}"
            );
            assert!(
                problem.fix.as_deref().unwrap().contains("Replace all"),
                "{problem}"
            );
        }
    }
    // The suggested replacement, in words.
    let mut lens = valid();
    lens["name"] = json!("Ops; review");
    let fix = error(&lens, Rule::RestrictedCharacter, "name").fix.unwrap();
    assert!(
        fix.contains("for the character `;`, write “,” instead"),
        "{fix}"
    );
    lens["name"] = json!("99% ready");
    let fix = error(&lens, Rule::RestrictedCharacter, "name").fix.unwrap();
    assert!(fix.contains("write it as the word “percent”"), "{fix}");

    // The allowed set, the right single quotation mark and other letters pass.
    let mut lens = valid();
    lens["name"] = json!("Ops’ review: can we ship? (yes) - A&B #1 + C/D @ E, F! 'G'. Équipe");
    assert_eq!(problems(&lens), vec![]);
    // Display texts accept every character.
    let mut lens = valid();
    question(&mut lens)["choices"][0]["improvementPlan"]["displayText"] = json!("a; b <c> 100%");
    assert_eq!(problems(&lens), vec![]);
}

#[test]
fn replace_all_leaves_a_lens_the_service_accepts() {
    let mut lens = valid();
    lens["name"] = json!("Ops; review");
    question(&mut lens)["title"] = json!("Is p99 < 200 ms \"always\"?");
    let text = serde_json::to_string_pretty(&lens).unwrap();
    let fixed = lensgate_lens::replace_restricted(&text).unwrap();
    let report = validate(&fixed);
    assert_eq!(report.problems, vec![]);
    let lens = report.lens.unwrap();
    assert_eq!(lens.name, "Ops, review");
    assert_eq!(
        lens.pillars[0].questions[0].title,
        "Is p99 less than 200 ms 'always'?"
    );
}

#[test]
fn ids_are_checked_for_characters_length_and_uniqueness() {
    let mut lens = valid();
    lens["pillars"][0]["id"] = json!("ops-team");
    let problem = error(&lens, Rule::InvalidId, "pillars[0].id");
    assert_eq!(problem.fix.as_deref(), Some("Try \"ops_team\"."));

    let mut lens = valid();
    lens["pillars"][0]["id"] = json!("x".repeat(129));
    error(&lens, Rule::InvalidId, "pillars[0].id");
    lens["pillars"][0]["id"] = json!("x".repeat(70));
    warning(&lens, Rule::ApiLimit, "pillars[0].id");
    lens["pillars"][0]["id"] = json!("op");
    warning(&lens, Rule::ApiLimit, "pillars[0].id");

    let mut lens = valid();
    lens["pillars"][1]["id"] = json!("ops");
    let problem = error(&lens, Rule::DuplicateId, "pillars[1].id");
    assert!(
        problem
            .message
            .contains("already used by another pillar at line 6"),
        "{problem}"
    );

    let mut lens = valid();
    lens["pillars"][1]["questions"][0]["id"] = json!("ops_deploy");
    error(&lens, Rule::DuplicateId, "pillars[1].questions[0].id");

    let mut lens = valid();
    lens["pillars"][1]["questions"][0]["choices"][1]["id"] = json!("sec_secrets_manager");
    error(
        &lens,
        Rule::DuplicateId,
        "pillars[1].questions[0].choices[1].id",
    );
}

#[test]
fn a_duplicate_member_is_a_warning_naming_both_places() {
    let text = VALID.replacen(
        "\"name\": \"Serverless API review\",",
        "\"name\": \"A\", \"name\": \"B\",",
        1,
    );
    let report = validate(&text);
    assert!(report.is_importable());
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(
        (problem.rule, problem.severity),
        (Rule::DuplicateKey, Severity::Warning)
    );
    assert_eq!((problem.position.line, problem.position.column), (3, 16));
    assert!(problem.message.contains("at line 3, column 3"), "{problem}");
    assert!(
        problem
            .message
            .contains("most JSON parsers keep the last one"),
        "{problem}"
    );
    assert_eq!(report.lens.unwrap().name, "B", "the last one is read");
}

#[test]
fn schema_version_must_be_the_custom_lens_one() {
    let mut lens = valid();
    lens["schemaVersion"] = json!("2023-06-22");
    let problem = error(&lens, Rule::SchemaVersion, "schemaVersion");
    assert!(problem.fix.unwrap().contains("2021-11-01"));
}

#[test]
fn urls_must_be_web_links_and_empty_ones_are_warned_about() {
    let mut lens = valid();
    question(&mut lens)["helpfulResource"]["url"] = json!("javascript:alert(1)");
    error(
        &lens,
        Rule::InvalidUrl,
        "pillars[0].questions[0].helpfulResource.url",
    );

    let mut lens = valid();
    question(&mut lens)["helpfulResource"]["url"] = json!("");
    warning(
        &lens,
        Rule::EmptyUrl,
        "pillars[0].questions[0].helpfulResource.url",
    );

    let mut lens = valid();
    question(&mut lens)["helpfulResource"]
        .as_object_mut()
        .unwrap()
        .remove("displayText");
    error(
        &lens,
        Rule::Missing,
        "pillars[0].questions[0].helpfulResource.displayText",
    );
}

#[test]
fn improvement_plans_are_required_except_on_none_of_these() {
    let mut lens = valid();
    question(&mut lens)["choices"][0]
        .as_object_mut()
        .unwrap()
        .remove("improvementPlan");
    let problem = error(
        &lens,
        Rule::MissingImprovementPlan,
        "pillars[0].questions[0].choices[0].improvementPlan",
    );
    assert!(problem.fix.unwrap().contains("_no"));

    let mut lens = valid();
    question(&mut lens)["choices"][0]["additionalResources"] = json!([{ "type": "VIDEO", "content": [{ "displayText": "x", "url": "https://example.com" }] }]);
    error(
        &lens,
        Rule::ResourceType,
        "pillars[0].questions[0].choices[0].additionalResources[0].type",
    );
}

#[test]
fn none_of_these_belongs_last_and_once() {
    let mut lens = valid();
    let choices = question(&mut lens)["choices"].as_array_mut().unwrap();
    let none = choices.pop().unwrap();
    choices.insert(0, none);
    warning(
        &lens,
        Rule::NoneOfThese,
        "pillars[0].questions[0].choices[0]",
    );

    let mut lens = valid();
    question(&mut lens)["choices"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "ops_other_no", "title": "Nothing else" }));
    let all = problems(&lens);
    assert!(
        all.iter()
            .any(|p| p.rule == Rule::NoneOfThese && p.path == "pillars[0].questions[0].choices[3]")
    );
}

#[test]
fn risk_rule_conditions_are_parsed() {
    let mut lens = valid();
    question(&mut lens)["riskRules"][0]["condition"] =
        json!("ops_deploy_pipeline & ops_deploy_rollback");
    let problem = error(
        &lens,
        Rule::ConditionSyntax,
        "pillars[0].questions[0].riskRules[0].condition",
    );
    assert!(problem.message.contains("at character 21"), "{problem}");
    // The column is the `&` itself inside the JSON text.
    let line = serde_json::to_string_pretty(&lens)
        .unwrap()
        .lines()
        .nth(problem.position.line as usize - 1)
        .unwrap()
        .to_owned();
    let column = problem.position.column as usize;
    assert_eq!(line.chars().nth(column - 1), Some('&'), "{line}");

    let mut lens = valid();
    question(&mut lens)["riskRules"][1]["condition"] =
        json!("ops_deploy_pipeline || ops_deploy_canary");
    let problem = error(
        &lens,
        Rule::UnknownChoice,
        "pillars[0].questions[0].riskRules[1].condition",
    );
    assert!(problem.message.contains("\"ops_deploy_canary\""));
    assert!(
        problem
            .fix
            .unwrap()
            .contains("ops_deploy_pipeline, ops_deploy_rollback, ops_deploy_no")
    );

    let mut lens = valid();
    question(&mut lens)["riskRules"][0]["risk"] = json!("LOW_RISK");
    error(
        &lens,
        Rule::UnknownRisk,
        "pillars[0].questions[0].riskRules[0].risk",
    );
}

#[test]
fn risk_levels_that_can_never_apply_are_warned_about() {
    let mut lens = valid();
    let rules = question(&mut lens)["riskRules"].as_array_mut().unwrap();
    let default = rules.pop().unwrap();
    rules.insert(0, default);
    let all = problems(&lens);
    let unreachable: Vec<_> = all
        .iter()
        .filter(|p| p.rule == Rule::UnreachableRule)
        .collect();
    assert_eq!(unreachable.len(), 2, "{all:#?}");
    assert!(unreachable.iter().all(|p| p.severity == Severity::Warning));

    let mut lens = valid();
    question(&mut lens)["riskRules"][1] =
        json!({ "condition": "(ops_deploy_pipeline)&&ops_deploy_rollback", "risk": "NO_RISK" });
    warning(
        &lens,
        Rule::UnreachableRule,
        "pillars[0].questions[0].riskRules[1]",
    );
    warning(
        &lens,
        Rule::DuplicateRisk,
        "pillars[0].questions[0].riskRules[1].risk",
    );
}

#[test]
fn real_lens_habits_are_warnings_not_errors() {
    let mut lens = valid();
    lens["_version"] = json!("1.0");
    question(&mut lens)["number"] = json!(7);
    question(&mut lens)["riskRules"]
        .as_array_mut()
        .unwrap()
        .pop();
    let report = validate(&serde_json::to_string_pretty(&lens).unwrap());
    assert!(report.is_importable(), "{:#?}", report.problems);
    let rules: Vec<_> = report
        .problems
        .iter()
        .map(|p| (p.rule, p.path.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            (Rule::UnknownKey, "_version"),
            (Rule::UnknownKey, "pillars[0].questions[0].number"),
            (
                Rule::MissingDefaultRule,
                "pillars[0].questions[0].riskRules"
            ),
        ]
    );
}

#[test]
fn positions_count_characters_in_multi_byte_text() {
    let text = "{\n  \"schemaVersion\": \"2021-11-01\", \"name\": \"Überprüfung 日本語 😀\", \"description\": 5,\n  \"pillars\": []\n}";
    let report = validate(text);
    let problem = report
        .problems
        .iter()
        .find(|p| p.path == "description")
        .unwrap();
    let line = text.lines().nth(1).unwrap();
    let expected = line[..line.find("5,").unwrap()].chars().count() + 1;
    assert_eq!(
        (problem.position.line, problem.position.column as usize),
        (2, expected)
    );
}

#[test]
fn the_three_errors_fixture_reports_each_at_its_line() {
    let report = validate(include_str!("fixtures/three-errors.json"));
    let errors: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.rule, p.position.line))
        .collect();
    assert_eq!(
        errors,
        [
            (Rule::InvalidId, 11),
            (Rule::MissingImprovementPlan, 15),
            (Rule::UnknownChoice, 19)
        ]
    );
}

#[test]
fn the_large_fixture_is_valid() {
    let text = include_str!("fixtures/valid-large.json");
    assert!(text.chars().count() > 450_000);
    let report = validate(text);
    assert_eq!(report.problems, vec![]);
    assert_eq!(report.lens.unwrap().pillars.len(), 10);
}

#[test]
fn problems_print_as_line_column_severity_path_message() {
    let report = validate(include_str!("fixtures/trailing-comma.json"));
    assert_eq!(
        report.problems[0].to_string(),
        "6:59: error: Invalid JSON: Trailing comma: JSON allows no comma after the last item. Remove this comma."
    );
}

fn rules(lens: &mut Value, rules: &[(&str, &str)]) {
    question(lens)["riskRules"] = rules
        .iter()
        .map(|(condition, risk)| json!({ "condition": condition, "risk": risk }))
        .collect();
}

#[test]
fn risk_analysis_finds_a_risk_level_no_answer_reaches() {
    let mut lens = valid();
    rules(
        &mut lens,
        &[
            ("ops_deploy_pipeline && ops_deploy_rollback", "NO_RISK"),
            (
                "!ops_deploy_pipeline || !ops_deploy_rollback",
                "MEDIUM_RISK",
            ),
            ("default", "HIGH_RISK"),
        ],
    );
    let problem = warning(
        &lens,
        Rule::UnreachableRule,
        "pillars[0].questions[0].riskRules[2]",
    );
    assert!(
        problem
            .message
            .contains("decided by an earlier rule (riskRules[0], riskRules[1])"),
        "{problem}"
    );
    assert!(
        problem.message.contains("No answer gets HIGH_RISK"),
        "{problem}"
    );
}

#[test]
fn risk_analysis_finds_a_rule_shadowed_by_earlier_ones() {
    let mut lens = valid();
    rules(
        &mut lens,
        &[
            ("ops_deploy_pipeline", "NO_RISK"),
            ("ops_deploy_pipeline && ops_deploy_rollback", "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    );
    let problem = warning(
        &lens,
        Rule::UnreachableRule,
        "pillars[0].questions[0].riskRules[1]",
    );
    assert!(
        problem.message.contains("No answer gets MEDIUM_RISK"),
        "{problem}"
    );

    let mut lens = valid();
    rules(
        &mut lens,
        &[
            ("ops_deploy_pipeline && !ops_deploy_pipeline", "NO_RISK"),
            ("default", "HIGH_RISK"),
        ],
    );
    let problem = only(&lens, Rule::UnreachableRule);
    assert!(
        problem
            .message
            .contains("its condition holds for no answer"),
        "{problem}"
    );
}

#[test]
fn risk_analysis_reads_the_best_the_none_and_the_empty_answers() {
    // "None of these" alone gets MEDIUM while HIGH is possible.
    let mut lens = valid();
    rules(
        &mut lens,
        &[
            ("ops_deploy_pipeline && ops_deploy_rollback", "NO_RISK"),
            ("ops_deploy_no || ops_deploy_pipeline", "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    );
    let problem = warning(
        &lens,
        Rule::NoneOfTheseRisk,
        "pillars[0].questions[0].riskRules",
    );
    assert!(
        problem
            .message
            .contains("alone gives MEDIUM_RISK, while this question's highest risk is HIGH_RISK"),
        "{problem}"
    );

    // Doing everything asked does not give NO_RISK.
    let mut lens = valid();
    rules(
        &mut lens,
        &[
            ("ops_deploy_pipeline && !ops_deploy_rollback", "NO_RISK"),
            ("default", "HIGH_RISK"),
        ],
    );
    let problem = warning(
        &lens,
        Rule::BestAnswerRisk,
        "pillars[0].questions[0].riskRules",
    );
    assert!(
        problem.message.contains("gives HIGH_RISK, not NO_RISK"),
        "{problem}"
    );

    // An empty answer reads as risk-free.
    let mut lens = valid();
    rules(
        &mut lens,
        &[("!ops_deploy_no", "NO_RISK"), ("default", "HIGH_RISK")],
    );
    warning(
        &lens,
        Rule::EmptyAnswerRisk,
        "pillars[0].questions[0].riskRules",
    );
}

#[test]
fn risk_analysis_covers_a_question_of_fifteen_choices() {
    let mut lens = valid();
    let ids: Vec<String> = (0..14).map(|i| format!("c{i:02}")).collect();
    let mut choices: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "id": id, "title": id, "improvementPlan": { "displayText": "Do it." } }))
        .collect();
    choices.push(json!({ "id": "c_no", "title": "None of these" }));
    question(&mut lens)["choices"] = Value::Array(choices);
    let all = ids.join(" && ");
    let first_half = ids[..7].join(" && ");
    rules(
        &mut lens,
        &[
            (all.as_str(), "NO_RISK"),
            (first_half.as_str(), "MEDIUM_RISK"),
            ("default", "HIGH_RISK"),
        ],
    );
    assert_eq!(
        problems(&lens),
        vec![],
        "every answer of 2^15 scored, nothing suspicious"
    );
    let report = validate(&serde_json::to_string(&lens).unwrap());
    let question = &report.lens.unwrap().pillars[0].questions[0];
    let analysis = lensgate_lens::analysis::analyse(question).unwrap();
    // NO_RISK: all 14 selected, with or without c_no. MEDIUM: the first 7 and not all 14.
    assert_eq!(analysis.decided, [2, (1 << 8) - 2, (1 << 15) - (1 << 8)]);
}
