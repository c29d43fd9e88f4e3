//! Builds the planned stages instruction by instruction on the layered `vfs`, as BuildKit
//! would: each stage in isolation, in dependency order, only the stages the target needs.
//! Each filesystem-changing instruction closes a layer; every instruction leaves a snapshot.

mod base;
mod chmod;
mod config;
mod copy;
mod run;
mod stated;
mod users;

use std::collections::BTreeMap;

use crate::args::{self, ArgScope};
use crate::context::BuildContext;
use crate::diagnostics::Diagnostics;
use crate::dockerfile::{Dockerfile, Instruction, InstructionKind};
use crate::expand::Lookup;
use crate::image::ImageConfig;
use crate::plan::{Base, Plan};
use crate::vfs::Fs;

pub use base::{BaseInfo, BaseKind};

#[derive(Clone, Debug)]
pub struct BuildOptions<'a> {
    pub build_args: &'a BTreeMap<String, String>,
    /// A source missing from the context is an error (as in `docker build`) rather than a
    /// placeholder with a warning.
    pub strict: bool,
}

/// One layer of a stage's image: the base image, or what one instruction added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRecord {
    pub id: u32,
    /// The stage whose instruction made the layer.
    pub stage: usize,
    /// Index into `Dockerfile::instructions` (the FROM line for a base layer).
    pub instruction: usize,
    /// The instruction as one line of text, and the line it starts on.
    pub text: String,
    pub line: usize,
    pub size_bytes: u64,
    pub compressed_bytes: u64,
    pub is_base: bool,
    /// Paths this layer wrote with the bytes each adds, and paths it deleted from layers below.
    pub written: Vec<(String, u64)>,
    pub whiteouts: Vec<String>,
}

/// The state after one instruction, for stepping through a build. A stage's first step is its
/// FROM (the base it starts from); ONBUILD triggers share the FROM's instruction index.
#[derive(Clone, Debug)]
pub struct Step {
    pub instruction: usize,
    /// The instruction as one line (continuations joined, heredoc bodies left out).
    pub text: String,
    /// The line it starts on (an ONBUILD trigger's is its stage's FROM line, as in BuildKit).
    pub line: usize,
    pub fs: Fs,
    /// What the instruction did, without its keyword ("copied 1 file, 2.00 MB").
    pub summary: String,
    /// The operation BuildKit runs for it; `None` for instructions that only change the image
    /// config (ENV, ARG, LABEL, CMD, …), which BuildKit neither logs nor caches as steps.
    pub op: Option<StepOp>,
    /// The id of the layer it added (`LayerRecord::id`), if it kept one.
    pub layer: Option<u32>,
}

/// A RUN, COPY, ADD or WORKDIR as BuildKit runs it, with what its cache key depends on besides
/// the step before it (see `cache`). Recorded while building, because only the builder knows
/// the values of variables and the files a COPY read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepOp {
    /// The instruction as BuildKit's progress log names it: COPY, ADD and WORKDIR with
    /// variables expanded, RUN as written (its shell expands it).
    pub name: String,
    /// What it runs with, as (what, value): for RUN every variable in its environment
    /// (`$NAME`: ARG values in scope, then ENV), the user, the working directory and the
    /// shell; for COPY/ADD with a relative destination, the working directory; for WORKDIR
    /// the directory it creates and the user.
    pub settings: Vec<(String, String)>,
    /// Files it reads from the build context (COPY/ADD sources, RUN bind mounts) and inline
    /// documents (`<<EOF`), in the order read.
    pub inputs: Vec<InputFile>,
    /// Stages whose results it reads (`COPY --from`, `RUN --mount=from=`).
    pub from_stages: Vec<usize>,
    /// Images it reads from (`COPY --from=image`, `RUN --mount=from=image`).
    pub from_images: Vec<String>,
}

/// One file an operation read: a build-context path without the leading `/`, or `<<NAME`
/// for an inline document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub size: u64,
    /// `vfs::Node::fingerprint`: changes when the bytes (or, for a file known only by its
    /// size, the size), the mode or the link target change.
    pub fingerprint: u64,
}

/// A built stage.
#[derive(Clone, Debug)]
pub struct StageResult {
    pub index: usize,
    pub fs: Fs,
    pub config: ImageConfig,
    pub layers: Vec<LayerRecord>,
    pub base: BaseInfo,
    /// ARGs declared by the stage (stages built FROM it inherit them).
    pub args: ArgScope,
    pub steps: Vec<Step>,
    /// An instruction failed; the stage stopped there.
    pub failed: bool,
    /// Some RUN did something the simulator has no model for: file contents may differ.
    pub uncertain: bool,
    /// ONBUILD triggers to run in stages built FROM this one.
    pub onbuild: Vec<Instruction>,
}

#[derive(Clone, Debug, Default)]
pub struct BuildOutput {
    /// Indexed by stage; `None` for stages the target does not need.
    pub stages: Vec<Option<StageResult>>,
}

/// Everything one build shares while it runs.
pub(crate) struct Ctx<'a> {
    pub dockerfile: &'a Dockerfile,
    pub plan: &'a Plan,
    pub options: &'a BuildOptions<'a>,
    pub diags: &'a mut Diagnostics,
    /// The (filtered) context as a file tree, built once.
    pub context_fs: Fs,
    /// Contents of `RUN --mount=type=cache` caches by id, shared by every RUN of the build
    /// that mounts the same id (the simulator starts each build with empty caches).
    pub caches: std::collections::BTreeMap<String, Vec<(String, crate::vfs::Node)>>,
    pub next_layer: u32,
}

impl Ctx<'_> {
    pub fn escape(&self) -> char {
        self.dockerfile.directives.escape
    }
    pub fn line_of(&self, ins: &Instruction) -> usize {
        self.diags.line_index().line(ins.span.start)
    }
    /// The instruction as one line: continuations joined, heredoc bodies left out.
    pub fn one_line(&self, ins: &Instruction) -> String {
        one_line(self.diags.line_index().text(), ins, self.escape())
    }
    pub fn new_layer_id(&mut self) -> u32 {
        self.next_layer += 1;
        self.next_layer
    }
}

pub fn one_line(source: &str, ins: &Instruction, escape: char) -> String {
    let text = source.get(ins.span.start..ins.span.end).unwrap_or("");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if i > 0 && line.trim_start().starts_with('#') {
            continue;
        }
        // The logical line ends at the first line without a continuation; heredoc bodies follow it.
        let (piece, continues) = match line.strip_suffix(escape) {
            Some(p) => (p, true),
            None => (line, false),
        };
        let piece = piece.trim();
        if !out.is_empty() && !piece.is_empty() {
            out.push(' ');
        }
        out.push_str(piece);
        if !continues {
            break;
        }
    }
    out
}

/// The stage's variables for expansion: ENV wins over ARG.
pub(crate) struct StageVars<'a> {
    pub env: &'a [(String, String)],
    pub args: &'a ArgScope,
}

impl Lookup for StageVars<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).or_else(|| self.args.get(name))
    }
}

/// A stage while it is being built.
pub(crate) struct StageState {
    pub index: usize,
    pub fs: Fs,
    pub config: ImageConfig,
    pub scope_args: ArgScope,
    pub layers: Vec<LayerRecord>,
    pub base: BaseInfo,
    pub steps: Vec<Step>,
    pub failed: bool,
    pub uncertain: bool,
    pub onbuild: Vec<Instruction>,
    /// CMD came from the base image, so an ENTRYPOINT in this stage resets it.
    pub cmd_inherited: bool,
    /// What the instruction being dispatched read (COPY and RUN add to it).
    pub op: StepOp,
}

impl StageState {
    pub fn vars(&self) -> StageVars<'_> {
        StageVars { env: &self.config.env, args: &self.scope_args }
    }
}

pub fn build(
    dockerfile: &Dockerfile,
    plan: &Plan,
    context: &BuildContext,
    options: &BuildOptions<'_>,
    diags: &mut Diagnostics,
) -> BuildOutput {
    let mut ctx = Ctx { dockerfile, plan, options, diags, context_fs: copy::context_tree(context), caches: Default::default(), next_layer: 0 };
    let mut output = BuildOutput { stages: vec![None; plan.stages.len()] };
    for &index in &plan.order {
        let result = build_stage(&mut ctx, index, &output);
        output.stages[index] = Some(result);
    }
    output
}

fn build_stage(ctx: &mut Ctx<'_>, index: usize, done: &BuildOutput) -> StageResult {
    let stage = &ctx.plan.stages[index];
    let mut state = base::initial_state(ctx, stage, done);
    if let Some(from) = ctx.dockerfile.instructions.get(stage.from_instruction) {
        let summary = match &stage.base {
            Base::Scratch => "an empty filesystem (scratch)".to_string(),
            Base::Stage(p) => format!("stage {}, {}", ctx.plan.stages[*p].label(), crate::report::human_size(state.layers.iter().map(|l| l.size_bytes).sum())),
            Base::Image(r) => {
                let guess = if state.base.known { "" } else { ", estimated" };
                format!("the image {r}, {}{guess}", crate::report::human_size(state.base.size_bytes))
            }
        };
        let step = Step {
            instruction: stage.from_instruction,
            text: ctx.one_line(from),
            line: ctx.line_of(from),
            fs: state.fs.clone(),
            summary,
            op: None,
            layer: state.layers.iter().find(|l| l.is_base && l.stage == index).map(|l| l.id),
        };
        state.steps.push(step);
    }

    // Triggers of a parent stage run first, as if written right after FROM.
    let triggers = std::mem::take(&mut state.onbuild);
    let mut instructions: Vec<(usize, &Instruction)> = Vec::new();
    if matches!(stage.base, Base::Stage(_)) {
        for t in &triggers {
            instructions.push((stage.from_instruction, t));
        }
    }
    for i in stage.body.clone() {
        instructions.push((i, &ctx.dockerfile.instructions[i]));
    }
    for (i, ins) in instructions {
        if state.failed {
            break;
        }
        dispatch(ctx, &mut state, i, ins, done);
    }
    StageResult {
        index,
        fs: state.fs,
        config: state.config,
        layers: state.layers,
        base: state.base,
        args: state.scope_args,
        steps: state.steps,
        failed: state.failed,
        uncertain: state.uncertain,
        onbuild: state.onbuild,
    }
}

fn dispatch(ctx: &mut Ctx<'_>, state: &mut StageState, i: usize, ins: &Instruction, done: &BuildOutput) {
    let changes_files = matches!(
        ins.kind,
        InstructionKind::Run { .. } | InstructionKind::Copy(_) | InstructionKind::Add(_) | InstructionKind::Workdir(_)
    );
    let layer = if changes_files { ctx.new_layer_id() } else { state.fs.current_layer() };
    if changes_files {
        state.fs.open_layer(layer);
    }
    // What the cache key sees is taken before the instruction changes the stage.
    let mut op = changes_files.then(|| op_before(ctx, state, ins));
    state.op = StepOp::default();
    let summary = match &ins.kind {
        InstructionKind::Arg(decls) => {
            let escape = ctx.escape();
            // A default that fails to expand (`${X:?msg}`) fails the build, as in BuildKit.
            let errors_before = ctx.diags.error_count();
            for decl in decls {
                let value = {
                    let vars = state.vars();
                    args::stage_arg_value(decl, &ctx.plan.global_args, ctx.options.build_args, &vars, escape, ctx.diags)
                };
                state.scope_args.set(&decl.name.value, value);
            }
            if ctx.diags.error_count() > errors_before {
                state.failed = true;
            }
            let n = decls.len();
            format!("declared {n} build argument{}", if n == 1 { "" } else { "s" })
        }
        InstructionKind::Run { command, heredocs } => run::run(ctx, state, ins, command, heredocs, done),
        InstructionKind::Copy(args) => copy::copy(ctx, state, ins, args, false, done),
        InstructionKind::Add(args) => copy::copy(ctx, state, ins, args, true, done),
        InstructionKind::Onbuild(trigger) => {
            state.config.onbuild.push(ctx.one_line(trigger));
            state.onbuild.push((**trigger).clone());
            "registered a trigger for stages built FROM this one".to_string()
        }
        _ => config::apply(ctx, state, ins),
    };
    if let Some(o) = op.as_mut() {
        let read = std::mem::take(&mut state.op);
        o.inputs.extend(read.inputs);
        o.from_stages.extend(read.from_stages);
        o.from_images.extend(read.from_images);
    }
    if matches!(ins.kind, InstructionKind::Workdir(_)) {
        // BuildKit creates the directory (as the current user) unless it is `/`.
        if state.config.workdir == "/" {
            op = None;
        } else if let Some(o) = op.as_mut() {
            o.settings.push(("directory".into(), state.config.workdir.clone()));
        }
    }
    let mut kept_layer = None;
    if changes_files {
        let diff = state.fs.close_layer();
        // A failed step leaves no layer; a WORKDIR that created nothing leaves none either.
        let keep = !state.failed && (!matches!(ins.kind, InstructionKind::Workdir(_)) || !diff.written.is_empty());
        if keep {
            kept_layer = Some(layer);
            let written: Vec<(String, u64)> = diff
                .written
                .into_iter()
                .map(|p| {
                    let size = state.fs.get(&p).map(|n| n.size()).unwrap_or(0);
                    (p, size)
                })
                .collect();
            let compressed = written.iter().map(|(p, n)| crate::sizes::compressed_estimate(p, *n)).sum();
            state.layers.push(LayerRecord {
                id: layer,
                stage: state.index,
                instruction: i,
                text: ctx.one_line(ins),
                line: ctx.line_of(ins),
                size_bytes: diff.size_bytes,
                compressed_bytes: compressed,
                is_base: false,
                written,
                whiteouts: diff.whiteouts,
            });
        }
    }
    let line = ctx.dockerfile.instructions.get(i).map(|f| ctx.line_of(f)).unwrap_or(0);
    state.steps.push(Step { instruction: i, text: ctx.one_line(ins), line, fs: state.fs.clone(), summary, op, layer: kept_layer });
}

/// The operation's name and settings as they are before it runs (see `StepOp`).
fn op_before(ctx: &Ctx<'_>, state: &StageState, ins: &Instruction) -> StepOp {
    let text = ctx.one_line(ins);
    let vars = state.vars();
    let expanded = |t: &str| crate::expand::expand_word(t, &vars, ctx.escape()).map(|e| e.value).unwrap_or_else(|_| t.to_string());
    let mut op = StepOp::default();
    match &ins.kind {
        InstructionKind::Run { heredocs, .. } => {
            op.name = text;
            for (k, v) in run::run_env(state) {
                op.settings.push((format!("${k}"), v));
            }
            op.settings.push(("user".into(), state.config.user.clone()));
            op.settings.push(("workdir".into(), state.config.workdir.clone()));
            op.settings.push(("shell".into(), state.config.shell.join(" ")));
            for h in heredocs {
                op.inputs.push(InputFile {
                    path: format!("<<{}", h.name),
                    size: h.content.len() as u64,
                    fingerprint: crate::vfs::fingerprint_bytes(h.content.as_bytes()),
                });
            }
        }
        InstructionKind::Copy(args) | InstructionKind::Add(args) => {
            op.name = expanded(&text);
            if !expanded(&args.dest.value).starts_with('/') {
                op.settings.push(("workdir".into(), state.config.workdir.clone()));
            }
        }
        _ => {
            op.name = expanded(&text);
            op.settings.push(("user".into(), state.config.user.clone()));
        }
    }
    op
}
