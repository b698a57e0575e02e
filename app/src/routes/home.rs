use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    dashboard::{Home, Line, Panel},
    page_data::page_data,
    status::ServerStatus,
    time_view::LocalTime,
};

/// The team's start: what waits for the user, what happened lately, and for administrators
/// the server's facts. Read by the server as it renders the page; "Refresh" loads it again.
#[component]
pub fn HomePage() -> impl IntoView {
    let home = page_data::<Home>();
    view! {
        <Title text="" />
        <h1>"Your lenses at a glance"</h1>
        {match home {
            Some(Home { panels, chain, about }) => view! {
                {match panels {
                    Ok(panels) => view! {
                        <div class="dashboard">
                            {panels.into_iter().map(|panel| view! { <PanelView panel /> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                }}
                <p class="muted" data-testid="audit-chain">{chain}</p>
                {about.map(|status| view! { <AboutPanel status /> })}
            }.into_any(),
            None => view! { <p>"This page is read as it loads: refresh to see it."</p> }.into_any(),
        }}
        <form method="get" action="/">
            <button type="submit">"Refresh"</button>
        </form>
    }
}

#[component]
fn PanelView(panel: Panel) -> impl IntoView {
    let heading = format!("{}-heading", panel.id);
    let labelled_by = heading.clone();
    let body = if panel.lines.is_empty() {
        let class = if panel.failed { "error" } else { "empty" };
        view! { <p class=class>{panel.note}</p> }.into_any()
    } else {
        view! { <ul>{panel.lines.into_iter().map(|line| view! { <LineView line /> }).collect_view()}</ul> }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby=labelled_by data-testid=panel.id>
            <h2 id=heading>{panel.title}</h2>
            {body}
        </section>
    }
}

#[component]
fn LineView(line: Line) -> impl IntoView {
    let label = match line.href {
        Some(href) => view! { <a href=href>{line.label}</a> }.into_any(),
        None => view! { <span>{line.label}</span> }.into_any(),
    };
    view! {
        <li data-outcome=line.outcome>
            {label}
            {line.detail}
            {line.at.map(|at| view! { <LocalTime at /> })}
            {line.retry.map(|href| view! { " " <a href=href class="retry">"Try again on its page"</a> })}
        </li>
    }
}

/// The server's facts, for administrators.
#[component]
fn AboutPanel(status: Result<ServerStatus, String>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="status-heading" data-testid="status-panel">
            <h2 id="status-heading">"About this server"</h2>
            {match status {
                Ok(status) => view! { <StatusTable status /> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            }}
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
            <dd>{status.audit_chain}</dd>
            <dt>"Checked at"</dt>
            <dd data-testid="checked-at"><LocalTime at=status.checked_at /></dd>
        </dl>
    }
}
