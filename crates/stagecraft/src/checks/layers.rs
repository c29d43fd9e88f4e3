//! The simulator's checks on the final image's layers: PackageCacheInLayer,
//! CleanupSavesNothing and LargeCopyOverwritten. They read what each layer wrote and
//! deleted (`LayerRecord`), which the build records for the layer accounting.

use std::collections::BTreeMap;

use super::{text, Cx, Fix, Sink, TextEdit};
use crate::build::LayerRecord;
use crate::diagnostics::Severity;
use crate::dockerfile::{CommandForm, Instruction, InstructionKind};
use crate::report::human_size;
use crate::span::Span;

/// Deleting less than this in a later RUN is not worth a warning.
const CLEANUP_MIN_BYTES: u64 = 100_000;
/// A COPY/ADD whose overwritten files add up to less than this is not "large".
const OVERWRITE_MIN_BYTES: u64 = 1_000_000;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let Some(stage) = cx.report.plan.target.and_then(|t| cx.report.stage(t)) else { return };
    caches(cx, sink, &stage.layers);
    deletions_and_overwrites(cx, sink, &stage.layers);
}

/// The package manager or tool whose cache or lists a path belongs to.
fn cache_of(path: &str) -> Option<&'static str> {
    if let Some(rest) = path.strip_prefix("/var/lib/apt/lists/") {
        return (rest != "lock" && !rest.starts_with("partial") && !rest.is_empty()).then_some("apt's package lists (/var/lib/apt/lists)");
    }
    if path.starts_with("/var/cache/apt/") {
        return Some("apt's package cache (/var/cache/apt)");
    }
    if path.starts_with("/var/cache/apk/") {
        return Some("apk's cache (/var/cache/apk)");
    }
    if path.starts_with("/var/cache/dnf/") || path.starts_with("/var/cache/yum/") || path.starts_with("/var/cache/libdnf5/") {
        return Some("dnf's cache (/var/cache/dnf)");
    }
    if path.contains("/.cache/pip/") || path.ends_with("/.cache/pip") {
        return Some("pip's cache (~/.cache/pip)");
    }
    if path.contains("/.npm/_cacache") {
        return Some("npm's cache (~/.npm)");
    }
    if path.contains("/.cache/yarn/") {
        return Some("yarn's cache");
    }
    if path.contains("/.cache/go-build") {
        return Some("Go's build cache (~/.cache/go-build)");
    }
    None
}

fn run_instruction<'a>(cx: &'a Cx<'_>, layer: &LayerRecord) -> Option<&'a Instruction> {
    let ins = cx.dockerfile().instructions.get(layer.instruction)?;
    matches!(ins.kind, InstructionKind::Run { .. }).then_some(ins)
}

/// PackageCacheInLayer: a RUN layer of the final image that keeps a package manager's lists
/// or a download cache.
fn caches(cx: &Cx<'_>, sink: &mut Sink, layers: &[LayerRecord]) {
    for layer in layers.iter().filter(|l| !l.is_base) {
        let Some(ins) = run_instruction(cx, layer) else { continue };
        let mut found: BTreeMap<&str, u64> = BTreeMap::new();
        for (path, size) in &layer.written {
            if let Some(what) = cache_of(path) {
                *found.entry(what).or_default() += size;
            }
        }
        let command = cx.text(ins.span);
        for (what, bytes) in found.into_iter().filter(|(_, b)| *b > 0) {
            // The command cleans up, but after something the shell model could not follow:
            // trust the text over the model.
            if cleans_up(what, command) {
                continue;
            }
            let message = format!(
                "this RUN leaves {what} in its layer: {} the image does not need at run time; \
                 remove it in the same RUN, use the tool's no-cache option, or a cache mount",
                human_size(bytes)
            );
            sink.simulator("PackageCacheInLayer", Severity::Info, ins.span, message, cache_fix(cx, ins, what));
        }
    }
}

fn cleans_up(what: &str, command: &str) -> bool {
    let any = |words: &[&str]| words.iter().any(|w| command.contains(w));
    match what.split('\'').next().unwrap_or("") {
        "apt" => any(&["/var/lib/apt/lists", "dist-clean", "distclean"]),
        "apk" => any(&["/var/cache/apk", "--no-cache"]),
        "pip" => any(&["--no-cache-dir", "PIP_NO_CACHE_DIR", "pip cache purge", "/.cache/pip"]),
        "npm" => any(&["npm cache clean", "/.npm"]),
        "dnf" => any(&["dnf clean", "yum clean", "/var/cache/dnf", "/var/cache/yum"]),
        _ => false,
    }
}

/// The RUN's shell command when it is plain enough to extend: shell form, no heredoc, and
/// not ending in an operator, a continuation or a comment.
fn simple_command<'a>(cx: &Cx<'_>, ins: &'a Instruction) -> Option<Span> {
    let InstructionKind::Run { command: CommandForm::Shell(cmd), heredocs } = &ins.kind else { return None };
    if !heredocs.is_empty() {
        return None;
    }
    let raw = cx.text(cmd.span).trim_end();
    let last_line = raw.rsplit('\n').next().unwrap_or("");
    if raw.is_empty() || raw.ends_with([';', '&', '|', '\\', '`']) || last_line.contains('#') {
        return None;
    }
    Some(Span::new(cmd.span.start, cmd.span.start + raw.len()))
}

/// Inserting a no-cache option right after the only `<tool> <verb>` in the command.
fn insert_after(cx: &Cx<'_>, cmd: Span, needle: &str, option: &str, title: &str) -> Option<Fix> {
    let text = cx.text(cmd);
    if text.matches(needle).count() != 1 || text.contains(option) {
        return None;
    }
    let at = cmd.start + text.find(needle)? + needle.len();
    Some(Fix::replace(title, Span::new(at, at), format!(" {option}")))
}

fn cache_fix(cx: &Cx<'_>, ins: &Instruction, what: &str) -> Option<Fix> {
    let cmd = simple_command(cx, ins)?;
    let text = cx.text(cmd);
    if what.starts_with("apt's package lists") {
        if !text.contains("install") || text.contains("/var/lib/apt/lists") {
            return None;
        }
        let fix = Fix::replace("Remove apt's lists in the same RUN", Span::new(cmd.end, cmd.end), " && rm -rf /var/lib/apt/lists/*");
        return Some(fix);
    }
    if what.starts_with("apk's") && !text.contains("apk update") && !text.contains("apk upgrade") {
        return insert_after(cx, cmd, "apk add", "--no-cache", "Use apk add --no-cache");
    }
    if what.starts_with("pip's") {
        for needle in ["pip install", "pip3 install"] {
            if text.contains(needle) {
                return insert_after(cx, cmd, needle, "--no-cache-dir", "Use pip install --no-cache-dir");
            }
        }
    }
    None
}

/// CleanupSavesNothing (a RUN deletes what earlier layers added) and LargeCopyOverwritten
/// (a COPY/ADD whose files a later layer replaces), from the layers as they stack up.
fn deletions_and_overwrites(cx: &Cx<'_>, sink: &mut Sink, layers: &[LayerRecord]) {
    // Each live path: its size and the index of the layer that wrote it.
    let mut live: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
    // Per COPY/ADD layer: bytes replaced later, and the first layer that replaced them.
    let mut replaced: BTreeMap<usize, (u64, usize)> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        let mut deleted: BTreeMap<usize, u64> = BTreeMap::new();
        let mut examples: Vec<&str> = Vec::new();
        for w in &layer.whiteouts {
            let prefix = format!("{w}/");
            let below: Vec<&str> = std::iter::once(w.as_str())
                .filter(|p| live.contains_key(p))
                .chain(live.range(prefix.as_str()..).take_while(|(p, _)| p.starts_with(&prefix)).map(|(p, _)| *p))
                .collect();
            for p in below {
                if let Some((size, owner)) = live.remove(p) {
                    if size > 0 {
                        *deleted.entry(owner).or_default() += size;
                        if !examples.contains(&w.as_str()) {
                            examples.push(w.as_str());
                        }
                    }
                }
            }
        }
        for (p, size) in &layer.written {
            if let Some((old, owner)) = live.insert(p.as_str(), (*size, i)) {
                if old > 0 && owner != i && is_copy(cx, &layers[owner]) {
                    let e = replaced.entry(owner).or_insert((0, i));
                    e.0 += old;
                }
            }
        }
        let total: u64 = deleted.values().sum();
        if total >= CLEANUP_MIN_BYTES {
            if let Some(ins) = run_instruction(cx, layer) {
                cleanup(cx, sink, ins, layers, &deleted, total, &examples);
            }
        }
    }
    for (owner, (bytes, by)) in replaced {
        if bytes < OVERWRITE_MIN_BYTES {
            continue;
        }
        let Some(ins) = cx.dockerfile().instructions.get(layers[owner].instruction) else { continue };
        let message = format!(
            "{} of what this {} adds is replaced later (first by line {}), yet still ships in this layer; \
             copy the right files once, or narrow this copy",
            human_size(bytes),
            ins.kind.name(),
            layers[by].line
        );
        sink.simulator("LargeCopyOverwritten", Severity::Info, ins.span, message, None);
    }
}

fn is_copy(cx: &Cx<'_>, layer: &LayerRecord) -> bool {
    !layer.is_base
        && cx
            .dockerfile()
            .instructions
            .get(layer.instruction)
            .is_some_and(|i| matches!(i.kind, InstructionKind::Copy(_) | InstructionKind::Add(_)))
}

fn cleanup(
    cx: &Cx<'_>,
    sink: &mut Sink,
    ins: &Instruction,
    layers: &[LayerRecord],
    deleted: &BTreeMap<usize, u64>,
    total: u64,
    examples: &[&str],
) {
    let lines: Vec<String> = deleted.keys().map(|o| layers[*o].line.to_string()).collect();
    let message = format!(
        "this RUN deletes {} that earlier layers added ({}, from line {}): the image does not get smaller, \
         because those layers still hold the bytes; delete files in the RUN that creates them",
        human_size(total),
        describe(examples),
        lines.join(", ")
    );
    sink.simulator("CleanupSavesNothing", Severity::Warning, ins.span, message, merge_fix(cx, ins, layers, deleted));
}

/// Deleted paths in the user's terms: a package rather than where the simulator keeps its
/// files, and `dir/*` for several entries of one directory.
fn describe(paths: &[&str]) -> String {
    let shown = |p: &str| match p.strip_prefix("/var/lib/dpkg/info/").or_else(|| p.strip_prefix("/lib/apk/packages/")) {
        Some(name) if !name.contains('/') => format!("the {name} package"),
        _ => p.to_string(),
    };
    let parent = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    if paths.is_empty() {
        return String::new();
    }
    if (paths.len() > 1 || paths[0].starts_with("/var/lib/apt/lists/")) && !paths[0].starts_with("/var/lib/dpkg/info/") && paths.iter().all(|p| parent(p) == parent(paths[0])) {
        return format!("{}/*", parent(paths[0]));
    }
    let mut out: Vec<String> = paths.iter().take(3).map(|p| shown(p)).collect();
    if paths.len() > 3 {
        out.push(format!("{} more", paths.len() - 3));
    }
    out.join(", ")
}

/// When the later RUN only removes files (`rm -rf a b`) and everything it frees came from
/// one earlier RUN with a plain command, moving the `rm` into that RUN is mechanical.
fn merge_fix(cx: &Cx<'_>, ins: &Instruction, layers: &[LayerRecord], deleted: &BTreeMap<usize, u64>) -> Option<Fix> {
    let [(owner, _)] = deleted.iter().collect::<Vec<_>>()[..] else { return None };
    let earlier = run_instruction(cx, &layers[*owner])?;
    let later_cmd = simple_command(cx, ins)?;
    let rm = cx.text(later_cmd).trim();
    let plain = rm.starts_with("rm ") && !rm.contains(['\n', ';', '&', '|', '$', '`', '\\', '(', '>', '<']);
    if !plain || earlier.span.start >= ins.span.start {
        return None;
    }
    let earlier_cmd = simple_command(cx, earlier)?;
    Some(Fix::new(
        "Move the clean-up into the RUN that created the files",
        vec![
            TextEdit::new(Span::new(earlier_cmd.end, earlier_cmd.end), format!(" && {rm}")),
            TextEdit::new(text::instruction_lines(cx.source, ins), String::new()),
        ],
    ))
}
