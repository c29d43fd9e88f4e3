//! The target stage (`docker build --target`).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::engine::Simulated;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct TargetSelectProps {
    pub report: Shared<Simulated>,
    pub target: Option<String>,
    pub on_change: Callback<Option<String>>,
}

#[component]
pub fn TargetSelect(props: &TargetSelectProps) -> Html {
    let onchange = props.on_change.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        (!v.is_empty()).then_some(v)
    });
    let stages = &props.report.stages;
    let current = props.target.clone().unwrap_or_default();
    // A target typed in a link that names no stage still shows, so the error makes sense.
    let unknown = !current.is_empty() && !stages.iter().any(|s| s.label == current);
    html! {
        <label class="field">
            <span>{"Target"}</span>
            <select id="target" {onchange}>
                <option value="" selected={current.is_empty()}>{"last stage (default)"}</option>
                { for stages.iter().map(|s| {
                    let label = s.label.clone();
                    let selected = label == current;
                    html! { <option value={label.clone()} {selected}>{label}</option> }
                }) }
                if unknown { <option value={current.clone()} selected=true>{format!("{current} (no such stage)")}</option> }
            </select>
        </label>
    }
}
