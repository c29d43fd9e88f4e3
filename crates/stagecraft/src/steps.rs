//! Stepping through a build, instruction by instruction, for tutorials: each step's stage,
//! line, the filesystem right after it (`build::Step::fs`, a cheap persistent snapshot) and a
//! short explanation of what it did ("COPY --from=builder copied 1 file, 2.00 MB, from stage
//! builder"). Steps come in build order: the stages the target needs, dependencies first.

use std::collections::BTreeMap;

use crate::build::{LayerRecord, Step};
use crate::report::{human_size, Report};
use crate::vfs::Fs;

#[derive(Clone, Debug)]
pub struct StepView<'a> {
    pub stage: usize,
    /// The stage's label (its name, or its index).
    pub stage_label: String,
    /// Index into `Dockerfile::instructions` (an ONBUILD trigger has its stage's FROM).
    pub instruction: usize,
    pub line: usize,
    /// The instruction as one line.
    pub text: &'a str,
    /// What it did, in a sentence that starts with its keyword.
    pub explanation: String,
    /// The stage's files right after it.
    pub fs: &'a Fs,
    /// The bytes of the layer it added, if any (a FROM's: the base image).
    pub layer_bytes: Option<u64>,
    /// It failed, and the stage stopped there.
    pub failed: bool,
}

/// Every step of the build, in build order.
pub fn steps(report: &Report) -> Vec<StepView<'_>> {
    let mut out = Vec::new();
    for &index in &report.plan.order {
        let (Some(plan), Some(result)) = (report.plan.stages.get(index), report.stage(index)) else { continue };
        let label = plan.label();
        for (j, step) in result.steps.iter().enumerate() {
            let layer = step.layer.and_then(|id| result.layers.iter().find(|l| l.id == id));
            let failed = result.failed && j + 1 == result.steps.len() && j > 0;
            out.push(StepView {
                stage: index,
                stage_label: label.clone(),
                instruction: step.instruction,
                line: step.line,
                text: &step.text,
                explanation: explain(step, layer, failed),
                fs: &step.fs,
                layer_bytes: layer.map(|l| l.size_bytes),
                failed,
            });
        }
    }
    out
}

/// Step `index` of `steps` (its stage and files) without explaining every step.
pub fn step_at(report: &Report, index: usize) -> Option<(usize, &Fs)> {
    report
        .plan
        .order
        .iter()
        .filter(|&&i| report.plan.stages.get(i).is_some())
        .filter_map(|&i| Some((i, report.stage(i)?)))
        .flat_map(|(i, result)| result.steps.iter().map(move |step| (i, &step.fs)))
        .nth(index)
}

/// The instruction's keyword as written in upper case, with `--from=…` for a COPY from
/// elsewhere: "COPY --from=builder".
fn head(text: &str) -> String {
    let mut words = text.split_whitespace();
    let keyword = words.next().unwrap_or("").to_ascii_uppercase();
    match words.find(|w| w.starts_with("--from=")) {
        Some(from) if keyword == "COPY" || keyword == "ADD" => format!("{keyword} {from}"),
        _ => keyword,
    }
}

fn explain(step: &Step, layer: Option<&LayerRecord>, failed: bool) -> String {
    let head = head(&step.text);
    if failed {
        return format!("{head} failed: the build stops here (see the diagnostics)");
    }
    if head == "FROM" {
        return format!("FROM starts the stage from {}", step.summary);
    }
    if head == "RUN" {
        return format!("RUN {}", run_effect(step, layer));
    }
    if step.summary.is_empty() {
        return head;
    }
    format!("{head} {}", step.summary)
}

/// What a RUN did to the filesystem, from the layer it left: files written, bytes, where most
/// of them went, what it removed.
fn run_effect(step: &Step, layer: Option<&LayerRecord>) -> String {
    let note = step.summary.strip_prefix("ran the command").unwrap_or("").to_string();
    let Some(layer) = layer else {
        return format!("changed nothing in the image{note}");
    };
    let files: Vec<&(String, u64)> = layer.written.iter().filter(|(p, _)| step.fs.get(p).is_some_and(|n| !n.is_dir() || n.size() > 0)).collect();
    let dirs = layer.written.len() - files.len();
    let mut by_dir: BTreeMap<String, u64> = BTreeMap::new();
    for (p, n) in &files {
        let dir: Vec<&str> = crate::vfs::parent(p).split('/').filter(|s| !s.is_empty()).take(2).collect();
        let key = if dir.len() > 1 { format!("/{}/{}", dir[0], dir[1]) } else { format!("/{}", dir.first().copied().unwrap_or("")) };
        *by_dir.entry(key).or_default() += n;
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = match (files.len(), dirs) {
        (0, 0) => "wrote no files".to_string(),
        (0, d) => format!("created {}", plural(d, "directory", "directories")),
        (f, _) => format!("wrote {}, {}", plural(f, "file", "files"), human_size(layer.size_bytes)),
    };
    if let Some((dir, bytes)) = by_dir.iter().max_by_key(|(_, b)| **b) {
        if files.len() > 1 && *bytes * 2 > layer.size_bytes && layer.size_bytes > 0 {
            text.push_str(&format!(", most of it under {dir}"));
        }
    }
    if !layer.whiteouts.is_empty() {
        let n = layer.whiteouts.len();
        text.push_str(&format!("; removed {n} path{} (still shipped in the layers below)", if n == 1 { "" } else { "s" }));
    }
    text + &note
}
