//! The JSON API and its tokens: a token is shown once and stored as a hash, acts with at most
//! its role, stops at revocation, expiry or its user's disabling; every route answers with a
//! token, bad input with problem details; the same Idempotency-Key makes one change; and
//! `lensgate push` drives it end to end.

use std::process::Command;

use lensgate::audit::Actor;
use lensgate_app::{
    auth::{CurrentUser, Role},
    services::ApiTokens,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, new_client, sign_in};

pub const PASSWORD: &str = "a long enough password";
const LENS: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");
const BINARY: &str = env!("CARGO_BIN_EXE_lensgate");

fn user(name: &str, role: Role) -> CurrentUser {
    CurrentUser {
        username: name.to_owned(),
        role,
        token: None,
    }
}

/// Creates the user `name` with `role` and a token for them with `token_role`; the secret.
pub async fn token_for(app: &TestApp, name: &str, role: Role, token_role: Role) -> String {
    app.add_user(name, PASSWORD, role).await;
    ApiTokens::create(
        &*app.accounts,
        user(name, role),
        "ci".into(),
        90,
        token_role,
    )
    .await
    .unwrap()
    .secret
}

/// A request to the API with `token`: status and JSON body.
async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, app.at(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    api(app, token, reqwest::Method::GET, path, None).await
}

pub async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    api(app, token, reqwest::Method::POST, path, Some(body)).await
}

fn problem_type(body: &Value) -> &str {
    body["type"].as_str().unwrap_or_default()
}

async fn scalar(app: &TestApp, sql: &str) -> Vec<String> {
    app.texts(sql).await
}

#[tokio::test]
async fn a_token_is_stored_as_its_hash_and_acts_with_at_most_its_role() {
    let app = TestApp::start().await;
    let secret = token_for(&app, "ana", Role::Author, Role::Viewer).await;
    assert!(secret.starts_with("lgt_") && secret.len() == 44, "{secret}");

    let stored = scalar(&app, "SELECT token_hash || prefix || name FROM api_tokens").await;
    assert!(
        !stored[0].contains(&secret[4..]),
        "the secret is not stored"
    );
    assert!(stored[0].starts_with(&hex::encode(Sha256::digest(secret.as_bytes()))));

    let (status, lenses) = get(&app, &secret, "/api/v1/lenses").await;
    assert_eq!(status, StatusCode::OK, "{lenses}");
    let (status, refused) = post(&app, &secret, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a viewer token cannot import"
    );
    assert_eq!(problem_type(&refused), "/api/v1/docs#problem-forbidden");

    let listed = ApiTokens::list(&*app.accounts, Some("ana".into()))
        .await
        .unwrap();
    assert!(listed[0].last_used_at.is_some(), "the use is recorded");
    assert_eq!(
        scalar(
            &app,
            "SELECT action FROM audit_events WHERE action LIKE 'Token%'"
        )
        .await,
        ["TokenCreated"]
    );
    app.stop().await;
}

#[tokio::test]
async fn revocation_expiry_and_a_lower_role_take_effect_at_the_next_request() {
    let app = TestApp::start().await;
    let secret = token_for(&app, "ana", Role::Author, Role::Author).await;
    let other = token_for(&app, "rui", Role::Author, Role::Author).await;
    assert_eq!(get(&app, &secret, "/api/v1/lenses").await.0, StatusCode::OK);

    // Someone else's token is not theirs to revoke; an administrator may.
    let tokens = ApiTokens::list(&*app.accounts, None).await.unwrap();
    let id_of = |name: &str| tokens.iter().find(|t| t.username == name).unwrap().id;
    let refused = ApiTokens::revoke(&*app.accounts, user("rui", Role::Author), id_of("ana")).await;
    assert!(refused.is_err());
    ApiTokens::revoke(&*app.accounts, user("admin", Role::Admin), id_of("ana"))
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .get(app.at("/api/v1/lenses"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );

    // Demoted: the token's author role is capped by the user's viewer role.
    let admin = Actor {
        name: "test".into(),
        role: "admin".into(),
    };
    lensgate_app::services::UserAdmin::set_role(
        &*app.accounts,
        user("admin", Role::Admin),
        "rui".into(),
        Role::Viewer,
    )
    .await
    .unwrap();
    let (status, _) = post(&app, &other, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    app.accounts
        .set_disabled(&admin, "rui", true)
        .await
        .unwrap();
    assert_eq!(
        get(&app, &other, "/api/v1/lenses").await.0,
        StatusCode::UNAUTHORIZED
    );

    let late = token_for(&app, "eva", Role::Author, Role::Author).await;
    app.execute("UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE name = 'ci' AND user_id = (SELECT id FROM users WHERE username = 'eva')").await;
    assert_eq!(
        get(&app, &late, "/api/v1/lenses").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT action FROM audit_events WHERE action = 'TokenRevoked'"
        )
        .await,
        ["TokenRevoked"]
    );
    app.stop().await;
}

#[tokio::test]
async fn without_a_valid_bearer_token_the_api_answers_401_even_to_a_signed_in_browser() {
    let app = TestApp::start().await;
    let plain = reqwest::Client::new();
    for authorization in [
        None,
        Some("Basic YWRtaW46eA=="),
        Some("Bearer nonsense"),
        Some("Bearer lgt_0000000000000000000000000000000000000000"),
    ] {
        let mut request = plain.get(app.at("/api/v1/lenses"));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{authorization:?}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(problem_type(&body), "/api/v1/docs#problem-unauthenticated");
        assert!(body["detail"].as_str().unwrap().contains("account page"));
    }
    let browser = new_client();
    sign_in(&browser, &app.url, "admin", crate::helpers::ADMIN_PASSWORD).await;
    let response = browser.get(app.at("/api/v1/lenses")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a cookie session does not act on the API"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pipeline_validates_imports_and_submits_and_a_reviewer_publishes() {
    let app = TestApp::start().await;
    let author = token_for(&app, "ana", Role::Author, Role::Author).await;
    let reviewer = token_for(&app, "rui", Role::Reviewer, Role::Reviewer).await;
    let broken = LENS.replacen("\"choices\"", "\"choice\"", 1);

    let (status, report) = post(&app, &author, "/api/v1/lenses/validate", json!(null)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["importable"], false, "`null` is no lens: {report}");
    let response = reqwest::Client::new()
        .post(app.at("/api/v1/lenses/validate"))
        .bearer_auth(&author)
        .body(broken.clone())
        .send()
        .await
        .unwrap();
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["importable"], false);
    let first = &report["problems"][0];
    assert!(
        first["line"].as_u64().unwrap() > 1
            && first["path"].as_str().unwrap().starts_with("pillars[0]"),
        "{report}"
    );

    let (status, rejected) = post(&app, &author, "/api/v1/lenses", json!({ "lens": broken })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_type(&rejected),
        "/api/v1/docs#problem-lens-rejected"
    );
    assert!(
        rejected["problems"][0]["line"].as_u64().is_some(),
        "{rejected}"
    );
    let (status, bad_tags) = post(
        &app,
        &author,
        "/api/v1/lenses",
        json!({ "lens": LENS, "tags": "team" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_type(&bad_tags),
        "/api/v1/docs#problem-invalid-input"
    );
    assert_eq!(bad_tags["field"], "tags", "the field to fix: {bad_tags}");
    let (status, malformed) = post(&app, &author, "/api/v1/lenses", json!({ "lenz": LENS })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        problem_type(&malformed),
        "/api/v1/docs#problem-malformed-request"
    );

    let (status, imported) = post(&app, &author, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    let arn = imported["lens_arn"].as_str().unwrap().to_owned();
    let (status, submitted) = post(
        &app,
        &author,
        "/api/v1/reviews",
        json!({ "lens_arn": arn, "note": "from CI" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{submitted}");
    let review = submitted["review_id"].as_i64().unwrap();
    assert_eq!(
        submitted["url"],
        format!("{}/reviews/detail?id={review}", app.url)
    );
    let (_, state) = get(&app, &reviewer, &format!("/api/v1/reviews/{review}")).await;
    assert_eq!(state["state"], "open");
    assert_eq!(state["note"], "from CI");

    // People approve in the browser; the pipeline publishes with a reviewer's token.
    let person = new_client();
    sign_in(&person, &app.url, "rui", PASSWORD).await;
    let decided = person
        .post(app.at("/api/reviews/decide"))
        .header("accept", "application/json")
        .form(&[
            ("review_id", review.to_string().as_str()),
            ("decision", "approve"),
            ("comment", "ok"),
        ])
        .send()
        .await
        .unwrap();
    assert!(decided.status().is_success());
    let publish = json!({ "version_name": "1.0", "major": true });
    let path = format!("/api/v1/reviews/{review}/publish");
    assert_eq!(
        post(&app, &author, &path, publish.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, published) = post(&app, &reviewer, &path, publish).await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    assert_eq!(published["version_name"], "1.0");

    let (_, versions) = get(
        &app,
        &author,
        &format!(
            "/api/v1/lenses/versions?lens_arn={}",
            lensgate_app::href::encode_query(&arn)
        ),
    )
    .await;
    assert_eq!(versions["versions"][0]["name"], "1.0", "{versions}");
    assert_eq!(versions["versions"][0]["approvers"][0], "rui");
    let (_, audit) = get(&app, &author, "/api/v1/audit?action=CreateLensVersion").await;
    assert_eq!(audit["events"][0]["action"], "CreateLensVersion", "{audit}");
    assert_eq!(audit["events"][0]["actor"], "rui");
    assert_eq!(
        scalar(
            &app,
            "SELECT DISTINCT actor_role FROM audit_events WHERE action = 'ImportLens'"
        )
        .await,
        ["author via token ci"],
        "the audit history says a token made the change"
    );
    let export = reqwest::Client::new()
        .get(app.at("/api/v1/audit/export?format=jsonl&action=ImportLens"))
        .bearer_auth(&author)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        export.lines().count() >= 3,
        "the chain line and two events: {export}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_same_idempotency_key_twice_makes_one_change() {
    let app = TestApp::start().await;
    let author = token_for(&app, "ana", Role::Author, Role::Author).await;
    let send = || {
        reqwest::Client::new()
            .post(app.at("/api/v1/lenses"))
            .bearer_auth(&author)
            .header("idempotency-key", "build-42")
            .json(&json!({ "lens": LENS }))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let second: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(first["operation_id"], second["operation_id"], "{second}");
    assert_eq!(
        scalar(&app, "SELECT operation_id FROM audit_events WHERE action = 'ImportLens' AND phase = 'succeeded'").await.len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_names_every_route_and_the_docs_page_reads_it() {
    let app = TestApp::start().await;
    let token = token_for(&app, "ana", Role::Viewer, Role::Viewer).await;
    let document: Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut paths: Vec<&str> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/api/v1/audit",
            "/api/v1/audit/export",
            "/api/v1/lenses",
            "/api/v1/lenses/validate",
            "/api/v1/lenses/versions",
            "/api/v1/reviews",
            "/api/v1/reviews/{id}",
            "/api/v1/reviews/{id}/publish",
        ]
    );
    // Every documented operation is served (a viewer is refused changes, never "no route").
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let path = path.replace("{id}", "1");
            let (status, body) = api(&app, &token, method.clone(), &path, Some(json!({}))).await;
            assert!(
                !body["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("no such API route"),
                "{method} {path}"
            );
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        }
    }
    let (status, unknown) = get(&app, &token, "/api/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(unknown["detail"].as_str().unwrap().contains("/api/v1/docs"));

    let page = reqwest::get(app.at("/api/v1/docs")).await.unwrap();
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    let page = page.text().await.unwrap();
    for path in paths {
        assert!(page.contains(path), "{path} on the docs page");
    }
    assert!(page.contains("id=\"problem-lens-rejected\""));
    app.stop().await;
}

fn push(app_url: &str, token: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BINARY)
        .arg("push")
        .args(args)
        .args(["--server", app_url])
        .env("LENSGATE_TOKEN", token)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn lensgate_push_imports_submits_and_says_why_it_stopped() {
    let app = TestApp::start().await;
    let token = token_for(&app, "ana", Role::Author, Role::Author).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("lens.json");
    std::fs::write(&good, LENS).unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, LENS.replacen("\"choices\"", "\"choice\"", 1)).unwrap();

    let (code, stdout, stderr) = push(
        &app.url,
        &token,
        &[good.to_str().unwrap(), "--submit", "from CI"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("imported"), "{stdout}");
    let url = stdout
        .lines()
        .find_map(|line| {
            line.split_once("submitted for review ")
                .map(|(_, rest)| rest.to_owned())
        })
        .expect("the review's address");
    assert!(
        url.contains(&format!("{}/reviews/detail?id=", app.url)),
        "{url}"
    );

    let (code, _, stderr) = push(&app.url, &token, &[bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("broken.json:"),
        "problems name the file: {stderr}"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT target FROM audit_events WHERE action = 'ImportLens' AND phase = 'requested'"
        )
        .await
        .len(),
        1,
        "a lens with errors is not sent"
    );

    let (code, _, stderr) = push(
        &app.url,
        "lgt_0000000000000000000000000000000000000000",
        &[good.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("401"), "{stderr}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nobody = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (code, _, stderr) = push(&nobody, &token, &[good.to_str().unwrap()]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("cannot reach lensgate"), "{stderr}");
    app.stop().await;
}

/// Every route with a token of each role: refused (403) below the route's role, never refused
/// for the role at or above it (the `{}` bodies may still be malformed input, 400 or 422).
#[tokio::test]
async fn every_route_answers_each_role_as_its_table_says() {
    let app = TestApp::start().await;
    let routes: [(reqwest::Method, &str, Role); 10] = [
        (reqwest::Method::GET, "/api/v1/lenses", Role::Viewer),
        (reqwest::Method::POST, "/api/v1/lenses", Role::Author),
        (
            reqwest::Method::POST,
            "/api/v1/lenses/validate",
            Role::Viewer,
        ),
        (
            reqwest::Method::GET,
            "/api/v1/lenses/versions?lens_arn=x",
            Role::Viewer,
        ),
        (reqwest::Method::POST, "/api/v1/reviews", Role::Author),
        (reqwest::Method::GET, "/api/v1/reviews/1", Role::Viewer),
        (
            reqwest::Method::POST,
            "/api/v1/reviews/1/publish",
            Role::Reviewer,
        ),
        (reqwest::Method::GET, "/api/v1/audit", Role::Viewer),
        (reqwest::Method::GET, "/api/v1/audit/export", Role::Viewer),
        (reqwest::Method::GET, "/api/v1/openapi.json", Role::Viewer),
    ];
    for role in Role::ALL {
        let token = token_for(&app, &format!("{role}-user"), role, role).await;
        for (method, path, needed) in &routes {
            let (status, body) = api(&app, &token, method.clone(), path, Some(json!({}))).await;
            if role < *needed {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role} {method} {path}: {body}"
                );
            } else {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role} {method} {path}: {status} {body}"
                );
            }
        }
    }
    app.stop().await;
}
