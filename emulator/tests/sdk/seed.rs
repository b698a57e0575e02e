//! A new database starts with example workloads, a license and a grant for each account, once.

use aws_sdk_licensemanager::types::GrantStatus;

use crate::helpers::{TestEmulator, alice, bob};

async fn assert_seeded(emu: &TestEmulator) {
    let workloads = emu.wa(&alice()).list_workloads().send().await.unwrap();
    let mut names: Vec<_> = workloads
        .workload_summaries()
        .iter()
        .map(|w| w.workload_name().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Data platform", "Payments API"]);

    let distributed = emu
        .lm(&alice())
        .list_distributed_grants()
        .send()
        .await
        .unwrap();
    let grants = distributed.grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].grant_name(), "Partner analytics seats");
    assert_eq!(
        grants[0].grantee_principal_arn(),
        "arn:aws:iam::444455556666:root"
    );
    assert_eq!(grants[0].grant_status(), &GrantStatus::PendingAccept);
    assert_eq!(grants[0].version(), "1");

    let received = emu.lm(&bob()).list_received_grants().send().await.unwrap();
    assert!(
        received
            .grants()
            .iter()
            .any(|g| g.grant_name() == "Partner analytics seats")
    );
    let licenses = emu.lm(&alice()).list_licenses().send().await.unwrap();
    let names: Vec<_> = licenses
        .licenses()
        .iter()
        .map(|l| l.license_name().unwrap())
        .collect();
    assert_eq!(names, ["Analytics suite seats"]);
}

#[tokio::test]
async fn a_new_database_has_workloads_and_a_granted_license_and_a_restart_adds_none() {
    let emu = TestEmulator::start_seeded().await;
    assert_seeded(&emu).await;
    let emu = emu.restart().await;
    assert_seeded(&emu).await;
}
