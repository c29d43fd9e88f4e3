//! BuildKit's own parser test data (`../shared/corpus/buildkit/parser*`): our model, rendered
//! in BuildKit's AST dump format, must match its `result` files line for line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use stagecraft::diagnostics::{Diagnostics, Severity};
use stagecraft::dockerfile::{CommandForm, CopySource, Dockerfile, Instruction, InstructionKind, Word};
use stagecraft::parse::parse;
use stagecraft::span::LineIndex;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/buildkit");

/// Cases with no FROM: BuildKit's parser test reads them as snippets, but a Dockerfile
/// without a build stage is an error for us (as for `docker build`).
const SKIPPED: &[(&str, &str)] = &[
    ("jeztah-invalid-json-json-inside-string", "no FROM: a lone CMD snippet"),
    ("jeztah-invalid-json-json-inside-string-double", "no FROM: a lone CMD snippet"),
    ("jeztah-invalid-json-single-quotes", "no FROM: a lone CMD snippet"),
    ("jeztah-invalid-json-unterminated-bracket", "no FROM: a lone CMD snippet"),
    ("jeztah-invalid-json-unterminated-string", "no FROM: a lone CMD snippet"),
    ("json", "no FROM: a list of CMD snippets"),
];

/// Lines BuildKit's parser accepts but its instruction parser rejects, so `docker build`
/// fails on them: we report an error on that Dockerfile line instead of producing the node.
const REJECTED: &[(&str, usize, &str, &str)] = &[
    ("health", 4, "(healthcheck)", "HEALTHCHECK without arguments"),
    ("health", 7, "(healthcheck \"CMD\")", "HEALTHCHECK CMD without a command"),
    ("health", 10, "(healthcheck \"CONNECT\" \"TCP 7000\")", "HEALTHCHECK with an unknown type"),
];

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join(dir))
        .unwrap_or_else(|e| panic!("{CORPUS}/{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Dockerfile").is_file())
        .collect();
    v.sort();
    v
}

fn parse_text(text: &str) -> (Dockerfile, Diagnostics) {
    let mut diags = Diagnostics::new(text);
    let df = parse(text, &mut diags);
    (df, diags)
}

#[test]
fn parser_cases_match_buildkit_dumps() {
    let mut checked = 0;
    let mut matched = 0;
    let mut skipped = Vec::new();
    let mut report = String::new();
    for case in cases("parser") {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(case.join("Dockerfile")).unwrap();
        let has_from = text.lines().any(|l| l.trim_start().to_ascii_uppercase().starts_with("FROM"));
        if !has_from {
            let reason = SKIPPED.iter().find(|(n, _)| *n == name).map(|(_, r)| *r);
            assert!(reason.is_some(), "{name} has no FROM but is not listed in SKIPPED");
            skipped.push(format!("{name}: {}", reason.unwrap()));
            continue;
        }
        assert!(!SKIPPED.iter().any(|(n, _)| *n == name), "{name} has a FROM; remove it from SKIPPED");
        checked += 1;
        let result = std::fs::read_to_string(case.join("result")).unwrap().replace("\r\n", "\n");
        let (df, diags) = parse_text(&text);
        let ours: Vec<String> = df.instructions.iter().map(|i| format!("({})", node(i, &text))).collect();
        let mut problems = Vec::new();
        let mut expected = Vec::new();
        for line in result.lines() {
            match REJECTED.iter().find(|(n, _, l, _)| *n == name && *l == line) {
                Some((_, at, _, why)) => {
                    let reported = diags.items().iter().any(|d| d.severity == Severity::Error && d.line == *at);
                    if !reported {
                        problems.push(format!("  no error on line {at} ({why})"));
                    }
                }
                None => expected.push(line.to_string()),
            }
        }
        for i in 0..expected.len().max(ours.len()) {
            let (e, o) = (expected.get(i), ours.get(i));
            if e != o {
                problems.push(format!("  #{i}\n    buildkit: {}\n    ours:     {}", show(e), show(o)));
            }
        }
        let unexpected: Vec<_> = diags
            .items()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| !REJECTED.iter().any(|(n, at, ..)| *n == name && *at == d.line))
            .filter(|d| d.code != "UnknownFlag") // the `flags` case uses made-up flags on purpose
            .map(|d| format!("  unexpected error {}:{} {} {}", d.line, d.column, d.code, d.message))
            .collect();
        problems.extend(unexpected);
        if problems.is_empty() {
            matched += 1;
        } else {
            writeln!(report, "{name}:\n{}", problems.join("\n")).unwrap();
        }
    }
    println!("checked {checked}, matched {matched}; skipped {}:\n  {}", skipped.len(), skipped.join("\n  "));
    assert!(report.is_empty(), "{} of {checked} cases differ from BuildKit:\n{report}", checked - matched);
    assert_eq!((checked, skipped.len()), (27, 6), "the corpus changed");
}

fn show(line: Option<&String>) -> &str {
    line.map_or("(nothing)", |s| s.as_str())
}

#[test]
fn negative_cases_are_errors() {
    let cases = cases("parser-negative");
    for case in &cases {
        let text = std::fs::read_to_string(case.join("Dockerfile")).unwrap();
        let (_, diags) = parse_text(&text);
        assert!(diags.has_errors(), "{} parsed without an error", case.display());
    }
    assert_eq!(cases.len(), 4, "the corpus changed");
}

#[test]
fn instruction_lines_match_buildkit() {
    let dir = Path::new(CORPUS).join("parser-line");
    let text = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let (df, diags) = parse_text(&text);
    assert!(!diags.has_errors(), "{:?}", diags.items());
    let index = LineIndex::new(&text);
    let lines: Vec<[u64; 2]> =
        df.instructions.iter().map(|i| [index.line(i.span.start) as u64, index.line(i.span.end) as u64]).collect();
    let want: Vec<[u64; 2]> = expected["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| [c[0].as_u64().unwrap(), c[1].as_u64().unwrap()])
        .collect();
    assert_eq!(lines, want);
    let root = &expected["root"];
    assert_eq!(lines.first().map(|l| l[0]), root["start_line"].as_u64());
    assert_eq!(lines.last().map(|l| l[1]), root["end_line"].as_u64());
}

/// One instruction in BuildKit's `Node.Dump()` format, without the outer parentheses.
fn node(i: &Instruction, src: &str) -> String {
    let mut s = i.kind.name().to_ascii_lowercase();
    if !i.flags.is_empty() {
        let flags: Vec<String> = i
            .flags
            .iter()
            .map(|f| quote(&format!("--{}{}", f.name, f.value.as_ref().map_or(String::new(), |v| format!("={v}")))))
            .collect();
        write!(s, " [{}]", flags.join(" ")).unwrap();
    }
    for arg in args(i, src) {
        s.push(' ');
        s.push_str(&arg);
    }
    s
}

fn args(i: &Instruction, src: &str) -> Vec<String> {
    let words = |ws: &[Word]| ws.iter().map(|w| quote(&w.value)).collect::<Vec<_>>();
    let command = |c: &CommandForm| match c {
        CommandForm::Exec(v) => v.iter().map(|s| quote(s)).collect(),
        CommandForm::Shell(s) => vec![quote(&s.value)],
    };
    match &i.kind {
        InstructionKind::From { image, alias } => {
            let mut v = vec![quote(&image.value)];
            if let Some(alias) = alias {
                v.push(quote(src[image.span.end..alias.span.start].trim()));
                v.push(quote(&alias.value));
            }
            v
        }
        InstructionKind::Arg(decls) => decls
            .iter()
            .map(|d| match &d.default {
                Some(v) => quote(&format!("{}={}", d.name.value, v.value)),
                None => quote(&d.name.value),
            })
            .collect(),
        InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => kvs
            .iter()
            .flat_map(|kv| {
                // The legacy `KEY value` form has no `=` after the key.
                let sep = if src[kv.key.span.end..].starts_with('=') { "=" } else { "" };
                [quote(&kv.key.value), quote(&kv.value.value), quote(sep)]
            })
            .collect(),
        InstructionKind::Run { command: c, .. } | InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => {
            command(c)
        }
        InstructionKind::Copy(c) | InstructionKind::Add(c) => {
            let mut v: Vec<String> = c
                .sources
                .iter()
                .map(|s| match s {
                    CopySource::Path(w) => quote(&w.value),
                    CopySource::Heredoc(h) => quote(&format!("<<{}", h.name)),
                })
                .collect();
            v.push(quote(&c.dest.value));
            v
        }
        InstructionKind::Workdir(w)
        | InstructionKind::User(w)
        | InstructionKind::Stopsignal(w)
        | InstructionKind::Maintainer(w) => vec![quote(&w.value)],
        InstructionKind::Expose(ws) | InstructionKind::Volume(ws) => words(ws),
        InstructionKind::Shell(v) => v.iter().map(|s| quote(s)).collect(),
        InstructionKind::Healthcheck(None) => vec![quote("NONE")],
        InstructionKind::Healthcheck(Some(c)) => std::iter::once(quote("CMD")).chain(command(c)).collect(),
        InstructionKind::Onbuild(inner) => vec![format!("({})", node(inner, src))],
    }
}

/// Go's `strconv.Quote`, enough for this corpus.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => write!(out, "\\x{:02x}", c as u32).unwrap(),
            c if c.is_control() || (c.is_whitespace() && c != ' ') => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
