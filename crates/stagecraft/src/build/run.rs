//! RUN: mounts (`--mount=type=bind|cache|tmpfs|secret|ssh`) laid over the stage's filesystem
//! while the command runs and removed afterwards, then the shell model (`shell`).

use crate::build::{stated, users, BaseKind, BuildOutput, Ctx, StageState};
use crate::diagnostics::Severity;
use crate::dockerfile::{CommandForm, Flag, Heredoc, Instruction};
use crate::expand::{self, Lookup};
use crate::suggest;
use crate::plan::{self, FromRef};
use crate::shell::{self, ShellEnv};
use crate::vfs::{self, Fs, Node};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Mount {
    kind: MountKind,
    target: String,
    source: Option<String>,
    from: Option<String>,
    id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MountKind {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

pub(crate) fn run(
    ctx: &mut Ctx<'_>,
    state: &mut StageState,
    ins: &Instruction,
    command: &CommandForm,
    heredocs: &[Heredoc],
    done: &BuildOutput,
) -> String {
    let mut mounts = Vec::new();
    for flag in ins.flag_values("mount") {
        let parsed = {
            let vars = state.vars();
            parse_mount(flag, &vars, ctx.escape())
        };
        match parsed {
            Ok(m) => mounts.push(m),
            // Reported once, for every stage, where the plan reads the mounts (as BuildKit's
            // parser does); the RUN cannot run.
            Err(MountError::FromVariable) => state.failed = true,
            Err(MountError::Invalid(e)) => {
                ctx.diags.error("InvalidMount", flag.span, e);
                state.failed = true;
            }
        }
    }
    // (Every flag parsed when nothing failed, so flags and mounts line up.)
    let at_root = if state.failed { None } else { ins.flag_values("mount").zip(&mounts).find(|(_, m)| vfs::join(&state.config.workdir, &m.target) == "/").map(|(f, _)| f) };
    if let Some(flag) = at_root {
        // BuildKit: a mount over the whole root filesystem (also: no target, WORKDIR /).
        ctx.diags.error("InvalidMount", flag.span, "invalid mount target \"/\": mount somewhere below /, with target=<path>");
        state.failed = true;
    }
    if state.failed {
        return String::new();
    }
    let Some((uid, gid)) = users::resolve_user(ctx, state, ins.keyword.span) else {
        state.failed = true;
        return String::new();
    };

    let before = state.fs.clone();
    for m in &mounts {
        overlay(ctx, state, m, done, ins);
    }
    if let Some(why) = missing_executable(state, command) {
        let argv = process_args(state, command);
        state.fs = before;
        let message = format!(
            "process \"{argv}\" could not start: {why} (this stage holds only what the Dockerfile put in it, and a scratch stage has no shell: start FROM an image that has one, or use the exec form with a program you copied in)"
        );
        ctx.diags.push(Severity::Error, "RunFailed", ins.keyword.span.to(ins.span), message);
        state.failed = true;
        return "failed".into();
    }
    let env = ShellEnv {
        vars: run_env(state),
        workdir: state.config.workdir.clone(),
        uid,
        gid,
        shell: state.config.shell.clone(),
        uncertain: state.uncertain,
    };
    let outcome = shell::run(command, heredocs, &env, &mut state.fs);
    for m in mounts.iter().filter(|m| m.kind == MountKind::Cache) {
        let target = vfs::join(&state.config.workdir, &m.target);
        let prefix = format!("{}/", target.trim_end_matches('/'));
        let kept = state.fs.descendants(&target).map(|(p, n)| (p.strip_prefix(&prefix).unwrap_or(p).to_string(), n.clone())).collect();
        ctx.caches.insert(cache_id(m), kept);
    }
    for m in &mounts {
        let target = vfs::join(&state.config.workdir, &m.target);
        state.fs.restore(&target, &before);
    }

    let span = ins.keyword.span.to(ins.span);
    let first_line = crate::span::Span::new(ins.span.start, line_end(ctx.diags.line_index().text(), ins.span.start));
    // Effects the user stated in `# stagecraft:` comments replace the "no model" guesses.
    let stated = stated::directives_above(ctx.diags.line_index().text(), ins.keyword.span.start);
    let replaced = stated.iter().any(|(_, e)| e.is_ok());
    for note in outcome.notes.iter().filter(|n| !(replaced && n.code == "RunNotModelled")) {
        ctx.diags.push(note.severity, note.code, first_line, note.message.clone());
    }
    if outcome.status == 0 {
        for (text, effect) in &stated {
            match effect {
                Ok(e) => {
                    stated::apply(&mut state.fs, &state.config.workdir, e, (uid, gid));
                    ctx.diags.push(Severity::Info, "StatedEffect", first_line, format!("applied `{text}`, stated in the Dockerfile, after the command"));
                }
                Err(why) => ctx.diags.push(Severity::Warning, "InvalidStatedEffect", first_line, format!("`{text}` was not applied: {why}")),
            }
        }
    }
    state.uncertain |= outcome.uncertain;
    if outcome.status != 0 {
        let shown = process_args(state, command);
        let why = outcome.failure.clone().map(|f| format!(": {f}")).unwrap_or_default();
        ctx.diags.push(
            Severity::Error,
            "RunFailed",
            span,
            format!("process \"{shown}\" did not complete successfully: exit code: {}{why}", outcome.status),
        );
        state.failed = true;
        return "failed".into();
    }
    let cached: Vec<&str> = mounts.iter().filter(|m| m.kind == MountKind::Cache).map(|m| m.target.as_str()).collect();
    if cached.is_empty() {
        "ran the command".into()
    } else {
        format!("ran the command; cache mount {} left nothing in the image", cached.join(", "))
    }
}

/// The process as BuildKit names it in errors: `/bin/sh -c <command>` for the shell form.
fn process_args(state: &StageState, command: &CommandForm) -> String {
    match command {
        CommandForm::Exec(argv) => argv.join(" "),
        CommandForm::Shell(text) => format!("{} {}", state.config.shell.join(" "), text.value.trim()),
    }
}

/// BuildKit's default PATH for Linux images that set none.
use crate::shell::DEFAULT_PATH;

/// Why the container cannot start, when the program it runs (the SHELL for the shell form,
/// argv[0] for the exec form) is certainly not there: only a stage whose every file came
/// from the Dockerfile (built up from scratch, no unmodelled RUN) is known that well; a
/// base image's files are summarised, so there the simulator cannot tell.
fn missing_executable(state: &StageState, command: &CommandForm) -> Option<String> {
    if state.base.kind != BaseKind::Scratch || state.uncertain {
        return None;
    }
    let program = match command {
        CommandForm::Exec(argv) => argv.first()?.clone(),
        CommandForm::Shell(_) => state.config.shell.first()?.clone(),
    };
    let node = |path: &str| state.fs.resolve(path, true).ok().and_then(|p| state.fs.get(&p).cloned()).filter(Node::is_file);
    let runnable = |path: &str| node(path).is_some_and(|n| n.mode & 0o111 != 0);
    if program.contains('/') {
        let path = vfs::join(&state.config.workdir, &program);
        return match node(&path) {
            None => Some(format!("exec: {program:?}: stat {program}: no such file or directory")),
            Some(n) if n.mode & 0o111 == 0 => Some(format!("exec: {program:?}: permission denied")),
            Some(_) => None,
        };
    }
    let path_var = state.config.env.iter().rev().find(|(k, _)| k == "PATH").map_or(DEFAULT_PATH, |(_, v)| v.as_str());
    let found = path_var.split(':').filter(|d| !d.is_empty()).any(|dir| runnable(&vfs::join(dir, &program)));
    (!found).then(|| format!("exec: {program:?}: executable file not found in $PATH"))
}

fn line_end(text: &str, from: usize) -> usize {
    text.get(from..).and_then(|t| t.find('\n')).map(|i| from + i).unwrap_or(text.len())
}

/// The environment a RUN sees: build ARGs, then ENV over them.
pub(crate) fn run_env(state: &StageState) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = state.scope_args.values().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (k, v) in &state.config.env {
        vars.retain(|(name, _)| name != k);
        vars.push((k.clone(), v.clone()));
    }
    vars
}

#[derive(Debug, PartialEq, Eq)]
enum MountError {
    /// `from=$X`: BuildKit refuses it before expanding anything.
    FromVariable,
    Invalid(String),
}

const MOUNT_TYPES: [&str; 5] = ["bind", "cache", "tmpfs", "secret", "ssh"];
const MOUNT_KEYS: [&str; 16] = [
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "mode", "uid", "gid", "src", "dst", "ro",
    "rw", "readwrite",
];

/// A `--mount` spec, as BuildKit's `parseMount` reads it at dispatch: `key=value` fields whose
/// values are expanded with the stage's ARGs and ENV (except `from`, which may not use variables).
fn parse_mount(flag: &Flag, vars: &dyn Lookup, escape: char) -> Result<Mount, MountError> {
    let spec = flag.value.as_deref().unwrap_or("");
    let invalid = |m: String| MountError::Invalid(m);
    let mut kind = MountKind::Bind;
    let mut m = Mount { kind, target: String::new(), source: None, from: None, id: None };
    for field in spec.split(',').filter(|f| !f.is_empty()) {
        let Some((key, raw)) = field.split_once('=') else {
            match field.to_ascii_lowercase().as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => continue,
                "required" if matches!(kind, MountKind::Secret | MountKind::Ssh) => continue,
                "required" => return Err(invalid(format!("unexpected key 'required' for mount type '{}'", kind.name()))),
                _ => return Err(invalid(format!("invalid field '{field}' must be a key=value pair"))),
            }
        };
        let key = key.to_ascii_lowercase();
        if key == "from" && raw.contains('$') {
            return Err(MountError::FromVariable);
        }
        let value = expand::expand_word(raw, vars, escape).map_err(|e| invalid(e.message))?.value;
        match key.as_str() {
            "type" => {
                kind = match value.to_ascii_lowercase().as_str() {
                    "bind" => MountKind::Bind,
                    "cache" => MountKind::Cache,
                    "tmpfs" => MountKind::Tmpfs,
                    "secret" => MountKind::Secret,
                    "ssh" => MountKind::Ssh,
                    _ => {
                        let message = format!("unsupported mount type {value:?}");
                        return Err(invalid(suggest::wrap(message, &value, &MOUNT_TYPES, true)));
                    }
                }
            }
            "target" | "dst" | "destination" => m.target = value,
            "source" | "src" => m.source = Some(value),
            "from" => m.from = Some(value),
            "id" => m.id = Some(value),
            "readonly" | "ro" | "readwrite" | "rw" | "sharing" | "mode" | "uid" | "gid" | "env" => {}
            "required" if matches!(kind, MountKind::Secret | MountKind::Ssh) => {}
            "size" if kind == MountKind::Tmpfs => {}
            "required" | "size" => {
                return Err(invalid(format!("unexpected key '{key}' for mount type '{}'", kind.name())));
            }
            _ => {
                let message = format!("unexpected key '{key}' in '{field}'");
                return Err(invalid(suggest::wrap(message, &key, &MOUNT_KEYS, true)));
            }
        }
    }
    m.kind = kind;
    if m.target.is_empty() {
        m.target = match kind {
            MountKind::Secret => format!("/run/secrets/{}", m.id.clone().or_else(|| m.source.clone()).unwrap_or_default()),
            MountKind::Ssh => "/run/buildkit/ssh_agent.0".to_string(),
            // No target is the working directory (BuildKit joins it to WORKDIR), checked in `run`.
            _ => String::new(),
        };
    }
    Ok(m)
}

impl MountKind {
    fn name(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Cache => "cache",
            MountKind::Tmpfs => "tmpfs",
            MountKind::Secret => "secret",
            MountKind::Ssh => "ssh",
        }
    }
}

/// A cache mount's id: `id=`, else its target, as in BuildKit.
fn cache_id(m: &Mount) -> String {
    m.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| m.target.clone())
}

/// Makes the mount's contents visible at its target for the duration of the RUN.
fn overlay(ctx: &mut Ctx<'_>, state: &mut StageState, m: &Mount, done: &BuildOutput, ins: &Instruction) {
    let target = vfs::join(&state.config.workdir, &m.target);
    state.fs.remove(&target);
    match m.kind {
        MountKind::Tmpfs => state.fs.mkdir_all(&target, 0o755, (0, 0)),
        MountKind::Cache => {
            state.fs.mkdir_all(&target, 0o755, (0, 0));
            for (rel, node) in ctx.caches.get(&cache_id(m)).into_iter().flatten() {
                state.fs.write(&vfs::join(&target, rel), node.clone(), (0, 0));
            }
        }
        MountKind::Secret | MountKind::Ssh => {
            state.fs.write(&target, Node::file(&b""[..], 0o400), (0, 0));
        }
        MountKind::Bind => {
            let source = m.source.clone().unwrap_or_else(|| "/".to_string());
            let origin: Option<Fs> = match m.from.as_deref() {
                None => Some(ctx.context_fs.clone()),
                Some(from) => match plan::resolve_from(&ctx.plan.stages, from) {
                    Some(FromRef::Stage(s)) => {
                        state.op.from_stages.push(s);
                        done.stages.get(s).and_then(Option::as_ref).map(|r| r.fs.clone())
                    }
                    Some(FromRef::Image(image)) => {
                        let fs = crate::catalog_adapter::image(&image).fs;
                        state.op.from_images.push(image);
                        Some(fs)
                    }
                    None => None,
                },
            };
            let Some(origin) = origin else {
                ctx.diags.warning("MountSourceMissing", ins.span, format!("mount source {source:?} is not available"));
                return;
            };
            let src = vfs::normalize(&source);
            let src = origin.resolve(&src, true).unwrap_or(src);
            for (path, node) in origin.subtree(&src) {
                // The mounted context files are part of the RUN's cache key.
                if m.from.is_none() && !node.is_dir() {
                    state.op.inputs.push(crate::build::InputFile {
                        path: path.trim_start_matches('/').to_string(),
                        size: node.size(),
                        fingerprint: node.fingerprint(),
                    });
                }
                let rel = path.strip_prefix(src.as_str()).unwrap_or("");
                let dest = if rel.is_empty() { target.clone() } else { vfs::join(&target, rel.trim_start_matches('/')) };
                state.fs.write(&dest, node.clone(), (0, 0));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(spec: &str) -> Flag {
        Flag { name: "mount".into(), value: Some(spec.into()), span: Default::default() }
    }

    #[test]
    fn mount_specs_parse_like_buildkit() {
        let vars: Vec<(String, String)> = vec![("T".into(), "cache".into()), ("P".into(), "/c".into())];
        let parse = |spec: &str| parse_mount(&flag(spec), &vars, '\\');
        assert_eq!(parse("type=cache,target=/root/.cache").map(|m| (m.kind, m.target)), Ok((MountKind::Cache, "/root/.cache".to_string())));
        let m = parse("from=builder,source=/out,target=/mnt").map(|m| (m.kind, m.from, m.source));
        assert_eq!(m, Ok((MountKind::Bind, Some("builder".into()), Some("/out".into()))));
        assert_eq!(parse("type=secret,id=npmrc").map(|m| m.target), Ok("/run/secrets/npmrc".to_string()));
        assert_eq!(parse("type=$T,target=$P").map(|m| (m.kind, m.target)), Ok((MountKind::Cache, "/c".to_string())));
        assert_eq!(parse("from=$T,target=/x"), Err(MountError::FromVariable));
        let invalid = |m: &str| Err(MountError::Invalid(m.to_string()));
        assert_eq!(parse("type=tmp,target=/x"), invalid("unsupported mount type \"tmp\" (did you mean tmpfs?)"));
        assert_eq!(parse("typ=cache,target=/x"), invalid("unexpected key 'typ' in 'typ=cache' (did you mean type?)"));
        assert_eq!(parse("type=cache,size=1m,target=/x"), invalid("unexpected key 'size' for mount type 'cache'"));
    }
}
