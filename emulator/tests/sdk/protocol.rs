use std::time::{Duration, Instant};

use aws_sdk_wellarchitected::{error::ProvideErrorMetadata, types::LensType};
use lensgate_emulator::FaultRule;

use crate::helpers::{TestEmulator, alice, import, lens_json, publish, uuid};

#[tokio::test]
async fn a_wrong_secret_key_is_refused_as_an_invalid_signature() {
    let emu = TestEmulator::start().await;
    let error = emu
        .wa_signed_with(&alice(), "not-the-secret")
        .list_lenses()
        .send()
        .await
        .unwrap_err();
    let raw = error.raw_response().expect("an HTTP answer");
    assert_eq!(raw.status().as_u16(), 403);
    assert_eq!(error.code(), Some("InvalidSignatureException"));
}

#[tokio::test]
async fn an_unknown_access_key_is_refused() {
    let emu = TestEmulator::start().await;
    let stranger =
        lensgate_emulator::Account::new("AKIASTRANGER0000001", "s", "999988887777").unwrap();
    let error = emu.wa(&stranger).list_lenses().send().await.unwrap_err();
    assert_eq!(error.code(), Some("UnrecognizedClientException"));
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 403);
}

#[tokio::test]
async fn an_unsigned_request_is_refused() {
    let emu = TestEmulator::start().await;
    let response = reqwest::get(format!("{}/lenses", emu.url)).await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        response.headers()["x-amzn-errortype"],
        "MissingAuthenticationTokenException"
    );
}

#[tokio::test]
async fn each_invalid_member_is_one_validation_field() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Lens").await;
    let error = wa
        .create_lens_version()
        .lens_alias(&arn)
        .lens_version("v".repeat(33))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let aws_sdk_wellarchitected::operation::create_lens_version::CreateLensVersionError::ValidationException(v) = error
    else {
        panic!("expected a ValidationException, got {error:?}");
    };
    assert_eq!(
        v.reason()
            .map(aws_sdk_wellarchitected::types::ValidationExceptionReason::as_str),
        Some("FIELD_VALIDATION_FAILED")
    );
    let fields = v.fields();
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].name(), Some("LensVersion"));
    assert!(
        fields[0].message().unwrap().contains("at most 32"),
        "{:?}",
        fields[0].message()
    );
}

#[tokio::test]
async fn an_oversized_lens_is_refused_before_import() {
    let emu = TestEmulator::start().await;
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(500_001));
    let error = emu
        .wa(&alice())
        .import_lens()
        .json_string(huge)
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let aws_sdk_wellarchitected::operation::import_lens::ImportLensError::ValidationException(v) =
        error
    else {
        panic!("expected a ValidationException, got {error:?}");
    };
    assert_eq!(v.fields()[0].name(), Some("JSONString"));
    assert!(v.fields()[0].message().unwrap().contains("at most 500000"));
}

#[tokio::test]
async fn a_retried_token_returns_the_first_answer_and_changes_nothing() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let token = uuid();
    let json = lens_json("Once", "Q?");
    let first = wa
        .import_lens()
        .json_string(&json)
        .client_request_token(&token)
        .send()
        .await
        .unwrap();
    let again = wa
        .import_lens()
        .json_string(&json)
        .client_request_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(first.lens_arn(), again.lens_arn());
    let mine = wa
        .list_lenses()
        .lens_type(LensType::CustomSelf)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.lens_summaries().len(), 1, "no second lens");
}

#[tokio::test]
async fn a_token_reused_with_other_parameters_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let token = uuid();
    wa.import_lens()
        .json_string(lens_json("A", "Q?"))
        .client_request_token(&token)
        .send()
        .await
        .unwrap();
    let error = wa
        .import_lens()
        .json_string(lens_json("B", "Q?"))
        .client_request_token(&token)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_conflict_exception(), "{error:?}");
}

#[tokio::test]
async fn lists_page_with_max_results_and_refuse_a_forged_token() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    for n in 0..5 {
        import(&wa, &format!("Paged lens {n}")).await;
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = wa
            .list_lenses()
            .lens_type(LensType::CustomSelf)
            .max_results(2)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        assert!(page.lens_summaries().len() <= 2);
        names.extend(
            page.lens_summaries()
                .iter()
                .filter_map(|l| l.lens_name().map(str::to_owned)),
        );
        match page.next_token() {
            Some(next) => token = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        names,
        (0..5)
            .map(|n| format!("Paged lens {n}"))
            .collect::<Vec<_>>()
    );

    let error = wa
        .list_lenses()
        .next_token("Zm9yZ2VkOjEyMw")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn concurrent_publishes_of_one_draft_make_one_version_and_one_conflict() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Raced lens").await;
    let (a, b) = tokio::join!(
        wa.create_lens_version()
            .lens_alias(&arn)
            .lens_version("1.0")
            .client_request_token(uuid())
            .send(),
        wa.create_lens_version()
            .lens_alias(&arn)
            .lens_version("1.1")
            .client_request_token(uuid())
            .send(),
    );
    let outcomes = [a.is_ok(), b.is_ok()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "exactly one publishes the draft"
    );
    let failed = a.err().or(b.err()).unwrap().into_service_error();
    assert!(failed.is_conflict_exception(), "{failed:?}");
    let lens = wa.get_lens().lens_alias(&arn).send().await.unwrap();
    assert!(matches!(
        lens.lens().unwrap().lens_version(),
        Some("1.0" | "1.1")
    ));
}

#[tokio::test]
async fn concurrent_imports_never_lose_a_lens() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let imports = (0..15).map(|n| {
        let wa = wa.clone();
        async move { import(&wa, &format!("Parallel {n}")).await }
    });
    let arns = futures_join_all(imports).await;
    let listed = wa
        .list_lenses()
        .lens_type(LensType::CustomSelf)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.lens_summaries().len(), 15);
    assert_eq!(
        arns.iter().collect::<std::collections::HashSet<_>>().len(),
        15
    );
}

async fn futures_join_all<
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
>(
    futures: impl Iterator<Item = F>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn injected_faults_answer_as_aws_does() {
    let emu = TestEmulator::start().await;
    let client = reqwest::Client::new();
    let set = |rules: serde_json::Value| {
        client
            .put(format!("{}/__lensgate/faults", emu.url))
            .json(&rules)
            .send()
    };
    assert_eq!(
        set(serde_json::json!({ "ListLenses": { "throttle_rate": 1.0 } }))
            .await
            .unwrap()
            .status(),
        200
    );
    let error = emu
        .wa(&alice())
        .list_lenses()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_throttling_exception(), "{error:?}");

    set(serde_json::json!({ "*": { "internal_rate": 1.0 } }))
        .await
        .unwrap();
    let error = emu
        .wa(&alice())
        .list_lenses()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_internal_server_exception(), "{error:?}");

    set(serde_json::json!({ "ListLenses": FaultRule { latency_ms: 300, ..Default::default() } }))
        .await
        .unwrap();
    let started = Instant::now();
    emu.wa(&alice()).list_lenses().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    let refused = set(serde_json::json!({ "*": { "throttle_rate": 2.0 } }))
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[tokio::test]
async fn the_journal_shows_each_attempt_with_its_token() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Journaled").await;
    publish(&wa, &arn, "1.0").await;
    let entries: serde_json::Value = reqwest::get(format!(
        "{}/__lensgate/requests?operation=CreateLensVersion",
        emu.url
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["account"], "111122223333");
    assert_eq!(entries[0]["status"], 200);
    assert!(
        entries[0]["client_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(
        entries[0]["attempt"]
            .as_str()
            .unwrap()
            .contains("attempt=1")
    );
}
