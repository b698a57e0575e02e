//! One lens: summary, versions known, shares, its audit timeline, and downloads of its JSON.

use lensgate_lens::Format;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    audit_view::Timeline,
    auth::{Role, signed_in_can},
    diff_view::DiffView,
    form_field::{Field, Submit, TextArea, error_at},
    form_outcome::{Done, ResultLine},
    href::encode_query,
    lens_catalog::{LensDetail, LensKind, export_href, get_lens_detail, questionnaire_href},
    lens_shares::{RevokeLensShare, ShareLens},
    reviews::{
        DraftState, LensVersions, ReviewState, SubmitForReview, VersionRecord, get_lens_versions,
        review_href,
    },
    routes::{error_alert, lens_shares::SharesPanel},
    time_view::{LocalTime, MaybeTime},
};

#[component]
pub fn LensDetailPage() -> impl IntoView {
    let query = use_query_map();
    let arn = move || query.read().get("arn").unwrap_or_default();
    let imported = move || query.read().get("imported").is_some();
    let share = ServerAction::<ShareLens>::new();
    let revoke = ServerAction::<RevokeLensShare>::new();
    let detail = Resource::new(
        move || (arn(), share.version().get(), revoke.version().get()),
        |(arn, _, _)| get_lens_detail(arn),
    );

    view! {
        <Title text="Lens" />
        <p><a href="/lenses">"← All lenses"</a></p>
        {move || imported().then(|| view! {
            <p class="ok" role="status">"Imported: the lens's draft now holds your JSON. The audit history below has the import."</p>
        })}
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the lens…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || detail.get().map(|result| result.map(|detail| view! { <LensView detail share revoke /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn LensView(
    detail: LensDetail,
    share: ServerAction<ShareLens>,
    revoke: ServerAction<RevokeLensShare>,
) -> impl IntoView {
    let lens = detail.lens.clone();
    let owned = lens.kind == LensKind::Owned;
    let arn = lens.arn.clone();
    view! {
        <Title text=lens.name.clone() />
        <div class="page-heading">
            <h1 data-testid="lens-name">{lens.name.clone()}</h1>
            {(owned && signed_in_can(Role::Author)).then(|| view! {
                <a class="button" href=format!("/lenses/new?lens={}", encode_query(&arn))>"Import an update"</a>
            })}
        </div>
        <p class="lede">{lens.description.clone()}</p>
        <dl class="facts">
            <dt>"Status"</dt><dd data-testid="lens-status">{lens.status()}</dd>
            <dt>"Type"</dt><dd>{lens.kind.label()}</dd>
            <dt>"Latest version"</dt><dd>{lens.latest_version.clone().unwrap_or_else(|| "none published".to_owned())}</dd>
            <dt>"Owner"</dt><dd>{lens.owner.clone()}</dd>
            <dt>"ARN"</dt><dd><code data-testid="lens-arn">{lens.arn.clone()}</code></dd>
            <dt>"Last change"</dt><dd><MaybeTime at=lens.updated_at.clone() /></dd>
            {(!detail.tags.is_empty()).then(|| view! {
                <dt>"Tags"</dt>
                <dd>{detail.tags.iter().map(|(k, v)| view! { <span class="tag">{format!("{k}={v}")}</span> " " }).collect_view()}</dd>
            })}
        </dl>
        <DraftAndVersions arn=lens.arn.clone() exportable=lens.kind != LensKind::Aws />
        <SharesPanel arn=lens.arn.clone() published=lens.latest_version.is_some() shares=detail.shares note=detail.shares_note token=detail.form_token share revoke />
        <section class="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Audit history"</h2>
            <Timeline entries=detail.timeline />
        </section>
    }
}

/// The draft and its review, and every version known, newest first.
#[component]
fn DraftAndVersions(arn: String, exportable: bool) -> impl IntoView {
    let submit = ServerAction::<SubmitForReview>::new();
    let source = arn.clone();
    let versions = Resource::new(
        move || (source.clone(), submit.version().get()),
        |(arn, _)| get_lens_versions(arn),
    );
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading versions…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || versions.get().map(|result| result.map(|LensVersions { draft, versions: history }| {
                    let arn = arn.clone();
                    view! {
                        <section class="panel" aria-labelledby="draft-heading">
                            <h2 id="draft-heading">"Draft"</h2>
                            {match (draft, history.iter().find(|v| v.through_lensgate)) {
                                (None, Some(published)) => view! {
                                    <p class="muted" data-testid="no-draft">{format!("No open draft: the newest import is published as version {}. Import an update to start the next version.", published.name)}</p>
                                }.into_any(),
                                (None, None) => view! { <p class="muted" data-testid="no-draft">"No draft imported through lensgate."</p> }.into_any(),
                                (Some(draft), _) => view! { <Draft draft arn=arn.clone() submit exportable /> }.into_any(),
                            }}
                        </section>
                        <section class="panel" aria-labelledby="versions-heading">
                            <h2 id="versions-heading">"Version history"</h2>
                            <VersionTable arn=arn.clone() history exportable />
                        </section>
                    }
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Draft(
    draft: DraftState,
    arn: String,
    submit: ServerAction<SubmitForReview>,
    exportable: bool,
) -> impl IntoView {
    let reviewable = draft
        .review
        .as_ref()
        .is_none_or(|r| !r.state.is_active() && r.state != ReviewState::Published);
    view! {
        <p data-testid="draft">
            {format!("Revision {}, imported by {} ", draft.revision.number, draft.revision.imported_by)}<LocalTime at=draft.revision.imported_at.clone() />" "
            {format!("(+{} −{} lines against the latest version published through lensgate). ", draft.diff.lines_added, draft.diff.lines_removed)}
            {exportable.then(|| view! {
                "Download the draft as " <a href=export_href(&arn, None, Format::Json) download aria-label="Download the draft as JSON">"JSON"</a>
                " or " <a href=export_href(&arn, None, Format::Yaml) download aria-label="Download the draft as YAML">"YAML"</a>
                ". " <QuestionnaireLinks arn=arn.clone() version=None />
            })}
        </p>
        <details class="draft-diff">
            <summary>"What the draft changes"</summary>
            <DiffView diff=draft.diff.clone() />
        </details>
        {draft.review.map(|review| view! {
            <p data-testid="draft-review">
                <a href=review_href(review.id)>{format!("Review {}", review.id)}</a>
                {format!(": {} (submitted by {})", review.state.label(), review.author)}
            </p>
        })}
        {(reviewable && signed_in_can(Role::Author)).then(|| view! {
            <ActionForm action=submit attr:class="stacked submit-review">
                <input type="hidden" name="lens_arn" value=arn.clone() />
                <Field id="review-note" label="Note for the reviewers" hint="Optional: what changed and why." error=error_at(submit, "note")>
                    <TextArea name="note" attr:rows="2" attr:maxlength="4000" />
                </Field>
                <Submit pending=submit.pending() label="Submit for review" busy="Submitting…" />
            </ActionForm>
        })}
        <SubmitResult submit />
    }
}

/// Where the submit form was: the review it opened, or why it was refused.
#[component]
fn SubmitResult(submit: ServerAction<SubmitForReview>) -> impl IntoView {
    let query = use_query_map();
    let submitted = |review: i64| {
        view! {
        <ResultLine ok=true testid="submit-result">"Submitted for review. " <a href=review_href(review)>{format!("Open review {review}")}</a></ResultLine>
    }.into_any()
    };
    move || match submit.value().get() {
        Some(Ok(review)) => Some(submitted(review)),
        Some(Err(error)) => Some(
            view! { <ResultLine ok=false testid="submit-result">{error.to_string()}</ResultLine> }
                .into_any(),
        ),
        None => match query.with(Done::from_query) {
            Some(Done::Submitted { review }) => Some(submitted(review)),
            _ => None,
        },
    }
}

#[component]
fn VersionTable(arn: String, history: Vec<VersionRecord>, exportable: bool) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="muted">"No version published yet."</p> }.into_any();
    }
    let names: Vec<String> = history.iter().map(|v| v.name.clone()).collect();
    let comparable = names.len() >= 2;
    view! {
        <table class="data" data-testid="versions">
            <thead><tr><th>"Version"</th><th>"Kind"</th><th>"Author"</th><th>"Approved by"</th><th>"Published by"</th><th>"When"</th><th>"Download"</th></tr></thead>
            <tbody>
                {history.into_iter().map(|version| {
                    let kind = match version.is_major { Some(true) => "major", Some(false) => "minor", None => "" };
                    let json = export_href(&arn, Some(&version.name), Format::Json);
                    let yaml = export_href(&arn, Some(&version.name), Format::Yaml);
                    view! {
                        <tr data-version=version.name.clone()>
                            <td>{version.name.clone()}
                                {(!version.through_lensgate).then(|| view! { " " <span class="tag">"found in AWS, not published through lensgate"</span> })}
                            </td>
                            <td>{kind}</td>
                            <td>{version.author.unwrap_or_default()}</td>
                            <td class="approvers">{version.approvers.join(", ")}</td>
                            <td>{version.publisher.unwrap_or_default()}</td>
                            <td><MaybeTime at=version.published_at /></td>
                            <td>{exportable.then(|| view! { <a href=json download aria-label=format!("Download version {} as JSON", version.name)>"JSON"</a> " " <a href=yaml download aria-label=format!("Download version {} as YAML", version.name)>"YAML"</a>
                                " " <QuestionnaireLinks arn=arn.clone() version=Some(version.name.clone()) /> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {comparable.then(|| view! {
            <form method="get" action="/lenses/compare" class="filters">
                <input type="hidden" name="arn" value=arn.clone() />
                <label>"Compare " <select name="base">{names.iter().skip(1).chain(names.first()).map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}</select></label>
                <label>" with " <select name="target">{names.iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}</select></label>
                <button type="submit">"Compare"</button>
            </form>
        })}
    }
    .into_any()
}

/// The questionnaire of a version (or the draft) for workshops: a workbook, a CSV, a page to
/// print.
#[component]
fn QuestionnaireLinks(arn: String, version: Option<String>) -> impl IntoView {
    let of = version
        .as_deref()
        .map_or_else(|| "the draft".to_owned(), |v| format!("version {v}"));
    let href = |format: &str| questionnaire_href(&arn, version.as_deref(), format);
    view! {
        <span class="questionnaire-links">"Questionnaire: "
            <a href=href("xlsx") download aria-label=format!("Questionnaire of {of} as an XLSX workbook")>"XLSX"</a> " "
            <a href=href("csv") download aria-label=format!("Questionnaire of {of} as CSV")>"CSV"</a> " "
            <a href=href("print") target="_blank" rel="noopener" aria-label=format!("Questionnaire of {of} to print")>"print"</a>
        </span>
    }
}
