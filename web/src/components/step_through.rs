//! Stepping through the build, instruction by instruction: buttons and keys (arrows, Home,
//! End) move between steps; the page shows the current step's files in the file tree and
//! marks its lines in the editor. The steps come from the engine (`stagecraft::view::steps`).

use stagecraft::report::human_size;
use stagecraft::view::Step;
use yew::prelude::*;

use crate::state::{Action, StepMove};

#[derive(Properties, PartialEq)]
pub struct StepThroughProps {
    /// `None` when not stepping (the panel is closed).
    pub current: Option<usize>,
    pub steps: std::rc::Rc<Vec<Step>>,
    pub dispatch: Callback<Action>,
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
                    <p class="step-where">{format!("stage {} · line {line} · {size}", s.stage_label)}</p>
                    <code class="step-text" title={s.text.clone()}>{&s.text}</code>
                    <p class={classes!("step-explanation", s.failed.then_some("failed"))} id="step-explanation" aria-live="polite">{&s.explanation}</p>
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

