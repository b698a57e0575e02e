//! The structured editor: the lens as an outline (pillars, questions, choices) beside a form
//! for the chosen node. It edits the same text as the text tab, through `lensgate_lens::outline`
//! edits that touch only the node they change, so the two are one document. A hydrated
//! feature: without JavaScript the text form is the editor.

mod fields;
mod forms;
mod risk_rules;

use std::collections::HashSet;

use lensgate_lens::{
    Format, Position, Report,
    outline::{self, Edit, NodeKind, Outline, Path},
    position::LineIndex,
};
use leptos::prelude::*;

use forms::{ChoiceForm, Context, LensForm, PillarForm, QuestionForm};

/// How the outline hands its edits to the page, which owns the text and its undo history.
#[derive(Clone, Copy)]
pub struct Editor(pub Callback<(Edit, bool)>);

impl Editor {
    /// A keystroke in a field: keystrokes in one field close together are one undo step.
    pub fn typed(self, edit: Edit) {
        self.0.run((edit, true));
    }

    /// An edit that is a step of its own (a button, a choice in a list).
    pub fn step(self, edit: Edit) {
        self.0.run((edit, false));
    }
}

/// What the outline shares with the editor page around it.
pub struct OutlineParts {
    pub text: RwSignal<String>,
    pub report: RwSignal<Option<Report>>,
    pub selected: RwSignal<Path>,
    pub fresh: StoredValue<HashSet<String>>,
    pub edit: Editor,
    pub error: RwSignal<Option<String>>,
    pub jump: Callback<Position>,
}

/// The outline as a part of the bundle of its own, loaded when its tab is first opened: most
/// visits to the editor paste or open a file and never use it.
#[lazy]
pub fn outline_view(parts: OutlineParts) -> AnyView {
    let OutlineParts {
        text,
        report,
        selected,
        fresh,
        edit,
        error,
        jump,
    } = parts;
    view! { <LensOutline text report selected fresh edit error jump /> }.into_any()
}

#[component]
fn LensOutline(
    text: RwSignal<String>,
    report: RwSignal<Option<Report>>,
    selected: RwSignal<Path>,
    fresh: StoredValue<HashSet<String>>,
    edit: Editor,
    error: RwSignal<Option<String>>,
    jump: Callback<Position>,
) -> impl IntoView {
    // Keystrokes change the text; the layout and the form are rebuilt only when what they
    // show changes (the kind of state, the chosen node), never per keystroke, so that the
    // field being typed in keeps its focus.
    let read = Memo::new(move |_| {
        text.with(|t| {
            (!t.trim().is_empty()).then(|| {
                outline::read(t).map_err(|e| (e.message, LineIndex::new(t).position(e.offset)))
            })
        })
    });
    let state = Memo::new(move |_| {
        read.with(|r| match r {
            None => State::Empty,
            Some(Err((message, position))) => State::Unreadable(message.clone(), *position),
            Some(Ok(_)) => State::Ready,
        })
    });
    let outline =
        Memo::new(move |_| read.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).cloned()));
    let exists = Memo::new(move |_| {
        selected.with(|path| outline.with(|o| o.as_ref().is_some_and(|o| o.has(path))))
    });
    let select = Callback::new(move |path: Path| selected.set(path));
    let ctx = Context {
        outline,
        report,
        edit,
        select,
        fresh,
    };
    let is_yaml = move || text.with(|t| Format::detect(t) == Format::Yaml);
    // A node chosen (in the tree, or by an edit that moved or added it) gets the focus on its
    // form's heading, so that the keyboard goes on from there.
    Effect::watch(
        move || selected.get(),
        |_, _, _| request_animation_frame(focus_form),
        false,
    );
    view! {
        <section class="outline" aria-label="Outline">
            {move || error.get().map(|message| view! { <p class="error" role="alert" data-testid="outline-error">{message}</p> })}
            {move || is_yaml().then(|| view! {
                <p class="muted">"Outline edits write YAML source back in lensgate's layout: member order and unknown members stay, comments do not."</p>
            })}
            {move || match state.get() {
                State::Empty => view! {
                    <div class="notice" data-testid="outline-empty">
                        <p>"Nothing to outline yet. Start a lens here and fill in its fields, or paste one in the text tab."</p>
                        <button type="button" data-action="start" on:click=move |_| edit.step(Edit::Start)>"Start a new lens"</button>
                    </div>
                }.into_any(),
                State::Unreadable(message, position) => view! {
                    <div class="notice" role="status" data-testid="outline-unavailable">
                        <p>"The outline needs text that reads as JSON or YAML: " {message}</p>
                        <button type="button" class="link" on:click=move |_| jump.run(position)>
                            {format!("Show line {}, column {}", position.line, position.column)}
                        </button>
                    </div>
                }.into_any(),
                State::Ready => view! {
                    <div class="outline-layout">
                        <Tree outline selected report />
                        <div class="outline-form">
                            {move || {
                                let path = selected.get();
                                if !exists.get() {
                                    return view! {
                                        <p class="notice">"That part of the lens is gone (the text changed). "
                                            <button type="button" class="link" on:click=move |_| selected.set(Path::root())>"Show the lens"</button></p>
                                    }.into_any();
                                }
                                match path.kind() {
                                    Some(NodeKind::Pillar) => view! { <PillarForm ctx path /> }.into_any(),
                                    Some(NodeKind::Question) => view! { <QuestionForm ctx path /> }.into_any(),
                                    Some(NodeKind::Choice) => view! { <ChoiceForm ctx path /> }.into_any(),
                                    _ => view! { <LensForm ctx /> }.into_any(),
                                }
                            }}
                        </div>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[derive(Clone, PartialEq)]
enum State {
    Empty,
    Unreadable(String, Position),
    Ready,
}

fn focus_form() {
    use leptos::wasm_bindgen::JsCast;
    let heading = document()
        .query_selector(".outline-form h3")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.focus();
    }
}

/// Pillars and their questions, and the choices of the chosen question, each a button that
/// chooses it, with a count of its problems.
#[component]
fn Tree(
    outline: Memo<Option<Outline>>,
    selected: RwSignal<Path>,
    report: RwSignal<Option<Report>>,
) -> impl IntoView {
    let counts = Memo::new(move |_| {
        report.with(|r| {
            let mut counts = std::collections::HashMap::<String, usize>::new();
            for problem in r.iter().flat_map(|r| &r.problems) {
                // Count a problem once, at the question (or pillar) it lies in.
                let steps: Vec<&str> = problem.path.splitn(3, '.').collect();
                let key = match steps.as_slice() {
                    [pillar, questions, _] if questions.starts_with("questions[") => format!(
                        "{pillar}.{}",
                        questions.split(']').next().unwrap_or_default()
                    ),
                    [pillar, ..] => (*pillar).to_owned(),
                    [] => String::new(),
                };
                *counts.entry(key).or_default() += 1;
            }
            counts
        })
    });
    let badge = move |key: String| {
        let n = counts.with(|c| c.get(&key).copied().unwrap_or(0));
        (n > 0).then(|| view! { " " <span class="badge" title="Problems">{n}</span> })
    };
    let node = move |path: Path, label: String| {
        let current = path.clone();
        view! {
            <button type="button" class="node" aria-current=move || (selected.get() == current).then_some("true")
                on:click=move |_| selected.set(path.clone())>{label}</button>
        }
    };
    view! {
        <nav class="outline-tree" aria-label="Lens outline">
            {move || outline.with(|o| o.as_ref().map(|o| {
                let chosen_question = selected.with(Path::question_of);
                let name = o.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed lens)".into());
                view! {
                    {node(Path::root(), name)}
                    <ol>
                        {o.pillars.iter().enumerate().map(|(p, pillar)| {
                            let pillar_path = Path::pillar(p);
                            let label = pillar.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(unnamed pillar)".into());
                            view! {
                                <li>
                                    {node(pillar_path.clone(), label)}{badge(pillar_path.to_string())}
                                    <ol>
                                        {pillar.questions.iter().enumerate().map(|(q, question)| {
                                            let question_path = Path::question(p, q);
                                            let label = question.title.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(untitled question)".into());
                                            let open = chosen_question.as_ref() == Some(&question_path);
                                            view! {
                                                <li>
                                                    {node(question_path.clone(), label)}{badge(question_path.to_string())}
                                                    {open.then(|| view! {
                                                        <ol>
                                                            {question.choices.iter().enumerate().map(|(c, choice)| {
                                                                let label = choice.title.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "(untitled choice)".into());
                                                                view! { <li>{node(Path::choice(p, q, c), label)}</li> }
                                                            }).collect_view()}
                                                        </ol>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            }))}
        </nav>
    }
}
