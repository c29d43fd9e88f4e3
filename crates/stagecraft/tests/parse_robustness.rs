//! The parser never panics and its spans stay inside the text: every prefix of some
//! Dockerfiles (what the playground sees while the user types) and random garbage.

use stagecraft::diagnostics::Diagnostics;
use stagecraft::dockerfile::{CommandForm, CopySource, Instruction, InstructionKind, Word};
use stagecraft::parse::parse;
use stagecraft::span::Span;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    let full = format!("{ROOT}/{path}");
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Parses `text` and checks that every span is within it, on character boundaries, that no
/// diagnostic is repeated (recovery made progress) and that the two readers agreed.
fn parse_checked(text: &str) {
    let mut diags = Diagnostics::new(text);
    let df = parse(text, &mut diags);
    let ok = |s: Span| {
        s.start <= s.end && s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
    };
    let mut spans = Vec::new();
    for i in &df.instructions {
        collect(i, &mut spans);
    }
    spans.extend(diags.items().iter().map(|d| d.span));
    spans.extend(df.directives.syntax.iter().chain(&df.directives.check).map(|d| d.span));
    let items = diags.items();
    for (i, d) in items.iter().enumerate() {
        assert!(!d.message.starts_with("internal error"), "{}; text: {text:?}", d.message);
        let repeated = items[..i].iter().any(|e| (e.code, e.span, &e.message) == (d.code, d.span, &d.message));
        assert!(!repeated, "diagnostic reported twice: {} {}; text: {text:?}", d.code, d.message);
    }
    if let Some(bad) = spans.into_iter().find(|&s| !ok(s)) {
        panic!("span {bad:?} outside the text or not on a character boundary; text: {text:?}");
    }
}

fn collect(i: &Instruction, spans: &mut Vec<Span>) {
    spans.extend([i.span, i.keyword.span]);
    spans.extend(i.flags.iter().map(|f| f.span));
    let words = |ws: &[Word], spans: &mut Vec<Span>| spans.extend(ws.iter().map(|w| w.span));
    let command = |c: &CommandForm, spans: &mut Vec<Span>| {
        if let CommandForm::Shell(s) = c {
            spans.push(s.span);
        }
    };
    match &i.kind {
        InstructionKind::From { image, alias } => {
            spans.push(image.span);
            spans.extend(alias.iter().map(|a| a.span));
        }
        InstructionKind::Arg(decls) => {
            for d in decls {
                spans.push(d.name.span);
                spans.extend(d.default.iter().map(|v| v.span));
            }
        }
        InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => {
            spans.extend(kvs.iter().flat_map(|kv| [kv.key.span, kv.value.span]))
        }
        InstructionKind::Run { command: c, heredocs } => {
            command(c, spans);
            spans.extend(heredocs.iter().map(|h| h.span));
        }
        InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) | InstructionKind::Healthcheck(Some(c)) => {
            command(c, spans)
        }
        InstructionKind::Copy(c) | InstructionKind::Add(c) => {
            for s in &c.sources {
                spans.push(match s {
                    CopySource::Path(w) => w.span,
                    CopySource::Heredoc(h) => h.span,
                });
            }
            spans.push(c.dest.span);
        }
        InstructionKind::Workdir(w)
        | InstructionKind::User(w)
        | InstructionKind::Stopsignal(w)
        | InstructionKind::Maintainer(w) => spans.push(w.span),
        InstructionKind::Expose(ws) | InstructionKind::Volume(ws) => words(ws, spans),
        InstructionKind::Shell(_) | InstructionKind::Healthcheck(None) => {}
        InstructionKind::Onbuild(inner) => collect(inner, spans),
    }
}

#[test]
fn every_prefix_parses() {
    let files = [
        "stagecraft/test_data/parse/heredoc_run.Dockerfile",
        "stagecraft/test_data/parse/heredoc_copy.Dockerfile",
        "stagecraft/test_data/parse/escape_backtick.Dockerfile",
        "stagecraft/test_data/parse/env_label_arg.Dockerfile",
        "stagecraft/test_data/parse/onbuild.Dockerfile",
        "stagecraft/test_data/parse/bom_and_crlf.Dockerfile",
        "stagecraft/test_data/parse/forms.Dockerfile",
        "../../shared/corpus/buildkit/parser/env/Dockerfile",
        "../../shared/corpus/buildkit/parser/continueIndent/Dockerfile",
        "../../shared/corpus/real-world/docker__buildx__hack_dockerfiles_lint.Dockerfile.Dockerfile",
        "../../shared/corpus/real-world/docker__awesome-compose__react-nginx_Dockerfile.Dockerfile",
    ];
    for file in files {
        let text = read(file);
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            parse_checked(&text[..end]);
        }
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn garbage_parses() {
    const PIECES: &[&str] = &[
        "FROM ",
        "from",
        "RUN ",
        "COPY ",
        "ADD ",
        "ENV ",
        "ARG ",
        "LABEL ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "CMD ",
        "SHELL ",
        "VOLUME ",
        "EXPOSE ",
        "WORKDIR ",
        "USER ",
        "AS ",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\\",
        "\\\n",
        "`",
        "`\n",
        "\"",
        "'",
        "[",
        "]",
        "[\"a\"",
        ",",
        "=",
        "--",
        "--mount=",
        "#",
        "# escape=`\n",
        "# syntax=x\n",
        "<<",
        "<<-",
        "<<EOF",
        "EOF",
        "\nEOF\n",
        "$",
        "${",
        "}",
        "é",
        "\u{feff}",
        "\u{a0}",
        "a",
        "b/c",
        "-",
        "0",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..10000 {
        let len = rng.below(40);
        let mut text = String::new();
        for _ in 0..len {
            if rng.below(8) == 0 {
                text.push(char::from_u32(rng.below(0x800) as u32).unwrap_or('?'));
            } else {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
        }
        parse_checked(&text);
    }
}
