//! The editor's overlays as HTML strings: syntax colours from the core's parse (keyword,
//! flag, image and heredoc spans) plus comments and `$variables`, and squiggles under the
//! diagnostics' spans. Built as one string per keystroke: far cheaper than a virtual-DOM
//! node per token on a 25 KB Dockerfile.

use stagecraft::view::{DiagnosticView, Highlight, TokenKind};
use stagecraft::Severity;

#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Class {
    None,
    Var,
    Image,
    Stage,
    Flag,
    Keyword,
    Heredoc,
    Comment,
    Directive,
}

impl Class {
    fn css(self) -> &'static str {
        match self {
            Class::None => "",
            Class::Var => "t-var",
            Class::Image => "t-image",
            Class::Stage => "t-stage",
            Class::Flag => "t-flag",
            Class::Keyword => "t-kw",
            Class::Heredoc => "t-heredoc",
            Class::Comment => "t-comment",
            Class::Directive => "t-directive",
        }
    }
}

impl From<TokenKind> for Class {
    fn from(kind: TokenKind) -> Class {
        match kind {
            TokenKind::Image => Class::Image,
            TokenKind::Stage => Class::Stage,
            TokenKind::Flag => Class::Flag,
            TokenKind::Keyword => Class::Keyword,
            TokenKind::Heredoc => Class::Heredoc,
        }
    }
}

/// The text with its tokens in `<span class="t-…">`, escaped, one string per line. Before
/// the engine's first result `spans` is empty: comments and variables are still coloured.
pub fn highlighted(text: &str, spans: &Highlight) -> Vec<String> {
    let mut paint = vec![Class::None; text.len()];
    let mut fill = |start: usize, end: usize, class: Class| {
        let end = end.min(text.len());
        if start < end {
            paint[start..end].fill(class);
        }
    };
    for (start, end) in variables(text) {
        fill(start, end, Class::Var);
    }
    for &(start, end, kind) in &spans.tokens {
        fill(start, end, kind.into());
    }
    for (start, end, directive) in comment_lines(text, spans) {
        fill(
            start,
            end,
            if directive {
                Class::Directive
            } else {
                Class::Comment
            },
        );
    }
    render(text, |i| paint[i].css())
}

/// `$NAME` and `${…}`.
fn variables(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            if b[i + 1] == b'{' {
                if let Some(close) = b[i + 2..].iter().position(|&c| c == b'}' || c == b'\n') {
                    out.push((i, i + 2 + close + 1));
                    i += 2 + close + 1;
                    continue;
                }
            } else if b[i + 1] == b'_' || b[i + 1].is_ascii_alphabetic() {
                let len = b[i + 1..]
                    .iter()
                    .take_while(|c| **c == b'_' || c.is_ascii_alphanumeric())
                    .count();
                out.push((i, i + 1 + len));
                i += 1 + len;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Lines starting with `#` (outside heredoc bodies); the parser directives at the very top
/// are flagged as such.
fn comment_lines(text: &str, spans: &Highlight) -> Vec<(usize, usize, bool)> {
    let heredocs = &spans.heredocs;
    let directive_ends = spans.directives_end;
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') && !heredocs.iter().any(|(s, e)| *s <= start && start < *e) {
            let lead = line.len() - trimmed.len();
            let end = start + line.trim_end_matches(['\n', '\r']).len();
            let is_directive =
                start < directive_ends || (out.is_empty() && start == 0 && trimmed.contains('='));
            out.push((start + lead, end, is_directive));
        }
        start += line.len();
    }
    out
}

/// The text again, transparent, with diagnostics' spans underlined by severity.
pub fn squiggles(text: &str, diagnostics: &[DiagnosticView]) -> Vec<String> {
    let mut paint = vec![0u8; text.len()];
    for d in diagnostics {
        let level = match d.severity {
            Severity::Info => 1,
            Severity::Warning => 2,
            Severity::Error => 3,
        };
        let (mut start, mut end) = (d.start.min(text.len()), d.end.min(text.len()));
        if start == end {
            // An empty span marks a point: underline the rest of its line.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            if start == end {
                start = line_start;
            }
        }
        for p in &mut paint[start..end] {
            *p = (*p).max(level);
        }
    }
    render(text, |i| {
        ["", "sq-info", "sq-warning", "sq-error"][paint[i] as usize]
    })
}

/// Each line's HTML: runs of equal classes as spans. Lines are separate so the editor can
/// render each as its own block: a keystroke then re-parses and re-lays out one line, not
/// the whole text.
fn render<'a>(text: &str, class_at: impl Fn(usize) -> &'a str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let mut out = String::with_capacity(line.len() + 16);
        let mut open: &str = "";
        for (i, ch) in line.char_indices() {
            let class = class_at(start + i);
            if class != open {
                if !open.is_empty() {
                    out.push_str("</span>");
                }
                if !class.is_empty() {
                    out.push_str("<span class=\"");
                    out.push_str(class);
                    out.push_str("\">");
                }
                open = class;
            }
            escape_char(&mut out, ch);
        }
        if !open.is_empty() {
            out.push_str("</span>");
        }
        lines.push(out);
        start += line.len() + 1;
    }
    lines
}

pub fn escape_char(out: &mut String, ch: char) {
    match ch {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        c => out.push(c),
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        escape_char(&mut out, ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spans the engine would send (the core's view of the parse).
    fn parse(text: &str) -> Highlight {
        let mut diags = stagecraft::diagnostics::Diagnostics::new(text);
        stagecraft::view::highlight(&stagecraft::parse::parse(text, &mut diags), text)
    }

    #[test]
    fn tokens_get_classes_and_text_is_escaped() {
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.26 AS build\n# a <comment>\nCOPY --from=build /a ${DEST}\n";
        let html = highlighted(text, &parse(text)).join("\n");
        assert!(
            html.starts_with("<span class=\"t-directive\"># syntax=docker/dockerfile:1</span>\n"),
            "{html}"
        );
        assert!(html.contains("<span class=\"t-kw\">FROM</span> <span class=\"t-image\">golang:1.26</span> AS <span class=\"t-stage\">build</span>"), "{html}");
        assert!(
            html.contains("<span class=\"t-comment\"># a &lt;comment&gt;</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"t-flag\">--from=build</span> /a <span class=\"t-var\">${DEST}</span>"), "{html}");
    }

    #[test]
    fn before_the_engine_comments_and_variables_are_coloured() {
        let text = "# syntax=docker/dockerfile:1\nFROM a\n# note\nENV A=$B\n";
        let html = highlighted(text, &Highlight::default()).join("\n");
        assert!(html.starts_with("<span class=\"t-directive\"># syntax"), "{html}");
        assert!(html.contains("<span class=\"t-comment\"># note</span>") && html.contains("<span class=\"t-var\">$B</span>"), "{html}");
        assert!(!html.contains("t-kw"), "{html}");
    }

    #[test]
    fn the_overlay_keeps_every_character() {
        let text = "FROM a\nRUN <<EOF\n# not a comment\nEOF\nü € 𝄞 & done";
        let strip = |html: &str| {
            let mut out = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        };
        assert_eq!(strip(&highlighted(text, &parse(text)).join("\n")), text);
        assert!(!highlighted(text, &parse(text))
            .join("")
            .contains("t-comment"));
        let diag = DiagnosticView {
            severity: Severity::Error,
            code: "X".into(),
            message: String::new(),
            start: text.len(),
            end: text.len(),
            line: 5,
            column: 1,
            fix: None,
        };
        let sq = squiggles(text, &[diag]).join("\n");
        assert_eq!(strip(&sq), text);
        assert!(
            sq.contains("<span class=\"sq-error\">ü € 𝄞 &amp; done</span>"),
            "{sq}"
        );
    }
}
