use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GrantsPage() -> impl IntoView {
    view! {
        <Title text="Grants" />
        <h1>"Grants"</h1>
        <p class="lede">"License Manager grants distributed and received, with the versions created through lensgate."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
