//! The copy itself, as BuildKit's file backend runs it (tonistiigi/fsutil `copy.Copy` with
//! `CopyDirContents`, `FollowLinks`, include and exclude patterns):
//! - the destination's parent (or the destination itself when it ends in `/`) is created,
//!   and the destination is found through symlinks, kept inside the root;
//! - a file lands at the destination, or in it when it is a directory;
//! - a directory's *contents* are merged into the destination; a destination directory that
//!   COPY creates belongs to root (or `--chown`) with mode 0755, one that exists keeps its
//!   owner and mode, while directories below it take the source's (as `cp -a`);
//! - with include patterns (`--parents`), a directory is only created once something in it
//!   is included, with the source directory's metadata.
//!
//! Hard links are copies here: the simulator has no inodes.

use crate::build::chmod::Chmod;
use crate::build::InputFile;
use crate::dockerignore::IgnoreMatcher;
use crate::vfs::{self, Fs, FsError, Node};

/// Owner and mode for what COPY writes (fsutil's `copyFileInfo`).
pub(crate) struct Placement {
    /// `--chown`: otherwise the source's owner stays (build-context files arrive as root's).
    pub owner: Option<(u32, u32)>,
    pub chmod: Option<Chmod>,
}

impl Placement {
    /// The metadata a copied node ends with: its source's, changed by `--chown`/`--chmod`
    /// (a symlink keeps its own mode).
    pub fn apply(&self, mut node: Node) -> Node {
        if let Some((uid, gid)) = self.owner {
            node.uid = uid;
            node.gid = gid;
        }
        if let (Some(chmod), false) = (&self.chmod, matches!(node.kind, vfs::NodeKind::Symlink(_))) {
            node.mode = chmod.apply(node.mode, node.is_dir());
        }
        node
    }

    /// A directory COPY creates on its way to the destination: 0755, root's unless
    /// `--chown`, and `--chmod` applies to it too (BuildKit testCopyChmod: `COPY --chmod=777
    /// foo /parent/foo` leaves /parent at 0777).
    pub fn new_dir(&self) -> Node {
        let mut node = Node::dir(0o755);
        if let Some((uid, gid)) = self.owner {
            node.uid = uid;
            node.gid = gid;
        }
        if let Some(chmod) = &self.chmod {
            node.mode = chmod.apply(0o755, true);
        }
        node
    }
}

/// What filters the copy of one source, and how sure its contents are.
pub(crate) struct Filters<'a> {
    /// The source's files are a guess (an image the catalog does not know): a clash between
    /// a guessed file and the destination is skipped and listed in `Copied::skipped` instead of
    /// failing the COPY, which the real image might not do.
    pub guessed: bool,
    /// `--parents`: only paths matching (or below a match of) the pattern are copied.
    pub include: Option<&'a IgnoreMatcher>,
    /// `--exclude`.
    pub exclude: Option<&'a IgnoreMatcher>,
    /// List each copied file in `Copied::inputs` (sources from the build context, whose
    /// contents decide the cache key).
    pub record: bool,
}

/// Where the sources go: the destination after WORKDIR, and whether it was written as a
/// directory (`dir/`, `.`, an empty word).
pub(crate) struct Dest {
    pub path: String,
    pub dir_syntax: bool,
}

impl Dest {
    /// BuildKit's `pathRelativeToWorkingDir`: relative to WORKDIR, `""` and `.` meaning it.
    pub fn new(workdir: &str, raw: &str) -> Dest {
        let dir_syntax = raw.is_empty() || raw == "." || raw.ends_with('/') || raw.ends_with("/.");
        Dest { path: vfs::join(workdir, raw), dir_syntax }
    }
}

/// Files and bytes copied, for the step summary.
#[derive(Default)]
pub(crate) struct Copied {
    pub files: usize,
    pub bytes: u64,
    /// Clashes skipped because the source was a guess (see `Filters::guessed`).
    pub skipped: Vec<String>,
    /// Empty placeholders written for sources the simulator could not see.
    pub placeholders: usize,
    /// The files read, when `Filters::record` asks for them.
    pub inputs: Vec<InputFile>,
}

impl Copied {
    pub fn add(&mut self, other: Copied) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.skipped.extend(other.skipped);
        self.placeholders += other.placeholders;
        self.inputs.extend(other.inputs);
    }
}

/// A source file as the cache sees it: its path in the origin (no leading `/`) and fingerprint.
pub(crate) fn input(path: &str, node: &Node) -> InputFile {
    InputFile { path: path.trim_start_matches('/').to_string(), size: node.size(), fingerprint: node.fingerprint() }
}

pub(crate) fn fs_error(e: FsError) -> String {
    e.to_string()
}

/// fsutil's `MkdirAll`: creates the missing directories of an already resolved path as
/// `dir`; a non-directory in the way is an error.
pub(crate) fn mkdir_all(fs: &mut Fs, path: &str, dir: &Node) -> Result<(), String> {
    let mut current = String::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        current.push('/');
        current.push_str(seg);
        match fs.get(&current) {
            Some(n) if n.is_dir() => {}
            Some(_) => return Err(format!("mkdir {current}: not a directory")),
            None => fs.write(&current, dir.clone(), (0, 0)),
        }
    }
    Ok(())
}

/// Copies one source (`name` as matched, `src` with its symlinks followed) from `origin` to
/// `dest` in `fs`: fsutil's `Copy` and `prepareTargetDir`.
pub(crate) fn copy_source(
    fs: &mut Fs,
    origin: &Fs,
    name: &str,
    src: &str,
    dest: &Dest,
    placement: &Placement,
    filters: &Filters<'_>,
) -> Result<Copied, String> {
    let src_node = origin.get(src).ok_or_else(|| format!("{name:?}: not found"))?;
    let new_dir = placement.new_dir();
    let ensure = if dest.dir_syntax { dest.path.clone() } else { vfs::parent(&dest.path).to_string() };
    let ensure = fs.resolve_lenient(&ensure, true).map_err(fs_error)?;
    mkdir_all(fs, &ensure, &new_dir)?;

    let mut dst = fs.resolve_lenient(&dest.path, true).map_err(fs_error)?;
    let dest_node = fs.get(&dst).cloned();
    if !src_node.is_dir() && dest_node.as_ref().is_some_and(Node::is_dir) {
        dst = vfs::join(&dst, vfs::file_name(name));
    }
    let target_dir = if src_node.is_dir() && dest_node.is_none() { dst.clone() } else { vfs::parent(&dst).to_string() };
    mkdir_all(fs, &target_dir, &new_dir)?;

    let mut walker = Walker { fs, origin, placement, filters, pending: Vec::new(), copied: Copied::default() };
    walker.copy(src, "", &dst, false)?;
    Ok(walker.copied)
}

/// A directory seen on the way down whose creation waits until something in it is included.
struct Pending {
    src: String,
    dst: String,
    copied: bool,
}

struct Walker<'a, 'f> {
    fs: &'a mut Fs,
    origin: &'a Fs,
    placement: &'a Placement,
    filters: &'a Filters<'f>,
    pending: Vec<Pending>,
    copied: Copied,
}

impl Walker<'_, '_> {
    /// fsutil's `copier.copy`: `components` is the path below the copied source, the only
    /// thing include and exclude patterns see; `overwrite` is false for the source itself
    /// (an existing destination keeps its metadata) and true below it.
    fn copy(&mut self, src: &str, components: &str, target: &str, overwrite: bool) -> Result<(), String> {
        let Some(node) = self.origin.get(src) else { return Ok(()) };
        let mut include = true;
        if !components.is_empty() {
            if let Some(m) = self.filters.include {
                include = m.is_ignored(components);
            }
            if self.filters.exclude.is_some_and(|m| m.is_ignored(components)) {
                include = false;
            }
        }
        if include {
            self.create_parent_dirs(overwrite)?;
        }
        if !node.is_dir() {
            if !include {
                return Ok(());
            }
            if self.fs.get(target).is_some_and(Node::is_dir) {
                return self.clash(format!("cannot replace to directory {target} with file"));
            }
            if node.is_file() {
                self.copied.files += 1;
                self.copied.bytes += node.size();
            }
            if self.filters.record {
                self.copied.inputs.push(input(src, node));
            }
            self.fs.write(target, self.placement.apply(node.clone()), (0, 0));
            return Ok(());
        }

        let created = match include.then(|| self.directory_only(target, node, overwrite)) {
            None => false,
            Some(Ok(created)) => created,
            Some(Err(e)) => return self.clash(e),
        };
        self.pending.push(Pending { src: src.to_string(), dst: target.to_string(), copied: include });
        let children: Vec<String> = self.origin.children(src).map(|(name, _)| name.to_string()).collect();
        for name in children {
            let below = if components.is_empty() { name.clone() } else { format!("{components}/{name}") };
            self.copy(&vfs::join(src, &name), &below, &vfs::join(target, &name), true)?;
        }
        self.pending.pop();
        if (!overwrite && created) || (overwrite && include) {
            self.copy_info(node, target);
        }
        Ok(())
    }

    /// A path that cannot be copied: an error, unless the source is a guess.
    fn clash(&mut self, message: String) -> Result<(), String> {
        if self.filters.guessed {
            self.copied.skipped.push(message);
            Ok(())
        } else {
            Err(message)
        }
    }

    /// fsutil's `copyDirectoryOnly`: makes the directory if missing; whether it did.
    fn directory_only(&mut self, target: &str, src: &Node, overwrite: bool) -> Result<bool, String> {
        match self.fs.get(target) {
            None => {
                self.fs.write(target, Node::dir(src.mode), (0, 0));
                Ok(true)
            }
            Some(n) if !n.is_dir() => Err(format!("cannot copy to non-directory: {target}")),
            Some(_) => {
                if overwrite {
                    self.fs.update(target, |n| n.mode = src.mode);
                }
                Ok(false)
            }
        }
    }

    /// The delayed directories of an include pattern, created once something below matches.
    fn create_parent_dirs(&mut self, overwrite: bool) -> Result<(), String> {
        for i in 0..self.pending.len() {
            if self.pending[i].copied {
                continue;
            }
            let (src, dst) = (self.pending[i].src.clone(), self.pending[i].dst.clone());
            let node = self.origin.get(&src).filter(|n| n.is_dir()).cloned().ok_or_else(|| format!("{src} is not a directory"))?;
            if self.directory_only(&dst, &node, overwrite)? {
                self.copy_info(&node, &dst);
            }
            self.pending[i].copied = true;
        }
        Ok(())
    }

    fn copy_info(&mut self, src: &Node, target: &str) {
        let wanted = self.placement.apply(src.clone());
        self.fs.update(target, |n| {
            n.uid = wanted.uid;
            n.gid = wanted.gid;
            n.mode = wanted.mode;
        });
    }
}

/// BuildKit's wildcard resolution (fsutil `ResolveWildcards`): the components before the
/// first one with a wildcard name a directory (symlinks followed); the rest is matched with
/// Go's `filepath.Match` against paths below it, walked in name order without following
/// symlinks; a matching directory is taken whole. Matches are named through the resolved
/// directory. Without wildcards, the path itself.
pub(crate) fn resolve_wildcards(origin: &Fs, path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(first) = segments.iter().position(|s| crate::pathmatch::has_wildcards(s)) else {
        return vec![vfs::normalize(path)];
    };
    let base = format!("/{}", segments[..first].join("/"));
    let rest = segments[first..].join("/");
    let Ok(base) = origin.resolve_lenient(&base, true) else { return Vec::new() };
    if !origin.get(&base).is_some_and(Node::is_dir) {
        return Vec::new();
    }
    let depth = segments.len() - first;
    let mut out = Vec::new();
    walk_matches(origin, &base, "", &rest, depth, &mut out);
    out
}

fn walk_matches(origin: &Fs, dir: &str, rel: &str, pattern: &str, depth_left: usize, out: &mut Vec<String>) {
    if depth_left == 0 {
        return;
    }
    let children: Vec<(String, bool)> = origin.children(dir).map(|(n, node)| (n.to_string(), node.is_dir())).collect();
    for (name, is_dir) in children {
        let rel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let path = vfs::join(dir, &name);
        if crate::pathmatch::glob_match(pattern, &rel).unwrap_or(false) {
            out.push(path);
        } else if is_dir {
            walk_matches(origin, &path, &rel, pattern, depth_left - 1, out);
        }
    }
}
