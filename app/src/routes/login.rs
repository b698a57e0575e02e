use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::sign_in::{SignInFailure, safe_next};

/// A plain form, with or without JavaScript: a successful sign-in loads the next page afresh
/// (a new user means a new page, header included), and a failed one comes back here naming the
/// failure in the address. Keeping it so leaves the server-function client and its decoders out
/// of the first download (README, "The browser bundle"), and for the same reason its two
/// fields are written out in the markup `form_field::Field` renders rather than through it.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    let error = move || {
        let query = query.read();
        SignInFailure::from_query(query.get("failed").as_deref(), query.get("wait").as_deref())
            .map(SignInFailure::message)
    };
    let pending = RwSignal::new(false);
    // A page restored from the back/forward cache keeps the button as it was when it left.
    let restored = window_event_listener(leptos::ev::pageshow, move |_| pending.set(false));
    on_cleanup(move || restored.remove());

    view! {
        <Title text="Sign in" />
        <section class="panel login" aria-labelledby="login-heading">
            <h1 id="login-heading">"Sign in"</h1>
            <form method="post" action="/api/login" class="stacked" on:submit=move |_| pending.set(true)>
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="username">"Username"</label>
                    <span class="required" title="required" aria-hidden="true">" *"</span>
                    <input id="username" name="username" type="text" autocomplete="username" required autofocus />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <span class="required" title="required" aria-hidden="true">" *"</span>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                {move || error().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
                <button type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
