//! User administration: create users, set roles, disable and enable, reset passwords.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api_tokens::{RevokeToken, list_all_tokens},
    auth::Role,
    error::AppError,
    form_field::{Choices, Field, Input, Select, Submit, error_at},
    form_outcome::ResultLine,
    routes::account::TokenTable,
    time_view::LocalTime,
    users::{CreateUser, ResetUserPassword, SetUserDisabled, SetUserRole, list_users},
    webhooks::{CreateWebhook, RemoveWebhook, Webhook, WebhookEvent, WebhookForm, list_webhooks},
};

/// The answer to the last change to one user's row, shown in that row; `None` when the user is
/// not known, as after a form posted without JavaScript comes back with an error.
#[derive(Clone, Debug)]
struct RowAnswer {
    username: Option<String>,
    result: Result<&'static str, String>,
}

fn answer_line(result: Result<&'static str, String>) -> AnyView {
    match result {
        Ok(done) => view! { <ResultLine ok=true>{done}</ResultLine> }.into_any(),
        Err(why) => view! { <ResultLine ok=false>{why}</ResultLine> }.into_any(),
    }
}

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == selected>{role.as_str()}</option> })
        .collect_view()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_disabled = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_disabled.version().get(),
                reset.version().get(),
            )
        },
        |_| list_users(),
    );
    // Only the newest answer stays: each form sent forgets the ones before it.
    let answer = RwSignal::new(None::<RowAnswer>);
    let acting_on = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let user = set_role
            .input()
            .with(|i| i.as_ref().map(|i| i.username.clone()))
            .or_else(|| {
                set_disabled
                    .input()
                    .with(|i| i.as_ref().map(|i| i.username.clone()))
            })
            .or_else(|| {
                reset
                    .input()
                    .with(|i| i.as_ref().map(|i| i.username.clone()))
            });
        if user.is_some() {
            acting_on.set(user);
            answer.set(None);
            create.clear();
        }
    });
    Effect::new(move |_| {
        if create.pending().get() {
            answer.set(None);
        }
    });
    let record = move |result: Option<Result<(), AppError>>, done: &'static str| {
        if let Some(result) = result {
            answer.set(Some(RowAnswer {
                username: acting_on.get_untracked(),
                result: result.map(|()| done).map_err(|e| e.to_string()),
            }));
        }
    };
    Effect::new(move |_| record(set_role.value().get(), "Role saved."));
    Effect::new(move |_| record(set_disabled.value().get(), "Account updated."));
    Effect::new(move |_| record(reset.value().get(), "Password reset."));
    let answer_for = move |username: Option<String>| {
        move || {
            answer
                .get()
                .filter(|a| a.username == username)
                .map(|a| answer_line(a.result))
        }
    };

    view! {
        <Title text="Admin" />
        <h1>"Admin"</h1>
        <p class="lede">"User accounts and roles: viewers read, authors change, reviewers approve and publish, administrators manage users."</p>
        {answer_for(None)}
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading users…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <p class="error" role="alert">{move || crate::routes::errors_text(&errors.get())}</p>
            }>
                {move || users.get().map(|result| result.map(|users| {
                    let active_admins = users.iter().filter(|u| u.role == Role::Admin && !u.disabled).count();
                    view! {
                    <table class="users" data-testid="users">
                        <thead><tr><th>"User"</th><th>"Role"</th><th>"Status"</th><th>"Password"</th><th>"Result"</th></tr></thead>
                        <tbody>
                            {users.into_iter().map(|user| {
                                let (for_role, for_state, for_reset) =
                                    (user.username.clone(), user.username.clone(), user.username.clone());
                                // The server keeps one active administrator; the page does not offer to remove it.
                                let last_admin = user.role == Role::Admin && !user.disabled && active_admins == 1;
                                let row_answer = answer_for(Some(user.username.clone()));
                                view! {
                                    <tr data-user=user.username.clone()>
                                        <td class="username">{user.username.clone()}</td>
                                        <td>
                                            <ActionForm action=set_role attr:class="inline">
                                                <input type="hidden" name="username" value=for_role.clone() />
                                                <select name="role" aria-label=format!("Role of {for_role}") disabled=last_admin>
                                                    <RoleOptions selected=user.role />
                                                </select>
                                                {(!last_admin).then(|| view! { <button type="submit">"Save role"</button> })}
                                            </ActionForm>
                                        </td>
                                        <td>
                                            {if last_admin {
                                                view! { <span title="Another administrator must be active before this one can be disabled or lose the role.">"Active (the only administrator)"</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ActionForm action=set_disabled attr:class="inline">
                                                        <input type="hidden" name="username" value=for_state.clone() />
                                                        <input type="hidden" name="disabled" value=if user.disabled { "false" } else { "true" } />
                                                        {if user.disabled { "Disabled " } else { "Active " }}
                                                        <button type="submit">{if user.disabled { "Enable" } else { "Disable" }}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}
                                        </td>
                                        <td>
                                            <ActionForm action=reset attr:class="inline">
                                                <input type="hidden" name="username" value=for_reset.clone() />
                                                <input type="password" name="password" autocomplete="new-password" aria-label=format!("New password for {for_reset}") required minlength="12" />
                                                <button type="submit">"Reset"</button>
                                            </ActionForm>
                                        </td>
                                        <td class="answer">{row_answer}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <NewUserForm create />
                    <AllTokens />
                    <WebhookSettings />
                    }
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}

/// Every user's API tokens, for revoking one that leaked or outlived its pipeline. Shown only
/// with the user list, that is to administrators.
#[component]
fn AllTokens() -> impl IntoView {
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(move || revoke.version().get(), |_| list_all_tokens());
    view! {
        <section class="panel" aria-labelledby="all-tokens">
            <h2 id="all-tokens">"API tokens"</h2>
            <Suspense fallback=|| view! { <p aria-busy="true">"Loading tokens…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error" role="alert">{move || crate::routes::errors_text(&errors.get())}</p>
                }>
                    {move || tokens.get().map(|result| result.map(|tokens| view! {
                        <TokenTable tokens revoke show_owner=true />
                    }))}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// Shown only with the user list, that is to administrators.
#[component]
fn NewUserForm(create: ServerAction<CreateUser>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="new-user">
            <h2 id="new-user">"New user"</h2>
            <ActionForm action=create attr:class="stacked">
                <Field id="new-username" label="Username" hint="1 to 64 characters." required=true error=error_at(create, "username")>
                    <Input name="username" attr:maxlength="64" attr:autocomplete="off" />
                </Field>
                <Field id="new-password" label="Password" hint="12 characters or more; they change it on their account page." required=true error=error_at(create, "password")>
                    <Input name="password" kind="password" attr:minlength="12" attr:autocomplete="new-password" />
                </Field>
                <Field id="new-role" label="Role" error=error_at(create, "role")>
                    <Select name="role"><RoleOptions selected=Role::Author /></Select>
                </Field>
                {move || create.value().get().map(|result| answer_line(result.map(|()| "User created.").map_err(|e| e.to_string())))}
                <Submit pending=create.pending() label="Create user" busy="Creating…" />
            </ActionForm>
        </section>
    }
}

/// Webhook endpoints with their recent deliveries, and the form that adds one.
#[component]
fn WebhookSettings() -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let remove = ServerAction::<RemoveWebhook>::new();
    let webhooks = Resource::new(
        move || (create.version().get(), remove.version().get()),
        |_| list_webhooks(),
    );
    view! {
        <section class="panel" aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">"Webhooks"</h2>
            <p>
                "lensgate posts JSON (or Slack-style text) to each address when the chosen events happen, signed with its secret: "
                <code>"X-Lensgate-Signature: t=…,v1=HMAC-SHA256(secret, \"t.body\")"</code>
                ". A failed delivery is sent again, waiting longer each time, for a day."
            </p>
            <Suspense fallback=|| view! { <p aria-busy="true">"Loading webhooks…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error" role="alert">{move || crate::routes::errors_text(&errors.get())}</p>
                }>
                    {move || webhooks.get().map(|result| result.map(|webhooks| {
                        if webhooks.is_empty() {
                            view! { <p class="empty">"No webhooks yet: add one below to hear about reviews and publications in your chat or CI."</p> }.into_any()
                        } else {
                            webhooks.into_iter().map(|webhook| view! { <WebhookCard webhook remove /> }).collect_view().into_any()
                        }
                    }))}
                </ErrorBoundary>
            </Suspense>
            {move || remove.value().get().and_then(Result::err).map(|error| answer_line(Err(error.to_string())))}
            <h3>"New webhook"</h3>
            <ActionForm action=create attr:class="stacked">
                <Field id="webhook-url" label="Address" hint="https://…, such as https://hooks.example.com/lensgate." required=true error=error_at(create, "url")>
                    <Input name=WebhookForm::name("url") kind="url" attr:maxlength="2000" />
                </Field>
                <Field id="webhook-secret" label="Secret" hint="16 to 200 characters; the receiver checks each delivery's signature with it." required=true error=error_at(create, "secret")>
                    <Input name=WebhookForm::name("secret") kind="password" attr:minlength="16" attr:maxlength="200" attr:autocomplete="off" />
                </Field>
                <Choices id="webhook-events" legend="Events" error=error_at(create, "events")>
                    {WebhookEvent::ALL.into_iter().map(|event| {
                        view! {
                            <label class="choice">
                                <input type="checkbox" name=WebhookForm::name(event.field()) value="on" checked=event != WebhookEvent::ChangeFailed />
                                {event.label()}
                            </label>
                        }
                    }).collect_view()}
                </Choices>
                <Field id="webhook-format" label="Format" error=error_at(create, "format")>
                    <Select name=WebhookForm::name("format")>
                        <option value="json" selected=true>"JSON"</option>
                        <option value="slack">"Slack (text with links)"</option>
                    </Select>
                </Field>
                {move || create.value().get().map(|result| answer_line(result.map(|()| "Webhook added.").map_err(|e| e.to_string())))}
                <Submit pending=create.pending() label="Add webhook" busy="Adding…" />
            </ActionForm>
        </section>
    }
}

#[component]
fn WebhookCard(webhook: Webhook, remove: ServerAction<RemoveWebhook>) -> impl IntoView {
    let events: Vec<&str> = webhook.events.iter().map(|e| e.label()).collect();
    let label = format!("Remove the webhook to {}", webhook.url);
    view! {
        <article class="webhook" data-webhook=webhook.url.clone()>
            <h3><code>{webhook.url.clone()}</code></h3>
            <p>
                {format!("{} · {} · added by {} ", events.join(", "), webhook.format.as_str(), webhook.created_by)}
                <LocalTime at=webhook.created_at.clone() />
            </p>
            <ActionForm action=remove attr:class="inline">
                <input type="hidden" name="id" value=webhook.id.to_string() />
                <button type="submit" aria-label=label>"Remove"</button>
            </ActionForm>
            {if webhook.deliveries.is_empty() {
                view! { <p class="empty">"No deliveries yet."</p> }.into_any()
            } else {
                view! {
                    <table class="deliveries" data-testid="deliveries">
                        <thead><tr><th>"Event"</th><th>"Queued"</th><th>"State"</th><th>"Attempts"</th><th>"Answer"</th></tr></thead>
                        <tbody>
                            {webhook.deliveries.into_iter().map(|delivery| view! {
                                <tr data-state=delivery.state.clone()>
                                    <td>{delivery.event.clone()}</td>
                                    <td><LocalTime at=delivery.created_at.clone() /></td>
                                    <td>{delivery.state.clone()}</td>
                                    <td>{delivery.attempts}</td>
                                    <td>{format!(
                                        "{}{}",
                                        delivery.last_status.map(|s| format!("{s} ")).unwrap_or_default(),
                                        delivery.last_response.clone().unwrap_or_default()
                                    )}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </article>
    }
}
