//! The text parse-dockerfile reads: the source with the same length and line breaks, in which
//! the places where it would read lines differently from BuildKit are rewritten. Offsets in
//! its answers are therefore offsets in the source.

use std::ops::Range;

use super::{scan, words};

pub(super) struct Patch {
    pub bytes: Vec<u8>,
}

impl Patch {
    pub fn new(src: &str, dirs: &scan::Directives, logicals: &[scan::Logical], escape: char) -> Patch {
        let mut p = Patch { bytes: src.as_bytes().to_vec() };
        let mut pos = 0;
        while let Some(line) = scan::line_at(src, pos) {
            pos = line.next;
            let text = &src[line.start..line.end];
            if text.trim_start().starts_with('#') {
                // A comment for BuildKit, even after Unicode blanks (parse-dockerfile disagrees).
                p.blank(line.start..line.end);
                continue;
            }
            // `\\` at the end of a line is not a continuation for BuildKit; it is for parse-dockerfile.
            let t = text.trim_end_matches([' ', '\t']);
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
        for lg in logicals {
            let t = &lg.joined.text;
            let dashes = t.contains("-- ") || t.contains("--\t");
            if !dashes && !t.contains("[]") && !t.contains("[ ") {
                continue;
            }
            let mut parts = words::split_command(t, lg.at);
            if t[parts.keyword.clone()].eq_ignore_ascii_case("onbuild") && !parts.args.is_empty() {
                parts = words::split_command(t, parts.args.start);
            }
            let args = &t[parts.args.clone()];
            let mut defuse = |i: usize, from: u8| {
                let at = lg.joined.src(i);
                if p.bytes.get(at) == Some(&from) {
                    p.bytes[at] = b'_';
                }
            };
            // After a lone `--`, BuildKit reads no more flags; parse-dockerfile would.
            if args.starts_with("--") {
                let words = words::split_words(t, parts.args.clone());
                for w in words.into_iter().take_while(|w| t[w.clone()].starts_with("--")) {
                    defuse(w.start, b'-');
                    defuse(w.start + 1, b'-');
                }
            }
            // `ENTRYPOINT []` clears the entrypoint; parse-dockerfile wants at least one word.
            if t[parts.keyword].eq_ignore_ascii_case("entrypoint")
                && words::json_array(args) == words::Json::Strings(vec![])
            {
                defuse(parts.args.start, b'[');
            }
        }
        // Blanks before a keyword: BuildKit skips Unicode ones (NBSP), parse-dockerfile does not;
        // a second byte order mark would make parse-dockerfile shift its columns.
        for lg in logicals {
            p.blank(lg.line_start..lg.start);
        }
        if p.bytes.starts_with("\u{feff}".as_bytes()) {
            p.blank(0..3);
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
    pub fn blank(&mut self, range: Range<usize>) -> bool {
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
