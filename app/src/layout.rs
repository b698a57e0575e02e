//! The frame every page sits in: header with product name, navigation and the signed-in user,
//! and an error boundary so one failing page never blanks the whole screen.

use leptos::prelude::*;
use leptos_router::components::A;

const SECTIONS: [(&str, &str); 6] = [
    ("/lenses", "Lenses"),
    ("/reviews", "Reviews"),
    ("/workloads", "Workloads"),
    ("/grants", "Grants"),
    ("/audit", "Audit"),
    ("/admin", "Admin"),
];

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                "lensgate"
            </A>
            <nav aria-label="Main">
                <ul>
                    {SECTIONS
                        .into_iter()
                        .map(|(href, label)| view! {
                            <li>
                                <A href=href>{label}</A>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </nav>
            <div class="current-user" data-testid="current-user">
                "Not signed in"
            </div>
        </header>
        <main id="main">
            <ErrorBoundary fallback=|errors| view! { <PageError errors /> }>{children()}</ErrorBoundary>
        </main>
    }
}

#[component]
fn PageError(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <section class="page-error" role="alert">
            <h1>"Something went wrong"</h1>
            <p>"This page could not be shown. Reload it, and if the problem stays, tell an administrator what you see below."</p>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, error)| view! { <li>{error.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
