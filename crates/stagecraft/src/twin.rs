//! The "single-stage twin" of a multi-stage Dockerfile: what the image would be if everything
//! the target needs were built in one stage, so a learner sees the multi-stage saving in
//! numbers (simulate the twin, then `diff::diff` it against the original).
//!
//! How the twin is made, from the report of the original build:
//! - the stages the target needs, in build order (dependencies first), each inlined: its
//!   instructions as written, without its FROM line, under a comment naming the stage;
//! - the twin starts FROM the first of them (the builder's base), with the global ARGs and the
//!   parser directives of the original;
//! - a later stage that starts FROM another image (or `scratch`) keeps its instructions, which
//!   now run on top of everything before them; that image's own files and settings are not in
//!   the twin (a note says so). A `WORKDIR` and `USER` reset puts the working directory and
//!   user back to what the stage started with, when they differ, so its relative paths mean
//!   what they meant;
//! - `COPY --from=<stage> src… dst` becomes nothing when the files are already where the copy
//!   would put them (same path), else a `RUN` with `mkdir -p` and `cp -a` that puts them where
//!   the stage had them (a directory's contents, as COPY copies them), as root, with `chown`
//!   and `chmod` for `--chown`/`--chmod`; `COPY --from=<image>` stays;
//! - `RUN --mount=…,from=<stage>` loses that mount: the stage's files are in the twin anyway,
//!   at their own paths (a note says so);
//! - the target's config instructions come last, so its CMD, ENTRYPOINT, USER, WORKDIR and
//!   EXPOSE win; settings of the other stages (ENV, LABEL, EXPOSE) add up.
//!
//! A single-stage Dockerfile, or a target that needs no other stage, has no twin: the error
//! says why in the user's terms.

use std::fmt::Write as _;

use crate::dockerfile::{CopySource, Instruction, InstructionKind};
use crate::plan::{Base, DependencyKind};
use crate::report::Report;
use crate::span::{LineIndex, Span};
use crate::vfs::{join, normalize, parent};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Twin {
    /// The twin Dockerfile.
    pub dockerfile: String,
    /// The image it builds on, as written (the first needed stage's FROM).
    pub base: String,
    /// The stages inlined, in build order (labels).
    pub stages: Vec<String>,
    /// What the twin does differently from the original, one sentence each.
    pub notes: Vec<String>,
}

/// The single-stage twin of the build `report` was made from; `source` is its Dockerfile text.
pub fn single_stage_twin(source: &str, report: &Report) -> Result<Twin, String> {
    let plan = &report.plan;
    let Some(target) = plan.target else {
        return Err("there is no single-stage twin: the build has no target stage to start from".to_string());
    };
    if plan.stages.len() == 1 {
        return Err("the Dockerfile is already a single stage: its image is what one stage builds".to_string());
    }
    let label = |i: usize| plan.stages.get(i).map(|s| s.label()).unwrap_or_default();
    let copies_from_stage = plan.order.iter().filter_map(|&i| plan.stages.get(i)).flat_map(|s| &s.deps).any(|d| d.kind != DependencyKind::From);
    if !copies_from_stage {
        let chain = if plan.order.len() > 1 { ", and the stages it is built FROM are already in it" } else { "" };
        return Err(format!("stage {} copies nothing from another stage{chain}: its image is already what a single stage builds", label(target)));
    }
    let lines = LineIndex::new(source);
    let text = |span: Span| source.get(span.start..span.end).unwrap_or("").to_string();
    let mut out = String::new();
    let mut notes = Vec::new();
    let directives = &report.dockerfile.directives;
    if let Some(s) = &directives.syntax {
        let _ = writeln!(out, "# syntax={}", s.value);
    }
    if directives.escape != '\\' {
        let _ = writeln!(out, "# escape={}", directives.escape);
    }
    let first = plan.order[0];
    let first_stage = &plan.stages[first];
    let _ = writeln!(out, "# Single-stage twin of stage {}: every stage it needs, built in one stage.", label(target));
    for ins in report.dockerfile.instructions.iter().take(plan.stages[0].from_instruction) {
        let _ = writeln!(out, "{}", text(ins.span));
    }
    let from = &report.dockerfile.instructions[first_stage.from_instruction];
    let (base_word, flags) = match &from.kind {
        InstructionKind::From { image, .. } => (image.value.clone(), from.flags.iter().map(|f| format!("{} ", text(f.span))).collect::<String>()),
        _ => ("scratch".to_string(), String::new()),
    };
    let _ = writeln!(out, "FROM {flags}{base_word}");

    // The working directory and user the twin has reached, to reset them between stages.
    let mut workdir = String::new();
    let mut user = String::new();
    for (n, &index) in plan.order.iter().enumerate() {
        let stage = &plan.stages[index];
        let from_line = lines.line(report.dockerfile.instructions[stage.from_instruction].span.start);
        let _ = writeln!(out, "\n# stage {} (line {from_line})", stage.label());
        let initial = initial_settings(report, index);
        if n > 0 {
            match &stage.base {
                Base::Stage(p) if plan.order[n - 1] == *p => {}
                Base::Stage(p) => notes.push(format!(
                    "stage {} is built FROM stage {}; in the twin it also has the files of the stages inlined between them",
                    stage.label(),
                    label(*p)
                )),
                Base::Image(r) => notes.push(format!(
                    "stage {} starts FROM {r}; in the twin its instructions run on {base_word} and the stages before it, and {r}'s own files and settings (ENV, CMD, ENTRYPOINT) are not there",
                    stage.label()
                )),
                Base::Scratch => notes.push(format!("stage {} starts FROM scratch; in the twin its instructions run on {base_word} and the stages before it", stage.label())),
            }
            let body = report.dockerfile.instructions.get(stage.body.clone()).unwrap_or(&[]);
            let sets_workdir = matches!(body.first().map(|i| &i.kind), Some(InstructionKind::Workdir(w)) if w.value.starts_with('/'));
            if initial.0 != workdir && !sets_workdir {
                let _ = writeln!(out, "WORKDIR {}", initial.0);
            }
            if initial.1 != user {
                let _ = writeln!(out, "USER {}", if initial.1.is_empty() { "root" } else { &initial.1 });
            }
        }
        (workdir, user) = initial;
        for i in stage.body.clone() {
            let Some(ins) = report.dockerfile.instructions.get(i) else { continue };
            let line = lines.line(ins.span.start);
            match &ins.kind {
                InstructionKind::Copy(args) | InstructionKind::Add(args) if ins.flag("from").is_some() => {
                    let dep = stage.deps.iter().find(|d| d.instruction == i && d.kind == DependencyKind::CopyFrom);
                    match dep {
                        Some(d) => {
                            let was = one_line(&text(ins.span));
                            match copy_as_run(report, index, i, ins, args, d.stage, &user, &mut notes, line) {
                                Some(run) => {
                                    let _ = writeln!(out, "# line {line}: {was}\n{run}");
                                }
                                None => {
                                    let _ = writeln!(out, "# line {line}: {was} (the files are already there)");
                                }
                            }
                        }
                        None => {
                            let _ = writeln!(out, "{}", text(ins.span));
                        }
                    }
                }
                InstructionKind::Run { command, heredocs } => {
                    let from_stage = |f: &&crate::dockerfile::Flag| {
                        f.value.as_deref().and_then(crate::plan::mount_from).and_then(|v| crate::plan::resolve_from(&plan.stages, v)).and_then(|r| match r {
                            crate::plan::FromRef::Stage(s) => Some(s),
                            crate::plan::FromRef::Image(_) => None,
                        })
                    };
                    let dropped: Vec<&crate::dockerfile::Flag> = ins.flag_values("mount").filter(|f| from_stage(f).is_some()).collect();
                    if dropped.is_empty() {
                        let _ = writeln!(out, "{}", text(ins.span));
                        continue;
                    }
                    let spans: Vec<Span> = dropped.iter().map(|f| f.span).collect();
                    let shell = match command {
                        crate::dockerfile::CommandForm::Shell(c) if heredocs.is_empty() => Some(c.span),
                        _ => None,
                    };
                    let binds: Option<Vec<Bind>> = shell.and_then(|_| dropped.iter().map(|f| bind(report, f.value.as_deref().unwrap_or(""), from_stage(f)?)).collect());
                    match (shell, binds) {
                        (Some(cmd), Some(binds)) => {
                            notes.push(format!(
                                "line {line}: the bind mount from another stage becomes a copy to the mount's target, removed again at the end of the RUN"
                            ));
                            let head = without(source, &Instruction { span: Span::new(ins.span.start, cmd.start), ..ins.clone() }, &spans);
                            let before: Vec<String> = binds.iter().map(|b| b.setup.clone()).collect();
                            let after: Vec<String> = binds.iter().map(|b| format!("rm -rf {}", quote(&b.target))).collect();
                            let body = source.get(cmd.start..ins.span.end).unwrap_or("");
                            let _ = writeln!(out, "{head}{} && ( {body} ) && {}", before.join(" && "), after.join(" && "));
                        }
                        _ => {
                            notes.push(format!(
                                "line {line}: the mount from another stage is dropped: that stage's files are in the twin at their own paths, not at the mount's target"
                            ));
                            let _ = writeln!(out, "{}", without(source, ins, &spans));
                        }
                    }
                }
                InstructionKind::User(u) => {
                    // As written: a `RUN cp` after it must switch to root and back to this.
                    user = u.value.clone();
                    let _ = writeln!(out, "{}", text(ins.span));
                }
                _ => {
                    let _ = writeln!(out, "{}", text(ins.span));
                }
            }
        }
        if let Some(result) = report.stage(index) {
            workdir = result.config.workdir.clone();
            user = result.config.user.clone();
        }
    }
    if plan.order.len() < plan.stages.len() {
        let skipped: Vec<String> = plan.stages.iter().filter(|s| !plan.order.contains(&s.index)).map(|s| s.label()).collect();
        notes.push(format!("not in the twin (the target does not need them): stage {}", skipped.join(", ")));
    }
    Ok(Twin { dockerfile: out, base: base_word, stages: plan.order.iter().map(|&i| label(i)).collect(), notes })
}

/// The twin of the build `input` describes (`report` is its result) and the twin's own
/// simulation: the same context, build args and strictness, no target (it has one stage).
pub fn simulate_twin(input: &crate::Simulation<'_>, report: &Report) -> Result<(Twin, Report), String> {
    let twin = single_stage_twin(input.dockerfile, report)?;
    let twin_report = crate::simulate(&crate::Simulation {
        dockerfile: &twin.dockerfile,
        dockerfile_name: input.dockerfile_name,
        context: input.context,
        build_args: input.build_args.clone(),
        target: None,
        strict: input.strict,
    });
    Ok((twin, twin_report))
}

/// The working directory and user a stage starts with: its base image's, its parent stage's
/// final ones, or scratch's.
fn initial_settings(report: &Report, index: usize) -> (String, String) {
    match report.plan.stages.get(index).map(|s| &s.base) {
        Some(Base::Image(r)) => {
            let config = crate::catalog_adapter::image(r).config;
            (config.workdir, config.user)
        }
        Some(Base::Stage(p)) => report.stage(*p).map(|s| (s.config.workdir.clone(), s.config.user.clone())).unwrap_or_else(|| ("/".to_string(), String::new())),
        _ => ("/".to_string(), String::new()),
    }
}

/// A bind mount from a stage, redone as a copy: the command that puts the files at the
/// mount's target (read-write, where BuildKit's is read-only by default).
struct Bind {
    target: String,
    setup: String,
}

fn bind(report: &Report, spec: &str, from: usize) -> Option<Bind> {
    let mut kind = "bind";
    let (mut source, mut target) = ("/", None);
    for kv in spec.split(',') {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        match k {
            "type" => kind = v,
            "source" | "src" => source = v,
            "target" | "dst" | "destination" => target = Some(v),
            _ => {}
        }
    }
    let target = target.filter(|t| !t.is_empty())?;
    if kind != "bind" {
        return None;
    }
    let src = normalize(&format!("/{source}"));
    let is_dir = report.stage(from).and_then(|s| s.fs.get(&src)).is_none_or(|n| n.is_dir());
    let setup = if is_dir {
        format!("mkdir -p {t} && cp -a {}/. {t}/", if src == "/" { String::new() } else { quote(&src) }, t = quote(target))
    } else {
        format!("mkdir -p {} && cp -a {} {}", quote(parent(&normalize(target))), quote(&src), quote(target))
    };
    Some(Bind { target: target.to_string(), setup })
}

fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim_end_matches('\\').trim().to_string()
}

/// The instruction's text with the given flags cut out.
fn without(source: &str, ins: &Instruction, drop: &[Span]) -> String {
    let mut out = String::new();
    let mut at = ins.span.start;
    let mut spans: Vec<Span> = drop.to_vec();
    spans.sort_by_key(|s| s.start);
    for s in spans {
        out.push_str(source.get(at..s.start).unwrap_or(""));
        at = s.end;
        // The blank after the flag goes with it.
        while source.get(at..at + 1) == Some(" ") {
            at += 1;
        }
    }
    out.push_str(source.get(at..ins.span.end).unwrap_or(""));
    out
}

fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,$".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `COPY --from=<stage> src… dst` as a `RUN` that puts the stage's files where the copy would
/// (they are in the twin already, at the paths the stage had them), or `None` when they are
/// already there.
#[allow(clippy::too_many_arguments)]
fn copy_as_run(
    report: &Report,
    stage: usize,
    instruction: usize,
    ins: &Instruction,
    args: &crate::dockerfile::CopyArgs,
    from: usize,
    user: &str,
    notes: &mut Vec<String>,
    line: usize,
) -> Option<String> {
    let from_label = report.plan.stages.get(from).map(|s| s.label()).unwrap_or_default();
    let source_fs = report.stage(from).map(|s| &s.fs);
    let step = report.stage(stage).and_then(|s| s.steps.iter().find(|st| st.instruction == instruction));
    let workdir = step
        .and_then(|st| st.op.as_ref())
        .and_then(|op| op.settings.iter().find(|(k, _)| k == "workdir"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "/".to_string());
    let dest_raw = &args.dest.value;
    let literal = |w: &str| !w.contains(['$', '*', '?', '[']);
    let dest_abs = literal(dest_raw).then(|| join(&workdir, dest_raw));
    let dest_is_dir = dest_raw.ends_with('/')
        || args.sources.len() > 1
        || dest_abs.as_ref().is_some_and(|d| step.and_then(|st| st.fs.get(d)).is_some_and(|n| n.is_dir()));
    let dest_trimmed = dest_raw.trim_end_matches('/');
    let dest_q = quote(if dest_trimmed.is_empty() { "/" } else { dest_trimmed });
    let mut commands: Vec<String> = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    for s in &args.sources {
        let CopySource::Path(word) = s else {
            notes.push(format!("line {line}: an inline document copied from stage {from_label} is left out"));
            continue;
        };
        let src = if word.value.starts_with('/') { word.value.clone() } else { format!("/{}", word.value) };
        let src_node = literal(&src).then(|| source_fs.and_then(|fs| fs.get(&normalize(&src)))).flatten();
        let is_dir = src_node.is_some_and(|n| n.is_dir());
        // Where the copy puts it, to drop copies onto themselves.
        let lands = match (&dest_abs, is_dir, dest_is_dir) {
            (Some(d), true, _) => Some(d.clone()),
            (Some(d), false, true) => Some(join(d, crate::vfs::file_name(&normalize(&src)))),
            (Some(d), false, false) => Some(d.clone()),
            (None, _, _) => None,
        };
        if literal(&src) && lands.as_deref() == Some(normalize(&src).as_str()) {
            continue;
        }
        if is_dir {
            commands.push(format!("mkdir -p {dest_q} && cp -a {}/. {dest_q}/", quote(src.trim_end_matches('/'))));
            targets.push(dest_q.clone());
        } else if dest_is_dir {
            commands.push(format!("mkdir -p {dest_q} && cp -a {} {dest_q}/", quote(&src)));
            targets.push(format!("{dest_q}/{}", quote(crate::vfs::file_name(&normalize(&src)))));
        } else {
            let dir = parent(dest_abs.as_deref().unwrap_or(dest_raw));
            let mkdir = if dest_raw.contains('/') || dest_abs.is_some() { format!("mkdir -p {} && ", quote(dir)) } else { String::new() };
            commands.push(format!("{mkdir}cp -a {} {dest_q}", quote(&src)));
            targets.push(dest_q.clone());
        }
    }
    if commands.is_empty() {
        notes.push(format!("line {line}: the files copied from stage {from_label} are already in place in the twin, so the copy is left out"));
        return None;
    }
    if let Some(f) = ins.flag("chown").and_then(|f| f.value.as_deref()) {
        commands.push(format!("chown -R {} {}", quote(f), targets.join(" ")));
    }
    if let Some(f) = ins.flag("chmod").and_then(|f| f.value.as_deref()) {
        commands.push(format!("chmod -R {} {}", quote(f), targets.join(" ")));
    }
    for flag in ["parents", "exclude"] {
        if ins.flag(flag).is_some() {
            notes.push(format!("line {line}: `--{flag}` is not reproduced: the twin copies the sources whole"));
        }
    }
    let run = format!("RUN {}", commands.join(" && "));
    Some(if user.is_empty() || user == "root" || user == "0" { run } else { format!("USER root\n{run}\nUSER {user}") })
}
