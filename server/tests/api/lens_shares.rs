//! Sharing a lens with a pasted list, through the server function: each entry recognised or
//! flagged before anything is sent, one audited CreateLensShare per valid principal, "already
//! shared" on a repeat, plain refusals for drafts and AWS official lenses, and revocation.

use lensgate::gateway::Change;
use lensgate_app::ids::LensArn;
use serde_json::Value;

use crate::{
    gateway::{author, import},
    helpers::{TestApp, call},
};

async fn lens(app: &TestApp, published: bool) -> String {
    let imported = app
        .gateway
        .apply(&author(), import("Shared lens"))
        .await
        .unwrap();
    let arn = imported.response["LensArn"].as_str().unwrap().to_owned();
    if published {
        let publish = Change::CreateLensVersion {
            lens_alias: LensArn::parse(&arn).unwrap(),
            lens_version: "1.0".into(),
            is_major_version: true,
        };
        app.gateway.apply(&author(), publish).await.unwrap();
    }
    arn
}

fn outcomes(results: &Value) -> Vec<(String, String)> {
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let outcome = match &r["outcome"] {
                Value::String(s) => s.clone(),
                Value::Object(o) => o.keys().next().unwrap().clone(),
                other => other.to_string(),
            };
            (r["principal"].as_str().unwrap().to_owned(), outcome)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_list_is_shared_entry_by_entry_and_revoked() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let arn = lens(&app, true).await;
    let list = "444455556666\n12345, 111122223333, 444455556666\no-abcdef1234; arn:aws:iam::444455556666:role/Reviewers";
    let (status, results) = call(
        &app,
        "/api/lenses/share",
        &[("lens_arn", &arn), ("principals", list)],
    )
    .await;
    assert_eq!(status, 200, "{results}");
    let expected = [
        ("444455556666", "Shared"),
        ("12345", "NotSent"),
        ("111122223333", "NotSent"),
        ("444455556666", "NotSent"),
        ("o-abcdef1234", "Shared"),
        ("arn:aws:iam::444455556666:role/Reviewers", "Shared"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, o)| (p.to_string(), o.to_string()))
        .collect();
    assert_eq!(outcomes(&results), expected);
    assert_eq!(results[0]["kind"], "Account");
    assert!(
        results[2]["outcome"]["NotSent"]
            .as_str()
            .unwrap()
            .contains("own account")
    );

    let (_, again) = call(
        &app,
        "/api/lenses/share",
        &[("lens_arn", &arn), ("principals", "444455556666")],
    )
    .await;
    assert_eq!(
        outcomes(&again),
        [("444455556666".to_owned(), "AlreadyShared".to_owned())]
    );

    let log = app.audit_log().await;
    let shares: Vec<_> = log
        .for_target(&arn, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "CreateLensShare" && e.phase != "requested")
        .map(|e| e.phase)
        .collect();
    assert_eq!(
        shares.iter().filter(|p| *p == "succeeded").count(),
        3,
        "one audited call per valid principal"
    );
    assert_eq!(
        shares.iter().filter(|p| *p == "failed").count(),
        1,
        "the repeat"
    );

    let (_, detail) = call(&app, "/api/lenses/detail", &[("arn", &arn)]).await;
    let share = detail["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["shared_with"] == "444455556666")
        .unwrap();
    let (status, body) = call(
        &app,
        "/api/lenses/unshare",
        &[
            ("lens_arn", &arn),
            ("share_id", share["share_id"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, detail) = call(&app, "/api/lenses/detail", &[("arn", &arn)]).await;
    assert!(
        detail["shares"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["shared_with"] != "444455556666")
    );
    assert!(
        log.for_target(&arn, 100)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "DeleteLensShare" && e.phase == "succeeded")
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_and_aws_official_lenses_are_refused_in_plain_words() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let draft = lens(&app, false).await;
    let (_, body) = call(
        &app,
        "/api/lenses/share",
        &[("lens_arn", &draft), ("principals", "444455556666")],
    )
    .await;
    assert!(
        body["Invalid"].as_str().unwrap().contains("only a draft"),
        "{body}"
    );
    let official = "arn:aws:wellarchitected::aws:lens/wellarchitected";
    let (_, body) = call(
        &app,
        "/api/lenses/share",
        &[("lens_arn", official), ("principals", "444455556666")],
    )
    .await;
    assert!(
        body["Invalid"]
            .as_str()
            .unwrap()
            .contains("AWS official lenses cannot be shared"),
        "{body}"
    );
    let (_, body) = call(
        &app,
        "/api/lenses/unshare",
        &[("lens_arn", &draft), ("share_id", "<script>")],
    )
    .await;
    assert!(
        body["Invalid"].as_str().unwrap().contains("not a share id"),
        "{body}"
    );
    app.stop().await;
}
