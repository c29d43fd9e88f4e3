//! `tar` (extract and create) and `unzip`. An archive whose bytes are known (a tar or
//! tar.gz copied from the context) is unpacked member by member with `crate::archive`;
//! otherwise its contents become a directory of the estimated unpacked size, named after the
//! archive, with a note.

use crate::archive::{self, ArchiveEntryKind};
use crate::vfs::{self, Node};

use super::super::session::{Lookup, Session, Status, Stream};
use super::langdata::{self, fact};
use super::produce::{self, estimated, mb};
use super::read_input;

#[derive(Default)]
struct TarArgs {
    extract: bool,
    create: bool,
    list: bool,
    file: Option<String>,
    dir: Option<String>,
    strip: usize,
    compressed: bool,
    no_same_owner: bool,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Result<TarArgs, String> {
    let mut t = TarArgs::default();
    let mut i = 0;
    let mut rest: Vec<String> = args.to_vec();
    // Old style: `tar xzf file.tgz` (the first word is a bundle of letters without a dash).
    if let Some(first) = rest.first().cloned() {
        if !first.starts_with('-') && first.chars().all(|c| c.is_ascii_alphabetic()) && first.chars().any(|c| matches!(c, 'x' | 'c' | 't')) {
            rest[0] = format!("-{first}");
        }
    }
    while i < rest.len() {
        let a = rest[i].clone();
        i += 1;
        if let Some(l) = a.strip_prefix("--") {
            let (key, val) = match l.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (l, None),
            };
            let mut take = |val: Option<String>| -> Result<String, String> {
                match val {
                    Some(v) => Ok(v),
                    None if i < rest.len() => {
                        i += 1;
                        Ok(rest[i - 1].clone())
                    }
                    None => Err(format!("option '--{key}' requires an argument")),
                }
            };
            match key {
                "extract" | "get" => t.extract = true,
                "create" => t.create = true,
                "list" => t.list = true,
                "file" => t.file = Some(take(val)?),
                "directory" => t.dir = Some(take(val)?),
                "strip-components" => t.strip = take(val)?.parse().unwrap_or(0),
                "gzip" | "gunzip" | "bzip2" | "xz" | "zstd" | "auto-compress" | "lzma" => t.compressed = true,
                "no-same-owner" => t.no_same_owner = true,
                "exclude" | "transform" | "owner" | "group" | "mode" | "mtime" | "sort" | "format" | "use-compress-program" | "wildcards-match-slash" => {
                    if val.is_none() && !matches!(key, "wildcards-match-slash") {
                        take(None)?;
                    }
                }
                _ => {}
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            for (k, c) in chars.iter().enumerate() {
                match c {
                    'x' => t.extract = true,
                    'c' => t.create = true,
                    't' => t.list = true,
                    'z' | 'j' | 'J' | 'a' | 'Z' => t.compressed = true,
                    'o' => t.no_same_owner = true,
                    'f' | 'C' => {
                        let tail: String = chars[k + 1..].iter().collect();
                        let v = if !tail.is_empty() {
                            tail
                        } else if i < rest.len() {
                            i += 1;
                            rest[i - 1].clone()
                        } else {
                            return Err(format!("option requires an argument -- '{c}'"));
                        };
                        if *c == 'f' {
                            t.file = Some(v);
                        } else {
                            t.dir = Some(v);
                        }
                        break;
                    }
                    _ => {}
                }
            }
            continue;
        }
        t.operands.push(a);
    }
    Ok(t)
}

pub fn tar(args: &[String], s: &mut Session) -> Status {
    let t = match parse(&args[1..]) {
        Ok(t) => t,
        Err(e) => return s.fail("tar", &e, 2),
    };
    if t.create {
        return create(s, &t);
    }
    if !t.extract {
        if t.list {
            produce::unknown_output(s);
        }
        return 0;
    }
    let file = t.file.clone().unwrap_or_else(|| "-".to_string());
    if file != "-" && matches!(s.lookup(&file, true), Lookup::Missing { .. }) {
        if let Some(st) = produce::missing_input(s, "tar", &file, &format!("{file}: Cannot open: No such file or directory"), 2) {
            return st;
        }
        let dest = produce::place(s, t.dir.as_deref().unwrap_or("."));
        return placeholder(s, "tar -x", &t, &dest, &file, None, "it is not in the simulated filesystem");
    }
    let data = match read_input(s, "tar", &file) {
        Ok(d) => d,
        Err(st) => return st,
    };
    let dest = produce::place(s, t.dir.as_deref().unwrap_or("."));
    if data.is_known() {
        match archive::read_tar(&data.bytes) {
            Ok(entries) => return unpack(s, &t, &dest, entries),
            Err(e) if archive::detect(&data.bytes) == archive::ArchiveKind::NotArchive => {
                return s.fail("tar", &format!("{file}: This does not look like a tar archive ({e})"), 2);
            }
            Err(e) => {
                let size = data.bytes.len() as u64;
                return placeholder(s, "tar -x", &t, &dest, &file, Some(size), &format!("its content could not be read ({e})"));
            }
        }
    }
    let size = (!data.opaque).then_some(data.len());
    placeholder(s, "tar -x", &t, &dest, &file, size, "its content is not known")
}

fn unpack(s: &mut Session, t: &TarArgs, dest: &str, entries: Vec<archive::ArchiveEntry>) -> Status {
    let as_root = s.uid == 0 && !t.no_same_owner;
    for e in entries {
        let parts: Vec<&str> = e.path.split('/').filter(|p| !p.is_empty()).collect();
        if parts.len() <= t.strip && !(parts.is_empty() && t.strip == 0) {
            continue;
        }
        let rel = parts[t.strip.min(parts.len())..].join("/");
        let path = if rel.is_empty() { dest.to_string() } else { vfs::join(dest, &rel) };
        let owner = if as_root { (e.uid as u32, e.gid as u32) } else { s.owner() };
        let mut node = match &e.kind {
            ArchiveEntryKind::File(data) => {
                Node::file(data.clone(), e.mode)
            }
            ArchiveEntryKind::Dir => Node::dir(e.mode),
            ArchiveEntryKind::Symlink(target) => Node::symlink(target),
            ArchiveEntryKind::Hardlink(target) => {
                let parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
                let rel = parts[t.strip.min(parts.len())..].join("/");
                match s.fs.get(&vfs::join(dest, &rel)) {
                    Some(n) => n.clone(),
                    None => continue,
                }
            }
            ArchiveEntryKind::Special(_) => continue,
        };
        (node.uid, node.gid) = owner;
        if node.is_dir() && s.fs.get(&path).is_some_and(Node::is_dir) {
            s.fs.update(&path, |n| {
                n.mode = node.mode;
                (n.uid, n.gid) = owner;
            });
        } else {
            let parent_owner = s.owner();
            s.fs.write(&path, node, parent_owner);
        }
    }
    0
}

/// An archive that cannot be read: a directory of its estimated unpacked size.
fn placeholder(s: &mut Session, tool: &str, t: &TarArgs, dest: &str, file: &str, size: Option<u64>, why: &str) -> Status {
    let compressed = t.compressed || [".gz", ".tgz", ".xz", ".txz", ".bz2", ".tbz2", ".zst", ".tzst"].iter().any(|e| file.ends_with(e));
    let ratio = if compressed { fact("archive.unpack.ratio") } else { 1.0 };
    let packed = size.unwrap_or_else(|| langdata::bytes("fetch.default"));
    let unpacked = (packed as f64 * ratio) as u64;
    let name = if file == "-" { "archive".to_string() } else { stem(vfs::file_name(file)) };
    let dir = vfs::join(dest, &name);
    produce::put_dir(s, &dir, unpacked);
    let from = if file == "-" { "its input".to_string() } else { format!("`{file}`") };
    let sized = match size {
        Some(n) => format!("{} packed", mb(n)),
        None => format!("size not known, taken as {} packed ({})", mb(packed), langdata::source("fetch.default")),
    };
    let ratio_note = if compressed { format!(" × {ratio} unpacked ({})", langdata::source("archive.unpack.ratio")) } else { String::new() };
    let strip = if t.strip > 0 { format!(" (--strip-components={} not applied)", t.strip) } else { String::new() };
    estimated(s, format!("`{tool}` of {from}: {why}; its members are not known, so {dir} stands for them{strip}: {}, from {sized}{ratio_note}", mb(unpacked)));
    0
}

/// `node-v20.1.0-linux-x64.tar.xz` → `node-v20.1.0-linux-x64`.
fn stem(name: &str) -> String {
    let mut n = name.to_string();
    for ext in [".gz", ".xz", ".bz2", ".zst", ".tgz", ".txz", ".tbz2", ".tzst", ".tar", ".zip", ".jar"] {
        if let Some(x) = n.strip_suffix(ext) {
            n = x.to_string();
        }
    }
    if n.is_empty() {
        "archive".to_string()
    } else {
        n
    }
}

/// `tar -c[z]f OUT PATHS…`: the archive's size from what it holds.
fn create(s: &mut Session, t: &TarArgs) -> Status {
    let base = produce::place(s, t.dir.as_deref().unwrap_or("."));
    let mut total = 0u64;
    for op in &t.operands {
        let p = vfs::join(&base, op);
        total += s.fs.subtree(&p).map(|(_, n)| n.size()).sum::<u64>();
    }
    let size = if t.compressed { (total as f64 / fact("archive.unpack.ratio")) as u64 } else { total };
    match t.file.as_deref() {
        Some("-") | None => s.io.stdout.append(&Stream { bytes: Vec::new(), unknown: size, opaque: false }),
        Some(f) => {
            let mode = s.new_mode(false);
            produce::put_file(s, f, size, mode);
            if t.compressed {
                estimated(s, format!("`tar -c`: {f} holds {} of files, compressed to an estimated {} ({})", mb(total), mb(size), langdata::source("archive.unpack.ratio")));
            }
        }
    }
    0
}

/// `unzip [-q] [-o] FILE [-d DIR]`: zip members are not read; a directory of the estimated size.
pub fn unzip(args: &[String], s: &mut Session) -> Status {
    let mut file = None;
    let mut dir = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-d" {
            dir = args.get(i + 1).cloned();
            i += 1;
        } else if a.starts_with('-') {
            if a == "-l" || a == "-v" || a == "-t" || a == "-Z" {
                produce::unknown_output(s);
                return 0;
            }
        } else if file.is_none() {
            file = Some(a.clone());
        }
        i += 1;
    }
    let Some(file) = file else { return s.fail("unzip", "missing archive name", 10) };
    let size = match s.lookup(&file, true) {
        Lookup::Found { node, .. } if node.is_file() => Some(node.size()),
        Lookup::Missing { .. } => {
            return s.fail("unzip", &format!("cannot find or open {file}, {file}.zip or {file}.ZIP."), 9);
        }
        _ => None,
    };
    let dest = produce::place(s, dir.as_deref().unwrap_or("."));
    let t = TarArgs { compressed: true, ..TarArgs::default() };
    placeholder(s, "unzip", &t, &dest, &file, size, "zip members are not read by the simulator")
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::{CommandForm, Spanned};
    use crate::shell::{run, ShellEnv};
    use crate::vfs::{Fs, Node};

    fn tarball() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut add = |path: &str, data: &[u8], mode: u32| {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(mode);
            h.set_uid(1000);
            h.set_gid(1000);
            h.set_cksum();
            b.append_data(&mut h, path, data).expect("in-memory tar");
        };
        add("pkg-1.0/bin/tool", b"#!/bin/sh\necho tool\n", 0o755);
        add("pkg-1.0/README", b"hello\n", 0o644);
        b.into_inner().expect("in-memory tar")
    }

    #[test]
    fn a_known_archive_unpacks_member_by_member() {
        let mut fs = Fs::new();
        fs.write("/src/pkg.tar", Node::file(tarball(), 0o644), (0, 0));
        fs.open_layer(1);
        let cmd = CommandForm::Shell(Spanned { value: "tar -xf /src/pkg.tar -C /opt --strip-components=1 && /opt/bin/tool > /out".into(), span: Default::default() });
        let outcome = run(&cmd, &[], &ShellEnv::default(), &mut fs);
        assert_eq!(outcome.status, 0, "{outcome:?}");
        assert!(!outcome.uncertain, "{outcome:?}");
        let tool = fs.get("/opt/bin/tool").expect("unpacked");
        assert_eq!((tool.mode, tool.uid, tool.gid), (0o755, 1000, 1000));
        assert_eq!(fs.get("/opt/README").and_then(|n| n.content()), Some(&b"hello\n"[..]));
        assert_eq!(fs.get("/out").and_then(|n| n.content()), Some(&b"tool\n"[..]));
    }
}
