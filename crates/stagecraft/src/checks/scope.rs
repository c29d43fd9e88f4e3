//! What each instruction of each stage sees, as BuildKit's dispatcher tracks it: the
//! variables (the base image's ENV or the parent stage's, then ENV instructions and ARG
//! values), the ARG names declared (an ARG without a value is declared yet not a variable),
//! and whether WORKDIR or SHELL was set in the stage or a stage it is built from.
//!
//! Every stage is walked, as `docker build --check` does, whether the target needs it or not.

use std::collections::BTreeSet;

use super::Cx;
use crate::catalog;
use crate::dockerfile::{ArgDecl, Instruction, InstructionKind};
use crate::expand::{self, Lookup};
use crate::plan::{Base, StagePlan};

/// BuildKit sets PATH when the image does not (system.DefaultPathEnv for Linux).
use crate::shell::DEFAULT_PATH;

#[derive(Clone, Debug)]
pub struct Scope {
    pub env: Vec<(String, String)>,
    pub declared: BTreeSet<String>,
    pub workdir_set: bool,
    /// The working directory, as far as it is known.
    pub workdir: String,
    /// A SHELL instruction ran in the stage chain, or the base image sets a shell.
    pub shell_set: bool,
    /// The base image's config is real data, not the simulator's estimate: its ENV can be
    /// trusted to say which variables exist.
    pub base_known: bool,
}

impl Lookup for Scope {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Scope {
    fn set(&mut self, name: &str, value: String) {
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.env.push((name.to_string(), value)),
        }
    }
    pub fn keys(&self) -> Vec<&str> {
        self.env.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// Calls `f` for every instruction of every stage with the scope before it.
pub fn walk<'a>(cx: &'a Cx<'_>, mut f: impl FnMut(&StagePlan, usize, &'a Instruction, &Scope)) {
    let plan = &cx.report.plan;
    let instructions = &cx.dockerfile().instructions;
    let mut finals: Vec<Option<Scope>> = vec![None; plan.stages.len()];
    for stage in &plan.stages {
        let mut scope = initial(stage, &finals);
        for i in stage.body.clone() {
            let Some(ins) = instructions.get(i) else { continue };
            f(stage, i, ins, &scope);
            apply(cx, &mut scope, ins);
        }
        if let Some(slot) = finals.get_mut(stage.index) {
            *slot = Some(scope);
        }
    }
}

fn initial(stage: &StagePlan, finals: &[Option<Scope>]) -> Scope {
    let mut scope = Scope {
        env: Vec::new(),
        declared: BTreeSet::new(),
        workdir_set: false,
        workdir: "/".to_string(),
        shell_set: false,
        base_known: true,
    };
    match &stage.base {
        Base::Scratch => {}
        Base::Stage(parent) => match finals.get(*parent).and_then(Option::as_ref) {
            Some(p) => return p.clone(),
            None => scope.base_known = false,
        },
        Base::Image(reference) => {
            let resolved = catalog::builtin().resolve(reference);
            let config = &resolved.facts.config;
            scope.env = config.env.clone();
            scope.workdir = config.workdir.clone().filter(|w| !w.is_empty()).unwrap_or_else(|| "/".to_string());
            scope.shell_set = config.shell.as_ref().is_some_and(|s| !s.is_empty());
            scope.base_known = resolved.known();
        }
    }
    if scope.lookup("PATH").is_none() {
        scope.env.push(("PATH".to_string(), DEFAULT_PATH.to_string()));
    }
    scope
}

/// The value `ARG decl` takes (BuildKit's dispatchArg), as the build computes it; the build
/// already reported a default that does not expand.
fn arg_value(cx: &Cx<'_>, vars: &dyn Lookup, decl: &ArgDecl) -> Option<String> {
    let mut quiet = crate::diagnostics::Diagnostics::new("");
    crate::args::stage_arg_value(decl, &cx.report.plan.global_args, cx.input.build_args, vars, cx.escape(), &mut quiet)
}

fn apply(cx: &Cx<'_>, scope: &mut Scope, ins: &Instruction) {
    match &ins.kind {
        InstructionKind::Arg(decls) => {
            for decl in decls {
                scope.declared.insert(decl.name.value.clone());
                if let Some(v) = arg_value(cx, scope, decl) {
                    scope.set(&decl.name.value, v);
                }
            }
        }
        InstructionKind::Env(pairs) => {
            // Every pair sees the variables from before the instruction.
            let values: Vec<(String, String)> = pairs
                .iter()
                .filter_map(|kv| {
                    let k = expand::expand_word(&kv.key.value, scope, cx.escape()).ok()?.value;
                    let v = expand::expand_word(&kv.value.value, scope, cx.escape()).ok()?.value;
                    Some((k, v))
                })
                .collect();
            for (k, v) in values {
                scope.set(&k, v);
            }
        }
        InstructionKind::Workdir(word) => {
            scope.workdir_set = true;
            if let Ok(e) = expand::expand_word(&word.value, scope, cx.escape()) {
                scope.workdir = crate::vfs::join(&scope.workdir, &e.value);
            }
        }
        InstructionKind::Shell(_) => scope.shell_set = true,
        _ => {}
    }
}
