use aws_sdk_wellarchitected::types::{
    PermissionType, ShareInvitationAction, ShareStatus, WorkloadEnvironment,
};

use crate::helpers::{TestEmulator, alice, bob, uuid};

async fn workload(client: &aws_sdk_wellarchitected::Client, name: &str) -> String {
    client
        .create_workload()
        .workload_name(name)
        .description("A workload for tests")
        .environment(WorkloadEnvironment::Production)
        .lenses("wellarchitected")
        .aws_regions("us-east-1")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap()
        .workload_id()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_workload_share_carries_its_permission_which_can_change() {
    let emu = TestEmulator::start().await;
    let owner = emu.wa(&alice());
    let id = workload(&owner, "Checkout").await;
    let share = owner
        .create_workload_share()
        .workload_id(&id)
        .shared_with("444455556666")
        .permission_type(PermissionType::Readonly)
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    let share_id = share.share_id().unwrap();

    let updated = owner
        .update_workload_share()
        .workload_id(&id)
        .share_id(share_id)
        .permission_type(PermissionType::Contributor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.workload_share().unwrap().permission_type(),
        Some(&PermissionType::Contributor)
    );

    let listed = owner
        .list_workload_shares()
        .workload_id(&id)
        .send()
        .await
        .unwrap();
    let summary = &listed.workload_share_summaries()[0];
    assert_eq!(
        summary.permission_type(),
        Some(&PermissionType::Contributor)
    );
    assert_eq!(summary.status(), Some(&ShareStatus::Pending));

    let recipient = emu.wa(&bob());
    let invitations = recipient.list_share_invitations().send().await.unwrap();
    let invitation = &invitations.share_invitation_summaries()[0];
    assert_eq!(invitation.workload_id(), Some(id.as_str()));
    recipient
        .update_share_invitation()
        .share_invitation_id(invitation.share_invitation_id().unwrap())
        .share_invitation_action(ShareInvitationAction::Accept)
        .send()
        .await
        .unwrap();
    let seen = recipient
        .get_workload()
        .workload_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(seen.workload().unwrap().workload_name(), Some("Checkout"));
    let listed = recipient.list_workloads().send().await.unwrap();
    assert_eq!(listed.workload_summaries().len(), 1);

    owner
        .delete_workload_share()
        .workload_id(&id)
        .share_id(share_id)
        .client_request_token(uuid())
        .send()
        .await
        .unwrap();
    assert!(
        owner
            .list_workload_shares()
            .workload_id(&id)
            .send()
            .await
            .unwrap()
            .workload_share_summaries()
            .is_empty()
    );
}

#[tokio::test]
async fn a_workload_name_is_unique_per_account() {
    let emu = TestEmulator::start().await;
    let owner = emu.wa(&alice());
    workload(&owner, "Checkout").await;
    let error = owner
        .create_workload()
        .workload_name("checkout")
        .description("again")
        .environment(WorkloadEnvironment::Preproduction)
        .lenses("wellarchitected")
        .aws_regions("us-east-1")
        .client_request_token(uuid())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_conflict_exception(), "{error:?}");
}

#[tokio::test]
async fn another_accounts_workload_is_not_found_until_shared() {
    let emu = TestEmulator::start().await;
    let id = workload(&emu.wa(&alice()), "Private").await;
    let error = emu
        .wa(&bob())
        .get_workload()
        .workload_id(&id)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
}
