//! The lens page's shares: who the lens is shared with, a form that shares it with a pasted list
//! of principals (each flagged before anything is sent), and revocation with a confirmation
//! that names the principal.

use leptos::{html, prelude::*};
use leptos_router::hooks::use_query_map;

use crate::{
    auth::{Role, signed_in_can},
    form_field::{Field, Submit, TextArea, error_at},
    form_outcome::{Done, ResultLine},
    lens_catalog::{LensShare, detail_href},
    lens_shares::{RevokeLensShare, ShareLens, ShareOutcome, ShareResult},
    principal::{self, PrincipalKind},
    time_view::LocalTime,
};

#[component]
pub fn SharesPanel(
    arn: String,
    /// AWS shares published versions only: a draft-only lens offers no share form.
    published: bool,
    shares: Vec<LensShare>,
    note: Option<String>,
    /// The page's form token: a resubmitted form finds its first submission.
    token: String,
    share: ServerAction<ShareLens>,
    revoke: ServerAction<RevokeLensShare>,
) -> impl IntoView {
    let query = use_query_map();
    // The confirmation follows the address, so the revoke link works with and without JavaScript.
    let listed = shares.clone();
    let pending_revoke = move || {
        let id = query.read().get("revoke")?;
        listed.iter().find(|s| s.share_id == id).cloned()
    };
    let base = detail_href(&arn);
    let revoke_arn = arn.clone();
    let revoke_token = token.clone();
    view! {
        <section class="panel" aria-labelledby="shares-heading">
            <h2 id="shares-heading">"Shares"</h2>
            {move || match revoke.value().get() {
                Some(Ok(())) => Some(view! { <ResultLine ok=true testid="revoke-result">{Done::Revoked.sentence()}</ResultLine> }.into_any()),
                Some(Err(error)) => Some(view! { <ResultLine ok=false testid="revoke-result">{error.to_string()}</ResultLine> }.into_any()),
                None => query.with(Done::from_query).filter(|d| *d == Done::Revoked)
                    .map(|d| view! { <ResultLine ok=true testid="revoke-result">{d.sentence()}</ResultLine> }.into_any()),
            }}
            {move || pending_revoke().map(|target| {
                let (lens_arn, cancel, token) = (revoke_arn.clone(), base.clone(), revoke_token.clone());
                view! {
                    <div class="notice" role="alertdialog" aria-labelledby="revoke-question">
                        <p id="revoke-question">{format!("Revoke the share with {}? It loses access to this lens.", target.shared_with)}</p>
                        <ActionForm action=revoke attr:class="inline">
                            <input type="hidden" name="lens_arn" value=lens_arn />
                            <input type="hidden" name="share_id" value=target.share_id.clone() />
                            <input type="hidden" name="token" value=token />
                            <button type="submit">{format!("Revoke the share with {}", target.shared_with)}</button>
                            " " <a href=cancel>"Cancel"</a>
                        </ActionForm>
                    </div>
                }
            })}
            {match note {
                Some(note) => view! { <p class="muted">{note}</p> }.into_any(),
                None => {
                    let can_change = signed_in_can(Role::Author);
                    view! {
                        <ShareTable arn=arn.clone() shares can_change />
                        {match (can_change, published) {
                            (true, true) => view! { <ShareForm arn=arn.clone() token share /> }.into_any(),
                            (true, false) => view! {
                                <p class="muted" data-testid="share-unavailable">"AWS shares published lenses only: publish a version through a review, then share it here."</p>
                            }.into_any(),
                            (false, _) => ().into_any(),
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ShareTable(arn: String, shares: Vec<LensShare>, can_change: bool) -> impl IntoView {
    if shares.is_empty() {
        return view! { <p class="muted">"Not shared with anyone."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="shares">
            <thead><tr><th>"Shared with"</th><th>"Kind"</th><th>"Status"</th><th>"Since"</th><th></th></tr></thead>
            <tbody>
                {shares.into_iter().map(|share| {
                    let kind = principal::parse(&share.shared_with).map(PrincipalKind::label).unwrap_or("");
                    let href = format!("{}&revoke={}", detail_href(&arn), share.share_id);
                    view! {
                        <tr data-principal=share.shared_with.clone()>
                            <td><code>{share.shared_with.clone()}</code></td>
                            <td>{kind}</td>
                            <td>{share.status}</td>
                            <td><Since at=share.since /></td>
                            <td>{can_change.then(|| view! { <a href=href>{format!("Revoke {}", share.shared_with)}</a> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ShareForm(arn: String, token: String, share: ServerAction<ShareLens>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let own = arn.split(':').nth(4).unwrap_or_default().to_owned();
    let checked = move || principal::parse_list(&typed.get(), &own);
    let area = NodeRef::<html::Textarea>::new();
    // A list that was sent is done with: the next share starts from an empty box.
    Effect::new(move |_| {
        if matches!(share.value().get(), Some(Ok(_))) {
            typed.set(String::new());
            if let Some(area) = area.get_untracked() {
                area.set_value("");
            }
        }
    });
    let query = use_query_map();
    view! {
        <ActionForm action=share attr:class="stacked share-form">
            <input type="hidden" name="lens_arn" value=arn />
            <input type="hidden" name="token" value=token />
            <Field id="share-principals" label="Share with" hint="Account ids, IAM role or user ARNs, organization or OU ids; one per line or comma-separated." required=true error=error_at(share, "principals")>
                <TextArea name="principals" node_ref=area attr:rows="6" on:input=move |ev| typed.set(event_target_value(&ev)) />
                <ul class="principals" data-testid="principal-check">
                    {move || checked().into_iter().map(|entry| match entry.verdict {
                        Ok(kind) => view! { <li class="ok">{format!("{}: {}", entry.text, kind.label())}</li> }.into_any(),
                        Err(why) => view! { <li class="error">{format!("{}: {why} It will not be sent.", entry.text)}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            </Field>
            <Submit pending=share.pending() label="Share" busy="Sharing…" />
        </ActionForm>
        {move || match share.value().get() {
            Some(Ok(results)) => Some(view! { <ShareResults results /> }.into_any()),
            Some(Err(error)) => Some(view! { <ResultLine ok=false testid="share-error">{error.to_string()}</ResultLine> }.into_any()),
            None => query.with(Done::from_query).filter(|d| matches!(d, Done::Shared { .. }))
                .map(|d| view! { <ResultLine ok=true testid="share-summary">{d.sentence()}</ResultLine> }.into_any()),
        }}
    }
}

#[component]
fn ShareResults(results: Vec<ShareResult>) -> impl IntoView {
    let table = NodeRef::<html::Table>::new();
    Effect::new(move |_| {
        if let Some(table) = table.get() {
            let _ = table.focus();
        }
    });
    view! {
        <table class="data" data-testid="share-results" tabindex="-1" node_ref=table aria-label="What became of each principal">
            <thead><tr><th>"Principal"</th><th>"Kind"</th><th>"Result"</th></tr></thead>
            <tbody>
                {results.into_iter().map(|result| {
                    let kind = result.kind.map(PrincipalKind::label).unwrap_or("");
                    let (class, text) = match result.outcome {
                        ShareOutcome::Shared => ("ok", "Shared".to_owned()),
                        ShareOutcome::AlreadyShared => ("muted", "Already shared".to_owned()),
                        ShareOutcome::Refused(why) => ("error", format!("Refused: {why}")),
                        ShareOutcome::NotSent(why) => ("error", format!("Not sent: {why}")),
                    };
                    let principal = result.principal;
                    let row = principal.clone();
                    view! {
                        <tr data-principal=row>
                            <td><code>{principal}</code></td>
                            <td>{kind}</td>
                            <td class=class>{text}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// When a share was made through lensgate, or that lensgate did not make it.
#[component]
pub fn Since(at: Option<String>) -> impl IntoView {
    match at {
        Some(at) => view! { <LocalTime at /> }.into_any(),
        None => view! { <span class="muted">"not shared through lensgate"</span> }.into_any(),
    }
}
