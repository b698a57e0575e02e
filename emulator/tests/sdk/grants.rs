use aws_sdk_licensemanager::{
    error::ProvideErrorMetadata,
    types::{
        AllowedOperation, ConsumptionConfiguration, DatetimeRange, Entitlement, EntitlementUnit,
        GrantStatus, Issuer,
    },
};

use crate::helpers::{TestEmulator, alice, bob, uuid};

async fn license(lm: &aws_sdk_licensemanager::Client) -> String {
    lm.create_license()
        .license_name("Analytics seats")
        .product_name("Analytics")
        .product_sku("ANL-1")
        .issuer(Issuer::builder().name("Example Corp").build().unwrap())
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
                .max_count(10)
                .build()
                .unwrap(),
        )
        .beneficiary("444455556666")
        .consumption_configuration(ConsumptionConfiguration::builder().build())
        .client_token(uuid())
        .send()
        .await
        .unwrap()
        .license_arn()
        .unwrap()
        .to_owned()
}

async fn grant(lm: &aws_sdk_licensemanager::Client, license_arn: &str) -> String {
    let created = lm
        .create_grant()
        .grant_name("To Bob")
        .license_arn(license_arn)
        .principals("arn:aws:iam::444455556666:root")
        .home_region("us-east-1")
        .allowed_operations(AllowedOperation::CheckoutLicense)
        .client_token(uuid())
        .send()
        .await
        .unwrap();
    assert_eq!(created.version(), Some("1"));
    assert_eq!(created.status(), Some(&GrantStatus::PendingAccept));
    created.grant_arn().unwrap().to_owned()
}

#[tokio::test]
async fn a_grant_version_changes_the_grant_and_keeps_the_earlier_one() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let license_arn = license(&lm).await;
    let grant_arn = grant(&lm, &license_arn).await;

    let next = lm
        .create_grant_version()
        .grant_arn(&grant_arn)
        .grant_name("To Bob, extended")
        .allowed_operations(AllowedOperation::CheckoutLicense)
        .allowed_operations(AllowedOperation::CheckInLicense)
        .status(GrantStatus::Active)
        .status_reason("Approved by licensing")
        .source_version("1")
        .client_token(uuid())
        .send()
        .await
        .unwrap();
    assert_eq!(next.version(), Some("2"));
    assert_eq!(next.status(), Some(&GrantStatus::Active));

    let current = lm.get_grant().grant_arn(&grant_arn).send().await.unwrap();
    let current = current.grant().unwrap();
    assert_eq!(current.version(), "2");
    assert_eq!(current.grant_name(), "To Bob, extended");
    assert_eq!(current.granted_operations().len(), 2);
    assert_eq!(current.status_reason(), Some("Approved by licensing"));

    let first = lm
        .get_grant()
        .grant_arn(&grant_arn)
        .version("1")
        .send()
        .await
        .unwrap();
    assert_eq!(first.grant().unwrap().grant_name(), "To Bob");
}

#[tokio::test]
async fn a_stale_source_version_is_refused() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let grant_arn = grant(&lm, &license(&lm).await).await;
    let bump = |source: &'static str| {
        lm.create_grant_version()
            .grant_arn(&grant_arn)
            .status_reason(format!("from {source}"))
            .source_version(source)
            .client_token(uuid())
            .send()
    };
    bump("1").await.unwrap();
    let error = bump("1").await.unwrap_err().into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
    assert!(
        error.message().unwrap().contains("current version is 2"),
        "{:?}",
        error.message()
    );
}

#[tokio::test]
async fn a_grantor_cannot_set_a_status_reserved_to_the_service() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let grant_arn = grant(&lm, &license(&lm).await).await;
    let error = lm
        .create_grant_version()
        .grant_arn(&grant_arn)
        .status(GrantStatus::PendingAccept)
        .client_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn a_status_reason_over_400_characters_is_refused() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let grant_arn = grant(&lm, &license(&lm).await).await;
    let error = lm
        .create_grant_version()
        .grant_arn(&grant_arn)
        .status_reason("r".repeat(401))
        .client_token(uuid())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ValidationException"));
    assert!(
        error.message().unwrap().contains("StatusReason"),
        "{:?}",
        error.message()
    );
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 400);
}

#[tokio::test]
async fn the_same_token_with_other_parameters_is_a_validation_error() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let grant_arn = grant(&lm, &license(&lm).await).await;
    let token = uuid();
    let send = |reason: &'static str| {
        lm.create_grant_version()
            .grant_arn(&grant_arn)
            .status_reason(reason)
            .client_token(&token)
            .send()
    };
    let first = send("one").await.unwrap();
    let replay = send("one").await.unwrap();
    assert_eq!(
        first.version(),
        replay.version(),
        "a retry returns the first answer"
    );
    let error = send("two").await.unwrap_err().into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn the_grantee_sees_accepts_and_the_grantor_lists_distributed_grants() {
    let emu = TestEmulator::start().await;
    let grantor = emu.lm(&alice());
    let grant_arn = grant(&grantor, &license(&grantor).await).await;
    let grantee = emu.lm(&bob());

    let received = grantee.list_received_grants().send().await.unwrap();
    assert_eq!(received.grants()[0].grant_arn(), grant_arn);
    let accepted = grantee
        .accept_grant()
        .grant_arn(&grant_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), Some(&GrantStatus::Active));

    let distributed = grantor.list_distributed_grants().send().await.unwrap();
    assert_eq!(distributed.grants()[0].grant_status(), &GrantStatus::Active);
    assert!(
        grantee
            .list_distributed_grants()
            .send()
            .await
            .unwrap()
            .grants()
            .is_empty()
    );

    let error = grantee
        .create_grant_version()
        .grant_arn(&grant_arn)
        .status_reason("not mine")
        .client_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_access_denied_exception(), "{error:?}");
}

#[tokio::test]
async fn a_deleted_grant_takes_no_new_version() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let grant_arn = grant(&lm, &license(&lm).await).await;
    let deleted = lm
        .delete_grant()
        .grant_arn(&grant_arn)
        .version("1")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), Some(&GrantStatus::Deleted));
    let error = lm
        .create_grant_version()
        .grant_arn(&grant_arn)
        .status_reason("revive")
        .client_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn an_unknown_grant_is_not_found_and_injected_faults_use_license_manager_names() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let error = lm
        .get_grant()
        .grant_arn("arn:aws:license-manager::111122223333:grant:g-00000000000000000000000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ResourceNotFoundException"));
    assert_eq!(error.raw_response().unwrap().status().as_u16(), 400);

    reqwest::Client::new()
        .put(format!("{}/__lensgate/faults", emu.url))
        .json(&serde_json::json!({ "ListDistributedGrants": { "throttle_rate": 1.0 } }))
        .send()
        .await
        .unwrap();
    let error = lm
        .list_distributed_grants()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_rate_limit_exceeded_exception(), "{error:?}");
}

#[tokio::test]
async fn licenses_are_read_and_listed_by_their_owner_only() {
    let emu = TestEmulator::start().await;
    let lm = emu.lm(&alice());
    let arn = license(&lm).await;
    let got = lm.get_license().license_arn(&arn).send().await.unwrap();
    let got = got.license().unwrap();
    assert_eq!(got.license_name(), Some("Analytics seats"));
    assert_eq!(got.version(), Some("1"));
    let listed = lm.list_licenses().send().await.unwrap();
    assert_eq!(listed.licenses().len(), 1);
    assert!(
        emu.lm(&bob())
            .list_licenses()
            .send()
            .await
            .unwrap()
            .licenses()
            .is_empty()
    );
    let error = emu
        .lm(&bob())
        .get_license()
        .license_arn(&arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_access_denied_exception(), "{error:?}");
}

#[tokio::test]
async fn a_rejected_grant_cannot_be_accepted_afterwards() {
    let emu = TestEmulator::start().await;
    let grantor = emu.lm(&alice());
    let grant_arn = grant(&grantor, &license(&grantor).await).await;
    let grantee = emu.lm(&bob());
    let rejected = grantee
        .reject_grant()
        .grant_arn(&grant_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), Some(&GrantStatus::Rejected));
    let error = grantee
        .accept_grant()
        .grant_arn(&grant_arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}
