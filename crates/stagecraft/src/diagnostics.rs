//! Diagnostics: everything the simulator has to say about a Dockerfile — errors,
//! warnings and the guesses it made. User input never produces an `Err`; it produces these.

use crate::span::{LineIndex, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier, e.g. `UndefinedStage`; BuildKit's check names where one exists.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    /// 1-based, resolved from `span`.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// A mechanical change to the Dockerfile that resolves this diagnostic, when one exists.
    pub fix: Option<Fix>,
}

/// A suggested change to the Dockerfile text: data only, applied with [`apply_fix`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the change does, in the user's terms (`Write the stage name in lowercase`).
    pub title: String,
    /// Non-overlapping replacements of byte ranges of the source the diagnostic was made for.
    pub edits: Vec<TextEdit>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub replacement: String,
    /// 1-based positions of the span, resolved when the diagnostic is recorded.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl TextEdit {
    pub fn new(span: Span, replacement: impl Into<String>) -> TextEdit {
        TextEdit { span, replacement: replacement.into(), line: 0, column: 0, end_line: 0, end_column: 0 }
    }
}

impl Fix {
    pub fn new(title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix { title: title.into(), edits }
    }
    /// A fix that replaces one range.
    pub fn replace(title: impl Into<String>, span: Span, replacement: impl Into<String>) -> Fix {
        Fix::new(title, vec![TextEdit::new(span, replacement)])
    }
}

/// `source` with the fix's edits applied. Edits are applied from the last to the first, so
/// their spans all refer to the original text; an edit that overlaps an earlier one, falls
/// outside the text or off a character boundary is skipped rather than corrupting the text.
pub fn apply_fix(source: &str, fix: &Fix) -> String {
    let mut edits: Vec<&TextEdit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for e in edits {
        let (start, end) = (e.span.start, e.span.end);
        if start < at || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            continue;
        }
        out.push_str(&source[at..start]);
        out.push_str(&e.replacement);
        at = end;
    }
    out.push_str(&source[at..]);
    out
}

/// Collects diagnostics for one source text, resolving spans to lines and columns.
#[derive(Debug)]
pub struct Diagnostics {
    index: LineIndex,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(source: &str) -> Diagnostics {
        Diagnostics { index: LineIndex::new(source), items: Vec::new() }
    }

    pub fn push(&mut self, severity: Severity, code: &'static str, span: Span, message: impl Into<String>) {
        self.push_with_fix(severity, code, span, message, None)
    }

    pub fn push_with_fix(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        mut fix: Option<Fix>,
    ) {
        for e in fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            let (a, b) = (self.index.position(e.span.start), self.index.position(e.span.end));
            (e.line, e.column, e.end_line, e.end_column) = (a.line, a.column, b.line, b.column);
        }
        let start = self.index.position(span.start);
        let end = self.index.position(span.end);
        self.items.push(Diagnostic {
            severity,
            code,
            message: message.into(),
            span,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            fix,
        });
    }

    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.push(Severity::Error, code, span, message)
    }
    pub fn warning(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.push(Severity::Warning, code, span, message)
    }
    pub fn info(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.push(Severity::Info, code, span, message)
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
    pub fn line_index(&self) -> &LineIndex {
        &self.index
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> TextEdit {
        TextEdit::new(Span::new(start, end), replacement.to_string())
    }

    #[test]
    fn fixes_apply_against_the_original_offsets() {
        let src = "from alpine as Build\nrun true\n";
        let fix = Fix::new("x", vec![edit(15, 20, "build"), edit(0, 4, "FROM"), edit(12, 14, "AS"), edit(21, 24, "RUN")]);
        assert_eq!(apply_fix(src, &fix), "FROM alpine AS build\nRUN true\n");
        // Insertions and deletions.
        assert_eq!(apply_fix("ab", &Fix::new("x", vec![edit(1, 1, "-"), edit(0, 1, "")])), "-b");
    }

    #[test]
    fn bad_edits_are_skipped_not_applied() {
        let src = "é=1";
        let fix = Fix::new("x", vec![edit(1, 2, "?"), edit(0, 99, "!"), edit(2, 3, ":"), edit(2, 3, ";")]);
        assert_eq!(apply_fix(src, &fix), "é:1");
    }
}
