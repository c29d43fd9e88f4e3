//! RUN: mounts (`--mount=type=bind|cache|tmpfs|secret|ssh`) laid over the stage's filesystem
//! while the command runs and removed afterwards, then the shell model (`shell`).

use crate::build::{stated, users, BuildOutput, Ctx, StageState};
use crate::diagnostics::Severity;
use crate::dockerfile::{CommandForm, Flag, Heredoc, Instruction};
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
        match parse_mount(flag) {
            Ok(m) => mounts.push(m),
            Err(e) => {
                ctx.diags.error("InvalidMount", flag.span, e);
                state.failed = true;
            }
        }
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
    let env = ShellEnv {
        vars: run_env(state),
        workdir: state.config.workdir.clone(),
        uid,
        gid,
        shell: state.config.shell.clone(),
        uncertain: state.uncertain,
    };
    let outcome = shell::run(command, heredocs, &env, &mut state.fs);
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
        let shown = ctx.one_line(ins);
        let shown = shown.strip_prefix(ins.keyword.value.as_str()).unwrap_or(&shown).trim();
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

fn line_end(text: &str, from: usize) -> usize {
    text.get(from..).and_then(|t| t.find('\n')).map(|i| from + i).unwrap_or(text.len())
}

/// The environment a RUN sees: build ARGs, then ENV over them.
fn run_env(state: &StageState) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = state.scope_args.values().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (k, v) in &state.config.env {
        vars.retain(|(name, _)| name != k);
        vars.push((k.clone(), v.clone()));
    }
    vars
}

fn parse_mount(flag: &Flag) -> Result<Mount, String> {
    let spec = flag.value.as_deref().unwrap_or("");
    let mut kind = MountKind::Bind;
    let mut m = Mount { kind, target: String::new(), source: None, from: None, id: None };
    for field in spec.split(',').filter(|f| !f.is_empty()) {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        match key.to_ascii_lowercase().as_str() {
            "type" => {
                kind = match value {
                    "bind" => MountKind::Bind,
                    "cache" => MountKind::Cache,
                    "tmpfs" => MountKind::Tmpfs,
                    "secret" => MountKind::Secret,
                    "ssh" => MountKind::Ssh,
                    other => return Err(format!("unsupported mount type {other:?}")),
                }
            }
            "target" | "dst" | "destination" => m.target = value.to_string(),
            "source" | "src" => m.source = Some(value.to_string()),
            "from" => m.from = Some(value.to_string()),
            "id" => m.id = Some(value.to_string()),
            "readonly" | "ro" | "readwrite" | "rw" | "rwm" | "sharing" | "mode" | "uid" | "gid" | "required" | "size"
            | "env" => {}
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    m.kind = kind;
    if m.target.is_empty() {
        m.target = match kind {
            MountKind::Secret => format!("/run/secrets/{}", m.id.clone().or_else(|| m.source.clone()).unwrap_or_default()),
            MountKind::Ssh => "/run/buildkit/ssh_agent.0".to_string(),
            // BuildKit joins an empty target with the WORKDIR.
            _ => ".".to_string(),
        };
    }
    Ok(m)
}

/// Makes the mount's contents visible at its target for the duration of the RUN.
fn overlay(ctx: &mut Ctx<'_>, state: &mut StageState, m: &Mount, done: &BuildOutput, ins: &Instruction) {
    let target = vfs::join(&state.config.workdir, &m.target);
    state.fs.remove(&target);
    match m.kind {
        MountKind::Tmpfs | MountKind::Cache => state.fs.mkdir_all(&target, 0o755, (0, 0)),
        MountKind::Secret | MountKind::Ssh => {
            state.fs.write(&target, Node::file(&b""[..], 0o400), (0, 0));
        }
        MountKind::Bind => {
            let source = m.source.clone().unwrap_or_else(|| "/".to_string());
            let origin: Option<Fs> = match m.from.as_deref() {
                None => Some(ctx.context_fs.clone()),
                Some(from) => match plan::resolve_from(&ctx.plan.stages, from) {
                    Some(FromRef::Stage(s)) => done.stages.get(s).and_then(Option::as_ref).map(|r| r.fs.clone()),
                    Some(FromRef::Image(image)) => Some(crate::catalog_adapter::image(&image, 0).fs),
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
        let m = parse_mount(&flag("type=cache,target=/root/.cache")).map(|m| (m.kind, m.target));
        assert_eq!(m, Ok((MountKind::Cache, "/root/.cache".to_string())));
        let m = parse_mount(&flag("from=builder,source=/out,target=/mnt")).map(|m| (m.kind, m.from, m.source));
        assert_eq!(m, Ok((MountKind::Bind, Some("builder".into()), Some("/out".into()))));
        let m = parse_mount(&flag("type=secret,id=npmrc")).map(|m| m.target);
        assert_eq!(m, Ok("/run/secrets/npmrc".to_string()));
        assert_eq!(parse_mount(&flag("type=tmp,target=/x")), Err("unsupported mount type \"tmp\"".to_string()));
        assert_eq!(parse_mount(&flag("typ=cache,target=/x")), Err("unexpected key 'typ' in 'typ=cache'".to_string()));
    }
}
