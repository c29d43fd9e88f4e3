//! BuildKit's casing rules: StageNameCasing, FromAsCasing, ConsistentInstructionCasing.

use super::{Cx, Fix, Sink};
use crate::dockerfile::{Instruction, InstructionKind};
use crate::span::Span;

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for ins in &cx.dockerfile().instructions {
        if let InstructionKind::From { image, alias: Some(alias) } = &ins.kind {
            let name = &alias.value;
            if *name != name.to_lowercase() {
                let fix = Fix::replace("Write the stage name in lowercase", alias.span, name.to_lowercase());
                sink.buildkit("StageNameCasing", alias.span, format!("Stage name '{name}' should be lowercase"), Some(fix));
            }
            from_as(cx, sink, ins, image.span, alias.span);
        }
    }
    instruction_casing(cx, sink);
}

fn is_lower(s: &str) -> bool {
    s == s.to_lowercase()
}
fn is_upper(s: &str) -> bool {
    s == s.to_uppercase()
}

/// `FROM x as y`: the `as` keyword in the case of FROM, when FROM is all one case.
fn from_as(cx: &Cx<'_>, sink: &mut Sink, ins: &Instruction, image: Span, alias: Span) {
    let from = ins.keyword.value.as_str();
    let Some(as_span) = as_keyword(cx.source, image.end, alias.start) else { return };
    let as_word = cx.text(as_span);
    let wanted = if is_lower(from) {
        "as"
    } else if is_upper(from) {
        "AS"
    } else {
        return;
    };
    if as_word != wanted {
        let fix = Fix::replace(format!("Write `{wanted}` like `{from}`"), as_span, wanted);
        sink.buildkit("FromAsCasing", as_span, format!("'{as_word}' and '{from}' keywords' casing do not match"), Some(fix));
    }
}

/// The `as` between the image and the stage name.
fn as_keyword(source: &str, from: usize, to: usize) -> Option<Span> {
    let gap = source.get(from..to)?;
    let mut start = None;
    for (i, c) in gap.char_indices().chain(std::iter::once((gap.len(), ' '))) {
        if !c.is_whitespace() {
            start = start.or(Some(i));
        } else if let Some(s) = start.take() {
            if gap[s..i].eq_ignore_ascii_case("as") {
                return Some(Span::new(from + s, from + i));
            }
        }
    }
    None
}

/// Instructions of the stages (not the ARGs before the first FROM, as in BuildKit) counted
/// by case; each keyword that is not in the majority's case is reported. A tie counts as
/// upper case.
fn instruction_casing(cx: &Cx<'_>, sink: &mut Sink) {
    let instructions = &cx.dockerfile().instructions;
    let Some(first) = instructions.iter().position(|i| matches!(i.kind, InstructionKind::From { .. })) else { return };
    let staged = &instructions[first..];
    let (mut lower, mut upper) = (0, 0);
    for ins in staged {
        let kw = ins.keyword.value.as_str();
        if is_lower(kw) {
            lower += 1;
        } else if is_upper(kw) {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    for ins in staged {
        let kw = ins.keyword.value.as_str();
        let (wanted, casing) = if majority_lower { (kw.to_lowercase(), "lowercase") } else { (kw.to_uppercase(), "uppercase") };
        if kw != wanted {
            let fix = Fix::replace(format!("Write `{wanted}`"), ins.keyword.span, wanted);
            let message = format!("Command '{kw}' should match the case of the command majority ({casing})");
            sink.buildkit("ConsistentInstructionCasing", ins.keyword.span, message, Some(fix));
        }
    }
}
