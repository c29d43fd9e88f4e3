//! What the language and build models share: placing estimated outputs in the tree, reading
//! manifests the Dockerfile copied in, and saying what was estimated.
//!
//! An estimated output is a directory whose contents are not listed (`summary_bytes`), or a
//! file known only by its size. Either way the RUN is marked uncertain and tainted: files the
//! real tool writes and we do not list (entry points, metadata) may exist.

use crate::diagnostics::Severity;
use crate::vfs::{self, Node, NodeKind};

use super::super::session::{Lookup, Session};

/// Records an estimate: one `info` note naming what was assumed and from which facts.
pub fn estimated(s: &mut Session, message: String) {
    s.uncertain = true;
    s.tainted = true;
    s.note(Severity::Info, "RunEstimated", message);
}

/// An absolute path for `path` (relative to the working directory), symlinks resolved where
/// the tree knows them.
pub fn place(s: &Session, path: &str) -> String {
    let abs = s.abs(path);
    s.fs.resolve(&abs, true).unwrap_or(abs)
}

/// A directory holding `bytes` of contents not listed one by one, owned by the RUN's user.
pub fn put_dir(s: &mut Session, path: &str, bytes: u64) {
    let path = place(s, path);
    let mut node = Node::dir(s.new_mode(true));
    node.kind = NodeKind::Dir { summary_bytes: bytes };
    (node.uid, node.gid) = s.owner();
    let owner = s.owner();
    s.fs.write(&path, node, owner);
}

/// A file known only by its size.
pub fn put_file(s: &mut Session, path: &str, bytes: u64, mode: u32) {
    let path = place(s, path);
    let mut node = Node::sized_file(bytes, mode);
    (node.uid, node.gid) = s.owner();
    let owner = s.owner();
    s.fs.write(&path, node, owner);
}

/// A file with known text.
pub fn put_text(s: &mut Session, path: &str, text: &str, mode: u32) {
    let path = place(s, path);
    let mut node = Node::file(text.as_bytes().to_vec(), mode);
    (node.uid, node.gid) = s.owner();
    let owner = s.owner();
    s.fs.write(&path, node, owner);
}

/// What a manifest file holds, as far as the simulation knows.
pub enum Manifest {
    Text(String),
    /// Present, content unknown (a context file given only by size, or written by a tool).
    Opaque,
    Missing,
}

pub fn read_manifest(s: &Session, path: &str) -> Manifest {
    match s.lookup(path, true) {
        Lookup::Found { node, .. } if node.is_file() => match node.content() {
            Some(c) => Manifest::Text(String::from_utf8_lossy(c).into_owned()),
            None => Manifest::Opaque,
        },
        Lookup::Found { .. } | Lookup::Unknown { .. } => Manifest::Opaque,
        Lookup::Missing { .. } => Manifest::Missing,
    }
}

pub fn exists(s: &Session, path: &str) -> bool {
    matches!(s.lookup(path, true), Lookup::Found { .. })
}

/// The image's OS `ID` from /etc/os-release; without a readable one, `alpine` where
/// /etc/alpine-release exists.
pub fn os_id(s: &Session) -> Option<String> {
    match read_manifest(s, "/etc/os-release") {
        Manifest::Text(_) => crate::ospkg::state::os_release(s.fs).0,
        _ => exists(s, "/etc/alpine-release").then(|| "alpine".to_string()),
    }
}

/// `$HOME`, as the RUN sees it.
pub fn home(s: &Session) -> String {
    s.var("HOME").filter(|h| h.starts_with('/')).unwrap_or("/root").to_string()
}

/// Files with known sizes under `dir` whose names end with `suffix`: their count and bytes.
pub fn files_under(s: &Session, dir: &str, suffix: &str) -> (u64, u64) {
    let dir = place(s, dir);
    let mut n = 0;
    let mut bytes = 0;
    for (p, node) in s.fs.subtree(&dir) {
        if node.is_file() && p.ends_with(suffix) {
            n += 1;
            bytes += node.size();
        }
    }
    (n, bytes)
}

/// Whether an environment variable is set to something that means yes.
pub fn env_true(s: &Session, name: &str) -> bool {
    s.var(name).is_some_and(|v| !v.is_empty() && !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no"))
}

/// Names, shortened for a note: `a, b, c and 4 more`.
pub fn list(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    }
}

pub fn mb(bytes: u64) -> String {
    crate::report::human_size(bytes)
}

/// The last component of a path or URL, without a query string.
pub fn url_file_name(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url).trim_end_matches('/');
    vfs::file_name(url).to_string()
}

/// A command whose output the simulator does not know (`go version`, `git rev-parse`): what
/// the script decides from it is uncertain, so a later failure is not taken as certain.
pub fn unknown_output(s: &mut Session) {
    s.io.stdout.opaque = true;
    s.tainted = true;
    s.uncertain = true;
}

/// An input file a model needs is certainly missing: the tool fails, unless something
/// earlier in this RUN was assumed (then a real build may have the file: noted, not failed).
pub fn missing_input(s: &mut Session, tool: &str, path: &str, message: &str, status: super::super::session::Status) -> Option<super::super::session::Status> {
    if s.uncertain {
        s.assume(format!("`{tool}`: {path} is not in the simulated filesystem, but something earlier in this RUN was assumed, so it may exist in a real build"));
        None
    } else {
        Some(s.fail(tool, message, status))
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::CommandForm;
    use crate::shell::{run, ShellEnv};
    use crate::vfs::{Fs, Node};

    /// Odd arguments (unicode after a dash, lone dashes, empty words, missing values) never
    /// make a model panic.
    #[test]
    fn models_never_panic_on_odd_arguments() {
        let commands = [
            "pip", "pip3", "python", "npm", "yarn", "pnpm", "go", "cargo", "javac", "jar", "mvn", "./gradlew", "gem", "bundle", "composer", "dotnet", "gcc",
            "make", "curl", "wget", "git", "tar", "unzip", "useradd", "adduser", "groupadd", "addgroup", "usermod",
        ];
        let words = [
            "", "-", "--", "-é", "-éx", "--é=", "=", "install", "ci", "build", "clone", "-r", "-o", "-O", "-t", "-u", "-g", "-G", "-aG", "-d", "-C", "-f", "-x",
            "-xzf", "xzf", "--target", "--release", "-m", "venv", "pip", "package", "mod", "download", "run", "x", "/", ".", "..", "a.tar.gz", "ü", "-uü",
            "-Gé", "--strip-components=é", "--uid=x", "@", "a@b", "-p:x", "--omit", "dev",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..4000 {
            let mut argv = vec![commands[(next() % commands.len() as u64) as usize].to_string()];
            for _ in 0..(next() % 6) {
                argv.push(words[(next() % words.len() as u64) as usize].to_string());
            }
            let mut fs = Fs::new();
            fs.write("/etc/passwd", Node::file(&b"root:x:0:0:root:/root:/bin/sh\n"[..], 0o644), (0, 0));
            fs.write("/etc/group", Node::file(&b"root:x:0:\n"[..], 0o644), (0, 0));
            fs.write("/a.tar.gz", Node::file(&b"\x1f\x8b\x08garbage"[..], 0o644), (0, 0));
            fs.write("/package.json", Node::file(&b"{\"dependencies\":{\"x\":1}}"[..], 0o644), (0, 0));
            fs.write("/Makefile", Node::file(&b"all: x\nx: all\n\t$(CC) $@ $<\n"[..], 0o644), (0, 0));
            fs.open_layer(1);
            let _ = run(&CommandForm::Exec(argv), &[], &ShellEnv::default(), &mut fs);
        }
    }
}
