//! The frame every page sits in: header with product name, navigation and the signed-in user,
//! and an error boundary so one failing page never blanks the whole screen.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::{Role, signed_in, signed_in_can, waiting_reviews};

/// Each section with the least role that can use it: the others are not offered.
const SECTIONS: [(&str, &str, Role); 7] = [
    ("/lenses", "Lenses", Role::Viewer),
    // Authors see their own submissions there, reviewers every open review.
    ("/reviews", "Reviews", Role::Author),
    ("/workloads", "Workloads", Role::Viewer),
    ("/invitations", "Invitations", Role::Viewer),
    ("/grants", "Grants", Role::Viewer),
    ("/audit", "Audit", Role::Viewer),
    ("/admin", "Admin", Role::Admin),
];

/// Marks `<html data-hydrated>` once the page it ends is interactive. A lazy page hydrates
/// after its part of the bundle has loaded, later than the frame around it, so each page says
/// so itself; styles and browser tests wait for it.
#[component]
pub fn Interactive() -> impl IntoView {
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a href="/" class="brand">
                "lensgate"
            </a>
            // On a phone the navigation folds behind "Menu"; a checkbox keeps it working without
            // script.
            <input type="checkbox" id="menu-toggle" class="menu-toggle" />
            <label for="menu-toggle" class="menu-label">"Menu"</label>
            <nav aria-label="Main">
                <ul>
                    {SECTIONS
                        .into_iter()
                        .filter(|(_, _, needed)| signed_in_can(*needed))
                        .map(|(href, label, _)| {
                            let waiting = (href == "/reviews").then(waiting_reviews).filter(|n| *n > 0);
                            view! {
                                <li>
                                    <A href=href>
                                        {label}
                                        {waiting.map(|n| view! {
                                            <span class="badge" data-testid="waiting" title=format!("{n} waiting for you")>
                                                {n.to_string()}
                                                <span class="visually-hidden">" waiting for you"</span>
                                            </span>
                                        })}
                                    </A>
                                </li>
                            }
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

/// The signed-in user and a sign-out button: a plain form with or without JavaScript, since
/// signing out changes who the whole page is for and the sign-in page is loaded afresh anyway.
#[component]
fn CurrentUserMenu() -> impl IntoView {
    let user = signed_in();
    view! {
        <div class="current-user" data-testid="current-user">
            {match user {
                Some(user) => {
                    view! {
                        <A href="/account" attr:data-testid="user-name">{user.username}</A>
                        " "
                        <span class="visually-hidden">"role "</span>
                        <span class="role" data-testid="user-role" title="Your role">{user.role.to_string()}</span>
                        <form method="post" action="/api/logout" class="inline">
                            <button type="submit" class="link">"Sign out"</button>
                        </form>
                    }
                        .into_any()
                }
                None => view! { <A href="/login">"Sign in"</A> }.into_any(),
            }}
        </div>
    }
}
