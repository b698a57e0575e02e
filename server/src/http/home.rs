//! The home page, rendered with its dashboard (and, for administrators, the server's facts)
//! already loaded: the page carries them to the browser itself (`lensgate_app::page_data`), so
//! its code needs no server-function client in the first download.

use axum::{body::Body, response::Response};
use http::Request;
use lensgate_app::{auth::CurrentUser, dashboard::Home, page_data::PageData, services::Services};
use leptos::prelude::{IntoView, provide_context};

pub const PATH: &str = "/";

/// Loads the dashboard for a signed-in user (the session layer has already sent everyone else
/// to the sign-in page), then renders the page as the other routes are rendered.
pub async fn page<IV>(
    services: Services,
    context: impl Fn() + Clone + Send + Sync + 'static,
    shell: impl Fn() -> IV + Clone + Send + Sync + 'static,
    request: Request<Body>,
) -> Response
where
    IV: IntoView + 'static,
{
    let home: Option<Home> = match request.extensions().get::<CurrentUser>() {
        Some(user) => Some(Home::load(&services, user).await),
        None => None,
    };
    let render = leptos_axum::render_app_to_stream_with_context(
        move || {
            context();
            if let Some(home) = home.clone() {
                provide_context(PageData(home));
            }
        },
        shell,
    );
    render(request).await
}
