//! Two versions of a lens side by side: the same change view as reviews, plus what AWS's
//! GetLensVersionDifference says about them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    diff_view::DiffView, lens_catalog::detail_href, reviews::compare_versions, routes::error_alert,
};

#[component]
pub fn LensComparePage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("arn").unwrap_or_default(),
                q.get("base").unwrap_or_default(),
                q.get("target").unwrap_or_default(),
            )
        })
    };
    let comparison = Resource::new(params, |(arn, base, target)| {
        compare_versions(arn, base, target)
    });
    view! {
        <Title text="Compare versions" />
        <p><a href=move || detail_href(&params().0)>"← The lens"</a></p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Comparing…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || comparison.get().map(|result| result.map(|c| view! {
                    <h1>{format!("Version {} compared with {}", c.target, c.base)}</h1>
                    <DiffView diff=c.diff />
                    <section class="panel" aria-labelledby="aws-heading">
                        <h2 id="aws-heading">"What AWS reports (GetLensVersionDifference)"</h2>
                        {match c.aws {
                            Ok(lines) if lines.is_empty() => view! { <p class="muted">"AWS reports no differences."</p> }.into_any(),
                            Ok(lines) => view! { <ul data-testid="aws-differences">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any(),
                            Err(message) => view! { <p class="muted">{message}</p> }.into_any(),
                        }}
                    </section>
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}
