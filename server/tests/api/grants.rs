//! Grants through the server functions: the seeded grant in the distributed list and its
//! filters, a new version from the form (sparse checkbox indices as a browser sends them), its
//! place in the version history, the checks before AWS, and the conflict on a stale version.

use serde_json::Value;

use crate::helpers::{TestApp, call, field_error};

async fn list(app: &TestApp, direction: &str, status: &str, license: &str) -> Value {
    let (code, list) = call(
        app,
        "/api/grants",
        &[
            ("filter[direction]", direction),
            ("filter[status]", status),
            ("filter[license]", license),
        ],
    )
    .await;
    assert_eq!(code, 200, "{list}");
    list
}

fn names(list: &Value) -> Vec<&str> {
    list["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect()
}

async fn new_version(app: &TestApp, arn: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![("version[grant_arn]", arn)];
    form.extend_from_slice(fields);
    call(app, "/api/grants/version", &form).await
}

#[tokio::test(flavor = "multi_thread")]
async fn grants_are_listed_filtered_and_versioned_with_a_conflict_on_a_stale_form() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let all = list(&app, "", "", "").await;
    assert_eq!(names(&all), ["Partner analytics seats"]);
    let grant = &all["grants"][0];
    assert_eq!(grant["direction"], "Distributed");
    assert_eq!(grant["status"], "PENDING_ACCEPT");
    let arn = grant["arn"].as_str().unwrap().to_owned();
    let license = grant["license_arn"].as_str().unwrap().to_owned();
    assert_eq!(all["licenses"], serde_json::json!([license]));
    assert_eq!(
        names(&list(&app, "received", "", "").await),
        Vec::<&str>::new()
    );
    assert_eq!(
        names(&list(&app, "", "ACTIVE", "").await),
        Vec::<&str>::new()
    );
    assert_eq!(
        names(&list(&app, "distributed", "PENDING_ACCEPT", &license).await).len(),
        1
    );
    assert_eq!(
        names(&list(&app, "", "", "arn:aws:license-manager::1:license:l-x").await).len(),
        0
    );

    let (code, version) = new_version(
        &app,
        &arn,
        &[
            ("version[name]", "Partner seats, renewed"),
            ("version[operations][1]", "CheckoutLicense"),
            ("version[operations][3]", "CheckInLicense"),
            ("version[status]", "ACTIVE"),
            ("version[status_reason]", "Contract renewed"),
            ("version[source_version]", "1"),
            ("version[token]", "grant-form-1"),
        ],
    )
    .await;
    assert_eq!((code, version.as_str()), (200, Some("2")), "{version}");

    let (_, detail) = call(&app, "/api/grants/detail", &[("arn", &arn)]).await;
    assert_eq!(detail["grant"]["version"], "2");
    assert_eq!(detail["grant"]["status"], "ACTIVE");
    assert_eq!(
        detail["grant"]["operations"],
        serde_json::json!(["CheckoutLicense", "CheckInLicense"])
    );
    let versions = detail["versions"].as_array().unwrap();
    assert_eq!(
        versions.len(),
        2,
        "the new version and the one it started from"
    );
    assert_eq!(versions[0]["version"], "2");
    assert_eq!(versions[0]["by"], "admin");
    assert_eq!(versions[0]["current"], true);
    assert_eq!(versions[0]["name"], "Partner seats, renewed");
    assert_eq!(versions[1]["version"], "1");
    assert_eq!(versions[1]["current"], false);
    assert_eq!(versions[1]["name"], "Partner analytics seats");
    assert_eq!(versions[1]["status"], "PENDING_ACCEPT");
    assert_eq!(
        versions[1]["by"],
        Value::Null,
        "made by the seed, not through lensgate"
    );
    assert_eq!(detail["timeline"][0]["action"], "CreateGrantVersion");
    assert_eq!(detail["timeline"][0]["phase"], "succeeded");

    // A form opened on version 1 is now stale: nothing is sent, the current values are named.
    let (_, stale) = new_version(
        &app,
        &arn,
        &[
            ("version[name]", "Someone else's idea"),
            ("version[operations][0]", "CreateGrant"),
            ("version[status]", "DISABLED"),
            ("version[status_reason]", ""),
            ("version[source_version]", "1"),
            ("version[token]", "grant-form-2"),
        ],
    )
    .await;
    let conflict = &stale["Stale"];
    assert_eq!(conflict["current"], "2", "{stale}");
    let message = conflict["message"].as_str().unwrap();
    assert!(
        message.contains("version 2")
            && message.contains("Partner seats, renewed")
            && message.contains("ACTIVE"),
        "{message}"
    );

    let long_reason = "r".repeat(401);
    for (fields, field, expected) in [
        (
            vec![("version[name]", "x"), ("version[source_version]", "2")],
            "operations",
            "at least one operation",
        ),
        (
            vec![
                ("version[name]", "x"),
                ("version[operations][0]", "DeleteEverything"),
                ("version[source_version]", "2"),
            ],
            "operations",
            "not an operation",
        ),
        (
            vec![
                ("version[name]", "x"),
                ("version[operations][0]", "CreateGrant"),
                ("version[status]", "DELETED"),
                ("version[source_version]", "2"),
            ],
            "status",
            "ACTIVE or DISABLED",
        ),
        (
            vec![
                ("version[name]", "x"),
                ("version[operations][0]", "CreateGrant"),
                ("version[status_reason]", long_reason.as_str()),
                ("version[source_version]", "2"),
            ],
            "status_reason",
            "limit is 400",
        ),
    ] {
        let (_, refused) = new_version(&app, &arn, &fields).await;
        assert!(
            field_error(&refused, field).contains(expected),
            "{expected}: {refused}"
        );
    }
    let (_, detail) = call(&app, "/api/grants/detail", &[("arn", &arn)]).await;
    assert_eq!(
        detail["grant"]["version"], "2",
        "no refused form reached AWS"
    );
    let (_, bad) = call(
        &app,
        "/api/grants/detail",
        &[("arn", "arn:aws:s3:::bucket")],
    )
    .await;
    assert!(
        bad["Invalid"].as_str().unwrap().contains("not a grant ARN"),
        "{bad}"
    );
    app.stop().await;
}
