//! One instruction from parse-dockerfile, plus BuildKit's reading of its line (`scan`),
//! into the model. parse-dockerfile decides what the instruction is and whether it is
//! well-formed; the arguments are cut the way BuildKit's `line_parsers.go` and
//! `instructions/parse.go` cut them, on the joined line, so the text matches `docker build`.

use std::ops::Range;

use parse_dockerfile as pd;

use super::scan::{Logical, ScannedHeredoc};
use super::words::{self, Json};
use super::{Ctx, Out};
use crate::dockerfile::{
    ArgDecl, CommandForm, CopyArgs, CopySource, Flag, Heredoc, Instruction, InstructionKind, KeyValue, Spanned, Word,
};

/// The instruction `ins` that parse-dockerfile read where `lg` starts. `None` when BuildKit
/// would reject it (the reason is in `out`).
pub(super) fn instruction(cx: &Ctx, ins: &pd::Instruction<'_>, lg: &Logical, out: &mut Out) -> Option<Instruction> {
    Conv { cx, lg, out }.instruction(ins, lg.at)
}

struct Conv<'c, 'o> {
    cx: &'c Ctx<'c>,
    lg: &'c Logical,
    out: &'o mut Out,
}

impl Conv<'_, '_> {
    fn text(&self) -> &str {
        &self.lg.joined.text
    }
    fn span(&self, r: Range<usize>) -> crate::span::Span {
        self.cx.span(self.lg.joined.src_range(r))
    }
    fn word(&self, r: Range<usize>) -> Word {
        Word { value: self.text()[r.clone()].to_string(), span: self.span(r) }
    }

    /// The strings of a JSON array with the span of each literal.
    fn json_words(&self, values: Vec<String>, args: Range<usize>) -> Vec<Word> {
        let literals = words::json_strings(self.text(), args.clone());
        let whole = self.span(args);
        let spans: Vec<_> = if literals.len() == values.len() {
            literals.into_iter().map(|r| self.span(r)).collect()
        } else {
            vec![whole; values.len()]
        };
        values.into_iter().zip(spans).map(|(value, span)| Word { value, span }).collect()
    }

    fn instruction(&mut self, ins: &pd::Instruction<'_>, at: usize) -> Option<Instruction> {
        let parts = words::split_command(self.text(), at);
        let keyword = self.word(parts.keyword.clone());
        let flags: Vec<Flag> = parts
            .flags
            .iter()
            .map(|f| {
                let body = f.text.strip_prefix("--").unwrap_or(&f.text);
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (body.to_string(), None),
                };
                Flag { name, value, span: self.span(f.raw.clone()) }
            })
            .collect();
        let args = parts.args;
        let whole = self.span(at..self.text().len());
        let kind = match ins {
            pd::Instruction::From(_) => self.from(args)?,
            pd::Instruction::Arg(_) => InstructionKind::Arg(self.arg(args)),
            pd::Instruction::Env(_) => InstructionKind::Env(self.key_values("ENV", args)?),
            pd::Instruction::Label(_) => InstructionKind::Label(self.key_values("LABEL", args)?),
            pd::Instruction::Run(_) => self.run(args)?,
            pd::Instruction::Cmd(_) => InstructionKind::Cmd(self.command("CMD", args)?),
            pd::Instruction::Entrypoint(_) => InstructionKind::Entrypoint(self.command("ENTRYPOINT", args)?),
            pd::Instruction::Copy(_) => InstructionKind::Copy(self.copy("COPY", args)?),
            pd::Instruction::Add(_) => InstructionKind::Add(self.copy("ADD", args)?),
            pd::Instruction::Workdir(_) => InstructionKind::Workdir(self.word(args)),
            pd::Instruction::User(_) => InstructionKind::User(self.word(args)),
            pd::Instruction::Stopsignal(_) => InstructionKind::Stopsignal(self.word(args)),
            pd::Instruction::Maintainer(_) => InstructionKind::Maintainer(self.word(args)),
            pd::Instruction::Expose(_) => InstructionKind::Expose(
                words::split_words(self.text(), args).into_iter().map(|w| self.word(w)).collect(),
            ),
            pd::Instruction::Volume(_) => InstructionKind::Volume(self.volume(args)?),
            pd::Instruction::Shell(_) => InstructionKind::Shell(self.shell(args)?),
            pd::Instruction::Healthcheck(_) => InstructionKind::Healthcheck(self.healthcheck(args)?),
            pd::Instruction::Onbuild(o) => {
                let inner = self.instruction(&o.instruction, args.start)?;
                if matches!(inner.kind, InstructionKind::From { .. } | InstructionKind::Maintainer(_)) {
                    let message = format!("{} can't be an ONBUILD trigger", inner.kind.name());
                    self.out.error("ParseError", inner.keyword.span, message);
                    return None;
                }
                InstructionKind::Onbuild(Box::new(inner))
            }
            _ => {
                self.out.error("ParseError", whole, "this instruction is not supported");
                return None;
            }
        };
        check_flags(self.out, &kind, &flags);
        let span = self.cx.span(self.lg.joined.src(at)..self.lg.end);
        Some(Instruction { span, keyword, flags, kind })
    }

    fn from(&mut self, args: Range<usize>) -> Option<InstructionKind> {
        // A malformed line was reported by `precheck`, which keeps the image so the stage stays.
        let ws = words::split_words(self.text(), args.clone());
        let alias = match ws.as_slice() {
            [_, as_, name] if self.text()[as_.clone()].eq_ignore_ascii_case("as") => Some(self.word(name.clone())),
            _ => None,
        };
        let Some(image) = ws.first() else {
            self.out.error("ParseError", self.span(args), "FROM needs an image: FROM <image> [AS <name>]");
            return None;
        };
        if let Some(name) = &alias {
            if !valid_stage_name(&name.value) {
                let message = format!(
                    "invalid stage name `{}`: a stage name starts with a letter and has only \
                     letters, digits, `-`, `_` and `.`",
                    name.value
                );
                self.out.error("InvalidStageName", name.span, message);
            }
        }
        Some(InstructionKind::From { image: self.word(image.clone()), alias })
    }

    fn arg(&mut self, args: Range<usize>) -> Vec<ArgDecl> {
        words::parse_words(self.text(), args, self.cx.escape)
            .into_iter()
            .map(|w| match self.text()[w.clone()].find('=') {
                Some(eq) => ArgDecl {
                    name: self.word(w.start..w.start + eq),
                    default: Some(self.word(w.start + eq + 1..w.end)),
                },
                None => ArgDecl { name: self.word(w), default: None },
            })
            .collect()
    }

    fn key_values(&mut self, name: &str, args: Range<usize>) -> Option<Vec<KeyValue>> {
        let nv = match words::name_vals(self.text(), args.clone(), self.cx.escape, name) {
            Ok(nv) => nv,
            Err(message) => {
                self.out.error("ParseError", self.span(args), message);
                return None;
            }
        };
        let mut pairs = Vec::with_capacity(nv.pairs.len());
        for (k, v) in nv.pairs {
            if k.is_empty() {
                self.out.error("ParseError", self.span(k.start..v.end), format!("{name} names can not be blank"));
                return None;
            }
            pairs.push(KeyValue { key: self.word(k), value: self.word(v) });
        }
        Some(pairs)
    }

    /// The exec or shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
    fn command(&mut self, name: &str, args: Range<usize>) -> Option<CommandForm> {
        match words::json_array(&self.text()[args.clone()]) {
            Json::Strings(v) => Some(CommandForm::Exec(v)),
            Json::NotStrings => {
                let message = format!("{name}: a JSON array here must contain only strings");
                self.out.error("ParseError", self.span(args), message);
                None
            }
            Json::No => Some(CommandForm::Shell(Spanned {
                value: self.text()[args.clone()].to_string(),
                span: self.span(args),
            })),
        }
    }

    fn run(&mut self, args: Range<usize>) -> Option<InstructionKind> {
        let command = self.command("RUN", args.clone())?;
        let heredocs: Vec<Heredoc> = match command {
            CommandForm::Exec(_) => Vec::new(),
            CommandForm::Shell(_) => self.lg.heredocs.iter().map(|h| heredoc(self.cx, h, &h.marker)).collect(),
        };
        if args.is_empty() && heredocs.is_empty() {
            self.out.error("ParseError", self.span(args), "RUN needs a command");
            return None;
        }
        Some(InstructionKind::Run { command, heredocs })
    }

    fn copy(&mut self, name: &str, args: Range<usize>) -> Option<CopyArgs> {
        let (mut ws, json) = match words::json_array(&self.text()[args.clone()]) {
            Json::Strings(v) => (self.json_words(v, args.clone()), true),
            Json::NotStrings => {
                let message = format!("{name}: a JSON array here must contain only strings");
                self.out.error("ParseError", self.span(args), message);
                return None;
            }
            Json::No => {
                (words::split_words(self.text(), args.clone()).into_iter().map(|w| self.word(w)).collect(), false)
            }
        };
        let Some(dest) = ws.pop().filter(|_| !ws.is_empty()) else {
            let message = format!("{name} needs at least one source and a destination: {name} <src>... <dest>");
            self.out.error("ParseError", self.span(args), message);
            return None;
        };
        if !json && words::heredoc_marker(&dest.value).is_some() {
            self.out.error("ParseError", dest.span, format!("{name} cannot take a heredoc as its destination"));
            return None;
        }
        let sources = ws
            .into_iter()
            .map(|w| match words::heredoc_marker(&w.value).filter(|_| !json) {
                // BuildKit looks the body up by name; the last heredoc of that name wins.
                Some(m) => match self.lg.heredocs.iter().rev().find(|h| h.marker.name == m.name) {
                    Some(h) => CopySource::Heredoc(heredoc(self.cx, h, &m)),
                    None => CopySource::Heredoc(Heredoc {
                        name: m.name,
                        content: String::new(),
                        expand: m.expand,
                        strip_tabs: m.chomp,
                        span: w.span,
                    }),
                },
                None => CopySource::Path(w),
            })
            .collect();
        Some(CopyArgs { sources, dest })
    }

    fn volume(&mut self, args: Range<usize>) -> Option<Vec<Word>> {
        let ws: Vec<Word> = match words::json_array(&self.text()[args.clone()]) {
            Json::Strings(v) => self.json_words(v, args.clone()),
            Json::NotStrings => {
                self.out.error("ParseError", self.span(args), "VOLUME: a JSON array here must contain only strings");
                return None;
            }
            Json::No => words::split_words(self.text(), args.clone()).into_iter().map(|w| self.word(w)).collect(),
        };
        if ws.is_empty() || ws.iter().any(|w| w.value.trim().is_empty()) {
            self.out.error("ParseError", self.span(args), "VOLUME needs at least one path, and no path may be empty");
            return None;
        }
        Some(ws)
    }

    fn shell(&mut self, args: Range<usize>) -> Option<Vec<String>> {
        match words::json_array(&self.text()[args.clone()]) {
            Json::Strings(v) if !v.is_empty() => Some(v),
            _ => {
                let message = "SHELL needs a JSON array of strings, e.g. SHELL [\"/bin/bash\", \"-c\"]";
                self.out.error("ParseError", self.span(args), message);
                None
            }
        }
    }

    fn healthcheck(&mut self, args: Range<usize>) -> Option<Option<CommandForm>> {
        let (typ, rest) = words::first_word(self.text(), args.clone());
        let typ_text = self.text()[typ.clone()].to_ascii_uppercase();
        match typ_text.as_str() {
            "NONE" if rest.is_empty() => Some(None),
            "CMD" if !rest.is_empty() => self.command("HEALTHCHECK CMD", rest).map(Some),
            _ => {
                let message = "HEALTHCHECK takes `CMD <command>` or `NONE`";
                self.out.error("ParseError", self.span(args), message);
                None
            }
        }
    }
}

fn heredoc(cx: &Ctx, h: &ScannedHeredoc, m: &words::Marker) -> Heredoc {
    let body = &cx.src[h.body.clone()];
    let content = if m.chomp { strip_leading_tabs(body) } else { body.to_string() };
    Heredoc { name: m.name.clone(), content, expand: m.expand, strip_tabs: m.chomp, span: cx.span(h.body.start..h.end) }
}

/// BuildKit's `ChompHeredocContent`: leading tabs removed from every line.
fn strip_leading_tabs(s: &str) -> String {
    s.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
}

/// BuildKit lower-cases stage names and requires `^[a-z][a-z0-9-_.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[derive(Clone, Copy, PartialEq)]
enum FlagType {
    /// `--name=value`, once.
    String,
    /// `--name` or `--name=true|false`, once.
    Bool,
    /// `--name=value`, repeatable.
    Strings,
}

/// The flags each instruction accepts (BuildKit's `instructions/parse.go`).
fn accepted(kind: &InstructionKind) -> &'static [(&'static str, FlagType)] {
    use FlagType::*;
    match kind {
        InstructionKind::From { .. } => &[("platform", String)],
        InstructionKind::Run { .. } => {
            &[("mount", Strings), ("network", String), ("security", String), ("device", Strings)]
        }
        InstructionKind::Copy(_) => &[
            ("from", String),
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strings),
        ],
        InstructionKind::Add(_) => &[
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", String),
            ("exclude", Strings),
            ("unpack", Bool),
        ],
        InstructionKind::Healthcheck(_) => &[
            ("interval", String),
            ("timeout", String),
            ("start-period", String),
            ("start-interval", String),
            ("retries", String),
        ],
        _ => &[],
    }
}

/// BuildKit's `BFlags.Parse`: unknown flags, missing or malformed values, repeats.
fn check_flags(out: &mut Out, kind: &InstructionKind, flags: &[Flag]) {
    let accepted = accepted(kind);
    let name = kind.name();
    for (i, f) in flags.iter().enumerate() {
        let Some(&(_, typ)) = accepted.iter().find(|(n, _)| *n == f.name) else {
            // BuildKit's wording and hint; then what the instruction does accept.
            let names: Vec<&str> = accepted.iter().map(|(n, _)| *n).collect();
            let mut message = crate::suggest::wrap(format!("unknown flag: --{}", f.name), &f.name, &names, true);
            if names.is_empty() {
                message.push_str(&format!(" ({name} accepts no flags)"));
            } else {
                let list: Vec<String> = names.iter().map(|n| format!("--{n}")).collect();
                message.push_str(&format!("; {name} accepts {}", list.join(", ")));
            }
            out.error("UnknownFlag", f.span, message);
            continue;
        };
        let problem = match (typ, f.value.as_deref()) {
            (FlagType::Bool, Some(v)) if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") => {
                Some(format!("`--{}` takes no value, or `=true` / `=false`", f.name))
            }
            (FlagType::String | FlagType::Strings, None) => {
                Some(format!("`--{0}` needs a value: --{0}=<value>", f.name))
            }
            _ => None,
        };
        if let Some(message) = problem {
            out.error("InvalidFlag", f.span, message);
        } else if typ != FlagType::Strings && flags[..i].iter().any(|g| g.name == f.name) {
            out.error("InvalidFlag", f.span, format!("`--{}` is given more than once", f.name));
        }
    }
}
