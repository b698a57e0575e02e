//! Lens authoring through the server: the import server function and the form posted without
//! JavaScript validate on the server, land in the emulator as a draft with one audit pair,
//! and refuse broken lenses with the validator's problems; the detail page and the export.

use std::path::PathBuf;

use lensgate::audit::AuditLog;
use serde_json::Value;

use crate::helpers::{TestApp, field_error};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../lens/tests/fixtures");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

pub(crate) async fn import(app: &TestApp, json: &str, lens_arn: &str, tags: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.at("/api/lenses/import"))
        .header("accept", "application/json")
        .form(&[
            ("request[json]", json),
            ("request[lens_arn]", lens_arn),
            ("request[tags]", tags),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Posts the lens form as a browser without JavaScript does.
async fn post_form(app: &TestApp, json: &str, intent: &str) -> reqwest::Response {
    app.client
        .post(app.at("/lenses/new"))
        .form(&[
            ("json", json),
            ("lens_arn", ""),
            ("tags", ""),
            ("intent", intent),
        ])
        .send()
        .await
        .unwrap()
}

async fn lenses(app: &TestApp) -> Vec<Value> {
    let response = app
        .client
        .post(app.at("/api/lenses"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// What AWS holds as the lens's draft: published as a version, then exported (AWS exports
/// published versions only).
async fn draft_in_aws(app: &TestApp, arn: &str, version: &str) -> String {
    app.gateway
        .apply(
            &crate::gateway::author(),
            lensgate::gateway::Change::CreateLensVersion {
                lens_alias: lensgate_app::ids::LensArn::parse(arn).unwrap(),
                lens_version: version.to_owned(),
                is_major_version: true,
            },
        )
        .await
        .unwrap();
    let exported = app
        .gateway
        .export_lens(arn, Some(version.to_owned()))
        .await
        .unwrap();
    exported.lens_json().unwrap().to_owned()
}

async fn audit(app: &TestApp) -> AuditLog {
    app.audit_log().await
}

#[tokio::test]
async fn an_import_lands_in_aws_as_a_draft_with_one_audit_pair() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let (status, imported) = import(&app, &fixture("valid-small.json"), "", "team=platform").await;
    assert_eq!(status, 200, "{imported}");
    let arn = imported["lens_arn"].as_str().unwrap().to_owned();
    assert!(arn.starts_with("arn:aws:wellarchitected:"), "{arn}");

    let lens = app.gateway.get_lens(&arn, None).await.unwrap();
    let lens = lens.lens().unwrap();
    assert_eq!(lens.name(), Some("Serverless API review"));
    assert_eq!(
        lens.tags().unwrap().get("team").map(String::as_str),
        Some("platform")
    );
    let listed = lenses(&app).await;
    let row = listed
        .iter()
        .find(|l| l["arn"] == arn.as_str())
        .expect("the lens is listed");
    assert_eq!(row["kind"], "Owned");
    assert_eq!(
        row["latest_version"],
        Value::Null,
        "a draft has no published version"
    );

    let events = audit(&app)
        .await
        .operation(imported["operation_id"].as_str().unwrap())
        .await
        .unwrap();
    let phases: Vec<_> = events
        .iter()
        .map(|e| (e.action.as_str(), e.phase.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        phases,
        [
            ("ImportLens", "requested", "admin"),
            ("ImportLens", "succeeded", "admin")
        ]
    );
    assert_eq!(
        draft_in_aws(&app, &arn, "1.0").await,
        fixture("valid-small.json"),
        "the draft is the text as imported"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_broken_lens_is_refused_on_the_server_with_its_problems_and_nothing_is_sent() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let (status, body) = import(&app, &fixture("three-errors.json"), "", "").await;
    assert_eq!(
        status, 422,
        "the author's mistake, not the server's: {body}"
    );
    let problems = body["LensRejected"]["problems"]
        .as_array()
        .expect("the problem list");
    assert!(
        audit(&app)
            .await
            .for_target("", 10)
            .await
            .unwrap()
            .iter()
            .all(|e| e.action != "ImportLens"),
        "nothing audited as sent"
    );
    let lines: Vec<_> = problems
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| {
            (
                p["rule"].as_str().unwrap(),
                p["position"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("invalid-id", 11),
            ("missing-improvement-plan", 15),
            ("unknown-choice", 19)
        ]
    );
    let journal: Value = reqwest::get(format!("{}/__lensgate/requests", app.emulator_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let imports = journal
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operation"] == "ImportLens")
        .count();
    assert_eq!(imports, 0, "nothing reached AWS: {journal}");

    let (_, body) = import(&app, &fixture("valid-small.json"), "", "team").await;
    assert!(
        field_error(&body, "tags").contains("Tags, line 1"),
        "{body}"
    );
    let (_, body) = import(
        &app,
        &fixture("valid-small.json"),
        "arn:aws:s3:::bucket",
        "",
    )
    .await;
    assert!(
        body["Invalid"]
            .as_str()
            .unwrap()
            .contains("is not a lens ARN"),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_update_replaces_the_draft_of_the_chosen_lens() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let (_, first) = import(&app, &fixture("valid-small.json"), "", "").await;
    let arn = first["lens_arn"].as_str().unwrap();
    let renamed = fixture("valid-small.json").replace(
        "Serverless API review",
        "Serverless API review, second draft",
    );
    let (status, second) = import(&app, &renamed, arn, "").await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["lens_arn"], arn);
    assert!(
        draft_in_aws(&app, arn, "1.0")
            .await
            .contains("second draft")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_failed_import_reports_aws_words_and_its_audit_operation() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let missing = "arn:aws:wellarchitected:us-east-1:111122223333:lens/does-not-exist";
    let (status, body) = import(&app, &fixture("valid-small.json"), missing, "").await;
    assert_eq!(status, 404, "{body}");
    let aws = &body["Aws"];
    assert_eq!(aws["code"], "ResourceNotFoundException", "{body}");
    let operation = aws["operation_id"].as_str().expect("an audit operation");
    let events = audit(&app).await.operation(operation).await.unwrap();
    assert_eq!(events.last().unwrap().phase, "failed");
    assert_eq!(
        events.last().unwrap().error_code.as_deref(),
        Some("ResourceNotFoundException")
    );
    app.stop().await;
}

#[tokio::test]
async fn without_javascript_the_form_answers_with_the_problem_list_and_keeps_the_text() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let broken = fixture("three-errors.json");
    let response = post_form(&app, broken.as_str(), "import").await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Line 11, column 17"),
        "the first error at its place"
    );
    assert!(page.contains("Line 19, column 48"));
    assert!(page.contains("3 errors, 0 warnings"));
    assert!(
        page.contains("rel_backup_restored"),
        "the text is still in the editor"
    );

    let response = post_form(&app, fixture("valid-small.json").as_str(), "import").await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/lenses/detail?arn=arn:aws:wellarchitected:"),
        "{location}"
    );
    let detail = app
        .client
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(detail.contains("Serverless API review"));
    assert!(detail.contains("Imported: the lens"));
    assert!(detail.contains("ImportLens"), "the lens's audit timeline");
    app.stop().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let huge = "x".repeat(7 * 1024 * 1024);
    for path in ["/lenses/new", "/api/lenses/import"] {
        let response = app
            .client
            .post(app.at(path))
            .form(&[("json", huge.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("500,000 characters")
        );
    }
    let response = app
        .client
        .post(app.at("/api/status"))
        .body("x".repeat(100 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413, "other routes keep the small limit");

    // A lens just over the limit in characters passes the body limit and is refused by the validator.
    let over = fixture("valid-small.json").replacen(
        "\"name\"",
        &format!("\"_pad\": \"{}\", \"name\"", "a".repeat(500_000)),
        1,
    );
    let (_, body) = import(&app, &over, "", "").await;
    let rules: Vec<_> = body["LensRejected"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rule"].as_str().unwrap().to_owned())
        .collect();
    assert!(rules.contains(&"too-large".to_owned()), "{rules:?}");
    app.stop().await;
}

#[tokio::test]
async fn export_downloads_the_json_of_the_draft() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let (_, imported) = import(&app, &fixture("valid-small.json"), "", "").await;
    let arn = imported["lens_arn"].as_str().unwrap();
    let response = app
        .client
        .get(app.at(&format!("/lenses/export?arn={arn}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    // valid-small.json is "Serverless API review".
    assert!(
        disposition.starts_with("attachment; filename=\"serverless-api-review-draft.json\""),
        "{disposition}"
    );
    assert_eq!(response.text().await.unwrap(), fixture("valid-small.json"));

    let response = app
        .client
        .get(app.at("/lenses/export?arn=nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let response = app
        .client
        .get(app.at(&format!("/lenses/export?arn={arn}&version=9.9")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let published = draft_in_aws(&app, arn, "1.0").await;
    let response = app
        .client
        .get(app.at(&format!("/lenses/export?arn={arn}&version=1.0")))
        .send()
        .await
        .unwrap();
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("filename=\"serverless-api-review-1.0.json\""),
        "{disposition}"
    );
    assert_eq!(response.text().await.unwrap(), published);
    app.stop().await;
}

fn real_lenses() -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os("LENSGATE_REAL_LENSES") {
        return Some(PathBuf::from(folder));
    }
    // `shared/lenses-real` beside the checkout, or beside any folder above it.
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/lenses-real"))
        .find(|folder| folder.is_dir())
}

/// Every public lens beside the project: the broken ones refused by the server for the right
/// reason, the others imported into the emulator and previewed on the form page.
#[tokio::test]
async fn real_lenses_import_and_preview_with_the_right_verdicts() {
    let Some(folder) = real_lenses() else {
        eprintln!(
            "real lenses not present beside the project; set LENSGATE_REAL_LENSES to check them"
        );
        return;
    };
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut imported = 0;
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let raw = std::fs::read_to_string(path).unwrap();
        // Three versions of the DynamoDB lens share a name, which AWS compares normalized and
        // refuses for a second lens in one account: the later ones get a distinguishing suffix.
        let lens_name = lensgate_lens::validate(&raw)
            .lens
            .map(|l| l.name)
            .unwrap_or_default();
        let normalized: String = lens_name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let twins = seen.entry(normalized).or_insert(0);
        *twins += 1;
        let json = if *twins > 1 && !lens_name.is_empty() {
            raw.replacen(
                &format!("\"{lens_name}\""),
                &format!("\"{lens_name} {twins}\""),
                1,
            )
        } else {
            raw
        };
        let (status, body) = import(&app, &json, "", "").await;
        match name {
            "aws-samples__custom-lens-wa-hub__custom-lens-emr-spark-v1.0.json" => {
                assert_eq!(
                    body["LensRejected"]["problems"][0]["rule"], "json-syntax",
                    "{name}"
                );
                assert_eq!(
                    body["LensRejected"]["problems"][0]["position"]["line"], 1448,
                    "{name}"
                );
            }
            "kdeath83__unofficial-wa-lens-ai-apra__lens-definition.json" => {
                let rules: Vec<_> = body["LensRejected"]["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["rule"].as_str().unwrap())
                    .collect();
                assert!(
                    rules.contains(&"schema-version") && rules.contains(&"missing"),
                    "{name}: {rules:?}"
                );
            }
            _ => {
                assert_eq!(status, 200, "{name}: {body}");
                let arn = body["lens_arn"].as_str().unwrap();
                assert_eq!(
                    draft_in_aws(&app, arn, "1").await,
                    json,
                    "{name}: unknown keys kept"
                );
                imported += 1;
            }
        }
        let page = post_form(&app, json.as_str(), "validate")
            .await
            .text()
            .await
            .unwrap();
        let first_title = lensgate_lens::validate(&json)
            .lens
            .and_then(|l| l.pillars.into_iter().flat_map(|p| p.questions).next())
            .map(|q| q.title);
        if let Some(title) = first_title {
            let escaped = title
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                page.contains("data-testid=\"lens-preview\""),
                "{name}: previewed"
            );
            assert!(
                page.contains(&escaped) || page.contains(&title),
                "{name}: the first question is shown"
            );
        }
    }
    assert_eq!(imported, 15);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_form_sent_twice_imports_one_lens() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let send = |token: &'static str| {
        // Each form its own lens name: AWS refuses a second new lens of the same name.
        let json = fixture("valid-small.json").replace("Serverless API review", token);
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.at("/lenses/new"))
                .form(&[
                    ("json", json.as_str()),
                    ("lens_arn", ""),
                    ("tags", ""),
                    ("intent", "import"),
                    ("token", token),
                ])
                .send()
                .await
                .unwrap();
            response.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let first = send("5b0c6e1a-double-submit").await;
    let again = send("5b0c6e1a-double-submit").await;
    assert_eq!(first, again, "the second submission leads to the same lens");
    assert_eq!(
        lenses(&app)
            .await
            .iter()
            .filter(|l| l["kind"] == "Owned")
            .count(),
        1
    );
    let other = send("another-form").await;
    assert_ne!(first, other, "another form is another import");
    let log = audit(&app).await;
    let requested = lensgate::audit::query::Filter {
        actions: vec!["ImportLens".into()],
        phase: Some("requested".into()),
        ..Default::default()
    };
    let imports = lensgate::audit::query::page(log.database(), &requested, None, 10)
        .await
        .unwrap();
    assert_eq!(
        imports.len(),
        2,
        "one ImportLens per form, none for the resubmission"
    );
    app.stop().await;
}

/// Refusals the live service is known to make, each with the next step in lensgate's words.
#[tokio::test(flavor = "multi_thread")]
async fn a_taken_name_and_a_renamed_published_lens_are_explained() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let json = fixture("valid-small.json");
    let (status, first) = import(&app, &json, "", "").await;
    assert_eq!(status, 200, "{first}");
    let arn = first["lens_arn"].as_str().unwrap().to_owned();
    let (_, again) = import(
        &app,
        &json.replace("Serverless API review", "serverless api-REVIEW"),
        "",
        "",
    )
    .await;
    let message = again["Aws"]["message"].as_str().unwrap_or_default();
    assert_eq!(again["Aws"]["code"], "ConflictException", "{again}");
    assert!(
        message.contains("A lens with normalized name serverlessapireview already exists."),
        "{message}"
    );
    assert!(
        message.contains("Import the file as an update of that lens"),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "The lens that has it is “Serverless API review”: open /lenses/detail?arn={arn}"
        )),
        "the refusal leads to the lens that holds the name: {message}"
    );

    draft_in_aws(&app, &arn, "1.0").await;
    let (_, renamed) = import(
        &app,
        &json.replace("Serverless API review", "Serverless API review 2"),
        &arn,
        "",
    )
    .await;
    let message = renamed["Aws"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Lens name must match published name"),
        "{renamed}"
    );
    assert!(
        message.contains("A published lens keeps its name"),
        "{message}"
    );
    app.stop().await;
}

/// The draft's JSON comes from the revisions table: a lens with many audit events since its
/// import (30 shares make 60) still downloads its draft.
#[tokio::test(flavor = "multi_thread")]
async fn the_draft_downloads_after_thirty_shares() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let json = fixture("valid-small.json");
    let (_, imported) = import(&app, &json, "", "").await;
    let arn = imported["lens_arn"].as_str().unwrap().to_owned();
    draft_in_aws(&app, &arn, "1.0").await;
    let principals: Vec<String> = (0..30)
        .map(|n| format!("{}", 300_000_000_000u64 + n))
        .collect();
    let response = app
        .client
        .post(app.at("/api/lenses/share"))
        .header("accept", "application/json")
        .form(&[
            ("lens_arn", arn.as_str()),
            ("principals", principals.join("\n").as_str()),
        ])
        .send()
        .await
        .unwrap();
    let shared: Value = response.json().await.unwrap();
    assert_eq!(shared.as_array().unwrap().len(), 30, "{shared}");
    let response = app
        .client
        .get(app.at(&format!("/lenses/export?arn={arn}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), json);

    // Who made each share and when comes from the shares table.
    let detail: Value = app
        .client
        .post(app.at("/api/lenses/detail"))
        .header("accept", "application/json")
        .form(&[("arn", arn.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shares = detail["shares"].as_array().unwrap();
    assert_eq!(shares.len(), 30, "{detail}");
    assert!(shares.iter().all(|s| s["since"].is_string()), "{detail}");
    app.stop().await;
}

#[tokio::test]
async fn a_yaml_lens_is_refused_at_its_yaml_lines_or_imported_as_the_json_it_describes() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let json = fixture("valid-small.json");
    let yaml = lensgate_lens::source::to_yaml(&json, lensgate_lens::Format::Json).unwrap();

    let broken = yaml.replacen("  - id: ops\n", "  - id: \"ops pillar\"\n", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("ops pillar"))
        .unwrap()
        + 1;
    let (status, body) = import(&app, &broken, "", "").await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["LensRejected"]["problems"][0];
    assert_eq!(problem["path"], "pillars[0].id", "{body}");
    assert_eq!(problem["position"]["line"], line, "{body}");
    assert_eq!(problem["position"]["column"], 9, "{body}");
    assert!(lenses(&app).await.iter().all(|l| l["kind"] != "Owned"));

    let (status, imported) = import(&app, &yaml, "", "").await;
    assert_eq!(status, 200, "{imported}");
    let arn = imported["lens_arn"].as_str().unwrap();
    let in_aws: Value = serde_json::from_str(&draft_in_aws(&app, arn, "1.0").await).unwrap();
    let original: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(in_aws, original, "AWS holds the lens the YAML describes");

    let export = |format: &'static str| {
        app.client
            .get(app.at("/lenses/export"))
            .query(&[("arn", arn), ("format", format)])
            .send()
    };
    let downloaded = export("yaml").await.unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(
        downloaded.headers()["content-type"],
        "application/yaml; charset=utf-8"
    );
    assert!(
        downloaded.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("serverless-api-review-draft.yaml")
    );
    let text = downloaded.text().await.unwrap();
    let back = lensgate_lens::source::to_json(&text, lensgate_lens::Format::Yaml).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&back).unwrap(), original);
    let refused = export("xml").await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("ask for json or yaml")
    );

    // Without JavaScript the form checks YAML the same way.
    let page = post_form(&app, &broken, "validate")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("pillars[0].id"), "the problem is listed");
    assert!(
        page.contains(&format!("Line {line}, column 9")),
        "at its YAML line and column"
    );
    app.stop().await;
}

/// The lens list is asked of AWS once for every visitor within `--aws-list-seconds` (5 by
/// default): a lens imported behind lensgate's back shows only once that time has passed, but
/// anything lensgate itself changes in AWS shows at once.
#[tokio::test(flavor = "multi_thread")]
async fn the_lens_list_is_shared_for_a_few_seconds_but_lensgate_changes_show_at_once() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let names = |rows: Vec<Value>| -> Vec<String> {
        rows.iter()
            .map(|row| row["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut lens: Value = serde_json::from_str(&fixture("valid-small.json")).unwrap();
    assert!(!names(lenses(&app).await).contains(&"Elsewhere".to_owned()));

    lens["name"] = "Elsewhere".into();
    app.gateway
        .clients()
        .wellarchitected
        .import_lens()
        .json_string(lens.to_string())
        .client_request_token("imported-elsewhere")
        .send()
        .await
        .expect("an import made outside lensgate");
    assert!(
        !names(lenses(&app).await).contains(&"Elsewhere".to_owned()),
        "the list asked a moment ago is still shown"
    );

    lens["name"] = "Through lensgate".into();
    let (status, _) = import(&app, &lens.to_string(), "", "").await;
    assert_eq!(status, 200);
    let shown = names(lenses(&app).await);
    assert!(
        shown.contains(&"Through lensgate".to_owned()) && shown.contains(&"Elsewhere".to_owned()),
        "a change through lensgate asks AWS again: {shown:?}"
    );

    lens["name"] = "Elsewhere later".into();
    app.gateway
        .clients()
        .wellarchitected
        .import_lens()
        .json_string(lens.to_string())
        .client_request_token("imported-elsewhere-later")
        .send()
        .await
        .expect("a second import outside lensgate");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        if names(lenses(&app).await).contains(&"Elsewhere later".to_owned()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a lens imported outside lensgate never showed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.stop().await;
}
