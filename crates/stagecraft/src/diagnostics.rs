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
