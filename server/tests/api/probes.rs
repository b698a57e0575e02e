use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_answers_ok_with_a_request_id() {
    let app = TestApp::start().await;
    let response = app.client.get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let request_id = response
        .headers()
        .get("x-request-id")
        .expect("a request id");
    assert_eq!(request_id.len(), 36, "a UUID");
    assert_eq!(response.text().await.unwrap(), "ok");
    app.stop().await;
}

#[tokio::test]
async fn a_request_id_sent_by_the_caller_is_kept() {
    let app = TestApp::start().await;
    let response = app
        .client
        .get(app.at("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-42");
    app.stop().await;
}

#[tokio::test]
async fn readyz_reports_the_database_check() {
    let app = TestApp::start().await;
    let response = app.client.get(app.at("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["ready"], true);
    assert_eq!(body["checks"]["database"], "ok");
    app.stop().await;
}
