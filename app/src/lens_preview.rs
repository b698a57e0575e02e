//! A lens as a reviewer reads it: pillars, questions, choices, their helpful resources and
//! improvement plans, and each question's risk rules in words. Everything from the lens is
//! rendered as text; links are offered only for http and https addresses, opened in a new tab
//! without access to this page.

use lensgate_lens::{
    Lens,
    analysis::{self, Analysis},
    model::{Choice, Question, Resource, ResourceKind, Risk, RiskRule, is_web_url},
};
use leptos::prelude::*;

/// What a page shows under each question of the preview; the review page puts the comments on
/// the question and its choices there, with the form to add one.
#[derive(Clone)]
pub struct QuestionNotes(pub std::sync::Arc<dyn Fn(QuestionPlace) -> AnyView + Send + Sync>);

/// A question of the previewed lens, by its ids, with its choices' ids and titles.
#[derive(Clone, Debug)]
pub struct QuestionPlace {
    pub pillar_id: String,
    pub question_id: String,
    pub question_title: String,
    pub choices: Vec<(String, String)>,
}

/// The element id a question of the preview carries, for links to it.
pub fn question_anchor(pillar_id: &str, question_id: &str) -> String {
    format!("question-{pillar_id}-{question_id}")
}

/// Up to this many questions, every pillar of the preview starts open.
const OPEN_QUESTIONS: usize = 25;

#[component]
pub fn LensPreview(lens: Lens) -> impl IntoView {
    let questions: usize = lens.pillars.iter().map(|p| p.questions.len()).sum();
    // A large lens opens pillar by pillar, so the page stays short enough to act on.
    let open = questions <= OPEN_QUESTIONS;
    view! {
        <article class="lens-preview" data-testid="lens-preview">
            <h2 class="lens-name">{lens.name.clone()}</h2>
            <p class="lens-description">{lens.description.clone()}</p>
            <p class="muted">{format!("{} pillars, {questions} questions", lens.pillars.len())}</p>
            {lens.pillars.into_iter().map(|pillar| {
                let count = pillar.questions.len();
                let pillar_id = pillar.id.clone();
                view! {
                    <details class="pillar" open=open>
                        <summary>
                            <h3>{pillar.name} " " <code class="muted">{pillar.id}</code></h3>
                            " " <span class="muted">{format!("{count} question{}", if count == 1 { "" } else { "s" })}</span>
                        </summary>
                        {pillar.questions.into_iter().map(|question| view! { <QuestionPreview pillar_id=pillar_id.clone() question /> }).collect_view()}
                    </details>
                }
            }).collect_view()}
        </article>
    }
}

#[component]
fn QuestionPreview(pillar_id: String, question: Question) -> impl IntoView {
    let rules = question.risk_rules.clone();
    let choices = question.choices.clone();
    let question_for_analysis = question.clone();
    let notes = use_context::<QuestionNotes>().map(|notes| {
        (notes.0)(QuestionPlace {
            pillar_id: pillar_id.clone(),
            question_id: question.id.clone(),
            question_title: question.title.clone(),
            choices: question
                .choices
                .iter()
                .map(|c| (c.id.clone(), c.title.clone()))
                .collect(),
        })
    });
    view! {
        <details class="question" open id=question_anchor(&pillar_id, &question.id)>
            <summary><span class="question-title">{question.title.clone()}</span> " " <code class="muted">{question.id.clone()}</code></summary>
            {question.description.clone().map(|d| view! { <p>{d}</p> })}
            {question.helpful_resource.clone().map(|r| view! { <p class="resource">"Helpful resource: " <ResourceText resource=r /></p> })}
            <ul class="choices">
                {question.choices.into_iter().map(|choice| view! { <ChoicePreview choice /> }).collect_view()}
            </ul>
            <RiskRules rules choices />
            {analysis::analyse(&question_for_analysis).map(|analysis| view! {
                <RiskTable analysis choices=question_for_analysis.choices.clone() />
            })}
            <TryIt question=question_for_analysis.clone() />
            {notes}
        </details>
    }
}

#[component]
fn ChoicePreview(choice: Choice) -> impl IntoView {
    let none = choice.is_none_of_these();
    view! {
        <li class="choice">
            <span class="choice-title">{choice.title.clone()}</span>
            {none.then(|| view! { <span class="tag">"None of these"</span> })}
            {choice.description.clone().map(|d| view! { <p class="muted">{d}</p> })}
            {choice.helpful_resource.clone().map(|r| view! { <p class="resource">"Helpful resource: " <ResourceText resource=r /></p> })}
            {choice.improvement_plan.clone().map(|r| view! { <p class="resource">"Improvement plan: " <ResourceText resource=r /></p> })}
            {choice.additional_resources.into_iter().map(|extra| {
                let label = match extra.kind {
                    ResourceKind::HelpfulResource => "More helpful resources: ",
                    ResourceKind::ImprovementPlan => "More improvement plans: ",
                };
                view! {
                    <p class="resource">{label}
                        {extra.content.into_iter().map(|r| view! { <ResourceText resource=r /> " " }).collect_view()}
                    </p>
                }
            }).collect_view()}
        </li>
    }
}

#[component]
fn ResourceText(resource: Resource) -> impl IntoView {
    match resource.url.filter(|url| is_web_url(url)) {
        Some(url) => view! {
            <a href=url target="_blank" rel="noopener noreferrer nofollow">{resource.display_text}</a>
        }
        .into_any(),
        None => view! { <span>{resource.display_text}</span> }.into_any(),
    }
}

#[component]
fn RiskRules(rules: Vec<RiskRule>, choices: Vec<Choice>) -> impl IntoView {
    if rules.is_empty() {
        return view! { <p class="risk-rules muted">"No risk rules: answers get no risk level."</p> }.into_any();
    }
    view! {
        <ol class="risk-rules" aria-label="Risk rules">
            {rules.into_iter().map(|rule| {
                let words = rule.condition_in_words(&choices);
                view! { <li><strong>{rule.risk.label()}</strong> " " {words}</li> }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

fn risk_words(risk: Option<Risk>) -> &'static str {
    risk.map_or("No risk level (shows as unanswered)", Risk::label)
}

fn risk_class(risk: Option<Risk>) -> &'static str {
    match risk {
        Some(Risk::High) => "risk high",
        Some(Risk::Medium) => "risk medium",
        Some(Risk::None) => "risk none",
        None => "risk unanswered",
    }
}

/// Which answers lead to which risk, counted over every combination of the choices.
#[component]
fn RiskTable(analysis: Analysis, choices: Vec<Choice>) -> impl IntoView {
    let total: u32 = analysis.outcomes.iter().map(|o| o.answers).sum();
    let title = move |id: &str| choice_title(&choices, id);
    view! {
        <table class="data risk-table" data-testid="risk-table">
            <caption>{format!("Every answer, scored as the service scores it ({total} combinations)")}</caption>
            <thead><tr><th>"Risk"</th><th>"Answers"</th><th>"For example"</th></tr></thead>
            <tbody>
                {analysis.outcomes.into_iter().map(|outcome| {
                    let example = if outcome.example.is_empty() {
                        "nothing selected".to_owned()
                    } else {
                        outcome.example.iter().map(|id| format!("“{}”", title(id))).collect::<Vec<_>>().join(" + ")
                    };
                    view! {
                        <tr>
                            <td class=risk_class(outcome.risk)>{risk_words(outcome.risk)}</td>
                            <td>{outcome.answers}</td>
                            <td>{example}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Tick choices, see the risk: the rules run in the browser, no server involved. Shown once the
/// page runs; without JavaScript the table above says the same for every answer. The ticks stay
/// while the question changes under them (the outline editor edits its rules).
#[component]
pub fn TryIt(#[prop(into)] question: Signal<Question>) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let selected = RwSignal::new(Vec::<String>::new());
    let risk = Memo::new(move |_| {
        let ids = selected.get();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        question.with(|q| analysis::risk_of(q, &refs))
    });
    let choices = Memo::new(move |_| question.with(|q| q.choices.clone()));
    let name = Memo::new(move |_| question.with(|q| format!("try-{}", q.id)));
    move || {
        hydrated.get().then(|| {
            view! {
                <fieldset class="try-it" data-testid="try-it">
                    <legend>"Try an answer"</legend>
                    {move || choices.get().into_iter().map(|choice| {
                        let choice_id = choice.id.clone();
                        let checked_id = choice.id.clone();
                        view! {
                            <label class="choice">
                                <input type="checkbox" value=choice.id.clone()
                                    name=name.get()
                                    prop:checked=move || selected.with(|s| s.contains(&checked_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let choice_id = choice_id.clone();
                                        selected.update(|s| {
                                            s.retain(|c| *c != choice_id);
                                            if on { s.push(choice_id); }
                                        });
                                    } />
                                " " {choice.title.clone()}
                            </label>
                        }
                    }).collect_view()}
                    <p aria-live="polite" data-testid="try-it-risk">
                        "The service gives: " <strong class=move || risk_class(risk.get())>{move || risk_words(risk.get())}</strong>
                    </p>
                </fieldset>
            }
        })
    }
}

/// A choice's title for its id, or the id when the question has no such choice.
fn choice_title(choices: &[Choice], id: &str) -> String {
    choices
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_owned(), |c| c.title.clone())
}
