//! Stepping through the build (`crate::steps`), owned, with the lines each step spans.

use serde::{Deserialize, Serialize};

use super::File;
use crate::report::Report;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub stage: usize,
    pub stage_label: String,
    /// The instruction's first and last line (a continued or heredoc instruction spans several).
    pub line: usize,
    pub last_line: usize,
    /// The instruction as one line.
    pub text: String,
    /// What it did, in a sentence.
    pub explanation: String,
    /// The bytes of the layer it added, if any (a FROM's: the base image).
    pub layer_bytes: Option<u64>,
    pub failed: bool,
}

/// Every step of the build, in build order; `source` is the text the report was made from.
pub fn steps(report: &Report, source: &str) -> Vec<Step> {
    crate::steps::steps(report)
        .into_iter()
        .map(|s| {
            let extra = report
                .dockerfile
                .instructions
                .get(s.instruction)
                .and_then(|ins| source.as_bytes().get(ins.span.start..ins.span.end.saturating_sub(1).max(ins.span.start)))
                .map_or(0, |inner| inner.iter().filter(|b| **b == b'\n').count());
            Step {
                stage: s.stage,
                stage_label: s.stage_label,
                line: s.line,
                last_line: s.line + extra,
                text: s.text.to_string(),
                explanation: s.explanation,
                layer_bytes: s.layer_bytes,
                failed: s.failed,
            }
        })
        .collect()
}

/// The files of the stage right after step `index` (`report::files_at`).
pub fn step_files(report: &Report, index: usize) -> Vec<File> {
    let Some((stage, fs)) = crate::steps::step_at(report, index) else { return Vec::new() };
    let Some(stage) = report.stage(stage) else { return Vec::new() };
    crate::report::files_at(stage, fs).into_iter().map(File::from).collect()
}
