use leptos::{prelude::*, server_fn::error::ServerFnUrlError};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    error::AppError,
    sign_in::{Login, safe_next},
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    // Without JavaScript a failed sign-in comes back here with the error in the address.
    let returned_error = move || {
        let query = query.read();
        (query.get("__path").as_deref() == Some("/api/login"))
            .then(|| query.get("__err"))
            .flatten()
            .map(|encoded| ServerFnUrlError::<AppError>::decode_err(&encoded))
    };
    let error = move || match login.value().get() {
        Some(Err(error)) => Some(error),
        Some(Ok(())) => None,
        None => returned_error(),
    };

    // A new user means a new page: load where they were going afresh, header included.
    Effect::new(move |_| {
        if matches!(login.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href(&next());
        }
    });

    view! {
        <Title text="Sign in" />
        <section class="panel login" aria-labelledby="login-heading">
            <h1 id="login-heading">"Sign in"</h1>
            <ActionForm action=login>
                <input type="hidden" name="next" value=next />
                <label for="username">"Username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required autofocus />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                {move || error().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e.to_string()}</p> })}
                <button type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
    }
}
