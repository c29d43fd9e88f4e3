//! What changed: the diff with a pinned baseline (`crate::diff`), the build log against the
//! simulated cache (`crate::buildlog`, `crate::cache`) and the single-stage twin
//! (`crate::twin`), each as the panel shows it.

use serde::{Deserialize, Serialize};

use super::enum_by_name;
use crate::diff::{ChangeKind, LayerStatus, StageStatus};
use crate::report::Report;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    /// Nothing differs.
    pub same: bool,
    /// (size, pull size) of the baseline's and the current image; `None`: no image.
    pub before: Option<(u64, u64)>,
    pub after: Option<(u64, u64)>,
    pub size_delta: i64,
    pub compressed_delta: i64,
    /// How many paths were added, removed and changed.
    pub counts: (usize, usize, usize),
    pub stages: Vec<StageChange>,
    /// The largest file changes, in path order.
    pub files: Vec<FileChange>,
    /// Changes left out of `files`: how many, and their bytes together.
    pub omitted: usize,
    pub omitted_bytes_delta: i64,
    pub layers: Vec<LayerChange>,
    /// Config settings that differ: (field, before, after), `None` for unset.
    pub config: Vec<(String, Option<String>, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub label: String,
    /// Its size in the baseline and now, when built.
    pub before: Option<u64>,
    pub after: Option<u64>,
    pub target: bool,
    #[serde(with = "stage_status")]
    pub status: StageStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    #[serde(with = "change_kind")]
    pub kind: ChangeKind,
    /// For a directory added or removed whole: how many paths below it are folded in.
    pub contents: usize,
    pub delta: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerChange {
    #[serde(with = "layer_status")]
    pub status: LayerStatus,
    /// The instruction now (or, for a removed layer, in the baseline).
    pub instruction: String,
    /// The instruction in the baseline, for an edited layer.
    pub was: Option<String>,
    pub before: Option<u64>,
    pub after: Option<u64>,
}

enum_by_name!(stage_status, StageStatus, [Added, Removed, NowBuilt, NoLongerBuilt, Changed, Unchanged]);
enum_by_name!(change_kind, ChangeKind, [Added, Removed, Changed]);
enum_by_name!(layer_status, LayerStatus, [Same, Resized, Edited, Added, Removed]);

/// How `current` differs from `baseline` (`crate::diff::diff`).
pub fn diff(baseline: &Report, current: &Report) -> DiffView {
    let d = crate::diff::diff(baseline, current);
    let side = |s: &Option<crate::diff::ImageSide>| s.as_ref().map(|s| (s.size_bytes, s.compressed_size_bytes));
    let built = |s: &Option<crate::diff::StageSide>| s.as_ref().filter(|x| x.built).map(|x| x.size_bytes);
    DiffView {
        same: d.is_empty(),
        before: side(&d.before),
        after: side(&d.after),
        size_delta: d.size_delta(),
        compressed_delta: d.compressed_delta(),
        counts: (d.files.added.count, d.files.removed.count, d.files.changed.count),
        stages: d
            .stages
            .iter()
            .map(|s| StageChange {
                label: s.label().to_string(),
                before: built(&s.before),
                after: built(&s.after),
                target: s.after.as_ref().or(s.before.as_ref()).is_some_and(|x| x.target),
                status: s.status,
            })
            .collect(),
        files: d
            .files
            .entries
            .iter()
            .map(|f| FileChange { path: f.path.clone(), kind: f.kind, contents: f.contents, delta: f.delta() })
            .collect(),
        omitted: d.files.omitted,
        omitted_bytes_delta: d.files.omitted_bytes_delta,
        layers: d
            .layers
            .iter()
            .map(|l| LayerChange {
                status: l.status,
                instruction: l.after.as_ref().or(l.before.as_ref()).map(|s| s.instruction.clone()).unwrap_or_default(),
                was: l.before.as_ref().filter(|_| l.status == LayerStatus::Edited).map(|b| b.instruction.clone()),
                before: l.before.as_ref().map(|s| s.size_bytes),
                after: l.after.as_ref().map(|s| s.size_bytes),
            })
            .collect(),
        config: d.config.into_iter().map(|c| (c.field, c.before, c.after)).collect(),
    }
}

/// The build log as `docker build --progress=plain` would print it after the cached build.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub entries: Vec<LogEntry>,
    /// Why the build failed, as BuildKit words it.
    pub error: Option<String>,
    /// Steps in all, from the cache, run again.
    pub steps: usize,
    pub cached: usize,
    pub rebuilt: usize,
    pub first_miss: Option<FirstMiss>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub number: usize,
    pub name: String,
    /// `DONE`, `CACHED` or `ERROR`.
    pub status: String,
    /// The error's message, for `ERROR`.
    pub message: Option<String>,
    /// `None` for BuildKit's internal steps (loading the Dockerfile, the context).
    pub stage: Option<usize>,
    pub step: Option<usize>,
    pub size_bytes: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstMiss {
    pub stage: usize,
    pub step: Option<usize>,
    pub line: usize,
    pub explanation: String,
}

/// The log of `current` (made from `source`) with the cache holding `previous`.
pub fn build_log(previous: &Report, current: &Report, source: &str) -> LogView {
    let cache = crate::cache::compare(previous, current);
    let log = crate::buildlog::build_log_cached(current, source, Some(&cache));
    let first_miss = cache.first_miss().and_then(|miss| {
        let step = cache.steps.get(miss.step)?;
        Some(FirstMiss { stage: step.stage, step: step.step, line: step.line, explanation: miss.explanation.clone() })
    });
    LogView {
        entries: log
            .entries
            .into_iter()
            .map(|e| LogEntry {
                number: e.number,
                name: e.name,
                status: e.status.as_str().to_string(),
                message: match e.status {
                    crate::buildlog::LogStatus::Error(m) => Some(m),
                    _ => None,
                },
                stage: e.stage,
                step: e.step,
                size_bytes: e.size_bytes,
            })
            .collect(),
        error: log.error.map(|e| e.message),
        steps: cache.steps.len(),
        cached: cache.cached_count(),
        rebuilt: cache.rebuilt_count(),
        first_miss,
    }
}

/// The single-stage twin and its simulated size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwinView {
    pub dockerfile: String,
    /// `None` when the twin builds no image.
    pub size: Option<u64>,
    pub base: String,
    pub stages: Vec<String>,
    pub notes: Vec<String>,
}

/// The twin of the build `input` made `report`, simulated with the same context and args;
/// the core's message when there is none.
pub fn twin(input: &crate::Simulation<'_>, report: &Report) -> Result<TwinView, String> {
    let (twin, twin_report) = crate::twin::simulate_twin(input, report)?;
    Ok(TwinView {
        dockerfile: twin.dockerfile,
        size: twin_report.image.map(|i| i.size_bytes),
        base: twin.base,
        stages: twin.stages,
        notes: twin.notes,
    })
}
