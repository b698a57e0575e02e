use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    status::{GetStatus, ServerStatus, get_status},
    time_view::LocalTime,
};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <h1>"Custom lenses, reviewed before they ship"</h1>
        <p class="lede">
            "Upload and validate Well-Architected custom lenses, get each draft approved by a second person, "
            "publish it as a version, share it, and keep an audit history of every change made in AWS."
        </p>
        <StatusPanel />
    }
}

/// Loaded with the page, refreshable by a form that also works before the WASM has loaded.
#[component]
fn StatusPanel() -> impl IntoView {
    let refresh = ServerAction::<GetStatus>::new();
    let initial = Resource::new(|| (), |()| get_status());
    let current = move || refresh.value().get().or_else(|| initial.get());

    view! {
        <section class="panel" aria-labelledby="status-heading" data-testid="status-panel">
            <h2 id="status-heading">"Server status"</h2>
            <Suspense fallback=|| view! { <p aria-busy="true">"Checking the server…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <p class="error" role="alert">
                            {move || crate::routes::errors_text(&errors.get())}
                        </p>
                    }
                }>{move || current().map(|result| result.map(|status| view! { <StatusTable status /> }))}</ErrorBoundary>
            </Suspense>
            <ActionForm action=refresh>
                <button type="submit" disabled=move || refresh.pending().get()>
                    {move || if refresh.pending().get() { "Refreshing…" } else { "Refresh" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StatusTable(status: ServerStatus) -> impl IntoView {
    let schema = status
        .schema_version
        .map_or_else(|| "no migrations applied".to_owned(), |v| v.to_string());
    view! {
        <dl class="facts">
            <dt>"Server version"</dt>
            <dd data-testid="server-version">{status.server_version}</dd>
            <dt>"AWS backend"</dt>
            <dd data-testid="backend">{status.backend}</dd>
            <dt>"Database"</dt>
            <dd data-testid="database-path"><code>{status.database_path}</code></dd>
            <dt>"Installation"</dt>
            <dd data-testid="instance">
                <code>{status.instance_id}</code>
                ", database created "
                <LocalTime at=status.database_created_at />
            </dd>
            <dt>"Schema version"</dt>
            <dd data-testid="schema-version">{schema}</dd>
            <dt>"Audit history"</dt>
            <dd data-testid="audit-chain">{status.audit_chain}</dd>
            <dt>"Checked at"</dt>
            <dd data-testid="checked-at"><LocalTime at=status.checked_at /></dd>
        </dl>
    }
}
