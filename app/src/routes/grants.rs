//! License Manager grants: the grants distributed and received, filtered through the URL, and
//! one grant with its versions and the New version form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    audit_view::Timeline,
    auth::{Role, signed_in_can},
    error::AppError,
    form_field::{Choices, Field, Input, Select, Submit, TextArea, error_at},
    grants::{
        ALLOWED_OPERATIONS, CreateGrantVersion, Direction, GRANTOR_STATUSES, GrantDetail,
        GrantFilter, GrantList, GrantRow, GrantVersion, MAX_GRANT_NAME, MAX_STATUS_REASON,
        NewGrantVersion, get_grant_detail, grant_href, list_grants,
    },
    routes::error_alert,
    time_view::LocalTime,
};

#[component]
pub fn GrantsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let query = query.read();
        GrantFilter {
            direction: query.get("direction").unwrap_or_default(),
            status: query.get("status").unwrap_or_default(),
            license: query.get("license").unwrap_or_default(),
        }
    };
    let grants = Resource::new(filter, list_grants);
    view! {
        <Title text="Grants" />
        <h1>"Grants"</h1>
        <p class="lede">"License Manager grants this account distributed and received, with the versions created through lensgate."</p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading grants…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || grants.get().map(|result| result.map(|list| view! { <GrantFilters list=list.clone() filter=filter() /> <GrantTable rows=list.grants /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn GrantFilters(list: GrantList, filter: GrantFilter) -> impl IntoView {
    let choice = |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <Form method="GET" action="" on_form_data=crate::href::without_unnamed_field() attr:class="filters" attr:role="search">
            <Field id="filter-direction" label="Direction">
                <Select name="direction">
                    {choice(String::new(), "Both".into(), &filter.direction)}
                    {[Direction::Distributed, Direction::Received].into_iter()
                        .map(|d| choice(d.as_str().into(), d.label().into(), &filter.direction))
                        .collect_view()}
                </Select>
            </Field>
            <Field id="filter-status" label="Status">
                <Select name="status">
                    {choice(String::new(), "Any".into(), &filter.status)}
                    {list.statuses.into_iter().map(|s| choice(s.clone(), s, &filter.status)).collect_view()}
                </Select>
            </Field>
            <Field id="filter-license" label="License">
                <Select name="license">
                    {choice(String::new(), "Any".into(), &filter.license)}
                    {list.licenses.into_iter().map(|l| choice(l.clone(), l, &filter.license)).collect_view()}
                </Select>
            </Field>
            <button type="submit">"Filter"</button>
        </Form>
    }
}

#[component]
fn GrantTable(rows: Vec<GrantRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice" role="status">"No grant matches. Clear the filters."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="grants">
            <thead><tr><th>"Name"</th><th>"Direction"</th><th>"Grantee"</th><th>"License"</th><th>"Allowed operations"</th><th>"Status"</th><th>"Version"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=grant_href(&row.arn)>{row.name.clone()}</a></td>
                        <td>{row.direction.label()}</td>
                        <td><code>{row.grantee.clone()}</code></td>
                        <td><code>{row.license_arn.clone()}</code></td>
                        <td>{row.operations.join(", ")}</td>
                        <td>{row.status.clone()}</td>
                        <td>{row.version.clone()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn GrantPage() -> impl IntoView {
    let query = use_query_map();
    let arn = move || query.read().get("arn").unwrap_or_default();
    let create = ServerAction::<CreateGrantVersion>::new();
    // Only a created version reloads the grant: after a conflict the form keeps what was typed.
    let created = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            created.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(
        move || (arn(), created.get()),
        |(arn, _)| get_grant_detail(arn),
    );
    view! {
        <Title text="Grant" />
        <p><a href="/grants">"← All grants"</a></p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the grant…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || detail.get().map(|result| result.map(|detail| view! { <GrantView detail create /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn GrantView(detail: GrantDetail, create: ServerAction<CreateGrantVersion>) -> impl IntoView {
    let grant = detail.grant.clone();
    view! {
        <Title text=grant.name.clone() />
        <h1 data-testid="grant-name">{grant.name.clone()}</h1>
        <dl class="facts">
            <dt>"Status"</dt><dd data-testid="grant-status">{grant.status.clone()}</dd>
            <dt>"Current version"</dt><dd data-testid="grant-version">{grant.version.clone()}</dd>
            <dt>"Direction"</dt><dd>{grant.direction.label()}</dd>
            <dt>"Grantee"</dt><dd><code>{grant.grantee.clone()}</code></dd>
            <dt>"License"</dt><dd><code>{grant.license_arn.clone()}</code></dd>
            <dt>"Allowed operations"</dt><dd>{grant.operations.join(", ")}</dd>
            <dt>"ARN"</dt><dd><code>{grant.arn.clone()}</code></dd>
        </dl>
        <section class="panel" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <VersionTable versions=detail.versions.clone() />
        </section>
        {(grant.direction == Direction::Distributed && signed_in_can(Role::Author)).then(|| view! {
            <section class="panel" aria-labelledby="new-version-heading">
                <h2 id="new-version-heading">"New version"</h2>
                <NewVersionForm grant=grant.clone() token=detail.form_token.clone() create />
            </section>
        })}
        <section class="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Audit history"</h2>
            <Timeline entries=detail.timeline />
        </section>
    }
}

#[component]
fn VersionTable(versions: Vec<GrantVersion>) -> impl IntoView {
    view! {
        <table class="data" data-testid="grant-versions">
            <thead><tr><th>"Version"</th><th>"Name"</th><th>"Status"</th><th>"Allowed operations"</th><th>"Created"</th></tr></thead>
            <tbody>
                {versions.into_iter().map(|v| {
                    let created = match (v.by, v.at) {
                        (Some(by), Some(at)) => view! { {format!("by {by} ")} <LocalTime at /> }.into_any(),
                        _ => view! { <span class="muted">"outside lensgate"</span> }.into_any(),
                    };
                    let status = match v.status_reason {
                        Some(reason) => format!("{} ({reason})", v.status),
                        None => v.status,
                    };
                    view! {
                        <tr data-version=v.version.clone()>
                            <td>{v.version.clone()}{v.current.then_some(" (current)")}</td>
                            <td>{v.name}</td>
                            <td>{status}</td>
                            <td>{v.operations.join(", ")}</td>
                            <td>{created}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewVersionForm(
    grant: GrantRow,
    token: String,
    create: ServerAction<CreateGrantVersion>,
) -> impl IntoView {
    let checked = RwSignal::new(grant.operations.clone());
    let reason = RwSignal::new(grant.status_reason.clone().unwrap_or_default());
    // Said at once in the browser; the server says the same to a form sent without JavaScript.
    let server_says = error_at(create, "operations");
    let no_operation = Signal::derive(move || {
        checked
            .with(Vec::is_empty)
            .then(|| "Allow at least one operation.".to_owned())
            .or_else(|| server_says.get())
    });
    let settable = GRANTOR_STATUSES.contains(&grant.status.as_str());
    let form = NodeRef::<leptos::html::Form>::new();
    // Applying the typed values again reads them in the browser; without JavaScript the page
    // comes back with the current version in the form instead.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let stale = move || match create.value().get() {
        Some(Err(AppError::Stale { message, current })) => Some((message, current)),
        _ => None,
    };
    let reapply = move |current: String| {
        if let Some(version) = form.get_untracked().and_then(|f| read_form(&f)) {
            create.dispatch(CreateGrantVersion {
                version: NewGrantVersion {
                    source_version: current,
                    ..version
                },
            });
        }
    };
    view! {
        {move || create.value().get().map(|result| match result {
            Ok(version) => view! { <p class="ok" role="status" data-testid="version-created">{format!("Version {version} created.")}</p> }.into_any(),
            Err(AppError::Stale { .. }) => ().into_any(),
            Err(error) => view! { <p class="error" role="alert" data-testid="version-error">{error.to_string()}</p> }.into_any(),
        })}
        {move || stale().map(|(message, current)| view! {
            <div class="notice" role="alert" data-testid="version-conflict">
                <p>{message}</p>
                {if hydrated.get() {
                    let label = format!("Apply my changes again on version {current}");
                    view! {
                        <button type="button" on:click=move |_| reapply(current.clone()) disabled=move || create.pending().get()>{label}</button>
                    }.into_any()
                } else {
                    view! { <p>"The form below starts from the current version; enter your changes again."</p> }.into_any()
                }}
            </div>
        })}
        <ActionForm action=create node_ref=form attr:class="stacked">
            <input type="hidden" name="version[grant_arn]" value=grant.arn.clone() />
            <input type="hidden" name="version[token]" value=token />
            <Field id="grant-source" label="Source version" hint="The version your new version starts from.">
                <Input name="version[source_version]" attr:value=grant.version.clone() attr:readonly=true />
            </Field>
            <Field id="grant-name" label="Name" hint=format!("1 to {MAX_GRANT_NAME} characters.") required=true error=error_at(create, "name")>
                <Input name="version[name]" attr:value=grant.name.clone() attr:maxlength=MAX_GRANT_NAME.to_string() />
            </Field>
            <Choices id="grant-operations" legend="Allowed operations" hint="At least one." error=no_operation>
                {ALLOWED_OPERATIONS.into_iter().enumerate().map(|(i, op)| {
                    let on = grant.operations.iter().any(|o| o == op);
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=format!("version[operations][{i}]") value=op checked=on
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    checked.update(|ops| {
                                        ops.retain(|o| o != op);
                                        if on { ops.push(op.to_owned()); }
                                    });
                                } />
                            {op}
                        </label>
                    }
                }).collect_view()}
            </Choices>
            <Field id="grant-status" label="Status" error=error_at(create, "status")>
                <Select name="version[status]">
                    {(!settable).then(|| view! { <option value="" selected>{format!("Keep {}", grant.status)}</option> })}
                    {GRANTOR_STATUSES.into_iter().map(|s| view! { <option value=s selected=s == grant.status>{s}</option> }).collect_view()}
                </Select>
            </Field>
            <Field id="grant-reason" label="Status reason" hint=format!("Optional, at most {MAX_STATUS_REASON} characters.") error=error_at(create, "status_reason")>
                <TextArea name="version[status_reason]" value=reason.get_untracked() attr:rows="2" attr:maxlength=MAX_STATUS_REASON.to_string()
                    on:input=move |ev| reason.set(event_target_value(&ev)) />
            </Field>
            <p class="muted" data-testid="reason-counter" aria-live="polite">
                {move || format!("{} / {MAX_STATUS_REASON} characters", reason.with(|r| r.chars().count()))}
            </p>
            <Submit pending=create.pending() disabled=Signal::derive(move || checked.with(Vec::is_empty)) label="Create version" busy="Creating…" />
        </ActionForm>
    }
}

/// The New version form's current values, to apply them again after a conflict.
fn read_form(form: &web_sys::HtmlFormElement) -> Option<NewGrantVersion> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let text = |name: &str| data.get(name).as_string().unwrap_or_default();
    Some(NewGrantVersion {
        grant_arn: text("version[grant_arn]"),
        name: text("version[name]"),
        operations: (0..ALLOWED_OPERATIONS.len())
            .filter_map(|i| data.get(&format!("version[operations][{i}]")).as_string())
            .collect(),
        status: text("version[status]"),
        status_reason: text("version[status_reason]"),
        source_version: text("version[source_version]"),
        token: text("version[token]"),
    })
}
