//! Open reviews: which lens, who wrote the draft, how long it has waited and how large the
//! change is. Reviewers see every open review, authors the ones they submitted.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::{Role, signed_in_can},
    lens_catalog::detail_href,
    reviews::{ReviewRow, list_reviews, review_href},
    routes::error_alert,
    time_view::LocalTime,
};

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let reviews = Resource::new(|| (), |()| list_reviews());
    let reviewer = signed_in_can(Role::Reviewer);
    let (heading, lede) = if reviewer {
        (
            "Reviews",
            "Drafts waiting for a decision. A draft needs approval from a reviewer other than its author before it can be published as a version.",
        )
    } else {
        (
            "Your submissions",
            "Drafts you submitted that are still under review. A reviewer other than you approves a draft before it can be published; open one to follow its decisions.",
        )
    };
    view! {
        <Title text=heading />
        <h1>{heading}</h1>
        <p class="lede">{lede}</p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading reviews…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || reviews.get().map(|result| result.map(|rows| view! { <ReviewTable rows reviewer /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ReviewTable(rows: Vec<ReviewRow>, reviewer: bool) -> impl IntoView {
    if rows.is_empty() {
        let empty = if reviewer {
            "No draft is waiting for review."
        } else {
            "You have no draft under review. Submit one from its lens's page."
        };
        return view! { <p class="notice" role="status">{empty}</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="reviews">
            <thead><tr><th>"Review"</th><th>"Lens"</th><th>"Author"</th><th>"Submitted"</th><th>"State"</th><th>"Size of change"</th></tr></thead>
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
