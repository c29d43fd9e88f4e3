//! The page: state in a reducer, the engine's result derived from it, the panels around it.

use std::rc::Rc;

use gloo::events::EventListener;
use stagecraft::view::File;
use yew::prelude::*;

use super::{
    build_args::BuildArgs, config_panel::ConfigPanel, context_panel::ContextPanel,
    diagnostics::Diagnostics, editor::Editor, examples_menu::ExamplesMenu, file_tree::FileTree,
    file_viewer::FileViewer, image_panel::ImagePanel, share_bar::ShareBar, stage_graph::StageGraph,
    step_through::StepThrough,
    target_select::TargetSelect,
    build_log::BuildLogPanel,
    diff_view::DiffView,
    twin_view::{twin_of, TwinView},
};
use crate::browser;
use crate::engine::{self, EngineStatus, Simulated};
use crate::examples;
use crate::package_data::{self, PackageData};
use crate::share::{self, Link};
use crate::shared::Shared;
use crate::state::{Action, State};

/// `?embed` (compact, for docs pages) and `?embed&readonly`.
#[derive(Clone, Copy, PartialEq)]
struct Mode {
    embed: bool,
    readonly: bool,
}

/// The first state: the link's fragment, else the last session, else the default example.
fn initial(mode: Mode) -> State {
    let mut notice = None;
    let mut example = None;
    let from_link = match share::decode(&browser::fragment()) {
        Ok(Some(Link::Project(p))) => Some(p),
        Ok(Some(Link::Example { id, target })) => match examples::find(&id) {
            Some(e) => {
                example = Some(e.id);
                let mut p = e.project();
                if target.is_some() {
                    p.target = target;
                }
                Some(p)
            }
            None => {
                notice = Some(format!(
                    "There is no example called \"{id}\"; showing the default one."
                ));
                None
            }
        },
        Ok(None) => None,
        Err(message) => {
            notice = Some(format!("{message} Showing your last session instead."));
            None
        }
    };
    let project = from_link
        .or_else(|| {
            if mode.embed {
                None
            } else {
                browser::load_session()
            }
        })
        .unwrap_or_else(|| {
            example = Some(examples::DEFAULT);
            examples::find(examples::DEFAULT)
                .map(|e| e.project())
                .unwrap_or_default()
        });
    State {
        notice,
        example,
        ..State::new(project)
    }
}

/// Beside the editor's heading (so nothing moves when it goes): a word while the package
/// data loads, nothing once it is in, and once, if it failed, why sizes stay estimates.
fn package_status(packages: &PackageData) -> Html {
    match packages {
        PackageData::Loading => html! {
            <span class="data-status" id="package-data" role="status">{"loading package data…"}</span>
        },
        PackageData::Loaded => html! {},
        PackageData::Failed(message) => html! {
            <span class="data-status failed" id="package-data" role="status">{message}</span>
        },
    }
}

/// Where the results go, until the engine is in: a word while it loads, or why it failed.
fn engine_status(engine: &EngineStatus) -> Html {
    match engine {
        EngineStatus::Loading => html! {
            <p class="muted engine-status" id="engine-status" role="status">{"Loading the simulator…"}</p>
        },
        EngineStatus::Ready => html! {},
        EngineStatus::Failed(message) => html! {
            <p class="engine-status failed" id="engine-status" role="alert">{message}</p>
        },
    }
}

#[component]
pub fn App() -> Html {
    let mode = *use_memo((), |_| Mode {
        embed: browser::query_has("embed"),
        readonly: browser::query_has("readonly"),
    });
    let state = use_reducer(move || initial(mode));
    let ready = state.engine == EngineStatus::Ready;
    // The engine's result; empty until the engine is in. A new generation of package data
    // (it arrived, or failed) recomputes it too.
    let report: Shared<Simulated> = Shared(use_memo(
        (state.project.clone(), state.packages.clone(), state.engine.clone()),
        |(p, _, _)| engine::simulate(&p.input()).unwrap_or_default(),
    ));
    // The cached build's report, only while the log is open; the cache usually holds the
    // project as it opened, so it is simulated again only when Build or a new project moves it.
    let same_as_built = Rc::ptr_eq(&state.built, &state.project);
    let built_report = use_memo(
        (
            state.built.clone(),
            state.packages.clone(),
            state.engine.clone(),
            state.log_open && !same_as_built,
        ),
        |(built, _, _, needed)| {
            needed
                .then(|| engine::simulate(&built.input()))
                .flatten()
                .map(|r| Shared(Rc::new(r)))
        },
    );
    let previous = match (state.log_open, same_as_built) {
        (false, _) => None,
        (true, true) => Some(report.clone()),
        (true, false) => (*built_report).clone(),
    };
    // Stepping: every step (only while the panel is open), the current one (clamped: an
    // edit may leave fewer) and its files.
    let stepping = use_memo((report.clone(), state.step), |(r, step)| {
        let views = step.map(|_| engine::steps(r)).unwrap_or_default();
        let at = step.filter(|_| !views.is_empty()).map(|i| i.min(views.len() - 1));
        let files = at.map(|i| Rc::new(engine::step_files(r, i)));
        (Rc::new(views), at, files)
    });
    let (steps, step, step_files) = (stepping.0.clone(), stepping.1, stepping.2.clone());
    let current_step = step.and_then(|i| steps.get(i));
    // What-ifs: the pinned baseline's report (simulated again only when it or the package
    // data changes) and its diff with the current one; the single-stage twin while shown.
    let pinned_report = use_memo(
        (
            state.pinned.as_ref().map(|b| b.project.clone()),
            state.packages.clone(),
            state.engine.clone(),
        ),
        |(pinned, _, _)| {
            pinned
                .as_ref()
                .and_then(|p| engine::simulate(&p.input()))
                .map(Rc::new)
        },
    );
    let diff = use_memo((report.clone(), Shared(pinned_report)), |(r, pinned)| {
        (*pinned.0)
            .as_ref()
            .and_then(|b| engine::diff(b, r))
            .map(Rc::new)
    });
    let twin = use_memo((report.clone(), state.twin_open), |(r, open)| {
        open.then(|| Rc::new(twin_of(&state.project, r)))
    });
    let shown = state
        .selected_stage
        .filter(|i| *i < report.stages.len())
        .or(report.target_index);
    let files: Rc<Vec<File>> = use_memo((report.clone(), shown), |(r, s)| {
        s.map(|i| engine::files(r, i)).unwrap_or_default()
    });
    let ignored = use_memo(report.clone(), |r| r.ignored.clone());
    // While stepping, the file tree shows the current step's files instead.
    let tree_stage = current_step.map(|s| s.stage).or(shown);
    let base_line = tree_stage
        .and_then(|i| report.stages.get(i)?.image.as_ref()?.base_line);
    let tree_files = match step_files {
        Some(f) if current_step.is_some() => f,
        _ => files.clone(),
    };
    let caption = current_step.map(|s| {
        AttrValue::from(format!(
            "after step {} of {} (stage {}, line {})",
            step.unwrap_or(0) + 1,
            steps.len(),
            s.stage_label,
            s.line
        ))
    });
    let current_lines = current_step.map(|s| (s.line, s.last_line));
    let goto = use_state(|| None::<(usize, u32)>);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };

    // Side effects: the engine (fetched once, after the first render) and then the package
    // data, the session in local storage, the fragment once the state moved on from the
    // link, links pasted into this tab, and the embedding page's iframe height.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                // One after the other: on a slow link the first result comes sooner when the
                // package data does not share the bandwidth with the engine.
                let status = engine::load().await;
                let ready = status == EngineStatus::Ready;
                dispatch.emit(Action::Engine(status));
                dispatch.emit(Action::PackageData(if ready {
                    package_data::load().await
                } else {
                    PackageData::Failed("No package data without the simulator.".to_string())
                }));
            });
        });
    }
    // The project a link opened: once the user edits it, the fragment no longer describes
    // the page and is dropped (Copy link makes a new one).
    let link_project = use_mut_ref(|| state.project.clone());
    {
        let link_project = link_project.clone();
        use_effect_with(state.project.clone(), move |project| {
            if !mode.embed {
                browser::save_session(project);
                if *project != *link_project.borrow() && !browser::fragment().is_empty() {
                    browser::replace_fragment("");
                }
            }
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    match share::decode(&browser::fragment()) {
                        Ok(Some(Link::Project(p))) => {
                            *link_project.borrow_mut() = Rc::new(p.clone());
                            dispatch.emit(Action::Load(p));
                        }
                        Ok(Some(Link::Example { id, .. })) => {
                            if let Some(e) = examples::find(&id) {
                                *link_project.borrow_mut() = Rc::new(e.project());
                                dispatch.emit(Action::LoadExample(e.id));
                            }
                        }
                        Ok(None) => {}
                        Err(message) => dispatch.emit(Action::Notify(Some(message))),
                    }
                })
            });
            move || drop(listener)
        });
    }
    use_effect_with(
        (
            report.clone(),
            state.selected_stage,
            state.viewed_file.clone(),
            state.editing.clone(),
            state.notice.clone(),
        ),
        move |_| {
            if mode.embed {
                browser::post_height();
            }
        },
    );
    // The host page may resize the iframe's width, which changes the content's height.
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .filter(|_| mode.embed)
            .map(|w| EventListener::new(&w, "resize", |_| browser::post_height()));
        move || drop(listener)
    });

    let on_goto = {
        let goto = goto.clone();
        Callback::from(move |line: usize| goto.set(Some((line, goto.map_or(0, |g| g.1 + 1)))))
    };
    let on_edit = dispatch.reform(Action::SetDockerfile);
    let on_select = dispatch.reform(Action::SelectStage);
    let on_view = dispatch.reform(Action::ViewFile);
    let on_target = dispatch.reform(Action::SetTarget);
    let close_viewer = dispatch.reform(|_| Action::ViewFile(None));
    let dismiss = dispatch.reform(|_| Action::Notify(None));
    let back_to_image = dispatch.reform(|_| Action::SelectStage(None));
    let config = shown
        .and_then(|i| report.stages.get(i)?.image.as_ref())
        .map(|s| s.config.clone());
    let multi_stage = report.stages.len() > 1;
    let twin_open = state.twin_open;
    let not_target = shown.is_some() && shown != report.target_index;

    html! {
        <div id="app" class={classes!("app", mode.embed.then_some("embed"))} data-ready={(state.engine != EngineStatus::Loading).then_some("1")} data-engine={state.engine.as_str()} data-packages={state.packages.as_str()}>
            <header class="top">
                <h1>{"Stagecraft"}</h1>
                <p class="tagline">{"What would "}<code>{"docker build"}</code>{" produce? Simulated in your browser: no Docker, no server."}</p>
                if mode.embed {
                    <a class="open-full" href={format!("./#{}", share::encode(&state.project))} target="_blank" rel="noopener">{"Open in Stagecraft ↗"}</a>
                } else {
                    <ShareBar project={state.project.clone()} />
                }
            </header>
            if let Some(notice) = &state.notice {
                <div class="notice" role="alert" id="notice">
                    <span>{notice}</span>
                    <button type="button" class="icon" onclick={dismiss} aria-label="Dismiss">{"×"}</button>
                </div>
            }
            if !mode.embed {
                <ExamplesMenu current={state.example} dispatch={dispatch.clone()} />
            }
            <main class="panes">
                <div class="pane left">
                    <section class="editor-pane">
                        <h2><label for="dockerfile">{"Dockerfile"}</label>{ package_status(&state.packages) }</h2>
                        <Editor project={state.project.clone()} report={report.clone()} readonly={mode.readonly} on_change={on_edit} goto={*goto} current={current_lines} />
                        if ready {
                            <Diagnostics report={report.clone()} on_goto={on_goto.clone()} on_fix={dispatch.reform(Action::ApplyFix)} readonly={mode.readonly} />
                        }
                    </section>
                    <BuildLogPanel report={report.clone()} {previous} open={state.log_open} dispatch={dispatch.clone()} on_goto={on_goto.clone()} />
                    if !mode.embed {
                        <ContextPanel project={state.project.clone()} editing={state.editing.clone()} {ignored} readonly={mode.readonly} dispatch={dispatch.clone()} />
                    }
                </div>
                if !ready {
                    <div class="pane right">
                        <section class="stages" aria-label="Stages">
                            <h2>{"Stages"}</h2>
                            { engine_status(&state.engine) }
                        </section>
                    </div>
                } else {
                <div class="pane right">
                    <section class="stages" aria-label="Stages">
                        <h2>{"Stages"}</h2>
                        <StageGraph report={report.clone()} selected={current_step.map(|s| s.stage).or(state.selected_stage)} on_select={on_select} />
                        if !mode.embed {
                            <div class="inputs">
                                <TargetSelect report={report.clone()} target={state.project.target.clone()} on_change={on_target} />
                                <BuildArgs project={state.project.clone()} dispatch={dispatch.clone()} />
                            </div>
                        }
                    </section>
                    if not_target {
                        <button type="button" class="back" id="show-final" onclick={back_to_image}>{"← Show the final image"}</button>
                    }
                    <div class="whatif" id="whatif">
                        if state.pinned.is_some() {
                            <button type="button" id="pin" aria-pressed="true" onclick={dispatch.reform(|_| Action::Unpin)} title="Stop comparing with the baseline">{"Unpin baseline"}</button>
                        } else {
                            <button type="button" id="pin" aria-pressed="false" onclick={dispatch.reform(|_| Action::Pin)} title="Keep this result to compare: edit, or open another example, and see what changes">{"Pin as baseline"}</button>
                        }
                        if multi_stage {
                            <button type="button" id="twin" aria-pressed={state.twin_open.to_string()} onclick={dispatch.reform(move |_| Action::ShowTwin(!twin_open))} title="Build everything the target needs in one stage, to see what multi-stage saves">{"Single-stage twin"}</button>
                        }
                        <span class="hint">{"What if? Pin this result, then change something."}</span>
                    </div>
                    if let (Some(diff), Some(baseline)) = ((*diff).clone(), &state.pinned) {
                        <DiffView {diff} label={AttrValue::from(baseline.label.clone())} dispatch={dispatch.clone()} />
                    }
                    if let Some(twin) = (*twin).clone() {
                        <TwinView report={report.clone()} {twin} dispatch={dispatch.clone()} />
                    }
                    <ImagePanel report={report.clone()} stage={shown} on_goto={on_goto.clone()} />
                    <StepThrough current={state.step} steps={steps.clone()} dispatch={dispatch.clone()} />
                    <FileTree files={tree_files.clone()} {base_line} viewed={state.viewed_file.clone()} {on_view} on_goto={on_goto.clone()} {caption} />
                    if let Some(path) = &state.viewed_file {
                        <FileViewer files={tree_files.clone()} path={path.clone()} on_close={close_viewer} />
                    }
                    if let Some(config) = config {
                        if !mode.embed { <ConfigPanel {config} /> }
                    }
                </div>
                }
            </main>
        </div>
    }
}
