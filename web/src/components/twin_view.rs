//! The single-stage twin of a multi-stage Dockerfile (`stagecraft::twin`, made and simulated
//! by the engine): everything the target needs built in one stage on the builder's base. Its size beside the multi-stage
//! size shows the saving in numbers; "Open the twin" puts it in the editor with the original
//! pinned, so the diff view shows where the bytes are.

use stagecraft::report::human_size;
use yew::prelude::*;

use crate::engine::{self, Simulated};
use crate::project::Project;
use crate::shared::Shared;
use crate::state::Action;

/// The twin and its simulated size.
#[derive(Clone, Debug, PartialEq)]
pub struct TwinInfo {
    pub project: Project,
    /// `None` when the twin builds no image.
    pub size: Option<u64>,
    pub base: String,
    pub stages: Vec<String>,
    pub notes: Vec<String>,
}

/// The twin of `project`, whose simulation is `report`, simulated in turn; the core's
/// message when there is none (a single stage, a target that needs no other stage).
pub fn twin_of(project: &Project, report: &Simulated) -> Result<TwinInfo, String> {
    let twin = engine::twin(report)?;
    let project = Project {
        dockerfile: twin.dockerfile,
        target: None,
        ..project.clone()
    };
    Ok(TwinInfo {
        project,
        size: twin.size,
        base: twin.base,
        stages: twin.stages,
        notes: twin.notes,
    })
}

#[derive(Properties, PartialEq)]
pub struct TwinViewProps {
    pub report: Shared<Simulated>,
    pub twin: std::rc::Rc<Result<TwinInfo, String>>,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn TwinView(props: &TwinViewProps) -> Html {
    let close = props.dispatch.reform(|_| Action::ShowTwin(false));
    let body = match &*props.twin {
        Err(message) => html! { <p class="muted" id="twin-error">{message}</p> },
        Ok(twin) => {
            let multi = props.report.image.map(|i| i.size_bytes);
            let saving = match (multi, twin.size) {
                (Some(m), Some(t)) if t >= m => html! {
                    <div class="shrank"><dt>{"Multi-stage saves"}</dt><dd id="twin-saving">{human_size(t - m)}</dd>
                    <dd class="hint">{format!("{:.1} % of the twin", if t == 0 { 0.0 } else { (t - m) as f64 * 100.0 / t as f64 })}</dd></div>
                },
                (Some(m), Some(t)) => html! {
                    <div class="grew"><dt>{"Multi-stage costs"}</dt><dd id="twin-saving">{human_size(m - t)}</dd><dd class="hint">{"more than the twin"}</dd></div>
                },
                _ => html! {},
            };
            let open = {
                let project = twin.project.clone();
                props.dispatch.reform(move |_| Action::OpenTwin(project.clone()))
            };
            let size = |n: Option<u64>| n.map(human_size).unwrap_or_else(|| "no image".to_string());
            html! {
                <>
                    <dl class="sizes">
                        <div><dt>{"Multi-stage"}</dt><dd id="twin-multi-size">{size(multi)}</dd><dd class="hint">{"this Dockerfile"}</dd></div>
                        <div><dt>{"Single-stage twin"}</dt><dd id="twin-size">{size(twin.size)}</dd><dd class="hint">{format!("on {}", twin.base)}</dd></div>
                        {saving}
                    </dl>
                    <p class="hint">{format!("The twin builds stages {} one after the other in a single stage, so everything the builders leave behind ships in the image.", twin.stages.join(", "))}</p>
                    <details class="twin-details">
                        <summary>{format!("How the twin is made ({} notes) and its Dockerfile", twin.notes.len())}</summary>
                        <ul>{ for twin.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
                        <pre class="twin-dockerfile">{&twin.project.dockerfile}</pre>
                    </details>
                    <button type="button" id="open-twin" onclick={open}>{"Open the twin in the editor, this Dockerfile pinned as the baseline"}</button>
                </>
            }
        }
    };
    html! {
        <section class="twin-view" id="twin-view" aria-live="polite">
            <div class="diff-head">
                <h2>{"Single-stage twin"}</h2>
                <button type="button" class="icon" onclick={close} aria-label="Close the twin">{"×"}</button>
            </div>
            {body}
        </section>
    }
}
