//! The lenses this account can see: owned, shared with it, and AWS official, filtered by kind
//! and text through the URL so that a link reproduces the view and the form works without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    auth::{Role, signed_in_can},
    form_field::{Field, Input, Select},
    lens_catalog::{LensKind, LensRow, detail_href, list_lenses},
    routes::error_alert,
    time_view::MaybeTime,
};

#[component]
pub fn LensesPage() -> impl IntoView {
    let query = use_query_map();
    let kind = move || query.read().get("kind").and_then(|k| LensKind::parse(&k));
    let text = move || query.read().get("q").unwrap_or_default();
    let lenses = Resource::new(|| (), |()| list_lenses());

    view! {
        <Title text="Lenses" />
        <div class="page-heading">
            <h1>"Lenses"</h1>
            {signed_in_can(Role::Author).then(|| view! { <a class="button" href="/lenses/new">"New lens"</a> })}
        </div>
        <p class="lede">"Custom lenses this account owns, lenses shared with it and the AWS official lenses."</p>
        <Form method="GET" action="" on_form_data=crate::href::without_unnamed_field() attr:class="filters" attr:role="search">
            <Field id="filter-kind" label="Type">
                <Select name="kind">
                    <option value="" selected=move || kind().is_none()>"All"</option>
                    {LensKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind() == Some(k)>{k.label()}</option>
                    }).collect_view()}
                </Select>
            </Field>
            <Field id="filter-q" label="Name contains">
                <Input name="q" kind="search" attr:value=text />
            </Field>
            <button type="submit">"Filter"</button>
        </Form>
        <Suspense fallback=|| view! { <p aria-busy="true">"Loading lenses…"</p> }>
            <ErrorBoundary fallback=error_alert>
                {move || lenses.get().map(|result| result.map(|rows| {
                    let wanted = text().to_lowercase();
                    let rows: Vec<LensRow> = rows
                        .into_iter()
                        .filter(|row| kind().is_none_or(|k| row.kind == k))
                        .filter(|row| wanted.is_empty() || row.name.to_lowercase().contains(&wanted))
                        .collect();
                    view! { <LensTable rows /> }
                }))}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn LensTable(rows: Vec<LensRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="notice" role="status">"No lens matches. Clear the filter, or import a new lens."</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="lenses">
            <thead><tr><th>"Name"</th><th>"Type"</th><th>"Status"</th><th>"Latest version"</th><th>"Owner"</th><th>"Last change"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <td><a href=detail_href(&row.arn)>{row.name.clone()}</a></td>
                        <td>{row.kind.label()}</td>
                        <td><span class=format!("status status-{}", row.status().to_lowercase())>{row.status()}</span></td>
                        <td>{row.latest_version.clone().unwrap_or_else(|| "—".to_owned())}</td>
                        <td>{row.owner.clone()}</td>
                        <td><MaybeTime at=row.updated_at.clone() /></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
