use aws_sdk_wellarchitected::{
    error::ProvideErrorMetadata,
    operation::{create_lens_version::CreateLensVersionError, import_lens::ImportLensError},
    types::{LensStatusType, LensType},
};

use crate::helpers::{TestEmulator, alice, bob, import, lens_json, publish, reimport, uuid};

#[tokio::test]
async fn import_creates_a_draft_owned_by_the_caller() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let output = wa
        .import_lens()
        .json_string(lens_json("Payments lens", "How do you manage keys?"))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    let arn = output.lens_arn().unwrap();
    assert!(
        arn.starts_with("arn:aws:wellarchitected:us-east-1:111122223333:lens/"),
        "{arn}"
    );
    assert_eq!(arn.rsplit('/').next().unwrap().len(), 32);
    assert_eq!(
        output.status(),
        None,
        "the live service answers with the ARN only"
    );

    let drafts = wa
        .list_lenses()
        .lens_status(LensStatusType::Draft)
        .send()
        .await
        .unwrap();
    let mine: Vec<_> = drafts
        .lens_summaries()
        .iter()
        .filter(|l| l.lens_arn() == Some(arn))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].lens_type(), Some(&LensType::CustomSelf));
    assert_eq!(mine[0].lens_version(), None, "a draft has no version");
    assert_eq!(mine[0].owner(), Some("111122223333"));

    let other = emu
        .wa(&bob())
        .list_lenses()
        .lens_type(LensType::CustomSelf)
        .send()
        .await
        .unwrap();
    assert!(
        other.lens_summaries().is_empty(),
        "another account does not see the draft"
    );
}

#[tokio::test]
async fn import_refuses_an_alias_that_is_not_a_lens_arn() {
    let emu = TestEmulator::start().await;
    let error = emu
        .wa(&alice())
        .import_lens()
        .lens_alias("my-lens")
        .json_string(lens_json("x", "y"))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let ImportLensError::ValidationException(validation) = error else {
        panic!("expected a ValidationException, got {error:?}");
    };
    assert_eq!(
        validation.message(),
        Some("Invalid lens alias my-lens (allowed value as alias is LensARN)")
    );
}

#[tokio::test]
async fn import_refuses_a_broken_lens_naming_the_problem() {
    let emu = TestEmulator::start().await;
    let error = emu
        .wa(&alice())
        .import_lens()
        .json_string(
            r#"{"schemaVersion":"2021-11-01","name":"x","description":"d","pillars":[{"id":"pi1","questions":[]}]}"#,
        )
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
    assert!(
        error
            .message()
            .unwrap()
            .contains("line 1, column 71 (pillars[0].name): `pillars[0]` has no \"name\"."),
        "{:?}",
        error.message()
    );
}

#[tokio::test]
async fn publish_makes_a_version_and_export_returns_its_json() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Payments lens").await;
    publish(&wa, &arn, "1.0").await;

    let lens = wa.get_lens().lens_alias(&arn).send().await.unwrap();
    assert_eq!(lens.lens().unwrap().lens_version(), Some("1.0"));
    assert_eq!(lens.lens().unwrap().name(), Some("Payments lens"));
    let exported = wa.export_lens().lens_alias(&arn).send().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(exported.lens_json().unwrap()).unwrap();
    assert_eq!(json["name"], "Payments lens");
}

#[tokio::test]
async fn publishing_twice_the_same_version_name_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Payments lens").await;
    publish(&wa, &arn, "1.0").await;
    reimport(&wa, &arn, lens_json("Payments lens", "Changed?")).await;
    let error = wa
        .create_lens_version()
        .lens_alias(&arn)
        .lens_version("1.0")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let CreateLensVersionError::ConflictException(conflict) = error else {
        panic!("expected a ConflictException, got {error:?}");
    };
    assert_eq!(conflict.resource_id(), Some(arn.as_str()));
    assert_eq!(conflict.resource_type(), Some("LENS"));
}

#[tokio::test]
async fn publishing_without_a_draft_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Payments lens").await;
    publish(&wa, &arn, "1.0").await;
    let error = wa
        .create_lens_version()
        .lens_alias(&arn)
        .lens_version("1.1")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_conflict_exception(), "{error:?}");
}

#[tokio::test]
async fn the_hundred_and_first_version_exceeds_the_quota() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Busy lens").await;
    for n in 1..=100 {
        if n > 1 {
            reimport(&wa, &arn, lens_json("Busy lens", &format!("Question {n}"))).await;
        }
        publish(&wa, &arn, &format!("{n}.0")).await;
    }
    reimport(&wa, &arn, lens_json("Busy lens", "One more")).await;
    let error = wa
        .create_lens_version()
        .lens_alias(&arn)
        .lens_version("101.0")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let CreateLensVersionError::ServiceQuotaExceededException(quota) = error else {
        panic!("expected ServiceQuotaExceededException, got {error:?}");
    };
    assert_eq!(quota.service_code(), Some("wellarchitected"));
    assert!(quota.quota_code().is_some_and(|c| !c.is_empty()));
}

#[tokio::test]
async fn official_lenses_are_listed_but_cannot_be_exported() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let official = wa
        .list_lenses()
        .lens_type(LensType::AwsOfficial)
        .send()
        .await
        .unwrap();
    assert!(
        official
            .lens_summaries()
            .iter()
            .any(|l| l.lens_alias() == Some("wellarchitected"))
    );
    let error = wa
        .export_lens()
        .lens_alias("wellarchitected")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn a_draft_only_lens_cannot_be_exported() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Draft lens").await;
    let error = wa
        .export_lens()
        .lens_alias(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
    assert!(error.message().unwrap().contains("no published version"));
}

#[tokio::test]
async fn version_difference_names_changed_questions() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Diff lens").await;
    publish(&wa, &arn, "1.0").await;
    reimport(&wa, &arn, lens_json("Diff lens", "How do you rotate keys?")).await;
    publish(&wa, &arn, "2.0").await;
    let diff = wa
        .get_lens_version_difference()
        .lens_alias(&arn)
        .base_lens_version("1.0")
        .target_lens_version("2.0")
        .send()
        .await
        .unwrap();
    let pillars = diff.version_differences().unwrap().pillar_differences();
    assert_eq!(pillars.len(), 1);
    assert_eq!(pillars[0].pillar_id(), Some("security"));
    let questions = pillars[0].question_differences();
    assert_eq!(questions[0].question_id(), Some("sec_keys"));
    assert_eq!(
        questions[0].difference_status().unwrap().as_str(),
        "UPDATED"
    );
    assert_eq!(diff.latest_lens_version(), Some("2.0"));
}

#[tokio::test]
async fn a_lens_survives_a_restart() {
    let emu = TestEmulator::start().await;
    let arn = import(&emu.wa(&alice()), "Durable lens").await;
    publish(&emu.wa(&alice()), &arn, "1.0").await;
    let emu = emu.restart().await;
    let lens = emu
        .wa(&alice())
        .get_lens()
        .lens_alias(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(lens.lens().unwrap().lens_version(), Some("1.0"));
}

#[tokio::test]
async fn deleting_a_lens_removes_it() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Short-lived lens").await;
    wa.delete_lens()
        .lens_alias(&arn)
        .lens_status(LensStatusType::All)
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    let error = wa
        .get_lens()
        .lens_alias(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
}

#[tokio::test]
async fn a_new_lens_whose_normalized_name_exists_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let first = import(&wa, "Payments lens").await;
    let error = wa
        .import_lens()
        .json_string(lens_json("payments-LENS!", "How do you manage keys?"))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err();
    let error = error.into_service_error();
    assert!(
        matches!(error, ImportLensError::ConflictException(_)),
        "{error:?}"
    );
    assert_eq!(
        error.message(),
        Some("A lens with normalized name paymentslens already exists.")
    );
    drop(first);
    // Another account may use the name.
    import(&emu.wa(&bob()), "Payments lens").await;
}

#[tokio::test]
async fn a_published_lens_keeps_its_name() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Payments lens").await;
    publish(&wa, &arn, "1.0").await;
    let error = wa
        .import_lens()
        .lens_alias(&arn)
        .json_string(lens_json("Payments lens v2", "How do you manage keys?"))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(error, ImportLensError::ValidationException(_)),
        "{error:?}"
    );
    assert_eq!(error.message(), Some("Lens name must match published name"));
    reimport(
        &wa,
        &arn,
        lens_json("Payments lens", "How do you rotate keys?"),
    )
    .await;
}

#[tokio::test]
async fn the_sixteenth_lens_and_the_three_hundred_and_first_share_exceed_the_quotas() {
    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    for n in 0..15 {
        import(&wa, &format!("Lens {n}")).await;
    }
    let error = wa
        .import_lens()
        .json_string(lens_json("Lens 15", "How?"))
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(error, ImportLensError::ServiceQuotaExceededException(_)),
        "{error:?}"
    );

    let emu = TestEmulator::start().await;
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Shared lens").await;
    publish(&wa, &arn, "1.0").await;
    for n in 0..300u64 {
        wa.create_lens_share()
            .lens_alias(&arn)
            .shared_with(format!("{:012}", 200_000_000_000 + n))
            .client_request_token(uuid())
            .send()
            .await
            .unwrap();
    }
    let error = wa
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("999999999999")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        error.code(),
        Some("ServiceQuotaExceededException"),
        "{error:?}"
    );
}
