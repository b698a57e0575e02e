//! Invitations this account received: lenses and workloads other accounts shared with it,
//! usable here once accepted.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::{Role, signed_in_can},
    invitations::{Answer, AnswerInvitation, Invitation, list_invitations},
    routes::error_alert,
    workloads::Permission,
};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let answer = ServerAction::<AnswerInvitation>::new();
    let invitations = Resource::new(move || answer.version().get(), |_| list_invitations());
    view! {
        <Title text="Invitations" />
        <h1>"Invitations"</h1>
        <p class="lede">"Lenses and workloads other accounts shared with this one. Accept an invitation to use what was shared; reject it to decline."</p>
        {move || answer.value().get().map(|result| match result {
            Ok(()) => view! { <p class="ok" role="status" data-testid="answer-done">"Answered. An accepted lens appears in Lenses, an accepted workload in Workloads."</p> }.into_any(),
            Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
        })}
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading invitations…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || invitations.get().map(|result| result.map(|rows| view! { <InvitationTable rows answer /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn InvitationTable(rows: Vec<Invitation>, answer: ServerAction<AnswerInvitation>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice" role="status">"No pending invitations."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="invitations">
            <thead><tr><th>"Shared"</th><th>"Type"</th><th>"By account"</th><th>"With"</th><th>"Permission"</th><th></th></tr></thead>
            <tbody>
                {rows.into_iter().map(|invitation| {
                    let is_lens = invitation.resource_type == "LENS";
                    let permission = invitation
                        .permission
                        .as_deref()
                        .and_then(Permission::parse)
                        .map(|p| format!("{}: {}", p.label(), p.explanation()))
                        .unwrap_or_else(|| "use the lens in workload reviews".to_owned());
                    let name = invitation.name.clone();
                    view! {
                        <tr data-name=name.clone()>
                            <td>{name.clone()}</td>
                            <td>{if is_lens { "Lens" } else { "Workload" }}</td>
                            <td>{invitation.shared_by.clone()}</td>
                            <td><code>{invitation.shared_with.clone()}</code></td>
                            <td>{permission}</td>
                            <td>
                                {signed_in_can(Role::Author).then(|| [Answer::Accept, Answer::Reject].into_iter().map(|choice| {
                                    let id = invitation.id.clone();
                                    let label = match choice {
                                        Answer::Accept => format!("Accept {name}"),
                                        Answer::Reject => format!("Reject {name}"),
                                    };
                                    view! {
                                        <ActionForm action=answer attr:class="inline">
                                            <input type="hidden" name="id" value=id />
                                            <input type="hidden" name="answer" value=choice.as_str() />
                                            <button type="submit" aria-label=label disabled=move || answer.pending().get()>
                                                {match choice { Answer::Accept => "Accept", Answer::Reject => "Reject" }}
                                            </button>
                                        </ActionForm>
                                        " "
                                    }
                                }).collect_view())}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="muted">
            "After accepting, open it from "
            <a href="/lenses?kind=shared">"lenses shared with us"</a>
            " or "
            <a href="/workloads">"workloads"</a>
            "."
        </p>
    }
    .into_any()
}
