//! The build log: what `docker build --progress=plain` would print for the current build,
//! given the build cache (the project as last built, `State::built`), with each step CACHED
//! or run again and the first cache miss explained. Computed only while the panel is open.

use stagecraft::report::human_size;
use stagecraft::view::{LogEntry, LogView};
use yew::prelude::*;

use crate::engine::{self, Simulated};
use crate::shared::Shared;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct BuildLogPanelProps {
    pub report: Shared<Simulated>,
    /// The report of the cached build; `None` while the panel is closed.
    pub previous: Option<Shared<Simulated>>,
    pub open: bool,
    pub dispatch: Callback<Action>,
    pub on_goto: Callback<usize>,
}

#[component]
pub fn BuildLogPanel(props: &BuildLogPanelProps) -> Html {
    // Both reports stay in the engine: the log is computed there, by their ids.
    let computed = use_memo(
        (props.report.clone(), props.previous.clone()),
        |(report, previous)| previous.as_ref().and_then(|previous| engine::build_log(previous, report)),
    );
    let ontoggle = {
        let (dispatch, open) = (props.dispatch.clone(), props.open);
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            if el.open() != open {
                dispatch.emit(Action::ShowLog(el.open()));
            }
        })
    };
    let body = match computed.as_ref() {
        Some(c) => body(c, props),
        None => html! {},
    };
    html! {
        <section class="build-log-panel" id="build-log-panel">
            <details open={props.open} {ontoggle}>
                <summary><h2>{"Build log and cache"}</h2></summary>
                {body}
            </details>
        </section>
    }
}

fn body(c: &LogView, props: &BuildLogPanelProps) -> Html {
    let build = props.dispatch.reform(|_| Action::Build);
    let first = c.first_miss.as_ref().map(|m| (m.stage, m.step, m.line, m.explanation.clone()));
    let summary = match c.rebuilt {
        0 => "Nothing changed since the last build: every step comes from the cache.".to_string(),
        _ => format!("{} of {} steps from the cache, {} run again.", c.cached, c.steps, c.rebuilt),
    };
    let is_first = |e: &LogEntry| {
        first
            .as_ref()
            .is_some_and(|(stage, step, ..)| e.stage == Some(*stage) && e.step == *step)
    };
    html! {
        <>
            <p class="hint">{"The cache is your last build: opening a project builds it once, and Build builds it again. Edits since then show what docker build would run again."}</p>
            <div class="log-actions">
                <button type="button" id="build-now" onclick={build}>{"Build"}</button>
                <span id="cache-summary" class="cache-summary" role="status">{summary}</span>
            </div>
            if let Some((_, _, line, explanation)) = &first {
                <p class="first-miss" id="first-miss">
                    <strong>{"First cache miss"}</strong>
                    {" "}<button type="button" class="link" onclick={props.on_goto.reform({ let line = *line; move |_| line })}>{format!("line {line}")}</button>
                    {": "}{explanation.replace('`', "")}
                </p>
            }
            <ol class="log" id="build-log" aria-label="Build log">
                { for c.entries.iter().map(|e| entry(e, is_first(e))) }
            </ol>
            if let Some(error) = &c.error {
                <p class="log-error">{format!("ERROR: failed to solve: {error}")}</p>
            }
        </>
    }
}

fn entry(e: &LogEntry, first_miss: bool) -> Html {
    let status = e.status.clone();
    let detail = match (&e.message, status.as_str(), e.stage, e.size_bytes) {
        (Some(message), ..) => message.clone(),
        (None, "DONE", Some(_), Some(n)) => format!("+{}", human_size(n)),
        _ => String::new(),
    };
    let class = classes!(
        "entry",
        status.to_ascii_lowercase(),
        e.stage.is_none().then_some("internal"),
        first_miss.then_some("first-miss-entry")
    );
    html! {
        <li {class} data-status={status.clone()}>
            <span class="log-name">{format!("#{} {}", e.number, e.name)}</span>
            <span class="log-detail">{detail}</span>
            <span class="badge">{status}</span>
        </li>
    }
}

