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

impl Linked {
    /// The control's `aria-invalid`: present while the field has a complaint.
    fn invalid(&self) -> impl Fn() -> Option<&'static str> + use<> {
        let invalid = self.invalid;
        move || invalid.get().then_some("true")
    }
}

/// The ids of a field's hint and error, and the `aria-describedby` that names both.
struct Described {
    hint: String,
    error: String,
    by: String,
}

impl Described {
    fn new(id: &str, hinted: bool) -> Self {
        let hint = format!("{id}-hint");
        let error = format!("{id}-error");
        let by = if hinted {
            format!("{hint} {error}")
        } else {
            error.clone()
        };
        Described { hint, error, by }
    }
}

/// The hint between the label and the control, and the complaint under the control.
fn hint_and_error(
    hint: Option<String>,
    described: Described,
    error: Signal<Option<String>>,
    control: Children,
) -> impl IntoView {
    view! {
        {hint.map(|hint| view! { <p class="hint" id=described.hint>{hint}</p> })}
        {control()}
        <p class="field-error" id=described.error>{move || error.get()}</p>
    }
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
    let described = Described::new(&id, hint.is_some());
    provide_context(Linked {
        id: id.clone(),
        described_by: described.by.clone(),
        required,
        invalid: Signal::derive(move || error.with(Option::is_some)),
    });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            // Beside the label rather than in it, so the field's name stays the label's words;
            // the control's own `required` tells assistive technology.
            {required.then(|| view! { <span class="required" title="required" aria-hidden="true">" *"</span> })}
            {hint_and_error(hint, described, error, children)}
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
    let described = Described::new(&id, hint.is_some());
    let described_by = described.by.clone();
    view! {
        <fieldset class="field choice-group" id=id aria-describedby=described_by
            aria-invalid=move || error.with(Option::is_some).then_some("true")>
            <legend>{legend}</legend>
            {hint_and_error(hint, described, error, children)}
        </fieldset>
    }
}

/// A text input, or another kind of input named by `kind` (its `type`: password, number, url…).
#[component]
pub fn Input(
    #[prop(into)] name: String,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let field = linked();
    view! {
        <input type=kind id=field.id.clone() name=name required=field.required
            aria-describedby=field.described_by.clone() aria-invalid=field.invalid() />
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(optional)] node_ref: NodeRef<html::Textarea>,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let field = linked();
    view! {
        <textarea id=field.id.clone() name=name required=field.required node_ref=node_ref
            aria-describedby=field.described_by.clone() aria-invalid=field.invalid()>{value}</textarea>
    }
}

/// A select whose options are its children.
#[component]
pub fn Select(#[prop(into)] name: String, children: Children) -> impl IntoView {
    let field = linked();
    view! {
        <select id=field.id.clone() name=name required=field.required
            aria-describedby=field.described_by.clone() aria-invalid=field.invalid()>{children()}</select>
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
