//! The signed-in user's own account: changing the password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .users
        .change_own_password(user, current, new)
        .await
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <Title text="Your account" />
        <h1>"Your account"</h1>
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
            <p>"Your other sessions end when the password changes."</p>
            <ActionForm action=change>
                <label for="current">"Current password"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
                <label for="new">"New password (12 characters or more)"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12" />
                {move || match change.value().get() {
                    Some(Ok(())) => Some(view! { <p class="ok" role="status">"Password changed."</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()),
                    None => None,
                }}
                <button type="submit" disabled=move || change.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}
