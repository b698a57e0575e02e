//! Signing in and out, and asking who is signed in.

use leptos::prelude::*;

use crate::{auth::CurrentUser, error::AppError};

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let signed_in = crate::services::Services::current()?
        .sign_in
        .sign_in(username, password)
        .await;
    if let Err(error) = signed_in {
        match error {
            AppError::InvalidCredentials => {
                crate::auth::ssr::set_status(http::StatusCode::UNAUTHORIZED);
            }
            AppError::TooManyAttempts { .. } => {
                crate::auth::ssr::set_status(http::StatusCode::TOO_MANY_REQUESTS);
            }
            _ => {}
        }
        return Err(error);
    }
    crate::auth::ssr::redirect_plain_form(&safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::services::Services::current()?
        .sign_in
        .sign_out()
        .await?;
    crate::auth::ssr::redirect_plain_form("/login");
    Ok(())
}

#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::auth::ssr::current_user())
}

/// Only a path on this site: never another origin (`//evil.example`, `https://...`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/lenses?type=custom")),
            "/lenses?type=custom"
        );
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "lenses",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
