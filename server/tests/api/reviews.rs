//! Reviews and publishing, through direct server-function calls: the four-eyes rule, only an
//! approved and unchanged draft published, unique version names, AWS's 100-version quota, the
//! configurable number of approvals, and every step in the audit history.

use lensgate::{audit::Actor, gateway::Change};
use lensgate_app::{auth::Role, ids::LensArn};
use serde_json::Value;

use crate::helpers::{TestApp, new_client, page_as, sign_in, without_markers};

const PASSWORD: &str = "a long enough password";
const LENS: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");

pub(crate) struct User {
    client: reqwest::Client,
}

impl User {
    async fn new(app: &TestApp, name: &str, role: Role) -> Self {
        app.add_user(name, PASSWORD, role).await;
        let client = new_client();
        sign_in(&client, &app.url, name, PASSWORD).await;
        User { client }
    }

    async fn call(
        &self,
        app: &TestApp,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<Value, Value> {
        let response = self
            .client
            .post(app.at(endpoint))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap();
        let ok = response.status().is_success();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if ok { Ok(body) } else { Err(body) }
    }

    async fn import(&self, app: &TestApp, json: &str, lens_arn: &str) -> String {
        let imported = self
            .call(
                app,
                "/api/lenses/import",
                &[
                    ("request[json]", json),
                    ("request[lens_arn]", lens_arn),
                    ("request[tags]", ""),
                ],
            )
            .await
            .expect("the import succeeds");
        imported["lens_arn"].as_str().unwrap().to_owned()
    }

    async fn submit(&self, app: &TestApp, arn: &str) -> Result<i64, Value> {
        self.call(
            app,
            "/api/reviews/submit",
            &[("lens_arn", arn), ("note", "please review")],
        )
        .await
        .map(|id| id.as_i64().unwrap())
    }

    pub(crate) async fn decide(
        &self,
        app: &TestApp,
        review: i64,
        decision: &str,
    ) -> Result<Value, Value> {
        self.call(
            app,
            "/api/reviews/decide",
            &[
                ("review_id", &review.to_string()),
                ("decision", decision),
                ("comment", "looked at it"),
            ],
        )
        .await
    }

    async fn publish(
        &self,
        app: &TestApp,
        review: i64,
        name: &str,
        kind: &str,
    ) -> Result<Value, Value> {
        self.call(
            app,
            "/api/reviews/publish",
            &[
                ("review_id", &review.to_string()),
                ("version_name", name),
                ("kind", kind),
            ],
        )
        .await
    }

    async fn review(&self, app: &TestApp, review: i64) -> Value {
        self.call(app, "/api/reviews/detail", &[("id", &review.to_string())])
            .await
            .unwrap()
    }
}

/// ana's draft of [`LENS`], submitted for review, and rui, a reviewer, to decide on it.
pub(crate) struct Submitted {
    pub(crate) author: User,
    pub(crate) reviewer: User,
    pub(crate) arn: String,
    pub(crate) review: i64,
}

pub(crate) async fn submitted(app: &TestApp, author_role: Role) -> Submitted {
    let author = User::new(app, "ana", author_role).await;
    let reviewer = User::new(app, "rui", Role::Reviewer).await;
    let arn = author.import(app, LENS, "").await;
    let review = author.submit(app, &arn).await.unwrap();
    Submitted {
        author,
        reviewer,
        arn,
        review,
    }
}

fn refusal(body: &Value) -> String {
    body["Invalid"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_path_and_every_refusal_on_the_way() {
    let app = TestApp::start().await;
    // The author is a reviewer too, to show the four-eyes rule is not about roles.
    let Submitted {
        author,
        reviewer,
        arn,
        review,
    } = submitted(&app, Role::Reviewer).await;
    assert!(
        refusal(&author.submit(&app, &arn).await.unwrap_err()).contains("already under review")
    );

    // Four eyes: the author is a reviewer too, and still cannot approve their own draft.
    let own = author.decide(&app, review, "approve").await.unwrap_err();
    assert!(refusal(&own).contains("four-eyes"), "{own}");
    let early = reviewer
        .publish(&app, review, "1.0", "major")
        .await
        .unwrap_err();
    assert!(refusal(&early).contains("not approved yet"), "{early}");

    reviewer.decide(&app, review, "approve").await.unwrap();
    let detail = reviewer.review(&app, review).await;
    assert_eq!(detail["review"]["state"], "Approved");
    assert_eq!(detail["approvals"], 1);
    assert_eq!(detail["can_publish"], true);
    assert_eq!(
        detail["diff"]["lines_removed"], 0,
        "a first version adds everything"
    );

    for bad in ["", "a name longer than thirty-two characters"] {
        let refused = reviewer
            .publish(&app, review, bad, "major")
            .await
            .unwrap_err();
        assert!(
            refusal(&refused).contains("1 to 32 characters"),
            "{refused}"
        );
    }
    assert_eq!(
        reviewer
            .publish(&app, review, "1.0", "major")
            .await
            .unwrap(),
        "1.0"
    );
    let again = reviewer
        .publish(&app, review, "1.1", "minor")
        .await
        .unwrap_err();
    assert!(refusal(&again).contains("already published"), "{again}");

    // A second draft: the same version name is refused before AWS is called.
    let second = author
        .import(
            &app,
            &LENS.replace("How do you deploy changes?", "How do you ship changes?"),
            &arn,
        )
        .await;
    assert_eq!(second, arn);
    let review2 = author.submit(&app, &arn).await.unwrap();
    let detail = reviewer.review(&app, review2).await;
    assert_eq!(detail["base_version"], "1.0");
    let title = detail["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "title")
        .expect("the title change");
    assert!(
        title["after"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["marked"] == true && w["text"] == "ship"),
        "{title}"
    );
    reviewer.decide(&app, review2, "approve").await.unwrap();
    let duplicate = reviewer
        .publish(&app, review2, "1.0", "minor")
        .await
        .unwrap_err();
    assert!(
        refusal(&duplicate).contains("already has a version “1.0”"),
        "{duplicate}"
    );
    assert_eq!(
        reviewer
            .publish(&app, review2, "1.1", "minor")
            .await
            .unwrap(),
        "1.1"
    );

    // Published reviews keep what they changed: the first against nothing, the second
    // against 1.0, never against the version they became.
    let first = reviewer.review(&app, review).await;
    assert_eq!(first["base_version"], Value::Null);
    assert_eq!(first["revision"]["number"], 1);
    assert!(
        first["diff"]["lines_added"].as_u64().unwrap() > 50,
        "{}",
        first["diff"]["lines_added"]
    );
    // The reviewer reads the lens itself, not only what changed.
    assert_eq!(
        first["lens"]["pillars"][0]["questions"][0]["choices"][0]["title"],
        "Every change goes through a pipeline"
    );
    let published = reviewer.review(&app, review2).await;
    assert_eq!(published["review"]["state"], "Published");
    assert_eq!(published["base_version"], "1.0");
    assert_eq!(published["revision"]["number"], 2, "numbered per lens");
    assert_eq!(published["diff"]["lines_added"], 1);
    assert_eq!(published["diff"]["lines_removed"], 1);

    let versions = author
        .call(&app, "/api/lenses/versions", &[("lens_arn", &arn)])
        .await
        .unwrap();
    assert_eq!(
        versions["draft"],
        Value::Null,
        "the newest import is published: no open draft"
    );
    let history: Vec<_> = versions["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap(),
                v["is_major"].as_bool().unwrap(),
                v["approvers"][0].as_str().unwrap(),
                v["publisher"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [("1.1", false, "rui", "rui"), ("1.0", true, "rui", "rui")]
    );

    let log = app.audit_log().await;
    let actions: Vec<String> = log
        .for_target(&arn, 100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter(|e| e.phase != "requested")
        .map(|e| format!("{} {}", e.action, e.actor))
        .collect();
    assert_eq!(
        actions,
        [
            "ImportLens ana",
            "SubmitForReview ana",
            "ApproveDraft rui",
            "CreateLensVersion rui",
            "ImportLens ana",
            "SubmitForReview ana",
            "ApproveDraft rui",
            "CreateLensVersion rui",
        ]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_that_changed_after_approval_is_not_published() {
    let app = TestApp::start().await;
    let author = User::new(&app, "ana", Role::Author).await;
    let reviewer = User::new(&app, "rui", Role::Reviewer).await;

    // Changed through lensgate: the new import supersedes the review and voids its approval.
    let arn = author.import(&app, LENS, "").await;
    let review = author.submit(&app, &arn).await.unwrap();
    reviewer.decide(&app, review, "approve").await.unwrap();
    author
        .import(
            &app,
            &LENS.replace("Security", "Security and privacy"),
            &arn,
        )
        .await;
    let refused = reviewer
        .publish(&app, review, "1.0", "major")
        .await
        .unwrap_err();
    assert!(refusal(&refused).contains("superseded"), "{refused}");
    let detail = reviewer.review(&app, review).await;
    assert_eq!(detail["review"]["state"], "Superseded");
    assert!(
        detail["closed_reason"]
            .as_str()
            .unwrap()
            .contains("approvals no longer count")
    );
    assert!(
        refusal(&reviewer.decide(&app, review, "approve").await.unwrap_err()).contains("closed")
    );

    // Changed in AWS, outside lensgate: AWS dates the draft after lensgate's record of it.
    let review = author.submit(&app, &arn).await.unwrap();
    reviewer.decide(&app, review, "approve").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let outside = Actor {
        name: "someone-else".into(),
        role: "author".into(),
    };
    app.gateway
        .apply(
            &outside,
            Change::ImportLens {
                lens_alias: Some(LensArn::parse(&arn).unwrap()),
                json_string: LENS.replace("Security", "Changed elsewhere"),
                tags: Default::default(),
            },
        )
        .await
        .unwrap();
    let refused = reviewer
        .publish(&app, review, "1.0", "major")
        .await
        .unwrap_err();
    assert!(
        refusal(&refused).contains("changed in AWS after it was approved"),
        "{refused}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_approvals_when_configured_and_a_request_for_changes_holds_the_draft() {
    let app = TestApp::start_with_args(&["--approvals-required", "2"]).await;
    let author = User::new(&app, "ana", Role::Author).await;
    let first = User::new(&app, "rui", Role::Reviewer).await;
    let second = User::new(&app, "eva", Role::Reviewer).await;
    let arn = author.import(&app, LENS, "").await;
    let review = author.submit(&app, &arn).await.unwrap();
    first.decide(&app, review, "approve").await.unwrap();
    assert_eq!(first.review(&app, review).await["review"]["state"], "Open");
    assert!(
        refusal(
            &first
                .publish(&app, review, "1.0", "major")
                .await
                .unwrap_err()
        )
        .contains("not approved yet")
    );
    second
        .decide(&app, review, "request_changes")
        .await
        .unwrap();
    assert_eq!(
        first.review(&app, review).await["review"]["state"],
        "ChangesRequested"
    );
    let no_comment = second
        .call(
            &app,
            "/api/reviews/decide",
            &[
                ("review_id", &review.to_string()),
                ("decision", "request_changes"),
                ("comment", " "),
            ],
        )
        .await
        .unwrap_err();
    assert!(refusal(&no_comment).contains("needs a comment"));
    second.decide(&app, review, "approve").await.unwrap();
    let detail = first.review(&app, review).await;
    assert_eq!(detail["review"]["state"], "Approved");
    assert_eq!(detail["approvals"], 2);
    assert_eq!(detail["approvals_required"], 2);
    let authored = author
        .publish(&app, review, "1.0", "major")
        .await
        .unwrap_err();
    assert_eq!(
        authored["Forbidden"]["needed"], "reviewer",
        "authors cannot publish"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hundred_version_quota_is_refused_clearly() {
    let app = TestApp::start().await;
    let author = User::new(&app, "ana", Role::Author).await;
    let reviewer = User::new(&app, "rui", Role::Reviewer).await;
    let arn = author.import(&app, LENS, "").await;
    let outside = Actor {
        name: "someone-else".into(),
        role: "author".into(),
    };
    // Published outside lensgate: each version consumes the draft, so each needs an import.
    for n in 0..100 {
        if n > 0 {
            app.gateway
                .apply(
                    &outside,
                    Change::ImportLens {
                        lens_alias: Some(LensArn::parse(&arn).unwrap()),
                        json_string: LENS.to_owned(),
                        tags: Default::default(),
                    },
                )
                .await
                .unwrap();
        }
        app.gateway
            .apply(
                &outside,
                Change::CreateLensVersion {
                    lens_alias: LensArn::parse(&arn).unwrap(),
                    lens_version: format!("0.{n}"),
                    is_major_version: false,
                },
            )
            .await
            .unwrap();
    }
    author.import(&app, LENS, &arn).await;
    let review = author.submit(&app, &arn).await.unwrap();
    reviewer.decide(&app, review, "approve").await.unwrap();
    let refused = reviewer
        .publish(&app, review, "1.0", "major")
        .await
        .unwrap_err();
    assert_eq!(
        refused["Aws"]["code"], "ServiceQuotaExceededException",
        "{refused}"
    );
    assert!(
        refused["Aws"]["message"]
            .as_str()
            .unwrap()
            .contains("100 versions"),
        "{refused}"
    );
    let versions = author
        .call(&app, "/api/lenses/versions", &[("lens_arn", &arn)])
        .await
        .unwrap();
    let found = &versions["versions"][0];
    assert_eq!(found["name"], "0.99");
    assert_eq!(
        found["through_lensgate"], false,
        "versions published elsewhere appear as such"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_author_follows_their_own_submissions_and_a_reviewer_sees_all() {
    let app = TestApp::start().await;
    let ana = User::new(&app, "ana", Role::Author).await;
    let bea = User::new(&app, "bea", Role::Author).await;
    let rui = User::new(&app, "rui", Role::Reviewer).await;
    let viewer = User::new(&app, "vic", Role::Viewer).await;
    let mine = ana.import(&app, LENS, "").await;
    let theirs = bea
        .import(
            &app,
            &LENS.replace("Serverless API review", "Bea's lens"),
            "",
        )
        .await;
    ana.submit(&app, &mine).await.unwrap();
    bea.submit(&app, &theirs).await.unwrap();

    let authors_of = |rows: Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["author"].as_str().unwrap().to_owned())
            .collect()
    };
    let listed = ana.call(&app, "/api/reviews", &[]).await.unwrap();
    assert_eq!(authors_of(listed), ["ana"]);
    let listed = rui.call(&app, "/api/reviews", &[]).await.unwrap();
    assert_eq!(authors_of(listed), ["ana", "bea"]);
    let refused = viewer.call(&app, "/api/reviews", &[]).await.unwrap_err();
    assert_eq!(refused["Forbidden"]["needed"], "author");
    app.stop().await;
}

/// A browser without JavaScript posts the form and is sent back to its page with the outcome in
/// the address, which the page turns into its sentence; the address keeps nothing of an earlier
/// outcome or of the confirmation the form answered.
#[tokio::test(flavor = "multi_thread")]
async fn a_form_posted_without_javascript_returns_to_its_page_with_the_outcome() {
    let app = TestApp::start().await;
    let ana = User::new(&app, "ana", Role::Author).await;
    let arn = ana.import(&app, LENS, "").await;
    let page = format!("{}/lenses/detail?arn={arn}&done=revoked&revoke=x", app.url);
    let client = new_client();
    sign_in(&client, &app.url, "ana", PASSWORD).await;
    let response = client
        .post(app.at("/api/reviews/submit"))
        .header("accept", "text/html")
        .header("referer", &page)
        .form(&[("lens_arn", arn.as_str()), ("note", "from a plain form")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let review: i64 = location
        .rsplit_once("review=")
        .and_then(|(_, id)| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    assert_eq!(
        location,
        format!("/lenses/detail?arn={arn}&done=submitted&review={review}")
    );
    let body = without_markers(
        &client
            .get(app.at(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        body.contains(&format!(
            "Submitted for review. <a href=\"/reviews/detail?id={review}\">Open review {review}</a>"
        )),
        "the page says what the form did"
    );

    // Only the referrer's path is kept: the redirect stays on this site.
    let rui = new_client();
    User::new(&app, "rui", Role::Reviewer).await;
    sign_in(&rui, &app.url, "rui", PASSWORD).await;
    let response = rui
        .post(app.at("/api/reviews/decide"))
        .header("accept", "text/html")
        .header("referer", "https://elsewhere.example/phish?x=1")
        .form(&[
            ("review_id", review.to_string().as_str()),
            ("decision", "approve"),
            ("comment", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        "/phish?x=1&done=decided"
    );
    app.stop().await;
}

/// Two reviewers approving at the same moment both count: each decision, the state it leads to
/// and its audit event commit together, one after the other.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_approvals_both_count() {
    let app = TestApp::start_with_args(&["--approvals-required", "2"]).await;
    let author = User::new(&app, "ana", Role::Author).await;
    let first = User::new(&app, "rui", Role::Reviewer).await;
    let second = User::new(&app, "eva", Role::Reviewer).await;
    for round in 0..10 {
        let name = format!("Raced lens {round}");
        let arn = author
            .import(&app, &LENS.replace("Serverless API review", &name), "")
            .await;
        let review = author.submit(&app, &arn).await.unwrap();
        let (a, b) = tokio::join!(
            first.decide(&app, review, "approve"),
            second.decide(&app, review, "approve")
        );
        a.unwrap();
        b.unwrap();
        let detail = first.review(&app, review).await;
        assert_eq!(
            detail["review"]["state"], "Approved",
            "round {round}: {detail}"
        );
        assert_eq!(detail["approvals"], 2, "round {round}");
    }
    app.stop().await;
}

/// The number beside "Reviews" in the header of `user`'s pages, if any.
async fn waiting_badge(app: &TestApp, user: &User) -> Option<String> {
    let html = page_as(&user.client, app, "/lenses").await;
    let start = html.find(r#"data-testid="waiting""#)?;
    let number = html[start..].split_once('>')?.1.split_once('<')?.0;
    Some(number.to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_header_counts_the_reviews_a_reviewer_can_still_decide() {
    let app = TestApp::start().await;
    let author = User::new(&app, "ana", Role::Reviewer).await;
    let reviewer = User::new(&app, "rui", Role::Reviewer).await;
    assert_eq!(waiting_badge(&app, &reviewer).await, None);

    let arn = author.import(&app, LENS, "").await;
    let review = author.submit(&app, &arn).await.unwrap();
    assert_eq!(waiting_badge(&app, &reviewer).await.as_deref(), Some("1"));
    assert_eq!(
        waiting_badge(&app, &author).await,
        None,
        "nobody decides their own draft"
    );

    reviewer.decide(&app, review, "approve").await.unwrap();
    assert_eq!(waiting_badge(&app, &reviewer).await, None, "decided");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_version_lists_what_it_adds_without_repeating_each_name() {
    let app = TestApp::start().await;
    let Submitted {
        reviewer, review, ..
    } = submitted(&app, Role::Author).await;
    let page = page_as(
        &reviewer.client,
        &app,
        &format!("/reviews/detail?id={review}"),
    )
    .await;
    assert!(
        page.contains(
            r#"<li class="change added"><span class="tag">Added</span> Pillar “Security”</li>"#
        ),
        "{page}"
    );
    assert!(
        !page.contains(r#"class="after""#),
        "an added pillar or question is named once, not again as After"
    );
    app.stop().await;
}

/// A reviewer comments on a question and on one of its choices; the author sees both beside
/// the question and resolves them; nobody else may resolve, places the draft lacks and empty
/// comments are refused with nothing written, and each step is in the audit history.
#[tokio::test(flavor = "multi_thread")]
async fn comments_on_a_question_go_from_reviewer_to_author_and_are_resolved() {
    let app = TestApp::start().await;
    let Submitted {
        author,
        reviewer,
        arn,
        review,
    } = submitted(&app, Role::Author).await;
    let id = review.to_string();
    let comment = |place: &'static str, body: &'static str| {
        let id = id.clone();
        let reviewer = &reviewer;
        let app = &app;
        async move {
            reviewer
                .call(
                    app,
                    "/api/reviews/comment",
                    &[("review_id", &id), ("place", place), ("body", body)],
                )
                .await
        }
    };

    comment(
        "sec/sec_secrets",
        "Say which secrets store counts as managed.",
    )
    .await
    .unwrap();
    comment(
        "sec/sec_secrets/sec_secrets_rotated",
        "<b>Rotated</b> how often?",
    )
    .await
    .unwrap();
    let refused = comment("sec/no_such_question", "Where is this?")
        .await
        .unwrap_err();
    assert!(
        refusal(&refused).contains("no question or choice “sec/no_such_question”"),
        "{refused}"
    );
    let refused = comment("sec/sec_secrets", "   ").await.unwrap_err();
    assert!(refusal(&refused).contains("empty"), "{refused}");
    let refused = author
        .call(
            &app,
            "/api/reviews/comment",
            &[
                ("review_id", &id),
                ("place", "sec/sec_secrets"),
                ("body", "me too"),
            ],
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("reviewer"),
        "an author cannot comment: {refused}"
    );

    let detail = author.review(&app, review).await;
    let comments = detail["comments"].as_array().unwrap();
    assert_eq!(
        comments.len(),
        2,
        "refused comments are not written: {comments:?}"
    );
    assert_eq!(
        comments[1]["place_title"],
        "Choice “Secrets rotate on a schedule” of question “Where do functions read their secrets from?”"
    );
    assert_eq!(detail["can_resolve"], true);
    assert_eq!(detail["can_comment"], false);

    // The author reads them beside the question, the markup in a comment as text.
    let page = page_as(
        &author.client,
        &app,
        &format!("/reviews/detail?id={review}"),
    )
    .await;
    let question = page
        .find(r#"id="question-sec-sec_secrets""#)
        .expect("the question is in the page");
    let beside = &page[question..];
    let beside = &beside[..beside.find("</details>").unwrap()];
    assert!(
        beside.contains("Say which secrets store counts as managed."),
        "{beside}"
    );
    assert!(
        beside.contains("&lt;b&gt;Rotated&lt;/b&gt; how often?"),
        "{beside}"
    );
    assert!(beside.contains(">Resolve</button>"), "{beside}");
    assert!(page.contains("Comments: 2 of 2 open"), "{page}");

    let first = comments[0]["id"].as_i64().unwrap().to_string();
    let refused = reviewer
        .call(&app, "/api/reviews/resolve", &[("comment_id", &first)])
        .await
        .unwrap_err();
    assert!(refusal(&refused).contains("Only ana"), "{refused}");
    author
        .call(&app, "/api/reviews/resolve", &[("comment_id", &first)])
        .await
        .unwrap();
    let again = author
        .call(&app, "/api/reviews/resolve", &[("comment_id", &first)])
        .await
        .unwrap_err();
    assert!(refusal(&again).contains("already resolved"), "{again}");
    let detail = reviewer.review(&app, review).await;
    assert_eq!(detail["comments"][0]["resolved"][0], "ana");
    assert!(detail["comments"][1]["resolved"].is_null());

    let log = app.audit_log().await;
    let actions: Vec<String> = log
        .for_target(&arn, 100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter(|e| e.action.starts_with("ReviewComment"))
        .map(|e| format!("{} {}", e.action, e.actor))
        .collect();
    assert_eq!(
        actions,
        [
            "ReviewCommented rui",
            "ReviewCommented rui",
            "ReviewCommentResolved ana"
        ]
    );
    app.stop().await;
}
