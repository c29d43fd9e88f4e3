//! The page's state and every change to it: a `Reducible` with an `Action` enum, so each
//! change is a pure function, tested on the host.

use std::rc::Rc;

use yew::Reducible;

use crate::engine::EngineStatus;
use crate::examples;
use crate::package_data::PackageData;
use crate::project::{BuildArg, Content, Project};

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// What is simulated; shared by links and kept in local storage.
    pub project: Rc<Project>,
    /// The stage whose filesystem the file tree shows; `None` shows the target's image.
    pub selected_stage: Option<usize>,
    /// The file of the image or stage whose content is shown.
    pub viewed_file: Option<String>,
    /// The context file open in the context editor.
    pub editing: Option<String>,
    /// A problem to tell the user (a broken share link, a refused rename).
    pub notice: Option<String>,
    /// The example last loaded, for the menu.
    pub example: Option<&'static str>,
    /// The engine (the simulator), loaded after the first render: no report before it.
    pub engine: EngineStatus,
    /// The package data fetched once the engine is in: the report is derived from it too.
    pub packages: PackageData,
    /// The simulated build cache: the project as it was last built ("Build", or opening a
    /// project, which builds it once). The build log compares the current build against
    /// it, as Docker compares against the layers it has.
    pub built: Rc<Project>,
    /// The build log is open: the log and the cache comparison are computed only then.
    pub log_open: bool,
    /// Stepping through the build: the current step, an index into `stagecraft::steps::steps`
    /// (clamped by the view when an edit leaves fewer steps). `None`: not stepping.
    pub step: Option<usize>,
    /// A result pinned for a what-if: the page shows how the current one differs from it.
    /// It stays while other projects (examples, links) are opened.
    pub pinned: Option<Baseline>,
    /// The single-stage twin's numbers are shown (and computed).
    pub twin_open: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub project: Rc<Project>,
    /// What it was, for the diff's heading: an example's title, or "your Dockerfile".
    pub label: String,
}

impl State {
    pub fn new(project: Project) -> State {
        let project = Rc::new(project);
        State {
            built: project.clone(),
            log_open: false,
            step: None,
            pinned: None,
            twin_open: false,
            project,
            selected_stage: None,
            viewed_file: None,
            editing: None,
            notice: None,
            example: None,
            engine: EngineStatus::Loading,
            packages: PackageData::Loading,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SetDockerfile(String),
    /// Applies a diagnostic's suggested fix to the Dockerfile. The fix's ranges refer to the
    /// text the report was made from, which is the current text (the report follows it).
    ApplyFix(stagecraft::view::FixView),
    /// Adds a file (text or size) or a folder; an existing path is replaced.
    PutEntry {
        path: String,
        content: Content,
    },
    /// Adds many entries at once (files dropped or picked from the desktop).
    PutEntries(Vec<(String, Content)>),
    /// Changes the text of an existing file.
    SetFileText {
        path: String,
        text: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
    Edit(Option<String>),
    AddBuildArg,
    SetBuildArg {
        index: usize,
        name: String,
        value: String,
    },
    RemoveBuildArg(usize),
    SetTarget(Option<String>),
    SelectStage(Option<usize>),
    ViewFile(Option<String>),
    /// Replaces the whole project (a share link, local storage, dropped files).
    Load(Project),
    LoadExample(&'static str),
    Notify(Option<String>),
    /// The engine is in (or failed to load).
    Engine(EngineStatus),
    /// The package data arrived (or did not): the report is recomputed.
    PackageData(PackageData),
    /// "Build": the current project becomes the build cache.
    Build,
    ShowLog(bool),
    /// Starts (at the first step) or stops stepping through the build.
    Stepping(bool),
    /// Moves to another step; `count` is how many steps the current build has.
    Step { to: StepMove, count: usize },
    /// Pins the current project as the baseline of a what-if.
    Pin,
    Unpin,
    /// Opens the pinned project in the editor again (it stays pinned).
    OpenBaseline,
    ShowTwin(bool),
    /// Opens the single-stage twin (made by the core from the current project) in the
    /// editor, with the current project pinned as the baseline to compare it with.
    OpenTwin(Project),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepMove {
    First,
    Previous,
    Next,
    Last,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

impl State {
    /// A newly opened project: built once (the cache holds it), with the page's panels as
    /// they were and a step-through starting again at the first step.
    fn opened(&self, project: Project) -> State {
        State {
            engine: self.engine.clone(),
            packages: self.packages.clone(),
            log_open: self.log_open,
            step: self.step.map(|_| 0),
            pinned: self.pinned.clone(),
            ..State::new(project)
        }
    }

    /// What the current project is, in a few words: the example's title, if it came from one.
    fn label(&self) -> String {
        match self.example.and_then(examples::find) {
            Some(e) if e.project() == *self.project => e.title.to_string(),
            Some(e) => format!("{} (edited)", e.title),
            None => "your Dockerfile".to_string(),
        }
    }

    fn project_mut(&mut self) -> &mut Project {
        Rc::make_mut(&mut self.project)
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SetDockerfile(text) => {
                if self.project.dockerfile != text {
                    self.project_mut().dockerfile = text;
                }
            }
            Action::ApplyFix(fix) => {
                let text = fix.apply(&self.project.dockerfile);
                if self.project.dockerfile != text {
                    self.project_mut().dockerfile = text;
                }
            }
            Action::PutEntry { path, content } => match self.project_mut().put(&path, content) {
                Some(clean) => {
                    self.notice = None;
                    self.editing = Some(clean);
                }
                None => {
                    self.notice = Some(format!(
                        "\"{path}\" is not a path inside the build context."
                    ))
                }
            },
            Action::PutEntries(entries) => {
                let mut refused = Vec::new();
                for (path, content) in entries {
                    if self.project_mut().put(&path, content).is_none() {
                        refused.push(path);
                    }
                }
                self.notice = (!refused.is_empty()).then(|| {
                    format!(
                        "Not added (not a path inside the build context): {}",
                        refused.join(", ")
                    )
                });
            }
            Action::SetFileText { path, text } => {
                if self
                    .project
                    .file(&path)
                    .is_some_and(|f| f.content != Content::Text(text.clone()))
                {
                    self.project_mut().put(&path, Content::Text(text));
                }
            }
            Action::Rename { from, to } => match self.project_mut().rename(&from, &to) {
                Some(clean) => {
                    self.notice = None;
                    if self.editing.as_deref() == Some(from.as_str()) {
                        self.editing = Some(clean);
                    }
                }
                None => self.notice = Some(format!("Cannot rename \"{from}\" to \"{to}\".")),
            },
            Action::Delete(path) => {
                self.project_mut().remove(&path);
                if self
                    .editing
                    .as_ref()
                    .is_some_and(|e| *e == path || e.starts_with(&format!("{path}/")))
                {
                    self.editing = None;
                }
            }
            Action::Edit(path) => self.editing = path,
            Action::AddBuildArg => self.project_mut().build_args.push(BuildArg::default()),
            Action::SetBuildArg { index, name, value } => {
                if let Some(arg) = self.project_mut().build_args.get_mut(index) {
                    *arg = BuildArg { name, value };
                }
            }
            Action::RemoveBuildArg(index) => {
                if index < self.project.build_args.len() {
                    self.project_mut().build_args.remove(index);
                }
            }
            Action::SetTarget(target) => {
                self.project_mut().target = target.filter(|t| !t.is_empty());
                self.selected_stage = None;
                self.viewed_file = None;
            }
            Action::SelectStage(stage) => {
                // Choosing a stage to look at leaves the step-through, whose files it replaces.
                self.step = None;
                if self.selected_stage != stage {
                    self.selected_stage = stage;
                    self.viewed_file = None;
                }
            }
            Action::ViewFile(path) => self.viewed_file = path,
            Action::Load(project) => {
                *self = State {
                    notice: self.notice.take(),
                    ..self.opened(project)
                };
            }
            Action::LoadExample(id) => {
                if let Some(example) = examples::find(id) {
                    *self = State {
                        example: Some(example.id),
                        ..self.opened(example.project())
                    };
                }
            }
            Action::Notify(notice) => self.notice = notice,
            Action::Engine(engine) => self.engine = engine,
            Action::PackageData(packages) => self.packages = packages,
            Action::Build => self.built = self.project.clone(),
            Action::ShowLog(open) => self.log_open = open,
            Action::Stepping(on) => {
                if on != self.step.is_some() {
                    self.step = on.then_some(0);
                }
            }
            Action::Pin => {
                self.pinned = Some(Baseline {
                    project: self.project.clone(),
                    label: self.label(),
                })
            }
            Action::Unpin => self.pinned = None,
            Action::OpenBaseline => {
                if let Some(baseline) = &self.pinned {
                    let project = (*baseline.project).clone();
                    *self = self.opened(project);
                }
            }
            Action::ShowTwin(open) => self.twin_open = open,
            Action::OpenTwin(twin) => {
                let baseline = Baseline {
                    project: self.project.clone(),
                    label: self.label(),
                };
                *self = State {
                    pinned: Some(baseline),
                    ..self.opened(twin)
                };
            }
            Action::Step { to, count } => {
                if let Some(current) = self.step {
                    let last = count.saturating_sub(1);
                    let current = current.min(last);
                    self.step = Some(match to {
                        StepMove::First => 0,
                        StepMove::Previous => current.saturating_sub(1),
                        StepMove::Next => (current + 1).min(last),
                        StepMove::Last => last,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(state: State, actions: impl IntoIterator<Item = Action>) -> State {
        let mut s = Rc::new(state);
        for a in actions {
            s = s.reduce(a);
        }
        (*s).clone()
    }

    fn start() -> State {
        State::new(Project::new(
            "FROM alpine:3.22\nCOPY . /app\n",
            &[("src/main.go", "package main")],
        ))
    }

    #[test]
    fn a_suggested_fix_edits_the_dockerfile_and_its_diagnostic_goes() {
        let project = Project::new("from alpine:3.22 as Builder\nrun true\n", &[]);
        let state = State::new(project.clone());
        let report = |s: &State| {
            let input = s.project.input();
            stagecraft::view::report(&input.simulate(&input.context()), &input.dockerfile)
        };
        let casing = |s: &State| report(s).diagnostics.into_iter().find(|d| d.code == "StageNameCasing");
        let fix = casing(&state).and_then(|d| d.fix).expect("StageNameCasing has a fix");
        let fixed = reduce(state, [Action::ApplyFix(fix)]);
        assert_eq!(fixed.project.dockerfile, "from alpine:3.22 as builder\nrun true\n");
        assert!(casing(&fixed).is_none());
    }

    #[test]
    fn an_unchanged_state_is_the_same_rc() {
        let s = Rc::new(start());
        let same = s
            .clone()
            .reduce(Action::SetDockerfile(s.project.dockerfile.clone()));
        assert!(Rc::ptr_eq(&s, &same));
        let same = s.clone().reduce(Action::SetFileText {
            path: "missing".into(),
            text: "x".into(),
        });
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn editing_the_context() {
        let s = reduce(
            start(),
            [
                Action::PutEntry {
                    path: "./docs/".into(),
                    content: Content::Dir,
                },
                Action::PutEntry {
                    path: "node_modules".into(),
                    content: Content::Size(180_000_000),
                },
                Action::Rename {
                    from: "src".into(),
                    to: "cmd".into(),
                },
                Action::SetFileText {
                    path: "cmd/main.go".into(),
                    text: "package x".into(),
                },
            ],
        );
        let files: Vec<(&str, &Content)> = s
            .project
            .files
            .iter()
            .map(|f| (f.path.as_str(), &f.content))
            .collect();
        assert_eq!(
            files,
            [
                ("cmd/main.go", &Content::Text("package x".into())),
                ("docs", &Content::Dir),
                ("node_modules", &Content::Size(180_000_000)),
            ]
        );
        assert_eq!(s.editing.as_deref(), Some("node_modules"));
        let s = reduce(
            s,
            [
                Action::Edit(Some("cmd/main.go".into())),
                Action::Delete("cmd".into()),
            ],
        );
        assert_eq!(s.editing, None);
        assert_eq!(s.project.files.len(), 2);
    }

    #[test]
    fn many_entries_at_once() {
        let s = reduce(
            start(),
            [Action::PutEntries(vec![
                ("site/index.html".into(), Content::Text("<h1>".into())),
                ("site/logo.png".into(), Content::Size(20_000)),
                ("/".into(), Content::Dir),
            ])],
        );
        assert_eq!(s.project.files.len(), 3);
        assert!(s.notice.as_deref().unwrap().contains("Not added"));
    }

    #[test]
    fn bad_paths_and_renames_explain_themselves() {
        let s = reduce(
            start(),
            [Action::PutEntry {
                path: "../x".into(),
                content: Content::Dir,
            }],
        );
        assert!(s.notice.as_deref().unwrap().contains("not a path inside"));
        let s = reduce(
            s,
            [Action::Rename {
                from: "src".into(),
                to: "src/deeper".into(),
            }],
        );
        assert!(s.notice.as_deref().unwrap().contains("Cannot rename"));
        assert_eq!(s.project.files[0].path, "src/main.go");
    }

    #[test]
    fn build_args() {
        let s = reduce(
            start(),
            [
                Action::AddBuildArg,
                Action::AddBuildArg,
                Action::SetBuildArg {
                    index: 1,
                    name: "V".into(),
                    value: "2".into(),
                },
                Action::RemoveBuildArg(0),
                Action::RemoveBuildArg(7),
                Action::SetBuildArg {
                    index: 9,
                    name: "X".into(),
                    value: "".into(),
                },
            ],
        );
        assert_eq!(
            s.project.build_args,
            [BuildArg {
                name: "V".into(),
                value: "2".into()
            }]
        );
    }

    #[test]
    fn target_and_selection() {
        let s = reduce(
            start(),
            [
                Action::SelectStage(Some(0)),
                Action::ViewFile(Some("/app/x".into())),
            ],
        );
        assert_eq!(
            (s.selected_stage, s.viewed_file.as_deref()),
            (Some(0), Some("/app/x"))
        );
        let s = reduce(s, [Action::SetTarget(Some("dev".into()))]);
        assert_eq!(
            (
                s.project.target.as_deref(),
                s.selected_stage,
                s.viewed_file.as_deref()
            ),
            (Some("dev"), None, None)
        );
        let s = reduce(s, [Action::SetTarget(Some(String::new()))]);
        assert_eq!(s.project.target, None);
    }

    #[test]
    fn loading_replaces_everything_but_a_notice() {
        let s = reduce(
            start(),
            [
                Action::Notify(Some("link broken".into())),
                Action::SelectStage(Some(1)),
            ],
        );
        let s = reduce(s, [Action::Load(Project::new("FROM scratch", &[]))]);
        assert_eq!(s.project.dockerfile, "FROM scratch");
        assert_eq!(s.selected_stage, None);
        assert_eq!(s.notice.as_deref(), Some("link broken"));
        let s = reduce(s, [Action::LoadExample("go-scratch")]);
        assert_eq!(s.example, Some("go-scratch"));
        assert!(s.project.dockerfile.contains("FROM scratch"));
        let s2 = reduce(s.clone(), [Action::LoadExample("no-such-example")]);
        assert_eq!(s2, s);
    }

    #[test]
    fn package_data_is_a_new_state_and_outlives_loading_a_project() {
        let s = Rc::new(start());
        assert_eq!(s.packages, PackageData::Loading);
        let loaded = s.clone().reduce(Action::PackageData(PackageData::Loaded));
        assert!(!Rc::ptr_eq(&s, &loaded));
        assert_eq!(loaded.project, s.project);
        let s = reduce(
            (*loaded).clone(),
            [
                Action::Load(Project::new("FROM scratch", &[])),
                Action::LoadExample("go-scratch"),
            ],
        );
        assert_eq!(s.packages, PackageData::Loaded);
    }

    #[test]
    fn the_cache_is_the_last_build() {
        let s = start();
        // Opening a project builds it once.
        assert_eq!(s.built, s.project);
        let s = reduce(s, [Action::SetDockerfile("FROM alpine:3.22\nCOPY . /srv\n".into())]);
        assert!(s.built.dockerfile.contains("/app"));
        assert_eq!(s.project.dockerfile, "FROM alpine:3.22\nCOPY . /srv\n");
        let s = reduce(s, [Action::Build]);
        assert_eq!(s.built, s.project);
        // Another project: built once, the log stays open.
        let s = reduce(s, [Action::ShowLog(true), Action::LoadExample("java-multi")]);
        assert_eq!(s.built, s.project);
        assert!(s.log_open);
        let s = reduce(s, [Action::Load(Project::new("FROM scratch", &[]))]);
        assert_eq!(s.built.dockerfile, "FROM scratch");
    }

    #[test]
    fn stepping_moves_within_the_build() {
        let count = 5;
        let step = |s: &State, to| reduce(s.clone(), [Action::Step { to, count }]).step;
        let s = start();
        // Not stepping: moves do nothing.
        assert_eq!(step(&s, StepMove::Next), None);
        let s = reduce(s, [Action::Stepping(true)]);
        assert_eq!(s.step, Some(0));
        assert_eq!(step(&s, StepMove::Previous), Some(0));
        assert_eq!(step(&s, StepMove::Next), Some(1));
        assert_eq!(step(&s, StepMove::Last), Some(4));
        let s = reduce(s, [Action::Step { to: StepMove::Last, count }]);
        assert_eq!(step(&s, StepMove::Next), Some(4));
        assert_eq!(step(&s, StepMove::First), Some(0));
        // An edit left fewer steps: moves start from the last one there is.
        let s2 = reduce(s.clone(), [Action::Step { to: StepMove::Previous, count: 2 }]);
        assert_eq!(s2.step, Some(0));
        // Starting again while stepping keeps the place; stopping forgets it.
        assert_eq!(reduce(s.clone(), [Action::Stepping(true)]).step, Some(4));
        assert_eq!(reduce(s.clone(), [Action::Stepping(false)]).step, None);
        // A new project starts again at the first step; choosing a stage stops stepping.
        assert_eq!(reduce(s.clone(), [Action::LoadExample("go-scratch")]).step, Some(0));
        assert_eq!(reduce(s, [Action::SelectStage(Some(0))]).step, None);
    }

    #[test]
    fn a_pinned_baseline_stays_while_other_projects_open() {
        let s = reduce(State::new(Project::default()), [Action::LoadExample("java-single"), Action::Pin]);
        let pinned = s.pinned.clone().unwrap();
        assert_eq!(pinned.label, "Java in one stage");
        assert_eq!(pinned.project, s.project);
        let s = reduce(s, [Action::LoadExample("java-multi")]);
        assert_eq!(s.pinned.as_ref(), Some(&pinned));
        assert!(s.project.dockerfile.contains("AS build"));
        let s = reduce(s, [Action::SetDockerfile("FROM scratch\n".into()), Action::Load(Project::new("FROM alpine:3.22", &[]))]);
        assert_eq!(s.pinned.as_ref(), Some(&pinned));
        // Back to the baseline, still pinned; then unpinned.
        let s = reduce(s, [Action::OpenBaseline]);
        assert_eq!(s.project, pinned.project);
        assert_eq!(s.built, pinned.project);
        assert_eq!(s.pinned.as_ref(), Some(&pinned));
        assert_eq!(reduce(s, [Action::Unpin]).pinned, None);
        // An edited example says so; anything else is "your Dockerfile".
        let s = reduce(State::new(Project::default()), [Action::LoadExample("go-scratch"), Action::SetDockerfile("FROM scratch\n".into()), Action::Pin]);
        assert_eq!(s.pinned.unwrap().label, "Go into scratch (edited)");
        let s = reduce(start(), [Action::Pin]);
        assert_eq!(s.pinned.unwrap().label, "your Dockerfile");
        assert_eq!(reduce(start(), [Action::OpenBaseline]), start());
    }

    #[test]
    fn opening_the_twin_pins_the_original() {
        let s = reduce(
            State::new(Project::default()),
            [Action::LoadExample("java-multi"), Action::ShowTwin(true)],
        );
        assert!(s.twin_open);
        let original = s.project.clone();
        let twin = Project {
            dockerfile: "FROM maven:3-eclipse-temurin-21\n".into(),
            ..(*original).clone()
        };
        let s = reduce(s, [Action::OpenTwin(twin.clone())]);
        assert_eq!(*s.project, twin);
        assert_eq!(s.example, None);
        assert!(!s.twin_open);
        let pinned = s.pinned.unwrap();
        assert_eq!(pinned.project, original);
        assert_eq!(pinned.label, "Java: builder pattern, multi-stage");
    }
}
