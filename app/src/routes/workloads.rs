use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WorkloadsPage() -> impl IntoView {
    view! {
        <Title text="Workloads" />
        <h1>"Workloads"</h1>
        <p class="lede">"Well-Architected workloads and who they are shared with, read-only or as contributors."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
