//! The simulated build as BuildKit's plain progress log shows it (`docker build
//! --progress=plain`): numbered entries (`#5 [builder 2/4] RUN go build …`), the internal steps
//! first (the Dockerfile, image metadata, `.dockerignore`, the build context), then the stages
//! the target needs, dependencies first, each operation as `[stage i/n] INSTRUCTION` — n counts
//! the stage's FROM (of an image), RUN, COPY, ADD, WORKDIR and ONBUILD triggers, as
//! dockerfile2llb's `cmdTotal` does — and finally the export. Stages the target does not need
//! are not built and not printed; ENV, ARG, LABEL and the like change only the image config
//! and are not steps. Each step carries its estimated layer size; with a `CacheReport`, steps
//! the cache would serve are `CACHED`.
//!
//! Differences from a real log, on purpose: no timings (nothing runs), and RUN lines are
//! printed as written where BuildKit substitutes the values of variables it knows.

use std::fmt::Write as _;

use crate::cache::CacheReport;
use crate::catalog::Reference;
use crate::diagnostics::Severity;
use crate::dockerfile::InstructionKind;
use crate::plan::Base;
use crate::report::{human_size, Report};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildLog {
    pub entries: Vec<LogEntry>,
    /// BuildKit's closing error, when the build fails.
    pub error: Option<LogError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogError {
    /// The failed step's name, when a step failed (not the Dockerfile as a whole).
    pub step: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// `#N`, from 1.
    pub number: usize,
    /// `[internal] load build definition from Dockerfile`, `[builder 2/4] RUN go build …`.
    pub name: String,
    /// Progress lines printed under the name (`transferring context: 1.234kB done`).
    pub details: Vec<String>,
    pub status: LogStatus,
    /// The stage a step belongs to (`None` for internal entries and the export).
    pub stage: Option<usize>,
    /// Index into the stage's `StageResult::steps`; `None` for a FROM and non-step entries.
    pub step: Option<usize>,
    pub line: Option<usize>,
    /// A step's layer (a FROM's: the base image); `None` when it adds none.
    pub size_bytes: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogStatus {
    Done,
    Cached,
    Error(String),
}

impl LogStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            LogStatus::Done => "DONE",
            LogStatus::Cached => "CACHED",
            LogStatus::Error(_) => "ERROR",
        }
    }
}

/// The log of a build run from an empty cache. `dockerfile` is the text the report was made
/// from (its size is what BuildKit transfers first).
pub fn build_log(report: &Report, dockerfile: &str) -> BuildLog {
    build_log_cached(report, dockerfile, None)
}

/// The log of a build, with the steps `cache` finds cached marked `CACHED`.
pub fn build_log_cached(report: &Report, dockerfile: &str, cache: Option<&CacheReport>) -> BuildLog {
    let mut log = Log { entries: Vec::new() };
    log.push("[internal] load build definition from Dockerfile", vec![format!("transferring dockerfile: {} done", go_size(dockerfile.len() as u64))]);
    for image in images(report) {
        log.push(&format!("[internal] load metadata for {image}"), Vec::new());
    }
    log.push("[internal] load .dockerignore", vec!["transferring context: done".to_string()]);

    let context_bytes = context_bytes(report);
    let mut context_loaded = false;
    let single = report.plan.stages.len() == 1;
    let mut error = None;
    for &index in &report.plan.order {
        let (Some(plan), Some(result)) = (report.plan.stages.get(index), report.stage(index)) else { continue };
        let prefix = if single { String::new() } else { plan.name.clone().map(|n| format!("{n} ")).unwrap_or_else(|| format!("stage-{index} ")) };
        // The first step is the FROM itself; ONBUILD triggers follow at the same instruction.
        let triggers = result.steps.iter().skip(1).filter(|s| s.instruction == plan.from_instruction).count();
        let body_ops = plan
            .body
            .clone()
            .filter_map(|i| report.dockerfile.instructions.get(i))
            .filter(|ins| matches!(ins.kind, InstructionKind::Run { .. } | InstructionKind::Copy(_) | InstructionKind::Add(_) | InstructionKind::Workdir(_)))
            .count();
        let from_image = matches!(plan.base, Base::Image(_));
        let total = usize::from(from_image) + body_ops + triggers;
        let width = total.to_string().len();
        let mut counter = 0;
        let mut label = |text: &str, onbuild: bool| {
            counter += 1;
            let onbuild = if onbuild { "ONBUILD " } else { "" };
            format!("[{prefix}{counter:>width$}/{total}] {onbuild}{text}")
        };
        if let Base::Image(reference) = &plan.base {
            let canonical = Reference::parse(reference).canonical();
            let base = result.layers.iter().find(|l| l.is_base);
            let cached = cache.and_then(|c| c.step(index, None)).is_some_and(|s| s.cached);
            let size = base.map(|l| l.size_bytes).unwrap_or(0);
            let guess = if result.base.known { "" } else { ", estimated" };
            let details = vec![format!("resolve {canonical} done"), format!("base image {}{guess}", human_size(size))];
            let name = label(&format!("FROM {canonical}"), false);
            log.push_step(name, details, if cached { LogStatus::Cached } else { LogStatus::Done }, index, None, base.map(|l| l.line), Some(size));
        }
        for (j, step) in result.steps.iter().enumerate() {
            let Some(op) = &step.op else { continue };
            if !context_loaded && op.inputs.iter().any(|f| !f.path.starts_with("<<")) {
                context_loaded = true;
                log.push("[internal] load build context", vec![format!("transferring context: {} done", go_size(context_bytes))]);
            }
            // Steps at the FROM instruction are the parent stage's ONBUILD triggers.
            let name = label(&op.name, step.instruction == plan.from_instruction);
            let layer = step.layer.and_then(|id| result.layers.iter().find(|l| l.id == id && !l.is_base));
            let size = layer.map(|l| l.size_bytes);
            let failed = result.failed && j + 1 == result.steps.len();
            let cached = cache.and_then(|c| c.step(index, Some(j))).is_some_and(|s| s.cached);
            let (status, details) = if failed {
                let message = step_error(report, step.instruction).unwrap_or_else(|| "the step failed".to_string());
                error.get_or_insert_with(|| (name.clone(), message.clone()));
                (LogStatus::Error(message), Vec::new())
            } else if cached {
                (LogStatus::Cached, Vec::new())
            } else {
                let detail = match size {
                    Some(n) => format!("layer {}", human_size(n)),
                    None => "no layer: nothing changed on disk".to_string(),
                };
                (LogStatus::Done, vec![detail])
            };
            log.push_step(name, details, status, index, Some(j), Some(step.line), size);
        }
    }
    match (&report.image, &error) {
        (Some(img), None) if !report.has_errors() => {
            let layers = img.layers.len();
            log.push(
                "exporting to image",
                vec![
                    "exporting layers done".to_string(),
                    format!(
                        "writing image: {layers} layer{}, {} uncompressed, about {} to pull done",
                        if layers == 1 { "" } else { "s" },
                        human_size(img.size_bytes),
                        human_size(img.compressed_size_bytes)
                    ),
                ],
            );
        }
        _ => {}
    }
    let error = match error {
        Some((step, message)) => Some(LogError { step: Some(step), message }),
        None => report.diagnostics.iter().find(|d| d.severity == Severity::Error).map(|d| LogError { step: None, message: d.message.clone() }),
    };
    BuildLog { entries: log.entries, error }
}

struct Log {
    entries: Vec<LogEntry>,
}

impl Log {
    fn push(&mut self, name: &str, details: Vec<String>) {
        let number = self.entries.len() + 1;
        self.entries.push(LogEntry { number, name: name.to_string(), details, status: LogStatus::Done, stage: None, step: None, line: None, size_bytes: None });
    }
    #[allow(clippy::too_many_arguments)]
    fn push_step(&mut self, name: String, details: Vec<String>, status: LogStatus, stage: usize, step: Option<usize>, line: Option<usize>, size: Option<u64>) {
        let number = self.entries.len() + 1;
        self.entries.push(LogEntry { number, name, details, status, stage: Some(stage), step, line, size_bytes: size });
    }
}

/// Images whose metadata BuildKit loads: the bases of the stages it builds, then images
/// copied or mounted from, each once.
fn images(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |r: &str| {
        let c = Reference::parse(r).canonical();
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for &index in &report.plan.order {
        if let Some(Base::Image(r)) = report.plan.stages.get(index).map(|s| &s.base) {
            add(r);
        }
    }
    for &index in &report.plan.order {
        for step in report.stage(index).map(|s| s.steps.as_slice()).unwrap_or(&[]) {
            for image in step.op.iter().flat_map(|o| &o.from_images) {
                add(image);
            }
        }
    }
    out
}

/// Bytes of the context files the build reads (BuildKit transfers only those), each once.
fn context_bytes(report: &Report) -> u64 {
    let mut seen = std::collections::BTreeMap::new();
    for &index in &report.plan.order {
        for step in report.stage(index).map(|s| s.steps.as_slice()).unwrap_or(&[]) {
            for f in step.op.iter().flat_map(|o| &o.inputs).filter(|f| !f.path.starts_with("<<")) {
                seen.insert(f.path.as_str(), f.size);
            }
        }
    }
    seen.values().sum()
}

/// The first error reported inside an instruction.
fn step_error(report: &Report, instruction: usize) -> Option<String> {
    let span = report.dockerfile.instructions.get(instruction)?.span;
    report
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error && d.span.start >= span.start && d.span.start <= span.end)
        .map(|d| d.message.clone())
}

/// go-units' `HumanSize` (4 significant digits, decimal units, no space), as BuildKit prints
/// transfer sizes: `245B`, `1.234kB`, `12.35MB`.
pub fn go_size(bytes: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let digits = if value >= 1.0 { value.log10().floor() as i32 + 1 } else { 1 };
    let decimals = (4 - digits).max(0) as usize;
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    format!("{text}{}", UNITS[unit])
}

impl BuildLog {
    /// The log as `--progress=plain` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let n = e.number;
            let _ = writeln!(out, "#{n} {}", e.name);
            for d in &e.details {
                let _ = writeln!(out, "#{n} {d}");
            }
            match &e.status {
                LogStatus::Error(m) => {
                    let _ = writeln!(out, "#{n} ERROR: {m}");
                }
                s => {
                    let _ = writeln!(out, "#{n} {}", s.as_str());
                }
            }
            out.push('\n');
        }
        if let Some(err) = &self.error {
            if let Some(step) = &err.step {
                let _ = writeln!(out, "------\n > {step}:\n------");
            }
            let _ = writeln!(out, "ERROR: failed to solve: {}", err.message);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_print_like_go_units() {
        for (bytes, want) in [(0, "0B"), (2, "2B"), (245, "245B"), (1234, "1.234kB"), (12_345, "12.35kB"), (2_000_000, "2MB"), (123_456_789, "123.5MB")] {
            assert_eq!(go_size(bytes), want, "{bytes}");
        }
    }
}
