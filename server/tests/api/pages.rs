use crate::helpers::{TestApp, without_markers};

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_the_status() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app.client.get(app.at("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = without_markers(&response.text().await.unwrap());
    for label in ["Lenses", "Reviews", "Workloads", "Grants", "Audit", "Admin"] {
        assert!(
            html.contains(&format!(">{label}</a>")),
            "navigation link {label}"
        );
    }
    assert!(
        html.contains(r#"data-testid="backend">emulator<"#),
        "status rendered without JavaScript"
    );
    let database = app.database_shown();
    assert!(html.contains(&format!(
        r#"<dd data-testid="database-path"><code>{database}</code></dd>"#
    )));
    assert!(
        !html.contains("/api/status"),
        "the status travels inside the page: the browser does not ask for it again"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_section_has_a_page() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    for (path, title) in [
        ("/lenses", "Lenses"),
        ("/reviews", "Reviews"),
        ("/workloads", "Workloads"),
        ("/grants", "Grants"),
        ("/audit", "Audit"),
        ("/admin", "Admin"),
    ] {
        let response = app.client.get(app.at(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("<title>{title} · lensgate</title>")),
            "{path} title"
        );
        assert!(
            html.contains(r#"aria-current="page""#),
            "{path} marks its nav link"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_path_gets_the_not_found_page_with_status_404() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .get(app.at("/lenses/nope/deeper"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = without_markers(&response.text().await.unwrap());
    assert!(html.contains("Page not found"));
    assert!(html.contains("<code>/lenses/nope/deeper</code>"));
    app.stop().await;
}

#[tokio::test]
async fn a_hostile_path_is_shown_as_text() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .get(app.at("/%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"), "the path is escaped");
    app.stop().await;
}
