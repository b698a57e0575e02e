//! What changed between two lenses, as reviews and version comparisons show it: the structural
//! changes with word-level highlights, then the unified JSON diff.

use leptos::prelude::*;

use crate::reviews::{ChangeKind, LensDiff, LineKind, Neighbours, Words};

#[component]
pub fn DiffView(diff: LensDiff) -> impl IntoView {
    let summary = format!(
        "{} structural change{}; {} line{} added, {} removed",
        diff.changes.len(),
        if diff.changes.len() == 1 { "" } else { "s" },
        diff.lines_added,
        if diff.lines_added == 1 { "" } else { "s" },
        diff.lines_removed
    );
    view! {
        <section class="diff" data-testid="diff">
            <p class="muted" data-testid="diff-summary">{summary}</p>
            <ul class="changes">
                {diff.changes.into_iter().map(|change| {
                    let (label, class) = match change.kind {
                        ChangeKind::Added => ("Added", "added"),
                        ChangeKind::Removed => ("Removed", "removed"),
                        ChangeKind::Changed => ("Changed", "changed"),
                    };
                    view! {
                        <li class=format!("change {class}")>
                            <span class="tag">{label}</span> " " {change.place}
                            {change.field.map(|f| view! { " — " <em>{f}</em> })}
                            {change.neighbours.map(|n| view! { <p class="in-context muted">{in_context(n)}</p> })}
                            {(!change.before.is_empty()).then(|| view! { <p class="before">"Before: " <WordRuns words=change.before tag="del" /></p> })}
                            {(!change.after.is_empty()).then(|| view! { <p class="after">"After: " <WordRuns words=change.after tag="ins" /></p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details>
                <summary>"JSON diff"</summary>
                <pre class="unified" data-testid="unified-diff">
                    {diff.lines.into_iter().map(|line| {
                        let (class, sign) = match line.kind {
                            LineKind::Added => ("line-added", "+"),
                            LineKind::Removed => ("line-removed", "-"),
                            LineKind::Context => ("line-context", " "),
                            LineKind::Hunk => ("line-hunk", ""),
                        };
                        view! { <span class=class>{format!("{sign}{}\n", line.text)}</span> }
                    }).collect_view()}
                </pre>
            </details>
        </section>
    }
}

#[component]
fn WordRuns(words: Vec<Words>, tag: &'static str) -> impl IntoView {
    words
        .into_iter()
        .map(|run| match (run.marked, tag) {
            (true, "del") => view! { <del>{run.text}</del> }.into_any(),
            (true, _) => view! { <ins>{run.text}</ins> }.into_any(),
            (false, _) => view! { <span>{run.text}</span> }.into_any(),
        })
        .collect_view()
}

/// Where a changed item sits among its siblings, in words.
fn in_context(neighbours: Neighbours) -> String {
    match (neighbours.previous, neighbours.next) {
        (Some(previous), Some(next)) => format!("Between “{previous}” and “{next}”"),
        (Some(previous), None) => format!("Last, after “{previous}”"),
        (None, Some(next)) => format!("First, before “{next}”"),
        (None, None) => "The only one in its list".to_owned(),
    }
}
