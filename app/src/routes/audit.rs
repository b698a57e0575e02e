use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit" />
        <h1>"Audit"</h1>
        <p class="lede">"Every change lensgate made in AWS and every review decision: who, when, on what, and with which outcome. Searchable and exportable."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
