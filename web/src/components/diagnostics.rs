//! The diagnostics as a list under the editor: what went wrong or was guessed, on which
//! line. Each entry is a button that puts the caret on its line.

use stagecraft::Report;
use yew::prelude::*;

use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub report: Shared<Report>,
    pub on_goto: Callback<usize>,
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
                html! {
                    <li class={classes!("diag", d.severity.as_str())}>
                        <button type="button" class="link" {onclick} title="Go to the line">
                            <span class="sev">{d.severity.as_str()}</span>
                            <span class="where">{format!("line {}", d.line)}</span>
                        </button>
                        <span class="msg">{&d.message}</span>
                        <code class="code-name">{d.code}</code>
                    </li>
                }
            }) }
        </ul>
    }
}
