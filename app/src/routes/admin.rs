use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Admin" />
        <h1>"Admin"</h1>
        <p class="lede">"User accounts and roles: viewers, authors, reviewers and administrators."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
