use crate::helpers::TestApp;

#[tokio::test]
async fn status_server_function_reports_database_schema_and_backend() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .post(app.at("/api/status"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let status: serde_json::Value = response.json().await.unwrap();

    assert_eq!(status["backend"], "emulator");
    assert_eq!(status["server_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        status["database_path"],
        app.database_shown(),
        "the absolute path of the file in use"
    );
    let migrator = match app.location {
        lensgate::db::location::Location::File(_) => &lensgate::db::MIGRATOR,
        lensgate::db::location::Location::Postgres(_) => &lensgate_postgres::MIGRATOR,
    };
    let newest = migrator.iter().map(|m| m.version).max().unwrap();
    assert_eq!(status["schema_version"], newest);
    assert_eq!(status["instance_id"].as_str().unwrap().len(), 32);
    assert_eq!(
        status["audit_chain"], "intact: 2 events verified",
        "the first administrator's creation and this sign-in"
    );
    if let lensgate::db::location::Location::File(path) = &app.location {
        assert!(
            path.exists(),
            "the database file was created with its folder"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_installation_keeps_its_identity_across_restarts() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let read_instance = |app: &TestApp| {
        let request = app
            .client
            .post(app.at("/api/status"))
            .header("accept", "application/json")
            .send();
        async move {
            let status: serde_json::Value = request.await.unwrap().json().await.unwrap();
            status["instance_id"].as_str().unwrap().to_owned()
        }
    };
    let first = read_instance(&app).await;
    let again = app.db().await.instance().await.unwrap();
    assert_eq!(again.instance_id, first);
    app.stop().await;
}

#[tokio::test]
async fn a_form_post_without_javascript_returns_to_the_page() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let home = app.at("/");
    let response = app
        .client
        .post(app.at("/api/status"))
        .header("referer", &home)
        .header("accept", "text/html,application/xhtml+xml")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_redirection(),
        "got {}",
        response.status()
    );
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(
        location.trim_end_matches('?'),
        home,
        "back to the page that posted"
    );
    app.stop().await;
}
