//! Open reviews, for reviewers: which lens, who wrote the draft, how long it has waited and how
//! large the change is.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    lens_catalog::detail_href,
    reviews::{ReviewRow, list_reviews, review_href},
    routes::error_alert,
    time_view::LocalTime,
};

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let reviews = Resource::new(|| (), |_| list_reviews());
    view! {
        <Title text="Reviews" />
        <h1>"Reviews"</h1>
        <p class="lede">"Drafts waiting for a decision. A draft needs approval from a reviewer other than its author before it can be published as a version."</p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading reviews…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || reviews.get().map(|result| result.map(|rows| view! { <ReviewTable rows /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ReviewTable(rows: Vec<ReviewRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice" role="status">"No draft is waiting for review."</p> }
            .into_any();
    }
    view! {
        <table class="data" data-testid="reviews">
            <thead><tr><th>"Review"</th><th>"Lens"</th><th>"Author"</th><th>"Submitted (UTC)"</th><th>"State"</th><th>"Size of change"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=review_href(row.id)>{format!("Review {}", row.id)}</a></td>
                        <td><a href=detail_href(&row.lens_arn)>{row.lens_name}</a></td>
                        <td>{row.author}</td>
                        <td><LocalTime at=row.created_at /></td>
                        <td>{row.state.label()}</td>
                        <td>{format!("+{} −{} lines", row.lines_added, row.lines_removed)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
