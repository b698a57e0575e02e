//! Sharing a published lens with many principals at once, and revoking a share.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ids::{HexId, LensArn};
use crate::{error::AppError, principal::PrincipalKind};

/// What became of one entry of the pasted list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareOutcome {
    Shared,
    AlreadyShared,
    /// AWS refused; its reason in words.
    Refused(String),
    /// Not sent: the entry is not a principal, is listed twice, or is the owner's account.
    NotSent(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareResult {
    pub principal: String,
    pub kind: Option<PrincipalKind>,
    pub outcome: ShareOutcome,
}

/// Shares the lens with every valid principal of the list, one audited CreateLensShare each.
#[server(prefix = "/api", endpoint = "lenses/share")]
pub async fn share_lens(
    lens_arn: String,
    principals: String,
    #[server(default)] token: String,
) -> Result<Vec<ShareResult>, AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    let results = crate::services::Services::current()?
        .lenses
        .share(user, LensArn::parse(&lens_arn)?, principals, token)
        .await?;
    let count = |wanted: fn(&ShareOutcome) -> bool| {
        u32::try_from(results.iter().filter(|r| wanted(&r.outcome)).count()).unwrap_or(u32::MAX)
    };
    crate::form_outcome::announce(&crate::form_outcome::Done::Shared {
        shared: count(|o| *o == ShareOutcome::Shared),
        already: count(|o| *o == ShareOutcome::AlreadyShared),
        refused: count(|o| matches!(o, ShareOutcome::Refused(_) | ShareOutcome::NotSent(_))),
    });
    Ok(results)
}

#[server(prefix = "/api", endpoint = "lenses/unshare")]
pub async fn revoke_lens_share(
    lens_arn: String,
    share_id: String,
    #[server(default)] token: String,
) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    crate::services::Services::current()?
        .lenses
        .revoke(
            user,
            LensArn::parse(&lens_arn)?,
            HexId::parse(&share_id, "share id")?,
            token,
        )
        .await?;
    crate::form_outcome::announce(&crate::form_outcome::Done::Revoked);
    Ok(())
}
