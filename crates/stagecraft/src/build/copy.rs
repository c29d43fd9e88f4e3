//! COPY and ADD with BuildKit's path rules: sources from the context, a stage or an image;
//! wildcards; a directory source copies its contents; a trailing `/` (or several sources)
//! makes the destination a directory; relative destinations resolve against WORKDIR;
//! `--parents`, `--exclude`, `--chown`, `--chmod`, `--link`; ADD unpacks local tar archives
//! and turns URLs and git repositories into placeholders.

use crate::archive;
use crate::build::{config, users, BuildOutput, Ctx, StageState};
use crate::context::{BuildContext, EntryKind, FileData};
use crate::dockerfile::{CopyArgs, CopySource, Instruction};
use crate::dockerignore::IgnoreMatcher;
use crate::expand;
use crate::pathmatch;
use crate::plan::{self, FromRef};
use crate::span::Span;
use crate::vfs::{self, Fs, Node, NodeKind};

/// The build context as a file tree rooted at `/`, so context and stage sources share one code path.
pub(crate) fn context_tree(context: &BuildContext) -> Fs {
    let mut fs = Fs::new();
    for (path, entry) in context.entries() {
        let abs = format!("/{path}");
        let node = match &entry.kind {
            EntryKind::File(FileData::Bytes(b)) => Node::file(b.clone(), entry.mode.unwrap_or(0o644)),
            EntryKind::File(FileData::SizeOnly(n)) => Node::sized_file(*n, entry.mode.unwrap_or(0o644)),
            EntryKind::Dir => {
                if fs.get(&abs).is_some_and(Node::is_dir) {
                    // A directory listed after its children: keep them, set its mode.
                    fs.update(&abs, |n| n.mode = entry.mode.unwrap_or(0o755));
                    continue;
                }
                Node::dir(entry.mode.unwrap_or(0o755))
            }
            EntryKind::Symlink(t) => Node::symlink(t),
        };
        fs.write(&abs, node, (0, 0));
    }
    fs
}

/// Options every copied node gets.
struct Placement {
    owner: Option<(u32, u32)>,
    chmod: Option<Chmod>,
}

#[derive(Clone, Copy)]
enum Chmod {
    Octal(u32),
}

impl Placement {
    fn apply(&self, mut node: Node) -> Node {
        if let Some((uid, gid)) = self.owner {
            node.uid = uid;
            node.gid = gid;
        } else {
            // COPY ignores USER: files belong to root unless --chown says otherwise.
            node.uid = 0;
            node.gid = 0;
        }
        if let (Some(Chmod::Octal(m)), false) = (self.chmod, matches!(node.kind, NodeKind::Symlink(_))) {
            node.mode = m;
        }
        node
    }
}

pub(crate) fn copy(ctx: &mut Ctx<'_>, state: &mut StageState, ins: &Instruction, args: &CopyArgs, is_add: bool, done: &BuildOutput) -> String {
    let keyword = if is_add { "ADD" } else { "COPY" };
    let Some(placement) = placement(ctx, state, ins) else {
        state.failed = true;
        return String::new();
    };
    let dest_raw = config::expand_one(ctx, state, &args.dest);
    let dest_is_dir_syntax = dest_raw.ends_with('/') || dest_raw == "." || dest_raw.ends_with("/.") || dest_raw.is_empty();
    let dest = vfs::join(&state.config.workdir, &dest_raw);
    let dest = state.fs.resolve(&dest, true).unwrap_or(dest);
    let dest_exists_as_dir = state.fs.get(&dest).is_some_and(Node::is_dir);
    let parents = ins.flag("parents").is_some_and(|f| f.value.as_deref() != Some("false"));
    let excludes = exclude_matcher(ctx, state, ins);

    if args.sources.len() > 1 && !dest_is_dir_syntax && !dest_exists_as_dir {
        ctx.diags.error(
            "CopyDestinationNotDir",
            args.dest.span,
            format!("When using {keyword} with more than one source file, the destination must be a directory and end with a /"),
        );
        state.failed = true;
        return String::new();
    }

    // Where the sources come from.
    let from = ins.flag("from").map(|f| {
        let raw = f.value.clone().unwrap_or_default();
        let value = expand::expand_word(&raw, &state.vars(), ctx.escape()).map(|e| e.value).unwrap_or(raw);
        (value, f.span)
    });
    // Whether a path missing from the origin is certainly missing (see StageResult::complete).
    let mut origin_complete = true;
    let stage_fs;
    let origin: &Fs = match &from {
        None => {
            stage_fs = ctx.context_fs.clone();
            &stage_fs
        }
        Some((value, span)) => match plan::resolve_from(&ctx.plan.stages, value) {
            Some(FromRef::Stage(s)) => match done.stages.get(s).and_then(Option::as_ref) {
                Some(r) => {
                    origin_complete = r.complete;
                    stage_fs = r.fs.clone();
                    &stage_fs
                }
                None => {
                    ctx.diags.error("UndefinedStage", *span, format!("stage {value:?} was not built"));
                    state.failed = true;
                    return String::new();
                }
            },
            Some(FromRef::Image(image)) => {
                let img = crate::catalog_adapter::image(&image, 0);
                if let Some(note) = img.note {
                    ctx.diags.push(img.note_severity, img.note_code, *span, note);
                }
                origin_complete = false;
                stage_fs = img.fs;
                &stage_fs
            }
            None => {
                ctx.diags.error("InvalidFrom", *span, "--from needs a stage name, a stage index or an image");
                state.failed = true;
                return String::new();
            }
        },
    };
    let from_context = from.is_none();

    let mut copied_files = 0usize;
    let mut copied_bytes = 0u64;
    let many = args.sources.len() > 1;
    for source in &args.sources {
        match source {
            CopySource::Heredoc(h) => {
                let content = if h.expand {
                    let vars = state.vars();
                    expand::expand_word(&h.content, &vars, ctx.escape()).map(|e| e.value).unwrap_or_else(|_| h.content.clone())
                } else {
                    h.content.clone()
                };
                let target = if dest_is_dir_syntax || dest_exists_as_dir { vfs::join(&dest, &h.name) } else { dest.clone() };
                let node = placement.apply(Node::file(content.into_bytes(), 0o644));
                copied_bytes += node.size();
                copied_files += 1;
                state.fs.write(&target, node, (0, 0));
            }
            CopySource::Path(word) => {
                let raw = config::expand_one(ctx, state, word);
                if is_add && from_context && is_remote(&raw) {
                    add_remote(ctx, state, ins, &raw, &dest, dest_is_dir_syntax || dest_exists_as_dir, &placement, word.span);
                    copied_files += 1;
                    continue;
                }
                let matched = match match_sources(origin, &raw, from_context) {
                    Ok(m) => m,
                    Err(e) => {
                        ctx.diags.error("CopyOutsideContext", word.span, e);
                        state.failed = true;
                        return String::new();
                    }
                };
                if matched.is_empty() {
                    if pathmatch::has_wildcards(&raw) {
                        ctx.diags.warning("CopyNoMatch", word.span, format!("{raw:?} matches no file: nothing was copied"));
                        continue;
                    }
                    let shown = format!("/{}", vfs::normalize(&raw).trim_start_matches('/'));
                    if (from_context && ctx.options.strict) || (!from_context && origin_complete) {
                        ctx.diags.error("CopySourceNotFound", word.span, format!("failed to calculate checksum: {shown:?}: not found"));
                        state.failed = true;
                        return String::new();
                    }
                    // Lenient: a placeholder where the file would go, and say so.
                    let target = if dest_is_dir_syntax || dest_exists_as_dir || many {
                        vfs::join(&dest, vfs::file_name(&vfs::normalize(&raw)))
                    } else {
                        dest.clone()
                    };
                    state.fs.write(&target, placement.apply(Node::sized_file(0, 0o644)), (0, 0));
                    let why = match &from {
                        None => format!("{raw} is not in the build context: copied as an empty placeholder to {target}; add it to the context to see its real size"),
                        Some((stage, _)) => format!(
                            "{shown} is not among the files the simulator knows in {stage} (a RUN it does not model, or a base-image file it does not list, may create it): copied as an empty placeholder to {target}"
                        ),
                    };
                    let code = if from.is_none() { "MissingContextFile" } else { "MissingStageFile" };
                    ctx.diags.warning(code, word.span, why);
                    continue;
                }
                let into_dir = dest_is_dir_syntax || dest_exists_as_dir || many || matched.len() > 1;
                for src in matched {
                    let (files, bytes) = if is_add && from_context {
                        match try_unpack(ctx, state, origin, &src, &dest, &placement, word.span) {
                            Some(r) => r,
                            None => place_source(state, origin, &src, &dest, into_dir, parents, &placement, excludes.as_ref()),
                        }
                    } else {
                        place_source(state, origin, &src, &dest, into_dir, parents, &placement, excludes.as_ref())
                    };
                    copied_files += files;
                    copied_bytes += bytes;
                }
            }
        }
    }
    let from_note = match &from {
        Some((v, _)) => format!(" from {v}"),
        None => String::new(),
    };
    format!("{keyword}{from_note} copied {copied_files} file{}, {}", if copied_files == 1 { "" } else { "s" }, crate::report::human_size(copied_bytes))
}

fn placement(ctx: &mut Ctx<'_>, state: &StageState, ins: &Instruction) -> Option<Placement> {
    let owner = match ins.flag("chown") {
        None => None,
        Some(flag) => {
            let raw = flag.value.clone().unwrap_or_default();
            let spec = expand::expand_word(&raw, &state.vars(), ctx.escape()).map(|e| e.value).unwrap_or(raw);
            match users::parse_owner(&state.fs, &spec, true) {
                Ok(ids) => Some(ids),
                Err(e) if state.uncertain => {
                    ctx.diags.warning("UserGuessed", flag.span, format!("{e}; assumed uid/gid 1000 (an unmodelled RUN may have created it)"));
                    Some((1000, 1000))
                }
                Err(e) => {
                    ctx.diags.error("UnknownUser", flag.span, format!("unable to convert uid/gid chown string to host mapping: {e}"));
                    return None;
                }
            }
        }
    };
    let chmod = match ins.flag("chmod") {
        None => None,
        Some(flag) => {
            let raw = flag.value.clone().unwrap_or_default();
            match u32::from_str_radix(&raw, 8) {
                Ok(m) if m <= 0o7777 => Some(Chmod::Octal(m)),
                _ => {
                    ctx.diags.error(
                        "InvalidChmod",
                        flag.span,
                        format!("invalid chmod parameter: '{raw}'. it should be octal string and between 0 and 07777"),
                    );
                    return None;
                }
            }
        }
    };
    Some(Placement { owner, chmod })
}

fn exclude_matcher(ctx: &mut Ctx<'_>, state: &StageState, ins: &Instruction) -> Option<IgnoreMatcher> {
    let patterns: Vec<String> = ins
        .flag_values("exclude")
        .filter_map(|f| f.value.clone())
        .map(|raw| expand::expand_word(&raw, &state.vars(), ctx.escape()).map(|e| e.value).unwrap_or(raw))
        .collect();
    if patterns.is_empty() {
        return None;
    }
    IgnoreMatcher::from_text(&patterns.join("\n")).ok()
}

/// Source paths in `origin` that `raw` names: itself, or what its wildcards match.
fn match_sources(origin: &Fs, raw: &str, from_context: bool) -> Result<Vec<String>, String> {
    let clean = crate::context::clean_relative(raw);
    if from_context && clean.starts_with("..") {
        return Err(format!("forbidden path outside the build context: {raw}"));
    }
    if pathmatch::has_wildcards(&clean) {
        let paths = origin.iter().map(|(p, _)| p.trim_start_matches('/')).filter(|p| !p.is_empty());
        let matched = pathmatch::expand_glob(&clean, paths).map_err(|_| format!("invalid wildcard pattern {raw:?}"))?;
        return Ok(matched.into_iter().map(|p| format!("/{p}")).collect());
    }
    let abs = vfs::normalize(&clean);
    // The source path itself is followed through symlinks; what is inside a directory is not.
    let resolved = origin.resolve(&abs, true).unwrap_or(abs);
    Ok(if origin.exists(&resolved) { vec![resolved] } else { Vec::new() })
}

/// Copies one matched source. A directory copies its contents; a file lands at `dest`, or in
/// it when it is a directory. Returns (files, bytes) copied.
#[allow(clippy::too_many_arguments)]
fn place_source(
    state: &mut StageState,
    origin: &Fs,
    src: &str,
    dest: &str,
    into_dir: bool,
    parents: bool,
    placement: &Placement,
    excludes: Option<&IgnoreMatcher>,
) -> (usize, u64) {
    let Some(node) = origin.get(src) else { return (0, 0) };
    let base = if parents {
        // --parents keeps the source's path below the context root (or below `/`).
        vfs::join(dest, src.trim_start_matches('/'))
    } else if node.is_dir() {
        dest.to_string()
    } else if into_dir {
        vfs::join(dest, vfs::file_name(src))
    } else {
        dest.to_string()
    };
    let (mut files, mut bytes) = (0, 0);
    if node.is_dir() {
        if !state.fs.get(&base).is_some_and(Node::is_dir) {
            state.fs.write(&base, placement.apply(node.clone()), (0, 0));
        } else if placement.chmod.is_some() || placement.owner.is_some() {
            state.fs.update(&base, |n| {
                let applied = placement.apply(n.clone());
                *n = applied;
            });
        }
        for (path, child) in origin.descendants(src) {
            let rel = path[src.len()..].trim_start_matches('/');
            if excludes.is_some_and(|m| m.is_ignored(rel)) {
                continue;
            }
            let target = vfs::join(&base, rel);
            if child.is_dir() && state.fs.get(&target).is_some_and(Node::is_dir) {
                continue;
            }
            if child.is_file() {
                files += 1;
                bytes += child.size();
            }
            state.fs.write(&target, placement.apply(child.clone()), (0, 0));
        }
    } else {
        let name = src.trim_start_matches('/');
        if excludes.is_some_and(|m| m.is_ignored(name)) {
            return (0, 0);
        }
        files += 1;
        bytes += node.size();
        state.fs.write(&base, placement.apply(node.clone()), (0, 0));
    }
    (files, bytes)
}

fn is_remote(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://") || is_git(src)
}

fn is_git(src: &str) -> bool {
    src.starts_with("git@") || src.starts_with("git://") || (src.starts_with("https://") && src.contains(".git"))
}

/// ADD of a URL or git repository: the simulator has no network, so a placeholder stands in.
#[allow(clippy::too_many_arguments)]
fn add_remote(ctx: &mut Ctx<'_>, state: &mut StageState, ins: &Instruction, url: &str, dest: &str, into_dir: bool, placement: &Placement, span: Span) {
    let _ = ins;
    if is_git(url) {
        state.fs.mkdir_all(dest, 0o755, placement.owner.unwrap_or((0, 0)));
        ctx.diags.warning(
            "RemoteNotFetched",
            span,
            format!("ADD of git repository {url} is not fetched by the simulator: {dest} is an empty placeholder directory"),
        );
        return;
    }
    let name = url.split(['?', '#']).next().unwrap_or(url).rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("download");
    let target = if into_dir { vfs::join(dest, name) } else { dest.to_string() };
    // BuildKit gives downloaded files mode 0600.
    state.fs.write(&target, placement.apply(Node::sized_file(0, 0o600)), (0, 0));
    ctx.diags.warning(
        "RemoteNotFetched",
        span,
        format!("ADD of URL {url} is not fetched by the simulator: {target} is a placeholder of unknown size"),
    );
}

/// ADD of a local tar archive (plain or gzip) unpacks it into the destination directory.
/// Returns `None` when the source is not an archive, so it is copied as a file.
#[allow(clippy::too_many_arguments)]
fn try_unpack(
    ctx: &mut Ctx<'_>,
    state: &mut StageState,
    origin: &Fs,
    src: &str,
    dest: &str,
    placement: &Placement,
    span: Span,
) -> Option<(usize, u64)> {
    let node = origin.get(src)?;
    let bytes = node.content()?;
    let entries = match archive::detect(bytes) {
        archive::ArchiveKind::NotArchive => return None,
        kind => match archive::read_tar(bytes) {
            Ok(entries) => entries,
            Err(e) => {
                ctx.diags.warning(
                    "ArchiveNotUnpacked",
                    span,
                    format!("{src} looks like a {} archive that Docker would unpack, but the simulator copies it as a file: {e}", kind.name()),
                );
                return None;
            }
        },
    };
    let (mut files, mut total) = (0, 0);
    state.fs.mkdir_all(dest, 0o755, (0, 0));
    for entry in entries {
        let target = vfs::join(dest, &entry.path);
        let node = match entry.kind {
            archive::ArchiveEntryKind::File(data) => Node::file(data, entry.mode),
            archive::ArchiveEntryKind::Dir => Node::dir(entry.mode),
            archive::ArchiveEntryKind::Symlink(t) => Node::symlink(&t),
            // A hard link becomes a copy: the simulator has no inodes.
            archive::ArchiveEntryKind::Hardlink(t) => match state.fs.get(&vfs::join(dest, &t)) {
                Some(n) => n.clone(),
                None => continue,
            },
            archive::ArchiveEntryKind::Special(_) => continue,
        };
        let mut node = Node { uid: entry.uid as u32, gid: entry.gid as u32, ..node };
        if placement.owner.is_some() {
            node = placement.apply(node);
        }
        if node.is_file() {
            files += 1;
            total += node.size();
        }
        if node.is_dir() && state.fs.get(&target).is_some_and(Node::is_dir) {
            continue;
        }
        state.fs.write(&target, node, (0, 0));
    }
    Some((files, total))
}
