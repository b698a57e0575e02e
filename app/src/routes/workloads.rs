//! Workloads: the list with a name search, one workload with its shares (share, change the
//! permission, revoke with confirmation) and its audit history, and the New workload form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    audit_view::Timeline,
    auth::{Role, signed_in_can},
    form_field::{Choices, Field, Input, Select, Submit, TextArea, error_at},
    form_outcome::{Done, ResultLine},
    form_token::issue_form_token,
    principal::{self, PrincipalKind},
    routes::{error_alert, lens_shares::Since},
    time_view::MaybeTime,
    workloads::{
        CreateWorkload, Permission, RevokeWorkloadShare, ShareWorkload, UpdateWorkloadShare,
        WorkloadDetail, WorkloadRow, WorkloadShare, get_workload_detail, list_workloads,
        workload_href,
    },
};

#[component]
pub fn WorkloadsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let created = move || query.read().get("created").is_some();
    let workloads = Resource::new(search, list_workloads);
    view! {
        <Title text="Workloads" />
        <div class="page-heading">
            <h1>"Workloads"</h1>
            {signed_in_can(Role::Admin).then(|| view! { <a class="button" href="/workloads/new">"New workload"</a> })}
        </div>
        <p class="lede">"Well-Architected workloads and who they are shared with, read-only or as contributors."</p>
        {move || created().then(|| view! { <p class="ok" role="status">"Workload created."</p> })}
        <Form method="GET" action="" on_form_data=crate::href::without_unnamed_field() attr:class="filters" attr:role="search">
            <Field id="filter-q" label="Name starts with">
                <Input name="q" kind="search" attr:value=search attr:maxlength="100" />
            </Field>
            <button type="submit">"Search"</button>
        </Form>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading workloads…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || workloads.get().map(|result| result.map(|rows| view! { <WorkloadTable rows /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn WorkloadTable(rows: Vec<WorkloadRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice" role="status">"No workload matches. Clear the search, or create a workload."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="workloads">
            <thead><tr><th>"Name"</th><th>"Owner"</th><th>"Lenses"</th><th>"Last change"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=workload_href(&row.id)>{row.name.clone()}</a></td>
                        <td>{row.owner.clone()}</td>
                        <td>{row.lenses.join(", ")}</td>
                        <td><MaybeTime at=row.updated_at.clone() /></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The actions of the workload page, refetching the workload when any completes.
#[derive(Clone, Copy)]
struct ShareActions {
    share: ServerAction<ShareWorkload>,
    update: ServerAction<UpdateWorkloadShare>,
    revoke: ServerAction<RevokeWorkloadShare>,
}

#[component]
pub fn WorkloadPage() -> impl IntoView {
    let query = use_query_map();
    let id = move || query.read().get("id").unwrap_or_default();
    let actions = ShareActions {
        share: ServerAction::new(),
        update: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let detail = Resource::new(
        move || {
            (
                id(),
                actions.share.version().get(),
                actions.update.version().get(),
                actions.revoke.version().get(),
            )
        },
        |(id, ..)| get_workload_detail(id),
    );
    // One answer at a time: sending a form forgets the answers to the others.
    Effect::new(move |_| {
        if actions.share.pending().get() {
            actions.update.clear();
            actions.revoke.clear();
        }
    });
    Effect::new(move |_| {
        if actions.update.pending().get() {
            actions.share.clear();
            actions.revoke.clear();
        }
    });
    Effect::new(move |_| {
        if actions.revoke.pending().get() {
            actions.share.clear();
            actions.update.clear();
        }
    });
    view! {
        <Title text="Workload" />
        <p><a href="/workloads">"← All workloads"</a></p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the workload…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || detail.get().map(|result| result.map(|detail| view! { <WorkloadView detail actions /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn WorkloadView(detail: WorkloadDetail, actions: ShareActions) -> impl IntoView {
    let workload = detail.workload.clone();
    view! {
        <Title text=workload.name.clone() />
        <h1 data-testid="workload-name">{workload.name.clone()}</h1>
        <p class="lede">{detail.description.clone()}</p>
        <dl class="facts">
            <dt>"Environment"</dt><dd>{detail.environment.clone()}</dd>
            <dt>"Regions"</dt><dd>{detail.regions.join(", ")}</dd>
            <dt>"Lenses"</dt><dd>{workload.lenses.join(", ")}</dd>
            <dt>"Owner"</dt><dd>{workload.owner.clone()}</dd>
            {detail.review_owner.clone().map(|owner| view! { <dt>"Review owner"</dt><dd>{owner}</dd> })}
            <dt>"ARN"</dt><dd><code>{detail.arn.clone()}</code></dd>
            <dt>"Last change"</dt><dd><MaybeTime at=workload.updated_at.clone() /></dd>
        </dl>
        <section class="panel" aria-labelledby="shares-heading">
            <h2 id="shares-heading">"Shares"</h2>
            {if detail.owned {
                view! {
                    <TableResults actions />
                    <RevokeConfirmation id=workload.id.clone() shares=detail.shares.clone() token=detail.form_token.clone() revoke=actions.revoke />
                    <WorkloadShareTable id=workload.id.clone() shares=detail.shares.clone() update=actions.update />
                    {signed_in_can(Role::Author).then(|| view! {
                        <WorkloadShareForm id=workload.id.clone() owner=workload.owner.clone() token=detail.form_token.clone() share=actions.share />
                    })}
                    <ShareResult share=actions.share />
                }.into_any()
            } else {
                view! { <p class="muted">"Only the account that owns this workload sees and changes whom it is shared with."</p> }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Audit history"</h2>
            <Timeline entries=detail.timeline />
        </section>
    }
}

/// The answer to the last change made to the table: a permission changed or a share revoked.
#[component]
fn TableResults(actions: ShareActions) -> impl IntoView {
    let posted = use_query_map();
    move || {
        let line = |ok: bool, text: String| {
            view! { <ResultLine ok testid=if ok { "share-done" } else { "share-error" }>{text}</ResultLine> }.into_any()
        };
        match (actions.update.value().get(), actions.revoke.value().get()) {
            (Some(Ok(())), _) => Some(line(true, "Permission changed.".to_owned())),
            (_, Some(Ok(()))) => Some(line(true, Done::Revoked.sentence())),
            (Some(Err(error)), _) | (_, Some(Err(error))) => Some(line(false, error.to_string())),
            (None, None) => posted
                .with(Done::from_query)
                .filter(|done| *done == Done::Revoked)
                .map(|done| line(true, done.sentence())),
        }
    }
}

/// The answer to the share form, beneath it.
#[component]
fn ShareResult(share: ServerAction<ShareWorkload>) -> impl IntoView {
    let posted = use_query_map();
    let shared = "Shared. The other account sees it once it accepts the invitation.";
    move || match share.value().get() {
        Some(Ok(())) => {
            Some(view! { <ResultLine ok=true testid="share-done">{shared}</ResultLine> }.into_any())
        }
        Some(Err(error)) => Some(
            view! { <ResultLine ok=false testid="share-error">{error.to_string()}</ResultLine> }
                .into_any(),
        ),
        None => posted
            .with(Done::from_query)
            .filter(|done| matches!(done, Done::Shared { .. }))
            .map(|_| {
                view! { <ResultLine ok=true testid="share-done">{shared}</ResultLine> }.into_any()
            }),
    }
}

/// The confirmation follows the address (`&revoke=<share id>`), so it works without JavaScript.
#[component]
fn RevokeConfirmation(
    id: String,
    shares: Vec<WorkloadShare>,
    token: String,
    revoke: ServerAction<RevokeWorkloadShare>,
) -> impl IntoView {
    let query = use_query_map();
    let pending = move || {
        let wanted = query.read().get("revoke")?;
        shares.iter().find(|s| s.share_id == wanted).cloned()
    };
    move || {
        pending().map(|target| {
            let (id, token) = (id.clone(), token.clone());
            let cancel = workload_href(&id);
            view! {
                <div class="notice" role="alertdialog" aria-labelledby="revoke-question">
                    <p id="revoke-question">{format!("Revoke the share with {}? It loses access to this workload.", target.shared_with)}</p>
                    <ActionForm action=revoke attr:class="inline">
                        <input type="hidden" name="workload_id" value=id />
                        <input type="hidden" name="share_id" value=target.share_id.clone() />
                        <input type="hidden" name="token" value=token />
                        <button type="submit" disabled=move || revoke.pending().get()>{format!("Revoke the share with {}", target.shared_with)}</button>
                        " " <a href=cancel>"Cancel"</a>
                    </ActionForm>
                </div>
            }
        })
    }
}

#[component]
fn WorkloadShareTable(
    id: String,
    shares: Vec<WorkloadShare>,
    update: ServerAction<UpdateWorkloadShare>,
) -> impl IntoView {
    if shares.is_empty() {
        return view! { <p class="muted">"Not shared with anyone."</p> }.into_any();
    }
    let can_change = signed_in_can(Role::Author);
    view! {
        <table class="data" data-testid="shares">
            <thead><tr><th>"Shared with"</th><th>"Kind"</th><th>"Permission"</th><th>"Status"</th><th>"Since"</th><th></th></tr></thead>
            <tbody>
                {shares.into_iter().map(|share| {
                    let kind = principal::parse(&share.shared_with).map(PrincipalKind::label).unwrap_or("");
                    let revoke_href = format!("{}&revoke={}", workload_href(&id), share.share_id);
                    let label = format!("Permission for {}", share.shared_with);
                    let current = share.permission.clone();
                    let workload_id = id.clone();
                    view! {
                        <tr data-principal=share.shared_with.clone()>
                            <td><code>{share.shared_with.clone()}</code></td>
                            <td>{kind}</td>
                            <td>
                                {if can_change {
                                    view! {
                                <ActionForm action=update attr:class="inline">
                                    <input type="hidden" name="workload_id" value=workload_id />
                                    <input type="hidden" name="share_id" value=share.share_id.clone() />
                                    <select name="permission" aria-label=label>
                                        {Permission::ALL.into_iter().map(|p| view! {
                                            <option value=p.as_str() selected=current == p.as_str()>{p.label()}</option>
                                        }).collect_view()}
                                    </select>
                                    " "
                                    <button type="submit" disabled=move || update.pending().get()>"Change"</button>
                                </ActionForm>
                                    }.into_any()
                                } else {
                                    view! { {Permission::parse(&current).map_or(current.clone(), |p| p.label().to_owned())} }.into_any()
                                }}
                            </td>
                            <td>{share.status.clone()}</td>
                            <td><Since at=share.since.clone() /></td>
                            <td>{can_change.then(|| view! { <a href=revoke_href>{format!("Revoke {}", share.shared_with)}</a> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn WorkloadShareForm(
    id: String,
    owner: String,
    token: String,
    share: ServerAction<ShareWorkload>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let check = Memo::new(move |_| {
        let text = typed.get();
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        Some(match principal::parse(text) {
            Ok(PrincipalKind::IamRole | PrincipalKind::IamUser) => {
                Err("IAM roles and users cannot be given a workload; use an account, organization or OU.".to_owned())
            }
            Ok(PrincipalKind::Account) if text == owner => {
                Err("This is the account that owns the workload.".to_owned())
            }
            Ok(kind) => Ok(kind.label()),
            Err(why) => Err(why),
        })
    });
    view! {
        <ActionForm action=share attr:class="stacked share-form">
            <input type="hidden" name="workload_id" value=id />
            <input type="hidden" name="token" value=token />
            <Field id="share-principal" label="Share with" hint="An account id (12 digits), an organization id o-… or an OU id ou-…." required=true error=error_at(share, "principal")>
                <Input name="principal" attr:autocomplete="off" on:input=move |ev| typed.set(event_target_value(&ev)) />
                <p data-testid="principal-check" aria-live="polite">
                    {move || check.get().map(|verdict| match verdict {
                        Ok(kind) => view! { <span class="ok">{format!("Recognised: {kind}.")}</span> }.into_any(),
                        Err(why) => view! { <span class="error">{why}</span> }.into_any(),
                    })}
                </p>
            </Field>
            <Choices id="share-permission" legend="Permission" error=error_at(share, "permission")>
                {Permission::ALL.into_iter().map(|p| view! {
                    <label class="choice">
                        <input type="radio" name="permission" value=p.as_str() checked=p == Permission::ReadOnly />
                        <strong>{p.label()}</strong>
                        {format!(": {}", p.explanation())}
                    </label>
                }).collect_view()}
            </Choices>
            <Submit pending=share.pending() disabled=Signal::derive(move || check.with(|v| v.as_ref().is_some_and(Result::is_err))) label="Share" busy="Sharing…" />
        </ActionForm>
    }
}

#[component]
pub fn NewWorkloadPage() -> impl IntoView {
    let create = ServerAction::<CreateWorkload>::new();
    let token = Resource::new(|| (), |()| issue_form_token());
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            leptos_router::hooks::use_navigate()(&workload_href(&id), Default::default());
        }
    });
    view! {
        <Title text="New workload" />
        <p><a href="/workloads">"← All workloads"</a></p>
        <h1>"New workload"</h1>
        <p class="lede">"Creates a Well-Architected workload reviewed with the AWS Well-Architected Framework lens."</p>
        {if signed_in_can(Role::Admin) {
            view! { <NewWorkloadForm create token /> }.into_any()
        } else {
            view! {
                <p class="notice" role="status" data-testid="admins-only">"Only administrators create workloads: a workload belongs to the whole AWS account. Ask an administrator to create it; you can then share it from its page."</p>
            }.into_any()
        }}
    }
}

#[component]
fn NewWorkloadForm(
    create: ServerAction<CreateWorkload>,
    token: Resource<Result<String, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Preparing the form…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || token.get().map(|result| result.map(|token| view! {
                    <ActionForm action=create attr:class="stacked">
                        <input type="hidden" name="workload[token]" value=token />
                        <Field id="workload-name" label="Name" hint="3 to 100 characters; AWS ignores case and spaces when it compares names." required=true error=error_at(create, "name")>
                            <Input name="workload[name]" attr:minlength="3" attr:maxlength="100" />
                        </Field>
                        <Field id="workload-description" label="Description" hint="3 to 250 characters." required=true error=error_at(create, "description")>
                            <TextArea name="workload[description]" attr:minlength="3" attr:maxlength="250" attr:rows="2" />
                        </Field>
                        <Field id="workload-environment" label="Environment" error=error_at(create, "environment")>
                            <Select name="workload[environment]">
                                <option value="PRODUCTION">"Production"</option>
                                <option value="PREPRODUCTION">"Pre-production"</option>
                            </Select>
                        </Field>
                        <Field id="workload-regions" label="AWS Regions" hint="Comma-separated, such as us-east-1, eu-west-3." required=true error=error_at(create, "regions")>
                            <Input name="workload[regions]" attr:value="us-east-1" />
                        </Field>
                        <Field id="workload-owner" label="Review owner" hint="Optional: a name, email or team, 3 to 255 characters." error=error_at(create, "review_owner")>
                            <Input name="workload[review_owner]" attr:maxlength="255" />
                        </Field>
                        <Submit pending=create.pending() label="Create workload" busy="Creating…" />
                        {move || create.value().get().and_then(Result::err).map(|error| view! {
                            <ResultLine ok=false testid="create-error">{error.to_string()}</ResultLine>
                        })}
                    </ActionForm>
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}
