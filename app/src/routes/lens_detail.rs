//! One lens: summary, versions known, shares, its audit timeline, and downloads of its JSON.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    lens_catalog::{LensDetail, LensKind, TimelineEntry, export_href, get_lens_detail},
    routes::errors_text,
};

#[component]
pub fn LensDetailPage() -> impl IntoView {
    let query = use_query_map();
    let arn = move || query.read().get("arn").unwrap_or_default();
    let imported = move || query.read().get("imported").is_some();
    let detail = Resource::new(arn, get_lens_detail);

    view! {
        <Title text="Lens" />
        <p><a href="/lenses">"← All lenses"</a></p>
        {move || imported().then(|| view! {
            <p class="ok" role="status">"Imported: the lens's draft now holds your JSON. The audit history below has the import."</p>
        })}
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the lens…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <p class="error" role="alert">{move || errors_text(&errors.get())}</p> }>
                {move || detail.get().map(|result| result.map(|detail| view! { <LensView detail /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn LensView(detail: LensDetail) -> impl IntoView {
    let lens = detail.lens.clone();
    let owned = lens.kind == LensKind::Owned;
    let arn = lens.arn.clone();
    view! {
        <Title text=lens.name.clone() />
        <div class="page-heading">
            <h1 data-testid="lens-name">{lens.name.clone()}</h1>
            {owned.then(|| view! {
                <a class="button" href=format!("/lenses/new?lens={}", crate::href::encode_query(&arn))>"Import an update"</a>
            })}
        </div>
        <p class="lede">{lens.description.clone()}</p>
        <dl class="facts">
            <dt>"Status"</dt><dd data-testid="lens-status">{lens.status()}</dd>
            <dt>"Type"</dt><dd>{lens.kind.label()}</dd>
            <dt>"Latest version"</dt><dd>{lens.latest_version.clone().unwrap_or_else(|| "none published".to_owned())}</dd>
            <dt>"Owner"</dt><dd>{lens.owner.clone()}</dd>
            <dt>"ARN"</dt><dd><code data-testid="lens-arn">{lens.arn.clone()}</code></dd>
            <dt>"Last change"</dt><dd><time>{lens.updated_at.clone().unwrap_or_default()}</time></dd>
            {(!detail.tags.is_empty()).then(|| view! {
                <dt>"Tags"</dt>
                <dd>{detail.tags.iter().map(|(k, v)| view! { <span class="tag">{format!("{k}={v}")}</span> " " }).collect_view()}</dd>
            })}
        </dl>
        <section class="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <table class="data" data-testid="versions">
                <thead><tr><th>"Version"</th><th>"When"</th><th>"By"</th><th>"Source"</th><th>"JSON"</th></tr></thead>
                <tbody>
                    {detail.versions.into_iter().map(|version| {
                        let label = version.name.clone().unwrap_or_else(|| "Draft".to_owned());
                        let href = export_href(&lens.arn, version.name.as_deref());
                        let exportable = lens.kind != LensKind::Aws;
                        view! {
                            <tr>
                                <td>{label}</td>
                                <td><time>{version.at.unwrap_or_default()}</time></td>
                                <td>{version.by.unwrap_or_default()}</td>
                                <td>{if version.through_lensgate { "lensgate" } else { "found in AWS" }}</td>
                                <td>{exportable.then(|| view! { <a href=href download>"Export"</a> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="panel" aria-labelledby="shares-heading">
            <h2 id="shares-heading">"Shares"</h2>
            {match detail.shares_note {
                Some(note) => view! { <p class="muted">{note}</p> }.into_any(),
                None if detail.shares.is_empty() => view! { <p class="muted">"Not shared with anyone."</p> }.into_any(),
                None => view! {
                    <table class="data" data-testid="shares">
                        <thead><tr><th>"Shared with"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {detail.shares.into_iter().map(|share| view! {
                                <tr><td><code>{share.shared_with}</code></td><td>{share.status}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
        <section class="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Audit history"</h2>
            <Timeline entries=detail.timeline />
        </section>
    }
}

/// A resource's audit events, newest first.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"No changes recorded by lensgate yet."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="timeline">
            <thead><tr><th>"Event"</th><th>"When (UTC)"</th><th>"Who"</th><th>"Action"</th><th>"Outcome"</th></tr></thead>
            <tbody>
                {entries.into_iter().map(|entry| {
                    let outcome = match (&entry.error_code, &entry.error_message) {
                        (Some(code), Some(message)) => format!("{} — {code}: {message}", entry.phase),
                        (Some(code), None) => format!("{} — {code}", entry.phase),
                        _ => entry.phase.clone(),
                    };
                    view! {
                        <tr>
                            <td>{format!("#{}", entry.seq)}</td>
                            <td><time>{entry.at}</time></td>
                            <td>{entry.actor}</td>
                            <td>{entry.action}</td>
                            <td class=format!("phase-{}", entry.phase)>{outcome}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
