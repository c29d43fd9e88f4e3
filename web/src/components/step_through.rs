//! Stepping through the build, instruction by instruction: buttons and keys (arrows, Home,
//! End) move between steps; the page shows the current step's files in the file tree and
//! marks its lines in the editor. The steps come from `stagecraft::steps`.

use stagecraft::report::human_size;
use stagecraft::steps::steps;
use stagecraft::Report;
use yew::prelude::*;

use crate::state::{Action, StepMove};

/// One step of the build, owned (the core's `StepView` borrows the report).
#[derive(Clone, Debug, PartialEq)]
pub struct StepInfo {
    pub stage: usize,
    pub stage_label: String,
    pub instruction: usize,
    pub line: usize,
    pub text: String,
    pub explanation: String,
    pub layer_bytes: Option<u64>,
    pub failed: bool,
}

/// Every step of the build, in build order.
pub fn step_infos(report: &Report) -> Vec<StepInfo> {
    steps(report)
        .into_iter()
        .map(|s| StepInfo {
            stage: s.stage,
            stage_label: s.stage_label,
            instruction: s.instruction,
            line: s.line,
            text: s.text.to_string(),
            explanation: s.explanation,
            layer_bytes: s.layer_bytes,
            failed: s.failed,
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct StepThroughProps {
    /// `None` when not stepping (the panel is closed).
    pub current: Option<usize>,
    pub steps: std::rc::Rc<Vec<StepInfo>>,
    pub dispatch: Callback<Action>,
    pub on_goto: Callback<usize>,
}

#[component]
pub fn StepThrough(props: &StepThroughProps) -> Html {
    let open = props.current.is_some();
    let count = props.steps.len();
    let ontoggle = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            if el.open() != open {
                dispatch.emit(Action::Stepping(el.open()));
            }
        })
    };
    let go = |to: StepMove| props.dispatch.reform(move |_| Action::Step { to, count });
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => StepMove::Next,
                "ArrowLeft" | "ArrowUp" => StepMove::Previous,
                "Home" => StepMove::First,
                "End" => StepMove::Last,
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(Action::Step { to, count });
        })
    };
    // Buttons at the ends stay enabled (aria-disabled): disabling the focused one would drop
    // the keyboard focus out of the panel.
    let body = match props.current.map(|i| i.min(count.saturating_sub(1))) {
        None => html! {},
        Some(_) if count == 0 => {
            html! { <p class="muted" id="step-explanation">{"Nothing is built, so there is nothing to step through."}</p> }
        }
        Some(i) => {
            let s = &props.steps[i];
            let line = s.line;
            let size = match s.layer_bytes {
                Some(n) if s.text.trim_start().to_ascii_uppercase().starts_with("FROM") => {
                    format!("base {}", human_size(n))
                }
                Some(n) => format!("layer {}", human_size(n)),
                None => "no layer".to_string(),
            };
            html! {
                <div class="stepper" id="stepper" tabindex="0" role="group"
                     aria-label="Step through the build: arrow keys move, Home and End go to the first and last step"
                     {onkeydown}>
                    <div class="step-buttons">
                        <button type="button" id="step-first" onclick={go(StepMove::First)} aria-disabled={(i == 0).to_string()} aria-label="First step">{"« First"}</button>
                        <button type="button" id="step-prev" onclick={go(StepMove::Previous)} aria-disabled={(i == 0).to_string()} aria-label="Previous step">{"◀ Prev"}</button>
                        <button type="button" id="step-next" onclick={go(StepMove::Next)} aria-disabled={(i + 1 >= count).to_string()} aria-label="Next step">{"Next ▶"}</button>
                        <button type="button" id="step-last" onclick={go(StepMove::Last)} aria-disabled={(i + 1 >= count).to_string()} aria-label="Last step">{"Last »"}</button>
                        <span class="step-count" id="step-count">{format!("Step {} of {count}", i + 1)}</span>
                    </div>
                    <p class="step-where">
                        <span class="stage-name">{format!("stage {}", s.stage_label)}</span>
                        {" · "}
                        <button type="button" class="link" onclick={props.on_goto.reform(move |_| line)} title="Put the caret on this line">{format!("line {line}")}</button>
                        {" · "}<span class="muted">{size}</span>
                    </p>
                    <code class="step-text" title={s.text.clone()}>{&s.text}</code>
                    <p class={classes!("step-explanation", s.failed.then_some("failed"))} id="step-explanation" aria-live="polite">{&s.explanation}</p>
                    <ol class="step-list" aria-label="Steps">
                        { for props.steps.iter().enumerate().map(|(j, t)| {
                            let onclick = go(StepMove::To(j));
                            // Each stage's first step carries the stage's name.
                            let stage = (j == 0 || props.steps[j - 1].stage != t.stage).then(|| t.stage_label.clone());
                            html! {
                                <li class={classes!((j == i).then_some("current"), stage.is_some().then_some("stage-start"))}>
                                    if let Some(stage) = stage { <span class="stage-name">{stage}</span> }
                                    <button type="button" {onclick} aria-current={(j == i).then_some("step")} title={format!("line {}: {}", t.line, t.text)}>
                                        {format!("{} {}", j + 1, keyword(&t.text))}
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                    <p class="hint">{"← → step (Home, End: first, last). The file tree shows the stage's files right after this step."}</p>
                </div>
            }
        }
    };
    html! {
        <section class="step-through" id="step-through">
            <details {open} {ontoggle}>
                <summary><h2>{"Step through the build"}</h2></summary>
                {body}
            </details>
        </section>
    }
}

/// The instruction's keyword, for the list of steps.
fn keyword(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").to_ascii_uppercase()
}
