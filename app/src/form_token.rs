//! The token each form carries. The server derives the idempotency token of the change a form
//! asks for from it and the form's input, so submitting the same form twice (a double click, a
//! browser re-posting after a lost answer) makes the change once.

use leptos::prelude::*;

use crate::error::AppError;

/// A token for a form about to be rendered.
#[cfg(feature = "ssr")]
pub fn fresh() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A token for a page whose data does not bring one.
#[server(prefix = "/api", endpoint = "form-token")]
pub async fn issue_form_token() -> Result<String, AppError> {
    crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    Ok(fresh())
}
