//! The HTTP surface: health probes, the browser bundle, server functions and server-rendered
//! pages, wrapped in request ids, tracing and compression.

mod assets;
mod audit_export;
mod body_limit;
mod error_status;
mod health;
mod home;
mod lens_pages;
mod questionnaire;
mod security;

use std::{sync::Arc, time::Duration};

use axum::response::{IntoResponse, Response};
use axum::{
    Router,
    extract::FromRef,
    routing::{get, post},
};
use http::{HeaderName, Request, StatusCode};
use lensgate_app::{App, error::AppError, services::Services, shell};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

pub use assets::SiteAssets;
pub(crate) use audit_export::audit_query;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Everything a handler may need, cheap to clone. Handlers reach stores and AWS only through
/// the same ports as the server functions.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub assets: Arc<SiteAssets>,
    /// `--public-url`, for addresses the JSON API hands out.
    pub public_url: Option<Arc<str>>,
}

/// An error as a plain-text answer with its status, for the routes that are not pages.
fn refused(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// `track_metrics` counts every matched request for `/metrics` (`crate::prometheus`).
pub fn router(
    state: AppState,
    accounts: Arc<crate::accounts::Accounts>,
    sessions: tower_sessions::SessionManagerLayer<crate::accounts::session_store::SessionStore>,
    track_metrics: bool,
) -> Router {
    // The home page has a handler of its own, which loads its data first.
    let routes: Vec<_> = generate_route_list(App)
        .into_iter()
        .filter(|route| route.path() != home::PATH)
        .collect();
    let services = state.services.clone();
    let context = {
        let services = services.clone();
        move || provide_context(services.clone())
    };
    let stylesheet = state.assets.stylesheet_href.clone();
    let page = {
        let options = state.leptos_options.clone();
        let stylesheet = stylesheet.clone();
        move || shell(options.clone(), stylesheet.clone())
    };
    let not_found = move |options| shell(options, stylesheet.clone());
    let home = {
        let context = context.clone();
        let page = page.clone();
        move |request| home::page(services.clone(), context.clone(), page.clone(), request)
    };

    let routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest_service("/pkg", state.assets.service())
        .route("/lenses/export", get(lens_pages::export))
        .route("/lenses/questionnaire", get(questionnaire::questionnaire))
        .route("/audit/export", get(audit_export::export))
        .route("/lenses/new", post(lens_pages::submit))
        .route(home::PATH, get(home))
        .merge(crate::api::router())
        .leptos_routes_with_context(&state, routes, context.clone(), page);
    let routes = if track_metrics {
        routes.route_layer(axum::middleware::from_fn(crate::prometheus::track))
    } else {
        routes
    };
    routes
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, not_found,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            accounts,
            crate::accounts::session::load_user,
        ))
        .layer(axum::middleware::from_fn(error_status::status_of_errors))
        .layer(sessions)
        .layer(axum::middleware::from_fn(security::same_origin_writes))
        .layer(axum::middleware::from_fn(body_limit::limit))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    uri = %request.uri(),
                    request_id = %request_id,
                )
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}
