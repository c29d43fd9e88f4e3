//! What the playground shows of a simulation, as data that crosses the bridge between its two
//! wasm modules: the engine (`web-engine/`) runs the simulation and sends these as JSON, the
//! page (`web/`) renders them. Like `contract` for the CLI, this is an edge: these types carry
//! `Serialize`/`Deserialize`, the rest of the core does not. Each type holds what a panel
//! shows (owned, flat), built from a `Report` by the functions here, so the page needs no
//! simulator code to render it.
//!
//! A report stays in the engine; the page gets its `ReportView` (with the engine's `id`) and
//! asks for more by id: a stage's files (`files`), the steps (`steps`, `step_files`), the
//! diff with a baseline (`diff`), the build log against the cache (`build_log`), the
//! single-stage twin (`twin`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{apply_fix, Diagnostic, Fix, Severity, TextEdit};
use crate::plan::DependencyKind;
use crate::report::{FileReport, FileType, Report};
use crate::span::Span;

mod changes;
mod highlight;
mod steps;
#[cfg(test)]
mod tests;

pub use changes::*;
pub use highlight::*;
pub use steps::*;

/// The input of a simulation as the page keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub dockerfile: String,
    /// Context entries by relative path.
    pub files: Vec<InputFile>,
    pub build_args: BTreeMap<String, String>,
    /// The stage to build; `None` builds the last one.
    pub target: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub content: InputContent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputContent {
    Text(String),
    /// Only the size is known (`node_modules/` at 180 MB).
    Size(u64),
    Dir,
}

impl Input {
    /// The build context the core takes.
    pub fn context(&self) -> crate::BuildContext {
        let mut ctx = crate::BuildContext::new();
        for f in &self.files {
            match &f.content {
                InputContent::Text(t) => ctx.add_file(&f.path, t.as_bytes()),
                InputContent::Size(n) => ctx.add_sized_file(&f.path, *n),
                InputContent::Dir => ctx.add_dir(&f.path),
            }
        }
        ctx
    }

    /// Simulates it as `docker build` in lenient mode, with `context` (`self.context()`).
    pub fn simulate(&self, context: &crate::BuildContext) -> Report {
        crate::simulate(&self.simulation(context))
    }

    pub fn simulation<'a>(&'a self, context: &'a crate::BuildContext) -> crate::Simulation<'a> {
        crate::Simulation {
            dockerfile: &self.dockerfile,
            dockerfile_name: None,
            context,
            build_args: self.build_args.clone(),
            target: self.target.as_deref(),
            strict: false,
        }
    }
}

/// Everything the page shows of one simulation without asking again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// The engine's name for the report it keeps; 0 when nothing keeps it.
    pub id: u32,
    pub target_index: Option<usize>,
    /// The target's image; `None` when nothing could be built.
    pub image: Option<ImageSizes>,
    /// Every stage of the plan, by index.
    pub stages: Vec<StageView>,
    pub diagnostics: Vec<DiagnosticView>,
    /// The editor's syntax colours.
    pub highlight: Highlight,
    /// Context entries the ignore file leaves out, as the build applied it.
    pub ignored: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSizes {
    /// Uncompressed, as `docker image ls`.
    pub size_bytes: u64,
    /// The estimated pull size.
    pub compressed_size_bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageView {
    pub index: usize,
    /// Its name, or its index as text.
    pub label: String,
    pub name: Option<String>,
    /// The base as written: an image reference, `scratch`, or a stage label.
    pub base: String,
    /// The target needs it (BuildKit builds only those).
    pub needed: bool,
    pub built: bool,
    pub failed: bool,
    pub size_bytes: u64,
    pub deps: Vec<Dependency>,
    /// What the image panel shows of it; `None` when it was not built.
    pub image: Option<StageImage>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub stage: usize,
    #[serde(with = "dependency_kind")]
    pub kind: DependencyKind,
}

/// A built stage's image: for the target, the final image's layers (with what each hides of
/// earlier ones); for another stage, its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageImage {
    pub layers: Vec<Layer>,
    pub compressed_size_bytes: u64,
    /// The base image's reference (`scratch` for none), and whether the catalog knows it.
    pub base: String,
    pub base_known: bool,
    /// The line of the layer that is the base image (the FROM line), if any.
    pub base_line: Option<usize>,
    pub config: Config,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub line: usize,
    pub instruction: String,
    /// The label of the stage whose instruction made it.
    pub stage: String,
    pub size_bytes: u64,
    pub wasted_bytes: u64,
    pub is_base: bool,
}

/// The image config, as `docker inspect` shows how the image runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub env: Vec<(String, String)>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub workdir: String,
    pub user: String,
    pub exposed_ports: Vec<String>,
    pub labels: Vec<(String, String)>,
    pub volumes: Vec<String>,
    pub healthcheck: Option<Healthcheck>,
    pub stopsignal: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticView {
    #[serde(with = "severity")]
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// Byte offsets in the Dockerfile.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub fix: Option<FixView>,
}

/// A diagnostic's suggested change: byte-range replacements of the text it was made for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixView {
    pub title: String,
    pub edits: Vec<(usize, usize, String)>,
}

impl FixView {
    /// The text with the change made (`diagnostics::apply_fix`).
    pub fn apply(&self, source: &str) -> String {
        let edits = self.edits.iter().map(|(start, end, text)| TextEdit::new(Span::new(*start, *end), text.clone())).collect();
        apply_fix(source, &Fix::new(self.title.clone(), edits))
    }
}

/// A file of an image or stage, for the file tree and viewer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    pub path: String,
    #[serde(with = "file_type")]
    pub file_type: FileType,
    /// A file's size; for a summarised base-image directory, its contents' size.
    pub size_bytes: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub link_target: Option<String>,
    /// Known text up to `report::MAX_CONTENT_BYTES`.
    pub content: Option<String>,
    /// The line of the instruction that last wrote it.
    pub line: Option<usize>,
}

impl From<FileReport> for File {
    fn from(f: FileReport) -> File {
        File {
            path: f.path,
            file_type: f.file_type,
            size_bytes: f.size_bytes,
            mode: f.mode,
            uid: f.uid,
            gid: f.gid,
            link_target: f.link_target,
            content: f.content,
            line: f.line,
        }
    }
}

/// The view of `report`, simulated from the Dockerfile text `source`.
pub fn report(report: &Report, source: &str) -> ReportView {
    let stages = report
        .plan
        .stages
        .iter()
        .zip(&report.stages)
        .map(|(plan, summary)| StageView {
            index: plan.index,
            label: plan.label(),
            name: summary.name.clone(),
            base: summary.base.clone(),
            needed: plan.needed,
            built: summary.built,
            failed: summary.failed,
            size_bytes: summary.size_bytes,
            deps: plan.deps.iter().map(|d| Dependency { stage: d.stage, kind: d.kind }).collect(),
            image: stage_image(report, plan.index),
        })
        .collect();
    ReportView {
        id: 0,
        target_index: report.target_index,
        image: report
            .image
            .as_ref()
            .map(|i| ImageSizes { size_bytes: i.size_bytes, compressed_size_bytes: i.compressed_size_bytes }),
        stages,
        diagnostics: report.diagnostics.iter().map(diagnostic).collect(),
        highlight: highlight(&report.dockerfile, source),
        ignored: report.ignored.clone(),
    }
}

fn stage_image(report: &Report, index: usize) -> Option<StageImage> {
    let stage = report.stage(index)?;
    let label = |i: usize| report.plan.stages.get(i).map(|s| s.label()).unwrap_or_default();
    let (layers, compressed) = match (&report.image, report.target_index == Some(index)) {
        (Some(image), true) => (
            image
                .layers
                .iter()
                .map(|l| Layer {
                    line: l.line,
                    instruction: l.instruction.clone(),
                    stage: l.stage.clone(),
                    size_bytes: l.size_bytes,
                    wasted_bytes: l.wasted_bytes,
                    is_base: l.is_base,
                })
                .collect(),
            image.compressed_size_bytes,
        ),
        _ => (
            stage
                .layers
                .iter()
                .map(|l| Layer {
                    line: l.line,
                    instruction: l.text.clone(),
                    stage: label(l.stage),
                    size_bytes: l.size_bytes,
                    wasted_bytes: 0,
                    is_base: l.is_base,
                })
                .collect(),
            stage.layers.iter().map(|l| l.compressed_bytes).sum(),
        ),
    };
    let base = if stage.base.reference.is_empty() { "scratch".to_string() } else { stage.base.reference.clone() };
    let c = &stage.config;
    Some(StageImage {
        layers,
        compressed_size_bytes: compressed,
        base,
        base_known: stage.base.known,
        base_line: stage.layers.iter().find(|l| l.is_base).map(|l| l.line),
        config: Config {
            env: c.env.clone(),
            entrypoint: c.entrypoint.clone(),
            cmd: c.cmd.clone(),
            workdir: c.workdir.clone(),
            user: c.user.clone(),
            exposed_ports: c.exposed_ports.iter().cloned().collect(),
            labels: c.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            volumes: c.volumes.iter().cloned().collect(),
            healthcheck: c.healthcheck.as_ref().map(|h| Healthcheck { test: h.test.clone(), interval: h.interval.clone() }),
            stopsignal: c.stopsignal.clone(),
        },
    })
}

fn diagnostic(d: &Diagnostic) -> DiagnosticView {
    DiagnosticView {
        severity: d.severity,
        code: d.code.to_string(),
        message: d.message.clone(),
        start: d.span.start,
        end: d.span.end,
        line: d.line,
        column: d.column,
        fix: d.fix.as_ref().map(|f| FixView {
            title: f.title.clone(),
            edits: f.edits.iter().map(|e| (e.span.start, e.span.end, e.replacement.clone())).collect(),
        }),
    }
}

/// The files of stage `index` as it ends (`report::stage_files`); empty if it was not built.
pub fn files(report: &Report, index: usize) -> Vec<File> {
    report.stage(index).map(crate::report::stage_files).unwrap_or_default().into_iter().map(File::from).collect()
}

/// `serde(with)` for a core enum as its variant's name, so the enum itself derives nothing.
macro_rules! enum_by_name {
    ($module:ident, $ty:ident, [$($variant:ident),* $(,)?]) => {
        pub(crate) mod $module {
            use super::$ty;
            use serde::{Deserialize, Deserializer, Serializer};
            pub fn serialize<S: Serializer>(value: &$ty, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(match value { $($ty::$variant => stringify!($variant),)* })
            }
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                match &*name {
                    $(stringify!($variant) => Ok($ty::$variant),)*
                    other => Err(serde::de::Error::unknown_variant(other, &[$(stringify!($variant)),*])),
                }
            }
        }
    };
}
pub(crate) use enum_by_name;

enum_by_name!(severity, Severity, [Info, Warning, Error]);
enum_by_name!(file_type, FileType, [File, Dir, Symlink]);
enum_by_name!(dependency_kind, DependencyKind, [From, CopyFrom, MountFrom]);
