//! BuildKit rules about how instructions are written: NoEmptyContinuation,
//! LegacyKeyValueFormat, MaintainerDeprecated, JSONArgsRecommended,
//! MultipleInstructionsDisallowed and InvalidDefinitionDescription (experimental).

use super::{scope, text, Cx, Fix, Sink, TextEdit};
use crate::dockerfile::{CommandForm, Instruction, InstructionKind, KeyValue};
use crate::span::Span;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    empty_continuations(cx, sink);
    for ins in &cx.dockerfile().instructions {
        match &ins.kind {
            InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => legacy_key_value(cx, sink, ins, pairs),
            InstructionKind::Maintainer(word) => {
                let label = if ins.keyword.value.chars().any(|c| c.is_ascii_uppercase()) { "LABEL" } else { "label" };
                let value = quote(&word.value, cx.escape());
                let fix = Fix::replace(
                    "Use the org.opencontainers.image.authors label",
                    ins.span,
                    format!("{label} org.opencontainers.image.authors={value}"),
                );
                sink.buildkit("MaintainerDeprecated", ins.span, "Maintainer instruction is deprecated in favor of using label", Some(fix));
            }
            InstructionKind::From { .. } | InstructionKind::Arg(_) => definition_description(cx, sink, ins),
            _ => {}
        }
    }
    per_stage(cx, sink);
}

/// One warning per instruction, at its first blank continuation line; the fix deletes them all.
fn empty_continuations(cx: &Cx<'_>, sink: &mut Sink) {
    let lines = &cx.dockerfile().empty_continuations;
    let mut i = 0;
    while i < lines.len() {
        let owner = cx.dockerfile().instructions.iter().find(|ins| ins.span.start <= lines[i].start && lines[i].start <= ins.span.end);
        let mut j = i + 1;
        if let Some(ins) = owner {
            while j < lines.len() && lines[j].start <= ins.span.end {
                j += 1;
            }
        }
        let edits = lines[i..j]
            .iter()
            .map(|l| TextEdit::new(text::whole_line(cx.source, l.start), String::new()))
            .collect();
        sink.buildkit("NoEmptyContinuation", lines[i], "Empty continuation line", Some(Fix::new("Delete the empty continuation line", edits)));
        i = j;
    }
}

/// `ENV key value`: the legacy form has one pair and no `=` after the key.
fn legacy_key_value(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, pairs: &[KeyValue]) {
    let [kv] = pairs else { return };
    if cx.source.get(kv.key.span.end..).is_none_or(|rest| rest.starts_with('=')) {
        return;
    }
    let name = ins.kind.name();
    let message = format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format");
    // The value goes through the same expansion either way; only splitting at blanks differs.
    let value = &kv.value.value;
    let fixed = if !value.contains(char::is_whitespace) {
        Some(value.clone())
    } else if !value.contains(['"', '\'', cx.escape()]) {
        Some(format!("\"{value}\""))
    } else {
        None
    };
    let fix = fixed.map(|v| {
        Fix::replace(format!("Write `{name} {}={}`", kv.key.value, short(&v)), kv.key.span.to(kv.value.span), format!("{}={v}", kv.key.value))
    });
    sink.buildkit("LegacyKeyValueFormat", ins.span, message, fix);
}

fn short(s: &str) -> String {
    if s.chars().count() <= 24 {
        return s.to_string();
    }
    s.chars().take(21).collect::<String>() + "…"
}

/// A literal string as a double-quoted Dockerfile word: the escape character, `"` and `$`
/// are the only characters an escape changes inside double quotes.
fn quote(value: &str, escape: char) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        if c == escape || c == '"' || c == '$' {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// JSONArgsRecommended and MultipleInstructionsDisallowed, which depend on the stage.
fn per_stage(cx: &Cx<'_>, sink: &mut Sink) {
    let mut current = usize::MAX;
    let mut last: [Option<&Instruction>; 3] = [None; 3];
    scope::walk(cx, |stage, _, ins, scope| {
        if stage.index != current {
            current = stage.index;
            last = [None; 3];
        }
        let slot = match &ins.kind {
            InstructionKind::Cmd(form) | InstructionKind::Entrypoint(form) => {
                if let CommandForm::Shell(cmd) = form {
                    if !scope.shell_set {
                        let message = format!(
                            "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                            ins.keyword.value
                        );
                        sink.buildkit("JSONArgsRecommended", ins.span, message, exec_form_fix(cmd.span, &cmd.value));
                    }
                }
                usize::from(matches!(ins.kind, InstructionKind::Entrypoint(_)))
            }
            InstructionKind::Healthcheck(_) => 2,
            _ => return,
        };
        if let Some(previous) = last[slot] {
            let message = format!(
                "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                ins.keyword.value
            );
            let fix = Fix::replace(
                format!("Delete the earlier {}, which has no effect", previous.kind.name()),
                text::instruction_lines(cx.source, previous),
                "",
            );
            sink.buildkit("MultipleInstructionsDisallowed", previous.span, message, Some(fix));
        }
        last[slot] = Some(ins);
    });
}

/// `CMD a b` as `CMD ["a", "b"]` when no word needs a shell (no variables, quotes, globs,
/// operators): then the exec form runs the same program with the same arguments.
fn exec_form_fix(span: Span, command: &str) -> Option<Fix> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if words.is_empty() || !words.iter().all(|w| plain(w)) {
        return None;
    }
    let json = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
    Some(Fix::replace("Use the exec (JSON) form", span, format!("[{json}]")))
}

/// InvalidDefinitionDescription: the comment right above FROM … AS name or ARG must start
/// with that name (BuildKit reads it as a description); an empty line separates a comment
/// that is not one.
fn definition_description(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction) {
    let (what, keys): (&str, Vec<String>) = match &ins.kind {
        InstructionKind::From { alias: Some(a), .. } => ("FROM", vec![a.value.to_ascii_lowercase()]),
        InstructionKind::Arg(decls) if !decls.is_empty() => ("ARG", decls.iter().map(|d| d.name.value.clone()).collect()),
        _ => return,
    };
    let start = text::line(cx.source, ins.span.start).start;
    if start == 0 {
        return;
    }
    let above = text::line(cx.source, start - 1);
    let line = cx.text(above).trim_start();
    let Some(comment) = line.strip_prefix('#').map(str::trim) else { return };
    if comment.is_empty() {
        return;
    }
    let first = comment.split(' ').next().unwrap_or("");
    if keys.iter().any(|k| k == first) {
        return;
    }
    let example = if keys.len() > 1 { "<arg_key>" } else { keys[0].as_str() };
    let message = format!("Comment for {what} should follow the format: `# {example} <description>`");
    let fix = Fix::replace("Separate the comment from the instruction with an empty line", Span::new(start, start), "\n");
    sink.buildkit("InvalidDefinitionDescription", above, message, Some(fix));
}
