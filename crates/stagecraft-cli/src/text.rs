//! The readable report: stages, the size summary, layers, a tree of the final image with
//! sizes, and the diagnostics.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use stagecraft::report::{human_size, FileReport, FileType, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    stages(report, &mut out);
    if let Some(img) = &report.image {
        let base = img.base.as_ref().map(|b| b.size_bytes).unwrap_or(0);
        let _ = writeln!(out, "\nImage (target {}):", report.target.as_deref().unwrap_or("?"));
        let _ = writeln!(out, "  size        {:>10}  uncompressed, as `docker image ls` shows", human_size(img.size_bytes));
        let _ = writeln!(out, "  pull size   {:>10}  compressed, estimated", human_size(img.compressed_size_bytes));
        match &img.base {
            Some(b) => {
                let resolved = b.resolved.as_ref().map(|r| format!(" (as {r})")).unwrap_or_default();
                let guess = if b.known { "" } else { ", estimated" };
                let _ = writeln!(out, "  base        {:>10}  {}{resolved}{guess}", human_size(base), b.reference);
            }
            None => {
                let _ = writeln!(out, "  base        {:>10}  scratch", human_size(0));
            }
        }
        let _ = writeln!(out, "  added       {:>10}  by the Dockerfile", human_size(img.size_bytes.saturating_sub(base)));

        let _ = writeln!(out, "\nLayers:");
        for l in &img.layers {
            let wasted = if l.wasted_bytes > 0 { format!("  ({} wasted below)", human_size(l.wasted_bytes)) } else { String::new() };
            let _ = writeln!(out, "  {:>10}  line {:<4} [{}] {}{wasted}", human_size(l.size_bytes), l.line, l.stage, l.instruction);
        }
        let _ = writeln!(out, "\nFiles:");
        tree(&img.files, &mut out);
    }
    diagnostics(report, &mut out);
    out
}

fn stages(report: &Report, out: &mut String) {
    let _ = writeln!(out, "Stages:");
    for s in &report.stages {
        let name = s.name.clone().unwrap_or_else(|| "-".to_string());
        let state = match (s.built, s.failed) {
            (true, false) => format!("built  {:>10}", human_size(s.size_bytes)),
            (true, true) => "failed".to_string(),
            (false, _) => "not built: the target does not need it".to_string(),
        };
        let target = if report.target_index == Some(s.index) { "  <- target" } else { "" };
        let _ = writeln!(out, "  {:>2} {:<16} FROM {:<28} {state}{target}", s.index, name, s.base);
    }
}

/// An indented tree with each directory's total size.
fn tree(files: &[FileReport], out: &mut String) {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for f in files {
        let mut p = f.path.as_str();
        *totals.entry(p).or_default() += f.size_bytes;
        while let Some(i) = p.rfind('/') {
            p = if i == 0 { "/" } else { &p[..i] };
            *totals.entry(p).or_default() += f.size_bytes;
            if p == "/" {
                break;
            }
        }
    }
    let _ = writeln!(out, "  {:>10}  /", human_size(totals.get("/").copied().unwrap_or(0)));
    for f in files {
        let depth = f.path.matches('/').count();
        let name = f.path.rsplit('/').next().unwrap_or("");
        let size = totals.get(f.path.as_str()).copied().unwrap_or(f.size_bytes);
        let suffix = match f.file_type {
            FileType::Dir => "/".to_string(),
            FileType::Symlink => format!(" -> {}", f.link_target.as_deref().unwrap_or("")),
            FileType::File => String::new(),
        };
        let _ = writeln!(out, "  {:>10}  {}{name}{suffix}", human_size(size), "  ".repeat(depth));
    }
}

fn diagnostics(report: &Report, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nDiagnostics:");
    for d in &report.diagnostics {
        let _ = writeln!(out, "  {:<7} {}:{}  {}: {}", d.severity.as_str(), d.line, d.column, d.code, d.message);
        if let Some(fix) = &d.fix {
            let _ = writeln!(out, "          fix: {}", fix.title);
        }
    }
}

/// After a build log with CACHED marks: how much the cache serves, and why the rest runs.
pub fn cache_summary(cache: &stagecraft::cache::CacheReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Cache: {} steps cached, {} run", cache.cached_count(), cache.rebuilt_count());
    match cache.misses.split_first() {
        None => {
            let _ = writeln!(out, "Nothing changed that a step depends on: every step comes from the cache.");
        }
        Some((first, rest)) => {
            let _ = writeln!(out, "First miss: {}", first.explanation);
            for m in rest {
                let _ = writeln!(out, "Also: {}", m.explanation);
            }
        }
    }
    out
}

/// The error diagnostics of one side of a comparison, if any.
pub fn errors(side: &str, report: &Report) -> String {
    let mut out = String::new();
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == stagecraft::Severity::Error).collect();
    if !errors.is_empty() {
        let _ = writeln!(out, "\nErrors in {side}:");
        for d in errors {
            let _ = writeln!(out, "  {}:{}  {}: {}", d.line, d.column, d.code, d.message);
        }
    }
    out
}
