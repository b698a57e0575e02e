//! The form of the node chosen in the outline: the lens, a pillar, a question (with its
//! choices' order and its risk rules) or a choice.

use std::collections::HashSet;

use lensgate_lens::{
    Report,
    outline::{ChoiceNode, Edit, NodeKind, Outline, Path, QuestionNode, ResourceNode},
};
use leptos::prelude::*;

use crate::lens_preview::TryIt;

use super::{
    Editor,
    fields::{FieldProblems, TextField},
    risk_rules::RiskRules,
};

/// What a form needs from the outline around it.
#[derive(Clone, Copy)]
pub struct Context {
    pub outline: Memo<Option<Outline>>,
    pub report: RwSignal<Option<Report>>,
    pub edit: Editor,
    pub select: Callback<Path>,
    /// Ids of the nodes this editor made, which follow their titles.
    pub fresh: StoredValue<HashSet<String>>,
}

/// A field's value read from the outline.
fn read(
    ctx: Context,
    get: impl Fn(&Outline) -> Option<String> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || ctx.outline.with(|o| o.as_ref().and_then(&get)))
}

/// Sets the text at `at`; an optional field left empty loses its member.
fn setter(ctx: Context, at: Path, optional: bool) -> Callback<String> {
    Callback::new(move |text: String| {
        let edit = if optional && text.is_empty() {
            Edit::Clear { at: at.clone() }
        } else {
            Edit::SetText {
                at: at.clone(),
                text,
            }
        };
        ctx.edit.typed(edit);
    })
}

/// Sets a node's title; its id follows only if this editor made the node (see
/// `Edit::Retitle`).
fn retitler(ctx: Context, item: Path) -> Callback<String> {
    Callback::new(move |title: String| {
        let id = ctx
            .outline
            .with_untracked(|o| o.as_ref().and_then(|o| o.id_at(&item).map(str::to_owned)));
        let follow_id = id.is_some_and(|id| ctx.fresh.with_value(|fresh| fresh.contains(&id)));
        ctx.edit.typed(Edit::Retitle {
            item: item.clone(),
            title,
            follow_id,
        });
    })
}

fn id_setter(ctx: Context, item: Path) -> Callback<String> {
    Callback::new(move |id: String| {
        ctx.edit.typed(Edit::SetId {
            item: item.clone(),
            id,
        });
    })
}

const ID_HINT: &str = "Letters, digits and _. Made from the title until you change it.";

#[component]
pub fn LensForm(ctx: Context) -> impl IntoView {
    let root = Path::root();
    view! {
        <h3 tabindex="-1">"Lens"</h3>
        <TextField label="Name" path=root.key("name") value=read(ctx, |o| o.name.clone()) report=ctx.report on_change=setter(ctx, root.key("name"), false) />
        <TextField label="Description" path=root.key("description") multiline=true value=read(ctx, |o| o.description.clone()) report=ctx.report on_change=setter(ctx, root.key("description"), false) />
        <p><button type="button" class="secondary" data-action="add-pillar" on:click=move |_| ctx.edit.step(Edit::Add { list: Path::root().key("pillars") })>"Add a pillar"</button></p>
        <FieldProblems report=ctx.report path="pillars".to_owned() exact=true />
    }
}

/// Move, duplicate and remove for the chosen pillar, question or choice.
#[component]
fn ItemActions(ctx: Context, item: Path, kind: NodeKind) -> impl IntoView {
    let noun = kind.noun();
    let at = item.as_item().map_or(0, |(_, at)| at);
    let count = {
        let item = item.clone();
        Memo::new(move |_| {
            ctx.outline.with(|o| {
                o.as_ref().map_or(0, |o| match kind {
                    NodeKind::Pillar => o.pillars.len(),
                    NodeKind::Question => o.pillar(&item).map_or(0, |p| p.questions.len()),
                    _ => o.question(&item).map_or(0, |q| q.choices.len()),
                })
            })
        })
    };
    let none_of_these = {
        let item = item.clone();
        Memo::new(move |_| {
            ctx.outline.with(|o| {
                o.as_ref()
                    .and_then(|o| o.choice(&item))
                    .is_some_and(ChoiceNode::is_none_of_these)
            })
        })
    };
    let next_is_none = {
        let item = item.clone();
        Memo::new(move |_| {
            ctx.outline.with(|o| {
                o.as_ref()
                    .and_then(|o| o.choice(&item.sibling(at + 1)))
                    .is_some_and(ChoiceNode::is_none_of_these)
            })
        })
    };
    let act = move |edit: Edit| move |_| ctx.edit.step(edit.clone());
    view! {
        <p class="item-actions" role="group" aria-label=format!("This {noun}")>
            <button type="button" class="secondary" data-action="move-up" disabled=move || at == 0 || none_of_these.get()
                on:click=act(Edit::Move { item: item.clone(), up: true })>{format!("Move {noun} up")}</button>
            <button type="button" class="secondary" data-action="move-down" disabled={move || at + 1 >= count.get() || none_of_these.get() || next_is_none.get()}
                on:click=act(Edit::Move { item: item.clone(), up: false })>{format!("Move {noun} down")}</button>
            <button type="button" class="secondary" data-action="duplicate" disabled=move || none_of_these.get()
                on:click=act(Edit::Duplicate { item: item.clone() })>{format!("Duplicate {noun}")}</button>
            <button type="button" class="secondary danger" data-action="remove"
                on:click=act(Edit::Remove { item: item.clone() })>{format!("Remove {noun}")}</button>
        </p>
    }
}

#[component]
pub fn PillarForm(ctx: Context, path: Path) -> impl IntoView {
    let at = path.clone();
    let at_name = path.clone();
    view! {
        <h3 tabindex="-1">"Pillar"</h3>
        <ItemActions ctx item=path.clone() kind=NodeKind::Pillar />
        <TextField label="Name" path=path.key("name") value=read(ctx, move |o| o.pillar(&at_name)?.name.clone()) report=ctx.report on_change=retitler(ctx, path.clone()) />
        <TextField label="Id" path=path.key("id") hint=ID_HINT value=read(ctx, move |o| o.pillar(&at)?.id.clone()) report=ctx.report on_change=id_setter(ctx, path.clone()) />
        <FieldProblems report=ctx.report path=path.to_string() exact=true />
        <p><button type="button" class="secondary" data-action="add-question" on:click={
            let list = path.key("questions");
            move |_| ctx.edit.step(Edit::Add { list: list.clone() })
        }>"Add a question"</button></p>
        <FieldProblems report=ctx.report path=path.key("questions").to_string() exact=true />
    }
}

/// The display text and link of a helpful resource or improvement plan.
#[component]
fn ResourceFields(
    ctx: Context,
    at: Path,
    label: &'static str,
    get: fn(&Outline, &Path) -> Option<ResourceNode>,
    owner: Path,
) -> impl IntoView {
    let (o1, o2) = (owner.clone(), owner);
    view! {
        <fieldset class="resource">
            <legend>{label}</legend>
            <TextField label="Text" path=at.key("displayText") value=read(ctx, move |o| get(o, &o1)?.display_text) report=ctx.report on_change=setter(ctx, at.key("displayText"), false) />
            <TextField label="Link (https://…)" path=at.key("url") value=read(ctx, move |o| get(o, &o2)?.url) report=ctx.report on_change=setter(ctx, at.key("url"), true) />
            <FieldProblems report=ctx.report path=at.to_string() exact=true />
        </fieldset>
    }
}

#[component]
pub fn QuestionForm(ctx: Context, path: Path) -> impl IntoView {
    let node = {
        let path = path.clone();
        Memo::new(move |_| {
            ctx.outline
                .with(|o| o.as_ref().and_then(|o| o.question(&path)).cloned())
        })
    };
    let field = move |get: fn(&QuestionNode) -> Option<String>| {
        Signal::derive(move || node.with(|q| q.as_ref().and_then(get)))
    };
    let choices = Memo::new(move |_| {
        node.with(|q| {
            q.as_ref()
                .map(|q| {
                    q.choices
                        .iter()
                        .map(|c| (c.title.clone().unwrap_or_default(), c.is_none_of_these()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The try-it panel answers from the question as the validator last read it.
    let checked = Memo::new(move |_| {
        let id = node.with(|q| q.as_ref().and_then(|q| q.id.clone()))?;
        ctx.report.with(|r| {
            r.as_ref()?
                .lens
                .as_ref()?
                .pillars
                .iter()
                .flat_map(|p| &p.questions)
                .find(|q| q.id == id)
                .cloned()
        })
    });
    let has_checked = Memo::new(move |_| checked.with(Option::is_some));
    let has_none = Memo::new(move |_| choices.with(|c| c.iter().any(|(_, none)| *none)));
    let choice_list = path.key("choices");
    view! {
        <h3 tabindex="-1">"Question"</h3>
        <ItemActions ctx item=path.clone() kind=NodeKind::Question />
        <TextField label="Title" path=path.key("title") value=field(|q| q.title.clone()) report=ctx.report on_change=retitler(ctx, path.clone()) />
        <TextField label="Id" path=path.key("id") hint=ID_HINT value=field(|q| q.id.clone()) report=ctx.report on_change=id_setter(ctx, path.clone()) />
        <TextField label="Description" path=path.key("description") multiline=true value=field(|q| q.description.clone()) report=ctx.report on_change=setter(ctx, path.key("description"), true) />
        <ResourceFields ctx at=path.key("helpfulResource") label="Helpful resource" owner=path.clone()
            get=|o, p| o.question(p).map(|q| q.helpful_resource.clone()) />
        <FieldProblems report=ctx.report path=path.to_string() exact=true />
        <fieldset class="choice-list">
            <legend>"Choices"</legend>
            <ol>
                {move || choices.get().into_iter().enumerate().map(|(i, (title, none))| {
                    let at = choice_list.index(i);
                    let problems = ctx.report.with(|r| super::fields::problems_at(r, &at.to_string(), false).len());
                    view! {
                        <li>
                            <button type="button" class="link" on:click=move |_| ctx.select.run(at.clone())>
                                {if title.is_empty() { "(untitled choice)".to_owned() } else { title }}
                            </button>
                            {none.then_some(" (None of these)")}
                            {(problems > 0).then(|| view! { " " <span class="badge">{format!("{problems} problem{}", if problems == 1 { "" } else { "s" })}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p>
                <button type="button" class="secondary" data-action="add-choice" on:click={
                    let list = path.key("choices");
                    move |_| ctx.edit.step(Edit::Add { list: list.clone() })
                }>"Add a choice"</button> " "
                <button type="button" class="secondary" data-action="add-none" hidden=move || has_none.get() on:click={
                    let question = path.clone();
                    move |_| ctx.edit.step(Edit::AddNoneOfThese { question: question.clone() })
                }>"Add “None of these”"</button>
            </p>
            <FieldProblems report=ctx.report path=path.key("choices").to_string() exact=true />
        </fieldset>
        <RiskRules question=path.clone() node report=ctx.report edit=ctx.edit />
        {move || has_checked.get().then(|| view! { <TryIt question=Signal::derive(move || checked.get().unwrap_or_default()) /> })}
    }
}

#[component]
pub fn ChoiceForm(ctx: Context, path: Path) -> impl IntoView {
    let node = {
        let path = path.clone();
        Memo::new(move |_| {
            ctx.outline
                .with(|o| o.as_ref().and_then(|o| o.choice(&path)).cloned())
        })
    };
    let field = move |get: fn(&ChoiceNode) -> Option<String>| {
        Signal::derive(move || node.with(|c| c.as_ref().and_then(get)))
    };
    let question_path = path.question_of().unwrap_or_default();
    let entries = Memo::new(move |_| {
        node.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.additional_resources
                        .iter()
                        .map(|e| e.content.len())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let additional = path.key("additionalResources");
    view! {
        <h3 tabindex="-1">"Choice"</h3>
        <p><button type="button" class="link" on:click=move |_| ctx.select.run(question_path.clone())>"Back to its question"</button></p>
        <ItemActions ctx item=path.clone() kind=NodeKind::Choice />
        <TextField label="Title" path=path.key("title") value=field(|c| c.title.clone()) report=ctx.report on_change=retitler(ctx, path.clone()) />
        <TextField label="Id" path=path.key("id") hint="Letters, digits and _; an id ending in _no is “None of these”. Risk rules follow a change." value=field(|c| c.id.clone()) report=ctx.report on_change=id_setter(ctx, path.clone()) />
        <TextField label="Description" path=path.key("description") multiline=true value=field(|c| c.description.clone()) report=ctx.report on_change=setter(ctx, path.key("description"), true) />
        <ResourceFields ctx at=path.key("helpfulResource") label="Helpful resource" owner=path.clone()
            get=|o, p| o.choice(p).map(|c| c.helpful_resource.clone()) />
        <ResourceFields ctx at=path.key("improvementPlan") label="Improvement plan" owner=path.clone()
            get=|o, p| o.choice(p).map(|c| c.improvement_plan.clone()) />
        <fieldset class="additional">
            <legend>"Additional resources"</legend>
            {
                let choice = path.clone();
                move || entries.get().into_iter().enumerate().map(|(e, links)| {
                    let entry = additional.index(e);
                    view! { <AdditionalEntry ctx entry choice=choice.clone() index=e links /> }
                }).collect_view()
            }
            <button type="button" class="secondary" on:click={
                let list = path.key("additionalResources");
                move |_| ctx.edit.step(Edit::AddResource { list: list.clone() })
            }>"Add resources"</button>
            <FieldProblems report=ctx.report path=path.key("additionalResources").to_string() exact=true />
        </fieldset>
        <FieldProblems report=ctx.report path=path.to_string() exact=true />
    }
}

#[component]
fn AdditionalEntry(
    ctx: Context,
    entry: Path,
    choice: Path,
    index: usize,
    links: usize,
) -> impl IntoView {
    let kind = {
        let choice = choice.clone();
        Memo::new(move |_| {
            ctx.outline.with(|o| {
                o.as_ref()
                    .and_then(|o| {
                        o.choice(&choice)?
                            .additional_resources
                            .get(index)?
                            .kind
                            .clone()
                    })
                    .unwrap_or_default()
            })
        })
    };
    let type_at = entry.key("type");
    let content = entry.key("content");
    view! {
        <div class="additional-entry">
            <label>"Type "
                <select prop:value=move || kind.get() on:change=move |ev| ctx.edit.step(Edit::SetText { at: type_at.clone(), text: event_target_value(&ev) })>
                    <option value="HELPFUL_RESOURCE">"Helpful resources"</option>
                    <option value="IMPROVEMENT_PLAN">"Improvement plans"</option>
                </select>
            </label>
            {(0..links).map(|l| {
                let link = content.index(l);
                let choice = choice.clone();
                let (c1, c2) = (choice.clone(), choice);
                let text = read(ctx, move |o| o.choice(&c1)?.additional_resources.get(index)?.content.get(l)?.display_text.clone());
                let url = read(ctx, move |o| o.choice(&c2)?.additional_resources.get(index)?.content.get(l)?.url.clone());
                let remove = link.clone();
                view! {
                    <div class="additional-link">
                        <TextField label="Text" path=link.key("displayText") value=text report=ctx.report on_change=setter(ctx, link.key("displayText"), false) />
                        <TextField label="Link (https://…)" path=link.key("url") value=url report=ctx.report on_change=setter(ctx, link.key("url"), true) />
                        <button type="button" class="secondary" on:click=move |_| ctx.edit.step(Edit::Remove { item: remove.clone() })>"Remove this link"</button>
                    </div>
                }
            }).collect_view()}
            <p>
                <button type="button" class="secondary" on:click={
                    let content = content.clone();
                    move |_| ctx.edit.step(Edit::AddResource { list: content.clone() })
                }>"Add a link"</button> " "
                <button type="button" class="secondary" on:click={
                    let entry = entry.clone();
                    move |_| ctx.edit.step(Edit::Remove { item: entry.clone() })
                }>"Remove these resources"</button>
            </p>
            <FieldProblems report=ctx.report path=entry.to_string() />
        </div>
    }
}
