//! What a new emulator database starts with, so that the workload and grant pages have
//! something to show: for each account, two workloads, and a license with one grant to another
//! account. Made through the operations' own handlers, once per database.

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::{
    accounts::Account,
    context::Ctx,
    error::ServiceError,
    licensemanager,
    store::{self, Store},
    wellarchitected,
};

/// The account a lone account's grant goes to.
const PARTNER_ACCOUNT: &str = "210987654321";

pub async fn seed(store: &Store, accounts: &[Account], region: &str) -> Result<(), ServiceError> {
    let mut write = store.write().await?;
    let fresh = sqlx::query!("INSERT OR IGNORE INTO meta (key, value) VALUES ('seeded', 'yes')")
        .execute(&mut *write.tx)
        .await
        .map_err(store::internal)?
        .rows_affected()
        == 1;
    if !fresh {
        return Ok(());
    }
    for (n, account) in accounts.iter().enumerate() {
        let ctx = Ctx {
            account: &account.account_id,
            region,
            now: OffsetDateTime::now_utc(),
            page_key: store.page_key(),
        };
        let grantee = accounts
            .get((n + 1) % accounts.len())
            .filter(|other| other.account_id != account.account_id)
            .map_or(PARTNER_ACCOUNT, |other| other.account_id.as_str());
        for workload in workloads() {
            wellarchitected::dispatch("CreateWorkload", &ctx, &mut write.tx, workload).await?;
        }
        let license = licensemanager::dispatch(
            "CreateLicense",
            &ctx,
            &mut write.tx,
            license(region, grantee),
        )
        .await?;
        let license_arn = license["LicenseArn"].as_str().unwrap_or_default();
        licensemanager::dispatch(
            "CreateGrant",
            &ctx,
            &mut write.tx,
            grant(license_arn, region, grantee),
        )
        .await?;
    }
    write.commit().await
}

fn workloads() -> [Value; 2] {
    [
        json!({
            "WorkloadName": "Payments API",
            "Description": "Card payments for the web shop: API Gateway, Lambda and DynamoDB.",
            "Environment": "PRODUCTION",
            "Lenses": ["wellarchitected", "serverless"],
            "ReviewOwner": "payments-team@example.com",
            "AwsRegions": ["us-east-1"],
            "ClientRequestToken": "seed-workload-payments",
        }),
        json!({
            "WorkloadName": "Data platform",
            "Description": "Nightly ingestion and the analysts' warehouse.",
            "Environment": "PREPRODUCTION",
            "Lenses": ["wellarchitected"],
            "ReviewOwner": "data-team@example.com",
            "AwsRegions": ["us-east-1"],
            "ClientRequestToken": "seed-workload-data",
        }),
    ]
}

fn license(region: &str, beneficiary: &str) -> Value {
    json!({
        "LicenseName": "Analytics suite seats",
        "ProductName": "Analytics suite",
        "ProductSKU": "ANL-100",
        "Issuer": { "Name": "Example Corp" },
        "HomeRegion": region,
        "Validity": { "Begin": "2026-01-01T00:00:00Z" },
        "Entitlements": [{ "Name": "Seats", "Unit": "Count", "MaxCount": 25 }],
        "Beneficiary": beneficiary,
        "ConsumptionConfiguration": {},
        "ClientToken": "seed-license",
    })
}

fn grant(license_arn: &str, region: &str, grantee: &str) -> Value {
    json!({
        "GrantName": "Partner analytics seats",
        "LicenseArn": license_arn,
        "Principals": [format!("arn:aws:iam::{grantee}:root")],
        "HomeRegion": region,
        "AllowedOperations": ["CheckoutLicense", "CheckInLicense", "ListPurchasedLicenses"],
        "ClientToken": "seed-grant",
    })
}
