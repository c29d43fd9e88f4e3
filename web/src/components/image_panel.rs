//! The size of the final image (or of the selected stage): uncompressed as `docker image ls`
//! shows it, the estimated pull size, base versus added, and a bar per layer with the
//! instruction that made it.

use stagecraft::report::human_size;
use yew::prelude::*;

use crate::engine::Simulated;
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct ImagePanelProps {
    pub report: Shared<Simulated>,
    /// The stage shown; the target unless another stage is selected.
    pub stage: Option<usize>,
    pub on_goto: Callback<usize>,
}

#[component]
pub fn ImagePanel(props: &ImagePanelProps) -> Html {
    let report = &props.report;
    let Some((index, view)) = props.stage.and_then(|i| Some((i, report.stages.get(i)?))) else {
        return html! { <section class="image-panel" id="image"><p class="muted" id="image-size">{"Nothing is built: see the problems under the editor."}</p></section> };
    };
    let is_target = report.target_index == Some(index);
    let label = view.label.clone();
    let Some(stage) = &view.image else {
        return html! {
            <section class="image-panel" id="image">
                <h2>{format!("Stage {label}")}</h2>
                <p class="muted" id="image-size">{"Not built: the target does not need this stage, so BuildKit skips it."}</p>
            </section>
        };
    };
    let rows = &stage.layers;
    let total: u64 = rows.iter().map(|r| r.size_bytes).sum();
    let base: u64 = rows.iter().filter(|r| r.is_base).map(|r| r.size_bytes).sum();
    let added = total - base;
    let compressed = stage.compressed_size_bytes;
    let max = rows.iter().map(|r| r.size_bytes).max().unwrap_or(0).max(1);
    let pct = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    let base_name = stage.base.clone();
    let heading = if is_target {
        format!("Final image · target {label}")
    } else {
        format!("Stage {label} (not the target)")
    };

    html! {
        <section class="image-panel" id="image" aria-live="polite">
            <h2>{heading}</h2>
            if !is_target {
                <p class="note">{"This stage's files are not in the final image unless a later stage copies them with COPY --from."}</p>
            }
            <dl class="sizes">
                <div><dt>{"Size"}</dt><dd id="image-size" title={format!("{total} bytes, uncompressed, as docker image ls shows it")}>{human_size(total)}</dd><dd class="hint">{"uncompressed, as docker image ls"}</dd></div>
                <div><dt>{"Pull size"}</dt><dd id="pull-size" title={format!("{compressed} bytes, compressed")}>{format!("≈ {}", human_size(compressed))}</dd><dd class="hint">{"compressed, estimated"}</dd></div>
                <div><dt>{"Base"}</dt><dd id="base-size">{human_size(base)}</dd><dd class="hint">{base_name}{if stage.base_known || base == 0 { "" } else { " (estimated)" }}</dd></div>
                <div><dt>{"Added"}</dt><dd id="added-size">{human_size(added)}</dd><dd class="hint">{"by this Dockerfile"}</dd></div>
            </dl>
            <div class="split" role="img" aria-label={format!("Base {:.0}%, added {:.0}%", pct(base), pct(added))}>
                <span class="base" style={format!("width:{:.2}%", pct(base))}></span>
                <span class="added" style={format!("width:{:.2}%", pct(added))}></span>
            </div>
            <h3>{"Layers"}</h3>
            <ol class="layers" id="layers">
                { for rows.iter().map(|r| {
                    let line = r.line;
                    let goto = props.on_goto.reform(move |_| line);
                    html! {
                        <li class={classes!("layer", r.is_base.then_some("base"))}>
                            <span class="bar" style={format!("width:{:.2}%", r.size_bytes as f64 * 100.0 / max as f64)}></span>
                            <span class="layer-size">{human_size(r.size_bytes)}</span>
                            <button type="button" class="link layer-line" onclick={goto} title={format!("Stage {}: go to line {line}", r.stage)}>{format!("L{line}")}</button>
                            <code class="layer-text" title={r.instruction.clone()}>{&r.instruction}</code>
                            if r.wasted_bytes > 0 {
                                <span class="wasted" title="Bytes of earlier layers this layer deletes or replaces: they still ship in those layers">{format!("hides {} of earlier layers", human_size(r.wasted_bytes))}</span>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
