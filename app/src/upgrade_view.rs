//! What a new version does to the workloads on the previous one, as the review page and the
//! publish form show it.

use lensgate_lens::upgrade::UpgradeReport;
use leptos::prelude::*;

#[component]
pub fn UpgradeImpact(report: UpgradeReport) -> impl IntoView {
    let class = if report.major { "notice" } else { "ok" };
    view! {
        <p class=class data-testid="upgrade-advice">{report.advice.clone()}</p>
        {(!report.questions.is_empty()).then(|| view! {
            <ul class="upgrade" data-testid="upgrade-changes">
                {report.questions.into_iter().flat_map(|question| {
                    let place = format!("{} › {}", question.pillar, question.question);
                    let title = question.title.clone();
                    question.changes.into_iter().map(move |change| view! {
                        <li>
                            <code title=title.clone()>{place.clone()}</code>
                            ": " {change.describe()}
                        </li>
                    }).collect::<Vec<_>>()
                }).collect_view()}
            </ul>
        })}
    }
}
