//! The core's typed model of a parsed Dockerfile. Text is kept raw (unexpanded):
//! variable expansion happens at build time, when the values are known.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Directives,
    pub instructions: Vec<Instruction>,
    /// Blank lines inside an instruction's continuation (`RUN a \\`, an empty line, `b`):
    /// BuildKit skips them, and warns (the NoEmptyContinuation check).
    pub empty_continuations: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directives {
    pub syntax: Option<Spanned<String>>,
    /// The escape character: `\` unless `# escape=` says otherwise.
    pub escape: char,
    pub check: Option<Spanned<String>>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives { syntax: None, escape: '\\', check: None }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Raw text of one argument, as written (quotes and `$` kept, line continuations removed),
/// with its span. A word from a JSON array (`COPY ["a b", "/c"]`) holds the decoded string and
/// the span of its literal.
pub type Word = Spanned<String>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// The whole instruction, keyword to last argument (heredoc bodies included).
    pub span: Span,
    /// The keyword as written (`copy`, `COPY`).
    pub keyword: Word,
    /// `--name[=value]` flags, in order, as BuildKit reads them: any instruction may carry
    /// them (the parser reports the ones it does not accept) and a lone `--` ends them.
    pub flags: Vec<Flag>,
    pub kind: InstructionKind,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
    /// All values of a flag that may repeat (`--mount`, `--exclude`).
    pub fn flag_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    /// `None` for a bare `--link`. Quotes are removed and `\` escapes applied, as BuildKit
    /// stores flag values (`--chown="a b"` is `a b`); `$` is not expanded yet.
    pub value: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstructionKind {
    /// `alias` is as written: stage names are case-insensitive (BuildKit lower-cases them),
    /// and the parser does not check them for duplicates (the planner does).
    From { image: Word, alias: Option<Word> },
    Arg(Vec<ArgDecl>),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Run { command: CommandForm, heredocs: Vec<Heredoc> },
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    Copy(CopyArgs),
    Add(CopyArgs),
    Workdir(Word),
    User(Word),
    Stopsignal(Word),
    Expose(Vec<Word>),
    Volume(Vec<Word>),
    Shell(Vec<String>),
    /// `None` is `HEALTHCHECK NONE`.
    Healthcheck(Option<CommandForm>),
    Maintainer(Word),
    /// The trigger, with its own span and keyword (never FROM, MAINTAINER or ONBUILD).
    Onbuild(Box<Instruction>),
}

impl InstructionKind {
    /// The canonical upper-case keyword.
    pub fn name(&self) -> &'static str {
        match self {
            InstructionKind::From { .. } => "FROM",
            InstructionKind::Arg(_) => "ARG",
            InstructionKind::Env(_) => "ENV",
            InstructionKind::Label(_) => "LABEL",
            InstructionKind::Run { .. } => "RUN",
            InstructionKind::Cmd(_) => "CMD",
            InstructionKind::Entrypoint(_) => "ENTRYPOINT",
            InstructionKind::Copy(_) => "COPY",
            InstructionKind::Add(_) => "ADD",
            InstructionKind::Workdir(_) => "WORKDIR",
            InstructionKind::User(_) => "USER",
            InstructionKind::Stopsignal(_) => "STOPSIGNAL",
            InstructionKind::Expose(_) => "EXPOSE",
            InstructionKind::Volume(_) => "VOLUME",
            InstructionKind::Shell(_) => "SHELL",
            InstructionKind::Healthcheck(_) => "HEALTHCHECK",
            InstructionKind::Maintainer(_) => "MAINTAINER",
            InstructionKind::Onbuild(_) => "ONBUILD",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Word,
    /// Raw default value (still to be expanded), if `NAME=value` was given.
    pub default: Option<Word>,
}

/// `key=value` (or legacy `key value`) with both sides raw. In the legacy form the value is
/// the rest of the line (`ENV A b c` is `A` = `b c`), and the source has no `=` after the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandForm {
    /// JSON array form: run directly, no shell, no expansion.
    Exec(Vec<String>),
    /// Shell form: the text handed to the stage's SHELL, with BuildKit's line joining
    /// (escape + line break removed, comment and blank lines inside the continuation dropped,
    /// leading blanks of continued lines kept); otherwise as written. For a RUN with heredocs it
    /// still contains the markers (`<<EOF cat > /f`).
    Shell(Spanned<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word (`EOF` for `<<EOF`, `<<-EOF` or `<<"EOF"`).
    pub name: String,
    /// The body as written, each line with its line break, up to the terminator line; with
    /// `<<-` already without leading tabs (BuildKit's `ChompHeredocContent`).
    pub content: String,
    /// False when the delimiter was quoted: no variable expansion in the body.
    pub expand: bool,
    /// `<<-`: leading tabs were stripped from each line of `content` (and the terminator
    /// line may be indented with tabs).
    pub strip_tabs: bool,
    /// The body and its terminator line (the marker itself is on the instruction's line).
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyArgs {
    pub sources: Vec<CopySource>,
    pub dest: Word,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopySource {
    Path(Word),
    /// `COPY <<EOF /dest/`: a file named after the delimiter, holding the body.
    Heredoc(Heredoc),
}
