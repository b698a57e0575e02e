//! Roles against every protected server function, and user administration.

use lensgate::audit::Actor;
use lensgate_app::auth::Role;

use crate::helpers::{TestApp, field_error, new_client, sign_in};

const PASSWORD: &str = "a long enough password";

/// A server function's address, a form it accepts, and the least role allowed to call it.
type Protected<'a> = (&'a str, &'a [(&'a str, &'a str)], Role);

async fn call(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.at(endpoint))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

async fn client_for(app: &TestApp, role: Option<Role>) -> reqwest::Client {
    let client = new_client();
    if let Some(role) = role {
        let name = format!("user-{role}");
        let by = Actor {
            name: "test".into(),
            role: "admin".into(),
        };
        app.accounts
            .create_user(&by, &name, PASSWORD, role)
            .await
            .unwrap();
        sign_in(&client, &app.url, &name, PASSWORD).await;
    }
    client
}

#[tokio::test]
async fn each_role_against_each_protected_server_function() {
    let app = TestApp::start().await;
    // (endpoint, form, the least role allowed)
    let functions: [Protected; 27] = [
        ("/api/audit", &[("query[actor]", "")], Role::Viewer),
        ("/api/audit/event", &[("seq", "1")], Role::Viewer),
        ("/api/audit/chain", &[], Role::Viewer),
        ("/api/audit/newest", &[], Role::Viewer),
        ("/api/workloads", &[("search", "")], Role::Viewer),
        ("/api/workloads/detail", &[("id", "x")], Role::Viewer),
        (
            "/api/workloads/create",
            &[
                ("workload[name]", "x"),
                ("workload[description]", "x"),
                ("workload[environment]", "x"),
                ("workload[regions]", "x"),
                ("workload[review_owner]", ""),
            ],
            Role::Admin,
        ),
        (
            "/api/workloads/share",
            &[
                ("workload_id", "x"),
                ("principal", "x"),
                ("permission", "x"),
            ],
            Role::Author,
        ),
        (
            "/api/workloads/permission",
            &[("workload_id", "x"), ("share_id", "x"), ("permission", "x")],
            Role::Author,
        ),
        (
            "/api/workloads/unshare",
            &[("workload_id", "x"), ("share_id", "x")],
            Role::Author,
        ),
        ("/api/invitations", &[], Role::Viewer),
        (
            "/api/invitations/answer",
            &[("id", "x"), ("answer", "ACCEPT")],
            Role::Author,
        ),
        (
            "/api/grants",
            &[
                ("filter[direction]", ""),
                ("filter[status]", ""),
                ("filter[license]", ""),
            ],
            Role::Viewer,
        ),
        ("/api/grants/detail", &[("arn", "x")], Role::Viewer),
        (
            "/api/grants/version",
            &[
                ("version[grant_arn]", "x"),
                ("version[name]", "x"),
                ("version[status]", ""),
                ("version[status_reason]", ""),
                ("version[source_version]", "1"),
            ],
            Role::Author,
        ),
        (
            "/api/lenses/share",
            &[("lens_arn", "not an arn"), ("principals", "444455556666")],
            Role::Author,
        ),
        (
            "/api/lenses/unshare",
            &[("lens_arn", "not an arn"), ("share_id", "x")],
            Role::Author,
        ),
        ("/api/status", &[], Role::Viewer),
        ("/api/lenses", &[], Role::Viewer),
        ("/api/lenses/detail", &[("arn", "not an arn")], Role::Viewer),
        (
            "/api/lenses/import",
            &[
                ("request[json]", "{}"),
                ("request[lens_arn]", ""),
                ("request[tags]", ""),
            ],
            Role::Author,
        ),
        (
            "/api/account/password",
            &[("current", "x"), ("new", "y")],
            Role::Viewer,
        ),
        ("/api/users", &[], Role::Admin),
        (
            "/api/users/create",
            &[
                ("username", "created"),
                ("password", "short"),
                ("role", "viewer"),
            ],
            Role::Admin,
        ),
        (
            "/api/users/role",
            &[("username", "nobody"), ("role", "viewer")],
            Role::Admin,
        ),
        (
            "/api/users/disabled",
            &[("username", "nobody"), ("disabled", "true")],
            Role::Admin,
        ),
        (
            "/api/users/password",
            &[("username", "nobody"), ("password", "short")],
            Role::Admin,
        ),
    ];
    let mut callers = vec![(None, client_for(&app, None).await)];
    for role in Role::ALL {
        callers.push((Some(role), client_for(&app, Some(role)).await));
    }
    for (role, client) in &callers {
        for (endpoint, form, needed) in &functions {
            let (status, body) = call(client, &app, endpoint, form).await;
            let refused =
                body == serde_json::json!("Unauthenticated") || body.get("Forbidden").is_some();
            let allowed = role.is_some_and(|r| r >= *needed);
            assert_eq!(!refused, allowed, "{role:?} calling {endpoint}: {body}");
            if role.is_none() {
                assert_eq!(body, serde_json::json!("Unauthenticated"), "{endpoint}");
                assert_eq!(status, 401, "{endpoint}");
            } else if refused {
                assert_eq!(status, 403, "{role:?} calling {endpoint}");
            }
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_last_administrator_can_be_neither_demoted_nor_disabled() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    for (endpoint, form) in [
        (
            "/api/users/role",
            [("username", "admin"), ("role", "reviewer")],
        ),
        (
            "/api/users/disabled",
            [("username", "admin"), ("disabled", "true")],
        ),
    ] {
        let (status, body) = call(&app.client, &app, endpoint, &form).await;
        assert_eq!(
            status, 422,
            "{endpoint}: a refusal the user can act on: {body}"
        );
        assert!(
            body["Invalid"]
                .as_str()
                .unwrap()
                .contains("last enabled administrator"),
            "{body}"
        );
    }
    let (_, created) = call(
        &app.client,
        &app,
        "/api/users/create",
        &[
            ("username", "second"),
            ("password", PASSWORD),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(created, serde_json::Value::Null, "created: {created}");
    let (_, demoted) = call(
        &app.client,
        &app,
        "/api/users/role",
        &[("username", "admin"), ("role", "reviewer")],
    )
    .await;
    assert_eq!(
        demoted,
        serde_json::Value::Null,
        "with another administrator, the first can step down"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_password_reset_ends_the_users_sessions_and_the_new_one_works() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    call(
        &app.client,
        &app,
        "/api/users/create",
        &[
            ("username", "rita"),
            ("password", PASSWORD),
            ("role", "reviewer"),
        ],
    )
    .await;
    let rita = new_client();
    sign_in(&rita, &app.url, "rita", PASSWORD).await;
    assert_eq!(
        call(&rita, &app, "/api/whoami", &[]).await.1["role"],
        "reviewer"
    );

    let (_, reset) = call(
        &app.client,
        &app,
        "/api/users/password",
        &[("username", "rita"), ("password", "a brand new password")],
    )
    .await;
    assert_eq!(reset, serde_json::Value::Null);
    assert_eq!(
        call(&rita, &app, "/api/whoami", &[]).await.1,
        serde_json::Value::Null,
        "her open session ended"
    );
    let again = sign_in(&new_client(), &app.url, "rita", "a brand new password").await;
    assert!(again.status().is_success() || again.status().is_redirection());
    app.stop().await;
}

#[tokio::test]
async fn users_change_their_own_password_knowing_the_current_one() {
    let app = TestApp::start().await;
    let client = client_for(&app, Some(Role::Author)).await;
    let (_, wrong) = call(
        &client,
        &app,
        "/api/account/password",
        &[("current", "not it"), ("new", "the next long password")],
    )
    .await;
    assert_eq!(
        field_error(&wrong, "current"),
        "The current password is not right."
    );
    let (_, short) = call(
        &client,
        &app,
        "/api/account/password",
        &[("current", PASSWORD), ("new", "short")],
    )
    .await;
    assert!(field_error(&short, "new").contains("at least 12"));
    let (_, done) = call(
        &client,
        &app,
        "/api/account/password",
        &[("current", PASSWORD), ("new", "the next long password")],
    )
    .await;
    assert_eq!(done, serde_json::Value::Null);
    let old = call(
        &new_client(),
        &app,
        "/api/login",
        &[("username", "user-author"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(old.1, serde_json::json!("InvalidCredentials"));
    app.stop().await;
}

#[tokio::test]
async fn a_hostile_username_is_stored_as_given_and_shown_as_text() {
    let app = TestApp::start().await;
    app.sign_in_as_admin().await;
    let hostile = r#"<script>alert(1)</script>"><img src=x onerror=alert(2)>"#;
    let (_, created) = call(
        &app.client,
        &app,
        "/api/users/create",
        &[
            ("username", hostile),
            ("password", PASSWORD),
            ("role", "viewer"),
        ],
    )
    .await;
    assert_eq!(created, serde_json::Value::Null);
    let html = app
        .client
        .get(app.at("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"), "the name is escaped");
    assert!(!html.contains("<img src=x"), "the name is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    app.stop().await;
}

/// Two administrators demoting each other at the same moment: one succeeds, the other is
/// refused, and an enabled administrator always remains.
#[tokio::test(flavor = "multi_thread")]
async fn two_admins_demoting_each_other_leave_one() {
    use lensgate_app::services::UserAdmin;
    let app = TestApp::start().await;
    let by = lensgate::audit::Actor {
        name: "test".into(),
        role: "admin".into(),
    };
    for name in ["ada", "bob"] {
        app.accounts
            .create_user(&by, name, PASSWORD, Role::Admin)
            .await
            .unwrap();
    }
    // The first administrator, made at start-up, steps aside so two remain.
    UserAdmin::set_role(
        &*app.accounts,
        admin_user("ada"),
        "admin".into(),
        Role::Viewer,
    )
    .await
    .unwrap();
    for round in 0..20 {
        let (a, b) = tokio::join!(
            UserAdmin::set_role(
                &*app.accounts,
                admin_user("ada"),
                "bob".into(),
                Role::Author
            ),
            UserAdmin::set_role(
                &*app.accounts,
                admin_user("bob"),
                "ada".into(),
                Role::Author
            )
        );
        assert!(
            a.is_ok() != b.is_ok(),
            "round {round}: exactly one wins: {a:?} {b:?}"
        );
        let admins: Vec<_> = UserAdmin::list(&*app.accounts)
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.role == Role::Admin && !u.disabled)
            .collect();
        assert_eq!(admins.len(), 1, "round {round}: {admins:?}");
        let demoted = if a.is_ok() { "bob" } else { "ada" };
        UserAdmin::set_role(&*app.accounts, admin_user("x"), demoted.into(), Role::Admin)
            .await
            .unwrap();
    }
    app.stop().await;
}

fn admin_user(name: &str) -> lensgate_app::auth::CurrentUser {
    lensgate_app::auth::CurrentUser {
        username: name.to_owned(),
        role: Role::Admin,
        token: None,
    }
}
