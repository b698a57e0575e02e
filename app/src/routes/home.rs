use leptos::prelude::*;
use leptos_meta::Title;

use crate::{page_data::page_data, status::ServerStatus, time_view::LocalTime};

/// The server status on the home page: read by the server as it renders the page, or the
/// reason it could not be read.
pub type HomeStatus = Result<ServerStatus, String>;

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

/// Read with the page; "Refresh" loads the page again, with or without JavaScript.
#[component]
fn StatusPanel() -> impl IntoView {
    let status = page_data::<HomeStatus>();
    view! {
        <section class="panel" aria-labelledby="status-heading" data-testid="status-panel">
            <h2 id="status-heading">"Server status"</h2>
            {match status {
                Some(Ok(status)) => view! { <StatusTable status /> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                None => view! { <p>"The status is read as the page loads: refresh to see it."</p> }.into_any(),
            }}
            <form method="get" action="/">
                <button type="submit">"Refresh"</button>
            </form>
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
