//! Instructions that change only the image config: ENV, LABEL, USER, WORKDIR (which also
//! creates the directory), EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, STOPSIGNAL,
//! MAINTAINER.

use crate::build::{users, Ctx, StageState};
use crate::dockerfile::{CommandForm, Instruction, InstructionKind, KeyValue, Word};
use crate::expand::{self, Lookup};
use crate::image::Healthcheck;
use crate::vfs;

/// Applies a config instruction; returns a one-line summary for the step view.
pub(crate) fn apply(ctx: &mut Ctx<'_>, state: &mut StageState, ins: &Instruction) -> String {
    match &ins.kind {
        InstructionKind::Env(pairs) => {
            // Within one ENV line every value sees the bindings from before the line.
            let values = expand_pairs(ctx, state, pairs);
            let n = values.len();
            for (k, v) in values {
                state.config.set_env(&k, v);
            }
            format!("set {n} variable{}", plural(n))
        }
        InstructionKind::Label(pairs) => {
            let values = expand_pairs(ctx, state, pairs);
            let n = values.len();
            state.config.labels.extend(values);
            format!("set {n} label{}", plural(n))
        }
        InstructionKind::User(word) => {
            let user = expand_one(ctx, state, word);
            state.config.user = user.clone();
            format!("commands run as {user:?} from here on")
        }
        InstructionKind::Workdir(word) => {
            let dir = expand_one(ctx, state, word);
            let path = vfs::join(&state.config.workdir, &dir);
            let existed = state.fs.resolve(&path, true).ok().and_then(|p| state.fs.get(&p).cloned()).is_some_and(|n| n.is_dir());
            if !existed {
                // BuildKit creates the directory owned by the current USER.
                let owner = users::resolve_user(ctx, state, ins.keyword.span).unwrap_or((0, 0));
                let target = state.fs.resolve(&path, true).unwrap_or_else(|_| path.clone());
                state.fs.mkdir_all(&target, 0o755, owner);
                state.fs.update(&target, |n| {
                    n.uid = owner.0;
                    n.gid = owner.1;
                });
            }
            state.config.workdir = path.clone();
            if existed { format!("working directory is {path}") } else { format!("created {path} and made it the working directory") }
        }
        InstructionKind::Expose(words) => {
            let mut added = Vec::new();
            for w in words {
                for port in expand_many(ctx, state, w) {
                    let port = if port.contains('/') { port } else { format!("{port}/tcp") };
                    added.push(port.clone());
                    state.config.exposed_ports.insert(port);
                }
            }
            format!("exposes {}", added.join(", "))
        }
        InstructionKind::Volume(words) => {
            for w in words {
                for v in expand_many(ctx, state, w) {
                    state.config.volumes.insert(v);
                }
            }
            "declared a volume".into()
        }
        InstructionKind::Cmd(form) => {
            state.config.cmd = Some(command_vec(form, &state.config.shell));
            state.cmd_inherited = false;
            "set the default command".into()
        }
        InstructionKind::Entrypoint(form) => {
            state.config.entrypoint = Some(command_vec(form, &state.config.shell));
            if state.cmd_inherited {
                // Docker: a CMD inherited from the base is reset by a new ENTRYPOINT.
                state.config.cmd = None;
                state.cmd_inherited = false;
            }
            "set the entrypoint".into()
        }
        InstructionKind::Shell(argv) => {
            state.config.shell = argv.clone();
            format!("RUN and shell-form commands now use {}", argv.join(" "))
        }
        InstructionKind::Healthcheck(form) => {
            let test = match form {
                None => vec!["NONE".to_string()],
                Some(CommandForm::Exec(argv)) => std::iter::once("CMD".to_string()).chain(argv.iter().cloned()).collect(),
                Some(CommandForm::Shell(text)) => vec!["CMD-SHELL".to_string(), text.value.clone()],
            };
            let flag = |name: &str| ins.flag(name).and_then(|f| f.value.clone());
            let retries = flag("retries").and_then(|r| r.parse().ok());
            state.config.healthcheck = Some(Healthcheck {
                test,
                interval: flag("interval"),
                timeout: flag("timeout"),
                start_period: flag("start-period"),
                start_interval: flag("start-interval"),
                retries,
            });
            "set the health check".into()
        }
        InstructionKind::Stopsignal(word) => {
            let signal = expand_one(ctx, state, word);
            state.config.stopsignal = Some(signal);
            "set the stop signal".into()
        }
        // Deprecated: the MaintainerDeprecated build check (`checks`) says so.
        InstructionKind::Maintainer(word) => format!("maintainer {}", word.value),
        _ => String::new(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Shell form runs through the stage's SHELL; exec form is taken as is.
pub(crate) fn command_vec(form: &CommandForm, shell: &[String]) -> Vec<String> {
    match form {
        CommandForm::Exec(argv) => argv.clone(),
        CommandForm::Shell(text) => shell.iter().cloned().chain(std::iter::once(text.value.clone())).collect(),
    }
}

fn expand_pairs(ctx: &mut Ctx<'_>, state: &StageState, pairs: &[KeyValue]) -> Vec<(String, String)> {
    let vars = state.vars();
    pairs
        .iter()
        .map(|kv| (expand_word(ctx, &vars, &kv.key), expand_word(ctx, &vars, &kv.value)))
        .collect()
}

pub(crate) fn expand_one(ctx: &mut Ctx<'_>, state: &StageState, word: &Word) -> String {
    let vars = state.vars();
    expand_word(ctx, &vars, word)
}

/// Expands a word; on an error (e.g. `${X:?required}`) reports it and keeps the raw text.
pub(crate) fn expand_word(ctx: &mut Ctx<'_>, vars: &dyn Lookup, word: &Word) -> String {
    match expand::expand_word(&word.value, vars, ctx.escape()) {
        Ok(e) => e.value,
        Err(e) => {
            ctx.diags.error("ExpansionError", word.span, e.message);
            word.value.clone()
        }
    }
}

fn expand_many(ctx: &mut Ctx<'_>, state: &StageState, word: &Word) -> Vec<String> {
    match expand::expand_words(&word.value, &state.vars(), ctx.escape()) {
        Ok(e) => e.value,
        Err(e) => {
            ctx.diags.error("ExpansionError", word.span, e.message);
            vec![word.value.clone()]
        }
    }
}
