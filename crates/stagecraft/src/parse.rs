//! Parses Dockerfile text into the core's model (`dockerfile`). Never fails: problems become
//! diagnostics, and the rest of the file is still read so the playground can simulate it
//! while the user types.
//!
//! Two readers work together:
//! - `scan` reads lines the way BuildKit's parser does: directives, logical lines joined
//!   across escaped line breaks, heredoc bodies (several per line, anywhere on a RUN, COPY
//!   or ADD line).
//! - parse-dockerfile (`parse_iter`) recognises each instruction and reports syntax errors.
//!   It is given a *patched* copy of the text, same length and line structure, in which
//!   heredoc bodies are blanked, heredoc markers defused and a `\\` at the end of a line is
//!   no longer a continuation — the places where it reads lines differently from BuildKit.
//!
//! `convert` then cuts each instruction's arguments with BuildKit's rules on the joined line.
//! When parse-dockerfile stops at an error, the offending instruction is blanked out of the
//! patched text and the file is read again, up to `MAX_ERRORS` times.

mod convert;
mod scan;
mod words;

use std::ops::Range;

use parse_dockerfile as pd;

use crate::diagnostics::{Diagnostics, Severity};
use crate::dockerfile::{Directives, Dockerfile, Instruction, Spanned};
use crate::span::Span;

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
    let cx = Ctx { src, base: source.len() - src.len(), escape, skip: skipped_checks(src, &dirs) };
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
        precheck(&cx, &logicals, &mut patch, &mut out);
        read(&cx, &logicals, &mut patch, &mut out)
    };
    out.flush(diags);
    Dockerfile { directives, instructions }
}

/// What conversion needs to know about the whole text.
struct Ctx<'a> {
    /// The text without its byte order mark.
    src: &'a str,
    /// Length of the byte order mark: added to every span.
    base: usize,
    escape: char,
    /// Check names switched off by `# check=skip=…` (`all` for every check).
    skip: Vec<String>,
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
    /// A warning named after a BuildKit check, unless the `check` directive skips it.
    fn warning(&mut self, cx: &Ctx, code: &'static str, span: Span, message: impl Into<String>) {
        if !cx.skip.iter().any(|s| s == code || s == "all") {
            self.items.push((Severity::Warning, code, span, message.into()));
        }
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

/// `# check=skip=A,B;error=true` → `[A, B]`.
fn skipped_checks(src: &str, dirs: &scan::Directives) -> Vec<String> {
    let Some(check) = dirs.found.iter().find(|d| d.key == "check") else { return Vec::new() };
    src[check.value.clone()]
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("skip="))
        .flat_map(|list| list.split(','))
        .map(|s| s.trim().to_string())
        .collect()
}

/// Errors found on the scanned lines, before parse-dockerfile runs: unknown instructions,
/// instructions before the first FROM, unterminated heredocs, empty continuation lines.
fn precheck(cx: &Ctx, logicals: &[scan::Logical], patch: &mut Patch, out: &mut Out) {
    let first_from = logicals.iter().position(|l| l.keyword().eq_ignore_ascii_case("from"));
    for (i, lg) in logicals.iter().enumerate() {
        let keyword = lg.keyword();
        let kw_span = cx.span(lg.start..lg.start + keyword.len());
        let upper = keyword.to_ascii_uppercase();
        if !KEYWORDS.contains(&upper.as_str()) {
            // BuildKit's wording and hint, so the message matches what `docker build` prints.
            let names: Vec<String> = KEYWORDS.iter().map(|k| k.to_ascii_lowercase()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let message = crate::suggest::wrap(format!("unknown instruction: {keyword}"), keyword, &names, false);
            out.error("UnknownInstruction", kw_span, message);
            patch.blank(lg.line_start..lg.end);
            continue;
        }
        if first_from.is_none_or(|f| i < f) && upper != "ARG" {
            let message =
                format!("{upper} comes before the first FROM: only ARG may precede the FROM that starts a build stage");
            out.error("NoStage", kw_span, message);
            patch.blank(lg.line_start..lg.end);
            continue;
        }
        for h in lg.heredocs.iter().filter(|h| !h.terminated) {
            let message =
                format!("heredoc `{0}` is never closed: end it with a line containing only `{0}`", h.marker.name);
            out.error("UnterminatedHeredoc", cx.span(lg.joined.src_range(h.word.clone())), message);
        }
        if let Some(line) = lg.empty_continuations.first() {
            let message = "empty continuation line: the instruction goes on past this blank line (this will be an error in a future Docker release)";
            out.warning(cx, "NoEmptyContinuation", cx.span(line.start..line.end), message);
        }
    }
    if first_from.is_none() && !out.has("NoStage") {
        let message = "no FROM instruction: a Dockerfile needs `FROM <image>` to start a build stage";
        out.error("NoStage", cx.span(logicals[0].start..logicals[0].start), message);
    }
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
        let (range, keyword) = match i.checked_sub(1).map(|i| &logicals[i]) {
            Some(lg) => (lg.line_start..lg.end.max(at), lg.keyword()),
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
        out.error(code, cx.span(at..line_end), explain(keyword, &message));
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
    let kw = keyword.to_ascii_uppercase();
    match message {
        "expected CMD or NONE" => "HEALTHCHECK takes `CMD <command>` or `NONE`".into(),
        "expected JSON array" | "invalid JSON" if kw == "SHELL" => {
            "SHELL needs a JSON array of strings, e.g. SHELL [\"/bin/bash\", \"-c\"]".into()
        }
        "expected AS" | "expected newline or eof" if kw == "FROM" => {
            "FROM takes an image and optionally a stage name: FROM <image> [AS <name>]".into()
        }
        _ if kw.is_empty() || message.contains(&kw) => message.into(),
        _ => format!("{kw}: {message}"),
    }
}

/// The text parse-dockerfile reads: the source with the same length and line breaks, and the
/// places where it would read lines differently from BuildKit rewritten.
struct Patch {
    bytes: Vec<u8>,
}

impl Patch {
    fn new(src: &str, dirs: &scan::Directives, logicals: &[scan::Logical], escape: char) -> Patch {
        let mut p = Patch { bytes: src.as_bytes().to_vec() };
        // `\\` at the end of a line is not a continuation for BuildKit; it is for parse-dockerfile.
        let mut pos = 0;
        while let Some(line) = scan::line_at(src, pos) {
            pos = line.next;
            let t = src[line.start..line.end].trim_end_matches([' ', '\t']);
            let mut tail = t.chars().rev();
            if tail.next() == Some(escape) && tail.next() == Some(escape) {
                p.bytes[line.start + t.len() - 1] = b'_';
            }
        }
        // Directives as BuildKit reads them, written the way parse-dockerfile reads them.
        for d in &dirs.found {
            p.blank(d.line.start..d.line.end);
            let canonical = format!("#{}={}", d.key, &src[d.value.clone()]);
            p.bytes[d.line.start..d.line.start + canonical.len()].copy_from_slice(canonical.as_bytes());
        }
        if let Some((line, _)) = &dirs.bad {
            p.blank(line.start..line.end);
        }
        if let Some(line) = dirs.after.filter(|l| src[l.start..l.end].trim_start().starts_with('#')) {
            p.blank(line.start..line.end);
        }
        // Heredoc bodies are read by `scan`; parse-dockerfile sees a plain word and blank lines.
        for lg in logicals {
            for h in &lg.heredocs {
                p.blank(h.body.start..h.end);
                let lt = h.word.start + h.marker.lt;
                for i in [lt, lt + 1] {
                    let at = lg.joined.src(i);
                    if p.bytes.get(at) == Some(&b'<') {
                        p.bytes[at] = b'_';
                    }
                }
            }
        }
        p
    }

    /// Replaces `range` with spaces, keeping line breaks. Returns whether anything changed.
    fn blank(&mut self, range: Range<usize>) -> bool {
        let end = range.end.min(self.bytes.len());
        let start = range.start.min(end);
        let mut changed = false;
        for b in &mut self.bytes[start..end] {
            if !matches!(*b, b'\n' | b' ') {
                *b = b' ';
                changed = true;
            }
        }
        changed
    }
}
