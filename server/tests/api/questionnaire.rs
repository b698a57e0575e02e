//! Questionnaires for workshops: a lens's draft or version as an XLSX workbook (read back as a
//! spreadsheet reads it), a CSV, and a page to print, hostile display texts kept as text.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use crate::helpers::TestApp;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../lens/tests/fixtures");

async fn imported(app: &TestApp, json: &str) -> String {
    let (_, body) = crate::lenses::import(app, json, "", "").await;
    body["lens_arn"].as_str().unwrap().to_owned()
}

async fn get(app: &TestApp, arn: &str, format: &str) -> reqwest::Response {
    app.client
        .get(app.at("/lenses/questionnaire"))
        .query(&[("arn", arn), ("format", format)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_workbook_has_a_sheet_per_pillar_with_questions_choices_and_rules_in_words() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let json = std::fs::read_to_string(format!("{FIXTURES}/valid-small.json")).unwrap();
    let arn = imported(&app, &json).await;

    let response = get(&app, &arn, "xlsx").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("serverless-api-review-draft-questionnaire.xlsx")
    );
    let bytes = response.bytes().await.unwrap();
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Operational excellence", "Security"]
    );
    let sheet = workbook.worksheet_range("Operational excellence").unwrap();
    let cell = |row: u32, column: u32| {
        sheet
            .get_value((row, column))
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let header: Vec<String> = (0..7).map(|c| cell(0, c)).collect();
    assert_eq!(
        header,
        [
            "Id",
            "Question",
            "Choice",
            "Helpful text",
            "Selected",
            "Notes",
            "Risk rules"
        ]
    );
    assert_eq!(cell(1, 0), "ops_deploy");
    assert_eq!(cell(1, 1), "How do you deploy changes?");
    assert_eq!(
        cell(1, 6).lines().next().unwrap(),
        "No risk when “Every change goes through a pipeline” is selected and “Deployments roll back automatically on alarms” is selected"
    );
    assert!(
        cell(1, 6).ends_with("High risk in every other case"),
        "{}",
        cell(1, 6)
    );
    assert_eq!(cell(2, 2), "Every change goes through a pipeline");
    assert_eq!(cell(4, 2), "None of these");
    assert_eq!((cell(2, 4), cell(2, 5)), (String::new(), String::new()));

    let response = get(&app, &arn, "csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("Pillar,Id,Question,Choice,Helpful text,Selected,Notes,Risk rules")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Operational excellence,ops_deploy,How do you deploy changes?,")
    );
    assert!(
        csv.contains("Security,sec_secrets_no,,None of these,,,,\n"),
        "{csv}"
    );

    let refused = get(&app, &arn, "pdf").await;
    assert_eq!(refused.status(), 400);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("ask for xlsx, csv or print")
    );
    let unknown = get(
        &app,
        "arn:aws:wellarchitected:us-east-1:123456789012:lens/00000000000000000000000000000000",
        "xlsx",
    )
    .await;
    assert_eq!(unknown.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn the_printable_page_lists_every_question_and_keeps_hostile_text_as_text() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let json = std::fs::read_to_string(format!("{FIXTURES}/valid-small.json"))
        .unwrap()
        .replace(
            "A pipeline builds, tests and deploys each commit.",
            "Builds <script>alert(1)</script> & more",
        );
    let arn = imported(&app, &json).await;
    let response = get(&app, &arn, "print").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-security-policy"],
        "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("Automating safe, hands-off deployments (https://aws.amazon.com/builders-library/automating-safe-hands-off-deployments/)"));
    assert!(page.contains("<h1>Serverless API review</h1>"));
    assert!(page.contains("<h2>Operational excellence</h2>") && page.contains("<h2>Security</h2>"));
    assert!(page.contains("<h3>Where do functions read their secrets from?</h3>"));
    assert_eq!(page.matches("class=\"box\"").count(), 6, "a box per choice");
    assert!(page.contains("Builds &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(!page.contains("<script>"));
    app.stop().await;
}
