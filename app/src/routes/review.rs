//! One review: what the draft changes, the decisions so far, the decision form for reviewers
//! other than the author, and the publish form once the draft is approved.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    diff_view::DiffView,
    form_outcome::{Done, ResultLine},
    lens_catalog::detail_href,
    lens_preview::LensPreview,
    reviews::{DecideReview, Decision, PublishVersion, ReviewDetail, get_review},
    routes::error_alert,
    time_view::LocalTime,
    upgrade_view::UpgradeImpact,
};

/// From this many versions on, the publish form warns that the lens nears AWS's limit.
const VERSIONS_WARNING: usize = 90;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let query = use_query_map();
    let id = move || {
        query
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let decide = ServerAction::<DecideReview>::new();
    let publish = ServerAction::<PublishVersion>::new();
    let detail = Resource::new(
        move || (id(), decide.version().get(), publish.version().get()),
        |(id, _, _)| get_review(id),
    );
    // One answer at a time: a decision forgets an earlier publish error and the other way round.
    Effect::new(move |_| {
        if decide.pending().get() {
            publish.clear();
        }
    });
    Effect::new(move |_| {
        if publish.pending().get() {
            decide.clear();
        }
    });
    view! {
        <Title text="Review" />
        <p><a href="/reviews">"← All reviews"</a></p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the review…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || detail.get().map(|result| result.map(|detail| view! { <ReviewView detail decide publish /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ReviewView(
    detail: ReviewDetail,
    decide: ServerAction<DecideReview>,
    publish: ServerAction<PublishVersion>,
) -> impl IntoView {
    let review = detail.review.clone();
    let base = detail.base_version.clone().map_or_else(
        || "against nothing: the lens's first version".to_owned(),
        |v| format!("against version {v}"),
    );
    view! {
        <h1>{format!("Review {}: {}", review.id, review.lens_name)}</h1>
        <dl class="facts">
            <dt>"Lens"</dt><dd><a href=detail_href(&review.lens_arn)>{review.lens_name.clone()}</a></dd>
            <dt>"State"</dt><dd data-testid="review-state">{review.state.label()}</dd>
            <dt>"Author"</dt><dd data-testid="review-author">{review.author.clone()}</dd>
            <dt>"Note"</dt><dd>{detail.note.clone()}</dd>
            <dt>"Draft"</dt><dd>{format!("revision {} imported by {} ", detail.revision.number, detail.revision.imported_by)}<LocalTime at=detail.revision.imported_at.clone() /></dd>
            <dt>"Approvals"</dt><dd data-testid="approvals">{format!("{} of {} required", detail.approvals, detail.approvals_required)}</dd>
        </dl>
        {detail.closed_reason.clone().map(|reason| view! { <p class="notice" role="status" data-testid="closed-reason">{reason}</p> })}
        <section class="panel" aria-labelledby="changes-heading">
            <h2 id="changes-heading">{format!("What changes, {base}")}</h2>
            <DiffView diff=detail.diff.clone() />
        </section>
        {detail.lens.clone().map(|lens| {
            // A first version is all new: the lens itself is what is approved. Later, the
            // changes come first and the whole lens is one click away.
            let first = detail.base_version.is_none();
            view! {
                <section class="panel" aria-labelledby="lens-heading">
                    <h2 id="lens-heading">"The lens as it would be published"</h2>
                    <details class="whole-lens" open=first>
                        <summary>{if first { "Questions, choices, improvement plans and risk rules" } else { "Show the whole lens" }}</summary>
                        <LensPreview lens />
                    </details>
                </section>
            }
        })}
        {detail.upgrade.clone().map(|report| view! {
            <section class="panel" aria-labelledby="upgrade-heading">
                <h2 id="upgrade-heading">{format!("What upgrading from version {} does to workloads", detail.base_version.clone().unwrap_or_default())}</h2>
                <UpgradeImpact report />
            </section>
        })}
        <section class="panel" aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">"Decisions"</h2>
            {if detail.decisions.is_empty() {
                view! { <p class="muted">"No decision yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="decisions" data-testid="decisions">
                        {detail.decisions.clone().into_iter().map(|d| view! {
                            <li>
                                <strong>{d.reviewer}</strong>
                                {match d.decision { Decision::Approve => " approved", Decision::RequestChanges => " requested changes" }}
                                " " <LocalTime at=d.decided_at />
                                {(!d.comment.is_empty()).then(|| view! { <p>{d.comment}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {detail.can_decide.then(|| view! {
                <ActionForm action=decide attr:class="decide">
                    <input type="hidden" name="review_id" value=review.id />
                    <label>"Comment" <textarea name="comment" rows="2"></textarea></label>
                    <button type="submit" name="decision" value="approve" disabled=move || decide.pending().get()>"Approve"</button>
                    " "
                    <button type="submit" name="decision" value="request_changes" class="secondary" disabled=move || decide.pending().get()>"Request changes"</button>
                </ActionForm>
            })}
            <DecideResult decide />
        </section>
        {detail.can_publish.then(|| view! { <PublishForm detail=detail.clone() publish /> })}
        <PublishResult publish />
    }
}

#[component]
fn DecideResult(decide: ServerAction<DecideReview>) -> impl IntoView {
    let query = use_query_map();
    move || match decide.value().get() {
        Some(Ok(())) => Some(
            view! { <ResultLine ok=true testid="decided">{Done::Decided.sentence()}</ResultLine> }
                .into_any(),
        ),
        Some(Err(error)) => Some(
            view! { <ResultLine ok=false testid="decide-error">{error.to_string()}</ResultLine> }
                .into_any(),
        ),
        None => query
            .with(Done::from_query)
            .filter(|d| *d == Done::Decided)
            .map(|d| {
                view! { <ResultLine ok=true testid="decided">{d.sentence()}</ResultLine> }
                    .into_any()
            }),
    }
}

/// Where the publish form was: once published, the form is gone and the answer takes its place.
#[component]
fn PublishResult(publish: ServerAction<PublishVersion>) -> impl IntoView {
    let query = use_query_map();
    move || {
        match publish.value().get() {
        Some(Ok(version)) => Some(view! { <ResultLine ok=true testid="published">{Done::Published { version }.sentence()}</ResultLine> }.into_any()),
        Some(Err(error)) => Some(view! { <ResultLine ok=false testid="publish-error">{error.to_string()}</ResultLine> }.into_any()),
        None => query.with(Done::from_query).filter(|d| matches!(d, Done::Published { .. }))
            .map(|d| view! { <ResultLine ok=true testid="published">{d.sentence()}</ResultLine> }.into_any()),
    }
    }
}

#[component]
fn PublishForm(detail: ReviewDetail, publish: ServerAction<PublishVersion>) -> impl IntoView {
    let count = detail.version_count;
    // The form starts on what the upgrade report advises; a first version is major.
    let major = detail.upgrade.as_ref().is_none_or(|r| r.major);
    view! {
        <section class="panel" aria-labelledby="publish-heading">
            <h2 id="publish-heading">"Publish"</h2>
            {(count >= VERSIONS_WARNING).then(|| view! {
                <p class="notice" role="status">{format!("This lens has {count} versions; AWS allows 100.")}</p>
            })}
            <ActionForm action=publish attr:class="publish">
                <input type="hidden" name="review_id" value=detail.review.id />
                <label>"Version name " <input type="text" name="version_name" required maxlength="32" placeholder="1.0" /></label>
                <fieldset>
                    <legend>"Kind of version"</legend>
                    {detail.upgrade.as_ref().map(|report| view! { <p class="muted" data-testid="publish-advice">{report.advice.clone()}</p> })}
                    <label><input type="radio" name="kind" value="major" checked=major /> " Major: workloads using the lens are asked to review it again and upgrade."</label>
                    <label><input type="radio" name="kind" value="minor" checked=!major /> " Minor: workloads using the lens move to it without asking."</label>
                </fieldset>
                <button type="submit" disabled=move || publish.pending().get()>
                    {move || if publish.pending().get() { "Publishing…" } else { "Publish version" }}
                </button>
            </ActionForm>
        </section>
    }
}
