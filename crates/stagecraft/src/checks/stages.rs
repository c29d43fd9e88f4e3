//! Stage names and the stage graph: BuildKit's ReservedStageName and the simulator's
//! UnusedStage. (A duplicate stage name fails the build: `plan` reports DuplicateStageName
//! as an error, so it is not repeated here.)

use super::{text, Cx, Fix, Sink};
use crate::diagnostics::Severity;
use crate::dockerfile::InstructionKind;
use crate::span::Span;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let plan = &cx.report.plan;
    let instructions = &cx.dockerfile().instructions;
    for stage in &plan.stages {
        let Some(name) = &stage.name else { continue };
        let Some(InstructionKind::From { alias: Some(alias), .. }) = instructions.get(stage.from_instruction).map(|i| &i.kind)
        else {
            continue;
        };
        if name == "scratch" || name == "context" {
            sink.buildkit(
                "ReservedStageName",
                alias.span,
                format!("Stage name should not use the same name as reserved stage {name:?}"),
                None,
            );
        }
    }
    unused(cx, sink);
}

/// UnusedStage: neither the target nor needed by it. An unnamed stage can never be a target
/// (`--target` takes a name), so it is dead; a named one may be another build's target.
fn unused(cx: &Cx<'_>, sink: &mut Sink) {
    let plan = &cx.report.plan;
    let Some(target) = plan.target else { return };
    let target_label = plan.stages[target].label();
    let instructions = &cx.dockerfile().instructions;
    let referenced = |index: usize| plan.stages.iter().any(|s| s.deps.iter().any(|d| d.stage == index) || s.base == crate::plan::Base::Stage(index));
    for stage in plan.stages.iter().filter(|s| !s.needed && s.index != target) {
        let Some(from) = instructions.get(stage.from_instruction) else { continue };
        let span = from.keyword.span.to(stage.base_span);
        match &stage.name {
            // A stage other stages use belongs to another target's chain: not worth a note.
            Some(_) if referenced(stage.index) => {}
            Some(name) => sink.simulator(
                "UnusedStage",
                Severity::Info,
                span,
                format!(
                    "stage {name:?} is not needed to build the target ({target_label}), so BuildKit skips it; \
                     it is only built with --target {name}"
                ),
                None,
            ),
            // The last stage is the default target: only `--target` skips it.
            None if stage.index + 1 == plan.stages.len() => sink.simulator(
                "UnusedStage",
                Severity::Info,
                span,
                format!("stage {} is the default target; building --target {target_label} skips it", stage.index),
                None,
            ),
            None => {
                let message = format!(
                    "stage {} is never used: the target ({target_label}) does not need it, and without a name \
                     it cannot be a target itself",
                    stage.index
                );
                sink.simulator("UnusedStage", Severity::Warning, span, message, delete_stage(cx, stage.index));
            }
        }
    }
}

/// Deleting a stage renumbers the stages after it, so only when nothing refers to a stage
/// by number (`--from=0`, `--mount=from=0`).
fn delete_stage(cx: &Cx<'_>, index: usize) -> Option<Fix> {
    let numeric = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
    let by_number = cx.dockerfile().instructions.iter().any(|ins| {
        let ins = match &ins.kind {
            InstructionKind::Onbuild(trigger) => trigger.as_ref(),
            _ => ins,
        };
        ins.flag_values("from").any(|f| f.value.as_deref().is_some_and(numeric))
            || ins.flag_values("mount").any(|f| f.value.as_deref().and_then(crate::plan::mount_from).is_some_and(numeric))
    });
    if by_number {
        return None;
    }
    Some(Fix::replace(format!("Delete stage {index}"), stage_text(cx, index)?, ""))
}

/// The text of stage `index`: from its FROM line to the next FROM line (or the end).
pub(super) fn stage_text(cx: &Cx<'_>, index: usize) -> Option<Span> {
    let plan = &cx.report.plan;
    let stage = plan.stages.get(index)?;
    let instructions = &cx.dockerfile().instructions;
    let start = text::line(cx.source, instructions.get(stage.from_instruction)?.span.start).start;
    let mut end = match plan.stages.get(index + 1) {
        Some(next) => text::line(cx.source, instructions.get(next.from_instruction)?.span.start).start,
        None => cx.source.len(),
    };
    // Comment lines right above the next FROM describe it: they stay.
    while end > start {
        let above = text::line(cx.source, end - 1);
        if !cx.text(above).trim_start().starts_with('#') {
            break;
        }
        end = above.start;
    }
    Some(Span::new(start, end))
}
