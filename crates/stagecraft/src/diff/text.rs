//! A `ReportDiff` as compact text: sizes first, then what explains them.

use std::fmt::Write as _;

use super::{ChangeKind, FileChange, LayerSide, LayerStatus, ReportDiff, StageStatus};
use crate::report::{human_size, FileType};

/// `+1.20 MB`, `-350 kB`, `±0 B`.
pub fn signed_size(delta: i64) -> String {
    match delta.signum() {
        0 => "±0 B".to_string(),
        1 => format!("+{}", human_size(delta.unsigned_abs())),
        _ => format!("-{}", human_size(delta.unsigned_abs())),
    }
}

fn change(before: u64, after: u64) -> String {
    if before == after {
        return format!("{} (unchanged)", human_size(after));
    }
    let d = super::delta(before, after);
    let percent = if before > 0 { format!(", {:+.1}%", d as f64 * 100.0 / before as f64) } else { String::new() };
    format!("{} → {} ({}{percent})", human_size(before), human_size(after), signed_size(d))
}

/// `1,234`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn render(d: &ReportDiff) -> String {
    let mut out = String::new();
    match (&d.before, &d.after) {
        (Some(a), Some(b)) => {
            let target = if a.target == b.target { a.target.clone() } else { format!("{} → {}", a.target, b.target) };
            let _ = writeln!(out, "Image (target {target}):");
            let _ = writeln!(out, "  size       {}  uncompressed", change(a.size_bytes, b.size_bytes));
            let _ = writeln!(out, "  pull size  {}  compressed, estimated", change(a.compressed_size_bytes, b.compressed_size_bytes));
            if a.base != b.base {
                let _ = writeln!(out, "  base       {} → {}", a.base, b.base);
            }
            if a.layers != b.layers {
                let _ = writeln!(out, "  layers     {} → {}", a.layers, b.layers);
            }
        }
        (None, Some(b)) => {
            let _ = writeln!(out, "Image: none before; now {} ({} to pull)", human_size(b.size_bytes), human_size(b.compressed_size_bytes));
        }
        (Some(a), None) => {
            let _ = writeln!(out, "Image: {} before; none now (the build produces no image)", human_size(a.size_bytes));
        }
        (None, None) => {
            let _ = writeln!(out, "Image: neither build produces one");
        }
    }
    if d.is_empty() {
        let _ = writeln!(out, "\nNo difference.");
        return out;
    }
    stages(d, &mut out);
    layers(d, &mut out);
    files(d, &mut out);
    if !d.config.is_empty() {
        let _ = writeln!(out, "\nConfig:");
        let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unset)".to_string());
        for c in &d.config {
            let _ = writeln!(out, "  {:<22} {} → {}", c.field, value(&c.before), value(&c.after));
        }
    }
    out
}

fn stages(d: &ReportDiff, out: &mut String) {
    if d.stages.iter().all(|s| s.status == StageStatus::Unchanged) {
        return;
    }
    let _ = writeln!(out, "\nStages:");
    for s in &d.stages {
        let label = match (&s.before, &s.after) {
            (Some(a), Some(b)) if a.label != b.label => format!("{} (was {})", b.label, a.label),
            _ => s.label().to_string(),
        };
        let base = match (&s.before, &s.after) {
            (Some(a), Some(b)) if a.base != b.base => format!("{} → {}", a.base, b.base),
            (_, Some(x)) | (Some(x), None) => x.base.clone(),
            (None, None) => String::new(),
        };
        let size = |s: &super::StageSide| if s.built { human_size(s.size_bytes) } else { "not built".to_string() };
        let sizes = match (&s.before, &s.after) {
            (Some(a), Some(b)) if a.built && b.built => change(a.size_bytes, b.size_bytes),
            (Some(a), Some(b)) => format!("{} → {}", size(a), size(b)),
            (Some(x), None) | (None, Some(x)) => size(x),
            (None, None) => String::new(),
        };
        let target = match (&s.before, &s.after) {
            (_, Some(b)) if b.target => "  <- target",
            (Some(a), _) if a.target => "  (was the target)",
            _ => "",
        };
        let _ = writeln!(out, "  {:<15} {:<16} FROM {:<30} {sizes}{target}", s.status.as_str(), label, base);
    }
}

fn layers(d: &ReportDiff, out: &mut String) {
    if d.layers.iter().all(|l| l.status == LayerStatus::Same) {
        return;
    }
    let _ = writeln!(out, "\nLayers:");
    let row = |out: &mut String, mark: char, size: String, l: &LayerSide| {
        let _ = writeln!(out, "  {mark} {size:<32} line {:<4} [{}] {}", l.line, l.stage, l.instruction);
    };
    for l in &d.layers {
        match (l.status, &l.before, &l.after) {
            (LayerStatus::Same, _, Some(b)) => row(out, '=', human_size(b.size_bytes), b),
            (LayerStatus::Resized, Some(a), Some(b)) => row(out, '~', format!("{} → {}", human_size(a.size_bytes), human_size(b.size_bytes)), b),
            (_, a, b) => {
                if let Some(a) = a {
                    row(out, '-', human_size(a.size_bytes), a);
                }
                if let Some(b) = b {
                    row(out, '+', human_size(b.size_bytes), b);
                }
            }
        }
    }
}

fn files(d: &ReportDiff, out: &mut String) {
    let f = &d.files;
    if f.entries.is_empty() && f.omitted == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\nFiles: {} paths added ({}), {} removed ({}), {} changed ({})",
        count(f.added.count),
        signed_size(f.added.delta()),
        count(f.removed.count),
        signed_size(f.removed.delta()),
        count(f.changed.count),
        signed_size(f.changed.delta())
    );
    for e in &f.entries {
        let _ = writeln!(out, "  {}", file_line(e));
    }
    if f.omitted > 0 {
        let _ = writeln!(out, "  … and {} more ({})", count(f.omitted), signed_size(f.omitted_bytes_delta));
        let mut areas: Vec<_> = f.areas.iter().collect();
        areas.sort_by_key(|a| std::cmp::Reverse(a.delta().unsigned_abs()));
        let parts: Vec<String> = areas.iter().take(6).map(|a| format!("{} {} ({})", a.path, count(a.added + a.removed + a.changed), signed_size(a.delta()))).collect();
        let _ = writeln!(out, "  by area: {}", parts.join(", "));
    }
}

fn file_line(e: &FileChange) -> String {
    let dir = |s: &super::FileSide| if s.file_type == FileType::Dir { "/" } else { "" };
    match (e.kind, &e.before, &e.after) {
        (ChangeKind::Changed, Some(a), Some(b)) => {
            let what: Vec<&str> = e.aspects.iter().map(|a| a.as_str()).collect();
            let mut details = Vec::new();
            if a.size_bytes != b.size_bytes {
                details.push(format!("{} → {}", human_size(a.size_bytes), human_size(b.size_bytes)));
            }
            if a.mode != b.mode {
                details.push(format!("mode {:04o} → {:04o}", a.mode, b.mode));
            }
            if (a.uid, a.gid) != (b.uid, b.gid) {
                details.push(format!("owner {}:{} → {}:{}", a.uid, a.gid, b.uid, b.gid));
            }
            if a.link_target != b.link_target {
                details.push(format!("-> {} → {}", a.link_target.as_deref().unwrap_or(""), b.link_target.as_deref().unwrap_or("")));
            }
            if a.file_type != b.file_type {
                details.push(format!("{} → {}", a.file_type.as_str(), b.file_type.as_str()));
            }
            let details = if details.is_empty() { what.join(", ") } else { details.join(", ") };
            format!("~ {}{}  {details}", e.path, dir(b))
        }
        (kind, a, b) => {
            let (mark, s) = if kind == ChangeKind::Added { ('+', b) } else { ('-', a) };
            let Some(s) = s else { return String::new() };
            let contents = match e.contents {
                0 => String::new(),
                1 => " (and 1 path below)".to_string(),
                n => format!(" (and {} paths below)", count(n)),
            };
            let link = s.link_target.as_ref().map(|t| format!(" -> {t}")).unwrap_or_default();
            format!("{mark} {}{}{link}{contents}  {}", e.path, dir(s), human_size(s.size_bytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_signed_sizes_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(signed_size(0), "±0 B");
        assert_eq!(signed_size(1500), "+1.50 kB");
        assert_eq!(signed_size(-7_800_000), "-7.80 MB");
    }
}
