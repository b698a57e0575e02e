//! One layout for every form field: the label above the control with a mark when the field is
//! required, a hint between them, and the server's complaint about this field under the
//! control. The control ([`Input`], [`Select`], [`TextArea`]) takes its id, its description and
//! its required and invalid states from the field around it, so a page cannot link them wrong.
//! Anything else a control needs goes on it as `attr:` (autocomplete, limits, value).

use leptos::{html, prelude::*, server_fn::ServerFn};

use crate::error::AppError;

/// What a field tells the control inside it.
#[derive(Clone)]
struct Linked {
    id: String,
    described_by: String,
    required: bool,
    invalid: Signal<bool>,
}

fn linked() -> Linked {
    use_context::<Linked>().expect("a form control sits inside a <Field>")
}

#[component]
pub fn Field(
    /// The control's id, unique on the page; the hint and the error are found by it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    /// A sentence under the label: the format, the limits, an example.
    #[prop(optional, into)]
    hint: Option<String>,
    #[prop(optional)] required: bool,
    /// This field's part of the form's last answer ([`error_at`]).
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let error = error.unwrap_or_default();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    provide_context(Linked {
        id: id.clone(),
        described_by,
        required,
        invalid: Signal::derive(move || error.with(Option::is_some)),
    });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            // Beside the label rather than in it, so the field's name stays the label's words;
            // the control's own `required` tells assistive technology.
            {required.then(|| view! { <span class="required" title="required" aria-hidden="true">" *"</span> })}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {children()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A group of checkboxes or radio buttons under one legend, with the same hint and error as a
/// [`Field`]; each choice is the caller's `<label class="choice">`.
#[component]
pub fn Choices(
    /// Unique on the page; the hint and the error are found by it.
    #[prop(into)]
    id: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
    children: Children,
) -> impl IntoView {
    let error = error.unwrap_or_default();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <fieldset class="field choice-group" id=id aria-describedby=described_by
            aria-invalid=move || error.with(Option::is_some).then_some("true")>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {children()}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </fieldset>
    }
}

/// A text input, or another kind of input named by `kind` (its `type`: password, number, url…).
#[component]
pub fn Input(
    #[prop(into)] name: String,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let Linked {
        id,
        described_by,
        required,
        invalid,
    } = linked();
    view! {
        <input type=kind id=id name=name required=required aria-describedby=described_by
            aria-invalid=move || invalid.get().then_some("true") />
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(optional)] node_ref: NodeRef<html::Textarea>,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let Linked {
        id,
        described_by,
        required,
        invalid,
    } = linked();
    view! {
        <textarea id=id name=name required=required aria-describedby=described_by node_ref=node_ref
            aria-invalid=move || invalid.get().then_some("true")>{value}</textarea>
    }
}

/// A select whose options are its children.
#[component]
pub fn Select(#[prop(into)] name: String, children: Children) -> impl IntoView {
    let Linked {
        id,
        described_by,
        required,
        invalid,
    } = linked();
    view! {
        <select id=id name=name required=required aria-describedby=described_by
            aria-invalid=move || invalid.get().then_some("true")>{children()}</select>
    }
}

/// A form's button: while the form's request is on its way it says so and cannot be pressed
/// twice.
#[component]
pub fn Submit(
    #[prop(into)] pending: Signal<bool>,
    /// When the form cannot be sent yet (the page says why).
    #[prop(optional, into)]
    disabled: Signal<bool>,
    label: &'static str,
    /// What the button says while waiting ("Creating…").
    busy: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" disabled=move || pending.get() || disabled.get() aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
}

/// The message of `action`'s last answer when it was about `field`, for [`Field`]'s `error`.
pub fn error_at<S>(action: ServerAction<S>, field: &'static str) -> Signal<Option<String>>
where
    S: ServerFn<Error = AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|answer| match answer {
            Some(Err(error)) => error.about(field).map(str::to_owned),
            _ => None,
        })
    })
}
