//! Build checks, run after the build on the parsed Dockerfile, the plan and the report.
//!
//! Two families:
//! - BuildKit's rules (`docker build --check`, `frontend/dockerfile/linter`), with its rule
//!   names and message wording, honouring the `# check=skip=…;error=true;experimental=…`
//!   directive (or the `BUILDKIT_DOCKERFILE_CHECK` build arg, which replaces it, as in
//!   BuildKit). Like `docker build --check`, they look at every stage, not only those the
//!   target needs.
//! - Checks only a simulator can make, from what the build produced (files in the final
//!   image, layers and the bytes they waste, the stage graph). `docker build` does not run
//!   them: `error=true` never turns them into errors, but `skip=` names them like any rule.
//!
//! Each file holds one family of rules; [`explain`] has a paragraph per code for a learner.
//! A diagnostic with a mechanical remedy carries a [`Fix`]; [`apply_fix`] applies it.

mod bases;
mod casing;
mod config;
mod context;
mod explain;
mod expose;
mod from;
mod image;
mod layers;
mod order;
mod scope;
mod stages;
mod syntax;
mod text;
mod vars;

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::dockerignore::IgnoreInfo;
use crate::report::Report;
use crate::span::{LineIndex, Span};

pub use crate::diagnostics::{apply_fix, Fix, TextEdit};
pub use config::CheckConfig;
pub use explain::{explain, BUILDKIT_RULES, SIMULATOR_CHECKS};

/// What the checks look at.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The Dockerfile text the report was made from (spans refer to it).
    pub source: &'a str,
    pub report: &'a Report,
    /// The `.dockerignore` applied to the context, if any (for CopyIgnoredFile).
    pub ignore: Option<&'a IgnoreInfo>,
    pub build_args: &'a BTreeMap<String, String>,
}

/// Runs every check; the diagnostics come back sorted by position.
pub fn run(input: &Input<'_>) -> Vec<Diagnostic> {
    let mut sink = Sink { diags: Diagnostics::new(input.source), config: CheckConfig::default() };
    match config::from_input(input) {
        Ok(c) => sink.config = c,
        Err((span, message)) => sink.diags.error("InvalidDirective", span, message),
    }
    let cx = Cx { input, source: input.source, report: input.report, lines: LineIndex::new(input.source) };
    // BuildKit's rules.
    syntax::check(&cx, &mut sink);
    casing::check(&cx, &mut sink);
    stages::check(&cx, &mut sink);
    from::check(&cx, &mut sink);
    vars::check(&cx, &mut sink);
    expose::check(&cx, &mut sink);
    context::check(&cx, &mut sink);
    // The simulator's own.
    image::check(&cx, &mut sink);
    layers::check(&cx, &mut sink);
    order::check(&cx, &mut sink);
    bases::check(&cx, &mut sink);
    let mut out = sink.diags.into_vec();
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// Shared, read-only context of one run.
pub(crate) struct Cx<'a> {
    pub input: &'a Input<'a>,
    pub source: &'a str,
    pub report: &'a Report,
    pub lines: LineIndex,
}

impl Cx<'_> {
    /// The instruction that starts on a 1-based line (what a report's `line` refers to).
    pub fn instruction_on_line(&self, line: usize) -> Option<&crate::dockerfile::Instruction> {
        self.dockerfile().instructions.iter().find(|i| self.lines.line(i.span.start) == line)
    }
    pub fn dockerfile(&self) -> &crate::dockerfile::Dockerfile {
        &self.report.dockerfile
    }
    pub fn escape(&self) -> char {
        self.report.dockerfile.directives.escape
    }
    /// The source text of a span (empty if it is not on character boundaries).
    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }
}

/// Collects the diagnostics, applying the `check` directive.
pub(crate) struct Sink {
    diags: Diagnostics,
    config: CheckConfig,
}

impl Sink {
    /// A BuildKit rule fired: a warning (an error with `error=true`), unless skipped; an
    /// experimental rule only when enabled, and then regardless of `skip`, as in BuildKit.
    pub fn buildkit(&mut self, rule: &'static str, span: Span, message: impl Into<String>, fix: Option<Fix>) {
        if !self.config.runs_buildkit_rule(rule) {
            return;
        }
        let severity = if self.config.error { Severity::Error } else { Severity::Warning };
        self.diags.push_with_fix(severity, rule, span, message, fix);
    }

    /// One of the simulator's own checks fired, unless `skip` names it (or is `all`).
    pub fn simulator(&mut self, code: &'static str, severity: Severity, span: Span, message: impl Into<String>, fix: Option<Fix>) {
        if self.config.skips(code) {
            return;
        }
        self.diags.push_with_fix(severity, code, span, message, fix);
    }
}
