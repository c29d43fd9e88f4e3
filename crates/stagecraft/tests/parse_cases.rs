//! The parser's behaviour as a table of cases: `test_data/parse/<case>.Dockerfile` beside
//! `<case>.expect`, a readable dump of the model (positions as line:column) and of the
//! diagnostics. Re-bless with `UPDATE_EXPECT=1 cargo test -p stagecraft --test parse_cases`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use expect_test::expect_file;
use stagecraft::diagnostics::Diagnostics;
use stagecraft::dockerfile::{CommandForm, CopySource, Heredoc, Instruction, InstructionKind};
use stagecraft::parse::parse;
use stagecraft::span::{LineIndex, Span};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/parse")
}

fn check(case: &str) {
    let input = std::fs::read_to_string(dir().join(format!("{case}.Dockerfile"))).unwrap();
    expect_file![dir().join(format!("{case}.expect"))].assert_eq(&dump(&input));
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

cases!(
    before_from,
    bom_and_crlf,
    continuations,
    copy_add_flags,
    directives,
    directives_invalid,
    empty,
    env_label_arg,
    errors_recovery,
    escape_backtick,
    forms,
    from_stages,
    heredoc_copy,
    heredoc_run,
    heredoc_unterminated,
    onbuild,
    only_comments,
    run_flags,
    unicode_blanks,
);

#[test]
fn every_case_file_is_listed() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(CASES.contains(&stem.as_str()), "{} is not listed in cases!", path.display());
    }
}

struct Dump<'a> {
    index: LineIndex,
    out: String,
    src: &'a str,
}

fn dump(src: &str) -> String {
    let mut diags = Diagnostics::new(src);
    let df = parse(src, &mut diags);
    let mut d = Dump { index: LineIndex::new(src), out: String::new(), src };
    let dirs = &df.directives;
    writeln!(d.out, "directives: escape {:?}", dirs.escape).unwrap();
    for (name, value) in [("syntax", &dirs.syntax), ("check", &dirs.check)] {
        if let Some(v) = value {
            let at = d.at(v.span);
            writeln!(d.out, "  {name} {:?} {at}", v.value).unwrap();
        }
    }
    d.out.push_str("instructions:\n");
    for i in &df.instructions {
        d.instruction(i, 1);
    }
    d.out.push_str("diagnostics:\n");
    for x in diags.items() {
        let (sev, code, msg) = (x.severity.as_str(), x.code, &x.message);
        let at = format!("{}:{}-{}:{}", x.line, x.column, x.end_line, x.end_column);
        writeln!(d.out, "  {sev} {code} {at} {msg}").unwrap();
    }
    d.out
}

impl Dump<'_> {
    fn pos(&self, offset: usize) -> String {
        let p = self.index.position(offset);
        format!("{}:{}", p.line, p.column)
    }
    fn at(&self, span: Span) -> String {
        assert!(
            span.end <= self.src.len() && self.src.is_char_boundary(span.start) && self.src.is_char_boundary(span.end)
        );
        format!("@{}-{}", self.pos(span.start), self.pos(span.end))
    }
    fn line(&mut self, depth: usize, text: impl AsRef<str>) {
        writeln!(self.out, "{:width$}{}", "", text.as_ref(), width = depth * 2).unwrap();
    }

    fn instruction(&mut self, i: &Instruction, depth: usize) {
        let head = format!("{} {}", i.kind.name(), self.at(i.span));
        let kw = format!("keyword {:?} {}", i.keyword.value, self.at(i.keyword.span));
        self.line(depth, head);
        self.line(depth + 1, kw);
        for f in &i.flags {
            let value = f.value.as_ref().map_or(String::new(), |v| format!(" = {v:?}"));
            let at = self.at(f.span);
            self.line(depth + 1, format!("flag {:?}{value} {at}", f.name));
        }
        let d = depth + 1;
        match &i.kind {
            InstructionKind::From { image, alias } => {
                let line = format!("image {:?} {}", image.value, self.at(image.span));
                self.line(d, line);
                if let Some(a) = alias {
                    let line = format!("alias {:?} {}", a.value, self.at(a.span));
                    self.line(d, line);
                }
            }
            InstructionKind::Arg(decls) => {
                for a in decls {
                    let mut line = format!("arg {:?} {}", a.name.value, self.at(a.name.span));
                    if let Some(v) = &a.default {
                        write!(line, " default {:?} {}", v.value, self.at(v.span)).unwrap();
                    }
                    self.line(d, line);
                }
            }
            InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => {
                for kv in kvs {
                    let (k, v) = (&kv.key, &kv.value);
                    let line = format!("pair {:?} {} = {:?} {}", k.value, self.at(k.span), v.value, self.at(v.span));
                    self.line(d, line);
                }
            }
            InstructionKind::Run { command, heredocs } => {
                self.command(d, command);
                for h in heredocs {
                    self.heredoc(d, h);
                }
            }
            InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => self.command(d, c),
            InstructionKind::Copy(c) | InstructionKind::Add(c) => {
                for s in &c.sources {
                    match s {
                        CopySource::Path(w) => {
                            let line = format!("source {:?} {}", w.value, self.at(w.span));
                            self.line(d, line);
                        }
                        CopySource::Heredoc(h) => self.heredoc(d, h),
                    }
                }
                let line = format!("dest {:?} {}", c.dest.value, self.at(c.dest.span));
                self.line(d, line);
            }
            InstructionKind::Workdir(w)
            | InstructionKind::User(w)
            | InstructionKind::Stopsignal(w)
            | InstructionKind::Maintainer(w) => {
                let line = format!("value {:?} {}", w.value, self.at(w.span));
                self.line(d, line);
            }
            InstructionKind::Expose(ws) | InstructionKind::Volume(ws) => {
                for w in ws {
                    let line = format!("word {:?} {}", w.value, self.at(w.span));
                    self.line(d, line);
                }
            }
            InstructionKind::Shell(v) => self.line(d, format!("exec {v:?}")),
            InstructionKind::Healthcheck(None) => self.line(d, "none"),
            InstructionKind::Healthcheck(Some(c)) => self.command(d, c),
            InstructionKind::Onbuild(inner) => self.instruction(inner, d),
        }
    }

    fn command(&mut self, depth: usize, c: &CommandForm) {
        let line = match c {
            CommandForm::Exec(v) => format!("exec {v:?}"),
            CommandForm::Shell(s) => format!("shell {:?} {}", s.value, self.at(s.span)),
        };
        self.line(depth, line);
    }

    fn heredoc(&mut self, depth: usize, h: &Heredoc) {
        let line = format!(
            "heredoc {:?} expand={} strip_tabs={} {} content {:?}",
            h.name,
            h.expand,
            h.strip_tabs,
            self.at(h.span),
            h.content
        );
        self.line(depth, line);
    }
}
