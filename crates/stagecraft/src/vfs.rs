//! A layered, persistent file tree: the filesystem of one stage as it is built.
//!
//! Nodes live in an `imbl::OrdMap` keyed by absolute path, so a snapshot per instruction is an
//! O(1) clone that shares structure with its parent. While a layer is open, every path written
//! or removed is recorded; closing the layer yields what the layer holds (`LayerDiff`), which is
//! what Docker counts for the layer's size: a file deleted later still costs its bytes here.

use std::sync::Arc;

use imbl::{OrdMap, OrdSet};

/// Symlink hops allowed while resolving one path, as Linux's MAXSYMLINKS.
const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    File {
        size: u64,
        /// The bytes, when known (context files, heredocs, `echo > f`); `None` when only the size is.
        content: Option<Arc<[u8]>>,
    },
    /// `summary_bytes` stands for contents not listed one by one (a base image's `/usr`).
    Dir { summary_bytes: u64 },
    Symlink(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits (and setuid/setgid/sticky), without the file type.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// The layer that last wrote this node (an id the builder hands out).
    pub layer: u32,
}

impl Node {
    pub fn file(content: impl Into<Arc<[u8]>>, mode: u32) -> Node {
        let content: Arc<[u8]> = content.into();
        Node {
            kind: NodeKind::File { size: content.len() as u64, content: Some(content) },
            mode,
            uid: 0,
            gid: 0,
            layer: 0,
        }
    }
    pub fn sized_file(size: u64, mode: u32) -> Node {
        Node { kind: NodeKind::File { size, content: None }, mode, uid: 0, gid: 0, layer: 0 }
    }
    pub fn dir(mode: u32) -> Node {
        Node { kind: NodeKind::Dir { summary_bytes: 0 }, mode, uid: 0, gid: 0, layer: 0 }
    }
    pub fn symlink(target: &str) -> Node {
        Node { kind: NodeKind::Symlink(target.to_string()), mode: 0o777, uid: 0, gid: 0, layer: 0 }
    }
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir { .. })
    }
    pub fn is_file(&self) -> bool {
        matches!(self.kind, NodeKind::File { .. })
    }
    /// Bytes this node adds to a layer: a file's size, a summarised directory's contents,
    /// a symlink's target text. Directories themselves count nothing, as in `docker history`.
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::File { size, .. } => *size,
            NodeKind::Dir { summary_bytes } => *summary_bytes,
            NodeKind::Symlink(t) => t.len() as u64,
        }
    }
    pub fn content(&self) -> Option<&[u8]> {
        match &self.kind {
            NodeKind::File { content, .. } => content.as_deref(),
            _ => None,
        }
    }
    /// A digest of what a copy of this node carries, as BuildKit's content checksum sees a
    /// file: its bytes (or only its size, when the bytes are not known), its mode, its link
    /// target. Not its owner: a COPY sets that. Stable across runs and platforms (FNV-1a).
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fnv::new();
        h.write(&self.mode.to_le_bytes());
        match &self.kind {
            NodeKind::File { size, content } => {
                h.write(b"f");
                h.write(&size.to_le_bytes());
                if let Some(c) = content {
                    h.write(c);
                }
            }
            NodeKind::Dir { summary_bytes } => {
                h.write(b"d");
                h.write(&summary_bytes.to_le_bytes());
            }
            NodeKind::Symlink(t) => {
                h.write(b"l");
                h.write(t.as_bytes());
            }
        }
        h.finish()
    }
}

/// FNV-1a of some bytes (an inline document's text, for cache keys).
pub fn fingerprint_bytes(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.write(bytes);
    h.finish()
}

/// 64-bit FNV-1a: tiny, and the same everywhere (std's hasher may change between releases).
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    /// Writes a string and a separator, so `("ab","c")` and `("a","bc")` differ.
    pub fn write_str(&mut self, s: &str) {
        self.write(s.as_bytes());
        self.write(&[0xff]);
    }
    pub fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound(String),
    NotADirectory(String),
    TooManySymlinks(String),
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FsError::NotFound(p) => write!(f, "{p}: no such file or directory"),
            FsError::NotADirectory(p) => write!(f, "{p}: not a directory"),
            FsError::TooManySymlinks(p) => write!(f, "{p}: too many levels of symbolic links"),
        }
    }
}

/// What one layer holds once it is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerDiff {
    /// Paths written by the layer that still exist at its end, sorted.
    pub written: Vec<String>,
    /// Paths that existed below the layer and were removed by it (whiteouts), sorted.
    pub whiteouts: Vec<String>,
    /// Bytes the layer adds: the sizes of `written` nodes.
    pub size_bytes: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Fs {
    nodes: OrdMap<String, Node>,
    /// Open layer: its id and the paths it touched.
    layer: u32,
    written: OrdSet<String>,
    removed: OrdSet<String>,
}

impl Fs {
    /// An empty filesystem holding only `/`.
    pub fn new() -> Fs {
        let mut nodes = OrdMap::new();
        nodes.insert("/".to_string(), Node::dir(0o755));
        Fs { nodes, ..Fs::default() }
    }

    /// Opens a new layer: later writes are tagged with `id` and recorded for `close_layer`.
    pub fn open_layer(&mut self, id: u32) {
        self.layer = id;
        self.written = OrdSet::new();
        self.removed = OrdSet::new();
    }

    pub fn current_layer(&self) -> u32 {
        self.layer
    }

    /// Closes the open layer and tells what it holds.
    pub fn close_layer(&mut self) -> LayerDiff {
        let written: Vec<String> = self
            .written
            .iter()
            .filter(|p| self.nodes.get(p.as_str()).is_some_and(|n| n.layer == self.layer))
            .cloned()
            .collect();
        let size_bytes = written.iter().filter_map(|p| self.nodes.get(p.as_str())).map(Node::size).sum();
        let whiteouts = self.removed.iter().filter(|p| !self.nodes.contains_key(p.as_str())).cloned().collect();
        self.written = OrdSet::new();
        self.removed = OrdSet::new();
        LayerDiff { written, whiteouts, size_bytes }
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn exists(&self, path: &str) -> bool {
        self.nodes.contains_key(path)
    }

    /// Every node, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The node at `path` and everything below it, sorted by path.
    pub fn subtree<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        let own = self.nodes.get_key_value(path).map(|(k, v)| (k.as_str(), v));
        own.into_iter().chain(self.descendants(path))
    }

    /// Everything strictly below `dir`, sorted by path.
    pub fn descendants<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        let (lo, hi) = child_range(dir);
        self.nodes.range(lo..hi).map(|(k, v)| (k.as_str(), v))
    }

    /// Direct children of `dir` as (name, node), sorted by name.
    pub fn children<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        let skip = if dir == "/" { 1 } else { dir.len() + 1 };
        self.descendants(dir).filter_map(move |(p, n)| {
            let name = &p[skip..];
            (!name.contains('/')).then_some((name, n))
        })
    }

    /// Resolves symlinks in every component of `path` (and in the last one when
    /// `follow_last`), the way a process chrooted into the image would. The result
    /// need not exist; a missing intermediate directory is `NotFound`.
    pub fn resolve(&self, path: &str, follow_last: bool) -> Result<String, FsError> {
        let mut hops = 0;
        let mut pending: Vec<String> = normalize(path).split('/').filter(|s| !s.is_empty()).rev().map(str::to_string).collect();
        let mut current = String::from("/");
        while let Some(seg) = pending.pop() {
            let candidate = join(&current, &seg);
            let is_last = pending.is_empty();
            match self.nodes.get(&candidate) {
                Some(Node { kind: NodeKind::Symlink(target), .. }) if !is_last || follow_last => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::TooManySymlinks(normalize(path)));
                    }
                    if target.starts_with('/') {
                        current = String::from("/");
                    }
                    pending.extend(target.split('/').filter(|s| !s.is_empty()).rev().map(str::to_string));
                }
                Some(node) if !is_last && !node.is_dir() => return Err(FsError::NotADirectory(candidate)),
                None if !is_last => return Err(FsError::NotFound(candidate)),
                _ => current = if seg == ".." { parent(&current).to_string() } else { candidate },
            }
        }
        Ok(current)
    }

    /// Like `resolve`, but a missing component is not an error: the rest of the path is taken
    /// as written (nothing below a missing directory can be a symlink). This is continuity's
    /// `RootPath`, which BuildKit uses to find where COPY writes: symlinks are followed and
    /// kept inside the root (`..` stops at `/`), even when they point at something missing.
    pub fn resolve_lenient(&self, path: &str, follow_last: bool) -> Result<String, FsError> {
        let mut hops = 0;
        let mut pending: Vec<String> = normalize(path).split('/').filter(|s| !s.is_empty()).rev().map(str::to_string).collect();
        let mut current = String::from("/");
        let mut missing = false;
        while let Some(seg) = pending.pop() {
            if seg == ".." {
                current = parent(&current).to_string();
                continue;
            }
            let candidate = join(&current, &seg);
            let is_last = pending.is_empty();
            match self.nodes.get(&candidate).filter(|_| !missing) {
                Some(Node { kind: NodeKind::Symlink(target), .. }) if !is_last || follow_last => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(FsError::TooManySymlinks(normalize(path)));
                    }
                    if target.starts_with('/') {
                        current = String::from("/");
                    }
                    pending.extend(target.split('/').filter(|s| !s.is_empty() && *s != ".").rev().map(str::to_string));
                }
                Some(node) if !is_last && !node.is_dir() => return Err(FsError::NotADirectory(candidate)),
                None => {
                    missing = true;
                    current = candidate;
                }
                _ => current = candidate,
            }
        }
        Ok(current)
    }

    /// Writes `node` at `path` (no symlink resolution: callers resolve first), replacing what
    /// was there — a replaced directory loses its contents. Missing parents are created as
    /// `mkdir -p` would, owned by `parent_owner`.
    pub fn write(&mut self, path: &str, mut node: Node, parent_owner: (u32, u32)) {
        let path = normalize(path);
        if path == "/" {
            if node.is_dir() {
                node.layer = self.layer;
                self.nodes.insert(path.clone(), node);
                self.written.insert(path);
            }
            return;
        }
        self.mkdir_all(parent(&path), 0o755, parent_owner);
        if let Some(old) = self.nodes.get(&path) {
            if old.is_dir() && !node.is_dir() {
                self.remove(&path);
            }
        }
        node.layer = self.layer;
        self.nodes.insert(path.clone(), node);
        self.written.insert(path);
    }

    /// `mkdir -p`: creates `path` and its missing parents; existing directories are kept as they
    /// are. A non-directory in the way is replaced, as Docker does when copying a directory.
    pub fn mkdir_all(&mut self, path: &str, mode: u32, owner: (u32, u32)) {
        let path = normalize(path);
        let mut current = String::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            current.push('/');
            current.push_str(seg);
            match self.nodes.get(&current) {
                Some(n) if n.is_dir() => continue,
                Some(_) => {
                    self.remove(&current);
                }
                None => {}
            }
            let node = Node { kind: NodeKind::Dir { summary_bytes: 0 }, mode, uid: owner.0, gid: owner.1, layer: self.layer };
            self.nodes.insert(current.clone(), node);
            self.written.insert(current.clone());
        }
    }

    /// Removes `path` and everything below it. Returns whether anything was there.
    pub fn remove(&mut self, path: &str) -> bool {
        let path = normalize(path);
        if path == "/" {
            let all: Vec<String> = self.descendants("/").map(|(p, _)| p.to_string()).collect();
            for p in all {
                self.remove_one(p);
            }
            return true;
        }
        if !self.nodes.contains_key(&path) {
            return false;
        }
        let below: Vec<String> = self.descendants(&path).map(|(p, _)| p.to_string()).collect();
        for p in below {
            self.remove_one(p);
        }
        self.remove_one(path);
        true
    }

    fn remove_one(&mut self, path: String) {
        if let Some(old) = self.nodes.remove(&path) {
            // Only what an earlier layer wrote needs a whiteout; what this layer wrote just vanishes.
            if old.layer != self.layer || !self.written.contains(&path) {
                self.removed.insert(path.clone());
            }
            self.written.remove(&path);
        }
    }

    /// Changes a node's metadata in place and records the change in the open layer
    /// (Docker copies the whole file up into the new layer, so its size counts again).
    pub fn update(&mut self, path: &str, f: impl FnOnce(&mut Node)) -> bool {
        let path = normalize(path);
        let layer = self.layer;
        match self.nodes.get_mut(&path) {
            Some(node) => {
                f(node);
                node.layer = layer;
                self.written.insert(path);
                true
            }
            None => false,
        }
    }
}

impl Fs {
    /// Puts the subtree at `path` back as it is in `before`, recording nothing in the open
    /// layer: what a RUN mount (cache, bind, secret, tmpfs) covered leaves no trace in the
    /// image. A mount point that did not exist stays behind as an empty directory, as in BuildKit.
    pub fn restore(&mut self, path: &str, before: &Fs) {
        let path = normalize(path);
        let now: Vec<String> = self.subtree(&path).map(|(p, _)| p.to_string()).collect();
        for p in now {
            self.nodes.remove(&p);
            self.written.remove(&p);
        }
        let mut any = false;
        for (p, node) in before.subtree(&path) {
            self.nodes.insert(p.to_string(), node.clone());
            self.removed.remove(p);
            any = true;
        }
        if !any {
            self.mkdir_all(&path, 0o755, (0, 0));
        }
    }
}

/// Keys strictly below `dir` sort between `dir/` and `dir0` ('0' follows '/').
fn child_range(dir: &str) -> (String, String) {
    if dir == "/" {
        ("/\0".to_string(), "0".to_string())
    } else {
        (format!("{dir}/"), format!("{dir}0"))
    }
}

/// Cleans an absolute path: `//a/./b/../c/` → `/a/c`; `..` stops at `/`; relative paths are
/// taken from `/`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for p in &parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Resolves `path` against the directory `base` (a WORKDIR): absolute paths stay as they are.
pub fn join(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        normalize(path)
    } else {
        normalize(&format!("{base}/{path}"))
    }
}

/// The parent directory of a normalized path (`/` for `/`).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a normalized path (`""` for `/`).
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs_with(paths: &[(&str, Node)]) -> Fs {
        let mut fs = Fs::new();
        for (p, n) in paths {
            fs.write(p, n.clone(), (0, 0));
        }
        fs
    }

    #[test]
    fn normalizes_and_joins_paths() {
        for (input, want) in [("/a//b/./c/", "/a/b/c"), ("a/../../b", "/b"), ("", "/"), ("/..", "/")] {
            assert_eq!(normalize(input), want, "{input}");
        }
        assert_eq!(join("/app", "src/../bin"), "/app/bin");
        assert_eq!(join("/app", "/etc"), "/etc");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(file_name("/a/b"), "b");
    }

    #[test]
    fn writing_creates_parents_and_lists_children() {
        let fs = fs_with(&[("/app/src/main.go", Node::file(&b"package main"[..], 0o644)), ("/app-x", Node::dir(0o755))]);
        assert!(fs.get("/app").is_some_and(Node::is_dir));
        let kids: Vec<&str> = fs.children("/app").map(|(n, _)| n).collect();
        assert_eq!(kids, ["src"]);
        let root: Vec<&str> = fs.children("/").map(|(n, _)| n).collect();
        assert_eq!(root, ["app", "app-x"]);
        let below: Vec<&str> = fs.descendants("/app").map(|(p, _)| p).collect();
        assert_eq!(below, ["/app/src", "/app/src/main.go"]);
    }

    #[test]
    fn resolves_symlinks_in_every_component() {
        let fs = fs_with(&[
            ("/usr/bin/busybox", Node::sized_file(900_000, 0o755)),
            ("/bin", Node::symlink("usr/bin")),
            ("/usr/bin/sh", Node::symlink("busybox")),
            ("/loop", Node::symlink("/loop")),
        ]);
        assert_eq!(fs.resolve("/bin/sh", true), Ok("/usr/bin/busybox".to_string()));
        assert_eq!(fs.resolve("/bin/sh", false), Ok("/usr/bin/sh".to_string()));
        assert_eq!(fs.resolve("/bin/new", true), Ok("/usr/bin/new".to_string()));
        assert_eq!(fs.resolve("/nope/x", true), Err(FsError::NotFound("/nope".to_string())));
        assert!(matches!(fs.resolve("/loop/x", true), Err(FsError::TooManySymlinks(_))));
        assert_eq!(fs.resolve("/usr/bin/busybox/x", true), Err(FsError::NotADirectory("/usr/bin/busybox".to_string())));
    }

    #[test]
    fn lenient_resolution_follows_links_to_missing_places_inside_the_root() {
        let fs = fs_with(&[
            ("/symlink", Node::symlink("../tmp/symlink-target")),
            ("/abs", Node::symlink("/opt/x")),
            ("/file", Node::sized_file(1, 0o644)),
        ]);
        assert_eq!(fs.resolve_lenient("/symlink", true), Ok("/tmp/symlink-target".to_string()));
        assert_eq!(fs.resolve_lenient("/symlink/foo", true), Ok("/tmp/symlink-target/foo".to_string()));
        assert_eq!(fs.resolve_lenient("/symlink", false), Ok("/symlink".to_string()));
        assert_eq!(fs.resolve_lenient("/abs/y", true), Ok("/opt/x/y".to_string()));
        assert_eq!(fs.resolve_lenient("/no/such/dir", true), Ok("/no/such/dir".to_string()));
        assert_eq!(fs.resolve_lenient("/file/x", true), Err(FsError::NotADirectory("/file".to_string())));
    }

    #[test]
    fn a_later_deletion_does_not_shrink_the_earlier_layer() {
        let mut fs = Fs::new();
        fs.open_layer(1);
        fs.write("/big", Node::sized_file(1000, 0o644), (0, 0));
        let first = fs.close_layer();
        assert_eq!(first.size_bytes, 1000);
        let snapshot = fs.clone();

        fs.open_layer(2);
        fs.remove("/big");
        let second = fs.close_layer();
        assert_eq!(second.size_bytes, 0);
        assert_eq!(second.whiteouts, ["/big"]);
        assert!(snapshot.exists("/big"), "snapshots are independent");
        assert!(!fs.exists("/big"));
    }

    #[test]
    fn created_and_deleted_in_one_layer_costs_nothing() {
        let mut fs = Fs::new();
        fs.open_layer(1);
        fs.write("/tmp/x.tar", Node::sized_file(5000, 0o644), (0, 0));
        fs.write("/tmp/keep", Node::sized_file(7, 0o644), (0, 0));
        fs.remove("/tmp/x.tar");
        let diff = fs.close_layer();
        assert_eq!(diff.size_bytes, 7);
        assert!(diff.whiteouts.is_empty());
        assert_eq!(diff.written, ["/tmp", "/tmp/keep"]);
    }

    #[test]
    fn metadata_change_copies_the_file_up() {
        let mut fs = fs_with(&[("/f", Node::sized_file(10, 0o644))]);
        fs.open_layer(3);
        assert!(fs.update("/f", |n| n.mode = 0o755));
        let diff = fs.close_layer();
        assert_eq!(diff.size_bytes, 10);
        assert_eq!(fs.get("/f").map(|n| (n.mode, n.layer)), Some((0o755, 3)));
    }

    #[test]
    fn replacing_a_directory_with_a_file_drops_its_contents() {
        let mut fs = fs_with(&[("/d/a", Node::sized_file(1, 0o644))]);
        fs.write("/d", Node::sized_file(2, 0o644), (0, 0));
        assert!(!fs.exists("/d/a"));
        assert!(fs.get("/d").is_some_and(Node::is_file));
    }
}
