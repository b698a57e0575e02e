//! Every change through the gateway against the embedded emulator: the effect in AWS and
//! exactly one requested + outcome pair in the audit history.

use std::collections::{HashMap, HashSet};

use aws_sdk_licensemanager::types::{
    AllowedOperation, ConsumptionConfiguration, DatetimeRange, Entitlement, EntitlementUnit, Issuer,
};
use aws_sdk_wellarchitected::types::{LensType, WorkloadEnvironment};
use lensgate::{
    audit::{Actor, AuditLog, Event, Verification},
    gateway::{Change, ErrorKind},
};
use lensgate_app::{
    ids::{GrantArn, HexId, LensArn},
    workloads::Permission,
};

use crate::helpers::TestApp;

pub fn author() -> Actor {
    Actor {
        name: "ana".to_owned(),
        role: "author".to_owned(),
    }
}

pub fn lens_json(name: &str) -> String {
    serde_json::json!({
        "schemaVersion": "2021-11-01",
        "name": name,
        "description": "Gateway test lens",
        "pillars": [{ "id": "ops", "name": "Operations", "questions": [{
            "id": "ops_q", "title": "How?",
            "choices": [{ "id": "ops_q_a", "title": "A", "improvementPlan": { "displayText": "Do A" } }],
            "riskRules": [{ "condition": "default", "risk": "HIGH_RISK" }]
        }]}]
    })
    .to_string()
}

pub fn import(name: &str) -> Change {
    Change::ImportLens {
        lens_alias: None,
        json_string: lens_json(name),
        tags: Default::default(),
    }
}

async fn audit(app: &TestApp) -> AuditLog {
    app.audit_log().await
}

/// The events of one operation must be exactly a request and its outcome, with one token.
fn assert_one_pair(events: &[Event], outcome: &str) {
    let phases: Vec<&str> = events.iter().map(|e| e.phase.as_str()).collect();
    assert_eq!(phases, ["requested", outcome], "{events:#?}");
    assert_eq!(events[0].idempotency_token, events[1].idempotency_token);
    assert!(events[1].attempts.unwrap() >= 1);
    assert!(events[1].duration_ms.is_some());
}

#[tokio::test]
async fn import_and_publish_are_audited_and_happen_in_aws() {
    let app = TestApp::start().await;
    let imported = app
        .gateway
        .apply(&author(), import("Gateway lens"))
        .await
        .unwrap();
    let arn = imported.response["LensArn"].as_str().unwrap().to_owned();
    let log = audit(&app).await;
    let events = log.operation(&imported.operation_id).await.unwrap();
    assert_one_pair(&events, "succeeded");
    assert_eq!(events[0].actor, "ana");
    assert_eq!(events[0].actor_role, "author");
    assert_eq!(
        events[1].target, arn,
        "the outcome names the lens AWS created"
    );

    let published = app
        .gateway
        .apply(
            &author(),
            Change::CreateLensVersion {
                lens_alias: LensArn::parse(&arn).unwrap(),
                lens_version: "1.0".into(),
                is_major_version: true,
            },
        )
        .await
        .unwrap();
    assert_one_pair(
        &log.operation(&published.operation_id).await.unwrap(),
        "succeeded",
    );
    let lens = app.gateway.get_lens(&arn, None).await.unwrap();
    assert_eq!(lens.lens().unwrap().lens_version(), Some("1.0"));
    app.stop().await;
}

#[tokio::test]
async fn lens_and_workload_shares_are_audited_and_happen_in_aws() {
    let app = TestApp::start().await;
    let arn = app
        .gateway
        .apply(&author(), import("Shared"))
        .await
        .unwrap()
        .response["LensArn"]
        .as_str()
        .unwrap()
        .to_owned();
    app.gateway
        .apply(
            &author(),
            Change::CreateLensVersion {
                lens_alias: LensArn::parse(&arn).unwrap(),
                lens_version: "1".into(),
                is_major_version: false,
            },
        )
        .await
        .unwrap();
    let shared = app
        .gateway
        .apply(
            &author(),
            Change::CreateLensShare {
                lens_alias: LensArn::parse(&arn).unwrap(),
                shared_with: "444455556666".into(),
            },
        )
        .await
        .unwrap();
    let log = audit(&app).await;
    assert_one_pair(
        &log.operation(&shared.operation_id).await.unwrap(),
        "succeeded",
    );
    let shares = app.gateway.list_lens_shares(&arn, None).await.unwrap();
    assert_eq!(
        shares.lens_share_summaries()[0].shared_with(),
        Some("444455556666")
    );

    let workload = app
        .gateway
        .clients()
        .wellarchitected
        .create_workload()
        .workload_name("Checkout")
        .description("The checkout workload")
        .environment(WorkloadEnvironment::Production)
        .lenses("wellarchitected")
        .aws_regions("us-east-1")
        .client_request_token("t-workload")
        .send()
        .await
        .unwrap();
    let id = workload.workload_id().unwrap().to_owned();
    let share = app
        .gateway
        .apply(
            &author(),
            Change::CreateWorkloadShare {
                workload_id: HexId::parse(&id, "workload id").unwrap(),
                shared_with: "444455556666".into(),
                permission_type: Permission::ReadOnly,
            },
        )
        .await
        .unwrap();
    assert_one_pair(
        &log.operation(&share.operation_id).await.unwrap(),
        "succeeded",
    );
    let shares = app.gateway.list_workload_shares(&id, None).await.unwrap();
    assert_eq!(shares.workload_share_summaries().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_grant_version_is_audited_and_happens_in_aws() {
    let app = TestApp::start().await;
    let lm = &app.gateway.clients().license_manager;
    let license = lm
        .create_license()
        .license_name("Seats")
        .product_name("P")
        .product_sku("S")
        .issuer(Issuer::builder().name("I").build().unwrap())
        .home_region("us-east-1")
        .validity(
            DatetimeRange::builder()
                .begin("2026-01-01T00:00:00Z")
                .build()
                .unwrap(),
        )
        .entitlements(
            Entitlement::builder()
                .name("Seats")
                .unit(EntitlementUnit::Count)
                .build()
                .unwrap(),
        )
        .beneficiary("444455556666")
        .consumption_configuration(ConsumptionConfiguration::builder().build())
        .client_token("t-license")
        .send()
        .await
        .unwrap();
    let grant = lm
        .create_grant()
        .grant_name("G")
        .license_arn(license.license_arn().unwrap())
        .principals("arn:aws:iam::444455556666:root")
        .home_region("us-east-1")
        .allowed_operations(AllowedOperation::CheckoutLicense)
        .client_token("t-grant")
        .send()
        .await
        .unwrap();
    let arn = grant.grant_arn().unwrap().to_owned();
    let version = app
        .gateway
        .apply(
            &author(),
            Change::CreateGrantVersion {
                grant_arn: GrantArn::parse(&arn).unwrap(),
                grant_name: Some("G2".into()),
                allowed_operations: Some(vec!["CheckoutLicense".into(), "CheckInLicense".into()]),
                status: Some("ACTIVE".into()),
                status_reason: Some("approved".into()),
                source_version: Some("1".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(version.response["Version"], "2");
    let log = audit(&app).await;
    let events = log.operation(&version.operation_id).await.unwrap();
    assert_one_pair(&events, "succeeded");
    assert_eq!(events[0].target, arn);
    let current = app.gateway.get_grant(&arn, None).await.unwrap();
    assert_eq!(current.grant().unwrap().grant_name(), "G2");
    app.stop().await;
}

#[tokio::test]
async fn a_refused_change_is_audited_as_failed_with_the_aws_error() {
    let app = TestApp::start().await;
    let error = app
        .gateway
        .apply(
            &author(),
            Change::ImportLens {
                lens_alias: Some(
                    LensArn::parse("arn:aws:wellarchitected:us-east-1:111122223333:lens/missing")
                        .unwrap(),
                ),
                json_string: lens_json("x"),
                tags: Default::default(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
    assert_eq!(error.code, "ResourceNotFoundException");
    assert!(
        error.user_message.contains("lens/missing not found"),
        "AWS's own words name the lens: {}",
        error.user_message
    );
    let events = audit(&app)
        .await
        .operation(error.operation_id.as_deref().unwrap())
        .await
        .unwrap();
    assert_one_pair(&events, "failed");
    assert_eq!(
        events[1].error_code.as_deref(),
        Some("ResourceNotFoundException")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_hundred_and_first_version_is_explained() {
    let app = TestApp::start().await;
    let arn = app
        .gateway
        .apply(&author(), import("Busy"))
        .await
        .unwrap()
        .response["LensArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let wa = &app.gateway.clients().wellarchitected;
    for n in 1..=100 {
        if n > 1 {
            wa.import_lens()
                .lens_alias(&arn)
                .json_string(lens_json("Busy"))
                .client_request_token(format!("t{n}"))
                .send()
                .await
                .unwrap();
        }
        wa.create_lens_version()
            .lens_alias(&arn)
            .lens_version(format!("{n}"))
            .client_request_token(format!("v{n}"))
            .send()
            .await
            .unwrap();
    }
    wa.import_lens()
        .lens_alias(&arn)
        .json_string(lens_json("Busy"))
        .client_request_token("t101")
        .send()
        .await
        .unwrap();
    let error = app
        .gateway
        .apply(
            &author(),
            Change::CreateLensVersion {
                lens_alias: LensArn::parse(&arn).unwrap(),
                lens_version: "101".into(),
                is_major_version: false,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::QuotaExceeded);
    assert_eq!(
        error.user_message,
        "This lens already has 100 versions, the most AWS allows."
    );
    app.stop().await;
}

async fn set_faults(app: &TestApp, rules: serde_json::Value) {
    let response = app
        .client
        .put(format!("{}/__lensgate/faults", app.emulator_url()))
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn journal(app: &TestApp, operation: &str) -> Vec<serde_json::Value> {
    app.client
        .get(format!(
            "{}/__lensgate/requests?operation={operation}",
            app.emulator_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn throttled_calls_are_retried_with_one_token_and_audited_once() {
    let app = TestApp::start().await;
    set_faults(
        &app,
        serde_json::json!({ "ImportLens": { "throttle_rate": 0.3 } }),
    )
    .await;
    let mut operations = Vec::new();
    // Within AWS's 15 custom lenses per account and Region.
    for n in 0..15 {
        match app
            .gateway
            .apply(&author(), import(&format!("Throttled {n}")))
            .await
        {
            Ok(applied) => operations.push(applied.operation_id),
            Err(error) => operations.push(error.operation_id.unwrap()),
        }
    }
    let attempts = journal(&app, "ImportLens").await;
    assert!(
        attempts.iter().any(|a| a["status"] == 429),
        "some attempts were throttled"
    );
    let mut by_token: HashMap<String, Vec<&serde_json::Value>> = HashMap::new();
    for attempt in &attempts {
        by_token
            .entry(attempt["client_token"].as_str().unwrap().to_owned())
            .or_default()
            .push(attempt);
    }
    assert_eq!(
        by_token.len(),
        15,
        "one token per change, reused on every attempt"
    );

    let log = audit(&app).await;
    let mut succeeded = 0;
    for operation_id in &operations {
        let events = log.operation(operation_id).await.unwrap();
        let outcome = if events[1].phase == "succeeded" {
            "succeeded"
        } else {
            "failed"
        };
        assert_one_pair(&events, outcome);
        let token = events[0].idempotency_token.clone().unwrap();
        let sent = &by_token[&token];
        assert_eq!(
            events[1].attempts.unwrap() as usize,
            sent.len(),
            "the audit counts every attempt"
        );
        assert!(sent.iter().enumerate().all(|(i, a)| {
            a["attempt"]
                .as_str()
                .unwrap()
                .contains(&format!("attempt={}", i + 1))
        }));
        // Every attempt but the last was throttled; the outcome is the last attempt's.
        let (last, earlier) = sent.split_last().unwrap();
        assert!(earlier.iter().all(|a| a["status"] == 429));
        if outcome == "succeeded" {
            assert_eq!(last["status"], 200);
            succeeded += 1;
        } else {
            assert_eq!(last["status"], 429);
            assert_eq!(
                sent.len(),
                3,
                "a throttled change gives up after the configured attempts"
            );
            assert_eq!(events[1].error_code.as_deref(), Some("ThrottlingException"));
        }
    }
    let lenses = app
        .gateway
        .clients()
        .wellarchitected
        .list_lenses()
        .lens_type(LensType::CustomSelf)
        .max_results(50)
        .send()
        .await
        .unwrap();
    assert_eq!(
        lenses.lens_summaries().len(),
        succeeded,
        "one lens per succeeded change, none twice"
    );
    app.stop().await;
}

#[tokio::test]
async fn two_hundred_concurrent_changes_keep_one_unbroken_chain() {
    let app = TestApp::start().await;
    set_faults(
        &app,
        serde_json::json!({ "ImportLens": { "throttle_rate": 0.2 } }),
    )
    .await;
    let Verification::Intact { events: before } = audit(&app).await.verify().await.unwrap() else {
        panic!("the chain is intact before the run");
    };
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let gateway = app.gateway.clone();
            tokio::spawn(async move {
                match gateway
                    .apply(&author(), import(&format!("Concurrent {n}")))
                    .await
                {
                    Ok(applied) => applied.operation_id,
                    Err(error) => error.operation_id.unwrap(),
                }
            })
        })
        .collect();
    let mut operations = HashSet::new();
    for task in tasks {
        operations.insert(task.await.unwrap());
    }
    assert_eq!(operations.len(), 200);
    let log = audit(&app).await;
    for operation_id in &operations {
        let events = log.operation(operation_id).await.unwrap();
        assert_eq!(
            events.len(),
            2,
            "no event lost or duplicated for {operation_id}"
        );
    }
    assert_eq!(
        log.verify().await.unwrap(),
        Verification::Intact {
            events: before + 400
        }
    );
    app.stop().await;
}
