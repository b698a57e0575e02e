use aws_sdk_wellarchitected::{
    operation::create_lens_share::CreateLensShareError,
    types::{LensType, ShareInvitationAction, ShareResourceType, ShareStatus},
};

use crate::helpers::{TestEmulator, alice, bob, import, publish, uuid};

async fn published(emu: &TestEmulator) -> String {
    let wa = emu.wa(&alice());
    let arn = import(&wa, "Shared lens").await;
    publish(&wa, &arn, "1.0").await;
    arn
}

#[tokio::test]
async fn a_share_invites_the_other_account_which_accepts_it() {
    let emu = TestEmulator::start().await;
    let arn = published(&emu).await;
    let owner = emu.wa(&alice());
    let share = owner
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("444455556666")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    let share_id = share.share_id().unwrap().to_owned();

    let shares = owner
        .list_lens_shares()
        .lens_alias(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        shares.lens_share_summaries()[0].status(),
        Some(&ShareStatus::Pending)
    );

    let recipient = emu.wa(&bob());
    let invitations = recipient
        .list_share_invitations()
        .share_resource_type(ShareResourceType::Lens)
        .send()
        .await
        .unwrap();
    let invitation = &invitations.share_invitation_summaries()[0];
    assert_eq!(invitation.lens_arn(), Some(arn.as_str()));
    assert_eq!(invitation.shared_by(), Some("111122223333"));
    assert!(
        owner
            .list_share_invitations()
            .send()
            .await
            .unwrap()
            .share_invitation_summaries()
            .is_empty(),
        "the owner has no invitation"
    );

    recipient
        .update_share_invitation()
        .share_invitation_id(invitation.share_invitation_id().unwrap())
        .share_invitation_action(ShareInvitationAction::Accept)
        .send()
        .await
        .unwrap();
    let shares = owner
        .list_lens_shares()
        .lens_alias(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        shares.lens_share_summaries()[0].share_id(),
        Some(share_id.as_str())
    );
    assert_eq!(
        shares.lens_share_summaries()[0].status(),
        Some(&ShareStatus::Accepted)
    );
    let shared = recipient
        .list_lenses()
        .lens_type(LensType::CustomShared)
        .send()
        .await
        .unwrap();
    assert_eq!(shared.lens_summaries()[0].lens_arn(), Some(arn.as_str()));
    assert!(
        recipient
            .export_lens()
            .lens_alias(&arn)
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn sharing_twice_with_the_same_principal_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let arn = published(&emu).await;
    let owner = emu.wa(&alice());
    let share = |token: String| {
        owner
            .create_lens_share()
            .lens_alias(&arn)
            .shared_with("444455556666")
            .client_request_token(token)
            .send()
    };
    share(uuid()).await.unwrap();
    let error = share(uuid()).await.unwrap_err().into_service_error();
    assert!(
        matches!(error, CreateLensShareError::ConflictException(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn sharing_with_oneself_is_a_conflict() {
    let emu = TestEmulator::start().await;
    let arn = published(&emu).await;
    let error = emu
        .wa(&alice())
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("111122223333")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_conflict_exception(), "{error:?}");
}

#[tokio::test]
async fn each_kind_of_principal_is_accepted_and_nonsense_is_refused() {
    let emu = TestEmulator::start().await;
    let arn = published(&emu).await;
    let owner = emu.wa(&alice());
    for principal in [
        "arn:aws:iam::444455556666:role/Reviewers",
        "o-abcdefghij",
        "ou-ab12-cdefgh34",
    ] {
        owner
            .create_lens_share()
            .lens_alias(&arn)
            .shared_with(principal)
            .client_request_token(uuid())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{principal}: {e:?}"));
    }
    let error = owner
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("not-a-principal")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_validation_exception(), "{error:?}");
}

#[tokio::test]
async fn drafts_and_official_lenses_cannot_be_shared() {
    let emu = TestEmulator::start().await;
    let owner = emu.wa(&alice());
    let draft = import(&owner, "Draft").await;
    for alias in [draft.as_str(), "wellarchitected"] {
        let error = owner
            .create_lens_share()
            .lens_alias(alias)
            .shared_with("444455556666")
            .client_request_token(uuid())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(error.is_validation_exception(), "{alias}: {error:?}");
    }
}

#[tokio::test]
async fn only_the_owner_shares_and_a_deleted_share_is_gone() {
    let emu = TestEmulator::start().await;
    let arn = published(&emu).await;
    let error = emu
        .wa(&bob())
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("111122223333")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        error.is_resource_not_found_exception() || error.is_access_denied_exception(),
        "{error:?}"
    );

    let owner = emu.wa(&alice());
    let share = owner
        .create_lens_share()
        .lens_alias(&arn)
        .shared_with("444455556666")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    owner
        .delete_lens_share()
        .lens_alias(&arn)
        .share_id(share.share_id().unwrap())
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    assert!(
        owner
            .list_lens_shares()
            .lens_alias(&arn)
            .send()
            .await
            .unwrap()
            .lens_share_summaries()
            .is_empty()
    );
}
