//! The lens page's shares: who the lens is shared with, a form that shares it with a pasted list
//! of principals (each flagged before anything is sent), and revocation with a confirmation
//! that names the principal.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    lens_catalog::{LensShare, detail_href},
    lens_shares::{RevokeLensShare, ShareLens, ShareOutcome, ShareResult},
    principal::{self, PrincipalKind},
    time_view::LocalTime,
};

#[component]
pub fn SharesPanel(
    arn: String,
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
            {move || revoke.value().get().map(|result| match result {
                Ok(()) => view! { <p class="ok" role="status">"Share revoked."</p> }.into_any(),
                Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
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
                None => view! {
                    <ShareTable arn=arn.clone() shares />
                    <ShareForm arn=arn.clone() token share />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ShareTable(arn: String, shares: Vec<LensShare>) -> impl IntoView {
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
                            <td><a href=href>{format!("Revoke {}", share.shared_with)}</a></td>
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
    view! {
        <ActionForm action=share attr:class="share-form">
            <input type="hidden" name="lens_arn" value=arn />
            <input type="hidden" name="token" value=token />
            <label>"Share with (account ids, IAM role or user ARNs, organization or OU ids; one per line or comma-separated)"
                <textarea name="principals" rows="3" on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
            </label>
            <ul class="principals" data-testid="principal-check">
                {move || checked().into_iter().map(|entry| match entry.verdict {
                    Ok(kind) => view! { <li class="ok">{format!("{}: {}", entry.text, kind.label())}</li> }.into_any(),
                    Err(why) => view! { <li class="error">{format!("{}: {why} It will not be sent.", entry.text)}</li> }.into_any(),
                }).collect_view()}
            </ul>
            <button type="submit" disabled=move || share.pending().get()>
                {move || if share.pending().get() { "Sharing…" } else { "Share" }}
            </button>
        </ActionForm>
        {move || share.value().get().map(|result| match result {
            Ok(results) => view! { <ShareResults results /> }.into_any(),
            Err(error) => view! { <p class="error" role="alert" data-testid="share-error">{error.to_string()}</p> }.into_any(),
        })}
    }
}

#[component]
fn ShareResults(results: Vec<ShareResult>) -> impl IntoView {
    view! {
        <table class="data" data-testid="share-results">
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
