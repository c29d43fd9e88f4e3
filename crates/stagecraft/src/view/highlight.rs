//! The spans the editor colours, from the parsed Dockerfile: the page adds comments and
//! `$variables` itself (they need no parse), so it can colour those before the engine is in.

use serde::{Deserialize, Serialize};

use crate::dockerfile::{CopySource, Dockerfile, Instruction, InstructionKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    Image,
    Stage,
    Flag,
    Keyword,
    Heredoc,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// Byte ranges and what they are, in painting order (a later one wins where they overlap).
    pub tokens: Vec<(usize, usize, TokenKind)>,
    /// Heredoc bodies: a `#` line inside one is not a comment.
    pub heredocs: Vec<(usize, usize)>,
    /// Where the parser directives (`# syntax=`, `# check=`) end; 0 when there are none.
    pub directives_end: usize,
}

/// The spans of `dockerfile`, parsed from `source` (clamped to its length).
pub fn highlight(dockerfile: &Dockerfile, source: &str) -> Highlight {
    let mut out = Highlight::default();
    for ins in &dockerfile.instructions {
        instruction(ins, &mut out);
    }
    for t in &mut out.tokens {
        t.1 = t.1.min(source.len());
    }
    out.tokens.retain(|(s, e, _)| s < e);
    out.directives_end = [&dockerfile.directives.syntax, &dockerfile.directives.check]
        .into_iter()
        .flatten()
        .map(|d| d.span.end)
        .max()
        .unwrap_or(0);
    out
}

fn instruction(ins: &Instruction, out: &mut Highlight) {
    match &ins.kind {
        InstructionKind::From { image, alias } => {
            out.tokens.push((image.span.start, image.span.end, TokenKind::Image));
            if let Some(a) = alias {
                out.tokens.push((a.span.start, a.span.end, TokenKind::Stage));
            }
        }
        InstructionKind::Onbuild(inner) => instruction(inner, out),
        _ => {}
    }
    let heredocs: Vec<(usize, usize)> = match &ins.kind {
        InstructionKind::Run { heredocs, .. } => heredocs.iter().map(|h| (h.span.start, h.span.end)).collect(),
        InstructionKind::Copy(args) | InstructionKind::Add(args) => args
            .sources
            .iter()
            .filter_map(|s| match s {
                CopySource::Heredoc(h) => Some((h.span.start, h.span.end)),
                CopySource::Path(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for &(start, end) in &heredocs {
        out.tokens.push((start, end, TokenKind::Heredoc));
    }
    out.heredocs.extend(heredocs);
    for f in &ins.flags {
        out.tokens.push((f.span.start, f.span.end, TokenKind::Flag));
    }
    out.tokens.push((ins.keyword.span.start, ins.keyword.span.end, TokenKind::Keyword));
}
