//! Errors found on the scanned lines, before parse-dockerfile runs. Each instruction that is
//! wrong as a whole is blanked out of the patched text, so parse-dockerfile reads the rest.

use std::ops::Range;

use super::patch::Patch;
use super::{scan, words, Ctx, Out, KEYWORDS};

/// Unknown instructions, instructions before the first FROM, malformed FROMs, unterminated
/// heredocs.
pub(super) fn precheck(cx: &Ctx, logicals: &[scan::Logical], patch: &mut Patch, out: &mut Out) {
    let first_from = logicals.iter().position(|l| l.keyword().eq_ignore_ascii_case("from"));
    for (i, lg) in logicals.iter().enumerate() {
        let keyword = lg.keyword();
        let kw_span = cx.span(lg.joined.src_range(lg.at..lg.at + keyword.len()));
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
        if upper == "FROM" && !check_from(cx, lg, patch, out) {
            continue;
        }
        for h in lg.heredocs.iter().filter(|h| !h.terminated) {
            let message =
                format!("heredoc `{0}` is never closed: end it with a line containing only `{0}`", h.marker.name);
            out.error("UnterminatedHeredoc", cx.span(lg.joined.src_range(h.word.clone())), message);
        }
    }
    if first_from.is_none() && !out.has("NoStage") {
        let message = "no FROM instruction: a Dockerfile needs `FROM <image>` to start a build stage";
        out.error("NoStage", cx.span(logicals[0].start..logicals[0].start), message);
    }
}

/// FROM must read `FROM [--platform=…] <image> [AS <name>]`. A malformed line that still has
/// an image keeps it, so the stage does not vanish while the user types; parse-dockerfile is
/// shown only that part. Returns false when the instruction is dropped.
fn check_from(cx: &Ctx, lg: &scan::Logical, patch: &mut Patch, out: &mut Out) -> bool {
    let text = &lg.joined.text;
    let parts = words::split_command(text, lg.at);
    let ws = words::split_words(text, parts.args);
    let is_as = |r: &Range<usize>| text[r.clone()].eq_ignore_ascii_case("as");
    let message = match ws.as_slice() {
        [] => {
            let span = cx.span(lg.joined.src_range(parts.keyword));
            out.error("ParseError", span, "FROM needs an image: FROM <image> [AS <name>]");
            patch.blank(lg.line_start..lg.end);
            return false;
        }
        [_] => return true,
        [_, a, _] if is_as(a) => return true,
        [_, a] if is_as(a) => "`AS` needs a stage name after it: FROM <image> AS <name>",
        _ => "FROM takes an image and optionally a stage name: FROM <image> [AS <name>]",
    };
    let extra = lg.joined.src_range(ws[1].start..ws[ws.len() - 1].end);
    out.error("ParseError", cx.span(extra.clone()), message);
    patch.blank(extra.start..lg.end);
    true
}
