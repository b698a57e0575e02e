//! A question's risk rules as a builder: for each rule, a risk and which choices (all of, any
//! of, none of them, or every other case), with the condition's text beside it for what the
//! builder cannot show.

use lensgate_lens::{
    Report,
    condition::{self, Shape},
    model::Risk,
    outline::{Edit, Path, QuestionNode},
};
use leptos::prelude::*;

use super::{Editor, fields::FieldProblems};

#[component]
pub fn RiskRules(
    question: Path,
    node: Memo<Option<QuestionNode>>,
    report: RwSignal<Option<Report>>,
    edit: Editor,
) -> impl IntoView {
    let count = Memo::new(move |_| node.with(|q| q.as_ref().map_or(0, |q| q.risk_rules.len())));
    let rules = question.key("riskRules");
    let add = {
        let rules = rules.clone();
        move |_| {
            edit.step(Edit::Add {
                list: rules.clone(),
            });
        }
    };
    view! {
        <fieldset class="risk-rules-builder">
            <legend>"Risk rules"</legend>
            <p class="muted">"AWS takes the first rule whose condition holds for an answer."</p>
            <ol>
                <For each=move || 0..count.get() key=|i| *i children={
                    let rules = rules.clone();
                    move |i| view! { <RuleRow rule=rules.index(i) index=i count node report edit /> }
                } />
            </ol>
            <button type="button" class="secondary" data-action="add-rule" on:click=add>"Add a risk rule"</button>
            <FieldProblems report path=rules.to_string() exact=true />
        </fieldset>
    }
}

#[component]
fn RuleRow(
    rule: Path,
    index: usize,
    count: Memo<usize>,
    node: Memo<Option<QuestionNode>>,
    report: RwSignal<Option<Report>>,
    edit: Editor,
) -> impl IntoView {
    let node_rule = Memo::new(move |_| {
        node.with(|q| {
            q.as_ref()
                .and_then(|q| q.risk_rules.get(index))
                .cloned()
                .unwrap_or_default()
        })
    });
    let condition = Memo::new(move |_| node_rule.with(|r| r.condition.clone().unwrap_or_default()));
    let risk = Memo::new(move |_| node_rule.with(|r| r.risk.clone().unwrap_or_default()));
    let choices = Memo::new(move |_| {
        node.with(|q| {
            q.as_ref()
                .map(|q| {
                    q.choices
                        .iter()
                        .filter_map(|c| Some((c.id.clone()?, c.title.clone().unwrap_or_default())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let shape = Memo::new(move |_| {
        condition.with(|text| {
            condition::parse(text)
                .ok()
                .and_then(|parsed| Shape::of(&parsed.condition))
        })
    });
    let set_condition = {
        let at = rule.key("condition");
        // Typed conditions join as keystrokes do; the builder's clicks are steps.
        Callback::new(move |(text, typed): (String, bool)| {
            let edit_text = Edit::SetText {
                at: at.clone(),
                text,
            };
            if typed {
                edit.typed(edit_text);
            } else {
                edit.step(edit_text);
            }
        })
    };
    let set_shape = move |new: Shape| {
        let ids = shape
            .get_untracked()
            .map(|(_, ids)| ids)
            .unwrap_or_default();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        set_condition.run((new.write(&ids), false));
    };
    let toggle = move |id: String, on: bool| {
        let (current, mut ids) = shape.get_untracked().unwrap_or((Shape::AllOf, Vec::new()));
        let current = if current == Shape::Default {
            Shape::AnyOf
        } else {
            current
        };
        ids.retain(|known| *known != id);
        if on {
            ids.push(id);
        }
        // Keep the choices in the question's order, as a reader lists them.
        let order = choices.get_untracked();
        ids.sort_by_key(|id| order.iter().position(|(known, _)| known == id));
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let condition = if ids.is_empty() {
            String::new()
        } else {
            current.write(&ids)
        };
        set_condition.run((condition, false));
    };
    let risk_at = rule.key("risk");
    let moves = |up: bool| {
        let rule = rule.clone();
        move |_| {
            edit.step(Edit::Move {
                item: rule.clone(),
                up,
            });
        }
    };
    let remove = {
        let rule = rule.clone();
        move |_| edit.step(Edit::Remove { item: rule.clone() })
    };
    let label = format!("Rule {}", index + 1);
    view! {
        <li class="risk-rule" data-path=rule.to_string()>
            <div class="rule-line">
                <label>{label.clone()} " gives "
                    <select data-field="risk" prop:value=move || risk.get() on:change={
                        let risk_at = risk_at.clone();
                        move |ev| edit.step(Edit::SetText { at: risk_at.clone(), text: event_target_value(&ev) })
                    }>
                        {Risk::ALL.iter().map(|(name, risk)| view! { <option value=*name>{risk.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>" when "
                    <select data-field="shape" prop:value=move || shape.get().map_or("text", |(s, _)| s.as_str())
                        on:change=move |ev| if let Some(new) = Shape::parse(&event_target_value(&ev)) { set_shape(new) }>
                        {Shape::ALL.iter().map(|shape| view! { <option value=shape.as_str()>{shape.label()}</option> }).collect_view()}
                        <option value="text" disabled>"the condition written below"</option>
                    </select>
                </label>
                <span class="item-actions">
                    <button type="button" class="secondary" disabled=move || index == 0 on:click=moves(true)
                        aria-label=format!("Move {label} up")>"↑"</button>
                    <button type="button" class="secondary" disabled={move || index + 1 >= count.get()} on:click=moves(false)
                        aria-label=format!("Move {label} down")>"↓"</button>
                    <button type="button" class="secondary" on:click=remove aria-label=format!("Remove {label}")>"Remove"</button>
                </span>
            </div>
            <div class="rule-choices" role="group" aria-label=format!("Choices of rule {}", index + 1)
                hidden=move || shape.get().is_some_and(|(s, _)| s == Shape::Default) || (shape.get().is_none() && !condition.with(String::is_empty))>
                {move || choices.get().into_iter().map(|(id, title)| {
                    let id_for_toggle = id.clone();
                    let id_for_check = id.clone();
                    view! {
                        <label class="check"><input type="checkbox"
                            prop:checked=move || shape.with(|s| s.as_ref().is_some_and(|(_, ids)| ids.contains(&id_for_check)))
                            on:change=move |ev| toggle(id_for_toggle.clone(), event_target_checked(&ev)) />
                            {title} " " <code class="muted">{id}</code></label>
                    }
                }).collect_view()}
            </div>
            <label class="condition">"Condition "
                <input type="text" data-field="condition" autocomplete="off" spellcheck="false"
                    prop:value=move || condition.get() on:input=move |ev| set_condition.run((event_target_value(&ev), true)) />
            </label>
            <FieldProblems report path=rule.to_string() />
        </li>
    }
}
