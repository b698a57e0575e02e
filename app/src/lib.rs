//! The lensgate user interface: one module per page under `routes`, the frame around them in
//! `layout`, and the ports the server implements in `services`.

// Leptos view types nest deeply; the lens editor's hydration exceeds the default limit.
#![recursion_limit = "256"]

pub mod api_tokens;
pub mod audit_browser;
pub mod audit_view;
pub mod auth;
pub mod code_text;
pub mod dashboard;
pub mod diff_view;
pub mod draft_store;
pub mod edit_history;
pub mod error;
pub mod form_field;
pub mod form_outcome;
pub mod form_token;
pub mod grants;
pub mod href;
pub mod ids;
pub mod invitations;
pub mod layout;
pub mod lens_catalog;
pub mod lens_outline;
pub mod lens_preview;
pub mod lens_shares;
pub mod page_data;
pub mod principal;
pub mod reviews;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod services;
pub mod sign_in;
pub mod status;
pub mod time_view;
pub mod upgrade_view;
pub mod users;
pub mod webhooks;
pub mod workloads;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::layout::{Frame, Interactive};
use crate::routes::{home::HomePage, lazy, login::LoginPage, not_found::NotFound};

/// The HTML document the server renders around the app. The stylesheet's address comes from the
/// server because a release build gives it a content hash.
pub fn shell(options: LeptosOptions, stylesheet_href: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet_href />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only from this origin or with this response's nonce (the hydration script),
/// and WebAssembly may be compiled; nothing else inline, no framing.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use leptos::nonce::use_nonce;
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_signed_in();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "lensgate".to_owned() } else { format!("{page} · lensgate") }
        } />
        <Router>
            <Frame>
                // The first download holds the sign-in and home pages; every other page is a
                // lazy part of the bundle (`routes::lazy`).
                <Routes fallback=|| view! { <NotFound /> <Interactive /> }>
                    <Route path=path!("") view=|| view! { <HomePage /> <Interactive /> } />
                    <Route path=path!("/login") view=|| view! { <LoginPage /> <Interactive /> } />
                    <Route path=path!("/account") view={Lazy::<lazy::Account>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/lenses") view={Lazy::<lazy::Lenses>::new()} />
                    <Route path=path!("/lenses/new") view={Lazy::<lazy::LensEditor>::new()} />
                    // Its panels load their own data; in order, they render without JavaScript too.
                    <Route path=path!("/lenses/detail") view={Lazy::<lazy::LensDetail>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/lenses/compare") view={Lazy::<lazy::LensCompare>::new()} />
                    <Route path=path!("/reviews") view={Lazy::<lazy::Reviews>::new()} />
                    <Route path=path!("/reviews/detail") view={Lazy::<lazy::Review>::new()} />
                    <Route path=path!("/workloads") view={Lazy::<lazy::Workloads>::new()} />
                    <Route path=path!("/workloads/new") view={Lazy::<lazy::NewWorkload>::new()} />
                    <Route path=path!("/workloads/detail") view={Lazy::<lazy::Workload>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/invitations") view={Lazy::<lazy::Invitations>::new()} />
                    <Route path=path!("/grants") view={Lazy::<lazy::Grants>::new()} />
                    <Route path=path!("/grants/detail") view={Lazy::<lazy::Grant>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/audit") view={Lazy::<lazy::Audit>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/audit/event") view={Lazy::<lazy::AuditEvent>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/admin") view={Lazy::<lazy::Admin>::new()} ssr=SsrMode::InOrder />
                </Routes>
            </Frame>
        </Router>
    }
}
