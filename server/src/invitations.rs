//! Share invitations this account received, and answering them. Accepting one is what makes a
//! lens or workload shared from another account usable here.

use lensgate_app::{
    auth::CurrentUser,
    error::AppError,
    ids::HexId,
    invitations::{Answer, Invitation},
    services::{BoxFuture, Invitations},
};

use crate::{
    audit::Actor,
    gateway::{Change, ErrorKind, Gateway, every_page},
};

pub struct LiveInvitations {
    pub gateway: Gateway,
}

impl Invitations for LiveInvitations {
    fn list(&self) -> BoxFuture<'_, Result<Vec<Invitation>, AppError>> {
        Box::pin(self.pending())
    }

    fn answer(
        &self,
        by: CurrentUser,
        id: HexId,
        answer: Answer,
    ) -> BoxFuture<'_, Result<(), AppError>> {
        Box::pin(async move {
            // The audit target is the lens or workload, so its page shows who accepted it.
            let invitation = self
                .pending()
                .await?
                .into_iter()
                .find(|i| i.id == id.as_str())
                .ok_or_else(|| {
                    AppError::Invalid(
                        "This invitation is no longer pending: it was answered or withdrawn. Reload the page."
                            .into(),
                    )
                })?;
            let change = Change::UpdateShareInvitation {
                share_invitation_id: id,
                share_invitation_action: answer,
                resource: invitation.resource,
            };
            match self.gateway.apply(&Actor::from(&by), change).await {
                Ok(_) => Ok(()),
                Err(error) if error.kind == ErrorKind::Conflict => Err(AppError::Invalid(
                    "This invitation was already answered. Reload the page.".into(),
                )),
                Err(error) => Err(error.into()),
            }
        })
    }
}

impl LiveInvitations {
    async fn pending(&self) -> Result<Vec<Invitation>, AppError> {
        let invitations = every_page(
            |token| self.gateway.list_share_invitations(token),
            |page| {
                (
                    page.share_invitation_summaries.unwrap_or_default(),
                    page.next_token,
                )
            },
        )
        .await?;
        Ok(invitations
            .iter()
            .map(|i| {
                let is_lens = i
                    .share_resource_type()
                    .map(aws_sdk_wellarchitected::types::ShareResourceType::as_str)
                    == Some("LENS");
                Invitation {
                    id: i.share_invitation_id().unwrap_or_default().to_owned(),
                    resource_type: i
                        .share_resource_type()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                    name: if is_lens {
                        i.lens_name()
                    } else {
                        i.workload_name()
                    }
                    .unwrap_or_default()
                    .to_owned(),
                    resource: if is_lens {
                        i.lens_arn()
                    } else {
                        i.workload_id()
                    }
                    .unwrap_or_default()
                    .to_owned(),
                    shared_by: i.shared_by().unwrap_or_default().to_owned(),
                    shared_with: i.shared_with().unwrap_or_default().to_owned(),
                    permission: i.permission_type().map(|p| p.as_str().to_owned()),
                }
            })
            .collect())
    }
}
