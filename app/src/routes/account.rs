//! The signed-in user's own account: changing the password, and personal API tokens.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api_tokens::{
        CreateToken, DEFAULT_DAYS, MAX_DAYS, RevokeToken, TokenSummary, list_own_tokens,
        take_created_token,
    },
    auth::{Role, signed_in},
    error::AppError,
    form_field::{Field, Input, Select, Submit, error_at},
    form_outcome::ResultLine,
    time_view::LocalTime,
};

#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let user = crate::auth::ssr::require(crate::auth::Role::Viewer)?;
    crate::services::Services::current()?
        .users
        .change_own_password(user, current, new)
        .await
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <Title text="Your account" />
        <h1>"Your account"</h1>
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change your password"</h2>
            <p>"Your other sessions end when the password changes."</p>
            <ActionForm action=change attr:class="stacked">
                <Field id="current" label="Current password" required=true error=error_at(change, "current")>
                    <Input name="current" kind="password" attr:autocomplete="current-password" />
                </Field>
                <Field id="new" label="New password" hint="12 characters or more." required=true error=error_at(change, "new")>
                    <Input name="new" kind="password" attr:autocomplete="new-password" attr:minlength="12" />
                </Field>
                {move || match change.value().get() {
                    Some(Ok(())) => Some(view! { <p class="ok" role="status">"Password changed."</p> }.into_any()),
                    Some(Err(error)) => Some(view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()),
                    None => None,
                }}
                <Submit pending=change.pending() label="Change password" busy="Changing…" />
            </ActionForm>
        </section>
        <ApiTokensPanel />
    }
}

/// Personal API tokens: create one (shown once), see each one's last use, revoke.
#[component]
fn ApiTokensPanel() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_own_tokens(),
    );
    // A form posted without JavaScript comes back here; the server kept the new token in the
    // session for this one page.
    let held = Resource::new(|| (), |()| take_created_token());
    let own_role = signed_in().map_or(Role::Viewer, |user| user.role);
    let shown = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .or_else(|| held.get().and_then(Result::ok).flatten())
    };
    view! {
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p>
                "For pipelines: " <code>"lensgate push"</code> " and the " <a href="/api/v1/docs" rel="external">"JSON API"</a>
                ", with " <code>"Authorization: Bearer"</code> ". A token acts as you, with at most the role you give it, until it expires or you revoke it."
            </p>
            <Suspense fallback=|| ()>
                {move || shown().map(|created| view! {
                    <div class="result ok" role="status" data-testid="new-token">
                        <p>{format!("Token {} created. Copy it now: it is not shown again.", created.summary.name)}</p>
                        <p><code class="secret">{created.secret}</code></p>
                    </div>
                })}
            </Suspense>
            {move || create.value().get().and_then(Result::err).map(|error| view! {
                <ResultLine ok=false>{error.to_string()}</ResultLine>
            })}
            <ActionForm action=create attr:class="stacked">
                <Field id="token-name" label="Name" hint="What uses it, such as ci-push." required=true error=error_at(create, "name")>
                    <Input name="name" attr:maxlength="64" attr:autocomplete="off" />
                </Field>
                <Field id="token-days" label="Expires after, in days" hint=format!("1 to {MAX_DAYS}.") required=true error=error_at(create, "days")>
                    <Input name="days" kind="number" attr:min="1" attr:max=MAX_DAYS.to_string() attr:value=DEFAULT_DAYS.to_string() />
                </Field>
                <Field id="token-role" label="Role" hint="At most yours." error=error_at(create, "role")>
                    <Select name="role">
                        {Role::ALL.into_iter().filter(move |role| *role <= own_role).map(|role| view! {
                            <option value=role.as_str() selected=role == own_role>{role.as_str()}</option>
                        }).collect_view()}
                    </Select>
                </Field>
                <Submit pending=create.pending() label="Create token" busy="Creating…" />
            </ActionForm>
            <Suspense fallback=|| view! { <p aria-busy="true">"Loading tokens…"</p> }>
                <ErrorBoundary fallback=|errors| view! {
                    <p class="error" role="alert">{move || crate::routes::errors_text(&errors.get())}</p>
                }>
                    {move || tokens.get().map(|result| result.map(|tokens| view! {
                        <TokenTable tokens revoke show_owner=false />
                    }))}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// Tokens with their state and a button to revoke each live one; the admin page shows whose.
#[component]
pub fn TokenTable(
    tokens: Vec<TokenSummary>,
    revoke: ServerAction<RevokeToken>,
    show_owner: bool,
) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="empty">"No tokens yet."</p> }.into_any();
    }
    view! {
        {move || revoke.value().get().and_then(Result::err).map(|error| view! {
            <ResultLine ok=false>{error.to_string()}</ResultLine>
        })}
        <table class="tokens" data-testid="tokens">
            <thead><tr>
                {show_owner.then(|| view! { <th>"User"</th> })}
                <th>"Name"</th><th>"Starts with"</th><th>"Role"</th><th>"Created"</th><th>"Expires"</th><th>"Last used"</th><th>"State"</th>
            </tr></thead>
            <tbody>
                {tokens.into_iter().map(|token| {
                    let state = match &token.revoked_at {
                        Some(at) => view! { <span>"Revoked " <LocalTime at=at.clone() /></span> }.into_any(),
                        None => {
                            let label = format!("Revoke {}", token.name);
                            view! {
                            <ActionForm action=revoke attr:class="inline">
                                <input type="hidden" name="id" value=token.id.to_string() />
                                <button type="submit" aria-label=label>"Revoke"</button>
                            </ActionForm>
                            }.into_any()
                        }
                    };
                    view! {
                        <tr data-token=token.name.clone()>
                            {show_owner.then(|| view! { <td>{token.username.clone()}</td> })}
                            <td>{token.name.clone()}</td>
                            <td><code>{format!("{}…", token.prefix)}</code></td>
                            <td>{token.role.as_str()}</td>
                            <td><LocalTime at=token.created_at.clone() /></td>
                            <td><LocalTime at=token.expires_at.clone() /></td>
                            <td>{match token.last_used_at.clone() {
                                Some(at) => view! { <LocalTime at=at /> }.into_any(),
                                None => view! { <span>"never"</span> }.into_any(),
                            }}</td>
                            <td>{state}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
