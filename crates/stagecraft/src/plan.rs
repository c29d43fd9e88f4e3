//! From a parsed Dockerfile to a build plan: the stages, what each is based on, which stages
//! each depends on (`FROM <stage>`, `COPY --from`, `RUN --mount=from=`), the target, and
//! which stages BuildKit would actually build for that target (only those the target needs).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::args::{self, ArgScope};
use crate::diagnostics::Diagnostics;
use crate::dockerfile::{Dockerfile, InstructionKind};
use crate::expand;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub stages: Vec<StagePlan>,
    /// The global scope: ARGs declared before the first FROM, with build-arg overrides, and the
    /// predefined platform ARGs. Used to expand FROM lines and inherited by in-stage `ARG X`.
    pub global_args: ArgScope,
    /// The stage the build produces; `None` when the Dockerfile has no stage or the requested
    /// target does not exist (an error diagnostic says which).
    pub target: Option<usize>,
    /// Stages to build, each after the stages it depends on.
    pub order: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagePlan {
    pub index: usize,
    /// Lower-cased, as BuildKit compares stage names.
    pub name: Option<String>,
    /// Index of the FROM instruction in `Dockerfile::instructions`.
    pub from_instruction: usize,
    /// The instructions after FROM, up to the next FROM.
    pub body: Range<usize>,
    pub base: Base,
    /// The FROM line's image word, for diagnostics.
    pub base_span: Span,
    pub platform: Option<String>,
    pub deps: Vec<Dependency>,
    /// Whether the target needs this stage (BuildKit skips the others).
    pub needed: bool,
}

impl StagePlan {
    /// How the report names a stage: its name, or its index.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.index.to_string())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An image reference, after variable expansion.
    Image(String),
    /// An earlier stage of this Dockerfile.
    Stage(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub stage: usize,
    pub kind: DependencyKind,
    /// Index of the instruction that creates the dependency.
    pub instruction: usize,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    From,
    CopyFrom,
    MountFrom,
}

/// What a `--from=` value names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FromRef {
    Stage(usize),
    Image(String),
}

#[derive(Clone, Debug)]
pub struct PlanOptions<'a> {
    pub target: Option<&'a str>,
    pub build_args: &'a BTreeMap<String, String>,
}

pub fn plan(dockerfile: &Dockerfile, options: &PlanOptions<'_>, diags: &mut Diagnostics) -> Plan {
    let escape = dockerfile.directives.escape;
    // BuildKit names the target before anything else: --target, else the last stage's name.
    let last_alias = dockerfile.instructions.iter().rev().find_map(|ins| match &ins.kind {
        InstructionKind::From { alias, .. } => Some(alias.as_ref().map(|a| a.value.to_ascii_lowercase()).unwrap_or_default()),
        _ => None,
    });
    let target_name = options.target.filter(|t| !t.is_empty()).map(str::to_string).or(last_alias).unwrap_or_default();
    let global_args = args::global_scope(dockerfile, options.build_args, &target_name, diags);
    let mut stages = split_stages(dockerfile, &global_args, diags);
    check_names(dockerfile, &stages, diags);

    for i in 0..stages.len() {
        let deps = stage_dependencies(dockerfile, &stages, i, &global_args, options.build_args, escape, diags);
        stages[i].deps = deps;
    }

    let mut plan = Plan { stages, global_args, target: None, order: Vec::new() };
    if plan.stages.is_empty() {
        return plan;
    }
    if has_cycle_or_forward_reference(dockerfile, &plan.stages, diags) {
        return plan;
    }
    plan.target = find_target(dockerfile, &plan.stages, options.target, diags);
    if let Some(target) = plan.target {
        plan.order = build_order(&plan.stages, target);
        for &i in &plan.order {
            plan.stages[i].needed = true;
        }
    }
    plan
}

impl Plan {
    /// The stage a name or index refers to, as `--from` and `FROM` look it up: names
    /// case-insensitively, numbers as indices.
    pub fn stage_named(&self, name: &str) -> Option<usize> {
        lookup_stage(&self.stages, name)
    }
}

fn lookup_stage(stages: &[StagePlan], name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    if let Some(s) = stages.iter().find(|s| s.name.as_deref() == Some(lower.as_str())) {
        return Some(s.index);
    }
    if !lower.is_empty() && lower.bytes().all(|b| b.is_ascii_digit()) {
        return lower.parse::<usize>().ok().filter(|&i| i < stages.len());
    }
    None
}

fn split_stages(dockerfile: &Dockerfile, globals: &ArgScope, diags: &mut Diagnostics) -> Vec<StagePlan> {
    let escape = dockerfile.directives.escape;
    let froms: Vec<usize> = dockerfile
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, ins)| matches!(ins.kind, InstructionKind::From { .. }))
        .map(|(i, _)| i)
        .collect();
    let mut stages: Vec<StagePlan> = Vec::with_capacity(froms.len());
    for (index, &from) in froms.iter().enumerate() {
        let end = froms.get(index + 1).copied().unwrap_or(dockerfile.instructions.len());
        let ins = &dockerfile.instructions[from];
        let InstructionKind::From { image, alias } = &ins.kind else { continue };
        let expanded = match expand::expand_word(&image.value, globals, escape) {
            Ok(e) => e.value,
            Err(e) => {
                diags.error("InvalidBaseImage", image.span, format!("FROM {}: {}", image.value, e.message));
                image.value.clone()
            }
        };
        let name = alias.as_ref().map(|a| a.value.to_ascii_lowercase());
        let base = if expanded.is_empty() {
            diags.error("InvalidBaseImage", image.span, "base name (".to_string() + &image.value + ") should not be blank");
            Base::Scratch
        } else if expanded.eq_ignore_ascii_case("scratch") {
            Base::Scratch
        } else if let Some(parent) = lookup_named_only(&stages, &expanded) {
            Base::Stage(parent)
        } else {
            Base::Image(expanded)
        };
        let platform = ins.flag("platform").and_then(|f| f.value.clone()).map(|p| {
            expand::expand_word(&p, globals, escape).map(|e| e.value).unwrap_or(p)
        });
        stages.push(StagePlan {
            index,
            name,
            from_instruction: from,
            body: from + 1..end,
            base,
            base_span: image.span,
            platform,
            deps: Vec::new(),
            needed: false,
        });
    }
    stages
}

/// `FROM x` refers to an earlier stage only by name (`FROM 0` is an image called "0").
fn lookup_named_only(stages: &[StagePlan], name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    stages.iter().find(|s| s.name.as_deref() == Some(lower.as_str())).map(|s| s.index)
}

fn check_names(dockerfile: &Dockerfile, stages: &[StagePlan], diags: &mut Diagnostics) {
    // A reserved name is a BuildKit build check (ReservedStageName, a warning in `checks`);
    // a repeated name fails the build, as in BuildKit (the reference cannot be resolved).
    for (i, stage) in stages.iter().enumerate() {
        let Some(name) = &stage.name else { continue };
        let InstructionKind::From { alias: Some(alias), .. } = &dockerfile.instructions[stage.from_instruction].kind
        else {
            continue;
        };
        if !valid_stage_name(name) {
            diags.error(
                "InvalidStageName",
                alias.span,
                format!("invalid name for build stage: {:?}, name can't start with a number or contain symbols", alias.value),
            );
        }
        if stages[..i].iter().any(|s| s.name.as_deref() == Some(name.as_str())) {
            diags.error("DuplicateStageName", alias.span, format!("duplicate stage name {name:?}: each stage needs its own name"));
        }
    }
}

fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn stage_dependencies(
    dockerfile: &Dockerfile,
    stages: &[StagePlan],
    index: usize,
    globals: &ArgScope,
    build_args: &BTreeMap<String, String>,
    escape: char,
    diags: &mut Diagnostics,
) -> Vec<Dependency> {
    let stage = &stages[index];
    let mut deps = Vec::new();
    if let Base::Stage(parent) = stage.base {
        deps.push(Dependency { stage: parent, kind: DependencyKind::From, instruction: stage.from_instruction, span: stage.base_span });
        // The parent's ONBUILD triggers run in this stage, right after FROM, and what they
        // copy or mount from is this stage's dependency (BuildKit's initOnBuildTriggers).
        let scope = ArgScope::default();
        for i in stages[parent].body.clone() {
            if let InstructionKind::Onbuild(trigger) = &dockerfile.instructions[i].kind {
                instruction_deps(stages, trigger, i, &scope, escape, &mut deps, None);
            }
        }
    }
    // ARG values visible in this stage, for `COPY --from=$X`.
    let mut scope = ArgScope::default();
    for i in stage.body.clone() {
        let ins = &dockerfile.instructions[i];
        match &ins.kind {
            InstructionKind::Onbuild(_) => {}
            // Only the values matter here: the build reports a bad default once, when (and
            // if) it runs the stage, as BuildKit does.
            InstructionKind::Arg(decls) => {
                let mut quiet = Diagnostics::new("");
                for decl in decls {
                    let value = args::stage_arg_value(decl, globals, build_args, &scope, escape, &mut quiet);
                    scope.set(&decl.name.value, value);
                }
            }
            _ => instruction_deps(stages, ins, i, &scope, escape, &mut deps, Some(&mut *diags)),
        }
    }
    deps
}

/// The stages `COPY --from` and `RUN --mount=from=` of one instruction need. `diags` reports
/// `from=$X` mounts (BuildKit refuses them when it parses the stage).
fn instruction_deps(
    stages: &[StagePlan],
    ins: &crate::dockerfile::Instruction,
    i: usize,
    scope: &ArgScope,
    escape: char,
    deps: &mut Vec<Dependency>,
    mut diags: Option<&mut Diagnostics>,
) {
    match &ins.kind {
        InstructionKind::Copy(_) | InstructionKind::Add(_) => {
            if let Some(flag) = ins.flag("from") {
                let raw = flag.value.clone().unwrap_or_default();
                let value = expand::expand_word(&raw, scope, escape).map(|e| e.value).unwrap_or(raw);
                if let Some(FromRef::Stage(s)) = resolve_from(stages, &value) {
                    deps.push(Dependency { stage: s, kind: DependencyKind::CopyFrom, instruction: i, span: flag.span });
                }
            }
        }
        InstructionKind::Run { .. } => {
            for flag in ins.flag_values("mount") {
                let Some(from) = flag.value.as_deref().and_then(mount_from) else { continue };
                if from.contains('$') {
                    if let Some(diags) = diags.as_deref_mut() {
                        diags.error("InvalidMount", flag.span, "'from' doesn't support variable expansion, define alias stage instead");
                    }
                    continue;
                }
                if let Some(FromRef::Stage(s)) = resolve_from(stages, from) {
                    deps.push(Dependency { stage: s, kind: DependencyKind::MountFrom, instruction: i, span: flag.span });
                }
            }
        }
        _ => {}
    }
}

/// The `from=` value of a `--mount` spec, if any.
pub fn mount_from(spec: &str) -> Option<&str> {
    spec.split(',').find_map(|kv| kv.strip_prefix("from=").or_else(|| kv.strip_prefix("source-stage=")))
}

/// What a `--from=` value refers to: a stage (by name, or by index) or an image.
pub fn resolve_from(stages: &[StagePlan], value: &str) -> Option<FromRef> {
    if value.is_empty() {
        return None;
    }
    Some(match lookup_stage(stages, value) {
        Some(s) => FromRef::Stage(s),
        None => FromRef::Image(value.to_string()),
    })
}

/// Reports a cycle (BuildKit: "circular dependency detected on stage: X") or a dependency on a
/// later stage ("cannot copy from stage …, it needs to be defined before current stage …").
fn has_cycle_or_forward_reference(dockerfile: &Dockerfile, stages: &[StagePlan], diags: &mut Diagnostics) -> bool {
    // Colours for a depth-first search: 0 unvisited, 1 on the stack, 2 done.
    fn visit(i: usize, stages: &[StagePlan], colour: &mut [u8]) -> Option<usize> {
        colour[i] = 1;
        for d in &stages[i].deps {
            match colour[d.stage] {
                1 => return Some(d.stage),
                0 => {
                    if let Some(c) = visit(d.stage, stages, colour) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        colour[i] = 2;
        None
    }
    let mut colour = vec![0u8; stages.len()];
    for i in 0..stages.len() {
        if colour[i] == 0 {
            if let Some(on) = visit(i, stages, &mut colour) {
                let span = dockerfile.instructions[stages[on].from_instruction].span;
                diags.error("CircularDependency", span, format!("circular dependency detected on stage: {}", stages[on].label()));
                return true;
            }
        }
    }
    let mut bad = false;
    for stage in stages {
        for d in &stage.deps {
            if d.stage >= stage.index {
                diags.error(
                    "UndefinedStage",
                    d.span,
                    format!(
                        "cannot copy from stage {:?}, it needs to be defined before current stage {:?}",
                        stages[d.stage].label(),
                        stage.label()
                    ),
                );
                bad = true;
            }
        }
    }
    bad
}

fn find_target(dockerfile: &Dockerfile, stages: &[StagePlan], target: Option<&str>, diags: &mut Diagnostics) -> Option<usize> {
    let Some(name) = target.filter(|t| !t.is_empty()) else {
        return stages.len().checked_sub(1);
    };
    let lower = name.to_ascii_lowercase();
    if let Some(s) = stages.iter().find(|s| s.name.as_deref() == Some(lower.as_str())) {
        return Some(s.index);
    }
    let names: Vec<&str> = stages.iter().filter_map(|s| s.name.as_deref()).collect();
    let message = crate::suggest::wrap(format!("target stage {name:?} could not be found"), name, &names, true);
    let span = dockerfile.instructions.first().map(|i| i.span).unwrap_or_default();
    diags.error("UndefinedTarget", Span::new(span.start, span.start), message);
    None
}

fn build_order(stages: &[StagePlan], target: usize) -> Vec<usize> {
    fn visit(i: usize, stages: &[StagePlan], seen: &mut [bool], out: &mut Vec<usize>) {
        if seen[i] {
            return;
        }
        seen[i] = true;
        for d in &stages[i].deps {
            visit(d.stage, stages, seen, out);
        }
        out.push(i);
    }
    let mut seen = vec![false; stages.len()];
    let mut out = Vec::new();
    visit(target, stages, &mut seen, &mut out);
    out
}
