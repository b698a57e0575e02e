//! New lens / update lens: paste, pick or drop a file, see the problems beside the text as
//! you type (the validator runs here, in the browser), preview the lens, and import it.
//! Without JavaScript the form posts to the server, which validates the same way and renders
//! this page again with its answer.

use lensgate_lens::{
    Format, Position, Problem, Report, Rule, Severity,
    outline::{self, Edit, NodeKind, Path},
    position::utf16_offset,
};
use leptos::{
    ev::{KeyboardEvent, SubmitEvent},
    html,
    prelude::*,
};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::{collections::HashSet, time::Duration};

use crate::{
    auth::signed_in,
    code_text::CodeText,
    draft_store,
    edit_history::History,
    error::AppError,
    form_field::{Field, Select, TextArea},
    form_outcome::ResultLine,
    form_token::issue_form_token,
    lens_catalog::{
        ImportLens, ImportRequest, Imported, LensFormEcho, LensKind, detail_href, list_lenses,
    },
    lens_outline::{Editor, OutlineParts, outline_view},
    lens_preview::LensPreview,
};

/// Files larger than this are refused before they are read: a lens is at most 500,000
/// characters, which is at most 2 MB of UTF-8.
const MAX_FILE_BYTES: f64 = 2_000_000.0;
const CHECK_DELAY: Duration = Duration::from_millis(250);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Edit,
    Outline,
    Preview,
}

#[component]
pub fn LensEditorPage() -> impl IntoView {
    let echo = use_context::<LensFormEcho>();
    let query = use_query_map();
    let initial = echo
        .as_ref()
        .map(|e| e.request.clone())
        .unwrap_or_else(|| ImportRequest {
            lens_arn: query.with_untracked(|q| q.get("lens")).unwrap_or_default(),
            ..ImportRequest::default()
        });
    let text = RwSignal::new(initial.json.clone());
    let initial_text = StoredValue::new(initial.json.clone());
    let lens_arn = RwSignal::new(initial.lens_arn.clone());
    let tags = RwSignal::new(initial.tags.clone());
    let report = RwSignal::new(echo.as_ref().map(|e| e.report.clone()));
    let outcome: RwSignal<Option<Result<Imported, AppError>>> =
        RwSignal::new(echo.and_then(|e| e.error).map(Err));
    let tags_error = Signal::derive(move || {
        outcome.with(|o| match o {
            Some(Err(error)) => error.about("tags").map(str::to_owned),
            _ => None,
        })
    });
    let file_error = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    let tab = RwSignal::new(Tab::Edit);
    let textarea = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Pre>::new();
    let import = ServerAction::<ImportLens>::new();
    let owned = Resource::new(|| (), |()| list_lenses());
    let token = Resource::new(|| (), |()| issue_form_token());

    let stored = StoredValue::new(draft_store::key(
        &signed_in().map(|u| u.username).unwrap_or_default(),
        &initial.lens_arn,
    ));
    let restored = RwSignal::new(false);
    let selected = RwSignal::new(Path::root());
    let outline_error = RwSignal::new(None::<String>);
    let history = StoredValue::new(History::default());
    let fresh = StoredValue::new(HashSet::<String>::new());
    let can_undo = RwSignal::new((false, false));
    let check_now = move || {
        let current = text.get_untracked();
        stored.with_value(|key| draft_store::save(key, &current));
        report.set(
            (!current.trim().is_empty())
                .then(|| lensgate_lens::validate_as(&current, Format::detect(&current))),
        );
    };
    let is_yaml = move || text.with(|t| Format::detect(t) == Format::Yaml);
    let scheduled = StoredValue::new(None::<TimeoutHandle>);
    let check_soon = move || {
        if let Some(handle) = scheduled.get_value() {
            handle.clear();
        }
        scheduled.set_value(set_timeout_with_handle(check_now, CHECK_DELAY).ok());
    };
    let show = move |content: &str| {
        if let Some(area) = textarea.get_untracked() {
            area.set_value(content);
        }
    };
    // Every change of the document goes through here, so that undo sees it.
    let change = move |content: String, group: &str| {
        history.update_value(|h| {
            text.with_untracked(|before| h.record(before, group, now_ms()));
        });
        can_undo.set(history.with_value(|h| (h.can_undo(), h.can_redo())));
        show(&content);
        text.set(content);
    };
    let travel = move |back: bool| {
        let current = text.get_untracked();
        let to = history
            .try_update_value(|h| {
                if back {
                    h.undo(&current)
                } else {
                    h.redo(&current)
                }
            })
            .flatten();
        if let Some(to) = to {
            show(&to);
            text.set(to);
            can_undo.set(history.with_value(|h| (h.can_undo(), h.can_redo())));
            check_now();
        }
    };
    let apply_edit = Editor(Callback::new(move |(edit, typed): (Edit, bool)| {
        let group = match &edit {
            Edit::SetText { at, .. } | Edit::Clear { at } => at.to_string(),
            Edit::Retitle { item, .. } | Edit::SetId { item, .. } => format!("{item}:title"),
            _ => String::new(),
        };
        // The nodes an edit makes are this editor's, and their ids follow their titles.
        let makes = !typed
            || matches!(
                edit,
                Edit::Retitle {
                    follow_id: true,
                    ..
                }
            );
        let before = makes.then(|| text.with_untracked(|t| ids_in(t)));
        let applied = text.with_untracked(|current| outline::apply(current, &edit));
        match applied {
            Ok(applied) => {
                outline_error.set(None);
                if let Some(before) = before {
                    let made: Vec<String> =
                        ids_in(&applied.text).difference(&before).cloned().collect();
                    fresh.update_value(|fresh| fresh.extend(made));
                }
                // A field's keystrokes close together join one undo step; the rest are steps.
                let group = if typed {
                    group
                } else {
                    format!("step {}", now_ms())
                };
                change(applied.text, &group);
                // A risk rule is edited in its question's form.
                let select = match applied.select.kind() {
                    Some(NodeKind::RiskRule) => applied.select.question_of().unwrap_or_default(),
                    _ => applied.select,
                };
                if !typed && selected.get_untracked() != select {
                    selected.set(select);
                }
                // The validator runs after the pause, as for typing, so that on a large lens
                // the edit shows before the problems are counted again.
                check_soon();
            }
            Err(error) => outline_error.set(Some(error.0)),
        }
    }));
    let on_keydown = move |ev: KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let key = ev.key().to_ascii_lowercase();
        let back = match key.as_str() {
            "z" => !ev.shift_key(),
            "y" => false,
            _ => return,
        };
        ev.prevent_default();
        travel(back);
    };
    Effect::new(move |_| {
        hydrated.set(true);
        // Restore only into an empty editor: text already on the page (echoed back by the
        // server after a post) is newer than anything kept here.
        let empty = textarea
            .get_untracked()
            .is_none_or(|area| area.value().trim().is_empty());
        if let Some(kept) = stored
            .with_value(|key| draft_store::load(key))
            .filter(|_| empty)
        {
            if let Some(area) = textarea.get_untracked() {
                area.set_value(&kept);
            }
            text.set(kept);
            restored.set(true);
        }
        check_now();
    });
    Effect::new(move |_| {
        if let Some(answer) = import.value().get() {
            if let Err(AppError::LensRejected { problems }) = &answer {
                let lens = report.with_untracked(|r| r.as_ref().and_then(|r| r.lens.clone()));
                report.set(Some(Report {
                    problems: problems.clone(),
                    lens,
                }));
            }
            if answer.is_ok() {
                stored.with_value(|key| draft_store::clear(key));
            }
            outcome.set(Some(answer));
        }
    });

    let load = move |content: String| {
        change(content, "load");
        check_now();
    };
    let jump = move |position: Position| {
        tab.set(Tab::Edit);
        let Some(area) = textarea.get_untracked() else {
            return;
        };
        let source = text.get_untracked();
        let offset = u32::try_from(utf16_offset(&source, position)).unwrap_or(u32::MAX);
        let _ = area.focus();
        let _ = area.set_selection_range(offset, offset);
        let lines = source.lines().count().max(1) as f64;
        let line_height = f64::from(area.scroll_height()) / lines;
        area.set_scroll_top(((f64::from(position.line) - 3.0).max(0.0) * line_height) as i32);
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let intent = ev
            .submitter()
            .and_then(|button| button.get_attribute("value"))
            .unwrap_or_default();
        if intent == "import" {
            import.dispatch(ImportLens {
                request: ImportRequest {
                    json: text.get_untracked(),
                    lens_arn: lens_arn.get_untracked(),
                    tags: tags.get_untracked(),
                    token: token
                        .get_untracked()
                        .and_then(Result::ok)
                        .unwrap_or_default(),
                },
            });
        } else {
            check_now();
        }
    };
    let blocked = move || {
        import.pending().get() || report.with(|r| r.as_ref().is_none_or(|r| !r.is_importable()))
    };
    let title = if initial.lens_arn.is_empty() {
        "New lens"
    } else {
        "Update a lens"
    };

    let target_row = view! {
            <div class="form-row">
                <Suspense fallback=|| ()>
                    {move || token.get().and_then(Result::ok).map(|token| view! { <input type="hidden" name="token" value=token /> })}
                </Suspense>
                <Field id="import-as" label="Import as">
                    <Suspense fallback=|| view! { <Select name="lens_arn" attr:disabled=true><option>"Loading lenses…"</option></Select> }>
                        {move || owned.get().map(|result| {
                            let lenses: Vec<_> = result.unwrap_or_default().into_iter().filter(|l| l.kind == LensKind::Owned).collect();
                            view! {
                                <Select name="lens_arn" on:change=move |ev| lens_arn.set(event_target_value(&ev))>
                                    <option value="" selected=move || lens_arn.get().is_empty()>"a new lens"</option>
                                    {lenses.into_iter().map(|lens| {
                                        let arn = lens.arn.clone();
                                        view! { <option value=lens.arn.clone() selected=move || lens_arn.get() == arn>{format!("an update of “{}”", lens.name)}</option> }
                                    }).collect_view()}
                                </Select>
                            }
                        })}
                    </Suspense>
                </Field>
                {move || hydrated.get().then(|| view! {
                    <label class="file-picker">"Open a file "
                        <input type="file" accept=".json,.yaml,.yml,application/json,application/yaml" on:change=move |ev| {
                            let input = event_target::<web_sys::HtmlInputElement>(&ev);
                            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                                read_file(file, file_error, load);
                            }
                        } />
                    </label>
                })}
            </div>
    }
    .into_any();
    let editor_layout = view! {
            <div class="editor-layout">
                <div class="editor-pane" on:keydown=on_keydown>
                    {move || hydrated.get().then(|| view! {
                        <div class="tab-bar">
                            <div role="tablist" class="tabs">
                                <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Edit).to_string() on:click=move |_| tab.set(Tab::Edit)>{move || if is_yaml() { "YAML" } else { "JSON" }}</button>
                                <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Outline).to_string() on:click=move |_| tab.set(Tab::Outline)>"Outline"</button>
                                <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Preview).to_string() on:click=move |_| tab.set(Tab::Preview)>"Preview"</button>
                            </div>
                            <span class="history-actions">
                                <button type="button" class="secondary" title="Undo (Ctrl+Z)" disabled=move || !can_undo.get().0 on:click=move |_| travel(true)>"Undo"</button>
                                <button type="button" class="secondary" title="Redo (Ctrl+Shift+Z or Ctrl+Y)" disabled=move || !can_undo.get().1 on:click=move |_| travel(false)>"Redo"</button>
                            </span>
                        </div>
                    })}
                    {move || (hydrated.get() && tab.get() == Tab::Outline).then(|| {
                        let parts = OutlineParts {
                            text,
                            report,
                            selected,
                            fresh,
                            edit: apply_edit,
                            error: outline_error,
                            jump: Callback::new(jump),
                        };
                        view! {
                            <Suspense fallback=|| view! { <p class="muted" aria-busy="true" data-testid="outline-loading">"Loading the outline…"</p> }>
                                {Suspend::new(async move { outline_view(parts).await })}
                            </Suspense>
                        }
                    })}
                    <div class="editor" hidden=move || hydrated.get() && tab.get() != Tab::Edit
                        on:dragover=move |ev| ev.prevent_default()
                        on:drop=move |ev| {
                            ev.prevent_default();
                            if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                                read_file(file, file_error, load);
                            }
                        }>
                        <pre class="gutter" aria-hidden="true" node_ref=gutter>{move || line_numbers(&text.read())}</pre>
                        <textarea name="json" node_ref=textarea spellcheck="false" wrap="off" autocomplete="off"
                            aria-label="Lens source, JSON or YAML" required
                            on:input=move |ev| {
                                let typed = event_target_value(&ev);
                                history.update_value(|h| text.with_untracked(|before| h.record(before, "text", now_ms())));
                                can_undo.set(history.with_value(|h| (h.can_undo(), h.can_redo())));
                                text.set(typed);
                                check_soon();
                            }
                            on:scroll=move |_| {
                                if let (Some(area), Some(numbers)) = (textarea.get_untracked(), gutter.get_untracked()) {
                                    numbers.set_scroll_top(area.scroll_top());
                                }
                            }>{initial.json.clone()}</textarea>
                    </div>
                    {move || is_yaml().then(|| view! {
                        <p class="muted" data-testid="source-format">"Read as YAML: importing sends AWS the JSON it describes, as " <code>"lensgate lens build"</code> " writes it."</p>
                    })}
                    {move || restored.get().then(|| view! {
                        <p class="notice" role="status" data-testid="draft-restored">
                            "Restored the text you were editing: this browser kept it. "
                            <button type="button" class="secondary" on:click=move |_| {
                                restored.set(false);
                                load(initial_text.get_value());
                            }>"Discard it"</button>
                        </p>
                    })}
                    {move || file_error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                    {move || (!hydrated.get() || tab.get() == Tab::Preview).then(|| {
                        report.with(|r| match r {
                            Some(Report { lens: Some(lens), .. }) => view! {
                                <section class="preview" aria-label="Preview"><LensPreview lens=lens.clone() /></section>
                            }.into_any(),
                            Some(report) => {
                                let first = report.problems.iter().find(|p| p.severity == Severity::Error).cloned();
                                view! { <PreviewUnavailable first jump /> }.into_any()
                            }
                            None if hydrated.get() => view! {
                                <p class="notice" role="status" data-testid="preview-unavailable">"Nothing to preview yet: paste or open a lens."</p>
                            }.into_any(),
                            None => ().into_any(),
                        })
                    })}
                </div>
                <aside class="problems-pane" aria-label="Problems">
                    <h2>"Problems"</h2>
                    {move || (!is_yaml() && report.with(|r| r.as_ref().is_some_and(|r| r.problems.iter().any(|p| p.rule == Rule::RestrictedCharacter)))).then(|| view! {
                        <p>
                            <button type="submit" name="intent" value="replace" class="secondary" data-testid="replace-all"
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    if let Some(fixed) = lensgate_lens::replace_restricted(&text.get_untracked()) {
                                        load(fixed);
                                    }
                                }>
                                "Replace all restricted characters"
                            </button>
                            " " <span class="muted">"in names, titles and descriptions, with the replacements the problems suggest"</span>
                        </p>
                    })}
                    {move || match report.get() {
                        None => view! { <p class="muted" data-testid="problem-summary">"Paste or open a lens to check it."</p> }.into_any(),
                        Some(report) => view! { <ProblemList report jump /> }.into_any(),
                    }}
                </aside>
            </div>
    }
    .into_any();
    let actions = view! {
            <Field id="lens-tags" label="Tags" hint="Optional: one key=value per line, such as team=platform." error=tags_error>
                <TextArea name="tags" value=initial.tags.clone() attr:rows="2" on:input=move |ev| tags.set(event_target_value(&ev)) />
            </Field>
            <div class="actions">
                <button type="submit" name="intent" value="validate" class="secondary">"Check"</button>
                <button type="submit" name="intent" value="import" disabled=move || hydrated.get() && blocked()>
                    {move || if import.pending().get() { "Importing…" } else { "Import" }}
                </button>
                {move || import.pending().get().then(|| view! { <span class="muted" aria-busy="true">"Sending the lens to AWS…"</span> })}
            </div>
            {move || outcome.get().map(|result| view! { <Outcome result /> })}
    }
    .into_any();
    view! {
        <Title text=title />
        <h1>{title}</h1>
        <p class="lede">"Paste the lens JSON or YAML, pick a file or drop one on the editor. Problems appear beside the text as you type; the lens can be imported once no errors remain. Importing creates or replaces the lens's draft, which is reviewed before it is published."</p>
        <form method="post" action="/lenses/new" class="lens-form" on:submit=on_submit>
            {target_row}
            {editor_layout}
            {actions}
        </form>
    }
}

#[component]
fn ProblemList(
    report: Report,
    jump: impl Fn(Position) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (errors, warnings) = (report.errors(), report.warnings());
    let summary = match (errors, warnings) {
        (0, 0) => "No problems: the lens can be imported.".to_owned(),
        (0, w) => format!(
            "No errors, {w} warning{}: the lens can be imported.",
            if w == 1 { "" } else { "s" }
        ),
        (e, w) => format!(
            "{e} error{}, {w} warning{}: fix the errors to import.",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        ),
    };
    view! {
        <p data-testid="problem-summary" class={if errors > 0 { "error" } else { "ok" }}>{summary}</p>
        <ol class="problems" data-testid="problems">
            {report.problems.into_iter().map(|problem| view! { <ProblemItem problem jump /> }).collect_view()}
        </ol>
    }
}

#[component]
fn ProblemItem(
    problem: Problem,
    jump: impl Fn(Position) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let position = problem.position;
    let severity = problem.severity.as_str();
    view! {
        <li class=format!("problem {severity}") data-line=position.line data-rule=problem.rule.as_str()>
            <button type="button" class="position" title="Show in the editor" on:click=move |_| jump(position)>
                {format!("Line {}, column {}", position.line, position.column)}
            </button>
            " "<span class="severity">{if problem.severity == Severity::Error { "Error" } else { "Warning" }}</span>
            {(!problem.path.is_empty()).then(|| view! { " " <code class="path">{problem.path.clone()}</code> })}
            <p class="message"><CodeText text=problem.message /></p>
            {problem.fix.map(|fix| view! { <p class="fix"><CodeText text=fix /></p> })}
        </li>
    }
}

/// The preview of a text that is not yet a lens says why, and where to look.
#[component]
fn PreviewUnavailable(
    first: Option<Problem>,
    jump: impl Fn(Position) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="notice" role="status" data-testid="preview-unavailable">
            <p>"The preview needs JSON that reads as a lens, and this text does not yet."</p>
            {first.map(|problem| {
                let position = problem.position;
                view! {
                    <p>
                        <CodeText text=problem.message /> " "
                        <button type="button" class="link" on:click=move |_| jump(position)>
                            {format!("Show line {}, column {}", position.line, position.column)}
                        </button>
                    </p>
                }
            })}
        </div>
    }
}

/// The answer to Import, beneath its button.
#[component]
fn Outcome(result: Result<Imported, AppError>) -> impl IntoView {
    match result {
        Ok(imported) => view! {
            <ResultLine ok=true testid="import-result">
                "Imported. "
                <a href=detail_href(&imported.lens_arn)>"Open the lens"</a>
                {format!(" (audit operation {})", imported.operation_id)}
            </ResultLine>
        }
        .into_any(),
        Err(AppError::Aws { message, code, operation_id }) => view! {
            <ResultLine ok=false testid="import-result">
                <p>{message}</p>
                <p class="muted">{format!("Error code {code}")}{operation_id.map(|id| format!("; recorded in the audit history as operation {id}."))}</p>
            </ResultLine>
        }
        .into_any(),
        Err(AppError::Unauthenticated) => view! {
            <ResultLine ok=false testid="import-result">
                "Your session has ended, so nothing was imported. This browser keeps the text: "
                <a href="/login?next=/lenses/new" target="_blank" rel="noopener">"sign in again in a new tab"</a>
                ", then import from here."
            </ResultLine>
        }
        .into_any(),
        Err(error) => view! { <ResultLine ok=false testid="import-result">{error.to_string()}</ResultLine> }.into_any(),
    }
}

fn ids_in(text: &str) -> HashSet<String> {
    outline::read(text)
        .map(|o| o.ids().into_iter().collect())
        .unwrap_or_default()
}

/// Milliseconds on the page's clock, for grouping keystrokes into undo steps.
fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn line_numbers(text: &str) -> String {
    let lines = text.split('\n').count();
    let mut out = String::with_capacity(lines * 4);
    for n in 1..=lines {
        out.push_str(&n.to_string());
        out.push('\n');
    }
    out
}

/// Reads a picked or dropped file into the editor, refusing oversized files unread.
fn read_file(
    file: web_sys::File,
    file_error: RwSignal<Option<String>>,
    load: impl Fn(String) + 'static,
) {
    if file.size() > MAX_FILE_BYTES {
        file_error.set(Some(format!(
            "{} is {:.1} MB; a lens is at most 500,000 characters, so this cannot be one.",
            file.name(),
            file.size() / 1_000_000.0
        )));
        return;
    }
    file_error.set(None);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(content) => load(content.as_string().unwrap_or_default()),
            Err(_) => file_error.set(Some(format!("{} could not be read as text.", file.name()))),
        }
    });
}
