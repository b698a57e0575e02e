//! Who is signed in and what their role lets them do. Roles are ordered: each includes the
//! rights of the ones below it, so a check is one comparison.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "lowercase"))]
pub enum Role {
    /// Reads everything, changes nothing.
    Viewer,
    /// Imports lenses, submits drafts, shares, creates grant versions.
    Author,
    /// Also approves drafts of others and publishes versions.
    Reviewer,
    /// Also manages users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Author, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Author => "author",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub username: String,
    pub role: Role,
    /// The name of the API token the request came with; `None` for a session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl CurrentUser {
    pub fn can(&self, needed: Role) -> bool {
        self.role >= needed
    }
}

/// How many open reviews the signed-in user can decide; the server counts them for each page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingReviews(pub u32);

/// Who the page is for. The server knows it when it renders the page and sends it along, so
/// every part of the page can offer what this user can do and hide what they cannot.
#[derive(Clone, Debug)]
struct SignedIn(Option<CurrentUser>, WaitingReviews);

/// Called once, at the root of the app, before any page asks [`signed_in`].
pub fn provide_signed_in() {
    let (user, waiting) = leptos::prelude::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let found = (ssr::current_user(), ssr::waiting_reviews());
        #[cfg(not(feature = "ssr"))]
        let found: (Option<CurrentUser>, WaitingReviews) = (None, WaitingReviews(0));
        found
    })
    .into_inner();
    leptos::prelude::provide_context(SignedIn(user, waiting));
}

pub fn signed_in() -> Option<CurrentUser> {
    leptos::prelude::use_context::<SignedIn>().and_then(|s| s.0)
}

/// Open reviews the page's user can decide, as counted when the page was rendered.
pub fn waiting_reviews() -> u32 {
    leptos::prelude::use_context::<SignedIn>().map_or(0, |s| s.1.0)
}

/// Whether the page's user has at least the role `needed`.
pub fn signed_in_can(needed: Role) -> bool {
    signed_in().is_some_and(|user| user.can(needed))
}

/// Who the request is from, as the server's session middleware found it.
#[cfg(feature = "ssr")]
pub mod ssr {
    use leptos::prelude::use_context;

    use super::{CurrentUser, Role};
    use crate::error::AppError;

    pub fn current_user() -> Option<CurrentUser> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
    }

    pub fn waiting_reviews() -> super::WaitingReviews {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<super::WaitingReviews>().copied())
            .unwrap_or_default()
    }

    /// The signed-in user, if their role is at least `needed`.
    pub fn require(needed: Role) -> Result<CurrentUser, AppError> {
        let Some(user) = current_user() else {
            set_status(http::StatusCode::UNAUTHORIZED);
            return Err(AppError::Unauthenticated);
        };
        if user.can(needed) {
            Ok(user)
        } else {
            set_status(http::StatusCode::FORBIDDEN);
            Err(AppError::Forbidden {
                needed: needed.to_string(),
            })
        }
    }

    /// The HTTP status of a refusal, so tools and proxies see it for what it is. A form posted
    /// without JavaScript keeps the redirect back to its page, which shows the error.
    pub fn set_status(status: http::StatusCode) {
        if is_plain_form() {
            return;
        }
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }

    /// A form posted without JavaScript is answered with a redirect; with JavaScript the page
    /// moves on itself once the action succeeds, so a second, client-side navigation would race it.
    pub fn redirect_plain_form(to: &str) {
        if is_plain_form() {
            leptos_axum::redirect(to);
        }
    }

    /// Whether the request is a form posted by a browser without JavaScript (it accepts HTML).
    pub fn is_plain_form() -> bool {
        use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn each_role_includes_the_ones_below() {
        assert!(
            Role::Admin > Role::Reviewer
                && Role::Reviewer > Role::Author
                && Role::Author > Role::Viewer
        );
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
