//! The JSON contract of `stagecraft simulate --format json` (../shared/GUIDE.md §5): outside
//! checks depend on it, so it is defined here, in one place, by these types. Extend, never rename.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::report::{FileReport, Report};

mod compare;

pub use compare::*;

#[derive(Serialize)]
pub struct Output {
    pub target: Option<String>,
    pub image: Option<Image>,
    pub stages: Vec<Stage>,
    pub diagnostics: Vec<Diagnostic>,
    /// `simulate --log` (an addition to the guide's contract): the BuildKit-style build log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<Log>,
    /// `simulate --previous` (an addition): which steps the cache would serve after the
    /// previous build, and why the others run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
}

#[derive(Serialize)]
pub struct Image {
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    pub base: Option<Base>,
    pub layers: Vec<Layer>,
    pub files: Vec<File>,
    pub config: Config,
}

#[derive(Serialize)]
pub struct Base {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The catalog tag used when it differs from `ref` (an addition to the guide's contract).
    pub resolved: Option<String>,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    pub known: bool,
}

#[derive(Serialize)]
pub struct Layer {
    pub line: usize,
    pub instruction: String,
    pub stage: String,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    pub wasted_bytes: u64,
}

#[derive(Serialize)]
pub struct File {
    pub path: String,
    #[serde(rename = "type")]
    pub file_type: &'static str,
    pub size_bytes: u64,
    pub mode: String,
    pub uid: u32,
    pub gid: u32,
    pub link_target: Option<String>,
    pub content: Option<String>,
    /// The line of the instruction that wrote it (an addition to the guide's contract).
    pub line: Option<usize>,
}

#[derive(Serialize)]
pub struct Config {
    pub env: BTreeMap<String, String>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub workdir: String,
    pub user: String,
    pub exposed_ports: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub volumes: Vec<String>,
    pub healthcheck: Option<Healthcheck>,
    pub stopsignal: Option<String>,
    pub shell: Vec<String>,
}

#[derive(Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub start_period: Option<String>,
    pub start_interval: Option<String>,
    pub retries: Option<u32>,
}

#[derive(Serialize)]
pub struct Stage {
    pub index: usize,
    pub name: Option<String>,
    pub base: String,
    pub built: bool,
    pub size_bytes: u64,
}

#[derive(Serialize)]
pub struct Diagnostic {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
    /// A mechanical change that resolves it, when there is one (omitted otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A suggested fix: replace each byte range of the Dockerfile (`start..end`, with 1-based
/// line/column positions) by `replacement`; the ranges refer to the original text.
#[derive(Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

#[derive(Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub replacement: String,
}

fn fix(f: &crate::diagnostics::Fix) -> Fix {
    Fix {
        title: f.title.clone(),
        edits: f
            .edits
            .iter()
            .map(|e| Edit {
                start: e.span.start,
                end: e.span.end,
                line: e.line,
                column: e.column,
                end_line: e.end_line,
                end_column: e.end_column,
                replacement: e.replacement.clone(),
            })
            .collect(),
    }
}

pub fn file(f: &FileReport) -> File {
    File {
        path: f.path.clone(),
        file_type: f.file_type.as_str(),
        size_bytes: f.size_bytes,
        mode: format!("{:04o}", f.mode),
        uid: f.uid,
        gid: f.gid,
        link_target: f.link_target.clone(),
        content: f.content.clone(),
        line: f.line,
    }
}

pub fn output(report: &Report) -> Output {
    let image = report.image.as_ref().map(|img| {
        let c = &img.config;
        Image {
            size_bytes: img.size_bytes,
            compressed_size_bytes: img.compressed_size_bytes,
            base: img.base.as_ref().map(|b| Base {
                reference: b.reference.clone(),
                resolved: b.resolved.clone(),
                size_bytes: b.size_bytes,
                compressed_size_bytes: b.compressed_size_bytes,
                known: b.known,
            }),
            layers: img
                .layers
                .iter()
                .map(|l| Layer {
                    line: l.line,
                    instruction: l.instruction.clone(),
                    stage: l.stage.clone(),
                    size_bytes: l.size_bytes,
                    compressed_size_bytes: l.compressed_size_bytes,
                    wasted_bytes: l.wasted_bytes,
                })
                .collect(),
            files: img.files.iter().map(file).collect(),
            config: Config {
                env: c.env.iter().cloned().collect(),
                entrypoint: c.entrypoint.clone(),
                cmd: c.cmd.clone(),
                workdir: c.workdir.clone(),
                user: c.user.clone(),
                exposed_ports: c.exposed_ports.iter().cloned().collect(),
                labels: c.labels.clone(),
                volumes: c.volumes.iter().cloned().collect(),
                healthcheck: c.healthcheck.as_ref().map(|h| Healthcheck {
                    test: h.test.clone(),
                    interval: h.interval.clone(),
                    timeout: h.timeout.clone(),
                    start_period: h.start_period.clone(),
                    start_interval: h.start_interval.clone(),
                    retries: h.retries,
                }),
                stopsignal: c.stopsignal.clone(),
                shell: c.shell.clone(),
            },
        }
    });
    Output {
        target: report.target.clone(),
        image,
        stages: report
            .stages
            .iter()
            .map(|s| Stage { index: s.index, name: s.name.clone(), base: s.base.clone(), built: s.built, size_bytes: s.size_bytes })
            .collect(),
        diagnostics: diagnostics(report),
        log: None,
        cache: None,
    }
}

pub fn diagnostics(report: &Report) -> Vec<Diagnostic> {
    report
        .diagnostics
        .iter()
        .map(|d| Diagnostic { severity: d.severity.as_str(), code: d.code, message: d.message.clone(), line: d.line, column: d.column, fix: d.fix.as_ref().map(fix) })
        .collect()
}

/// The contract as a JSON string.
pub fn to_json(report: &Report) -> String {
    json(&output(report))
}

/// Any part of the contract as pretty JSON.
pub fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}
