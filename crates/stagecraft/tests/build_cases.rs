//! Data-driven build cases: `test_data/build/<case>.txt` holds a Dockerfile, its context and
//! options (txtar-like sections); `<case>.expect` is the dump of what the simulation produced.
//! `UPDATE_EXPECT=1 cargo test --test build_cases` re-blesses the dumps after a reviewed change.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use stagecraft::report::{FileType, Report};
use stagecraft::context::{ContextEntry, EntryKind, FileData};
use stagecraft::{BuildContext, Simulation};

struct Case {
    dockerfile: String,
    context: BuildContext,
    build_args: BTreeMap<String, String>,
    target: Option<String>,
    strict: bool,
}

/// Sections: `-- Dockerfile --`, `-- context/<path> --` (content follows),
/// `-- context/<path> (size N) --` (a size-only file), `-- context/<path>/ --` (a directory),
/// `-- context/<path> (mode 0700) --` (a file, or with a trailing `/` a directory, with that mode),
/// `-- context/<path> (symlink TARGET) --`,
/// `-- context/<path> (tar) --` or `(tar.gz)`: an archive built from the lines of the body,
/// each `file PATH MODE CONTENT`, `dir PATH MODE` or `symlink PATH TARGET`,
/// `-- options --` with lines `target: X`, `arg: K=V`, `strict`.
fn parse_case(text: &str) -> Case {
    let mut case = Case { dockerfile: String::new(), context: BuildContext::new(), build_args: BTreeMap::new(), target: None, strict: false };
    let sections = common::sections(text);
    for (header, body) in sections {
        if header == "Dockerfile" {
            case.dockerfile = body;
        } else if header == "options" {
            for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match line.split_once(": ") {
                    Some(("target", t)) => case.target = Some(t.to_string()),
                    Some(("arg", kv)) => {
                        let (k, v) = kv.split_once('=').expect("arg: K=V");
                        case.build_args.insert(k.to_string(), v.to_string());
                    }
                    _ if line == "strict" => case.strict = true,
                    _ => panic!("unknown option line {line:?}"),
                }
            }
        } else if let Some(path) = header.strip_prefix("context/") {
            if let Some((p, size)) = path.split_once(" (size ") {
                let size: u64 = size.trim_end_matches(')').parse().expect("size N");
                case.context.add_sized_file(p, size);
            } else if let Some((p, mode)) = path.split_once(" (mode ") {
                let mode = u32::from_str_radix(mode.trim_end_matches(')'), 8).expect("mode in octal");
                let kind = match p.strip_suffix('/') {
                    Some(_) => EntryKind::Dir,
                    None => EntryKind::File(FileData::Bytes(body.into_bytes().into())),
                };
                case.context.insert(p, ContextEntry { kind, mode: Some(mode) });
            } else if let Some((p, target)) = path.split_once(" (symlink ") {
                case.context.add_symlink(p, target.trim_end_matches(')'));
            } else if let Some((p, kind)) = path.split_once(" (tar") {
                case.context.add_file(p, archive(&body, kind.starts_with(".gz")));
            } else if let Some(dir) = path.strip_suffix('/') {
                case.context.add_dir(dir);
            } else {
                case.context.add_file(path, body);
            }
        } else {
            panic!("unknown section {header:?}");
        }
    }
    case
}

/// A tar archive from `file PATH MODE CONTENT`, `dir PATH MODE`, `symlink PATH TARGET` lines.
fn archive(body: &str, gzip: bool) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.splitn(4, ' ').collect();
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_size(0);
        let mode = |s: &str| u32::from_str_radix(s, 8).expect("mode in octal");
        match parts.as_slice() {
            ["file", path, m, content] => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(mode(m));
                header.set_size(content.len() as u64);
                builder.append_data(&mut header, path, content.as_bytes()).expect("tar file");
            }
            ["dir", path, m] => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(mode(m));
                builder.append_data(&mut header, path, std::io::empty()).expect("tar dir");
            }
            ["symlink", path, target] => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(0o777);
                builder.append_link(&mut header, path, target).expect("tar symlink");
            }
            _ => panic!("bad archive line {line:?}"),
        }
    }
    let tar = builder.into_inner().expect("tar");
    if !gzip {
        return tar;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar).expect("gzip");
    gz.finish().expect("gzip")
}

/// A readable dump: stages, final image sizes and layers, files the Dockerfile wrote (base
/// image files are summarised by their top-level directories), config, diagnostics.
fn dump(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "target: {}", report.target.as_deref().unwrap_or("-"));
    for s in &report.stages {
        let state = if s.failed { "failed" } else if s.built { "built" } else { "not built" };
        let _ = writeln!(out, "stage {} {}: FROM {} ({state})", s.index, s.name.as_deref().unwrap_or("-"), s.base);
    }
    if let Some(img) = &report.image {
        let base = img.base.as_ref().map(|b| format!("{} {}", b.reference, if b.known { "known" } else { "estimated" }));
        let _ = writeln!(out, "image: {} bytes, base {}", img.size_bytes, base.as_deref().unwrap_or("scratch"));
        for l in &img.layers {
            let wasted = if l.wasted_bytes > 0 { format!(" (wastes {})", l.wasted_bytes) } else { String::new() };
            let _ = writeln!(out, "  layer line {} [{}] {} bytes: {}{wasted}", l.line, l.stage, l.size_bytes, l.instruction);
        }
        let from_lines: Vec<usize> = img.layers.iter().filter(|l| l.is_base).map(|l| l.line).collect();
        for f in &img.files {
            let from_base = f.line.is_some_and(|l| from_lines.contains(&l)) || f.line.is_none();
            if from_base && f.path.matches('/').count() > 1 {
                continue;
            }
            let kind = match f.file_type {
                FileType::File => String::new(),
                FileType::Dir => "/".to_string(),
                FileType::Symlink => format!(" -> {}", f.link_target.as_deref().unwrap_or("")),
            };
            let origin = if from_base { "base".to_string() } else { format!("line {}", f.line.unwrap_or(0)) };
            let content = match &f.content {
                Some(c) if !from_base && c.len() <= 60 => format!(" {c:?}"),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {}{kind} {:04o} {}:{} {}B ({origin}){content}", f.path, f.mode, f.uid, f.gid, f.size_bytes);
        }
        let c = &img.config;
        let _ = writeln!(out, "config: workdir={} user={:?}", c.workdir, c.user);
        for (k, v) in &c.env {
            let _ = writeln!(out, "  env {k}={v}");
        }
        if let Some(e) = &c.entrypoint {
            let _ = writeln!(out, "  entrypoint {e:?}");
        }
        if let Some(cmd) = &c.cmd {
            let _ = writeln!(out, "  cmd {cmd:?}");
        }
        for p in &c.exposed_ports {
            let _ = writeln!(out, "  expose {p}");
        }
        for (k, v) in &c.labels {
            let _ = writeln!(out, "  label {k}={v}");
        }
        if let Some(h) = &c.healthcheck {
            let _ = writeln!(out, "  healthcheck {:?}", h.test);
        }
    }
    for d in &report.diagnostics {
        let _ = writeln!(out, "{} {}:{} {}: {}", d.severity.as_str(), d.line, d.column, d.code, d.message);
    }
    out
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = parse_case(&text);
    let report = stagecraft::simulate(&Simulation {
        dockerfile: &case.dockerfile,
        dockerfile_name: None,
        context: &case.context,
        build_args: case.build_args.clone(),
        target: case.target.as_deref(),
        strict: case.strict,
    });
    let actual = dump(&report);
    common::expect(path, &actual)
}

#[test]
fn build_cases_match_their_dumps() {
    let cases = common::cases("build");
    assert!(cases.len() >= 10, "expected the build cases in test_data/build, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
