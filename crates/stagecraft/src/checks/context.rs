//! BuildKit's CopyIgnoredFile: a COPY or ADD of a context path that `.dockerignore` leaves
//! out (dockerfile2llb's `validateCopySourcePath`).

use super::scope;
use super::{Cx, Sink};
use crate::dockerfile::{CopySource, InstructionKind};
use crate::dockerignore::IgnoreMatcher;
use crate::expand;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let Some(info) = cx.input.ignore else { return };
    if info.problem.is_some() || info.patterns.is_empty() {
        return;
    }
    let Ok(matcher) = IgnoreMatcher::new(&info.patterns) else { return };
    scope::walk(cx, |_, _, ins, scope| {
        let (args, cmd) = match &ins.kind {
            InstructionKind::Copy(a) => (a, "Copy"),
            InstructionKind::Add(a) => (a, "Add"),
            _ => return,
        };
        if ins.flag("from").is_some() {
            return;
        }
        for source in &args.sources {
            let CopySource::Path(word) = source else { continue };
            let Ok(e) = expand::expand_word(&word.value, scope, cx.escape()) else { continue };
            let src = e.value;
            if cmd == "Add" && (src.contains("://") || src.starts_with("git@")) {
                continue;
            }
            // BuildKit matches the path as written (`./tmp/x` against `*/tmp/*` matches, `*`
            // taking `.`), and the context transfer the clean path: either way, it warns.
            let raw = src.trim_start_matches('/');
            if matcher.is_ignored(&clean(&src)) || (!raw.is_empty() && matcher.is_ignored(raw)) {
                let message = format!("Attempting to {cmd} file {src:?} that is excluded by .dockerignore");
                sink.buildkit("CopyIgnoredFile", ins.span, message, None);
            }
        }
    });
}

/// A source path as a clean path relative to the context root.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
