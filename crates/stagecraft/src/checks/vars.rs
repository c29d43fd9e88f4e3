//! BuildKit's rules about variables and what a stage sets: UndefinedVar,
//! WorkdirRelativePath and SecretsUsedInArgOrEnv (dockerfile2llb's dispatch functions).

use super::scope::{self, Scope};
use super::{text, Cx, Fix, Sink, TextEdit};
use crate::dockerfile::{CopySource, Instruction, InstructionKind, Word};
use crate::expand;
use crate::span::Span;
use crate::suggest;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    scope::walk(cx, |_, _, ins, scope| {
        undefined(cx, sink, ins, scope);
        match &ins.kind {
            InstructionKind::Workdir(word) => workdir(cx, sink, ins, word, scope),
            InstructionKind::Env(pairs) => {
                for kv in pairs {
                    secret_key(sink, "ENV", &kv.key);
                }
            }
            InstructionKind::Arg(decls) => {
                for d in decls {
                    secret_key(sink, "ARG", &d.name);
                }
            }
            _ => {}
        }
    });
}

/// The words BuildKit expands for an instruction (shell and exec forms of RUN, CMD and
/// ENTRYPOINT are left to the shell or not expanded at all), with the flags it expands.
fn expanded_words(ins: &Instruction) -> Vec<&Word> {
    match &ins.kind {
        InstructionKind::Copy(c) | InstructionKind::Add(c) => c
            .sources
            .iter()
            .filter_map(|s| match s {
                CopySource::Path(w) => Some(w),
                CopySource::Heredoc(_) => None,
            })
            .chain(std::iter::once(&c.dest))
            .collect(),
        InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => pairs.iter().flat_map(|kv| [&kv.key, &kv.value]).collect(),
        InstructionKind::Arg(decls) => decls.iter().filter_map(|d| d.default.as_ref()).collect(),
        InstructionKind::Expose(words) | InstructionKind::Volume(words) => words.iter().collect(),
        InstructionKind::Workdir(w) | InstructionKind::User(w) | InstructionKind::Stopsignal(w) => vec![w],
        _ => Vec::new(),
    }
}

/// UndefinedVar: a variable that is neither set (base image ENV, ENV, ARG with a value)
/// nor declared by an ARG of the stage. Not checked when the base image's ENV is only the
/// simulator's estimate: a variable it does not list may well exist.
fn undefined(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, scope: &Scope) {
    if !scope.base_known {
        return;
    }
    let words = expanded_words(ins);
    let mut flags: Vec<String> = Vec::new();
    if matches!(ins.kind, InstructionKind::Copy(_) | InstructionKind::Add(_)) {
        flags = ["chown", "chmod"].iter().filter_map(|f| ins.flag(f)?.value.clone()).collect();
    }
    let mut names: Vec<String> = Vec::new();
    for raw in words.iter().map(|w| w.value.as_str()).chain(flags.iter().map(String::as_str)) {
        if !raw.contains('$') {
            continue;
        }
        if let Ok(e) = expand::expand_word(raw, scope, cx.escape()) {
            for n in e.unset {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
    }
    let keys = scope.keys();
    for name in names {
        if scope.declared.contains(&name) || name.starts_with("BUILDKIT_SBOM_SCAN_") {
            continue;
        }
        let hint = suggest::did_you_mean(&name, &keys, true);
        let mut message = format!("Usage of undefined variable '${name}'");
        if let Some(h) = &hint {
            message.push_str(&format!(" (did you mean ${h}?)"));
        }
        // Point at the first reference; a typo with a close match gets a fix.
        let refs: Vec<Span> = words
            .iter()
            .filter(|w| text::word_is_verbatim(cx.source, w))
            .flat_map(|w| text::var_refs(&w.value, &name, cx.escape()).into_iter().map(|r| Span::new(w.span.start + r.start, w.span.start + r.end)))
            .collect();
        let span = refs.first().copied().unwrap_or(ins.span);
        let fix = hint.filter(|_| !refs.is_empty()).map(|h| {
            let edits = refs.iter().map(|r| TextEdit::new(*r, h.clone())).collect();
            Fix::new(format!("Use ${h}"), edits)
        });
        sink.buildkit("UndefinedVar", span, message, fix);
    }
}

/// WorkdirRelativePath: a relative WORKDIR before any WORKDIR in the stage (or the stages
/// it is built from) depends on the base image's working directory.
fn workdir(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, word: &Word, scope: &Scope) {
    if scope.workdir_set {
        return;
    }
    let Ok(e) = expand::expand_word(&word.value, scope, cx.escape()) else { return };
    // `C:\app` and `C:/app` are absolute on a Windows base image.
    let windows = e.value.contains('\\') || e.value.as_bytes().get(1) == Some(&b':');
    if e.value.is_empty() || e.value.starts_with('/') || windows {
        return;
    }
    let message = format!("Relative workdir {:?} can have unexpected results if the base image changes", e.value);
    // With the base image's working directory known, the absolute path is the same place.
    let fix = (scope.base_known && !word.value.contains('$') && text::word_is_verbatim(cx.source, word)).then(|| {
        let absolute = crate::vfs::join(&scope.workdir, &e.value);
        Fix::replace(format!("Write the absolute path {absolute}"), word.span, absolute)
    });
    sink.buildkit("WorkdirRelativePath", ins.span, message, fix);
}

/// SecretsUsedInArgOrEnv: BuildKit's `isSecretKey` — a key with a `_`-separated part that
/// names a secret (`apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`,
/// `passwd`, `secret`, `token`), unless a part says `public`.
fn secret_key(sink: &mut Sink, instruction: &str, key: &Word) {
    if !is_secret_key(&key.value) {
        return;
    }
    let message = format!("Do not use ARG or ENV instructions for sensitive data ({instruction} {:?})", key.value);
    sink.buildkit("SecretsUsedInArgOrEnv", key.span, message, None);
}

pub(super) fn is_secret_key(key: &str) -> bool {
    const SECRET: &[&str] = &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
    let lower = key.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('_').collect();
    // BuildKit's regex `(?:_|^)(?:token)(?:_|$)`: a whole `_`-separated part.
    if parts.contains(&"public") {
        return false;
    }
    parts.iter().any(|p| SECRET.contains(p))
}

#[cfg(test)]
mod tests {
    use super::is_secret_key;

    #[test]
    fn secret_keys_as_buildkit_matches_them() {
        for yes in ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "password", "GITHUB_TOKEN", "NPM_AUTH_TOKEN", "api_key", "passwd"] {
            assert!(is_secret_key(yes), "{yes}");
        }
        for no in ["PUBLIC_KEY", "TOKENIZER", "KEYBOARD", "SECRETS_DIR", "PATH", "MONKEY", "GPG_KEYS", "NEXT_PUBLIC_API_KEY"] {
            assert!(!is_secret_key(no), "{no}");
        }
    }
}
