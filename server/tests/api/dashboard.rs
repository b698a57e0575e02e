//! The home page as a dashboard, rendered on the server with known data: a review waits for
//! the reviewer and not for its author, the author sees their draft and their failed change,
//! a viewer sees neither, and only administrators see the server's facts.

use lensgate_app::auth::Role;
use serde_json::json;

use crate::{
    api_v1::{PASSWORD, post, token_for},
    helpers::{TestApp, new_client, page_as, sign_in},
};

const LENS: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");

/// The home page as `username` sees it, without hydration markers.
async fn home_of(app: &TestApp, username: &str) -> String {
    let client = new_client();
    sign_in(&client, &app.url, username, PASSWORD).await;
    page_as(&client, app, "/").await
}

/// The text of the section `id` of a home page, from its heading to its end.
fn section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!(r#"data-testid="{id}""#))?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</section>").unwrap_or(rest.len())])
}

#[tokio::test(flavor = "multi_thread")]
async fn each_user_sees_what_waits_for_them() {
    let app = TestApp::start().await;
    let author = token_for(&app, "ana", Role::Author, Role::Author).await;
    token_for(&app, "rui", Role::Reviewer, Role::Reviewer).await;
    token_for(&app, "vic", Role::Viewer, Role::Viewer).await;

    let (_, imported) = post(&app, &author, "/api/v1/lenses", json!({ "lens": LENS })).await;
    let (_, submitted) = post(
        &app,
        &author,
        "/api/v1/reviews",
        json!({ "lens_arn": imported["lens_arn"], "note": "please" }),
    )
    .await;
    let review = submitted["review_id"].as_i64().unwrap();
    // The same name again: AWS refuses it, and the author should hear of it.
    let (refused, _) = post(&app, &author, "/api/v1/lenses", json!({ "lens": LENS })).await;
    assert_eq!(refused.as_u16(), 409);

    let reviewer_home = home_of(&app, "rui").await;
    let waiting = section(&reviewer_home, "waiting").expect("the reviewer's waiting list");
    assert!(
        waiting.contains(&format!(r#"href="/reviews/detail?id={review}""#)),
        "{waiting}"
    );
    assert!(waiting.contains("by ana, open, submitted"), "{waiting}");
    assert!(
        section(&reviewer_home, "status-panel").is_none(),
        "no server facts for a reviewer"
    );

    let author_home = home_of(&app, "ana").await;
    let drafts = section(&author_home, "drafts").expect("the author's drafts");
    assert!(
        drafts.contains(&format!("/reviews/detail?id={review}")),
        "{drafts}"
    );
    assert!(
        section(&author_home, "waiting").is_none(),
        "an author decides nothing"
    );
    let unfinished = section(&author_home, "unfinished").expect("the failed change");
    assert!(
        unfinished.contains("ImportLens failed</a>: "),
        "no empty \"on\" for a lens without an ARN yet: {unfinished}"
    );
    assert!(unfinished.contains(r#"data-outcome="failed""#));
    assert!(
        unfinished.contains(r#"<a href="/lenses/new" class="retry">Try again on its page</a>"#),
        "a failed new import leads back to the editor: {unfinished}"
    );
    assert!(
        author_home.contains("Audit history intact"),
        "the chain line"
    );

    let versions = section(&author_home, "versions").unwrap();
    assert!(versions.contains("Nothing published through lensgate yet."));
    let lenses = section(&author_home, "lenses").unwrap();
    assert!(lenses.contains("/lenses/detail?arn="), "{lenses}");

    let viewer_home = home_of(&app, "vic").await;
    assert!(section(&viewer_home, "waiting").is_none());
    assert!(section(&viewer_home, "drafts").is_none());
    assert!(section(&viewer_home, "unfinished").is_none());
    assert!(section(&viewer_home, "invitations").is_some());

    // What the page reads again once its script runs: the same panels, for the same user.
    let refresh = |client: reqwest::Client| {
        let url = app.at("/api/home");
        async move {
            client
                .post(url)
                .header("accept", "application/json")
                .send()
                .await
                .unwrap()
        }
    };
    let client = new_client();
    sign_in(&client, &app.url, "ana", PASSWORD).await;
    let answer = refresh(client).await;
    assert_eq!(answer.status().as_u16(), 200);
    let home: serde_json::Value = answer.json().await.unwrap();
    let panels = home["panels"]["Ok"].as_array().expect("the panels");
    let drafts = panels.iter().find(|p| p["id"] == "drafts").expect("drafts");
    assert_eq!(
        drafts["lines"][0]["href"],
        format!("/reviews/detail?id={review}")
    );
    assert!(home["about"].is_null(), "no server facts for an author");
    assert_eq!(
        refresh(new_client()).await.status().as_u16(),
        401,
        "nothing for someone signed out"
    );
    app.stop().await;
}
