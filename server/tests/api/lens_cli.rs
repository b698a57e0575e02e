//! `lensgate lens validate`, `build`, `export` and `diff`: the output lens authors' CI reads, and
//! its exit codes.

use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../lens/tests/fixtures");

fn validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(["lens", "validate"])
        .args(args)
        .current_dir(FIXTURES)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn errors_are_printed_per_line_and_exit_1() {
    let output = validate(&["three-errors.json", "valid-small.json"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with(
            "three-errors.json:11:17: error: pillars[0].questions[0].id: The id \"rel-backup\""
        ),
        "{text}"
    );
    assert!(
        lines[1].starts_with("three-errors.json:15:13: error: "),
        "{text}"
    );
    assert!(
        lines[2].starts_with("three-errors.json:19:48: error: "),
        "{text}"
    );
    assert_eq!(
        lines[3],
        "2 files checked: 3 errors, 0 warnings; 1 file cannot be imported"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let lens = std::fs::read_to_string(format!("{FIXTURES}/valid-small.json"))
        .unwrap()
        .replacen("\"name\"", "\"_release_note\": \"first\", \"name\"", 1);
    let file = dir.path().join("with-extra-key.json");
    std::fs::write(&file, lens).unwrap();
    let output = validate(&[file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            ":3:3: warning: _release_note: \"_release_note\" is not part of the lens format"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("1 file checked: 0 errors, 1 warning; every lens can be imported\n"),
        "{text}"
    );
}

#[test]
fn json_output_for_tools() {
    let output = validate(&[
        "--format",
        "json",
        "trailing-comma.json",
        "missing-file.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["errors"], 2);
    let first = &report["files"][0];
    assert_eq!(first["file"], "trailing-comma.json");
    assert_eq!(first["problems"][0]["rule"], "json-syntax");
    assert_eq!(first["problems"][0]["severity"], "error");
    assert_eq!(
        first["problems"][0]["position"],
        serde_json::json!({ "line": 6, "column": 59 })
    );
    let missing = &report["files"][1]["problems"][0]["message"];
    assert!(
        missing
            .as_str()
            .unwrap()
            .starts_with("Cannot read the file"),
        "{missing}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_named_at_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.json");
    std::fs::write(&file, b"{\n  \"name\": \"caf\xe9\"\n}").unwrap();
    let output = validate(&[file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("latin1.json:2:15: error: The file is not UTF-8 text"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn diff_reports_what_a_new_version_does_to_workloads() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::fs::read_to_string(format!("{FIXTURES}/valid-small.json")).unwrap();
    let new = old
        .replace("\"ops_deploy_rollback\"", "\"ops_deploy_rollback_auto\"")
        .replace("&& ops_deploy_rollback\"", "&& ops_deploy_rollback_auto\"")
        .replace("|| ops_deploy_rollback\"", "|| ops_deploy_rollback_auto\"")
        .replace("\"sec_secrets\"", "\"sec_secret_store\"");
    let (old_file, new_file) = (dir.path().join("1.0.json"), dir.path().join("2.0.json"));
    std::fs::write(&old_file, &old).unwrap();
    std::fs::write(&new_file, &new).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lensgate"))
            .args(["lens", "diff"])
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let output = run(&[old_file.to_str().unwrap(), new_file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("ops.ops_deploy: choices ops_deploy_rollback are gone: workloads that selected them lose those selections"),
        "{text}"
    );
    assert!(
        text.contains("sec.sec_secret_store: new: it starts unanswered"),
        "{text}"
    );
    assert!(
        text.contains("sec.sec_secrets: retired: it leaves the review"),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("Publish as a major version: "),
        "{text}"
    );

    let output = run(&[
        "--format",
        "json",
        old_file.to_str().unwrap(),
        old_file.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["major"], false);
    assert_eq!(report["questions"], serde_json::json!([]));

    let output = run(&[old_file.to_str().unwrap(), "missing.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.json: cannot read it"));
}

fn lensgate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn yaml_source_is_validated_built_and_exported_back() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = format!("{FIXTURES}/valid-small.json");
    let yaml_file = dir.path().join("lens.yaml");
    let yaml_path = yaml_file.to_str().unwrap();

    let export = lensgate(&[
        "lens", "export", &json_file, "--format", "yaml", "-o", yaml_path,
    ]);
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let yaml = std::fs::read_to_string(&yaml_file).unwrap();
    assert!(
        yaml.starts_with("schemaVersion: \"2021-11-01\"\nname: "),
        "{yaml}"
    );

    let built_file = dir.path().join("lens.json");
    let build = lensgate(&[
        "lens",
        "build",
        yaml_path,
        "-o",
        built_file.to_str().unwrap(),
    ]);
    assert_eq!(build.status.code(), Some(0), "{build:?}");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    let built: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&built_file).unwrap()).unwrap();
    assert_eq!(original, built);

    // A YAML lens with an error: `validate` names the YAML's line and column, `build` refuses
    // and writes nothing.
    let broken = yaml.replacen("  - id: ops\n", "  - id: \"ops pillar\"\n", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("ops pillar"))
        .unwrap()
        + 1;
    std::fs::write(&yaml_file, &broken).unwrap();
    let checked = lensgate(&["lens", "validate", yaml_path]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        stdout(&checked).contains(&format!("lens.yaml:{line}:9: error: pillars[0].id: ")),
        "{}",
        stdout(&checked)
    );
    let refused_file = dir.path().join("refused.json");
    let refused = lensgate(&[
        "lens",
        "build",
        yaml_path,
        "-o",
        refused_file.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("not built: ImportLens would refuse it (1 error)"),
        "{stderr}"
    );
    assert!(!refused_file.exists());
}

#[test]
fn export_names_the_place_a_file_stops_parsing() {
    let output = lensgate(&[
        "lens",
        "export",
        &format!("{FIXTURES}/trailing-comma.json"),
        "--format",
        "yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("trailing-comma.json:") && stderr.contains(": error: Invalid JSON: "),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
