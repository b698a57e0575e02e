//! The audit browser against a history with known answers: combined filters, keyset pages
//! that neither repeat nor skip while events arrive, the export equal to the pages of the same
//! filter, hostile search text, and a viewer reading the page.

use std::collections::BTreeSet;

use lensgate::audit::{Actor, AuditLog, NewEvent, Phase};
use lensgate_app::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, call, new_client, sign_in};

const ACTORS: [&str; 3] = ["ana", "bo", "cy"];
const ACTIONS: [&str; 3] = ["CreateLensShare", "CreateGrantVersion", "ImportLens"];

/// Event `i` of the known history: its actor, action, phase and target follow from `i`.
fn known(i: usize) -> NewEvent {
    let phase = match i % 5 {
        0 => Phase::Failed,
        1 | 2 => Phase::Succeeded,
        3 => Phase::Requested,
        _ => Phase::Recorded,
    };
    NewEvent {
        actor: Actor {
            name: ACTORS[i % 3].into(),
            role: "author".into(),
        },
        action: ACTIONS[i % 4 % 3].into(),
        target: format!("target-{}", i % 7),
        phase,
        operation_id: format!("op-{i}"),
        idempotency_token: Some(format!("token-{i}")),
        request: json!({ "note": if i.is_multiple_of(10) { "rare zebra word" } else { "common words" } }),
        response: None,
        error_code: (phase == Phase::Failed).then(|| "ConflictException".into()),
        error_message: (phase == Phase::Failed).then(|| "already shared".into()),
        aws_request_id: None,
        attempts: Some(1),
        duration_ms: Some(12),
    }
}

async fn seeded(count: usize) -> (TestApp, AuditLog, usize) {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let log = app.audit_log().await;
    // Signing in is itself audited; the known events follow it.
    let offset = match log.verify().await.unwrap() {
        lensgate::audit::Verification::Intact { events } => events as usize,
        broken => panic!("{broken:?}"),
    };
    for i in 0..count {
        log.append(known(i)).await.unwrap();
    }
    (app, log, offset)
}

/// Every page of a filter, following the cursor; the seqs in order.
async fn all_pages(app: &TestApp, filter: &[(&str, &str)]) -> Vec<i64> {
    let mut seqs = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let mut form: Vec<(&str, &str)> = filter.to_vec();
        if let Some(b) = &before {
            form.push(("query[before]", b));
        }
        let (status, page) = call(app, "/api/audit", &form).await;
        assert_eq!(status, 200, "{page}");
        seqs.extend(
            page["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["seq"].as_i64().unwrap()),
        );
        match page["older"].as_i64() {
            Some(older) => before = Some(older.to_string()),
            None => return seqs,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn combined_filters_give_the_known_answers() {
    let count = 140;
    let (app, _log, offset) = seeded(count).await;
    let expect = |keep: &dyn Fn(usize) -> bool| -> Vec<i64> {
        (0..count)
            .rev()
            .filter(|i| keep(*i))
            .map(|i| (offset + i + 1) as i64)
            .collect()
    };
    let ana_shares = all_pages(
        &app,
        &[
            ("query[actor]", "ana"),
            ("query[actions][0]", "CreateLensShare"),
        ],
    )
    .await;
    assert_eq!(ana_shares, expect(&|i| i % 3 == 0 && i % 4 % 3 == 0));

    let three = all_pages(
        &app,
        &[
            ("query[actor]", "bo"),
            ("query[outcome]", "failed"),
            ("query[target]", "target-3"),
        ],
    )
    .await;
    assert_eq!(three, expect(&|i| i % 3 == 1 && i % 5 == 0 && i % 7 == 3));

    let two_actions = all_pages(
        &app,
        &[
            ("query[actions][0]", "ImportLens"),
            ("query[actions][1]", "CreateGrantVersion"),
            ("query[outcome]", "pending"),
        ],
    )
    .await;
    assert_eq!(two_actions, expect(&|i| i % 4 % 3 != 0 && i % 5 == 3));

    let rare = all_pages(&app, &[("query[q]", "zebra")]).await;
    assert_eq!(rare, expect(&|i| i % 10 == 0));
    let rare_and_ana =
        all_pages(&app, &[("query[q]", "ZEBRA rare"), ("query[actor]", "ana")]).await;
    assert_eq!(rare_and_ana, expect(&|i| i % 10 == 0 && i % 3 == 0));

    let future = all_pages(
        &app,
        &[
            ("query[range]", "custom"),
            ("query[from]", "2999-01-01T00:00"),
        ],
    )
    .await;
    assert!(future.is_empty());
    let today = all_pages(&app, &[("query[range]", "day"), ("query[actor]", "cy")]).await;
    assert_eq!(today, expect(&|i| i % 3 == 2));

    let (_, first) = call(&app, "/api/audit", &[("query[actor]", "")]).await;
    assert_eq!(
        first["rows"].as_array().unwrap().len(),
        50,
        "a page holds 50 events"
    );
    let actions: BTreeSet<&str> = first["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(ACTIONS.iter().all(|a| actions.contains(a)), "{actions:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_neither_repeat_nor_skip_while_events_arrive() {
    let (app, log, offset) = seeded(230).await;
    let newest = (offset + 230) as i64;
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    let mut arrivals = 0;
    loop {
        let mut form = vec![("query[outcome]", "")];
        if let Some(b) = &before {
            form.push(("query[before]", b.as_str()));
        }
        let (_, page) = call(&app, "/api/audit", &form).await;
        seen.extend(
            page["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["seq"].as_i64().unwrap()),
        );
        // Events keep arriving between pages.
        for i in 0..7 {
            log.append(known(1000 + arrivals * 7 + i)).await.unwrap();
        }
        arrivals += 1;
        match page["older"].as_i64() {
            Some(older) => before = Some(older.to_string()),
            None => break,
        }
    }
    let expected: Vec<i64> = (1..=newest).rev().collect();
    assert_eq!(
        seen, expected,
        "every event up to the first page's newest, once, in order"
    );
    let (_, page) = call(&app, "/api/audit", &[("query[outcome]", "")]).await;
    assert!(
        page["newest"].as_i64().unwrap() > newest,
        "the page knows newer events arrived"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_export_equals_the_pages_and_says_how_far_the_chain_verifies() {
    let (app, _log, _) = seeded(130).await;
    let filter_pages = all_pages(&app, &[("query[actor]", "ana"), ("query[q]", "common")]).await;
    let jsonl = app
        .client
        .get(app.at("/audit/export?format=jsonl&actor=ana&q=common"))
        .send()
        .await
        .unwrap();
    assert_eq!(jsonl.status(), 200);
    assert!(
        jsonl.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/x-ndjson")
    );
    let text = jsonl.text().await.unwrap();
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(
        header["lensgate_audit_export"]["chain"]["status"],
        "verified"
    );
    let exported: Vec<i64> = lines
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["seq"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(exported, filter_pages);

    let csv = app
        .get_text("/audit/export?format=csv&actor=ana&q=common")
        .await;
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("# lensgate audit export; hash chain verified up to event")
    );
    assert!(lines.next().unwrap().starts_with("seq,occurred_at,actor"));
    let csv_seqs: Vec<i64> = lines
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(csv_seqs, filter_pages);

    let bad = app
        .client
        .get(app.at("/audit/export?format=xml"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_search_text_is_searched_for_never_an_error() {
    let (app, _log, _) = seeded(20).await;
    for hostile in [
        "\"",
        "*",
        "NEAR(",
        "(((",
        "a OR",
        "AND",
        "'; DROP TABLE audit_events; --",
        "request:zebra",
        "\"unbalanced",
        "zebra*",
        "^",
        "-",
        "NOT",
        "\u{0}",
        "<script>alert(1)</script>",
    ] {
        let (status, body) = call(&app, "/api/audit", &[("query[q]", hostile)]).await;
        assert_eq!(status, 200, "{hostile:?}: {body}");
        assert!(body["rows"].is_array(), "{hostile:?}: {body}");
        let export = app
            .client
            .get(app.at("/audit/export?format=csv"))
            .query(&[("q", hostile)])
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200, "{hostile:?}");
    }
    let (_, quoted) = call(&app, "/api/audit", &[("query[q]", "\"zebra\"")]).await;
    assert_eq!(
        quoted["rows"].as_array().unwrap().len(),
        2,
        "quotes are part of the word, not syntax"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_reads_the_audit_page_and_an_event() {
    let (app, _log, offset) = seeded(3).await;
    let by = Actor {
        name: "test".into(),
        role: "admin".into(),
    };
    app.accounts
        .create_user(&by, "vera", "a long enough password", Role::Viewer)
        .await
        .unwrap();
    let viewer = new_client();
    sign_in(&viewer, &app.url, "vera", "a long enough password").await;
    let page = viewer.get(app.at("/audit?actor=ana")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"audit-events\""),
        "the table renders on the server"
    );
    assert!(html.contains("Chain verified up to event"));
    let event = viewer
        .get(app.at(&format!("/audit/event?seq={}", offset + 1)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(event.contains("token-0"), "the idempotency token is shown");
    assert!(event.contains("verifies up to this event"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exported_cells_are_quoted_and_formulas_defused() {
    let (app, log, _) = seeded(1).await;
    let mut hostile = known(0);
    hostile.actor.name = "mallory".into();
    hostile.error_message = Some("=cmd|' /C calc'!A0, \"quoted\"\nnext line".into());
    hostile.request = json!({ "note": "a, b" });
    log.append(hostile).await.unwrap();
    let csv = app.get_text("/audit/export?format=csv&actor=mallory").await;
    assert!(
        csv.contains(",\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\nnext line\","),
        "{csv}"
    );
    assert!(csv.contains(",\"{\"\"note\"\":\"\"a, b\"\"}\","), "{csv}");
    let jsonl = app
        .get_text("/audit/export?format=jsonl&actor=mallory")
        .await;
    let event: Value = serde_json::from_str(jsonl.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        event["request"]["note"], "a, b",
        "the request is JSON, not a string"
    );
    assert_eq!(event["outcome"], "failed");
    app.stop().await;
}

/// The list reads as what happened: a finished change is one line with its outcome and what
/// it was about; a change still under way is one pending line; an existing share is "already
/// shared", not a failure. The requested events stay in the chain and the export.
#[tokio::test(flavor = "multi_thread")]
async fn each_change_is_one_line_with_its_outcome_and_principal() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let (_, workloads) = call(&app, "/api/workloads", &[("search", "")]).await;
    let id = workloads[0]["id"].as_str().unwrap().to_owned();
    for token in ["first-share", "second-share"] {
        call(
            &app,
            "/api/workloads/share",
            &[
                ("workload_id", &id),
                ("principal", "210987654321"),
                ("permission", "READONLY"),
                ("token", token),
            ],
        )
        .await;
    }
    let log = app.audit_log().await;
    let mut open = known(3);
    open.target = id.clone();
    open.action = "CreateWorkloadShare".into();
    open.request = json!({ "operation": "CreateWorkloadShare", "workload_id": id, "shared_with": "310987654321", "permission_type": "CONTRIBUTOR" });
    log.append(open).await.unwrap();

    let (status, page) = call(&app, "/api/audit", &[("query[target]", &id)]).await;
    assert_eq!(status, 200, "{page}");
    let lines: Vec<(String, String, String)> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["action"].as_str().unwrap().to_owned(),
                row["subject"].as_str().unwrap_or_default().to_owned(),
                format!(
                    "{} {}",
                    row["phase"].as_str().unwrap(),
                    row["error_code"].as_str().unwrap_or_default()
                ),
            )
        })
        .collect();
    let line = |subject: &str, outcome: &str| {
        (
            "CreateWorkloadShare".to_owned(),
            subject.to_owned(),
            outcome.to_owned(),
        )
    };
    assert_eq!(
        lines,
        [
            line("with 310987654321 (contributor)", "requested "),
            line("with 210987654321 (read-only)", "failed ConflictException"),
            line("with 210987654321 (read-only)", "succeeded "),
        ]
    );
    let events = log.for_target(&id, 10).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.phase == "requested").count(),
        3,
        "the chain keeps every requested event"
    );
    let html = app
        .get_text(&format!("/workloads/detail?id={id}"))
        .await
        .replace("<!>", "");
    assert!(
        html.contains(">already shared<"),
        "the timeline says the share existed"
    );
    assert!(!html.contains("failed: ConflictException"));
    app.stop().await;
}
