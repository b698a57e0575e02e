//! Two lensgate processes on one PostgreSQL database, as behind a load balancer: changes sent to
//! both, with AWS throttling a fifth of the calls, leave one unbroken audit chain with exactly a
//! request and an outcome per change, and a session started on one replica is valid on the other.

use std::{path::Path, process::Command, sync::Arc, time::Duration};

use lensgate::{
    accounts::Accounts,
    audit::{Actor, AuditAction, AuditLog, NewEvent, Verification},
    db::{Database, location::Location},
};
use lensgate_app::{auth::Role, services::ApiTokens};
use lensgate_emulator::{Account, Config, Emulator, FaultRule, FaultRules};
use tokio::net::TcpListener;

use crate::helpers::{ADMIN_PASSWORD, Process, Schema, new_client, sign_in};

const LENS: &str = include_str!("../../../lens/tests/fixtures/valid-small.json");
const CHANGES: usize = 200;
const LENSES: usize = 10;

/// A replica: the `lensgate` binary on `database`, calling AWS at `aws`.
fn replica(database: &str, aws: &str, account: &Account, folder: &Path, extra: &[&str]) -> Process {
    std::fs::create_dir_all(folder).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_lensgate"));
    command
        .args(["--listen", "127.0.0.1:0", "--database", database])
        .args(extra)
        .args([
            "--backend",
            "aws",
            "--region",
            "us-east-1",
            "--endpoint-url",
            aws,
        ])
        // Throttled calls are retried; five attempts make a change that fails them all rare.
        .args(["--aws-max-attempts", "5"])
        // One key for every replica, so one public key checks every checkpoint.
        .arg("--audit-key")
        .arg(folder.parent().unwrap().join("audit.key"))
        .arg("--checkpoint-dir")
        .arg(folder)
        .current_dir(folder)
        .env("LENSGATE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("AWS_ACCESS_KEY_ID", &account.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &account.secret_key)
        .env("AWS_CONFIG_FILE", folder.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", folder.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("LENSGATE_DATABASE");
    Process::start(command)
}

/// An emulator both replicas call, with `faults` for the operation they name (`*`: all).
async fn shared_aws(folder: &Path, operation: &str, faults: FaultRule) -> (String, Account) {
    let account = Account::new("AKIAREPLICAS0000001", "replicas-secret", "444455556666").unwrap();
    let faults = FaultRules::from([(operation.to_owned(), faults)]);
    let emulator = Emulator::open(Config {
        accounts: vec![account.clone()],
        region: "us-east-1".into(),
        database: folder.join("emulator.db"),
        faults,
        check_outputs: true,
        seed: true,
    })
    .await
    .unwrap();
    let (address, _task) = emulator
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    (format!("http://{address}"), account)
}

/// An API token for a new author, made through the database as a third server would.
async fn author_token(database: &Database) -> String {
    let accounts = Accounts::new(Arc::new(AuditLog::new(database.clone())));
    let admin = Actor {
        name: "admin".into(),
        role: "admin".into(),
    };
    accounts
        .create_user(&admin, "ana", "ana's long password", Role::Author)
        .await
        .unwrap();
    let ana = lensgate_app::auth::CurrentUser {
        username: "ana".into(),
        role: Role::Author,
        token: None,
    };
    ApiTokens::create(&accounts, ana, "replicas".into(), 1, Role::Author)
        .await
        .unwrap()
        .secret
}

fn lens_named(n: usize) -> String {
    let mut lens: serde_json::Value = serde_json::from_str(LENS).unwrap();
    lens["name"] = format!("Replicated lens {n}").into();
    lens.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_keep_one_chain_and_share_sessions() {
    let folder = tempfile::tempdir().unwrap();
    let schema = Schema::new().await;
    let throttled = FaultRule {
        throttle_rate: 0.2,
        ..FaultRule::default()
    };
    let (aws, account) = shared_aws(folder.path(), "*", throttled).await;
    let first = replica(&schema.url(), &aws, &account, &folder.path().join("a"), &[]);
    let second = replica(&schema.url(), &aws, &account, &folder.path().join("b"), &[]);
    let location: Location = schema.url().parse().unwrap();
    let database = Database::open(&location).await.unwrap();

    // Both started on an empty database; one created the first administrator.
    let admins = sqlx_count(&database, "SELECT count(*) FROM users").await;
    assert_eq!(
        admins, 1,
        "one first administrator, whichever replica came first"
    );

    let token = author_token(&database).await;
    let client = reqwest::Client::new();
    let import = |n: usize, lens_arn: Option<String>| {
        let url = if n.is_multiple_of(2) {
            &first.url
        } else {
            &second.url
        };
        client
            .post(format!("{url}/api/v1/lenses"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "lens": lens_named(n % LENSES), "lens_arn": lens_arn }))
            .send()
    };
    // AWS allows 15 custom lenses per account and Region: a few new lenses, then new drafts of
    // them, every change sent to both replicas at once.
    let created = futures_util::future::join_all((0..LENSES).map(|n| import(n, None))).await;
    let mut arns = Vec::new();
    let mut answered = Vec::new();
    for response in created {
        let response = response.expect("every request is answered");
        answered.push(response.status());
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        arns.extend(body["lens_arn"].as_str().map(str::to_owned));
    }
    assert!(!arns.is_empty(), "{answered:?}");
    let updated = futures_util::future::join_all(
        (LENSES..CHANGES).map(|n| import(n, Some(arns[n % arns.len()].clone()))),
    )
    .await;
    answered.extend(
        updated
            .into_iter()
            .map(|r| r.expect("every request is answered").status()),
    );
    // A change fails only when AWS throttles all five attempts (one in 3,125).
    let imported = answered.iter().filter(|s| s.is_success()).count();
    assert!(imported >= CHANGES - 5, "{imported} imported: {answered:?}");

    let audit = AuditLog::new(database.clone());
    let Verification::Intact { events } = audit.verify().await.unwrap() else {
        panic!("the chain broke under two replicas");
    };
    let per_operation = sqlx_counts(
        &database,
        "SELECT count(*) FROM audit_events WHERE action = 'ImportLens' GROUP BY operation_id",
    )
    .await;
    assert_eq!(per_operation.len(), CHANGES, "one operation per change");
    assert!(
        per_operation.iter().all(|n| *n == 2),
        "a request and one outcome each: {per_operation:?}"
    );
    assert!(events >= 2 * CHANGES as u64);
    let retried = sqlx_count(
        &database,
        "SELECT count(*) FROM audit_events WHERE action = 'ImportLens' AND attempts > 1",
    )
    .await;
    assert!(
        retried > 0,
        "AWS throttled some calls, and they were retried"
    );

    // A session started on one replica is valid on the other (cookies do not name the port).
    let browser = new_client();
    let signed_in = sign_in(&browser, &first.url, "admin", ADMIN_PASSWORD).await;
    assert!(signed_in.status().is_success(), "{}", signed_in.status());
    let home = browser
        .get(format!("{}/", second.url))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200, "the other replica knows the session");

    drop(first);
    drop(second);
    database_close(database).await;
    schema.remove().await;
}

/// A replica killed between sending a change to AWS and recording its outcome: the other replica,
/// still running, takes the change over with the same idempotency token and records one outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_left_by_a_killed_replica_is_finished_by_the_other() {
    let folder = tempfile::tempdir().unwrap();
    let schema = Schema::new().await;
    // Every ImportLens takes three seconds in AWS: time to kill the replica sending one.
    let slow = FaultRule {
        latency_ms: 3_000,
        ..FaultRule::default()
    };
    let (aws, account) = shared_aws(folder.path(), "ImportLens", slow).await;
    // Each replica keeps its lens list for a few seconds; the other's changes show after that.
    let recovery = ["--recovery-seconds", "1", "--aws-list-seconds", "0"];
    let first = replica(
        &schema.url(),
        &aws,
        &account,
        &folder.path().join("a"),
        &recovery,
    );
    let second = replica(
        &schema.url(),
        &aws,
        &account,
        &folder.path().join("b"),
        &recovery,
    );
    let location: Location = schema.url().parse().unwrap();
    let database = Database::open(&location).await.unwrap();
    let token = author_token(&database).await;

    // A change that outlives the other replica's look for unfinished ones three times over is
    // left to the replica sending it: it holds the change.
    let finished = reqwest::Client::new()
        .post(format!("{}/api/v1/lenses", second.url))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "lens": lens_named(1) }))
        .send()
        .await
        .unwrap();
    assert_eq!(finished.status(), 201);
    // Had the other replica taken it over, its own outcome would follow within one more
    // three-second call.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let phases = sqlx_texts(
        &database,
        "SELECT phase FROM audit_events WHERE action = 'ImportLens' ORDER BY seq",
    )
    .await;
    assert_eq!(phases, ["requested", "succeeded"], "nobody else re-sent it");
    let token_of_first = sqlx_texts(
        &database,
        "SELECT idempotency_token FROM audit_events WHERE action = 'ImportLens' AND phase = 'requested'",
    )
    .await;
    let calls: Vec<serde_json::Value> =
        reqwest::get(format!("{aws}/__lensgate/requests?operation=ImportLens"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let sent_for_first = calls
        .iter()
        .filter(|call| call["client_token"] == token_of_first[0].as_str())
        .count();
    assert_eq!(sent_for_first, 1, "AWS received the change once: {calls:?}");

    let sent = tokio::spawn(
        reqwest::Client::new()
            .post(format!("{}/api/v1/lenses", first.url))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "lens": lens_named(0) }))
            .send(),
    );
    let requested =
        "SELECT count(*) FROM audit_events WHERE action = 'ImportLens' AND phase = 'requested'";
    for _ in 0..50 {
        if sqlx_count(&database, requested).await == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        sqlx_count(&database, requested).await,
        2,
        "the change was requested"
    );
    drop(first);
    assert!(
        sent.await.unwrap().is_err(),
        "the killed replica never answered"
    );

    let outcomes =
        "SELECT count(*) FROM audit_events WHERE action = 'ImportLens' AND phase <> 'requested'";
    for _ in 0..300 {
        if sqlx_count(&database, outcomes).await > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let phases = sqlx_texts(
        &database,
        "SELECT phase FROM audit_events WHERE action = 'ImportLens' ORDER BY seq",
    )
    .await;
    assert_eq!(
        phases,
        ["requested", "succeeded", "requested", "succeeded"],
        "one request, one outcome each"
    );
    let tokens = sqlx_count(
        &database,
        "SELECT count(DISTINCT idempotency_token) FROM audit_events WHERE action = 'ImportLens'",
    )
    .await;
    assert_eq!(
        tokens, 2,
        "each outcome was reached with its request's own token"
    );
    assert!(matches!(
        AuditLog::new(database.clone()).verify().await.unwrap(),
        Verification::Intact { .. }
    ));
    let lenses: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/lenses", second.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let named = lenses
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|lens| lens["name"] == "Replicated lens 0")
                .count()
        })
        .unwrap_or_default();
    assert_eq!(named, 1, "the lens exists once in AWS: {lenses}");

    drop(second);
    database_close(database).await;
    schema.remove().await;
}

/// Announcements written on one server are fanned out and sent by both replicas' webhook
/// workers, which poll the same tables: each delivery leaves exactly one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_webhook_delivery_leaves_one_replica() {
    const EVENTS: usize = 40;
    let folder = tempfile::tempdir().unwrap();
    let schema = Schema::new().await;
    let (aws, account) = shared_aws(folder.path(), "*", FaultRule::default()).await;
    let first = replica(&schema.url(), &aws, &account, &folder.path().join("a"), &[]);
    let second = replica(&schema.url(), &aws, &account, &folder.path().join("b"), &[]);
    let location: Location = schema.url().parse().unwrap();
    let database = Database::open(&location).await.unwrap();

    let (received, url) = slow_receiver().await;
    let audit = Arc::new(AuditLog::new(database.clone()));
    let admin = lensgate_app::auth::CurrentUser {
        username: "admin".into(),
        role: Role::Admin,
        token: None,
    };
    let endpoint = lensgate_app::webhooks::NewWebhook {
        url,
        secret: "a webhook secret, long enough".into(),
        events: vec![lensgate_app::webhooks::WebhookEvent::ReviewSubmitted],
        format: lensgate_app::webhooks::WebhookFormat::Json,
    };
    lensgate_app::services::Webhooks::create(
        &lensgate::webhooks::LiveWebhooks {
            audit: audit.clone(),
        },
        admin,
        endpoint,
    )
    .await
    .unwrap();
    for review in 0..EVENTS {
        audit
            .append(NewEvent::recorded(
                Actor {
                    name: "ana".into(),
                    role: "author".into(),
                },
                AuditAction::SubmitForReview,
                &format!("lens-{review}"),
                serde_json::json!({ "review_id": review }),
            ))
            .await
            .unwrap();
    }
    for _ in 0..600 {
        if received.lock().unwrap().len() >= EVENTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both workers look every second: a second copy would have left by now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut events = received.lock().unwrap().clone();
    events.sort_unstable();
    let sent = events.len();
    events.dedup();
    assert_eq!(events.len(), EVENTS, "every announcement arrived");
    assert_eq!(sent, EVENTS, "and each once, whichever replica sent it");

    drop(first);
    drop(second);
    database_close(database).await;
    schema.remove().await;
}

/// A webhook receiver that takes a second and a half to answer, long enough for the other
/// replica to look for due deliveries while one is being sent; it notes each event received.
async fn slow_receiver() -> (Arc<std::sync::Mutex<Vec<i64>>>, String) {
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = received.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let noted = noted.clone();
            async move {
                let event: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                noted
                    .lock()
                    .unwrap()
                    .push(event["event_id"].as_i64().unwrap_or_default());
                tokio::time::sleep(Duration::from_millis(1_500)).await;
                "thanks"
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (received, url)
}

async fn sqlx_texts(database: &Database, sql: &str) -> Vec<String> {
    let Database::Postgres(pool) = database else {
        panic!("replicas share PostgreSQL");
    };
    sqlx::query_scalar(sql).fetch_all(pool).await.unwrap()
}

async fn sqlx_count(database: &Database, sql: &str) -> i64 {
    sqlx_counts(database, sql).await[0]
}

async fn sqlx_counts(database: &Database, sql: &str) -> Vec<i64> {
    let Database::Postgres(pool) = database else {
        panic!("replicas share PostgreSQL");
    };
    sqlx::query_scalar(sql).fetch_all(pool).await.unwrap()
}

async fn database_close(database: Database) {
    if let Database::Postgres(pool) = database {
        pool.close().await;
    }
}
