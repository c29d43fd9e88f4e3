//! Parses Dockerfile text into the core's model (`dockerfile`). Never fails: problems become
//! diagnostics, and the rest of the file is still read so the playground can simulate it
//! while the user types.
//!
//! Two readers work together:
//! - `scan` reads lines the way BuildKit's parser does: directives, logical lines joined
//!   across escaped line breaks, heredoc bodies (several per line, anywhere on a RUN, COPY
//!   or ADD line).
//! - parse-dockerfile (`parse_iter`) recognises each instruction and reports syntax errors.
//!   It is given a *patched* copy of the text (`patch`), same length and line structure, in which
//!   heredoc bodies are blanked, heredoc markers defused and a `\\` at the end of a line is
//!   no longer a continuation — the places where it reads lines differently from BuildKit.
//!   (Its own heredoc support, one heredoc at the start of a RUN, with `<<-` tabs stripped,
//!   is bypassed: all heredocs come from `scan`.)
//!
//! `precheck` first reports what can be seen on the scanned lines alone (unknown keywords,
//! instructions before FROM, malformed FROMs, unterminated heredocs) and blanks those
//! instructions out of the patched text. `convert` then cuts each instruction's arguments
//! with BuildKit's rules (`words`) on the joined line.
//! When parse-dockerfile stops at an error, the offending instruction is blanked out of the
//! patched text and the file is read again, up to `MAX_ERRORS` times.

mod convert;
mod patch;
mod precheck;
mod scan;
mod words;

use std::ops::Range;

use parse_dockerfile as pd;

use crate::diagnostics::{Diagnostics, Severity};
use crate::dockerfile::{Directives, Dockerfile, Instruction, Spanned};
use crate::span::Span;
use patch::Patch;

/// How many syntax errors from parse-dockerfile are recovered from before giving up.
const MAX_ERRORS: usize = 64;

/// The instruction keywords BuildKit knows.
const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Parses `source`. Never fails: errors go into `diags`, and as much of the file as could be
/// read is returned so the rest of the pipeline can still show something.
pub fn parse(source: &str, diags: &mut Diagnostics) -> Dockerfile {
    // BuildKit ignores a UTF-8 byte order mark; offsets stay those of `source`.
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let dirs = scan::directives(src);
    let escape = dirs.escape(src);
    let cx = Ctx { src, base: source.len() - src.len(), escape };
    let mut out = Out::default();
    let directives = directives(&cx, &dirs);
    if let Some((line, message)) = &dirs.bad {
        out.error("InvalidDirective", cx.span(line.start..line.end), message.clone());
    }

    let logicals = scan::instructions(src, escape);
    let mut patch = Patch::new(src, &dirs, &logicals, escape);
    let instructions = if logicals.is_empty() {
        let message = "the Dockerfile has no instructions: start it with `FROM <image>`";
        out.error("NoInstructions", cx.span(src.len()..src.len()), message);
        Vec::new()
    } else {
        precheck::precheck(&cx, &logicals, &mut patch, &mut out);
        read(&cx, &logicals, &mut patch, &mut out)
    };
    out.flush(diags);
    // Facts for the build checks (`checks`), which own the NoEmptyContinuation rule.
    let empty_continuations =
        logicals.iter().flat_map(|lg| lg.empty_continuations.iter().map(|l| cx.span(l.start..l.end))).collect();
    Dockerfile { directives, instructions, empty_continuations }
}

/// What conversion needs to know about the whole text.
struct Ctx<'a> {
    /// The text without its byte order mark.
    src: &'a str,
    /// Length of the byte order mark: added to every span.
    base: usize,
    escape: char,
}

impl Ctx<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        Span::new(r.start + self.base, r.end + self.base)
    }
}

/// Diagnostics collected while parsing, pushed sorted by position at the end.
#[derive(Default)]
struct Out {
    items: Vec<(Severity, &'static str, Span, String)>,
}

impl Out {
    fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.items.push((Severity::Error, code, span, message.into()));
    }
    fn has(&self, code: &str) -> bool {
        self.items.iter().any(|d| d.1 == code)
    }
    fn flush(mut self, diags: &mut Diagnostics) {
        self.items.sort_by_key(|d| d.2.start);
        for (severity, code, span, message) in self.items {
            diags.push(severity, code, span, message);
        }
    }
}

fn directives(cx: &Ctx, dirs: &scan::Directives) -> Directives {
    let get = |key: &str| {
        dirs.found
            .iter()
            .find(|d| d.key == key)
            .map(|d| Spanned { value: cx.src[d.value.clone()].to_string(), span: cx.span(d.value.clone()) })
    };
    Directives { syntax: get("syntax"), escape: cx.escape, check: get("check") }
}

/// Runs parse-dockerfile over the patched text, converting what it reads; on a syntax
/// error, blanks the instruction it is in and reads again.
fn read(cx: &Ctx, logicals: &[scan::Logical], patch: &mut Patch, out: &mut Out) -> Vec<Instruction> {
    let mut errors = 0;
    loop {
        let mut pass = Out::default();
        let mut instructions = Vec::new();
        let failure = match std::str::from_utf8(&patch.bytes) {
            Ok(text) => read_once(cx, text, logicals, &mut instructions, &mut pass),
            // Cannot happen: the patch only swaps whole characters for ASCII.
            Err(_) => None,
        };
        let Some(err) = failure else {
            out.items.append(&mut pass.items);
            return instructions;
        };
        if err.line() == 0 {
            // "no FROM": already reported by `precheck`, unless the two readers disagree.
            if !out.has("NoStage") {
                out.error("NoStage", cx.span(0..0), "no FROM instruction: a Dockerfile needs `FROM <image>`");
            }
            out.items.append(&mut pass.items);
            return instructions;
        }
        let at = offset_of(cx.src, err.line(), err.column());
        let i = logicals.partition_point(|l| l.line_start <= at);
        // The instruction the error is in; between instructions, just its line.
        let (range, keyword) = match i.checked_sub(1).map(|i| &logicals[i]).filter(|lg| at <= lg.end) {
            Some(lg) => (lg.line_start..lg.end, lg.keyword()),
            None => (scan::line_at(cx.src, at).map_or(at..at, |l| l.start..l.end), ""),
        };
        let message = format!("{err:#}");
        let code = if message.starts_with("unknown instruction") {
            "UnknownInstruction"
        } else if message.starts_with("expected FROM") {
            "NoStage"
        } else {
            "ParseError"
        };
        let line_end = scan::line_at(cx.src, at).map_or(at, |l| l.end.max(at));
        let (span, message) = (cx.span(at..line_end), explain(keyword, &message));
        if !out.items.iter().any(|d| d.2 == span && d.3 == message) {
            out.error(code, span, message);
        }
        errors += 1;
        if errors >= MAX_ERRORS || !patch.blank(range) {
            if errors >= MAX_ERRORS {
                out.error("ParseError", cx.span(at..at), "too many errors: the rest of the Dockerfile was not read");
            }
            out.items.append(&mut pass.items);
            return instructions;
        }
    }
}

/// One pass of parse-dockerfile; returns the error it stopped at, if any.
fn read_once(
    cx: &Ctx,
    text: &str,
    logicals: &[scan::Logical],
    instructions: &mut Vec<Instruction>,
    out: &mut Out,
) -> Option<pd::Error> {
    let iter = match pd::parse_iter(text) {
        Ok(iter) => iter,
        Err(e) => return Some(e),
    };
    for item in iter {
        let ins = match item {
            Ok(ins) => ins,
            Err(e) => return Some(e),
        };
        let Some(start) = keyword_start(&ins) else { continue };
        match logicals.binary_search_by_key(&start, |l| l.start) {
            Ok(i) => instructions.extend(convert::instruction(cx, &ins, &logicals[i], out)),
            Err(_) => {
                let message =
                    "internal error: the two Dockerfile readers disagree about this instruction; it was skipped";
                out.error("ParseError", cx.span(start..start), message);
            }
        }
    }
    None
}

fn keyword_start(ins: &pd::Instruction<'_>) -> Option<usize> {
    use pd::Instruction as I;
    let span = match ins {
        I::Add(i) => &i.add.span,
        I::Arg(i) => &i.arg.span,
        I::Cmd(i) => &i.cmd.span,
        I::Copy(i) => &i.copy.span,
        I::Entrypoint(i) => &i.entrypoint.span,
        I::Env(i) => &i.env.span,
        I::Expose(i) => &i.expose.span,
        I::From(i) => &i.from.span,
        I::Healthcheck(i) => &i.healthcheck.span,
        I::Label(i) => &i.label.span,
        I::Maintainer(i) => &i.maintainer.span,
        I::Onbuild(i) => &i.onbuild.span,
        I::Run(i) => &i.run.span,
        I::Shell(i) => &i.shell.span,
        I::Stopsignal(i) => &i.stopsignal.span,
        I::User(i) => &i.user.span,
        I::Volume(i) => &i.volume.span,
        I::Workdir(i) => &i.workdir.span,
        _ => return None,
    };
    Some(span.start)
}

/// parse-dockerfile's 1-based line and byte column as an offset, on a character boundary.
fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let mut at = (start + column.saturating_sub(1)).min(end);
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// parse-dockerfile's message, said in terms of the instruction it is about.
fn explain(keyword: &str, message: &str) -> String {
    const COUNTS: [(&str, &str); 3] = [
        (" instruction requires at least one argument", "at least one argument"),
        (" instruction requires at least two arguments", "at least two arguments"),
        (" instruction requires exactly one argument", "exactly one argument"),
    ];
    for (suffix, count) in COUNTS {
        if let Some(word) = message.strip_suffix(suffix) {
            let word = word.to_ascii_uppercase();
            let what = if matches!(word.as_str(), "COPY" | "ADD") { ": sources, then a destination" } else { "" };
            return format!("{word} needs {count}{what}");
        }
    }
    let kw = keyword.to_ascii_uppercase();
    match message {
        "expected CMD or NONE" => "HEALTHCHECK takes `CMD <command>` or `NONE`".into(),
        "expected JSON array" | "invalid JSON" if kw == "SHELL" => {
            "SHELL needs a JSON array of strings, e.g. SHELL [\"/bin/bash\", \"-c\"]".into()
        }
        "expected AS" | "expected newline or eof" if kw == "FROM" => {
            "FROM takes an image and optionally a stage name: FROM <image> [AS <name>]".into()
        }
        _ if kw.is_empty() || message.to_ascii_uppercase().contains(&kw) => message.into(),
        _ => format!("{kw}: {message}"),
    }
}
