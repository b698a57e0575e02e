//! Share invitations this account received (lenses and workloads other accounts shared with
//! it), and accepting or rejecting them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: String,
    /// LENS or WORKLOAD.
    pub resource_type: String,
    pub name: String,
    /// The lens ARN or the workload id.
    pub resource: String,
    pub shared_by: String,
    pub shared_with: String,
    /// READONLY or CONTRIBUTOR for a workload; none for a lens.
    pub permission: Option<String>,
}

/// Serialised by AWS's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Answer {
    Accept,
    Reject,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accept => "ACCEPT",
            Answer::Reject => "REJECT",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Answer::Accept, Answer::Reject]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

#[server(prefix = "/api", endpoint = "invitations")]
pub async fn list_invitations() -> Result<Vec<Invitation>, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .invitations
        .list()
        .await
}

/// Accepts or rejects an invitation; `answer` is ACCEPT or REJECT.
#[server(prefix = "/api", endpoint = "invitations/answer")]
pub async fn answer_invitation(id: String, answer: String) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Author)?;
    let answer = Answer::parse(&answer)
        .ok_or_else(|| AppError::Invalid("Choose Accept or Reject.".into()))?;
    crate::services::Services::current()?
        .invitations
        .answer(
            user,
            crate::ids::HexId::parse(&id, "share invitation id")?,
            answer,
        )
        .await
}
