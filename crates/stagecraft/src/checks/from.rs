//! BuildKit's rules about FROM lines: UndefinedArgInFrom, InvalidDefaultArgInFrom,
//! RedundantTargetPlatform and FromPlatformFlagConstDisallowed (dockerfile2llb's
//! `toDispatchState` and `validateBaseImagesWithDefaultArgs`).

use std::collections::BTreeMap;

use super::{Cx, Fix, Sink};
use crate::args;
use crate::diagnostics::Diagnostics;
use crate::dockerfile::{Instruction, InstructionKind};
use crate::expand;
use crate::span::Span;
use crate::suggest;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let plan = &cx.report.plan;
    // The global ARGs with their defaults only, as if no --build-arg were given.
    let target = plan.target.and_then(|t| plan.stages.get(t)).and_then(|s| s.name.clone()).unwrap_or_default();
    let defaults = args::global_scope(cx.dockerfile(), &BTreeMap::new(), &target, &mut Diagnostics::new(""));
    let declared: Vec<&str> = global_arg_names(cx);
    for stage in &plan.stages {
        let Some(ins) = cx.dockerfile().instructions.get(stage.from_instruction) else { continue };
        let InstructionKind::From { image, alias } = &ins.kind else { continue };
        undefined_args(cx, sink, ins, &image.value, &declared);
        if let Some(flag) = ins.flag("platform") {
            let value = flag.value.as_deref().unwrap_or("");
            undefined_args(cx, sink, ins, value, &declared);
            platform(cx, sink, ins, flag.span, value, alias.as_ref().map(|a| a.value.as_str()));
        }
        // An expansion error (`${X:?}` unset) counts as invalid, as in BuildKit.
        let invalid = image.value.contains('$')
            && expand::expand_word(&image.value, &defaults, cx.escape()).map_or(true, |e| !valid_reference(&e.value));
        if invalid {
            let message = format!("Default value for ARG {} results in empty or invalid base image name", image.value);
            sink.buildkit("InvalidDefaultArgInFrom", ins.span, message, None);
        }
    }
}

/// Names a FROM line may use: the ARGs before the first FROM and the predefined ones.
fn global_arg_names<'a>(cx: &'a Cx<'_>) -> Vec<&'a str> {
    let mut names: Vec<&str> = args::PREDEFINED.iter().map(|(k, _)| *k).collect();
    names.push("TARGETSTAGE");
    for ins in &cx.dockerfile().instructions {
        match &ins.kind {
            InstructionKind::From { .. } => break,
            InstructionKind::Arg(decls) => names.extend(decls.iter().map(|d| d.name.value.as_str())),
            _ => {}
        }
    }
    names
}

/// UndefinedArgInFrom: a variable in the FROM line that no global ARG declares.
fn undefined_args(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, word: &str, declared: &[&str]) {
    if !word.contains('$') {
        return;
    }
    let empty: BTreeMap<String, String> = BTreeMap::new();
    let Ok(e) = expand::expand_word(word, &empty, cx.escape()) else { return };
    for name in e.unset.iter().filter(|n| !declared.contains(&n.as_str())) {
        let message = suggest::wrap(format!("FROM argument '{name}' is not declared"), name, declared, true);
        sink.buildkit("UndefinedArgInFrom", ins.span, message, None);
    }
}

/// RedundantTargetPlatform and FromPlatformFlagConstDisallowed.
fn platform(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, flag: Span, value: &str, stage: Option<&str>) {
    if value == "$TARGETPLATFORM" || value == "${TARGETPLATFORM}" {
        let message = format!("Setting platform to predefined {value} in FROM is redundant as this is the default behavior");
        let fix = Fix::replace("Remove the --platform flag", with_blank_after(cx.source, flag), "");
        sink.buildkit("RedundantTargetPlatform", ins.span, message, Some(fix));
        return;
    }
    if value.is_empty() || value.contains('$') {
        return;
    }
    // A stage named after the platform (`AS build-arm64`) is meant for that one platform.
    let stage = stage.unwrap_or("").to_ascii_lowercase();
    let mut parts = value.split('/').filter(|p| !p.is_empty());
    let (os, arch) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !stage.is_empty() && ((!os.is_empty() && stage.contains(&os.to_ascii_lowercase())) || (!arch.is_empty() && stage.contains(&arch.to_ascii_lowercase()))) {
        return;
    }
    let message = format!("FROM --platform flag should not use constant value {value:?}");
    sink.buildkit("FromPlatformFlagConstDisallowed", ins.span, message, None);
}

/// The span extended over the blanks after it (deleting a flag leaves one separator).
fn with_blank_after(source: &str, span: Span) -> Span {
    let rest = source.get(span.end..).unwrap_or("");
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Span::new(span.start, span.end + blanks)
}

/// Whether `name` parses as an image reference (distribution's grammar, simplified):
/// `[host[:port]/]path[:tag][@digest]` with lower-case path components.
pub(super) fn valid_reference(name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let (rest, digest) = match name.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (name, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else { return false };
        if algo.is_empty() || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
    }
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let ok_start = t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok_start || t.len() > 128 || !t.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
            return false;
        }
    }
    let mut components: Vec<&str> = path.split('/').collect();
    if components.len() > 1 {
        let first = components[0];
        if first.contains(['.', ':']) || first == "localhost" {
            components.remove(0);
        }
    }
    components.iter().all(|c| valid_component(c))
}

fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    c.bytes().all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || b"._-".contains(&x))
}

#[cfg(test)]
mod tests {
    use super::valid_reference;

    #[test]
    fn references() {
        for ok in ["alpine", "alpine:3.20", "docker.io/library/node:22", "localhost:5000/a/b:c", "ghcr.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"] {
            assert!(valid_reference(ok), "{ok}");
        }
        for bad in ["", "busybox:", "Alpine", "a//b", ":3", "node:-x", "-a"] {
            assert!(!valid_reference(bad), "{bad}");
        }
    }
}
