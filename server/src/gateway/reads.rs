//! The reads the pages need. They change nothing, so they are not audited; their errors get
//! the same words as changes.

use aws_sdk_licensemanager::operation::{
    get_grant::GetGrantOutput, list_distributed_grants::ListDistributedGrantsOutput,
    list_received_grants::ListReceivedGrantsOutput,
};
use aws_sdk_wellarchitected::operation::{
    export_lens::ExportLensOutput, get_lens::GetLensOutput,
    get_lens_version_difference::GetLensVersionDifferenceOutput, get_workload::GetWorkloadOutput,
    list_lens_shares::ListLensSharesOutput, list_lenses::ListLensesOutput,
    list_share_invitations::ListShareInvitationsOutput,
    list_workload_shares::ListWorkloadSharesOutput, list_workloads::ListWorkloadsOutput,
};

use aws_sdk_wellarchitected::types::LensSummary;

use super::{Gateway, GatewayError, error::Failure};

fn failed<E>(
    action: &str,
) -> impl Fn(
    aws_sdk_wellarchitected::error::SdkError<E, aws_sdk_wellarchitected::config::http::HttpResponse>,
) -> GatewayError
+ '_
where
    E: aws_sdk_wellarchitected::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    move |error| Failure::from_sdk(&error).for_action(action, None)
}

/// Every page of a paginated read: `fetch` asks for the page after a token, `take` splits a page
/// into its items and the next token.
pub async fn every_page<P, T, Fut>(
    mut fetch: impl FnMut(Option<String>) -> Fut,
    mut take: impl FnMut(P) -> (Vec<T>, Option<String>),
) -> Result<Vec<T>, GatewayError>
where
    Fut: std::future::Future<Output = Result<P, GatewayError>>,
{
    let mut items = Vec::new();
    let mut next_token = None;
    loop {
        let (page, next) = take(fetch(next_token).await?);
        items.extend(page);
        match next {
            Some(token) => next_token = Some(token),
            None => return Ok(items),
        }
    }
}

impl Gateway {
    /// One page of ListLenses; with `name`, the lenses AWS matches to that name.
    pub async fn list_lenses(
        &self,
        name: Option<&str>,
        next_token: Option<String>,
    ) -> Result<ListLensesOutput, GatewayError> {
        self.aws
            .wellarchitected
            .list_lenses()
            .set_lens_name(name.map(str::to_owned))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(failed("ListLenses"))
    }

    /// Every lens visible to the account (with `name`, those AWS matches to it), all pages.
    pub async fn list_all_lenses(
        &self,
        name: Option<&str>,
    ) -> Result<Vec<LensSummary>, GatewayError> {
        every_page(
            |token| self.list_lenses(name, token),
            |page| (page.lens_summaries.unwrap_or_default(), page.next_token),
        )
        .await
    }

    pub async fn get_lens(
        &self,
        alias: &str,
        version: Option<String>,
    ) -> Result<GetLensOutput, GatewayError> {
        self.aws
            .wellarchitected
            .get_lens()
            .lens_alias(alias)
            .set_lens_version(version)
            .send()
            .await
            .map_err(failed("GetLens"))
    }

    pub async fn export_lens(
        &self,
        alias: &str,
        version: Option<String>,
    ) -> Result<ExportLensOutput, GatewayError> {
        self.aws
            .wellarchitected
            .export_lens()
            .lens_alias(alias)
            .set_lens_version(version)
            .send()
            .await
            .map_err(failed("ExportLens"))
    }

    pub async fn get_lens_version_difference(
        &self,
        alias: &str,
        base: &str,
        target: Option<String>,
    ) -> Result<GetLensVersionDifferenceOutput, GatewayError> {
        self.aws
            .wellarchitected
            .get_lens_version_difference()
            .lens_alias(alias)
            .base_lens_version(base)
            .set_target_lens_version(target)
            .send()
            .await
            .map_err(failed("GetLensVersionDifference"))
    }

    pub async fn list_lens_shares(
        &self,
        alias: &str,
        next_token: Option<String>,
    ) -> Result<ListLensSharesOutput, GatewayError> {
        self.aws
            .wellarchitected
            .list_lens_shares()
            .lens_alias(alias)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(failed("ListLensShares"))
    }

    pub async fn list_workloads(
        &self,
        name_prefix: Option<String>,
        next_token: Option<String>,
    ) -> Result<ListWorkloadsOutput, GatewayError> {
        self.aws
            .wellarchitected
            .list_workloads()
            .set_workload_name_prefix(name_prefix)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(failed("ListWorkloads"))
    }

    pub async fn get_workload(&self, id: &str) -> Result<GetWorkloadOutput, GatewayError> {
        self.aws
            .wellarchitected
            .get_workload()
            .workload_id(id)
            .send()
            .await
            .map_err(failed("GetWorkload"))
    }

    pub async fn list_workload_shares(
        &self,
        id: &str,
        next_token: Option<String>,
    ) -> Result<ListWorkloadSharesOutput, GatewayError> {
        self.aws
            .wellarchitected
            .list_workload_shares()
            .workload_id(id)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(failed("ListWorkloadShares"))
    }

    pub async fn list_share_invitations(
        &self,
        next_token: Option<String>,
    ) -> Result<ListShareInvitationsOutput, GatewayError> {
        self.aws
            .wellarchitected
            .list_share_invitations()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(failed("ListShareInvitations"))
    }

    pub async fn get_grant(
        &self,
        arn: &str,
        version: Option<String>,
    ) -> Result<GetGrantOutput, GatewayError> {
        self.aws
            .license_manager
            .get_grant()
            .grant_arn(arn)
            .set_version(version)
            .send()
            .await
            .map_err(|e| Failure::from_sdk(&e).for_action("GetGrant", None))
    }

    pub async fn list_distributed_grants(
        &self,
        next_token: Option<String>,
    ) -> Result<ListDistributedGrantsOutput, GatewayError> {
        self.aws
            .license_manager
            .list_distributed_grants()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| Failure::from_sdk(&e).for_action("ListDistributedGrants", None))
    }

    pub async fn list_received_grants(
        &self,
        next_token: Option<String>,
    ) -> Result<ListReceivedGrantsOutput, GatewayError> {
        self.aws
            .license_manager
            .list_received_grants()
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| Failure::from_sdk(&e).for_action("ListReceivedGrants", None))
    }
}
