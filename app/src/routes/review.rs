//! One review: what the draft changes, the decisions so far, the decision form for reviewers
//! other than the author, and the publish form once the draft is approved.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use std::sync::Arc;

use crate::{
    diff_view::DiffView,
    form_field::{Choices, Field, Input, Select, Submit, TextArea, error_at},
    form_outcome::{Done, ResultLine},
    lens_catalog::detail_href,
    lens_preview::{LensPreview, QuestionNotes, QuestionPlace, question_anchor},
    reviews::{
        CommentOnReview, DecideReview, Decision, PublishVersion, ResolveComment, ReviewComment,
        ReviewDetail, choice_place, get_review, question_place,
    },
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
    let comments = Comments {
        add: ServerAction::<CommentOnReview>::new(),
        resolve: ServerAction::<ResolveComment>::new(),
    };
    let detail = Resource::new(
        move || {
            (
                id(),
                decide.version().get(),
                publish.version().get(),
                comments.add.version().get() + comments.resolve.version().get(),
            )
        },
        |(id, _, _, _)| get_review(id),
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
                {move || detail.get().map(|result| result.map(|detail| view! { <ReviewView detail decide publish comments /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The two comment actions, shared by every question's form.
#[derive(Clone, Copy)]
struct Comments {
    add: ServerAction<CommentOnReview>,
    resolve: ServerAction<ResolveComment>,
}

#[component]
fn ReviewView(
    detail: ReviewDetail,
    decide: ServerAction<DecideReview>,
    publish: ServerAction<PublishVersion>,
    comments: Comments,
) -> impl IntoView {
    let review = detail.review.clone();
    provide_context(question_notes(&detail, comments));
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
        <CommentList detail=detail.clone() comments />
        {detail.lens.clone().map(|lens| {
            // A first version is all new: the lens itself is what is approved. Later, the
            // changes come first and the whole lens is one click away, open when comments
            // sit in it.
            let first = detail.base_version.is_none() || !detail.comments.is_empty();
            view! {
                <section class="panel" aria-labelledby="lens-heading">
                    <h2 id="lens-heading">"The lens as it would be published"</h2>
                    <details class="whole-lens" open=first>
                        <summary>{if detail.base_version.is_none() { "Questions, choices, improvement plans and risk rules" } else { "Show the whole lens" }}</summary>
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
                    <Field id="decision-comment" label="Comment" hint="Needed to request changes: say what should change." error=error_at(decide, "comment")>
                        <TextArea name="comment" attr:rows="2" attr:maxlength="4000" />
                    </Field>
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
            <ActionForm action=publish attr:class="stacked publish">
                <input type="hidden" name="review_id" value=detail.review.id />
                <Field id="version-name" label="Version name" hint="1 to 32 characters, such as 1.0; each version of a lens has its own." required=true error=error_at(publish, "version_name")>
                    <Input name="version_name" attr:maxlength="32" attr:autocomplete="off" />
                </Field>
                <Choices id="version-kind" legend="Kind of version" error=error_at(publish, "kind")>
                    {detail.upgrade.as_ref().map(|report| view! { <p class="muted" data-testid="publish-advice">{report.advice.clone()}</p> })}
                    <label class="choice"><input type="radio" name="kind" value="major" checked=major /> " Major: workloads using the lens are asked to review it again and upgrade."</label>
                    <label class="choice"><input type="radio" name="kind" value="minor" checked=!major /> " Minor: workloads using the lens move to it without asking."</label>
                </Choices>
                <Submit pending=publish.pending() label="Publish version" busy="Publishing…" />
            </ActionForm>
        </section>
    }
}

/// Every comment in one list, oldest first, each linked to its question in the lens below:
/// the author's list of what to answer.
#[component]
fn CommentList(detail: ReviewDetail, comments: Comments) -> impl IntoView {
    let open = detail
        .comments
        .iter()
        .filter(|c| c.resolved.is_none())
        .count();
    let heading = match (detail.comments.len(), open) {
        (0, _) => "Comments".to_owned(),
        (all, 0) => format!("Comments: all {all} resolved"),
        (all, open) => format!("Comments: {open} of {all} open"),
    };
    let hint = if detail.can_comment {
        "Comment on a question or one of its choices with the form under it in the lens below."
    } else if detail.can_resolve {
        "Reviewers' comments appear here and beside their question; resolve each once the draft answers it."
    } else {
        "Reviewers comment on a question or choice; the author resolves each comment."
    };
    view! {
        <section class="panel" aria-labelledby="comments-heading" data-testid="comments">
            <h2 id="comments-heading">{heading}</h2>
            {if detail.comments.is_empty() {
                view! { <p class="muted">"No comments yet. " {hint}</p> }.into_any()
            } else {
                view! {
                    <p class="muted">{hint}</p>
                    <ul class="comment-list">
                        {detail.comments.iter().map(|comment| {
                            let mut ids = comment.place.split('/');
                            let (pillar, question) = (ids.next().unwrap_or_default(), ids.next().unwrap_or_default());
                            let href = format!("#{}", question_anchor(pillar, question));
                            let state = comment.resolved.clone().map_or_else(
                                || "open".to_owned(),
                                |(by, _)| format!("resolved by {by}"),
                            );
                            view! {
                                <li>
                                    <a href=href>{comment.place_title.clone()}</a>
                                    {format!(": {}, {state}", comment.author)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <CommentResult comments />
        </section>
    }
}

/// The answer to the last comment or resolution, with and without JavaScript.
#[component]
fn CommentResult(comments: Comments) -> impl IntoView {
    let query = use_query_map();
    move || {
        let answer = comments
            .add
            .value()
            .get()
            .or_else(|| comments.resolve.value().get());
        match answer {
            Some(Ok(())) => None,
            Some(Err(error)) => Some(
                view! { <ResultLine ok=false testid="comment-error">{error.to_string()}</ResultLine> }
                    .into_any(),
            ),
            None => query
                .with(Done::from_query)
                .filter(|d| matches!(d, Done::Commented | Done::Resolved))
                .map(|d| {
                    view! { <ResultLine ok=true testid="commented">{d.sentence()}</ResultLine> }
                        .into_any()
                }),
        }
    }
}

/// Under each question of the lens: the comments on it and its choices, a resolve button for
/// the author, and the form that adds one for reviewers.
fn question_notes(detail: &ReviewDetail, comments: Comments) -> QuestionNotes {
    let all = detail.comments.clone();
    let review_id = detail.review.id;
    let (can_comment, can_resolve) = (detail.can_comment, detail.can_resolve);
    QuestionNotes(Arc::new(move |place: QuestionPlace| {
        let here = question_place(&place.pillar_id, &place.question_id);
        let nested = format!("{here}/");
        let mine: Vec<ReviewComment> = all
            .iter()
            .filter(|c| c.place == here || c.place.starts_with(&nested))
            .cloned()
            .collect();
        view! {
            <div class="place-comments">
                {(!mine.is_empty()).then(|| view! {
                    <ul class="comments" data-testid="place-comments">
                        {mine.into_iter().map(|comment| view! { <CommentItem comment can_resolve resolve=comments.resolve /> }).collect_view()}
                    </ul>
                })}
                {can_comment.then(|| view! { <CommentForm review_id place add=comments.add /> })}
            </div>
        }
        .into_any()
    }))
}

#[component]
fn CommentItem(
    comment: ReviewComment,
    can_resolve: bool,
    resolve: ServerAction<ResolveComment>,
) -> impl IntoView {
    let resolved = comment.resolved.clone();
    let class = if resolved.is_some() {
        "comment resolved"
    } else {
        "comment"
    };
    let open = resolved.is_none();
    view! {
        <li class=class>
            <p class="comment-meta">
                <strong>{comment.author.clone()}</strong>
                {format!(" on {} ", comment.place_title)}
                <LocalTime at=comment.created_at.clone() />
            </p>
            <p class="comment-body">{comment.body.clone()}</p>
            {match resolved {
                Some((by, at)) => view! { <p class="muted">{format!("Resolved by {by} ")}<LocalTime at /></p> }.into_any(),
                None => ().into_any(),
            }}
            {(open && can_resolve).then(|| view! {
                <ActionForm action=resolve attr:class="inline">
                    <input type="hidden" name="comment_id" value=comment.id />
                    <button type="submit" class="secondary" disabled=move || resolve.pending().get()>"Resolve"</button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn CommentForm(
    review_id: i64,
    place: QuestionPlace,
    add: ServerAction<CommentOnReview>,
) -> impl IntoView {
    let here = question_place(&place.pillar_id, &place.question_id);
    let field = format!("comment-{}", here.replace('/', "-"));
    let select = format!("{field}-place");
    let options = place
        .choices
        .iter()
        .map(|(id, title)| {
            let value = choice_place(&place.pillar_id, &place.question_id, id);
            let label = format!("Choice “{title}”");
            view! { <option value=value>{label}</option> }
        })
        .collect_view();
    view! {
        <details class="comment-box">
            <summary>"Comment on this question"</summary>
            <ActionForm action=add attr:class="stacked">
                <input type="hidden" name="review_id" value=review_id />
                <Field id=select label="About">
                    <Select name="place">
                        <option value=here selected>"This question"</option>
                        {options}
                    </Select>
                </Field>
                <Field id=field label="Your comment" hint="At most 4,000 characters; the author sees it beside this question." required=true>
                    <TextArea name="body" attr:rows="3" attr:maxlength="4000" />
                </Field>
                <Submit pending=add.pending() label="Add comment" busy="Adding…" />
            </ActionForm>
        </details>
    }
}
