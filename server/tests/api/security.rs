//! Headers on every response, and cross-site writes refused while same-origin form posts work.

use crate::helpers::TestApp;

#[tokio::test]
async fn pages_carry_a_nonce_based_content_security_policy() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app.client.get(app.at("/")).send().await.unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce in the policy");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the same nonce"
    );
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["x-frame-options"], "DENY");

    let second = app.client.get(app.at("/")).send().await.unwrap();
    assert_ne!(
        second.headers()["content-security-policy"],
        headers["content-security-policy"],
        "a new nonce per page"
    );
    app.stop().await;
}

#[tokio::test]
async fn other_responses_get_a_policy_that_allows_nothing() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app.client.get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(
        response.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

#[tokio::test]
async fn a_cross_site_post_is_refused() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(app.at("/api/status"))
            .header(header, value)
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("lensgate's own pages")
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_same_origin_form_post_without_javascript_works() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .post(app.at("/api/status"))
        .header("origin", app.url.as_str())
        .header("sec-fetch-site", "same-origin")
        .header("referer", app.at("/"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_request_body_is_refused_before_it_is_read() {
    let app = TestApp::start().await;
    let response = app
        .client
        .post(app.at("/api/login"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username=admin&password={}",
            "x".repeat(100 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    app.stop().await;
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let app = TestApp::start_with_args(&["--public-url", "https://lensgate.example.com"]).await;
    let response = app.sign_in("admin", crate::helpers::ADMIN_PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    app.stop().await;
}
