//! The what-if view: how the current result differs from the pinned baseline
//! (`stagecraft::diff::diff`): total sizes, each stage, the final image's files and layers,
//! its config. Shown only while a baseline is pinned, recomputed as the user edits.

use std::rc::Rc;

use stagecraft::diff::{signed_size, ChangeKind, LayerStatus, ReportDiff, StageStatus};
use stagecraft::report::human_size;
use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DiffViewProps {
    pub diff: Rc<ReportDiff>,
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
    let (before, after) = (d.before.as_ref(), d.after.as_ref());
    let size = |f: fn(&stagecraft::diff::ImageSide) -> u64| {
        (before.map(f), after.map(f))
    };
    let (size_before, size_after) = size(|s| s.size_bytes);
    let (pull_before, pull_after) = size(|s| s.compressed_size_bytes);
    let or_none = |n: Option<u64>| n.map(human_size).unwrap_or_else(|| "no image".to_string());
    let files = &d.files;
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
            if d.is_empty() {
                <p class="muted" id="diff-same">{"Same result as the baseline. Edit the Dockerfile, the context or the build args, or open an example, to see what changes."}</p>
            }
            <dl class="sizes diff-sizes">
                <div class={trend(d.size_delta())}>
                    <dt>{"Size"}</dt>
                    <dd id="diff-size">{signed_size(d.size_delta())}</dd>
                    <dd class="hint">{format!("{} → {}{}", or_none(size_before), or_none(size_after), percent(size_before.unwrap_or(0), d.size_delta()))}</dd>
                </div>
                <div class={trend(d.compressed_delta())}>
                    <dt>{"Pull size"}</dt>
                    <dd id="diff-pull">{signed_size(d.compressed_delta())}</dd>
                    <dd class="hint">{format!("≈ {} → {}", or_none(pull_before), or_none(pull_after))}</dd>
                </div>
                <div>
                    <dt>{"Files"}</dt>
                    <dd id="diff-file-counts">{format!("+{} −{} ~{}", files.added.count, files.removed.count, files.changed.count)}</dd>
                    <dd class="hint">{"added, removed, changed"}</dd>
                </div>
            </dl>
            <h3>{"Stages"}</h3>
            <table class="diff-table" id="diff-stages">
                <thead><tr><th>{"stage"}</th><th>{"baseline"}</th><th>{"now"}</th><th>{"change"}</th><th></th></tr></thead>
                <tbody>
                    { for d.stages.iter().map(|s| {
                        let b = s.before.as_ref().filter(|x| x.built).map(|x| x.size_bytes);
                        let a = s.after.as_ref().filter(|x| x.built).map(|x| x.size_bytes);
                        let change = match (b, a) {
                            (Some(b), Some(a)) => signed_size(stagecraft::diff::delta(b, a)),
                            _ => String::new(),
                        };
                        let target = s.after.as_ref().or(s.before.as_ref()).is_some_and(|x| x.target);
                        html! {
                            <tr class={classes!("stage-row", status_class(s.status))} data-stage={s.label().to_string()}>
                                <td>{s.label()}{if target { " ◆" } else { "" }}</td>
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
            if files.entries.is_empty() {
                <p class="muted">{"No file differs."}</p>
            } else {
                <ul class="diff-files" id="diff-files">
                    { for files.entries.iter().map(|f| {
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
                                <span class="delta">{signed_size(f.delta())}</span>
                            </li>
                        }
                    }) }
                    if files.omitted > 0 {
                        <li class="muted">{format!("and {} smaller changes, {} together", files.omitted, signed_size(files.omitted_bytes_delta))}</li>
                    }
                </ul>
            }
            <h3>{"Layers"}</h3>
            <ol class="diff-layers" id="diff-layers">
                { for d.layers.iter().map(|l| {
                    let side = l.after.as_ref().or(l.before.as_ref());
                    let text = side.map(|s| s.instruction.clone()).unwrap_or_default();
                    let sizes = match (&l.before, &l.after) {
                        (Some(b), Some(a)) if b.size_bytes != a.size_bytes => format!("{} → {}", human_size(b.size_bytes), human_size(a.size_bytes)),
                        (_, Some(a)) => human_size(a.size_bytes),
                        (Some(b), None) => human_size(b.size_bytes),
                        (None, None) => String::new(),
                    };
                    let was = match (l.status, &l.before) {
                        (LayerStatus::Edited, Some(b)) => Some(format!("was: {}", b.instruction)),
                        _ => None,
                    };
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
                    { for d.config.iter().map(|c| html! {
                        <li><code>{&c.field}</code>{": "}{c.before.clone().unwrap_or_else(|| "(unset)".into())}{" → "}{c.after.clone().unwrap_or_else(|| "(unset)".into())}</li>
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
