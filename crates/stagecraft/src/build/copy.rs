//! COPY and ADD, as BuildKit's Dockerfile frontend (dockerfile2llb `dispatchCopy`) turns
//! them into copies: sources from the context, a stage or an image; wildcards; a directory
//! source copies its contents; a trailing `/` makes the destination a directory; relative
//! destinations resolve against WORKDIR; `--parents` (with a `/./` pivot), `--exclude`,
//! `--chown`, `--chmod` (octal or symbolic), `--link`; ADD unpacks local archives (unless
//! `--unpack=false`) and turns URLs and git repositories into placeholders. How one source
//! is copied is in `tree`, how an archive is unpacked in `unpack`.
//!
//! The instruction works on a copy of the stage's filesystem and keeps it only when every
//! source was copied: a failed COPY changes nothing, as in BuildKit.

mod tree;
mod unpack;

use crate::build::chmod::{Chmod, ChmodError};
use crate::build::{config, users, BuildOutput, Ctx, StageState};
use crate::context::{BuildContext, EntryKind, FileData};
use crate::dockerfile::{CopyArgs, CopySource, Instruction};
use crate::dockerignore::IgnoreMatcher;
use crate::expand;
use crate::pathmatch;
use crate::plan::{self, FromRef};
use crate::span::Span;
use crate::vfs::{self, Fs, Node};

use tree::{copy_source, fs_error, input, mkdir_all, Copied, Dest, Filters, Placement};

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

/// Where a COPY reads from.
struct Origin {
    fs: Fs,
    /// How errors name it (BuildKit prints an opaque ref id there).
    label: String,
    from_context: bool,
    /// An image the catalog does not know, or a stage built on one: its files are an estimate.
    guessed: bool,
    /// A RUN the simulator does not model ran in the origin stage, so it may hold files the
    /// simulator does not list.
    uncertain: bool,
    /// `--from` a stage, or an image: what the step's cache key depends on.
    stage: Option<usize>,
    image: Option<String>,
}

/// Reports an error at `span` and fails the stage.
fn fail(ctx: &mut Ctx<'_>, state: &mut StageState, code: &'static str, span: Span, message: impl Into<String>) -> String {
    ctx.diags.error(code, span, message);
    state.failed = true;
    String::new()
}

pub(crate) fn copy(ctx: &mut Ctx<'_>, state: &mut StageState, ins: &Instruction, args: &CopyArgs, is_add: bool, done: &BuildOutput) -> String {
    let keyword = if is_add { "ADD" } else { "COPY" };
    let Some(placement) = placement(ctx, state, ins) else {
        state.failed = true;
        return String::new();
    };
    if let Some(flag) = ins.flag("checksum") {
        if let Err(message) = check_checksum(args, is_add) {
            return fail(ctx, state, "InvalidChecksum", flag.span, message);
        }
    }
    let unpack_archives =
        is_add && ins.flag("unpack").is_none_or(|f| f.value.as_deref().is_none_or(|v| v.eq_ignore_ascii_case("true")));
    let parents = ins.flag("parents").is_some_and(|f| f.value.as_deref().is_none_or(|v| v.eq_ignore_ascii_case("true")));
    let exclude = exclude_matcher(ctx, state, ins);

    let dest_raw = config::expand_one(ctx, state, &args.dest);
    let dest = Dest::new(&state.config.workdir, &dest_raw);
    let dest_exists_as_dir =
        state.fs.resolve_lenient(&dest.path, true).ok().and_then(|p| state.fs.get(&p).map(Node::is_dir)).unwrap_or(false);
    if args.sources.len() > 1 && !dest.dir_syntax && !dest_exists_as_dir {
        let message = format!("When using {keyword} with more than one source file, the destination must be a directory and end with a /");
        return fail(ctx, state, "CopyDestinationNotDir", args.dest.span, message);
    }
    let Some(origin) = origin(ctx, state, ins, done) else {
        state.failed = true;
        return String::new();
    };

    let mut fs = state.fs.clone();
    let mut total = Copied::default();
    let many = args.sources.len() > 1;
    for source in &args.sources {
        let result = match source {
            CopySource::Heredoc(h) => {
                let content = if h.expand {
                    match expand::expand_heredoc(&h.content, &state.vars()) {
                        Ok(e) => e.value,
                        Err(e) => return fail(ctx, state, "ExpansionError", h.span, e.message),
                    }
                } else {
                    h.content.clone()
                };
                // llb.Mkfile(name, 0644) in a scratch state, then copied like any file.
                let mut doc = Fs::new();
                let name = format!("/{}", h.name.trim_start_matches('/'));
                let node = Node::file(content.into_bytes(), 0o644);
                total.inputs.push(input(&format!("<<{}", h.name), &node));
                doc.write(&name, node, (0, 0));
                let filters = Filters { guessed: false, include: None, exclude: None, record: false };
                copy_source(&mut fs, &doc, &name, &name, &dest, &placement, &filters)
            }
            CopySource::Path(word) => {
                let raw = config::expand_one(ctx, state, word);
                if is_add && origin.from_context && is_remote(&raw) {
                    add_remote(ctx, &mut fs, &raw, &dest, &placement, word.span);
                    total.files += 1;
                    continue;
                }
                let outcome = copy_path(ctx, &mut fs, &origin, &raw, &dest, &placement, PathOptions {
                    parents,
                    exclude: exclude.as_ref(),
                    unpack: unpack_archives,
                    many,
                    span: word.span,
                });
                match outcome {
                    PathOutcome::Copied(c) => Ok(c),
                    PathOutcome::Failed(code, message) => return fail(ctx, state, code, word.span, message),
                }
            }
        };
        match result {
            Ok(c) => total.add(c),
            Err(message) => return fail(ctx, state, "CopyFailed", ins.keyword.span.to(ins.span), message),
        }
    }
    state.fs = fs;
    // A placeholder stands for files the simulator cannot see (perhaps a whole directory):
    // later RUNs that read below it must not fail with certainty.
    state.uncertain |= total.placeholders > 0;
    state.op.inputs.append(&mut total.inputs);
    state.op.from_stages.extend(origin.stage);
    state.op.from_images.extend(origin.image.clone());
    let from_note = if origin.from_context { String::new() } else { format!(", from {}", origin.label) };
    let plural = if total.files == 1 { "" } else { "s" };
    format!("copied {} file{plural}, {}{from_note}", total.files, crate::report::human_size(total.bytes))
}

struct PathOptions<'a> {
    parents: bool,
    exclude: Option<&'a IgnoreMatcher>,
    unpack: bool,
    /// The instruction has several sources (a missing one's placeholder goes into `dest`).
    many: bool,
    span: Span,
}

enum PathOutcome {
    Copied(Copied),
    Failed(&'static str, String),
}

/// One local source path: its `--parents` pivot and pattern, its wildcard matches, then
/// each match unpacked (ADD of an archive) or copied.
fn copy_path(
    ctx: &mut Ctx<'_>,
    fs: &mut Fs,
    origin: &Origin,
    raw: &str,
    dest: &Dest,
    placement: &Placement,
    opts: PathOptions<'_>,
) -> PathOutcome {
    if origin.from_context && crate::context::clean_relative(raw).starts_with("..") {
        return PathOutcome::Failed("CopyOutsideContext", format!("forbidden path outside the build context: {raw}"));
    }
    // --parents: `a/b/./c/d` copies `c/d` from `a/b`, keeping that part of the path; with
    // no pivot, the whole path from the root.
    let (root, include) = if opts.parents {
        let (root, pattern) = match raw.split_once("/./") {
            Some((parent, pattern)) => (parent.to_string(), pattern.to_string()),
            None => ("/".to_string(), raw.to_string()),
        };
        let pattern = vfs::normalize(&pattern).trim_start_matches('/').to_string();
        if !pathmatch::has_wildcards(&root) && !pathmatch::has_wildcards(&pattern) {
            let required = vfs::join(&vfs::normalize(&root), &pattern);
            if !exists_followed(&origin.fs, &required) {
                return not_found(ctx, fs, origin, &required, dest, placement, &opts);
            }
        }
        match IgnoreMatcher::from_text(&pattern) {
            Ok(m) => (root, Some(m)),
            Err(e) => return PathOutcome::Failed("InvalidPattern", format!("invalid --parents pattern: {e}")),
        }
    } else {
        (raw.to_string(), None)
    };

    let matches = tree::resolve_wildcards(&origin.fs, &vfs::normalize(&root));
    let matches: Vec<String> =
        if pathmatch::has_wildcards(&root) { matches } else { matches.into_iter().filter(|m| exists_followed(&origin.fs, m)).collect() };
    if matches.is_empty() {
        if pathmatch::has_wildcards(&root) {
            ctx.diags.warning("CopyNoMatch", opts.span, format!("{raw:?} matches no file: nothing was copied"));
            return PathOutcome::Copied(Copied::default());
        }
        return not_found(ctx, fs, origin, &vfs::normalize(&root), dest, placement, &opts);
    }

    let filters = Filters { guessed: origin.guessed, include: include.as_ref(), exclude: opts.exclude, record: origin.from_context };
    let mut total = Copied::default();
    for name in matches {
        let src = match origin.fs.resolve_lenient(&name, true) {
            Ok(p) => p,
            Err(e) => return PathOutcome::Failed("CopyFailed", e.to_string()),
        };
        if opts.unpack && origin.from_context {
            if let Some(bytes) = origin.fs.get(&src).and_then(Node::content) {
                match unpack::archive_entries(bytes) {
                    Ok(Some(entries)) => {
                        let root = match fs.resolve_lenient(&dest.path, true) {
                            Ok(p) => p,
                            Err(e) => return PathOutcome::Failed("CopyFailed", e.to_string()),
                        };
                        match unpack::unpack(fs, &root, entries, placement) {
                            Ok(c) => {
                                total.files += c.files;
                                total.bytes += c.bytes;
                                if let Some(node) = origin.fs.get(&src) {
                                    total.inputs.push(input(&src, node));
                                }
                                continue;
                            }
                            Err(e) => return PathOutcome::Failed("ArchiveError", format!("{name}: {e}")),
                        }
                    }
                    Ok(None) => {}
                    Err(e) => ctx.diags.warning("ArchiveNotUnpacked", opts.span, format!("{name} {e}; the simulator copies it as a file")),
                }
            }
        }
        match copy_source(fs, &origin.fs, &name, &src, dest, placement, &filters) {
            Ok(c) => total.add(c),
            Err(e) => return PathOutcome::Failed("CopyFailed", e),
        }
    }
    if !total.skipped.is_empty() {
        let first = &total.skipped[0];
        let more = if total.skipped.len() > 1 { format!(" (and {} more)", total.skipped.len() - 1) } else { String::new() };
        ctx.diags.warning(
            "GuessedFilesSkipped",
            opts.span,
            format!("the files of {} are partly guessed (an image the catalog does not know), and some clash with the destination: {first}{more}; they were left out, as the real image may not have them", origin.label),
        );
        total.skipped.clear();
    }
    PathOutcome::Copied(total)
}

fn exists_followed(fs: &Fs, path: &str) -> bool {
    fs.resolve_lenient(path, true).is_ok_and(|p| fs.exists(&p))
}

/// A source that does not exist: BuildKit fails computing the cache key. From the context in
/// lenient mode, or from a stage or image whose files the simulator knows only in part (an
/// unmodelled RUN or an unlisted base-image file may have made it), a placeholder stands in
/// for it, with a warning.
fn not_found(
    ctx: &mut Ctx<'_>,
    fs: &mut Fs,
    origin: &Origin,
    path: &str,
    dest: &Dest,
    placement: &Placement,
    opts: &PathOptions<'_>,
) -> PathOutcome {
    let message = format!("failed to calculate checksum of ref {}: {path:?}: not found", origin.label);
    let certainly_missing = if origin.from_context {
        ctx.options.strict
    } else {
        !origin.uncertain && !origin.guessed && !under_summarised_dir(&origin.fs, path)
    };
    if certainly_missing {
        return PathOutcome::Failed("CopySourceNotFound", message);
    }
    let mut place = || -> Result<String, String> {
        let resolved = fs.resolve_lenient(&dest.path, true).map_err(fs_error)?;
        let into = dest.dir_syntax || opts.many || fs.get(&resolved).is_some_and(Node::is_dir);
        let target = if into { vfs::join(&resolved, vfs::file_name(path)) } else { resolved };
        mkdir_all(fs, vfs::parent(&target), &placement.new_dir())?;
        fs.write(&target, placement.apply(Node::sized_file(0, 0o644)), (0, 0));
        Ok(target)
    };
    match place() {
        Ok(target) => {
            let shown = path.trim_start_matches('/');
            if origin.from_context {
                ctx.diags.warning(
                    "MissingContextFile",
                    opts.span,
                    format!("{shown} is not in the build context: copied as an empty placeholder to {target}; add it to the context to see its real size"),
                );
            } else {
                ctx.diags.warning(
                    "MissingStageFile",
                    opts.span,
                    format!(
                        "{path} is not among the files the simulator knows in {} (a RUN it does not model, or a base-image file it does not list, may create it): copied as an empty placeholder to {target}",
                        origin.label
                    ),
                );
            }
            // The cache sees a missing context file as its own (empty) input.
            let inputs = if origin.from_context { vec![input(path, &Node::sized_file(0, 0))] } else { Vec::new() };
            PathOutcome::Copied(Copied { files: 1, placeholders: 1, inputs, ..Copied::default() })
        }
        Err(e) => PathOutcome::Failed("CopyFailed", e),
    }
}

/// Whether `path` lies below a directory known only by its total size (a base image's `/usr`):
/// the file may be among its unlisted contents.
fn under_summarised_dir(fs: &Fs, path: &str) -> bool {
    let mut dir = vfs::parent(&vfs::normalize(path)).to_string();
    loop {
        if let Some(node) = fs.get(&dir) {
            return matches!(node.kind, crate::vfs::NodeKind::Dir { summary_bytes } if summary_bytes > 0);
        }
        if dir == "/" {
            return false;
        }
        dir = vfs::parent(&dir).to_string();
    }
}

/// The filesystem the sources come from: the build context, or `--from` a stage or image.
fn origin(ctx: &mut Ctx<'_>, state: &StageState, ins: &Instruction, done: &BuildOutput) -> Option<Origin> {
    let Some(flag) = ins.flag("from") else {
        return Some(Origin {
            fs: ctx.context_fs.clone(),
            label: "context".into(),
            from_context: true,
            guessed: false,
            uncertain: false,
            stage: None,
            image: None,
        });
    };
    let raw = flag.value.clone().unwrap_or_default();
    let value = expand::expand_word(&raw, &state.vars(), ctx.escape()).map(|e| e.value).unwrap_or(raw);
    match plan::resolve_from(&ctx.plan.stages, &value) {
        Some(FromRef::Stage(s)) => match done.stages.get(s).and_then(Option::as_ref) {
            Some(r) => Some(Origin {
                fs: r.fs.clone(),
                label: format!("stage {value}"),
                from_context: false,
                // Built on an image the catalog does not know: its base files are a guess.
                guessed: !r.base.known,
                uncertain: r.uncertain,
                stage: Some(s),
                image: None,
            }),
            None => {
                ctx.diags.error("UndefinedStage", flag.span, format!("stage {value:?} was not built"));
                None
            }
        },
        Some(FromRef::Image(image)) => {
            let img = crate::catalog_adapter::image(&image);
            if let Some(note) = img.note {
                ctx.diags.push(img.note_severity, img.note_code, flag.span, note);
            }
            let guessed = !img.info.known;
            Some(Origin {
                fs: img.fs,
                label: format!("image {image}"),
                from_context: false,
                guessed,
                uncertain: false,
                stage: None,
                image: Some(image),
            })
        }
        None => {
            ctx.diags.error("InvalidFrom", flag.span, "--from needs a stage name, a stage index or an image");
            None
        }
    }
}

/// `--chown` and `--chmod`, expanded with the stage's variables and checked as BuildKit does.
fn placement(ctx: &mut Ctx<'_>, state: &StageState, ins: &Instruction) -> Option<Placement> {
    let expand = |ctx: &mut Ctx<'_>, raw: &str| expand::expand_word(raw, &state.vars(), ctx.escape()).map(|e| e.value).unwrap_or_else(|_| raw.to_string());
    let owner = match ins.flag("chown") {
        None => None,
        Some(flag) => {
            let spec = expand(ctx, flag.value.as_deref().unwrap_or(""));
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
            let value = expand(ctx, flag.value.as_deref().unwrap_or(""));
            match Chmod::parse(&value) {
                Ok(c) => Some(c),
                Err(ChmodError::NotOctal) => {
                    let message = format!("invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777");
                    ctx.diags.error("InvalidChmod", flag.span, message);
                    return None;
                }
                Err(ChmodError::Syntax) => {
                    let message = format!("invalid chmod parameter: '{value}': invalid syntax; use an octal mode (0755) or a symbolic one (u+x,go-w)");
                    ctx.diags.error("InvalidChmod", flag.span, message);
                    return None;
                }
            }
        }
    };
    Some(Placement { owner, chmod })
}

/// `ADD --checksum` is only for one HTTP(S) or git source (BuildKit's `dispatchCopy`).
fn check_checksum(args: &CopyArgs, is_add: bool) -> Result<(), String> {
    if !is_add {
        return Err("checksum can't be specified for COPY".into());
    }
    match args.sources.as_slice() {
        [CopySource::Path(p)] if is_remote(&p.value) => Ok(()),
        [_] => Err("checksum requires HTTP(S) or Git sources".into()),
        _ => Err("checksum can't be specified for multiple sources".into()),
    }
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

fn is_remote(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://") || is_git(src)
}

fn is_git(src: &str) -> bool {
    src.starts_with("git@") || src.starts_with("git://") || (src.starts_with("https://") && src.contains(".git"))
}

/// ADD of a URL or git repository: the simulator has no network, so a placeholder stands in.
fn add_remote(ctx: &mut Ctx<'_>, fs: &mut Fs, url: &str, dest: &Dest, placement: &Placement, span: Span) {
    let resolved = fs.resolve_lenient(&dest.path, true).unwrap_or_else(|_| dest.path.clone());
    if is_git(url) {
        let _ = mkdir_all(fs, &resolved, &placement.new_dir());
        ctx.diags.warning(
            "RemoteNotFetched",
            span,
            format!("ADD of git repository {url} is not fetched by the simulator: {resolved} is an empty placeholder directory"),
        );
        return;
    }
    let name = url.split(['?', '#']).next().unwrap_or(url).rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("__unnamed__");
    let into = dest.dir_syntax || fs.get(&resolved).is_some_and(Node::is_dir);
    let target = if into { vfs::join(&resolved, name) } else { resolved };
    let _ = mkdir_all(fs, vfs::parent(&target), &placement.new_dir());
    // BuildKit gives downloaded files mode 0600.
    fs.write(&target, placement.apply(Node::sized_file(0, 0o600)), (0, 0));
    ctx.diags.warning(
        "RemoteNotFetched",
        span,
        format!("ADD of URL {url} is not fetched by the simulator: {target} is a placeholder of unknown size"),
    );
}
