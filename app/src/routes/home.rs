use std::time::Duration;

use leptos::{html, lazy, prelude::*};
use leptos_meta::Title;

use crate::{
    dashboard::{Home, Line, Panel, load_home},
    page_data::page_data,
    status::ServerStatus,
    time_view::LocalTime,
};

/// How often a page left open brings itself up to date while it is in view.
const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The team's start: what waits for the user, what happened lately, and for administrators
/// the server's facts. The server reads it as it renders the page, so it works without script;
/// once the script runs, the page reads it again every minute while it is in view, and
/// "Refresh" reads it in place.
#[component]
pub fn HomePage() -> impl IntoView {
    let first = page_data::<Home>();
    let unread = first.is_none();
    let body = NodeRef::<html::Div>::new();
    let refreshing = RwSignal::new(false);
    let trouble = RwSignal::new(None::<String>);
    let refresh = move || {
        if refreshing.get_untracked() {
            return;
        }
        refreshing.set(true);
        // The user may leave the page while it reads: then nothing is left to update.
        leptos::task::spawn_local(async move {
            let answer = bring_up_to_date(body).await;
            trouble.try_set(answer.err());
            refreshing.try_set(false);
        });
    };
    // Effects run in the browser only, after hydration.
    Effect::new(move |_| {
        // The router drew this page without the server's data: read it now.
        if unread {
            refresh();
        }
        let timer = set_interval_with_handle(
            move || {
                if !document().hidden() {
                    refresh();
                }
            },
            REFRESH_EVERY,
        );
        on_cleanup(move || {
            if let Ok(timer) = timer {
                timer.clear();
            }
        });
    });
    view! {
        <Title text="" />
        <h1>"Your lenses at a glance"</h1>
        <div node_ref=body>
            {match first {
                Some(home) => view! { <HomeBody home /> }.into_any(),
                None => view! { <p aria-busy="true">"Reading what needs you…"</p> }.into_any(),
            }}
        </div>
        <p class="error refresh-trouble" role="status" data-testid="refresh-trouble">
            {move || trouble.get().map(|why| format!("The page could not bring itself up to date: {why}"))}
        </p>
        <form method="get" action="/" on:submit=move |ev| {
            ev.prevent_default();
            refresh();
        }>
            <button type="submit" disabled=move || refreshing.get()>
                {move || if refreshing.get() { "Refreshing…" } else { "Refresh" }}
            </button>
        </form>
    }
}

/// Reads the home page's data again and puts it in place of what `body` shows. Its own part of
/// the bundle, loaded at the first refresh: the server-function client it needs stays out of
/// the first download (README, "The browser bundle"). The view is built afresh rather than
/// patched, which would bring every panel's update code along for a page read once a minute.
#[lazy]
async fn bring_up_to_date(body: NodeRef<html::Div>) -> Result<(), String> {
    let home = load_home().await.map_err(|error| error.to_string())?;
    // The user may have left the page while it read: then nothing is left to update.
    let Some(body) = body.try_get_untracked().flatten() else {
        return Ok(());
    };
    // Unmounting the last refresh's view ends its reactive parts; what is left is the view the
    // server rendered, which has none.
    SHOWN.with_borrow_mut(Option::take);
    body.set_inner_html("");
    let mounted = leptos::mount::mount_to(body.into(), move || view! { <HomeBody home /> });
    SHOWN.set(Some(Box::new(mounted)));
    Ok(())
}

thread_local! {
    /// The view the last refresh put in place, until the next one replaces it.
    static SHOWN: std::cell::RefCell<Option<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(None) };
}

#[component]
fn HomeBody(home: Home) -> impl IntoView {
    let Home {
        panels,
        chain,
        about,
    } = home;
    view! {
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
