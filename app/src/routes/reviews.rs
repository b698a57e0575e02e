use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! {
        <Title text="Reviews" />
        <h1>"Reviews"</h1>
        <p class="lede">"Drafts waiting for approval, with the changes each one makes. A reviewer other than the author approves a draft before it can be published as a version."</p>
        <p class="notice" role="status">"This section is not available yet."</p>
    }
}
