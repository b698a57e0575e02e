//! The audit history: events newest first with filters that combine (all in the URL, a plain
//! GET form), keyset pages, the chain's badge, exports of the current filter, and one event in
//! full.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    audit_browser::{
        AuditQuery, AuditResults, ChainState, EventDetail, OUTCOMES, RANGES, event_href,
        get_audit_event, get_chain_state, newest_audit_event, search_audit, target_href,
    },
    audit_view::EventTable,
    form_field::{Field, Input, Select},
    routes::error_alert,
    time_view::LocalTime,
};

fn query_from_url(query: &leptos_router::params::ParamsMap) -> AuditQuery {
    let text = |key: &str| query.get(key).unwrap_or_default();
    AuditQuery {
        actions: query.get_all("action").unwrap_or_default(),
        actor: text("actor"),
        outcome: text("outcome"),
        target: text("target"),
        range: text("range"),
        from: text("from"),
        until: text("until"),
        q: text("q"),
        before: query.get("before").and_then(|b| b.parse().ok()),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let current = move || query.with(query_from_url);
    let results = Resource::new(current, search_audit);
    let chain = Resource::new(|| (), |()| get_chain_state());
    view! {
        <Title text="Audit" />
        <div class="page-heading">
            <h1>"Audit"</h1>
            <Suspense fallback=|| ()>
                {move || chain.get().map(|state| state.map(|state| view! { <ChainBadge state /> }))}
            </Suspense>
        </div>
        <p class="lede">"Every change lensgate made in AWS and every review decision: who, when, on what, and with which outcome."</p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the audit history…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || results.get().map(|result| result.map(|results| {
                    let query = current();
                    view! {
                        <Filters query=query.clone() actions=results.actions.clone() />
                        <Exports query=query.clone() />
                        <NewerEvents shown=results.newest />
                        <ResultsPage results query />
                    }
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ChainBadge(state: ChainState) -> impl IntoView {
    match state {
        ChainState::Intact { events } => view! {
            <span class="badge ok" data-testid="chain-badge">{format!("Chain verified up to event {events}")}</span>
        }
        .into_any(),
        ChainState::Broken { seq, reason, .. } => view! {
            <a class="badge error" data-testid="chain-badge" href=event_href(seq) title=reason>
                {format!("Chain broken at event {seq}")}
            </a>
        }
        .into_any(),
    }
}

#[component]
fn Filters(query: AuditQuery, actions: Vec<String>) -> impl IntoView {
    let custom = query.range == "custom";
    view! {
        <Form method="GET" action="" on_form_data=crate::href::without_unnamed_field() attr:class="filters audit-filters" attr:role="search">
            <Field id="filter-action" label="Action">
                <Select name="action" attr:multiple=true attr:size="4">
                    {actions.into_iter().map(|action| {
                        let selected = query.actions.contains(&action);
                        let label = action.clone();
                        view! { <option value=action selected=selected>{label}</option> }
                    }).collect_view()}
                </Select>
            </Field>
            <Field id="filter-actor" label="Actor">
                <Input name="actor" attr:value=query.actor.clone() />
            </Field>
            <Field id="filter-outcome" label="Outcome">
                <Select name="outcome">
                    <option value="" selected=query.outcome.is_empty()>"Any"</option>
                    {OUTCOMES.into_iter().map(|(value, label, _)| view! {
                        <option value=value selected=query.outcome == value>{label}</option>
                    }).collect_view()}
                </Select>
            </Field>
            <Field id="filter-target" label="Target" hint="A lens ARN, workload id or grant ARN.">
                <Input name="target" attr:value=query.target.clone() />
            </Field>
            <Field id="filter-range" label="Time">
                <Select name="range">
                    <option value="" selected=query.range.is_empty()>"All time"</option>
                    {RANGES.into_iter().map(|(value, label, _)| view! {
                        <option value=value selected=query.range == value>{label}</option>
                    }).collect_view()}
                    <option value="custom" selected=custom>"Custom (below)"</option>
                </Select>
            </Field>
            <Field id="filter-from" label="From (UTC)">
                <Input name="from" kind="datetime-local" attr:value=query.from.clone() />
            </Field>
            <Field id="filter-until" label="Until (UTC)">
                <Input name="until" kind="datetime-local" attr:value=query.until.clone() />
            </Field>
            <Field id="filter-q" label="Search" hint="Words in requests, responses and errors.">
                <Input name="q" kind="search" attr:value=query.q.clone() />
            </Field>
            <button type="submit">"Filter"</button>
            " " <a href="/audit">"Clear"</a>
        </Form>
    }
}

#[component]
fn Exports(query: AuditQuery) -> impl IntoView {
    let base = query.to_query_string();
    let href = move |format: &str| {
        if base.is_empty() {
            format!("/audit/export?format={format}")
        } else {
            format!("/audit/export?format={format}&{base}")
        }
    };
    view! {
        <p class="exports">
            "Export this filter: "
            <a href=href("csv") download>"CSV"</a>
            " · "
            <a href=href("jsonl") download>"JSON Lines"</a>
        </p>
    }
}

/// After hydration, asks now and then whether events newer than the page arrived.
#[component]
fn NewerEvents(shown: i64) -> impl IntoView {
    let newer = RwSignal::new(false);
    Effect::new(move |_| {
        let check = move || {
            leptos::task::spawn_local(async move {
                if let Ok(newest) = newest_audit_event().await {
                    newer.set(newest > shown);
                }
            });
        };
        if let Ok(handle) =
            leptos::prelude::set_interval_with_handle(check, std::time::Duration::from_secs(10))
        {
            on_cleanup(move || handle.clear());
        }
    });
    move || {
        newer.get().then(|| {
            view! {
                <p class="notice" role="status" data-testid="newer-events">
                    "Newer events are available. " <a href="/audit">"Show the newest"</a>
                </p>
            }
        })
    }
}

#[component]
fn ResultsPage(results: AuditResults, query: AuditQuery) -> impl IntoView {
    if results.rows.is_empty() {
        return view! { <p class="notice" role="status">"No event matches. Clear a filter or widen the time range."</p> }.into_any();
    }
    let base = query.to_query_string();
    let older = results.older.map(|seq| {
        if base.is_empty() {
            format!("/audit?before={seq}")
        } else {
            format!("/audit?{base}&before={seq}")
        }
    });
    let first = query.before.is_some().then(|| {
        if base.is_empty() {
            "/audit".to_owned()
        } else {
            format!("/audit?{base}")
        }
    });
    view! {
        <EventTable rows=results.rows with_target=true testid="audit-events" />
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <a href=href>"← Newest"</a> " " })}
            {older.map(|href| view! { <a href=href data-testid="older">"Older events →"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
pub fn AuditEventPage() -> impl IntoView {
    let query = use_query_map();
    let seq = move || {
        query
            .read()
            .get("seq")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let event = Resource::new(seq, get_audit_event);
    view! {
        <Title text="Audit event" />
        <p><a href="/audit">"← Audit history"</a></p>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading the event…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || event.get().map(|result| result.map(|detail| view! { <EventView detail /> }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn EventView(detail: EventDetail) -> impl IntoView {
    let row = detail.row.clone();
    let target = target_href(&row.target);
    view! {
        <h1 data-testid="event-title">{format!("Event #{}: {} {}", row.seq, row.action, row.outcome())}</h1>
        {row.subject.clone().map(|s| view! { <p class="lede">{format!("{} {s}", row.action)}</p> })}
        <dl class="facts">
            <dt>"When"</dt><dd><LocalTime at=row.at.clone() /></dd>
            <dt>"Actor"</dt><dd>{format!("{} ({})", row.actor, detail.actor_role)}</dd>
            <dt>"Target"</dt>
            <dd>{match target {
                Some(href) => view! { <a href=href data-testid="event-target"><code>{row.target.clone()}</code></a> }.into_any(),
                None => view! { <code>{row.target.clone()}</code> }.into_any(),
            }}</dd>
            <dt>"Outcome"</dt><dd class=row.verdict().class()>{row.outcome_words()}</dd>
            {detail.error_message.clone().map(|m| view! { <dt>"Error"</dt><dd>{m}</dd> })}
            <dt>"Operation"</dt><dd><code>{detail.operation_id.clone()}</code></dd>
            <dt>"Idempotency token"</dt><dd><code>{detail.idempotency_token.clone().unwrap_or_else(|| "none".into())}</code></dd>
            <dt>"Attempts"</dt><dd>{detail.attempts.map(|a| a.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Duration"</dt><dd>{row.duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_else(|| "—".into())}</dd>
            <dt>"AWS request id"</dt><dd><code>{detail.aws_request_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
            <dt>"Hash"</dt><dd><code>{detail.hash.clone()}</code></dd>
            <dt>"Previous hash"</dt><dd><code>{detail.prev_hash.clone()}</code></dd>
            <dt>"Chain"</dt>
            <dd data-testid="event-chain">{if detail.chain_verified {
                "verifies up to this event".to_owned()
            } else {
                match &detail.chain {
                    ChainState::Broken { seq, reason, .. } => format!("broken at event {seq}: {reason}"),
                    ChainState::Intact { .. } => "not yet verified".to_owned(),
                }
            }}</dd>
        </dl>
        {(!detail.related.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="related-heading">
                <h2 id="related-heading">"The same operation"</h2>
                <ul>
                    {detail.related.iter().map(|r| view! {
                        <li><a href=event_href(r.seq)>{format!("#{} {} {}", r.seq, r.action, r.outcome())}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">"Request"</h2>
            <pre data-testid="event-request">{detail.request.clone()}</pre>
        </section>
        {detail.response.clone().map(|response| view! {
            <section class="panel" aria-labelledby="response-heading">
                <h2 id="response-heading">"Response"</h2>
                <pre>{response}</pre>
            </section>
        })}
    }
}
