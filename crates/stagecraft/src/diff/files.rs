//! The final images' files, compared path by path. A whole directory added or removed folds
//! into one entry (`contents` paths below it, their bytes summed), and only the largest
//! changes are listed, so a new base image with thousands of files reads as a few lines;
//! the totals and the per-area roll-up still count every path.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::report::FileType;
use crate::vfs::{parent, Fs, Node, NodeKind};

/// How many changes `FilesDiff::entries` lists at most.
pub const LARGEST_FILES: usize = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilesDiff {
    /// Every path added, removed or changed (files, directories, symlinks; a folded directory
    /// counts with everything below it).
    pub added: FileTotals,
    pub removed: FileTotals,
    pub changed: FileTotals,
    /// The largest changes by bytes (metadata-only changes after them), at most
    /// `LARGEST_FILES`, in path order.
    pub entries: Vec<FileChange>,
    /// Changes left out of `entries`: how many, and their bytes (after minus before).
    pub omitted: usize,
    pub omitted_bytes_delta: i64,
    /// The changes per top-level directory (`/usr`, `/app`; a file at the root is its own),
    /// in path order.
    pub areas: Vec<AreaDiff>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileTotals {
    pub count: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

impl FileTotals {
    pub fn delta(&self) -> i64 {
        super::delta(self.bytes_before, self.bytes_after)
    }
    fn add(&mut self, before: Option<&Node>, after: Option<&Node>) {
        self.count += 1;
        self.bytes_before += before.map_or(0, Node::size);
        self.bytes_after += after.map_or(0, Node::size);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaDiff {
    pub path: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

impl AreaDiff {
    pub fn delta(&self) -> i64 {
        super::delta(self.bytes_before, self.bytes_after)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub kind: ChangeKind,
    pub before: Option<FileSide>,
    pub after: Option<FileSide>,
    /// What differs, for a changed path.
    pub aspects: Vec<Aspect>,
    /// For a directory added or removed whole: how many paths below it are folded in.
    pub contents: usize,
}

impl FileChange {
    pub fn delta(&self) -> i64 {
        super::delta(self.before.as_ref().map_or(0, |s| s.size_bytes), self.after.as_ref().map_or(0, |s| s.size_bytes))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSide {
    pub file_type: FileType,
    /// The file's size; for a folded directory, everything below it.
    pub size_bytes: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub link_target: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// A file became a directory, a symlink, …
    Type,
    Size,
    /// Same size, other bytes (as far as the simulator knows them).
    Content,
    Mode,
    Owner,
    LinkTarget,
}

impl Aspect {
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Type => "type",
            Aspect::Size => "size",
            Aspect::Content => "content",
            Aspect::Mode => "mode",
            Aspect::Owner => "owner",
            Aspect::LinkTarget => "link target",
        }
    }
}

fn side(node: &Node) -> FileSide {
    let (file_type, link_target) = FileType::of(node);
    FileSide { file_type, size_bytes: node.size(), mode: node.mode, uid: node.uid, gid: node.gid, link_target }
}

fn same(a: &Node, b: &Node) -> bool {
    // `Arc` contents compare by pointer first: copies of one context file are cheap.
    a.mode == b.mode && a.uid == b.uid && a.gid == b.gid && a.kind == b.kind
}

fn aspects(a: &Node, b: &Node) -> Vec<Aspect> {
    let mut out = Vec::new();
    match (&a.kind, &b.kind) {
        (NodeKind::File { size: x, .. }, NodeKind::File { size: y, .. }) => {
            if x != y {
                out.push(Aspect::Size);
            } else if a.kind != b.kind {
                out.push(Aspect::Content);
            }
        }
        (NodeKind::Dir { summary_bytes: x }, NodeKind::Dir { summary_bytes: y }) => {
            if x != y {
                out.push(Aspect::Size);
            }
        }
        (NodeKind::Symlink(x), NodeKind::Symlink(y)) => {
            if x != y {
                out.push(Aspect::LinkTarget);
            }
        }
        _ => out.push(Aspect::Type),
    }
    if a.mode != b.mode {
        out.push(Aspect::Mode);
    }
    if (a.uid, a.gid) != (b.uid, b.gid) {
        out.push(Aspect::Owner);
    }
    out
}

struct Raw<'a> {
    path: &'a str,
    before: Option<&'a Node>,
    after: Option<&'a Node>,
}

/// The paths that differ, in path order.
fn raw_changes<'a>(a: &'a Fs, b: &'a Fs) -> Vec<Raw<'a>> {
    let mut out = Vec::new();
    let mut xs = a.iter().filter(|(p, _)| *p != "/").peekable();
    let mut ys = b.iter().filter(|(p, _)| *p != "/").peekable();
    loop {
        match (xs.peek(), ys.peek()) {
            (None, None) => break,
            (Some(&(p, n)), None) => {
                out.push(Raw { path: p, before: Some(n), after: None });
                xs.next();
            }
            (None, Some(&(p, n))) => {
                out.push(Raw { path: p, before: None, after: Some(n) });
                ys.next();
            }
            (Some(&(p, x)), Some(&(q, y))) => match p.cmp(q) {
                std::cmp::Ordering::Less => {
                    out.push(Raw { path: p, before: Some(x), after: None });
                    xs.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push(Raw { path: q, before: None, after: Some(y) });
                    ys.next();
                }
                std::cmp::Ordering::Equal => {
                    if !same(x, y) {
                        out.push(Raw { path: p, before: Some(x), after: Some(y) });
                    }
                    xs.next();
                    ys.next();
                }
            },
        }
    }
    out
}

fn area(path: &str) -> &str {
    match path.get(1..).and_then(|rest| rest.find('/')) {
        Some(i) => &path[..i + 1],
        None => path,
    }
}

/// Compares two final filesystems (`None`: no image on that side).
pub(super) fn diff(before: Option<&Fs>, after: Option<&Fs>) -> FilesDiff {
    let empty = Fs::new();
    let raw = raw_changes(before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut out = FilesDiff::default();
    let mut areas: BTreeMap<&str, AreaDiff> = BTreeMap::new();
    // Directories added or removed whole, each folded into its topmost such ancestor.
    let added_dirs: HashSet<&str> = raw.iter().filter(|r| r.before.is_none() && r.after.is_some_and(Node::is_dir)).map(|r| r.path).collect();
    let removed_dirs: HashSet<&str> = raw.iter().filter(|r| r.after.is_none() && r.before.is_some_and(Node::is_dir)).map(|r| r.path).collect();
    let mut entries: Vec<FileChange> = Vec::new();
    let mut folded_into: HashMap<&str, usize> = HashMap::new();
    for r in &raw {
        let (kind, folding) = match (r.before, r.after) {
            (None, _) => (ChangeKind::Added, Some(&added_dirs)),
            (_, None) => (ChangeKind::Removed, Some(&removed_dirs)),
            _ => (ChangeKind::Changed, None),
        };
        let node = r.after.or(r.before);
        {
            let totals = match kind {
                ChangeKind::Added => &mut out.added,
                ChangeKind::Removed => &mut out.removed,
                ChangeKind::Changed => &mut out.changed,
            };
            totals.add(r.before, r.after);
            let a = areas.entry(area(r.path)).or_insert_with(|| AreaDiff {
                path: area(r.path).to_string(),
                added: 0,
                removed: 0,
                changed: 0,
                bytes_before: 0,
                bytes_after: 0,
            });
            match kind {
                ChangeKind::Added => a.added += 1,
                ChangeKind::Removed => a.removed += 1,
                ChangeKind::Changed => a.changed += 1,
            }
            a.bytes_before += r.before.map_or(0, Node::size);
            a.bytes_after += r.after.map_or(0, Node::size);
        }
        if let Some(dirs) = folding {
            let mut top = None;
            let mut p = parent(r.path);
            while p != "/" && dirs.contains(p) {
                top = Some(p);
                p = parent(p);
            }
            if let Some(&at) = top.and_then(|t| folded_into.get(t)) {
                let e = &mut entries[at];
                e.contents += 1;
                let size = node.map_or(0, Node::size);
                if let Some(s) = e.after.as_mut().or(e.before.as_mut()) {
                    s.size_bytes += size;
                }
                continue;
            }
            if node.is_some_and(Node::is_dir) {
                folded_into.insert(r.path, entries.len());
            }
        }
        entries.push(FileChange {
            path: r.path.to_string(),
            kind,
            before: r.before.map(side),
            after: r.after.map(side),
            aspects: match (r.before, r.after) {
                (Some(a), Some(b)) => aspects(a, b),
                _ => Vec::new(),
            },
            contents: 0,
        });
    }
    // The largest changes; metadata-only ones after, and plain directories last.
    let weight = |e: &FileChange| (e.delta().unsigned_abs(), e.contents, !e.aspects.is_empty());
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&x, &y| weight(&entries[y]).cmp(&weight(&entries[x])).then_with(|| entries[x].path.cmp(&entries[y].path)));
    let mut keep = vec![false; entries.len()];
    for &i in order.iter().take(LARGEST_FILES) {
        keep[i] = true;
    }
    for (e, kept) in entries.into_iter().zip(keep) {
        if kept {
            out.entries.push(e);
        } else {
            out.omitted += 1;
            out.omitted_bytes_delta += e.delta();
        }
    }
    out.areas = areas.into_values().collect();
    out
}
