//! A model of what `RUN` does to the filesystem: a POSIX shell interpreter over the layered
//! tree (`vfs`), with models of the commands whose effects are certain (`mkdir`, `cp`,
//! `chmod`, `echo > f`, `[ -f x ]`, …). Package managers and compilers are not modelled here.
//!
//! **Parser.** Scripts are parsed by `brush-parser` 0.4 (MIT), the parser of the brush shell.
//! It gives a full AST (lists, pipelines, compound commands, functions, here-documents,
//! redirections) and also splits words into pieces (quotes, `${…}` forms, `$(…)`, `$((…))`),
//! so this module only evaluates. Measured on this project's 2-core machine: it adds about 19 s
//! to a clean debug build of the core (12 s → 31 s; it brings ~75 crates, `peg` and `bon`
//! proc-macros among them, and needs Rust 1.88), and `cargo check --target
//! wasm32-unknown-unknown` passes. `yash-syntax` is the other maintained POSIX parser, but
//! it is GPL-3.0-or-later, which this MIT/Apache project cannot take, and its parser is
//! async; `conch-parser` has been unmaintained since 2019. A parse failure is never guessed
//! at: the RUN is reported as not simulated (`RunNotParsed`).
//!
//! **Honesty rules** (GUIDE §2, "the simulator never pretends"):
//! - A command with no model (`apt-get`, `go`, `./configure` of unknown content) succeeds,
//!   changes no files, and gets one `info` note `RunNotModelled` per name per RUN.
//! - *Tainted*: once something unmodelled ran — earlier in this RUN, or in an earlier RUN of
//!   the stage (`ShellEnv::uncertain`) — a path missing from the simulated tree may exist in a
//!   real build. So do paths under a directory known only by its size (a base image's
//!   `/usr`). Such a path is *unknown*, not missing: a command that reads it does not fail,
//!   it goes on with a `RunAssumed` warning (`[ -f x ]` is taken as true, `cat x` gives
//!   unknown content, `cd x` works).
//! - When a tainted RUN still ends with a non-zero status (`exit 1` after an unmodelled
//!   `dpkg --print-architecture` sent a `case` the wrong way), the failure is downgraded to a
//!   `RunFailureUncertain` warning and the RUN's status is 0. Only an untainted RUN fails
//!   the build, with a message naming the command ("`[ -f /foo ]` returned exit code 1").
//! - Work is bounded (steps, nesting, stream sizes): a script past the bounds stops with a
//!   `RunTooLong` warning instead of hanging.
//!
//! **What the caller must provide.** A directory whose children are not all listed (a base
//! image summarised by size) must have `summary_bytes > 0`: otherwise a path under it is
//! taken as certainly missing. `RUN --mount` contents must be in `fs` (or `uncertain` set).
//! `failure` names the command inside the script; Docker's own wrapper ("process … did not
//! complete successfully") is the build's to add.
//!
//! **Known gaps.** Permission checks for non-root users are not modelled (a write as `USER
//! nobody` into `/` succeeds). `echo` follows bash and busybox (escapes only with `-e`);
//! Debian's dash differs. An unknown command name is never "not found" (127), because the
//! image's `PATH` directories are not listed one by one; a stage `FROM scratch` has no
//! `/bin/sh` at all, which the build should report before calling `run`. In 326 RUNs of the
//! real-world corpus (about 130 ms in a debug build), every POSIX-shell script parses except
//! those that keep Dockerfile comment lines inside a continued line: the Dockerfile parser
//! must drop those, as BuildKit does.

mod arith;
mod guard;
pub mod commands;
mod interp;
mod params;
mod pattern;
mod redirect;
pub mod session;
mod users;
mod words;

#[cfg(test)]
mod tests;

use brush_parser::ParserOptions;

use crate::diagnostics::Severity;
use crate::dockerfile::{CommandForm, Heredoc};
use crate::vfs::{self, Fs};

use session::{Flow, Session};

/// What the build knows when it runs one `RUN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellEnv {
    /// The environment: ENV and ARG values in force, in order.
    pub vars: Vec<(String, String)>,
    pub workdir: String,
    pub uid: u32,
    pub gid: u32,
    /// SHELL; `["/bin/sh", "-c"]` by default.
    pub shell: Vec<String>,
    /// An earlier RUN in this stage was not fully modelled.
    pub uncertain: bool,
}

impl Default for ShellEnv {
    fn default() -> Self {
        ShellEnv { vars: Vec::new(), workdir: "/".to_string(), uid: 0, gid: 0, shell: vec!["/bin/sh".to_string(), "-c".to_string()], uncertain: false }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// The exit status Docker would see (0 after a downgraded failure, see the module docs).
    pub status: i32,
    /// Why the step fails, naming the command inside the script.
    pub failure: Option<String>,
    pub notes: Vec<ShellNote>,
    pub stdout: String,
    /// This RUN ran something unmodelled or made an assumption.
    pub uncertain: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellNote {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

pub(crate) fn parser_options() -> ParserOptions {
    ParserOptions { enable_extended_globbing: false, tilde_expansion_at_word_start: true, ..ParserOptions::default() }
}

/// The default search path BuildKit gives a RUN when the image sets none.
pub(crate) const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Runs one `RUN` on `fs` (the caller has opened a layer).
pub fn run(command: &CommandForm, heredocs: &[Heredoc], env: &ShellEnv, fs: &mut Fs) -> RunOutcome {
    let workdir = vfs::normalize(&env.workdir);
    let mut s = Session::new(fs, env.uid, env.gid, workdir.clone(), env.uncertain);
    for (k, v) in &env.vars {
        s.export(k, Some(v.clone()));
    }
    if s.var("PATH").is_none() {
        s.export("PATH", Some(DEFAULT_PATH.to_string()));
    }
    if s.var("HOME").is_none() {
        let home = match users::passwd(&s).and_then(|l| l.into_iter().find(|p| p.uid == env.uid)) {
            Some(p) => p.home,
            None if env.uid == 0 => "/root".to_string(),
            None => "/".to_string(),
        };
        s.export("HOME", Some(home));
    }
    s.export("PWD", Some(workdir));
    let argv = match command_argv(command, heredocs, env) {
        Ok(argv) => argv,
        Err(interpreter) => {
            s.unmodelled(&interpreter, &format!("`{interpreter}` (the heredoc's interpreter)"));
            vec![]
        }
    };
    let status = if argv.is_empty() {
        0
    } else {
        let status = interp::invoke(&mut s, &argv);
        match s.pending.take() {
            Some(Flow::Stop) => {
                s.uncertain = true;
                let msg = format!("stopped: script too long to simulate (over {} steps or {} levels deep); later commands were not simulated", session::MAX_STEPS, session::MAX_DEPTH);
                s.note(Severity::Warning, "RunTooLong", msg);
                0
            }
            Some(Flow::Exit(n)) | Some(Flow::Return(n)) => n,
            _ => status,
        }
    };
    finish(s, status, &argv)
}

fn finish(mut s: Session, status: i32, argv: &[String]) -> RunOutcome {
    let mut failure = None;
    let mut final_status = status;
    if status != 0 {
        let what = match &s.last_failure {
            Some((cmd, err, st)) if *st == status && !cmd.is_empty() => {
                let err = if err.is_empty() { String::new() } else { format!(": {err}") };
                format!("`{cmd}` returned exit code {status}{err}")
            }
            Some((_, err, st)) if *st == status && !err.is_empty() => format!("the script failed with exit code {status}: {err}"),
            _ => format!("`{}` returned exit code {status}", interp::display_argv(argv)),
        };
        if s.tainted {
            s.uncertain = true;
            let msg = format!("{what}; but something earlier was not simulated, so a real build may not fail here: assumed to succeed");
            s.note(Severity::Warning, "RunFailureUncertain", msg);
            final_status = 0;
        } else {
            failure = Some(what);
        }
    }
    RunOutcome { status: final_status, failure, notes: s.notes, stdout: s.io.stdout.text(), uncertain: s.uncertain }
}

/// The program and arguments a RUN starts, following BuildKit's heredoc rules. `Err` names a
/// heredoc interpreter that is not a shell.
fn command_argv(command: &CommandForm, heredocs: &[Heredoc], env: &ShellEnv) -> Result<Vec<String>, String> {
    let shell = if env.shell.is_empty() { vec!["/bin/sh".to_string(), "-c".to_string()] } else { env.shell.clone() };
    let text = match command {
        CommandForm::Exec(argv) => return Ok(argv.clone()),
        CommandForm::Shell(text) => text.value.clone(),
    };
    let Some(first) = heredocs.first() else {
        return Ok(shell.into_iter().chain(std::iter::once(text)).collect());
    };
    if is_lone_heredoc(&text) {
        let body = if first.strip_tabs { strip_tabs(&first.content) } else { first.content.clone() };
        // BuildKit runs the body as an executable file: its shebang picks the interpreter.
        if let Some((name, flags)) = commands::shebang(&body) {
            if !commands::is_shell(&name) {
                return Err(name);
            }
            return Ok(std::iter::once(name).chain(flags).chain(["-c".to_string(), body]).collect());
        }
        return Ok(shell.into_iter().chain(std::iter::once(body)).collect());
    }
    // The command line and the bodies together are the script the shell reads.
    let mut full = text;
    for h in heredocs {
        full.push('\n');
        full.push_str(&h.content);
        if !h.content.is_empty() && !h.content.ends_with('\n') {
            full.push('\n');
        }
        full.push_str(&h.name);
    }
    Ok(shell.into_iter().chain(std::iter::once(full)).collect())
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"` with nothing else: BuildKit's "simple heredoc".
fn is_lone_heredoc(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("<<") else { return false };
    let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    !rest.is_empty() && !rest.contains(char::is_whitespace) && !rest.contains('<')
}

pub(crate) fn strip_tabs(body: &str) -> String {
    body.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
}
