//! BuildKit's line-level reading of a Dockerfile (frontend/dockerfile/parser/parser.go):
//! parser directives, logical lines joined across escaped line breaks (skipping comment and
//! empty lines inside them), and heredoc bodies after the line that names them.
//!
//! parse-dockerfile reads lines too, but not quite this way: it treats `\\` at the end of a
//! line as a continuation, and it only knows one heredoc at the start of a RUN. The text the
//! model holds therefore comes from here; `patch` makes parse-dockerfile see the same lines.

use std::ops::Range;

use super::words::{self, Marker};

/// A physical line: `start..end` is its text without the line break (and without trailing
/// `\r`), `next` is where the following line starts.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

pub(super) fn line_at(src: &str, start: usize) -> Option<Line> {
    if start >= src.len() {
        return None;
    }
    let bytes = src.as_bytes();
    let (mut end, next) = match bytes[start..].iter().position(|&b| b == b'\n') {
        Some(i) => (start + i, start + i + 1),
        None => (src.len(), src.len()),
    };
    while end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Some(Line { start, end, next })
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The text of a logical line with its continuations removed, and where each piece of it
/// came from in the source.
#[derive(Debug)]
pub(super) struct Joined {
    pub text: String,
    /// `(offset in text, offset in source)` where each piece starts; never empty.
    pieces: Vec<(usize, usize)>,
}

impl Joined {
    fn push(&mut self, src: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        if self.text.is_empty() {
            self.pieces.clear();
        }
        self.pieces.push((self.text.len(), range.start));
        self.text.push_str(&src[range]);
    }

    /// The source offset of a position in the text, read as a start.
    pub fn src(&self, i: usize) -> usize {
        let k = self.pieces.partition_point(|&(t, _)| t <= i).saturating_sub(1);
        let (t, s) = self.pieces[k];
        s + i.saturating_sub(t)
    }

    /// The source range of a range of the text.
    pub fn src_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.src(r.start);
        let end = if r.end > r.start { self.src(r.end - 1) + 1 } else { start };
        start..end
    }
}

/// A recognised parser directive line.
#[derive(Debug)]
pub(super) struct Directive {
    /// `syntax`, `escape` or `check`.
    pub key: &'static str,
    pub value: Range<usize>,
    pub line: Line,
}

#[derive(Debug, Default)]
pub(super) struct Directives {
    pub found: Vec<Directive>,
    /// A directive line that is an error (repeated, or a bad escape), with the message.
    pub bad: Option<(Line, String)>,
    /// The first line after the directives.
    pub after: Option<Line>,
}

impl Directives {
    pub fn escape(&self, src: &str) -> char {
        self.found.iter().find(|d| d.key == "escape").and_then(|d| src[d.value.clone()].chars().next()).unwrap_or('\\')
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on a line without leading blanks: the key
/// and value ranges relative to `line`.
fn directive_parts(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    let is_s = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let rest = line.strip_prefix('#')?;
    let key_start = line.len() - rest.trim_start_matches(is_s).len();
    let key_len = line[key_start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(line.len() - key_start);
    if key_len == 0 || !line.as_bytes()[key_start].is_ascii_alphabetic() {
        return None;
    }
    let key_end = key_start + key_len;
    let after_key = line[key_end..].trim_start_matches(is_s);
    let after_eq = after_key.strip_prefix('=')?.trim_start_matches(is_s);
    let value_start = line.len() - after_eq.len();
    let value = after_eq.trim_end_matches(is_s);
    if value.is_empty() {
        return None;
    }
    Some((key_start..key_end, value_start..value_start + value.len()))
}

/// BuildKit's directive parser: directives only at the very top, each at most once.
pub(super) fn directives(src: &str) -> Directives {
    let mut out = Directives::default();
    let mut pos = 0;
    while let Some(line) = line_at(src, pos) {
        let text = &src[line.start..line.end];
        let lead = text.len() - text.trim_start().len();
        let Some((key, value)) = directive_parts(&text[lead..]) else {
            out.after = Some(line);
            break;
        };
        let key = match text[lead + key.start..lead + key.end].to_ascii_lowercase().as_str() {
            "syntax" => "syntax",
            "escape" => "escape",
            "check" => "check",
            _ => {
                out.after = Some(line);
                break;
            }
        };
        let value = line.start + lead + value.start..line.start + lead + value.end;
        if out.found.iter().any(|d| d.key == key) {
            out.bad = Some((line, format!("the `{key}` parser directive can only be given once")));
            break;
        }
        if key == "escape" && !matches!(&src[value.clone()], "`" | "\\") {
            let message = format!(
                "invalid escape character `{}`: the escape directive accepts only ` or \\",
                &src[value.clone()]
            );
            out.bad = Some((line, message));
            break;
        }
        out.found.push(Directive { key, value, line });
        pos = line.next;
    }
    out
}

/// A heredoc found on an instruction line, with its body.
#[derive(Debug)]
pub(super) struct ScannedHeredoc {
    pub marker: Marker,
    /// The marker word, in the joined text.
    pub word: Range<usize>,
    /// The body, without its terminator line.
    pub body: Range<usize>,
    /// End of the terminator line (end of input when unterminated).
    pub end: usize,
    pub terminated: bool,
}

/// One instruction as BuildKit's parser reads it.
#[derive(Debug)]
pub(super) struct Logical {
    /// Start of the physical line the instruction begins on.
    pub line_start: usize,
    /// Its first character (the keyword).
    pub start: usize,
    /// End of its last non-blank line, heredoc bodies included.
    pub end: usize,
    pub joined: Joined,
    /// Offset of the keyword in `joined.text`.
    pub at: usize,
    /// Blank lines inside the continuation (BuildKit warns about them).
    pub empty_continuations: Vec<Line>,
    pub heredocs: Vec<ScannedHeredoc>,
}

impl Logical {
    pub fn keyword(&self) -> &str {
        let t = &self.joined.text[self.at..];
        &t[..t.find(char::is_whitespace).unwrap_or(t.len())]
    }
}

/// BuildKit's continuation test on one line: the text before a trailing escape character
/// (and blanks), unless that escape is itself escaped.
fn continued(line: &str, escape: char) -> Option<usize> {
    let t = line.trim_end_matches([' ', '\t']);
    let before = t.strip_suffix(escape)?;
    if !before.is_empty() && before.ends_with(escape) {
        return None;
    }
    Some(before.len())
}

/// All instructions, in order.
pub(super) fn instructions(src: &str, escape: char) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(line) = line_at(src, pos) {
        pos = line.next;
        let text = &src[line.start..line.end];
        if is_comment(text) {
            continue;
        }
        let first = line.start + (text.len() - text.trim_start().len());
        let mut joined = Joined { text: String::new(), pieces: vec![(0, first)] };
        let mut last = line;
        let mut more = match continued(&src[first..line.end], escape) {
            Some(n) => {
                joined.push(src, first..first + n);
                true
            }
            None => {
                joined.push(src, first..line.end);
                false
            }
        };
        if !more && joined.text.is_empty() {
            continue;
        }
        let mut empty_continuations = Vec::new();
        while more {
            let Some(next) = line_at(src, pos) else { break };
            pos = next.next;
            let text = &src[next.start..next.end];
            if is_comment(text) {
                continue;
            }
            if text.trim_start().is_empty() {
                empty_continuations.push(next);
                continue;
            }
            last = next;
            match continued(text, escape) {
                Some(n) => joined.push(src, next.start..next.start + n),
                None => {
                    joined.push(src, next.start..next.end);
                    more = false;
                }
            }
        }
        let t = &joined.text;
        let at = t.len() - t.trim_start().len();
        if at == t.len() {
            continue;
        }
        let start = joined.src(at);
        let line_end = last.start + src[last.start..last.end].trim_end().len();
        let mut logical = Logical {
            line_start: line.start,
            start,
            end: line_end.max(start),
            joined,
            at,
            empty_continuations,
            heredocs: Vec::new(),
        };
        pos = read_heredocs(src, pos, &mut logical);
        out.push(logical);
    }
    out
}

/// The heredoc markers BuildKit acts on: only RUN, COPY and ADD (also after ONBUILD), only
/// in the shell form, anywhere on the line.
fn markers(text: &str, at: usize) -> Vec<(Range<usize>, Marker)> {
    if !text.contains("<<") {
        return Vec::new();
    }
    let mut parts = words::split_command(text, at);
    if text[parts.keyword.clone()].eq_ignore_ascii_case("onbuild") && !parts.args.is_empty() {
        parts = words::split_command(text, parts.args.start);
    }
    let keyword = &text[parts.keyword.clone()];
    if !["run", "copy", "add"].iter().any(|k| keyword.eq_ignore_ascii_case(k)) {
        return Vec::new();
    }
    if words::json_array(&text[parts.args]) != words::Json::No {
        return Vec::new();
    }
    let Some(words) = words::raw_shell_words(text) else { return Vec::new() };
    words.into_iter().filter_map(|w| words::heredoc_marker(&text[w.clone()]).map(|m| (w, m))).collect()
}

/// Reads the bodies of the heredocs named on `logical`'s line, from `pos` on; returns where
/// the next instruction may start.
fn read_heredocs(src: &str, mut pos: usize, logical: &mut Logical) -> usize {
    for (word, marker) in markers(&logical.joined.text, logical.at) {
        let body_start = pos.min(src.len());
        let mut found = None;
        while let Some(line) = line_at(src, pos) {
            pos = line.next;
            let mut text = &src[line.start..line.end];
            if marker.chomp {
                text = text.trim_start_matches('\t');
            }
            if text == marker.name {
                found = Some(line);
                break;
            }
        }
        let (body, end, terminated) = match found {
            Some(term) => (body_start..term.start, term.end, true),
            None => {
                let end = body_start + src[body_start..].trim_end().len();
                (body_start..src.len(), end, false)
            }
        };
        logical.end = logical.end.max(end);
        logical.heredocs.push(ScannedHeredoc { marker, word, body, end, terminated });
        if !terminated {
            break;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(src: &str) -> Vec<String> {
        instructions(src, '\\').into_iter().map(|l| l.joined.text).collect()
    }

    #[test]
    fn continuations_follow_buildkit() {
        assert_eq!(joined("RUN a \\\n  b\\\n# c\n\n d\nENV x\\\\\nENV y"), ["RUN a   b d", "ENV x\\\\", "ENV y"]);
        assert_eq!(joined("RUN a \\  \n\\\nb"), ["RUN a b"]);
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        let src = "RUN <<A cat - <<-\"B\"\nx\nA\n\ty\n\tB\nCOPY a b\n";
        let l = instructions(src, '\\');
        assert_eq!(l.len(), 2);
        let names: Vec<_> = l[0].heredocs.iter().map(|h| (h.marker.name.as_str(), &src[h.body.clone()])).collect();
        assert_eq!(names, [("A", "x\n"), ("B", "\ty\n")]);
        assert_eq!(&src[l[0].start..l[0].end], "RUN <<A cat - <<-\"B\"\nx\nA\n\ty\n\tB");
    }

    #[test]
    fn joined_maps_back_to_source() {
        let src = "RUN a \\\n  b";
        let l = &instructions(src, '\\')[0];
        let i = l.joined.text.find('b').unwrap();
        assert_eq!(l.joined.src(i), src.find('b').unwrap());
        assert_eq!(l.joined.src_range(0..l.joined.text.len()), 0..src.len());
    }

    #[test]
    fn directives_at_the_top_only() {
        let src = " # syntax = x/y\n#escape=`\n#check=skip=all\n# escape=\\\n";
        let d = directives(src);
        assert_eq!(d.found.len(), 3);
        assert!(d.bad.is_some());
        assert_eq!(d.escape(src), '`');
        assert_eq!(&src[d.found[0].value.clone()], "x/y");
    }
}
