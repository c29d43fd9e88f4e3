//! The what-if view: how the current result differs from the pinned baseline
//! (`stagecraft::view::diff`, computed by the engine): total sizes, each stage, the final image's files and layers,
//! its config. Shown only while a baseline is pinned, recomputed as the user edits.

use std::rc::Rc;

use stagecraft::diff::{signed_size, ChangeKind, StageStatus};
use stagecraft::view::DiffView as Diff;
use stagecraft::report::human_size;
use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    pub diff: Rc<Diff>,
    /// What the baseline is ("Java in one stage", "your Dockerfile").
    pub label: AttrValue,
    pub dispatch: Callback<Action>,
}

/// The change as a share of the baseline: `−98.8 %`.
fn percent(before: u64, delta: i64) -> String {
    if before == 0 {
        return String::new();
    }
    let p = delta as f64 * 100.0 / before as f64;
    format!(" ({p:+.1} %)")
}

fn trend(delta: i64) -> &'static str {
    match delta {
        0 => "same",
        d if d > 0 => "grew",
        _ => "shrank",
    }
}

#[component]
pub fn DiffView(props: &DiffViewProps) -> Html {
    let d = &props.diff;
    let unpin = props.dispatch.reform(|_| Action::Unpin);
    let open = props.dispatch.reform(|_| Action::OpenBaseline);
    let (size_before, size_after) = (d.before.map(|s| s.0), d.after.map(|s| s.0));
    let (pull_before, pull_after) = (d.before.map(|s| s.1), d.after.map(|s| s.1));
    let or_none = |n: Option<u64>| n.map(human_size).unwrap_or_else(|| "no image".to_string());
    let (added, removed, changed) = d.counts;
    html! {
        <section class="diff-view" id="diff-view" aria-live="polite">
            <div class="diff-head">
                <h2>{"Compared with the baseline"}</h2>
                <span class="muted" id="baseline-label">{props.label.clone()}</span>
                <span class="diff-actions">
                    <button type="button" id="open-baseline" onclick={open} title="Put the baseline back in the editor (it stays pinned)">{"Open baseline"}</button>
                    <button type="button" id="unpin" onclick={unpin}>{"Unpin"}</button>
                </span>
            </div>
            if d.same {
                <p class="muted" id="diff-same">{"Same result as the baseline. Edit the Dockerfile, the context or the build args, or open an example, to see what changes."}</p>
            }
            <dl class="sizes diff-sizes">
                <div class={trend(d.size_delta)}>
                    <dt>{"Size"}</dt>
                    <dd id="diff-size">{signed_size(d.size_delta)}</dd>
                    <dd class="hint">{format!("{} → {}{}", or_none(size_before), or_none(size_after), percent(size_before.unwrap_or(0), d.size_delta))}</dd>
                </div>
                <div class={trend(d.compressed_delta)}>
                    <dt>{"Pull size"}</dt>
                    <dd id="diff-pull">{signed_size(d.compressed_delta)}</dd>
                    <dd class="hint">{format!("≈ {} → {}", or_none(pull_before), or_none(pull_after))}</dd>
                </div>
                <div>
                    <dt>{"Files"}</dt>
                    <dd id="diff-file-counts">{format!("+{added} −{removed} ~{changed}")}</dd>
                    <dd class="hint">{"added, removed, changed"}</dd>
                </div>
            </dl>
            <h3>{"Stages"}</h3>
            <table class="diff-table" id="diff-stages">
                <thead><tr><th>{"stage"}</th><th>{"baseline"}</th><th>{"now"}</th><th>{"change"}</th><th></th></tr></thead>
                <tbody>
                    { for d.stages.iter().map(|s| {
                        let (b, a) = (s.before, s.after);
                        let change = match (b, a) {
                            (Some(b), Some(a)) => signed_size(stagecraft::diff::delta(b, a)),
                            _ => String::new(),
                        };
                        let target = s.target;
                        html! {
                            <tr class={classes!("stage-row", status_class(s.status))} data-stage={s.label.clone()}>
                                <td>{&s.label}{if target { " ◆" } else { "" }}</td>
                                <td>{b.map(human_size).unwrap_or_else(|| "—".into())}</td>
                                <td>{a.map(human_size).unwrap_or_else(|| "—".into())}</td>
                                <td class="delta">{change}</td>
                                <td class="status">{if s.status == StageStatus::Unchanged { "" } else { s.status.as_str() }}</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <h3>{"Files in the final image"}</h3>
            if d.files.is_empty() {
                <p class="muted">{"No file differs."}</p>
            } else {
                <ul class="diff-files" id="diff-files">
                    { for d.files.iter().map(|f| {
                        let (mark, class) = match f.kind {
                            ChangeKind::Added => ("+", "added"),
                            ChangeKind::Removed => ("−", "removed"),
                            ChangeKind::Changed => ("~", "changed"),
                        };
                        let folded = (f.contents > 0).then(|| format!(" and {} path{} below", f.contents, if f.contents == 1 { "" } else { "s" }));
                        html! {
                            <li class={class} data-path={f.path.clone()}>
                                <span class="mark">{mark}</span>
                                <code class="path">{&f.path}</code>
                                <span class="muted">{folded.unwrap_or_default()}</span>
                                <span class="delta">{signed_size(f.delta)}</span>
                            </li>
                        }
                    }) }
                    if d.omitted > 0 {
                        <li class="muted">{format!("and {} smaller changes, {} together", d.omitted, signed_size(d.omitted_bytes_delta))}</li>
                    }
                </ul>
            }
            <h3>{"Layers"}</h3>
            <ol class="diff-layers" id="diff-layers">
                { for d.layers.iter().map(|l| {
                    let text = l.instruction.clone();
                    let sizes = match (l.before, l.after) {
                        (Some(b), Some(a)) if b != a => format!("{} → {}", human_size(b), human_size(a)),
                        (_, Some(a)) => human_size(a),
                        (Some(b), None) => human_size(b),
                        (None, None) => String::new(),
                    };
                    let was = l.was.as_ref().map(|b| format!("was: {b}"));
                    html! {
                        <li class={classes!("diff-layer", l.status.as_str())} title={was.clone().unwrap_or_default()}>
                            <span class="status">{l.status.as_str()}</span>
                            <code class="text">{text}</code>
                            <span class="size">{sizes}</span>
                        </li>
                    }
                }) }
            </ol>
            if !d.config.is_empty() {
                <h3>{"Config"}</h3>
                <ul class="diff-config" id="diff-config">
                    { for d.config.iter().map(|(field, before, after)| html! {
                        <li><code>{field}</code>{": "}{before.clone().unwrap_or_else(|| "(unset)".into())}{" → "}{after.clone().unwrap_or_else(|| "(unset)".into())}</li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn status_class(status: StageStatus) -> &'static str {
    match status {
        StageStatus::Added | StageStatus::NowBuilt => "added",
        StageStatus::Removed | StageStatus::NoLongerBuilt => "removed",
        StageStatus::Changed => "changed",
        StageStatus::Unchanged => "unchanged",
    }
}
