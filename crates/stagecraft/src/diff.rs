//! What changed between two simulations, for a "what if" view: a baseline's report against
//! the current one. Total sizes (uncompressed and estimated pull size), each stage (matched by
//! name, else by index), the final image's layers (matched in order by instruction text), its
//! files (`diff/files.rs`: added, removed and changed, a wholly added or removed directory
//! folded into one entry, only the largest changes listed) and its config.
//!
//! Pure and cheap: it walks the two final filesystems once, side by side (both sorted by
//! path), and compares nodes without hashing contents, so a view can run it per keystroke.

mod files;
mod text;

use crate::image::ImageConfig;
use crate::report::{LayerReport, Report, StageSummary};

pub use files::{AreaDiff, Aspect, ChangeKind, FileChange, FileSide, FileTotals, FilesDiff, LARGEST_FILES};
pub use text::signed_size;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportDiff {
    /// The baseline's final image; `None` when it built none.
    pub before: Option<ImageSide>,
    pub after: Option<ImageSide>,
    /// Every stage of either build: the current build's in order, then those it no longer has.
    pub stages: Vec<StageDiff>,
    /// The final images' layers, aligned: unchanged instructions pair up, the others show as
    /// edited (an instruction replaced in place), added or removed.
    pub layers: Vec<LayerDiff>,
    pub files: FilesDiff,
    pub config: Vec<ConfigChange>,
}

/// One side's final image in brief.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSide {
    /// The target stage's label.
    pub target: String,
    /// Uncompressed, as `docker image ls` shows.
    pub size_bytes: u64,
    /// Estimated pull size.
    pub compressed_size_bytes: u64,
    /// The base image as written, or `scratch`.
    pub base: String,
    pub layers: usize,
}

impl ReportDiff {
    /// Change in the uncompressed size (a missing image counts as 0).
    pub fn size_delta(&self) -> i64 {
        delta(self.before.as_ref().map_or(0, |s| s.size_bytes), self.after.as_ref().map_or(0, |s| s.size_bytes))
    }
    /// Change in the estimated pull size.
    pub fn compressed_delta(&self) -> i64 {
        delta(self.before.as_ref().map_or(0, |s| s.compressed_size_bytes), self.after.as_ref().map_or(0, |s| s.compressed_size_bytes))
    }
    /// Nothing that the diff looks at differs.
    pub fn is_empty(&self) -> bool {
        self.before == self.after
            && self.stages.iter().all(|s| s.status == StageStatus::Unchanged)
            && self.layers.iter().all(|l| l.status == LayerStatus::Same)
            && self.files.entries.is_empty()
            && self.config.is_empty()
    }
    /// The diff as compact text (`stagecraft diff`).
    pub fn render(&self) -> String {
        text::render(self)
    }
}

pub fn delta(before: u64, after: u64) -> i64 {
    (i128::from(after) - i128::from(before)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageDiff {
    pub before: Option<StageSide>,
    pub after: Option<StageSide>,
    pub status: StageStatus,
}

impl StageDiff {
    /// The current label, else the baseline's.
    pub fn label(&self) -> &str {
        self.after.as_ref().or(self.before.as_ref()).map(|s| s.label.as_str()).unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageSide {
    pub index: usize,
    /// Its name, or its index as a string.
    pub label: String,
    /// The base as written: an image, `scratch` or a stage label.
    pub base: String,
    pub built: bool,
    pub failed: bool,
    /// The stage's image size (base plus layers); 0 when not built.
    pub size_bytes: u64,
    pub target: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    /// Only in the current build.
    Added,
    /// Only in the baseline.
    Removed,
    /// Built now, skipped before (the target did not need it).
    NowBuilt,
    /// Built before, skipped now.
    NoLongerBuilt,
    /// Its base, size, failure or target role differs.
    Changed,
    Unchanged,
}

impl StageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StageStatus::Added => "added",
            StageStatus::Removed => "removed",
            StageStatus::NowBuilt => "now built",
            StageStatus::NoLongerBuilt => "no longer built",
            StageStatus::Changed => "changed",
            StageStatus::Unchanged => "unchanged",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerDiff {
    pub before: Option<LayerSide>,
    pub after: Option<LayerSide>,
    pub status: LayerStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerSide {
    pub line: usize,
    pub instruction: String,
    pub stage: String,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerStatus {
    /// Same instruction, same size.
    Same,
    /// Same instruction, another size (its inputs changed).
    Resized,
    /// Another instruction in its place.
    Edited,
    Added,
    Removed,
}

impl LayerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LayerStatus::Same => "same",
            LayerStatus::Resized => "resized",
            LayerStatus::Edited => "edited",
            LayerStatus::Added => "added",
            LayerStatus::Removed => "removed",
        }
    }
}

/// One config setting that differs: `ENV NAME`, `LABEL key`, `USER`, `WORKDIR`, `ENTRYPOINT`,
/// `CMD`, `EXPOSE` (one change per port), `VOLUME` (one per volume), `HEALTHCHECK`,
/// `STOPSIGNAL`, `SHELL`. Lists are shown as JSON arrays; `None` is unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Compares `current` with `baseline`.
pub fn diff(baseline: &Report, current: &Report) -> ReportDiff {
    let side = |r: &Report| {
        r.image.as_ref().map(|img| ImageSide {
            target: r.target.clone().unwrap_or_default(),
            size_bytes: img.size_bytes,
            compressed_size_bytes: img.compressed_size_bytes,
            base: img.base.as_ref().map(|b| b.reference.clone()).unwrap_or_else(|| "scratch".to_string()),
            layers: img.layers.len(),
        })
    };
    fn image_fs(r: &Report) -> Option<&crate::vfs::Fs> {
        r.image.as_ref().and(r.target_index).and_then(|t| r.stage(t)).map(|s| &s.fs)
    }
    fn layers_of(r: &Report) -> &[LayerReport] {
        r.image.as_ref().map(|i| i.layers.as_slice()).unwrap_or(&[])
    }
    fn config_of(r: &Report) -> Option<&ImageConfig> {
        r.image.as_ref().map(|i| &i.config)
    }
    let no_config = ImageConfig::default();
    ReportDiff {
        before: side(baseline),
        after: side(current),
        stages: stages(baseline, current),
        layers: layers(layers_of(baseline), layers_of(current)),
        files: files::diff(image_fs(baseline), image_fs(current)),
        config: match (config_of(baseline), config_of(current)) {
            (None, None) => Vec::new(),
            (a, b) => config(a.unwrap_or(&no_config), b.unwrap_or(&no_config)),
        },
    }
}

fn stage_side(report: &Report, s: &StageSummary) -> StageSide {
    StageSide {
        index: s.index,
        label: s.name.clone().unwrap_or_else(|| s.index.to_string()),
        base: s.base.clone(),
        built: s.built,
        failed: s.failed,
        size_bytes: s.size_bytes,
        target: report.target_index == Some(s.index),
    }
}

/// Stages pair up by name first; the rest by index (a stage renamed, or given a name, in
/// place). The current order leads; stages only the baseline had follow.
fn stages(baseline: &Report, current: &Report) -> Vec<StageDiff> {
    let (old, new) = (&baseline.stages, &current.stages);
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    for (i, s) in new.iter().enumerate() {
        let Some(name) = &s.name else { continue };
        if let Some(j) = old.iter().position(|o| o.name.as_ref() == Some(name)) {
            if !taken[j] {
                partner[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    for i in 0..new.len() {
        if partner[i].is_none() && i < old.len() && !taken[i] {
            // A name still used elsewhere in the current file is that stage, not this one.
            let renamed_away = old[i].name.as_ref().is_some_and(|n| new.iter().any(|s| s.name.as_ref() == Some(n)));
            if !renamed_away {
                partner[i] = Some(i);
                taken[i] = true;
            }
        }
    }
    let mut out = Vec::new();
    for (i, s) in new.iter().enumerate() {
        let after = stage_side(current, s);
        let before = partner[i].map(|j| stage_side(baseline, &old[j]));
        let status = match &before {
            None => StageStatus::Added,
            Some(b) if b.built && !after.built => StageStatus::NoLongerBuilt,
            Some(b) if !b.built && after.built => StageStatus::NowBuilt,
            Some(b) if (b.base.as_str(), b.size_bytes, b.failed, b.target) != (after.base.as_str(), after.size_bytes, after.failed, after.target) => StageStatus::Changed,
            Some(_) => StageStatus::Unchanged,
        };
        out.push(StageDiff { before, after: Some(after), status });
    }
    for (_, s) in old.iter().enumerate().filter(|(j, _)| !taken[*j]) {
        out.push(StageDiff { before: Some(stage_side(baseline, s)), after: None, status: StageStatus::Removed });
    }
    out
}

fn layer_side(l: &LayerReport) -> LayerSide {
    LayerSide { line: l.line, instruction: l.instruction.clone(), stage: l.stage.clone(), size_bytes: l.size_bytes, compressed_size_bytes: l.compressed_size_bytes }
}

/// Aligns the layers by their instruction text (longest common subsequence; images have
/// tens of layers). Between two aligned pairs, runs of equal length pair up as edits, since
/// that is how a changed line looks; otherwise they show as removed, then added.
fn layers(old: &[LayerReport], new: &[LayerReport]) -> Vec<LayerDiff> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: the longest common run of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i].instruction == new[j].instruction { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut gap_old, mut gap_new): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<LayerDiff>, gap_old: &mut Vec<usize>, gap_new: &mut Vec<usize>| {
        if gap_old.len() == gap_new.len() {
            for (&a, &b) in gap_old.iter().zip(gap_new.iter()) {
                out.push(LayerDiff { before: Some(layer_side(&old[a])), after: Some(layer_side(&new[b])), status: LayerStatus::Edited });
            }
        } else {
            for &a in gap_old.iter() {
                out.push(LayerDiff { before: Some(layer_side(&old[a])), after: None, status: LayerStatus::Removed });
            }
            for &b in gap_new.iter() {
                out.push(LayerDiff { before: None, after: Some(layer_side(&new[b])), status: LayerStatus::Added });
            }
        }
        gap_old.clear();
        gap_new.clear();
    };
    while i < n || j < m {
        if i < n && j < m && old[i].instruction == new[j].instruction {
            flush(&mut out, &mut gap_old, &mut gap_new);
            let status = if old[i].size_bytes == new[j].size_bytes { LayerStatus::Same } else { LayerStatus::Resized };
            out.push(LayerDiff { before: Some(layer_side(&old[i])), after: Some(layer_side(&new[j])), status });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            gap_new.push(j);
            j += 1;
        } else {
            gap_old.push(i);
            i += 1;
        }
    }
    flush(&mut out, &mut gap_old, &mut gap_new);
    out
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn config(a: &ImageConfig, b: &ImageConfig) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    let mut push = |field: String, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(ConfigChange { field, before, after });
        }
    };
    for (k, v) in &b.env {
        push(format!("ENV {k}"), a.env_var(k).map(str::to_string), Some(v.clone()));
    }
    for (k, v) in a.env.iter().filter(|(k, _)| b.env_var(k).is_none()) {
        push(format!("ENV {k}"), Some(v.clone()), None);
    }
    let user = |c: &ImageConfig| Some(c.user.clone()).filter(|u| !u.is_empty());
    push("USER".into(), user(a), user(b));
    push("WORKDIR".into(), Some(a.workdir.clone()), Some(b.workdir.clone()));
    push("ENTRYPOINT".into(), a.entrypoint.as_deref().map(json_list), b.entrypoint.as_deref().map(json_list));
    push("CMD".into(), a.cmd.as_deref().map(json_list), b.cmd.as_deref().map(json_list));
    for p in a.exposed_ports.symmetric_difference(&b.exposed_ports) {
        push("EXPOSE".into(), a.exposed_ports.contains(p).then(|| p.clone()), b.exposed_ports.contains(p).then(|| p.clone()));
    }
    let keys: std::collections::BTreeSet<&String> = a.labels.keys().chain(b.labels.keys()).collect();
    for k in keys {
        push(format!("LABEL {k}"), a.labels.get(k).cloned(), b.labels.get(k).cloned());
    }
    for v in a.volumes.symmetric_difference(&b.volumes) {
        push("VOLUME".into(), a.volumes.contains(v).then(|| v.clone()), b.volumes.contains(v).then(|| v.clone()));
    }
    let health = |c: &ImageConfig| {
        c.healthcheck.as_ref().map(|h| {
            let mut text = json_list(&h.test);
            let options = [("interval", &h.interval), ("timeout", &h.timeout), ("start-period", &h.start_period), ("start-interval", &h.start_interval)];
            for (name, value) in options {
                if let Some(v) = value {
                    text.push_str(&format!(" --{name}={v}"));
                }
            }
            if let Some(r) = h.retries {
                text.push_str(&format!(" --retries={r}"));
            }
            text
        })
    };
    push("HEALTHCHECK".into(), health(a), health(b));
    push("STOPSIGNAL".into(), a.stopsignal.clone(), b.stopsignal.clone());
    push("SHELL".into(), Some(json_list(&a.shell)), Some(json_list(&b.shell)));
    out
}
