//! Audit events as every list shows them: the Audit page and the timelines of a lens, a
//! workload or a grant share one row, one way of saying an outcome, shortened ids (the full one
//! on hover) and one time format.

use leptos::prelude::*;

use crate::{
    audit_browser::{AuditRow, event_href, target_href},
    time_view::LocalTime,
};

/// A target as a reader scans it: `lens 3f9a0c1e…` for an ARN, with the whole id on hover and
/// a link to its page when it has one.
#[component]
pub fn ShortTarget(target: String) -> impl IntoView {
    if target.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let words = short_target(&target);
    match target_href(&target) {
        Some(href) => {
            view! { <a href=href title=target.clone()><code>{words}</code></a> }.into_any()
        }
        None => view! { <code title=target.clone()>{words}</code> }.into_any(),
    }
}

/// `arn:…:lens/<id>` as `lens <first 8>…`, a grant ARN as `grant g-<first 8>…`, a workload id
/// as `workload <first 8>…`; anything else (a username) as it is.
pub fn short_target(target: &str) -> String {
    let cut = |id: &str| -> String {
        if id.chars().count() > 10 {
            format!("{}…", id.chars().take(8).collect::<String>())
        } else {
            id.to_owned()
        }
    };
    if let Some((_, id)) = target.split_once(":lens/") {
        return format!("lens {}", cut(id));
    }
    if let Some((_, id)) = target.split_once(":grant:") {
        let id = id.strip_prefix("g-").unwrap_or(id);
        return format!("grant g-{}", cut(id));
    }
    if target_href(target).is_some() {
        return format!("workload {}", cut(target));
    }
    target.to_owned()
}

/// A table of events, newest first. `with_target` adds the target and duration columns the
/// Audit page needs; a resource's own timeline leaves them out.
#[component]
pub fn EventTable(
    rows: Vec<AuditRow>,
    with_target: bool,
    #[prop(into)] testid: String,
) -> impl IntoView {
    view! {
        <table class="data events" data-testid=testid>
            <thead>
                <tr>
                    <th scope="col">"Event"</th>
                    <th scope="col">"When"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"What"</th>
                    {with_target.then(|| view! { <th scope="col">"Target"</th> })}
                    <th scope="col">"Outcome"</th>
                    {with_target.then(|| view! { <th scope="col">"Duration"</th> })}
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! { <EventRow row with_target /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn EventRow(row: AuditRow, with_target: bool) -> impl IntoView {
    let verdict = row.verdict();
    let words = row.outcome_words();
    let why = row.error_message.clone().unwrap_or_default();
    view! {
        <tr data-seq=row.seq>
            <td><a href=event_href(row.seq)>{format!("#{}", row.seq)}</a></td>
            <td><LocalTime at=row.at.clone() /></td>
            <td>{row.actor.clone()}</td>
            <td>
                {row.action.clone()}
                {row.subject.clone().map(|s| view! { " " <span class="subject">{s}</span> })}
            </td>
            {with_target.then(|| view! { <td><ShortTarget target=row.target.clone() /></td> })}
            <td class=verdict.class() title=why>{words}</td>
            {with_target.then(|| view! { <td>{row.duration_ms.map(|ms| format!("{ms} ms")).unwrap_or_default()}</td> })}
        </tr>
    }
}

/// A resource's events, newest first, or a line saying there are none yet.
#[component]
pub fn Timeline(entries: Vec<AuditRow>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"No changes recorded by lensgate yet."</p> }.into_any();
    }
    view! { <EventTable rows=entries with_target=false testid="timeline" /> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::short_target;

    #[test]
    fn ids_are_shortened_by_kind() {
        assert_eq!(
            short_target(
                "arn:aws:wellarchitected:us-east-1:111122223333:lens/0123456789abcdef0123456789abcdef"
            ),
            "lens 01234567…"
        );
        assert_eq!(
            short_target(
                "arn:aws:license-manager::111122223333:grant:g-0123456789abcdef0123456789abcdef"
            ),
            "grant g-01234567…"
        );
        assert_eq!(
            short_target("0123456789abcdef0123456789abcdef"),
            "workload 01234567…"
        );
        assert_eq!(short_target("ana"), "ana");
    }
}
