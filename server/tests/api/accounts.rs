//! Sign-in, sessions and roles, through HTTP as a browser would use them.

use std::time::{Duration, Instant};

use lensgate::audit::Actor;
use lensgate_app::auth::Role;

use crate::helpers::{ADMIN_PASSWORD, TestApp, new_client, sign_in};

fn admin() -> Actor {
    Actor {
        name: "admin".into(),
        role: "admin".into(),
    }
}

async fn whoami(client: &reqwest::Client, app: &TestApp) -> serde_json::Value {
    client
        .post(app.at("/api/whoami"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn error_of(response: reqwest::Response) -> serde_json::Value {
    assert!(
        !response.status().is_success(),
        "expected a refusal, got {}",
        response.status()
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_anonymous_page_visit_goes_to_the_sign_in_page_and_back() {
    let app = TestApp::start().await;
    let response = app
        .client
        .get(app.at("/lenses?type=custom"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    assert_eq!(
        response.headers()["location"],
        "/login?next=/lenses%3Ftype%3Dcustom"
    );
    let login = app.client.get(app.at("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);

    let signed_in = app
        .client
        .post(app.at("/api/login"))
        .header("accept", "text/html")
        .header("referer", app.at("/login?next=/lenses"))
        .form(&[
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
            ("next", "/lenses"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        signed_in.status().is_redirection(),
        "{}",
        signed_in.status()
    );
    assert_eq!(signed_in.headers()["location"], "/lenses");
    assert_eq!(
        app.client
            .get(app.at("/lenses"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.stop().await;
}

#[tokio::test]
async fn a_failed_form_sign_in_comes_back_to_the_sign_in_page_saying_why() {
    let app = TestApp::start().await;
    let refused = app
        .client
        .post(app.at("/api/login"))
        .header("accept", "text/html")
        .header("referer", app.at("/login?next=/lenses"))
        .form(&[
            ("username", "admin"),
            ("password", "not the password"),
            ("next", "/lenses"),
        ])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_redirection(), "{}", refused.status());
    let back = refused.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back, "/login?next=/lenses&failed=credentials");
    let page = crate::helpers::without_markers(&app.get_text(&back).await);
    assert!(
        page.contains(r#"data-testid="login-error""#)
            && page.contains(">Wrong username or password.</p>"),
        "the page names the failure: {page}"
    );
    assert!(
        page.contains(r#"name="next" value="/lenses""#),
        "and still knows where the user was going"
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_get_the_same_answer_in_similar_time() {
    let app = TestApp::start().await;
    let time = |username: &'static str| {
        let client = new_client();
        let url = app.url.clone();
        async move {
            let started = Instant::now();
            let body = error_of(sign_in(&client, &url, username, "wrong password").await).await;
            (started.elapsed(), body)
        }
    };
    let (_, warm) = time("admin").await;
    let (known, known_body) = time("admin").await;
    let (unknown, unknown_body) = time("nobody-at-all").await;
    assert_eq!(
        known_body, unknown_body,
        "the answer does not say whether the user exists"
    );
    assert_eq!(known_body, warm);
    assert_eq!(known_body, serde_json::json!("InvalidCredentials"));
    let (slow, fast) = if known > unknown {
        (known, unknown)
    } else {
        (unknown, known)
    };
    assert!(
        slow.as_secs_f64() < fast.as_secs_f64() * 3.0 + 0.05,
        "known {known:?} vs unknown {unknown:?}: both verify a hash"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::start().await;
    let planted = "lensgate_session=planted-by-an-attacker";
    let response = app
        .client
        .post(app.at("/api/login"))
        .header("accept", "application/json")
        .header("cookie", planted)
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success() || response.status().is_redirection());
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("lensgate_session="), "{cookie}");
    assert!(!cookie.contains("planted-by-an-attacker"));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    app.stop().await;
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::start().await;
    let response = app.sign_in("admin", ADMIN_PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(whoami(&app.client, &app).await["username"], "admin");
    app.client
        .post(app.at("/api/logout"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let replay = reqwest::Client::new()
        .post(app.at("/api/whoami"))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replay.json::<serde_json::Value>().await.unwrap(),
        serde_json::Value::Null,
        "the old cookie is worthless"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_disabled_users_open_session_stops_at_once() {
    let app = TestApp::start().await;
    app.accounts
        .create_user(&admin(), "vera", "vera's long password", Role::Viewer)
        .await
        .unwrap();
    let vera = new_client();
    sign_in(&vera, &app.url, "vera", "vera's long password").await;
    assert_eq!(whoami(&vera, &app).await["role"], "viewer");
    assert_eq!(vera.get(app.at("/")).send().await.unwrap().status(), 200);

    app.accounts
        .set_disabled(&admin(), "vera", true)
        .await
        .unwrap();
    assert_eq!(whoami(&vera, &app).await, serde_json::Value::Null);
    assert!(
        vera.get(app.at("/"))
            .send()
            .await
            .unwrap()
            .status()
            .is_redirection()
    );
    let again = error_of(sign_in(&vera, &app.url, "vera", "vera's long password").await).await;
    assert_eq!(
        again,
        serde_json::json!("InvalidCredentials"),
        "a disabled user cannot sign in"
    );
    app.stop().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::start().await;
    for _ in 0..5 {
        let client = new_client();
        error_of(sign_in(&client, &app.url, "admin", "guess").await).await;
    }
    let refused = sign_in(&new_client(), &app.url, "admin", ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), 429);
    let locked = error_of(refused).await;
    let seconds = locked["TooManyAttempts"]["seconds"]
        .as_u64()
        .expect("a lockout with its wait");
    assert!((1..=30).contains(&seconds), "{locked}");

    let log = app.audit_log().await;
    assert!(matches!(
        log.verify().await.unwrap(),
        lensgate::audit::Verification::Intact { .. }
    ));
    let actions = app
        .texts("SELECT action FROM audit_events ORDER BY seq")
        .await;
    assert_eq!(actions.iter().filter(|a| *a == "SignInFailed").count(), 5);
    assert!(actions.contains(&"SignInLocked".to_owned()));
    assert!(actions.contains(&"SignInThrottled".to_owned()));
    app.stop().await;
}

/// The counts live in the database: stopping and starting the server does not lift a lockout.
#[tokio::test]
async fn a_lockout_outlasts_a_restart() {
    let app = TestApp::start().await;
    for _ in 0..5 {
        error_of(sign_in(&new_client(), &app.url, "admin", "guess").await).await;
    }
    let app = app.restart(&[]).await;
    let refused = sign_in(&new_client(), &app.url, "admin", ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), 429, "still locked after the restart");
    app.stop().await;
}

#[tokio::test]
async fn server_functions_check_the_role_on_the_server() {
    let app = TestApp::start().await;
    let anonymous = error_of(
        app.client
            .post(app.at("/api/status"))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(anonymous, serde_json::json!("Unauthenticated"));

    app.accounts
        .create_user(&admin(), "vic", "vic's long password", Role::Viewer)
        .await
        .unwrap();
    let vic = new_client();
    sign_in(&vic, &app.url, "vic", "vic's long password").await;
    let status = vic
        .post(app.at("/api/status"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), 200, "a viewer reads the status");
    app.stop().await;
}

#[test]
fn a_first_start_without_a_password_logs_a_generated_one_once() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lensgate"))
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("lensgate.db"))
        .env_remove("LENSGATE_ADMIN_PASSWORD")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut announcement = None;
    for line in lines.by_ref().map_while(Result::ok) {
        let done = line.contains("listening on") || Instant::now() > deadline;
        if line.contains("created the first administrator") {
            announcement = Some(line);
        }
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let announcement = announcement.expect("the first start announces the administrator");
    let password = announcement
        .split("with the password ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap();
    assert_eq!(password.len(), 24);
    assert!(announcement.contains("/login"));
}

#[tokio::test]
async fn a_trusted_proxy_names_the_user() {
    let app = TestApp::start_with_args(&[
        "--auth-header",
        "x-forwarded-user",
        "--trusted-proxy",
        "127.0.0.0/8",
    ])
    .await;
    let client = new_client();
    let who: serde_json::Value = client
        .post(app.at("/api/whoami"))
        .header("accept", "application/json")
        .header("x-forwarded-user", "pat@example.com")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        who,
        serde_json::json!({ "username": "pat@example.com", "role": "viewer" }),
        "an unknown identity gets the default role"
    );
    let page = client
        .get(app.at("/lenses"))
        .header("x-forwarded-user", "admin")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "no sign-in page behind the proxy");
    app.stop().await;
}

#[tokio::test]
async fn the_identity_header_from_an_untrusted_address_is_ignored() {
    let app = TestApp::start_with_args(&[
        "--auth-header",
        "x-forwarded-user",
        "--trusted-proxy",
        "10.0.0.0/8",
    ])
    .await;
    let who = whoami_with_header(&app).await;
    assert_eq!(who, serde_json::Value::Null);
    app.stop().await;
}

async fn whoami_with_header(app: &TestApp) -> serde_json::Value {
    new_client()
        .post(app.at("/api/whoami"))
        .header("accept", "application/json")
        .header("x-forwarded-user", "admin")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
