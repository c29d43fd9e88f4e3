//! The JSON contract's additions for teaching and comparing: the build log (`simulate --log`),
//! the cache simulation (`simulate --previous`), the diff of two builds (`stagecraft diff`) and
//! the single-stage twin (`stagecraft twin`). Same rules as the rest of the contract: extend,
//! never rename.

use serde::Serialize;

use super::{diagnostics, Diagnostic};
use crate::buildlog::{BuildLog, LogStatus};
use crate::cache::{CacheReport, MissReason};
use crate::diff::{FileSide, ReportDiff};
use crate::report::Report;
use crate::twin::Twin;

#[derive(Serialize)]
pub struct Log {
    pub entries: Vec<LogEntry>,
    /// BuildKit's closing error, when the build fails.
    pub error: Option<LogError>,
    /// The log as `docker build --progress=plain` prints it.
    pub text: String,
}

#[derive(Serialize)]
pub struct LogEntry {
    pub number: usize,
    pub name: String,
    pub details: Vec<String>,
    /// `DONE`, `CACHED` or `ERROR`.
    pub status: &'static str,
    pub error: Option<String>,
    /// The stage's label, for a build step.
    pub stage: Option<String>,
    pub line: Option<usize>,
    /// The step's layer (a FROM's: the base image).
    pub size_bytes: Option<u64>,
}

#[derive(Serialize)]
pub struct LogError {
    pub step: Option<String>,
    pub message: String,
}

pub fn log(report: &Report, log: &BuildLog) -> Log {
    let label = |i: usize| report.plan.stages.get(i).map(|s| s.label());
    Log {
        entries: log
            .entries
            .iter()
            .map(|e| LogEntry {
                number: e.number,
                name: e.name.clone(),
                details: e.details.clone(),
                status: e.status.as_str(),
                error: match &e.status {
                    LogStatus::Error(m) => Some(m.clone()),
                    _ => None,
                },
                stage: e.stage.and_then(label),
                line: e.line,
                size_bytes: e.size_bytes,
            })
            .collect(),
        error: log.error.as_ref().map(|e| LogError { step: e.step.clone(), message: e.message.clone() }),
        text: log.render(),
    }
}

#[derive(Serialize)]
pub struct Cache {
    pub cached: usize,
    pub rebuilt: usize,
    /// Every step of the current build, in build order.
    pub steps: Vec<CacheStep>,
    /// The first miss with a cause of its own: the one to explain. `null` when all is cached.
    pub first_miss: Option<CacheMiss>,
    /// Every miss with a cause of its own (later ones in other stages), in build order.
    pub misses: Vec<CacheMiss>,
}

#[derive(Serialize)]
pub struct CacheStep {
    pub stage: Option<String>,
    pub line: usize,
    pub name: String,
    pub cached: bool,
    /// Why it runs: `new_stage`, `base_changed`, `base_stage_rebuilt`, `files_changed`,
    /// `settings_changed`, `instruction_changed`, `instruction_added`, `instruction_removed`,
    /// `source_stage_rebuilt`, `after_miss`; `null` when cached.
    pub reason: Option<&'static str>,
}

#[derive(Serialize, Clone)]
pub struct CacheMiss {
    pub stage: Option<String>,
    pub line: usize,
    pub name: String,
    pub reason: &'static str,
    pub explanation: String,
}

fn reason_code(r: &MissReason) -> &'static str {
    match r {
        MissReason::NewStage => "new_stage",
        MissReason::BaseChanged { .. } => "base_changed",
        MissReason::BaseStageRebuilt { .. } => "base_stage_rebuilt",
        MissReason::FilesChanged { .. } => "files_changed",
        MissReason::SettingsChanged(_) => "settings_changed",
        MissReason::InstructionChanged { .. } => "instruction_changed",
        MissReason::InstructionAdded => "instruction_added",
        MissReason::InstructionRemoved { .. } => "instruction_removed",
        MissReason::SourceStageRebuilt { .. } => "source_stage_rebuilt",
        MissReason::AfterMiss => "after_miss",
    }
}

pub fn cache(report: &Report, cache: &CacheReport) -> Cache {
    let label = |i: usize| report.plan.stages.get(i).map(|s| s.label());
    let misses: Vec<CacheMiss> = cache
        .misses
        .iter()
        .filter_map(|m| {
            let s = cache.steps.get(m.step)?;
            Some(CacheMiss { stage: label(s.stage), line: s.line, name: s.name.clone(), reason: reason_code(&m.reason), explanation: m.explanation.clone() })
        })
        .collect();
    Cache {
        cached: cache.cached_count(),
        rebuilt: cache.rebuilt_count(),
        steps: cache
            .steps
            .iter()
            .map(|s| CacheStep { stage: label(s.stage), line: s.line, name: s.name.clone(), cached: s.cached, reason: s.reason.as_ref().map(reason_code) })
            .collect(),
        first_miss: misses.first().cloned(),
        misses,
    }
}

/// `stagecraft diff --format json`.
#[derive(Serialize)]
pub struct Diff {
    pub before: Option<ImageSide>,
    pub after: Option<ImageSide>,
    /// After minus before; a missing image counts as 0.
    pub size_delta_bytes: i64,
    pub compressed_delta_bytes: i64,
    pub stages: Vec<StageDiff>,
    pub layers: Vec<LayerDiff>,
    pub files: FilesDiff,
    pub config: Vec<ConfigChange>,
    /// Each build's diagnostics.
    pub diagnostics: Sides<Vec<Diagnostic>>,
}

#[derive(Serialize)]
pub struct Sides<T> {
    pub before: T,
    pub after: T,
}

#[derive(Serialize)]
pub struct ImageSide {
    pub target: String,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    pub base: String,
    pub layers: usize,
}

#[derive(Serialize)]
pub struct StageDiff {
    /// `added`, `removed`, `now built`, `no longer built`, `changed`, `unchanged`.
    pub status: &'static str,
    pub before: Option<StageSide>,
    pub after: Option<StageSide>,
}

#[derive(Serialize)]
pub struct StageSide {
    pub index: usize,
    pub label: String,
    pub base: String,
    pub built: bool,
    pub failed: bool,
    pub size_bytes: u64,
    pub target: bool,
}

#[derive(Serialize)]
pub struct LayerDiff {
    /// `same`, `resized`, `edited`, `added`, `removed`.
    pub status: &'static str,
    pub before: Option<LayerSide>,
    pub after: Option<LayerSide>,
}

#[derive(Serialize)]
pub struct LayerSide {
    pub line: usize,
    pub instruction: String,
    pub stage: String,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
}

#[derive(Serialize)]
pub struct FilesDiff {
    pub added: FileTotals,
    pub removed: FileTotals,
    pub changed: FileTotals,
    /// The largest changes, in path order; a directory added or removed whole is one entry.
    pub entries: Vec<FileChange>,
    pub omitted: usize,
    pub omitted_bytes_delta: i64,
    pub areas: Vec<AreaDiff>,
}

#[derive(Serialize)]
pub struct FileTotals {
    pub count: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

#[derive(Serialize)]
pub struct FileChange {
    pub path: String,
    /// `added`, `removed`, `changed`.
    pub change: &'static str,
    pub before: Option<FileState>,
    pub after: Option<FileState>,
    /// For a changed path: `type`, `size`, `content`, `mode`, `owner`, `link target`.
    pub aspects: Vec<&'static str>,
    /// For a directory added or removed whole: the paths below it, folded in.
    pub contents: usize,
}

#[derive(Serialize)]
pub struct FileState {
    #[serde(rename = "type")]
    pub file_type: &'static str,
    pub size_bytes: u64,
    pub mode: String,
    pub uid: u32,
    pub gid: u32,
    pub link_target: Option<String>,
}

#[derive(Serialize)]
pub struct AreaDiff {
    pub path: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

#[derive(Serialize)]
pub struct ConfigChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn file_state(s: &FileSide) -> FileState {
    FileState {
        file_type: s.file_type.as_str(),
        size_bytes: s.size_bytes,
        mode: format!("{:04o}", s.mode),
        uid: s.uid,
        gid: s.gid,
        link_target: s.link_target.clone(),
    }
}

pub fn diff(baseline: &Report, current: &Report, d: &ReportDiff) -> Diff {
    let image = |s: &crate::diff::ImageSide| ImageSide {
        target: s.target.clone(),
        size_bytes: s.size_bytes,
        compressed_size_bytes: s.compressed_size_bytes,
        base: s.base.clone(),
        layers: s.layers,
    };
    let stage = |s: &crate::diff::StageSide| StageSide {
        index: s.index,
        label: s.label.clone(),
        base: s.base.clone(),
        built: s.built,
        failed: s.failed,
        size_bytes: s.size_bytes,
        target: s.target,
    };
    let layer = |l: &crate::diff::LayerSide| LayerSide {
        line: l.line,
        instruction: l.instruction.clone(),
        stage: l.stage.clone(),
        size_bytes: l.size_bytes,
        compressed_size_bytes: l.compressed_size_bytes,
    };
    let totals = |t: &crate::diff::FileTotals| FileTotals { count: t.count, bytes_before: t.bytes_before, bytes_after: t.bytes_after };
    let f = &d.files;
    Diff {
        before: d.before.as_ref().map(image),
        after: d.after.as_ref().map(image),
        size_delta_bytes: d.size_delta(),
        compressed_delta_bytes: d.compressed_delta(),
        stages: d.stages.iter().map(|s| StageDiff { status: s.status.as_str(), before: s.before.as_ref().map(stage), after: s.after.as_ref().map(stage) }).collect(),
        layers: d.layers.iter().map(|l| LayerDiff { status: l.status.as_str(), before: l.before.as_ref().map(layer), after: l.after.as_ref().map(layer) }).collect(),
        files: FilesDiff {
            added: totals(&f.added),
            removed: totals(&f.removed),
            changed: totals(&f.changed),
            entries: f
                .entries
                .iter()
                .map(|e| FileChange {
                    path: e.path.clone(),
                    change: e.kind.as_str(),
                    before: e.before.as_ref().map(file_state),
                    after: e.after.as_ref().map(file_state),
                    aspects: e.aspects.iter().map(|a| a.as_str()).collect(),
                    contents: e.contents,
                })
                .collect(),
            omitted: f.omitted,
            omitted_bytes_delta: f.omitted_bytes_delta,
            areas: f
                .areas
                .iter()
                .map(|a| AreaDiff { path: a.path.clone(), added: a.added, removed: a.removed, changed: a.changed, bytes_before: a.bytes_before, bytes_after: a.bytes_after })
                .collect(),
        },
        config: d.config.iter().map(|c| ConfigChange { field: c.field.clone(), before: c.before.clone(), after: c.after.clone() }).collect(),
        diagnostics: Sides { before: diagnostics(baseline), after: diagnostics(current) },
    }
}

/// `stagecraft twin --format json`.
#[derive(Serialize)]
pub struct TwinOutput {
    /// The twin Dockerfile.
    pub dockerfile: String,
    /// The image it builds on.
    pub base: String,
    /// The stages inlined, in build order.
    pub stages: Vec<String>,
    /// What the twin does differently from the original.
    pub notes: Vec<String>,
    /// The original build (before) against its twin (after).
    pub diff: Diff,
}

pub fn twin(original: &Report, twin: &Twin, twin_report: &Report) -> TwinOutput {
    TwinOutput {
        dockerfile: twin.dockerfile.clone(),
        base: twin.base.clone(),
        stages: twin.stages.clone(),
        notes: twin.notes.clone(),
        diff: diff(original, twin_report, &crate::diff::diff(original, twin_report)),
    }
}
