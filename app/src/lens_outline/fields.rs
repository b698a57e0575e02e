//! A field of the outline: its label, its input bound to the text through an edit, and the
//! validator's problems at its path beneath it.

use lensgate_lens::{
    Report,
    outline::{Path, lies_in},
};
use leptos::prelude::*;

use crate::code_text::CodeText;

/// The problems whose path is `path` itself (`exact`) or lies inside it.
pub fn problems_at(report: &Option<Report>, path: &str, exact: bool) -> Vec<(String, String)> {
    report
        .as_ref()
        .map(|report| {
            report
                .problems
                .iter()
                .filter(|p| p.path == path || (!exact && lies_in(&p.path, path)))
                .map(|p| (p.severity.as_str().to_owned(), p.message.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The id the field's problems are listed under, for `aria-describedby`.
fn problems_id(path: &str) -> String {
    format!(
        "problems-{}",
        path.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}

#[component]
pub fn FieldProblems(
    report: RwSignal<Option<Report>>,
    path: String,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let id = problems_id(&path);
    view! {
        <ul class="field-problems" id=id>
            {move || report.with(|r| problems_at(r, &path, exact)).into_iter().map(|(severity, message)| view! {
                <li class=severity><CodeText text=message /></li>
            }).collect_view()}
        </ul>
    }
}

/// A text field laid out as every [`crate::form_field::Field`] is (label, hint, control, and
/// under it the validator's problems in place of the server's error). `on_change` gets every
/// keystroke's value; the document is the text, so the value shown is read back from it.
#[component]
pub fn TextField(
    label: &'static str,
    path: Path,
    value: Signal<Option<String>>,
    report: RwSignal<Option<Report>>,
    on_change: Callback<String>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let path = path.to_string();
    let problems = problems_id(&path);
    let id = format!("field-{problems}");
    let hint_id = format!("{id}-hint");
    let described = match hint {
        Some(_) => format!("{hint_id} {problems}"),
        None => problems,
    };
    let input = move |ev| on_change.run(event_target_value(&ev));
    let field = if multiline {
        view! {
            <textarea rows="3" id=id.clone() data-path=path.clone() aria-describedby=described
                prop:value=move || value.get().unwrap_or_default() on:input=input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" id=id.clone() data-path=path.clone() aria-describedby=described autocomplete="off"
                prop:value=move || value.get().unwrap_or_default() on:input=input />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {field}
            <FieldProblems report path />
        </div>
    }
}
