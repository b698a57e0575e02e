//! Workloads through the server functions: the seeded list and its search, the New workload
//! form (admins only), sharing with a checked principal, "already shared", changing the
//! permission, revoking, and a resubmitted form answered without a second change.

use lensgate::audit::AuditLog;
use serde_json::Value;

use crate::helpers::{TestApp, call, field_error};

async fn audit(app: &TestApp) -> AuditLog {
    app.audit_log().await
}

async fn seeded_workload(app: &TestApp) -> String {
    let (status, rows) = call(app, "/api/workloads", &[("search", "")]).await;
    assert_eq!(status, 200, "{rows}");
    rows.as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "Payments API")
        .unwrap_or_else(|| panic!("the emulator seeds Payments API: {rows}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn share_of<'a>(detail: &'a Value, principal: &str) -> Option<&'a Value> {
    detail["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"] == principal)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_searches_by_name_prefix() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let names = |rows: &Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|w| w["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = call(&app, "/api/workloads", &[("search", "")]).await;
    assert_eq!(names(&all).len(), 2, "{all}");
    let (_, some) = call(&app, "/api/workloads", &[("search", "pay")]).await;
    assert_eq!(names(&some), ["Payments API"]);
    let (_, none) = call(&app, "/api/workloads", &[("search", "\"' OR 1=1 --")]).await;
    assert_eq!(names(&none), Vec::<String>::new());
    let long = "x".repeat(101);
    let (_, error) = call(&app, "/api/workloads", &[("search", &long)]).await;
    assert!(
        error["Invalid"].as_str().unwrap().contains("at most 100"),
        "{error}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_create_workloads_and_bad_input_is_refused_before_aws() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let form = |name: &'static str, regions: &'static str| {
        vec![
            ("workload[name]", name),
            ("workload[description]", "Orders and invoices"),
            ("workload[environment]", "PRODUCTION"),
            ("workload[regions]", regions),
            ("workload[review_owner]", "platform team"),
            ("workload[token]", "3d1b2f8e-create-form"),
        ]
    };
    let (status, id) = call(
        &app,
        "/api/workloads/create",
        &form("Billing", "us-east-1, eu-west-3"),
    )
    .await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let (_, detail) = call(&app, "/api/workloads/detail", &[("id", &id)]).await;
    assert_eq!(detail["workload"]["name"], "Billing");
    assert_eq!(
        detail["regions"],
        serde_json::json!(["us-east-1", "eu-west-3"])
    );
    assert_eq!(detail["review_owner"], "platform team");

    // The same form again (a double submission) answers with the same workload.
    let (status, again) = call(
        &app,
        "/api/workloads/create",
        &form("Billing", "us-east-1, eu-west-3"),
    )
    .await;
    assert_eq!((status, again.as_str()), (200, Some(id.as_str())));

    let (_, taken) = call(&app, "/api/workloads/create", &{
        let mut f = form("billing", "us-east-1");
        f[5].1 = "another-form";
        f
    })
    .await;
    assert!(
        field_error(&taken, "name").contains("already exists"),
        "{taken}"
    );
    let (_, region) = call(&app, "/api/workloads/create", &form("Ledger", "mars-1")).await;
    assert!(
        field_error(&region, "regions").contains("not an AWS Region"),
        "{region}"
    );
    let (_, short) = call(&app, "/api/workloads/create", &form("ab", "us-east-1")).await;
    assert!(field_error(&short, "name").contains("3 to 100"), "{short}");

    let creations: Vec<_> = audit(&app)
        .await
        .for_target(&id, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "CreateWorkload")
        .map(|e| e.phase)
        .collect();
    assert_eq!(
        creations,
        ["succeeded"],
        "one change, audited on the new workload's id"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shares_are_checked_created_changed_and_revoked() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let id = seeded_workload(&app).await;
    let share = |principal: &'static str, permission: &'static str, token: &'static str| {
        let id = id.clone();
        let app = &app;
        async move {
            call(
                app,
                "/api/workloads/share",
                &[
                    ("workload_id", id.as_str()),
                    ("principal", principal),
                    ("permission", permission),
                    ("token", token),
                ],
            )
            .await
        }
    };
    let (_, bad) = share("12345", "READONLY", "form-1").await;
    assert!(
        field_error(&bad, "principal").contains("12 digits"),
        "{bad}"
    );
    let (_, role) = share("arn:aws:iam::210987654321:role/Ops", "READONLY", "form-1").await;
    assert!(
        field_error(&role, "principal").contains("IAM roles"),
        "{role}"
    );
    let (_, permission) = share("210987654321", "OWNER", "form-1").await;
    assert!(
        field_error(&permission, "permission").contains("READONLY or CONTRIBUTOR"),
        "{permission}"
    );
    let log = audit(&app).await;
    assert!(
        log.for_target(&id, 100).await.unwrap().is_empty(),
        "nothing was sent"
    );

    let (status, body) = share("210987654321", "READONLY", "form-1").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = share("210987654321", "READONLY", "form-1").await;
    assert_eq!(
        status, 200,
        "a resubmitted form answers with its first change: {body}"
    );
    let (_, duplicate) = share("210987654321", "CONTRIBUTOR", "form-2").await;
    assert!(
        field_error(&duplicate, "principal").contains("already shared"),
        "{duplicate}"
    );

    let (_, detail) = call(&app, "/api/workloads/detail", &[("id", &id)]).await;
    assert_eq!(detail["owned"], true);
    let shared = share_of(&detail, "210987654321").unwrap();
    assert_eq!(shared["permission"], "READONLY");
    assert_eq!(shared["status"], "PENDING");
    assert!(
        shared["since"].is_string(),
        "the audit says since when: {shared}"
    );
    let share_id = shared["share_id"].as_str().unwrap().to_owned();

    let (status, body) = call(
        &app,
        "/api/workloads/permission",
        &[
            ("workload_id", &id),
            ("share_id", &share_id),
            ("permission", "CONTRIBUTOR"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, detail) = call(&app, "/api/workloads/detail", &[("id", &id)]).await;
    assert_eq!(
        share_of(&detail, "210987654321").unwrap()["permission"],
        "CONTRIBUTOR"
    );

    let (status, body) = call(
        &app,
        "/api/workloads/unshare",
        &[
            ("workload_id", &id),
            ("share_id", &share_id),
            ("token", "form-3"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, detail) = call(&app, "/api/workloads/detail", &[("id", &id)]).await;
    assert!(share_of(&detail, "210987654321").is_none());

    let changes: Vec<(String, String)> = log
        .for_target(&id, 100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter(|e| e.phase != "requested")
        .map(|e| (e.action, e.phase))
        .collect();
    let expected = [
        ("CreateWorkloadShare", "succeeded"),
        ("CreateWorkloadShare", "failed"),
        ("UpdateWorkloadShare", "succeeded"),
        ("DeleteWorkloadShare", "succeeded"),
    ];
    assert_eq!(
        changes,
        expected.map(|(a, p)| (a.to_owned(), p.to_owned())),
        "one audited change per action, the resubmission none"
    );
    let timeline = detail["timeline"].as_array().unwrap();
    assert_eq!(
        timeline[0]["action"], "DeleteWorkloadShare",
        "the page shows its events"
    );

    let (_, bad_id) = call(&app, "/api/workloads/detail", &[("id", "../../etc")]).await;
    assert!(
        bad_id["Invalid"]
            .as_str()
            .unwrap()
            .contains("not a workload id"),
        "{bad_id}"
    );
    app.stop().await;
}
