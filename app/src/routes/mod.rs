//! One module per page.

pub mod account;
pub mod admin;
pub mod audit;
pub mod grants;
pub mod home;
pub mod invitations;
pub mod lazy;
pub mod lens_compare;
pub mod lens_detail;
pub mod lens_editor;
pub mod lens_shares;
pub mod lenses;
pub mod login;
pub mod not_found;
pub mod review;
pub mod reviews;
pub mod workloads;

/// What an error boundary caught, as the sentences to show.
pub fn errors_text(errors: &leptos::error::Errors) -> String {
    errors
        .iter()
        .map(|(_, error)| error.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An error boundary's fallback: what it caught, as one alert.
pub fn error_alert(
    errors: leptos::prelude::ArcRwSignal<leptos::error::Errors>,
) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    view! { <p class="error" role="alert">{move || errors_text(&errors.get())}</p> }
}
