use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LensesPage() -> impl IntoView {
    view! {
        <Title text="Lenses" />
        <h1>"Lenses"</h1>
        <p class="lede">"Every custom lens you own, every lens shared with you and the AWS official lenses, with their status and latest version. Upload, validate, preview and import lens JSON from here."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
