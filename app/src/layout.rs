//! The frame every page sits in: header with product name, navigation and the signed-in user,
//! and an error boundary so one failing page never blanks the whole screen.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::account::Logout;

const SECTIONS: [(&str, &str); 7] = [
    ("/lenses", "Lenses"),
    ("/reviews", "Reviews"),
    ("/workloads", "Workloads"),
    ("/invitations", "Invitations"),
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
            <CurrentUserMenu />
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

/// The signed-in user and a sign-out button that also works without JavaScript. The user is
/// known when the server renders the page, so it travels with the page instead of streaming in.
#[component]
fn CurrentUserMenu() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let signed_in = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let user = crate::auth::ssr::current_user();
        #[cfg(not(feature = "ssr"))]
        let user: Option<crate::auth::CurrentUser> = None;
        user
    });
    let user = signed_in.into_inner();
    // Signing out changes who the whole page is for: load the sign-in page afresh.
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/login");
        }
    });
    view! {
        <div class="current-user" data-testid="current-user">
            {match user {
                Some(user) => {
                    view! {
                        <A href="/account" attr:data-testid="user-name">{user.username}</A>
                        " "
                        <span class="role" data-testid="user-role">{user.role.to_string()}</span>
                        <ActionForm action=logout attr:class="inline">
                            <button type="submit" class="link">"Sign out"</button>
                        </ActionForm>
                    }
                        .into_any()
                }
                None => view! { <A href="/login">"Sign in"</A> }.into_any(),
            }}
        </div>
    }
}
