//! A representative root filesystem for a base image: not every file, but the directories
//! that hold its bytes and the small files a Dockerfile commonly touches.
//!
//! - The OS skeleton: top-level directories (`/tmp` 1777, `/root` 0700, …); `/bin`, `/sbin`,
//!   `/lib` as symlinks into `/usr` where the OS merged them.
//! - The data file's split of the image size: directories with `summary_bytes` and a few
//!   binaries (`/bin/busybox`, `/usr/bin/dash`, `/usr/local/bin/node`, …).
//! - Text files with real content: `/etc/passwd` and `/etc/group` (the OS's defaults plus
//!   the users the image adds), `/etc/os-release`; `/bin/sh` as the OS links it.
//! - Toolchain links and directories (`npm`, `python3`, `$GOPATH`), the WORKDIR, volumes and
//!   home directories the image's users own.
//!
//! `summary_bytes` counts the bytes under a directory that no deeper entry lists, so the
//! image size is the plain sum of all `summary_bytes` and file sizes. Text files take their
//! bytes from the directory that holds them, so the total stays exact.

use std::collections::BTreeMap;

use super::{os, ImageFacts, OsFamily};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseKind {
    /// A directory; `summary_bytes` stands for the files inside it that are not listed.
    Dir {
        summary_bytes: u64,
    },
    /// A file; `content` when its text is known.
    File {
        size: u64,
        content: Option<String>,
    },
    Symlink(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseEntry {
    /// Absolute, no trailing slash.
    pub path: String,
    pub kind: BaseKind,
    /// Permission bits, with setuid/setgid/sticky (`0o1777` for /tmp).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

impl BaseEntry {
    fn dir(path: &str, mode: u32) -> BaseEntry {
        BaseEntry {
            path: path.to_string(),
            kind: BaseKind::Dir { summary_bytes: 0 },
            mode,
            uid: 0,
            gid: 0,
        }
    }
    pub fn size(&self) -> u64 {
        match &self.kind {
            BaseKind::Dir { summary_bytes } => *summary_bytes,
            BaseKind::File { size, .. } => *size,
            BaseKind::Symlink(_) => 0,
        }
    }
}

/// Directories every Linux image has (those the OS merged into /usr become links).
const SKELETON: &[(&str, u32)] = &[
    ("/bin", 0o755),
    ("/dev", 0o755),
    ("/etc", 0o755),
    ("/home", 0o755),
    ("/lib", 0o755),
    ("/media", 0o755),
    ("/mnt", 0o755),
    ("/opt", 0o755),
    ("/proc", 0o755),
    ("/root", 0o700),
    ("/run", 0o755),
    ("/sbin", 0o755),
    ("/srv", 0o755),
    ("/sys", 0o755),
    ("/tmp", 0o1777),
    ("/usr", 0o755),
    ("/usr/bin", 0o755),
    ("/usr/lib", 0o755),
    ("/usr/local", 0o755),
    ("/usr/local/bin", 0o755),
    ("/usr/local/lib", 0o755),
    ("/usr/sbin", 0o755),
    ("/usr/share", 0o755),
    ("/var", 0o755),
    ("/var/cache", 0o755),
    ("/var/lib", 0o755),
    ("/var/log", 0o755),
    ("/var/tmp", 0o1777),
];

/// The BusyBox image's few directories.
const BUSYBOX_SKELETON: &[(&str, u32)] = &[
    ("/bin", 0o755),
    ("/dev", 0o755),
    ("/etc", 0o755),
    ("/home", 0o755),
    ("/lib", 0o755),
    ("/root", 0o700),
    ("/tmp", 0o1777),
    ("/usr", 0o755),
    ("/var", 0o755),
];

/// `path` made absolute, with `.`, `..` and empty components removed.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = vec![];
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Merged-/usr links: `/bin -> usr/bin` and friends.
const USR_LINKS: &[(&str, &str)] = &[
    ("/bin", "usr/bin"),
    ("/lib", "usr/lib"),
    ("/lib64", "usr/lib64"),
    ("/sbin", "usr/sbin"),
];

struct Tree {
    entries: BTreeMap<String, BaseEntry>,
}

impl Tree {
    /// Follows symlinked directories in `path` (`/bin/x` → `/usr/bin/x` when /bin links
    /// there), and cleans it: absolute, no `.`/`..`, no trailing slash.
    fn real_path(&self, path: &str) -> String {
        let mut path = clean(path);
        // Links point down into /usr, so a few hops suffice; the limit stops loops.
        for _ in 0..16 {
            let hop = path.match_indices('/').skip(1).find_map(|(i, _)| {
                let prefix = &path[..i];
                match self.entries.get(prefix).map(|e| &e.kind) {
                    Some(BaseKind::Symlink(target)) => {
                        let base = if target.starts_with('/') {
                            target.clone()
                        } else {
                            format!("{}/{target}", &prefix[..prefix.rfind('/').unwrap_or(0)])
                        };
                        Some(clean(&format!("{base}{}", &path[i..])))
                    }
                    _ => None,
                }
            });
            match hop {
                Some(next) => path = next,
                None => break,
            }
        }
        path
    }

    fn ensure_dir(&mut self, path: &str, mode: u32) -> String {
        let path = self.real_path(path);
        if path == "/" {
            return path;
        }
        if let Some(parent) = path
            .rfind('/')
            .map(|i| &path[..i])
            .filter(|p| !p.is_empty())
        {
            self.ensure_dir(parent, 0o755);
        }
        self.entries
            .entry(path.clone())
            .or_insert_with(|| BaseEntry::dir(&path, mode));
        path
    }

    fn insert(&mut self, entry: BaseEntry) {
        let path = self.real_path(&entry.path);
        if path == "/" {
            return;
        }
        if let Some(parent) = path
            .rfind('/')
            .map(|i| path[..i].to_string())
            .filter(|p| !p.is_empty())
        {
            self.ensure_dir(&parent, 0o755);
        }
        self.entries
            .insert(path.clone(), BaseEntry { path, ..entry });
    }

    fn add_bytes(&mut self, dir: &str, bytes: u64) {
        let path = self.ensure_dir(dir, 0o755);
        if let Some(BaseEntry {
            kind: BaseKind::Dir { summary_bytes },
            ..
        }) = self.entries.get_mut(&path)
        {
            *summary_bytes += bytes;
        }
    }

    /// Takes `bytes` from the deepest directory above `path` that has them, else from the
    /// largest directory, else from the largest binary (the BusyBox image is one binary plus
    /// these few text files).
    fn take_bytes(&mut self, path: &str, bytes: u64) {
        let mut dir = path.to_string();
        let from = loop {
            match dir.rfind('/') {
                Some(0) | None => break None,
                Some(i) => dir.truncate(i),
            }
            if self.entries.get(&dir).is_some_and(
                |e| matches!(e.kind, BaseKind::Dir { summary_bytes } if summary_bytes >= bytes),
            ) {
                break Some(dir.clone());
            }
        };
        let from = from.or_else(|| {
            self.entries
                .values()
                .filter(|e| match e.kind {
                    BaseKind::Dir { summary_bytes } => summary_bytes >= bytes,
                    BaseKind::File {
                        size,
                        content: None,
                    } => size >= bytes,
                    _ => false,
                })
                .max_by_key(|e| (matches!(e.kind, BaseKind::Dir { .. }), e.size()))
                .map(|e| e.path.clone())
        });
        match from
            .and_then(|f| self.entries.get_mut(&f))
            .map(|e| &mut e.kind)
        {
            Some(BaseKind::Dir { summary_bytes: n }) | Some(BaseKind::File { size: n, .. }) => {
                *n -= bytes
            }
            _ => {}
        }
    }

    /// A text file whose bytes come out of its directory's summary.
    fn text_file(&mut self, path: &str, content: String, mode: u32) {
        self.take_bytes(path, content.len() as u64);
        self.insert(BaseEntry {
            path: path.to_string(),
            kind: BaseKind::File {
                size: content.len() as u64,
                content: Some(content),
            },
            mode,
            uid: 0,
            gid: 0,
        });
    }

    fn symlink(&mut self, path: &str, target: &str) {
        self.insert(BaseEntry {
            path: path.to_string(),
            kind: BaseKind::Symlink(target.to_string()),
            mode: 0o777,
            uid: 0,
            gid: 0,
        });
    }
}

pub(super) fn filesystem(f: &ImageFacts) -> Vec<BaseEntry> {
    if f.os == OsFamily::Scratch {
        return vec![];
    }
    let mut t = Tree {
        entries: BTreeMap::new(),
    };
    let merged = os::merged_usr(f);
    if merged {
        for (link, target) in USR_LINKS {
            t.symlink(link, target);
        }
        t.ensure_dir("/usr/lib64", 0o755);
    }
    let skeleton = if f.os == OsFamily::Busybox {
        BUSYBOX_SKELETON
    } else {
        SKELETON
    };
    for (dir, mode) in skeleton {
        if !(merged && USR_LINKS.iter().any(|(l, _)| l == dir)) {
            t.ensure_dir(dir, *mode);
        }
    }

    // The size split, scaled if the caller replaced the size.
    let (dirs, files) = scaled_split(f);
    for (dir, bytes) in &dirs {
        t.add_bytes(dir, *bytes);
    }
    for (file, size) in &files {
        t.insert(BaseEntry {
            path: file.clone(),
            kind: BaseKind::File {
                size: *size,
                content: None,
            },
            mode: 0o755,
            uid: 0,
            gid: 0,
        });
    }

    if let Some((link, target)) = os::shell_link(f) {
        t.symlink(link, target);
    }
    if let Some(passwd) = os::base_passwd(f) {
        t.text_file("/etc/passwd", with_users(&passwd, f), 0o644);
    }
    if let Some(group) = os::base_group(f) {
        t.text_file("/etc/group", with_groups(&group, f), 0o644);
    }
    if let Some(release) = os::os_release(f) {
        if os::os_release_in_usr_lib(f) {
            t.text_file("/usr/lib/os-release", release, 0o644);
            t.symlink("/etc/os-release", "../usr/lib/os-release");
        } else {
            t.text_file("/etc/os-release", release, 0o644);
        }
    }
    toolchain(&mut t, f);

    for user in f.users.iter().filter(|u| u.home_created) {
        let path = t.ensure_dir(&user.home, 0o755);
        if let Some(e) = t.entries.get_mut(&path) {
            (e.uid, e.gid) = (user.uid, user.gid);
        }
    }
    for volume in &f.config.volumes {
        t.ensure_dir(volume, 0o755);
    }
    if let Some(workdir) = &f.config.workdir {
        t.ensure_dir(workdir, 0o755);
    }
    t.entries.into_values().collect()
}

/// Paths with sizes.
type Sized = Vec<(String, u64)>;

/// The data file's dirs and files, scaled to `size_bytes` if they do not add up to it.
fn scaled_split(f: &ImageFacts) -> (Sized, Sized) {
    let dir_sum: u64 = f.dirs.iter().map(|(_, b)| b).sum();
    let file_sum: u64 = f.files.iter().map(|(_, b)| b).sum();
    if dir_sum + file_sum == f.size_bytes {
        return (f.dirs.clone(), f.files.clone());
    }
    let scale = |items: &[(String, u64)], from: u64, to: u64| -> Sized {
        if from == 0 {
            return items.iter().map(|(k, _)| (k.clone(), 0)).collect();
        }
        let mut out: Sized = items
            .iter()
            .map(|(k, b)| (k.clone(), (*b as u128 * to as u128 / from as u128) as u64))
            .collect();
        let given: u64 = out.iter().map(|(_, b)| b).sum();
        if let Some(largest) = out.iter_mut().max_by_key(|(_, b)| *b) {
            largest.1 += to.saturating_sub(given);
        }
        out
    };
    if f.size_bytes >= file_sum && dir_sum > 0 {
        (
            scale(&f.dirs, dir_sum, f.size_bytes - file_sum),
            f.files.clone(),
        )
    } else if dir_sum == 0 && !f.dirs.is_empty() {
        (f.dirs.clone(), scale(&f.files, file_sum, f.size_bytes))
    } else if dir_sum + file_sum == 0 {
        // No split known: everything in /usr.
        (vec![("/usr".to_string(), f.size_bytes)], vec![])
    } else {
        let total = dir_sum + file_sum;
        let dirs = scale(
            &f.dirs,
            total,
            (f.size_bytes as u128 * dir_sum as u128 / total as u128) as u64,
        );
        let d: u64 = dirs.iter().map(|(_, b)| b).sum();
        (
            dirs,
            scale(&f.files, file_sum, f.size_bytes - d.min(f.size_bytes)),
        )
    }
}

fn field(line: &str, i: usize) -> Option<&str> {
    line.split(':').nth(i)
}

/// The OS's passwd with the image's users: an image user replaces an OS user with the same
/// name or uid (gradle renames Ubuntu's `ubuntu`), the rest are appended in order.
fn with_users(base: &str, f: &ImageFacts) -> String {
    let mut out = String::new();
    for line in base.lines() {
        let replaced = f.users.iter().any(|u| {
            field(line, 0) == Some(u.name.as_str())
                || field(line, 2) == Some(u.uid.to_string().as_str())
        });
        if !replaced {
            out.push_str(line);
            out.push('\n');
        }
    }
    for u in &f.users {
        out.push_str(&format!(
            "{}:x:{}:{}:{}:{}:{}\n",
            u.name, u.uid, u.gid, u.gecos, u.home, u.shell
        ));
    }
    out
}

fn with_groups(base: &str, f: &ImageFacts) -> String {
    let mut out = String::new();
    for line in base.lines() {
        let replaced = f.groups.iter().any(|g| {
            field(line, 0) == Some(g.name.as_str())
                || field(line, 2) == Some(g.gid.to_string().as_str())
        });
        if !replaced {
            out.push_str(line);
            out.push('\n');
        }
    }
    for g in &f.groups {
        out.push_str(&format!("{}:x:{}:\n", g.name, g.gid));
    }
    out
}

/// Links and directories the official images' Dockerfiles create next to their toolchains.
fn toolchain(t: &mut Tree, f: &ImageFacts) {
    let has_file = |p: &str| f.files.iter().any(|(path, _)| path == p);
    if has_file("/usr/local/bin/node") {
        // The node tarball's npm/npx links, and the image's `nodejs` link.
        t.symlink(
            "/usr/local/bin/npm",
            "../lib/node_modules/npm/bin/npm-cli.js",
        );
        t.symlink(
            "/usr/local/bin/npx",
            "../lib/node_modules/npm/bin/npx-cli.js",
        );
        t.symlink("/usr/local/bin/nodejs", "/usr/local/bin/node");
        if let Some(yarn) = f.config.env_var("YARN_VERSION") {
            t.symlink(
                "/usr/local/bin/yarn",
                &format!("/opt/yarn-v{yarn}/bin/yarn"),
            );
            t.symlink(
                "/usr/local/bin/yarnpkg",
                &format!("/opt/yarn-v{yarn}/bin/yarnpkg"),
            );
        }
    }
    if let Some(v) = f.config.env_var("PYTHON_VERSION") {
        let minor: Vec<&str> = v.split('.').take(2).collect();
        let python = format!("python{}", minor.join("."));
        // `make install` links python3 to the versioned binary; the image adds `python`,
        // `pip`, `pydoc`, `idle` and `python-config` without the 3.
        t.symlink("/usr/local/bin/python3", &python);
        t.symlink("/usr/local/bin/python", "python3");
        t.symlink("/usr/local/bin/pip", "pip3");
    }
    if let Some(gopath) = f.config.env_var("GOPATH") {
        // golang: `mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH"`.
        for dir in [
            gopath.to_string(),
            format!("{gopath}/bin"),
            format!("{gopath}/src"),
        ] {
            let path = t.ensure_dir(&dir, 0o1777);
            if let Some(e) = t.entries.get_mut(&path) {
                e.mode = 0o1777;
            }
        }
    }
    if let Some(cargo) = f.config.env_var("CARGO_HOME") {
        t.ensure_dir(&format!("{cargo}/bin"), 0o777);
    }
    if let Some(gems) = f.config.env_var("GEM_HOME") {
        // ruby: `mkdir "$GEM_HOME" && chmod 1777 "$GEM_HOME"`.
        let path = t.ensure_dir(gems, 0o1777);
        if let Some(e) = t.entries.get_mut(&path) {
            e.mode = 0o1777;
        }
    }
}
