//! Docker's build cache, simulated: after a previous build, which steps of this one would be
//! `CACHED`, which would run again, and why — in words a learner understands.
//!
//! A step's cache key is its parent's key (the step before it in its stage, or the stage's
//! base) plus what BuildKit keys its operation on (`build::StepOp`): the instruction (COPY,
//! ADD and WORKDIR with variables expanded); for RUN every variable of its environment (ARG
//! values in scope, then ENV), the user, the working directory and the shell; for COPY and ADD
//! the fingerprints of the context files they copy; for `--from=<stage>` that stage's key. A
//! key found among the previous build's keys is a hit, wherever it was (BuildKit's cache is
//! shared by every stage). Keys chain, so once a step misses, every later step of its stage
//! misses too; a stage the target does not need is not built, so it never rebuilds.
//!
//! One simplification, on the safe side: BuildKit keys `COPY --from=<stage>` on the *content*
//! of the files it copies, so a rebuilt stage that produced byte-identical files still hits.
//! The simulator cannot know that a rebuilt RUN produces the same bytes, so a rebuilt source
//! stage always invalidates the copy. A context file known only by its size changes the key
//! only when its size changes.

use std::collections::{HashMap, HashSet};

use crate::build::StepOp;
use crate::catalog::Reference;
use crate::plan::Base;
use crate::report::Report;
use crate::vfs::Fnv;

/// One step of a build (an image's FROM, or a RUN, COPY, ADD or WORKDIR) and its cache key.
#[derive(Clone, Debug)]
pub struct StepKey<'a> {
    pub stage: usize,
    /// Index into the stage's `StageResult::steps`; `None` for the FROM of an image.
    pub step: Option<usize>,
    pub instruction: usize,
    pub line: usize,
    /// As BuildKit's progress log names it (`FROM docker.io/library/golang:1.22`, `COPY . .`).
    pub name: String,
    pub key: u64,
    /// The key of what it builds on: the step before it, or the stage's base.
    pub parent: u64,
    /// `None` for a FROM.
    pub op: Option<&'a StepOp>,
    /// The keys of the stages it reads (`op.from_stages`, same order).
    pub from_keys: Vec<u64>,
}

/// The keys of one built stage.
#[derive(Clone, Debug)]
pub struct StageKeys<'a> {
    pub stage: usize,
    /// The stage's label (its name, or its index).
    pub label: String,
    /// What its first step builds on: the image, `scratch`, or the parent stage's final key.
    pub base_key: u64,
    pub steps: Vec<StepKey<'a>>,
    /// The key of its last step (what `FROM <stage>` and `COPY --from` see).
    pub final_key: u64,
}

/// The cache keys of every built stage, in build order.
pub fn cache_keys(report: &Report) -> Vec<StageKeys<'_>> {
    let mut out: Vec<StageKeys<'_>> = Vec::new();
    let final_key = |out: &[StageKeys<'_>], stage: usize| {
        out.iter().find(|s| s.stage == stage).map(|s| s.final_key).unwrap_or_else(|| hash_str(&["missing stage", &stage.to_string()]))
    };
    for &index in &report.plan.order {
        let (Some(plan), Some(result)) = (report.plan.stages.get(index), report.stage(index)) else { continue };
        let mut steps = Vec::new();
        let base_key = match &plan.base {
            Base::Scratch => scratch_key(),
            Base::Stage(parent) => final_key(&out, *parent),
            Base::Image(reference) => {
                let name = format!("FROM {}", Reference::parse(reference).canonical());
                let key = hash_str(&["FROM", &name, plan.platform.as_deref().unwrap_or("")]);
                let line = result.layers.iter().find(|l| l.is_base).map(|l| l.line).unwrap_or(0);
                steps.push(StepKey {
                    stage: index,
                    step: None,
                    instruction: plan.from_instruction,
                    line,
                    name,
                    key,
                    parent: 0,
                    op: None,
                    from_keys: Vec::new(),
                });
                key
            }
        };
        let mut current = base_key;
        for (j, step) in result.steps.iter().enumerate() {
            let Some(op) = &step.op else { continue };
            let from_keys: Vec<u64> = op.from_stages.iter().map(|&s| final_key(&out, s)).collect();
            let key = op_key(current, op, &from_keys);
            steps.push(StepKey {
                stage: index,
                step: Some(j),
                instruction: step.instruction,
                line: step.line,
                name: op.name.clone(),
                key,
                parent: current,
                op: Some(op),
                from_keys,
            });
            current = key;
        }
        out.push(StageKeys { stage: index, label: plan.label(), base_key, steps, final_key: current });
    }
    out
}

fn scratch_key() -> u64 {
    hash_str(&["scratch"])
}

fn hash_str(parts: &[&str]) -> u64 {
    let mut h = Fnv::new();
    for p in parts {
        h.write_str(p);
    }
    h.finish()
}

fn op_key(parent: u64, op: &StepOp, from_keys: &[u64]) -> u64 {
    let mut h = Fnv::new();
    h.write_u64(parent);
    h.write_str(&op.name);
    for (k, v) in &op.settings {
        h.write_str(k);
        h.write_str(v);
    }
    for f in &op.inputs {
        h.write_str(&f.path);
        h.write_u64(f.fingerprint);
    }
    for k in from_keys {
        h.write_u64(*k);
    }
    for i in &op.from_images {
        h.write_str(i);
    }
    h.finish()
}

/// Whether each step of the current build would come from the cache, and why the others run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheReport {
    /// Every step of the current build, in build order.
    pub steps: Vec<StepCache>,
    /// The misses that are not just the consequence of an earlier miss in the same stage, in
    /// build order: the first is the one to explain.
    pub misses: Vec<Miss>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepCache {
    pub stage: usize,
    /// Index into the stage's `StageResult::steps`; `None` for the FROM of an image.
    pub step: Option<usize>,
    pub instruction: usize,
    pub line: usize,
    pub name: String,
    pub cached: bool,
    /// Why it runs again; `None` when cached.
    pub reason: Option<MissReason>,
}

/// A miss with a cause of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// Index into `CacheReport::steps`.
    pub step: usize,
    pub reason: MissReason,
    /// The cause and its consequence in one sentence.
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MissReason {
    /// The previous build had no stage of this name.
    NewStage,
    /// The stage's FROM names another image (`before`: the previous stage's FROM, if any).
    BaseChanged { before: Option<String> },
    /// The stage builds FROM another stage, which rebuilt.
    BaseStageRebuilt { stage: String },
    /// Context files it copies (or mounts) changed, appeared or went away.
    FilesChanged { changed: Vec<String>, added: Vec<String>, removed: Vec<String> },
    /// A value it runs with changed: a variable (`$NAME`) of a RUN's environment, the user,
    /// the working directory, the shell.
    SettingsChanged(Vec<SettingChange>),
    /// The instruction itself was edited (`before`: what the previous build ran here).
    InstructionChanged { before: String },
    /// A new instruction: the previous build had nothing here.
    InstructionAdded,
    /// The instruction before it in the previous build is gone.
    InstructionRemoved { removed: String },
    /// A stage it copies or mounts from rebuilt.
    SourceStageRebuilt { stages: Vec<String> },
    /// An earlier step of its stage missed.
    AfterMiss,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingChange {
    /// `$NAME` for a variable, else `user`, `workdir`, `shell`, `directory`.
    pub setting: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl CacheReport {
    pub fn first_miss(&self) -> Option<&Miss> {
        self.misses.first()
    }
    pub fn cached_count(&self) -> usize {
        self.steps.iter().filter(|s| s.cached).count()
    }
    pub fn rebuilt_count(&self) -> usize {
        self.steps.len() - self.cached_count()
    }
    /// The entry for a stage's step (`None`: its FROM).
    pub fn step(&self, stage: usize, step: Option<usize>) -> Option<&StepCache> {
        self.steps.iter().find(|s| s.stage == stage && s.step == step)
    }
}

/// Marks each step of `current` cached or not after `previous`, by Docker's cache rules.
pub fn compare(previous: &Report, current: &Report) -> CacheReport {
    let before = cache_keys(previous);
    let after = cache_keys(current);
    let mut known: HashSet<u64> = before.iter().flat_map(|s| s.steps.iter().map(|k| k.key)).collect();
    known.insert(scratch_key());
    let mut children: HashMap<u64, Vec<&StepKey<'_>>> = HashMap::new();
    for s in &before {
        for k in s.steps.iter().filter(|k| k.op.is_some()) {
            children.entry(k.parent).or_default().push(k);
        }
    }
    let mut report = CacheReport::default();
    for stage in &after {
        let plan = current.plan.stages.get(stage.stage);
        let previous_stage = before.iter().find(|s| s.label == stage.label);
        for (pos, k) in stage.steps.iter().enumerate() {
            let cached = known.contains(&k.key);
            let reason = if cached {
                None
            } else if k.op.is_none() {
                Some(match previous_stage {
                    None => MissReason::NewStage,
                    Some(p) => MissReason::BaseChanged { before: p.steps.first().filter(|f| f.op.is_none()).map(|f| f.name.clone()) },
                })
            } else if !known.contains(&k.parent) {
                let first_op = stage.steps[..pos].iter().all(|s| s.op.is_none());
                match plan.map(|p| &p.base) {
                    Some(Base::Stage(parent)) if first_op => {
                        Some(MissReason::BaseStageRebuilt { stage: current.plan.stages.get(*parent).map(|s| s.label()).unwrap_or_default() })
                    }
                    _ if first_op && previous_stage.is_none() => Some(MissReason::NewStage),
                    _ => Some(MissReason::AfterMiss),
                }
            } else {
                let siblings = children.get(&k.parent).map(Vec::as_slice).unwrap_or(&[]);
                Some(root_cause(k, siblings, stage, pos, &before, current))
            };
            report.steps.push(StepCache {
                stage: k.stage,
                step: k.step,
                instruction: k.instruction,
                line: k.line,
                name: k.name.clone(),
                cached,
                reason: reason.clone(),
            });
            if let Some(reason) = reason.filter(|r| *r != MissReason::AfterMiss) {
                let later = stage.steps.len() - pos - 1;
                let words = stage_words(&stage.label, current.plan.stages.len() == 1);
                let explanation = explain(&reason, k, &words, later);
                report.misses.push(Miss { step: report.steps.len() - 1, reason, explanation });
            }
        }
    }
    report
}

/// Why a step whose parent was cached misses: what differs from the step that followed the
/// same parent in the previous build.
fn root_cause(k: &StepKey<'_>, siblings: &[&StepKey<'_>], stage: &StageKeys<'_>, pos: usize, before: &[StageKeys<'_>], current: &Report) -> MissReason {
    let Some(op) = k.op else { return MissReason::AfterMiss };
    // The sibling with the same instruction, else the first one.
    let Some(prev) = siblings.iter().find(|s| s.name == k.name).or(siblings.first()) else {
        return MissReason::InstructionAdded;
    };
    let Some(prev_op) = prev.op else { return MissReason::InstructionAdded };
    if prev.name != k.name {
        let later_now = stage.steps[pos + 1..].iter().any(|s| s.name == prev.name);
        let prev_stage = before.iter().find(|s| s.stage == prev.stage && s.steps.iter().any(|x| x.key == prev.key));
        let later_before = prev_stage.is_some_and(|s| {
            let at = s.steps.iter().position(|x| x.key == prev.key).unwrap_or(s.steps.len());
            s.steps.iter().skip(at + 1).any(|x| x.name == k.name)
        });
        return if later_now {
            MissReason::InstructionAdded
        } else if later_before {
            MissReason::InstructionRemoved { removed: prev.name.clone() }
        } else {
            MissReason::InstructionChanged { before: prev.name.clone() }
        };
    }
    let settings = setting_changes(&prev_op.settings, &op.settings);
    if !settings.is_empty() {
        return MissReason::SettingsChanged(settings);
    }
    let (changed, added, removed) = file_changes(prev_op, op);
    if !(changed.is_empty() && added.is_empty() && removed.is_empty()) {
        return MissReason::FilesChanged { changed, added, removed };
    }
    let stages: Vec<String> = op
        .from_stages
        .iter()
        .zip(&k.from_keys)
        .enumerate()
        .filter(|(i, (_, key))| prev.from_keys.get(*i) != Some(key))
        .map(|(_, (s, _))| current.plan.stages.get(*s).map(|p| p.label()).unwrap_or_default())
        .collect();
    if !stages.is_empty() {
        return MissReason::SourceStageRebuilt { stages };
    }
    MissReason::InstructionChanged { before: prev.name.clone() }
}

fn setting_changes(before: &[(String, String)], after: &[(String, String)]) -> Vec<SettingChange> {
    let get = |list: &[(String, String)], k: &str| list.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut out = Vec::new();
    for (k, v) in after {
        let old = get(before, k);
        if old.as_ref() != Some(v) {
            out.push(SettingChange { setting: k.clone(), before: old, after: Some(v.clone()) });
        }
    }
    for (k, v) in before {
        if get(after, k).is_none() {
            out.push(SettingChange { setting: k.clone(), before: Some(v.clone()), after: None });
        }
    }
    out
}

fn file_changes(before: &StepOp, after: &StepOp) -> (Vec<String>, Vec<String>, Vec<String>) {
    let old: HashMap<&str, u64> = before.inputs.iter().map(|f| (f.path.as_str(), f.fingerprint)).collect();
    let new: HashMap<&str, u64> = after.inputs.iter().map(|f| (f.path.as_str(), f.fingerprint)).collect();
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for f in &after.inputs {
        match old.get(f.path.as_str()) {
            None => added.push(f.path.clone()),
            Some(fp) if *fp != f.fingerprint => changed.push(f.path.clone()),
            Some(_) => {}
        }
    }
    let removed = before.inputs.iter().filter(|f| !new.contains_key(f.path.as_str())).map(|f| f.path.clone()).collect();
    (changed, added, removed)
}

/// How the explanation names a stage: `stage builder`, `stage 1` for an unnamed one, or
/// nothing in a single-stage build.
struct StageWords {
    /// " in stage builder", or "".
    within: String,
    /// "stage builder", or "the stage".
    noun: String,
}

fn stage_words(label: &str, single: bool) -> StageWords {
    if single {
        StageWords { within: String::new(), noun: "the stage".to_string() }
    } else {
        StageWords { within: format!(" in stage {label}"), noun: format!("stage {label}") }
    }
}

fn explain(reason: &MissReason, k: &StepKey<'_>, stage: &StageWords, later: usize) -> String {
    let within = &stage.within;
    let noun = &stage.noun;
    let target = format!("`{}` (line {})", k.name, k.line);
    let tail = if later > 0 { format!(" and every step after it{within}") } else { within.clone() };
    let runs_again = if later > 0 { format!(": it runs again, and so does every step after it{within}") } else { ": it runs again".to_string() };
    match reason {
        MissReason::NewStage => format!("{noun} is new: all its steps run"),
        MissReason::BaseChanged { before: Some(b) } => {
            format!("changing the base image from `{}` to `{}` (line {}) rebuilds every step of {noun}", strip_from(b), strip_from(&k.name), k.line)
        }
        MissReason::BaseChanged { before: None } => format!("{noun} now starts FROM `{}` (line {}): every step of it runs", strip_from(&k.name), k.line),
        MissReason::BaseStageRebuilt { stage: parent } => {
            format!("stage {parent} rebuilt, and {noun} is built FROM it: {target} runs again, and so does every step after it")
        }
        MissReason::FilesChanged { changed, added, removed } => {
            let mut parts = Vec::new();
            if !changed.is_empty() {
                parts.push(format!("changing {}", some_files(changed)));
            }
            if !added.is_empty() {
                parts.push(format!("adding {}", some_files(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("removing {}", some_files(removed)));
            }
            format!("{} invalidates {target}{tail}", join_and(&parts))
        }
        MissReason::SettingsChanged(changes) => {
            let Some(first) = changes.first() else { return format!("{target} runs again{tail}") };
            let more = match changes.len() {
                1 => String::new(),
                2 => " (and one more value)".to_string(),
                n => format!(" (and {} more values)", n - 1),
            };
            let value = |v: &Option<String>| v.as_ref().map(|v| format!("`{v}`")).unwrap_or_else(|| "unset".to_string());
            let what = match first.setting.strip_prefix('$') {
                Some(name) => format!("the value of `{name}`"),
                None => match first.setting.as_str() {
                    "user" => "the user (USER)".to_string(),
                    "workdir" => "the working directory (WORKDIR)".to_string(),
                    "shell" => "the shell (SHELL)".to_string(),
                    other => other.to_string(),
                },
            };
            let why = match (first.setting.starts_with('$'), tail.is_empty()) {
                (false, _) => "",
                (true, true) => ", which sees it in its environment",
                (true, false) => ", which sees it in its environment,",
            };
            format!("changing {what} from {} to {}{more} invalidates {target}{why}{tail}", value(&first.before), value(&first.after))
        }
        MissReason::InstructionChanged { before } => format!("`{before}` became {target}{runs_again}"),
        MissReason::InstructionAdded => {
            let rest = if later > 0 { format!(": it runs, and so does every step after it{within}") } else { ": it runs".to_string() };
            format!("{target} is a new instruction{rest}")
        }
        MissReason::InstructionRemoved { removed } => format!("removing `{removed}` invalidates {target}{tail}"),
        MissReason::SourceStageRebuilt { stages } => {
            let names: Vec<String> = stages.iter().map(|s| format!("stage {s}")).collect();
            let verb = if names.len() == 1 { "was" } else { "were" };
            format!("{} {verb} rebuilt, which invalidates {target}{tail}", join_and(&names))
        }
        MissReason::AfterMiss => format!("{target} follows a step that runs again{tail}"),
    }
}

fn strip_from(name: &str) -> &str {
    name.strip_prefix("FROM ").unwrap_or(name)
}

fn some_files(paths: &[String]) -> String {
    match paths {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` and `{b}`"),
        [a, rest @ ..] => format!("`{a}` and {} other files", rest.len()),
    }
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
