//! The diagnostics as a list under the editor: what went wrong or was guessed, on which
//! line. Each entry is a button that puts the caret on its line; a build check's entry
//! explains itself ("why?") and, when it has a mechanical fix, offers it as a button.

use stagecraft::checks::explain;
use stagecraft::view::FixView;
use yew::prelude::*;

use crate::engine::Simulated;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub report: Shared<Simulated>,
    pub on_goto: Callback<usize>,
    pub on_fix: Callback<FixView>,
    /// A read-only page shows fixes but cannot apply them.
    #[prop_or_default]
    pub readonly: bool,
}

#[component]
pub fn Diagnostics(props: &DiagnosticsProps) -> Html {
    let diags = &props.report.diagnostics;
    if diags.is_empty() {
        return html! { <p class="diagnostics-none" id="diagnostics">{"No problems, and nothing guessed."}</p> };
    }
    let mut sorted: Vec<_> = diags.iter().collect();
    sorted.sort_by_key(|d| (std::cmp::Reverse(d.severity), d.line, d.column));
    html! {
        <ul class="diagnostics" id="diagnostics" aria-label="Diagnostics">
            { for sorted.into_iter().map(|d| {
                let line = d.line;
                let onclick = props.on_goto.reform(move |_| line);
                let fix = d.fix.as_ref().filter(|_| !props.readonly).map(|f| {
                    let (title, fix) = (f.title.clone(), f.clone());
                    let onclick = props.on_fix.reform(move |_| fix.clone());
                    html! { <button type="button" class="fix" {onclick} title="Apply this change to the Dockerfile">{title}</button> }
                });
                let why = explain(&d.code).map(|text| html! {
                    <details class="why"><summary>{"why?"}</summary><p>{text}</p></details>
                });
                html! {
                    <li class={classes!("diag", d.severity.as_str())}>
                        <button type="button" class="link" {onclick} title="Go to the line">
                            <span class="sev">{d.severity.as_str()}</span>
                            <span class="where">{format!("line {}", d.line)}</span>
                        </button>
                        <span class="msg">{&d.message}</span>
                        <code class="code-name">{&d.code}</code>
                        { for fix }
                        { for why }
                    </li>
                }
            }) }
        </ul>
    }
}
