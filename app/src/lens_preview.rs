//! A lens as a reviewer reads it: pillars, questions, choices, their helpful resources and
//! improvement plans, and each question's risk rules in words. Everything from the lens is
//! rendered as text; links are offered only for http and https addresses, opened in a new tab
//! without access to this page.

use lensgate_lens::{
    Lens,
    condition::Condition,
    model::{Choice, Question, Resource, ResourceKind, RiskRule, is_web_url},
};
use leptos::prelude::*;

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
                view! {
                    <details class="pillar" open=open>
                        <summary>
                            <h3>{pillar.name} " " <code class="muted">{pillar.id}</code></h3>
                            " " <span class="muted">{format!("{count} question{}", if count == 1 { "" } else { "s" })}</span>
                        </summary>
                        {pillar.questions.into_iter().map(|question| view! { <QuestionPreview question /> }).collect_view()}
                    </details>
                }
            }).collect_view()}
        </article>
    }
}

#[component]
fn QuestionPreview(question: Question) -> impl IntoView {
    let rules = question.risk_rules.clone();
    let choices = question.choices.clone();
    view! {
        <details class="question" open>
            <summary><span class="question-title">{question.title.clone()}</span> " " <code class="muted">{question.id.clone()}</code></summary>
            {question.description.clone().map(|d| view! { <p>{d}</p> })}
            {question.helpful_resource.clone().map(|r| view! { <p class="resource">"Helpful resource: " <ResourceText resource=r /></p> })}
            <ul class="choices">
                {question.choices.into_iter().map(|choice| view! { <ChoicePreview choice /> }).collect_view()}
            </ul>
            <RiskRules rules choices />
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
    let title = move |id: &str| {
        choices
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| c.title.clone())
    };
    view! {
        <ol class="risk-rules" aria-label="Risk rules">
            {rules.into_iter().map(|rule| {
                let words = match &rule.condition {
                    Some(Condition::Default) => "in every other case".to_owned(),
                    Some(Condition::Expr(expr)) => format!("when {}", expr.describe(&title)),
                    None => format!("when “{}” (this condition does not parse)", rule.text),
                };
                view! { <li><strong>{rule.risk.label()}</strong> " " {words}</li> }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
