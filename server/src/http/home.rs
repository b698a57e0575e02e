//! The home page, rendered with the server status it shows already loaded: the page carries it
//! to the browser itself (`lensgate_app::page_data`), so its code needs no server-function
//! client in the first download.

use axum::{body::Body, response::Response};
use http::Request;
use lensgate_app::{
    auth::CurrentUser, page_data::PageData, routes::home::HomeStatus, services::Services,
};
use leptos::prelude::{IntoView, provide_context};

pub const PATH: &str = "/";

/// Loads the status for a signed-in user (the session layer has already sent everyone else to
/// the sign-in page), then renders the page as the other routes are rendered.
pub async fn page<IV>(
    services: Services,
    context: impl Fn() + Clone + Send + Sync + 'static,
    shell: impl Fn() -> IV + Clone + Send + Sync + 'static,
    request: Request<Body>,
) -> Response
where
    IV: IntoView + 'static,
{
    let status: Option<HomeStatus> = match request.extensions().get::<CurrentUser>() {
        Some(_) => Some(services.status.status().await.map_err(|e| e.to_string())),
        None => None,
    };
    let render = leptos_axum::render_app_to_stream_with_context(
        move || {
            context();
            if let Some(status) = status.clone() {
                provide_context(PageData(status));
            }
        },
        shell,
    );
    render(request).await
}
