//! The result of a simulation: the final image (size, layers, files, config), a summary per
//! stage, the diagnostics, and the built stages themselves for views that walk them.

use crate::build::{BaseInfo, BaseKind, BuildOutput, LayerRecord, StageResult};
use crate::diagnostics::{Diagnostic, Severity};
use crate::dockerfile::Dockerfile;
use crate::image::ImageConfig;
use crate::plan::Plan;
use crate::vfs::{Fs, Node, NodeKind};

/// Text content is reported for files up to this size.
pub const MAX_CONTENT_BYTES: usize = 64 * 1024;

#[derive(Clone, Debug)]
pub struct Report {
    /// The target stage's label (its name, or its index as a string).
    pub target: Option<String>,
    pub target_index: Option<usize>,
    /// The image the target stage produces; `None` when nothing could be built.
    pub image: Option<ImageReport>,
    pub stages: Vec<StageSummary>,
    pub diagnostics: Vec<Diagnostic>,
    /// The built stages (filesystems, layers, per-instruction snapshots), by stage index.
    pub built: BuildOutput,
    pub plan: Plan,
    pub dockerfile: Dockerfile,
    /// The context entries the ignore file (`<Dockerfile>.dockerignore` or `.dockerignore`)
    /// left out of the build, in path order.
    pub ignored: Vec<String>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn stage(&self, index: usize) -> Option<&StageResult> {
        self.built.stages.get(index).and_then(Option::as_ref)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReport {
    /// Uncompressed, as `docker image ls` shows: the sum of the layers.
    pub size_bytes: u64,
    /// Estimated pull (compressed) size.
    pub compressed_size_bytes: u64,
    /// `None` for `scratch`.
    pub base: Option<BaseInfo>,
    pub layers: Vec<LayerReport>,
    pub files: Vec<FileReport>,
    pub config: ImageConfig,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerReport {
    pub line: usize,
    pub instruction: String,
    /// The label of the stage whose instruction made it.
    pub stage: String,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    pub is_base: bool,
    /// Bytes of earlier layers this layer deletes or overwrites (they still count).
    pub wasted_bytes: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    File,
    Dir,
    Symlink,
}

impl FileType {
    /// A node's type, and a symlink's target.
    pub fn of(node: &Node) -> (FileType, Option<String>) {
        match &node.kind {
            NodeKind::File { .. } => (FileType::File, None),
            NodeKind::Dir { .. } => (FileType::Dir, None),
            NodeKind::Symlink(t) => (FileType::Symlink, Some(t.clone())),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::File => "file",
            FileType::Dir => "dir",
            FileType::Symlink => "symlink",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    pub path: String,
    pub file_type: FileType,
    /// A file's size; for a summarised base-image directory, its contents' size.
    pub size_bytes: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub link_target: Option<String>,
    /// Known UTF-8 text up to `MAX_CONTENT_BYTES`.
    pub content: Option<String>,
    /// The line of the instruction that last wrote it (the FROM line for base-image files).
    pub line: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageSummary {
    pub index: usize,
    pub name: Option<String>,
    /// The base as written: an image reference, `scratch`, or a stage label.
    pub base: String,
    pub built: bool,
    pub failed: bool,
    /// The stage's image size (base plus its layers); 0 when not built.
    pub size_bytes: u64,
}

pub(crate) fn assemble(dockerfile: Dockerfile, plan: Plan, built: BuildOutput, diagnostics: Vec<Diagnostic>) -> Report {
    let stages = plan
        .stages
        .iter()
        .map(|s| {
            let result = built.stages.get(s.index).and_then(Option::as_ref);
            StageSummary {
                index: s.index,
                name: s.name.clone(),
                base: match &s.base {
                    crate::plan::Base::Scratch => "scratch".to_string(),
                    crate::plan::Base::Image(r) => r.clone(),
                    crate::plan::Base::Stage(p) => plan.stages[*p].label(),
                },
                built: result.is_some(),
                failed: result.is_some_and(|r| r.failed),
                size_bytes: result.map(|r| r.layers.iter().map(|l| l.size_bytes).sum()).unwrap_or(0),
            }
        })
        .collect();
    let target_index = plan.target;
    let image = target_index.and_then(|t| built.stages.get(t)?.as_ref()).map(|r| image_report(&plan, r));
    Report {
        target: target_index.map(|t| plan.stages[t].label()),
        target_index,
        image,
        stages,
        diagnostics,
        built,
        plan,
        dockerfile,
        ignored: Vec::new(),
    }
}

fn image_report(plan: &Plan, stage: &StageResult) -> ImageReport {
    let layers: Vec<LayerReport> = stage
        .layers
        .iter()
        .map(|l| LayerReport {
            line: 0,
            instruction: l.text.clone(),
            stage: plan.stages.get(l.stage).map(|s| s.label()).unwrap_or_default(),
            size_bytes: l.size_bytes,
            compressed_size_bytes: l.compressed_bytes,
            is_base: l.is_base,
            wasted_bytes: 0,
        })
        .collect();
    let layers = with_lines_and_waste(layers, &stage.layers);
    let size_bytes = layers.iter().map(|l| l.size_bytes).sum();
    let compressed_size_bytes = layers.iter().map(|l| l.compressed_size_bytes).sum();
    let files = stage_files(stage);
    ImageReport {
        size_bytes,
        compressed_size_bytes,
        base: (stage.base.kind != BaseKind::Scratch).then(|| stage.base.clone()),
        layers,
        files,
        config: stage.config.clone(),
    }
}

/// Fills in each layer's line and the bytes it wastes: what it deletes or replaces of the
/// layers below still ships in them.
fn with_lines_and_waste(mut out: Vec<LayerReport>, records: &[LayerRecord]) -> Vec<LayerReport> {
    use std::collections::BTreeMap;
    // Size each path had in the layer that last wrote it, as layers stack up.
    let mut live: BTreeMap<&str, u64> = BTreeMap::new();
    for (report, record) in out.iter_mut().zip(records) {
        report.line = record.line;
        let mut wasted = 0;
        for w in &record.whiteouts {
            wasted += live.remove(w.as_str()).unwrap_or(0);
            let prefix = format!("{w}/");
            let below: Vec<&str> = live.range(prefix.as_str()..).take_while(|(p, _)| p.starts_with(&prefix)).map(|(p, _)| *p).collect();
            for p in below {
                wasted += live.remove(p).unwrap_or(0);
            }
        }
        for (p, size) in &record.written {
            // Overwritten: the old copy still ships in the layer below.
            wasted += live.insert(p.as_str(), *size).unwrap_or(0);
        }
        report.wasted_bytes = wasted;
    }
    out
}

fn file_report(path: &str, node: &Node, line: Option<usize>) -> FileReport {
    let (file_type, link_target) = FileType::of(node);
    let content = node
        .content()
        .filter(|c| c.len() <= MAX_CONTENT_BYTES)
        .and_then(|c| std::str::from_utf8(c).ok())
        .map(str::to_string);
    FileReport {
        path: path.to_string(),
        file_type,
        size_bytes: node.size(),
        mode: node.mode,
        uid: node.uid,
        gid: node.gid,
        link_target,
        content,
        line,
    }
}

/// A built stage's files, each with the line of the instruction that last wrote it: the
/// target's image files, or any other stage's for views that show it.
pub fn stage_files(stage: &StageResult) -> Vec<FileReport> {
    files_at(stage, &stage.fs)
}

/// The files of one of a stage's filesystems as they were after one of its steps
/// (`build::Step::fs`, for stepping through a build), each with the line that wrote it.
pub fn files_at(stage: &StageResult, fs: &Fs) -> Vec<FileReport> {
    let line_of_layer = |id: u32| stage.layers.iter().find(|l| l.id == id).map(|l| l.line);
    fs.iter().filter(|(p, _)| *p != "/").map(|(p, n)| file_report(p, n, line_of_layer(n.layer))).collect()
}

/// `1.2 MB`-style sizes in decimal units, as `docker image ls` prints them.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value < 10.0 {
        format!("{value:.2} {}", UNITS[unit])
    } else if value < 100.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_print_like_docker() {
        for (bytes, want) in [(0, "0 B"), (999, "999 B"), (1500, "1.50 kB"), (7_800_000, "7.80 MB"), (814_000_000, "814 MB"), (45_600_000, "45.6 MB")] {
            assert_eq!(human_size(bytes), want);
        }
    }
}
