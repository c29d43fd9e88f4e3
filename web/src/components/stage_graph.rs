//! The stages as boxes (name, base, size) and their dependencies as arrows: `FROM <stage>`
//! solid, `COPY --from` dashed, `RUN --mount=from=` dotted. Stages the target does not need
//! are greyed "not built". Clicking a stage shows its filesystem.

use stagecraft::plan::DependencyKind;
use stagecraft::report::human_size;
use yew::prelude::*;

use crate::engine::Simulated;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct StageGraphProps {
    pub report: Shared<Simulated>,
    pub selected: Option<usize>,
    pub on_select: Callback<Option<usize>>,
}

const W: i32 = 176;
const H: i32 = 58;
const GAP_X: i32 = 56;
const GAP_Y: i32 = 16;

#[component]
pub fn StageGraph(props: &StageGraphProps) -> Html {
    let report = &props.report;
    let stages = &report.stages;
    if stages.is_empty() {
        return html! { <p class="muted" id="stage-graph">{"No stages yet: a Dockerfile starts with FROM."}</p> };
    }
    // Columns by dependency depth (a stage only depends on earlier ones).
    let mut depth = vec![0usize; stages.len()];
    for s in stages {
        depth[s.index] = s
            .deps
            .iter()
            .filter(|d| d.stage < s.index)
            .map(|d| depth[d.stage] + 1)
            .max()
            .unwrap_or(0);
    }
    let mut row_in_col = vec![0usize; stages.len()];
    let mut col_rows: Vec<usize> = Vec::new();
    for s in stages {
        let c = depth[s.index];
        if col_rows.len() <= c {
            col_rows.resize(c + 1, 0);
        }
        row_in_col[s.index] = col_rows[c];
        col_rows[c] += 1;
    }
    let pos = |i: usize| {
        (
            8 + depth[i] as i32 * (W + GAP_X),
            8 + row_in_col[i] as i32 * (H + GAP_Y),
        )
    };
    let width = 16 + col_rows.len() as i32 * (W + GAP_X) - GAP_X;
    let height = 16 + *col_rows.iter().max().unwrap_or(&1) as i32 * (H + GAP_Y) - GAP_Y;
    let target = report.target_index;

    let mut edges = Vec::new();
    for s in stages {
        let mut seen = Vec::new();
        for d in &s.deps {
            if d.stage >= stages.len() || seen.contains(&(d.stage, d.kind)) {
                continue;
            }
            seen.push((d.stage, d.kind));
            let (x1, y1) = pos(d.stage);
            let (x2, y2) = pos(s.index);
            let (x1, y1, x2, y2) = (x1 + W, y1 + H / 2, x2, y2 + H / 2);
            let mid = (x1 + x2) / 2;
            let kind = match d.kind {
                DependencyKind::From => "from",
                DependencyKind::CopyFrom => "copy",
                DependencyKind::MountFrom => "mount",
            };
            edges.push(html! {
                <path class={classes!("edge", kind, (!s.needed).then_some("unused"))}
                      d={format!("M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}")}
                      marker-end="url(#arrow)">
                    <title>{format!("{} {} {}", stages[d.stage].label, match d.kind { DependencyKind::From => "is the base of", DependencyKind::CopyFrom => "is copied from by", DependencyKind::MountFrom => "is mounted by" }, s.label)}</title>
                </path>
            });
        }
    }

    let boxes = report.stages.iter().map(|summary| {
        let i = summary.index;
        let (x, y) = pos(i);
        let name = summary.name.clone().unwrap_or_else(|| format!("stage {i}"));
        let status = if summary.failed {
            "failed".to_string()
        } else if summary.built {
            human_size(summary.size_bytes)
        } else {
            "not built".to_string()
        };
        let is_target = target == Some(i);
        let selected = props.selected == Some(i) || (props.selected.is_none() && is_target);
        let select = props.on_select.reform(move |_| Some(i));
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_select.emit(Some(i));
                }
            })
        };
        let base = truncate(&summary.base, 24);
        html! {
            <g class={classes!("stage", (!summary.built).then_some("unbuilt"), summary.failed.then_some("failed"), is_target.then_some("target"), selected.then_some("selected"))}
               transform={format!("translate({x},{y})")} tabindex="0" role="button"
               aria-label={format!("Stage {name}, from {}, {status}{}", summary.base, if is_target { ", the target" } else { "" })}
               aria-pressed={selected.to_string()}
               data-stage={i.to_string()}
               onclick={select} {onkeydown}>
                <rect width={W.to_string()} height={H.to_string()} rx="6" />
                <text x="10" y="19" class="name">{truncate(&name, 20)}{if is_target { " ◆" } else { "" }}</text>
                <text x="10" y="35" class="base">{format!("FROM {base}")}</text>
                <text x="10" y="50" class="size">{status}</text>
            </g>
        }
    });

    html! {
        <figure class="stage-graph" id="stage-graph">
            <div class="scroll">
            <svg width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")} role="group" aria-label="Stage graph">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                </defs>
                { for edges }
                { for boxes }
            </svg>
            </div>
            <figcaption class="legend">
                <span class="key from">{"FROM stage"}</span>
                <span class="key copy">{"COPY --from"}</span>
                <span class="key mount">{"RUN --mount from"}</span>
                <span>{"◆ target · grey: not built for this target"}</span>
            </figcaption>
        </figure>
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}
