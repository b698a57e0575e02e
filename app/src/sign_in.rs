//! Signing in and out, and asking who is signed in.

use leptos::prelude::*;

use crate::{auth::CurrentUser, error::AppError, href::encode_query};

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
        crate::auth::ssr::redirect_plain_form(
            &SignInFailure::of(&error).address(&safe_next(next.as_deref())),
        );
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

/// Why a sign-in failed, as the sign-in page's address names it: the form is posted as a plain
/// form, and the page it comes back to reads the failure from two short query values instead of
/// decoding a serialized error (which would put the decoders in every first download).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInFailure {
    Credentials,
    Throttled {
        seconds: u64,
    },
    /// Anything else: the server's log has the cause.
    Unavailable,
}

impl SignInFailure {
    pub fn of(error: &AppError) -> Self {
        match error {
            AppError::InvalidCredentials => SignInFailure::Credentials,
            AppError::TooManyAttempts { seconds } => SignInFailure::Throttled { seconds: *seconds },
            _ => SignInFailure::Unavailable,
        }
    }

    /// The sign-in page that shows this failure, keeping where the user was going.
    pub fn address(self, next: &str) -> String {
        let failed = match self {
            SignInFailure::Credentials => "credentials".to_owned(),
            SignInFailure::Throttled { seconds } => format!("throttled&wait={seconds}"),
            SignInFailure::Unavailable => "unavailable".to_owned(),
        };
        format!("/login?next={}&failed={failed}", encode_query(next))
    }

    /// Reads the failure back from the address; `None` when it names none.
    pub fn from_query(failed: Option<&str>, wait: Option<&str>) -> Option<Self> {
        match failed? {
            "credentials" => Some(SignInFailure::Credentials),
            "throttled" => Some(SignInFailure::Throttled {
                seconds: wait.and_then(|w| w.parse().ok()).unwrap_or(60),
            }),
            _ => Some(SignInFailure::Unavailable),
        }
    }

    /// The sentence the sign-in page shows: the error's own words.
    pub fn message(self) -> String {
        match self {
            SignInFailure::Credentials => AppError::InvalidCredentials.to_string(),
            SignInFailure::Throttled { seconds } => {
                AppError::TooManyAttempts { seconds }.to_string()
            }
            SignInFailure::Unavailable => {
                AppError::Unavailable("Signing in".to_owned()).to_string()
            }
        }
    }
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
    use super::{SignInFailure, safe_next};
    use crate::error::AppError;

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

    #[test]
    fn a_failed_sign_in_survives_the_trip_through_the_address() {
        for error in [
            AppError::InvalidCredentials,
            AppError::TooManyAttempts { seconds: 42 },
            AppError::Internal,
        ] {
            let failure = SignInFailure::of(&error);
            let address = failure.address("/lenses?type=custom");
            let query = address.strip_prefix("/login?").unwrap();
            let value = |key: &str| {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            };
            assert_eq!(value("next"), Some("/lenses%3Ftype%3Dcustom"));
            assert_eq!(
                SignInFailure::from_query(value("failed"), value("wait")),
                Some(failure)
            );
        }
        assert_eq!(
            SignInFailure::Throttled { seconds: 42 }.message(),
            "Too many failed sign-ins. Wait 42 seconds, then try again."
        );
        assert_eq!(SignInFailure::from_query(None, None), None);
    }
}
