//! BuildKit's semantic conformance cases (`../shared/corpus/buildkit/semantic/*.toml`, derived
//! from moby/buildkit's Dockerfile integration tests; the format is in that directory's
//! README.md). Each case is a Dockerfile, a build context and what the build must produce.
//! `check` builds one case and compares; the test runs them all and prints a table of the
//! outcome: passed, failed, or skipped (with the reason, from `SKIP`). Every case not in `SKIP`
//! must pass.
//!
//! Hard links: the simulator has no inodes and models a hard link as a copy, so
//! `[expect.hardlinks]` is checked as "both paths are regular files with equal content".

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use stagecraft::context::{ContextEntry, EntryKind, FileData};
use stagecraft::pathmatch::glob_match;
use stagecraft::vfs::{Fs, Node, NodeKind};
use stagecraft::{BuildContext, Report, Severity, Simulation};
use toml::{Table, Value};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/buildkit/semantic");

/// The least number of cases that must pass, so the test cannot pass by finding no cases.
/// Raise it when cases move out of `SKIP`.
const MIN_CHECKED: usize = 72;

/// Cases a simulator cannot run at all, with the reason.
const SKIP: &[(&str, &str)] = &[
    ("testExportMultiPlatform", "multi-platform export (platform=windows/amd64,linux/arm,linux/s390x): the simulator builds one platform"),
    ("testTarExporterMulti__2", "multi-platform export (platform=linux/amd64,darwin/amd64): the simulator builds one platform"),
    ("testNamedImageContextScratch", "named context (context:busybox=docker-image://scratch): not an input the simulator takes"),
    ("testNamedLocalContext", "named context (context:base=local:basedir): not an input the simulator takes"),
    ("testLocalCustomSessionID", "named context (context:base=local:basedir): not an input the simulator takes"),
    (
        "testDockerfileInvalidCommand",
        "needs the image's full PATH: `RUN invalidcmd` fails in busybox with exit 127, but the catalog lists only some of an image's files, so the simulator cannot know a command is absent; it reports `no model for invalidcmd` instead",
    ),
    (
        "testErrorsSourceMap__6",
        "needs a registry: COPY --from=invalid fails only because no image `invalid` can be pulled; the simulator treats an unknown image as an estimate (a warning), it cannot know the image does not exist",
    ),
];

#[derive(Debug)]
enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

#[test]
fn buildkit_semantic_cases() {
    let files = case_files();
    let names: Vec<String> = files.iter().map(|p| case_name(p)).collect();
    for (name, _) in SKIP {
        assert!(names.iter().any(|n| n == name), "{name} is listed in SKIP but is not in the corpus");
    }

    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    for (path, name) in files.iter().zip(&names) {
        let outcome = if let Some((_, why)) = SKIP.iter().find(|(n, _)| n == name) {
            Outcome::Skipped(why)
        } else {
            let result = std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|text| check(&text));
            match result {
                Ok(()) => Outcome::Passed,
                Err(e) => Outcome::Failed(e),
            }
        };
        outcomes.push((name.clone(), outcome));
    }

    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let passed = count(|o| matches!(o, Outcome::Passed));
    let failed = count(|o| matches!(o, Outcome::Failed(_)));
    let skipped = count(|o| matches!(o, Outcome::Skipped(_)));

    let mut report = String::new();
    for (name, o) in &outcomes {
        match o {
            Outcome::Passed => {}
            Outcome::Failed(e) => report.push_str(&format!("FAIL {name}\n{}\n", indent(e))),
            Outcome::Skipped(why) => report.push_str(&format!("skip {name}: {why}\n")),
        }
    }
    report.push_str(&format!(
        "{} cases: {passed} passed, {failed} failed, {skipped} skipped\n",
        outcomes.len()
    ));
    let _ = std::io::stdout().write_all(report.as_bytes());

    // The report is on stdout, which the test harness shows when the test fails.
    assert!(failed == 0, "{failed} semantic case(s) failed: see the report above");
    assert!(passed >= MIN_CHECKED, "only {passed} cases passed, expected at least {MIN_CHECKED}");
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("reading {CORPUS}: {e}"))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn case_name(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Builds one case and compares the result with its `[expect]`.
fn check(text: &str) -> Result<(), String> {
    let case: Table = text.parse().map_err(|e| format!("bad TOML: {e}"))?;
    let unsupported = unsupported_inputs(&case);
    if !unsupported.is_empty() {
        return Err(format!("needs {}: list it in SKIP with the reason", unsupported.join(", ")));
    }
    let dockerfile = str_at(&case, "dockerfile").unwrap_or_default();
    let (context, context_bytes) = build_context(&case, dockerfile)?;
    let build_args: BTreeMap<String, String> = table_at(&case, "build_args")
        .map(|t| t.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default();
    let target = str_at(&case, "target").filter(|t| !t.is_empty());
    let report = stagecraft::simulate(&Simulation {
        dockerfile,
        dockerfile_name: str_at(&case, "dockerfile_path"),
        context: &context,
        build_args,
        target,
        strict: true,
    });
    let expect = table_at(&case, "expect").ok_or("no [expect]")?;
    let mut problems = Vec::new();
    check_error(&report, expect, &mut problems);
    if problems.is_empty() && !has_file_checks(expect) {
        return Ok(());
    }
    match target_fs(&report) {
        Some(fs) => check_files(fs, expect, &context_bytes, &mut problems),
        None if has_file_checks(expect) => problems.push("the target stage was not built, so no file can be checked".into()),
        None => {}
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.push(format!("diagnostics:\n{}", diagnostics(&report)));
        Err(problems.join("\n"))
    }
}

/// Inputs the simulator does not take; such a case must be in `SKIP`.
fn unsupported_inputs(case: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if str_at(case, "request").is_some() {
        out.push(format!("a {} request", str_at(case, "request").unwrap_or_default()));
    }
    if case.contains_key("named_contexts") {
        out.push("named contexts".into());
    }
    if let Some(attrs) = table_at(case, "frontend_attrs") {
        for (k, v) in attrs {
            let v = v.as_str().unwrap_or_default();
            if k.starts_with("context:") {
                out.push(format!("a named context ({k}={v})"));
            } else if k == "platform" && v.contains(',') {
                out.push(format!("a multi-platform build ({v})"));
            } else if k != "platform" || v != "linux/amd64" {
                out.push(format!("frontend attribute {k}={v}"));
            }
        }
    }
    let sockets = table_at(case, "context").into_iter().flatten().filter(|(_, v)| v.as_str() == Some("<socket>"));
    for (path, _) in sockets {
        out.push(format!("a unix socket in the context ({path})"));
    }
    out
}

fn str_at<'a>(t: &'a Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Value::as_str)
}

fn table_at<'a>(t: &'a Table, key: &str) -> Option<&'a Table> {
    t.get(key).and_then(Value::as_table)
}

fn strings_at(t: &Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn parse_mode(text: &str) -> Result<u32, String> {
    u32::from_str_radix(text, 8).map_err(|_| format!("bad mode {text:?}"))
}

/// The context from `[context]` and `[context_modes]`, and the bytes of every file (for
/// `<context:PATH>`).
fn build_context(case: &Table, dockerfile: &str) -> Result<(BuildContext, BTreeMap<String, Vec<u8>>), String> {
    let modes = table_at(case, "context_modes");
    let mode_of = |path: &str| -> Result<Option<u32>, String> {
        modes.and_then(|m| m.get(path)).and_then(Value::as_str).map(parse_mode).transpose()
    };
    let mut context = BuildContext::new();
    let mut bytes = BTreeMap::new();
    for (path, value) in table_at(case, "context").into_iter().flatten() {
        let file = |data: Vec<u8>, bytes: &mut BTreeMap<String, Vec<u8>>| -> Result<ContextEntry, String> {
            bytes.insert(path.clone(), data.clone());
            Ok(ContextEntry { kind: EntryKind::File(FileData::Bytes(data.into())), mode: Some(mode_of(path)?.unwrap_or(0o600)) })
        };
        let entry = match value {
            Value::String(s) if s == "<dockerfile>" => file(dockerfile.as_bytes().to_vec(), &mut bytes)?,
            Value::String(s) if s == "<dir>" => ContextEntry { kind: EntryKind::Dir, mode: Some(mode_of(path)?.unwrap_or(0o700)) },
            Value::String(s) if s.starts_with("<symlink:") && s.ends_with('>') => {
                ContextEntry { kind: EntryKind::Symlink(s["<symlink:".len()..s.len() - 1].to_string()), mode: None }
            }
            Value::String(s) if s.starts_with('<') && s.ends_with('>') => return Err(format!("unknown context value {s} for {path}")),
            Value::String(s) => file(s.as_bytes().to_vec(), &mut bytes)?,
            Value::Table(t) => file(archive(t)?, &mut bytes)?,
            other => return Err(format!("unknown context value {other} for {path}")),
        };
        context.insert(path, entry);
    }
    Ok((context, bytes))
}

/// A tar (or gzipped tar) archive built from `{ archive, entries }`.
fn archive(t: &Table) -> Result<Vec<u8>, String> {
    let io = |e: std::io::Error| e.to_string();
    let mut builder = tar::Builder::new(Vec::new());
    for entry in t.get("entries").and_then(Value::as_array).into_iter().flatten() {
        let e = entry.as_table().ok_or("archive entry is not a table")?;
        let path = str_at(e, "path").ok_or("archive entry without path")?;
        let mode = str_at(e, "mode").map(parse_mode).transpose()?.unwrap_or(0o644);
        let content = str_at(e, "content").unwrap_or_default().as_bytes();
        let mut header = tar::Header::new_gnu();
        header.set_mode(mode);
        header.set_mtime(0);
        header.set_size(0);
        match str_at(e, "type").unwrap_or("file") {
            "file" => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(content.len() as u64);
                builder.append_data(&mut header, path, content).map_err(io)?;
            }
            "dir" => {
                header.set_entry_type(tar::EntryType::Directory);
                builder.append_data(&mut header, path, std::io::empty()).map_err(io)?;
            }
            kind @ ("symlink" | "hardlink") => {
                let link = str_at(e, "linkname").ok_or("link entry without linkname")?;
                header.set_entry_type(if kind == "symlink" { tar::EntryType::Symlink } else { tar::EntryType::Link });
                builder.append_link(&mut header, path, link).map_err(io)?;
            }
            other => return Err(format!("unknown archive entry type {other}")),
        }
    }
    let tar = builder.into_inner().map_err(io)?;
    match str_at(t, "archive") {
        Some("tar") => Ok(tar),
        Some("tar.gz") => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&tar).map_err(io)?;
            gz.finish().map_err(io)
        }
        other => Err(format!("unknown archive kind {other:?}")),
    }
}

fn errors(report: &Report) -> impl Iterator<Item = &stagecraft::Diagnostic> {
    report.diagnostics.iter().filter(|d| d.severity == Severity::Error)
}

fn diagnostics(report: &Report) -> String {
    let lines: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("  {} {}:{} {}: {}", d.severity.as_str(), d.line, d.column, d.code, d.message))
        .collect();
    if lines.is_empty() { "  (none)".into() } else { lines.join("\n") }
}

/// `error`, `error_also`, `error_regex`, `error_lines`.
fn check_error(report: &Report, expect: &Table, problems: &mut Vec<String>) {
    let want = str_at(expect, "error").unwrap_or_default();
    let also = strings_at(expect, "error_also");
    let regex = str_at(expect, "error_regex");
    if want.is_empty() {
        if let Some(d) = errors(report).next() {
            problems.push(format!("expected success, got error at line {}: {}", d.line, d.message));
        }
        return;
    }
    // One error must say all of it, as BuildKit's single error message does.
    let matching: Vec<&stagecraft::Diagnostic> = errors(report)
        .filter(|d| want == "<any>" || d.message.contains(want))
        .filter(|d| also.iter().all(|a| d.message.contains(a.as_str())))
        .filter(|d| regex.is_none_or(|r| simple_regex_find(r, &d.message).unwrap_or(false)))
        .collect();
    if matching.is_empty() {
        let mut wanted = vec![format!("{want:?}")];
        wanted.extend(also.iter().map(|a| format!("{a:?}")));
        if let Some(r) = regex {
            match simple_regex_find(r, "") {
                Ok(_) => wanted.push(format!("/{r}/")),
                Err(e) => wanted.push(format!("/{r}/ ({e})")),
            }
        }
        problems.push(format!("expected an error saying {}", wanted.join(" and ")));
        return;
    }
    let lines: Vec<usize> = expect
        .get("error_lines")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_integer).map(|i| i as usize).collect())
        .unwrap_or_default();
    for line in &lines {
        if !matching.iter().any(|d| d.line == *line) {
            let got: Vec<usize> = matching.iter().map(|d| d.line).collect();
            problems.push(format!("expected the error at line {line}, it is at line(s) {got:?}"));
        }
    }
}

/// The regular expressions the corpus uses: literals, `.`, `*` and `\` escapes, unanchored.
/// Anything else is reported as unsupported rather than guessed.
fn simple_regex_find(pattern: &str, text: &str) -> Result<bool, String> {
    #[derive(Clone, Copy)]
    enum Atom {
        Any,
        Char(char),
    }
    let mut atoms: Vec<(Atom, bool)> = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let atom = match c {
            '.' => Atom::Any,
            '\\' => Atom::Char(chars.next().ok_or("trailing \\ in regex")?),
            '*' => match atoms.last_mut() {
                Some(last) if !last.1 => {
                    last.1 = true;
                    continue;
                }
                _ => return Err("misplaced * in regex".into()),
            },
            '[' | ']' | '(' | ')' | '+' | '?' | '^' | '$' | '|' | '{' | '}' => {
                return Err(format!("regex feature {c:?} is not supported by this test"));
            }
            c => Atom::Char(c),
        };
        atoms.push((atom, false));
    }
    fn matches_here(atoms: &[(Atom, bool)], text: &[char]) -> bool {
        let Some(((atom, star), rest)) = atoms.split_first() else { return true };
        let fits = |c: &char| match atom {
            Atom::Any => *c != '\n',
            Atom::Char(a) => a == c,
        };
        if *star {
            let mut i = 0;
            loop {
                if matches_here(rest, &text[i..]) {
                    return true;
                }
                if i < text.len() && fits(&text[i]) {
                    i += 1;
                } else {
                    return false;
                }
            }
        }
        text.first().is_some_and(fits) && matches_here(rest, &text[1..])
    }
    let text: Vec<char> = text.chars().collect();
    Ok((0..=text.len()).any(|i| matches_here(&atoms, &text[i..])))
}

fn has_file_checks(expect: &Table) -> bool {
    let non_empty = |key: &str| table_at(expect, key).is_some_and(|t| !t.is_empty());
    non_empty("files")
        || non_empty("contains")
        || non_empty("not_contains")
        || non_empty("owners")
        || table_at(expect, "absent").is_some_and(|t| !strings_at(t, "paths").is_empty())
        || table_at(expect, "hardlinks").is_some_and(|t| t.get("pairs").and_then(Value::as_array).is_some_and(|a| !a.is_empty()))
}

fn target_fs(report: &Report) -> Option<&Fs> {
    let index = report.target_index?;
    let stage = report.stage(index)?;
    (!stage.failed).then_some(&stage.fs)
}

/// The node at `path`, following symlinks (also in the last component when `follow_last`).
fn lookup<'a>(fs: &'a Fs, path: &str, follow_last: bool) -> Option<(String, &'a Node)> {
    let resolved = fs.resolve(path, follow_last).ok()?;
    fs.get(&resolved).map(|n| (resolved, n))
}

fn describe(node: Option<(String, &Node)>) -> String {
    match node {
        None => "nothing".into(),
        Some((p, n)) => match &n.kind {
            NodeKind::Dir { .. } => format!("a directory ({p})"),
            NodeKind::Symlink(t) => format!("a symlink to {t:?} ({p})"),
            NodeKind::File { content: Some(c), .. } => format!("a file holding {:?} ({p})", String::from_utf8_lossy(c)),
            NodeKind::File { size, content: None } => format!("a file of {size} bytes, content unknown ({p})"),
        },
    }
}

/// `[expect.files]`, `contains`, `not_contains`, `owners`, `absent`, `hardlinks`.
fn check_files(fs: &Fs, expect: &Table, context: &BTreeMap<String, Vec<u8>>, problems: &mut Vec<String>) {
    for (path, want) in table_at(expect, "files").into_iter().flatten() {
        let want = want.as_str().unwrap_or_default();
        let followed = lookup(fs, path, true);
        let ok = match want {
            "<dir>" => followed.as_ref().is_some_and(|(_, n)| n.is_dir()),
            "<emptydir>" => followed.as_ref().is_some_and(|(p, n)| n.is_dir() && fs.children(p).next().is_none()),
            "<file>" => followed.as_ref().is_some_and(|(_, n)| n.is_file()),
            "<exists>" => lookup(fs, path, false).is_some(),
            w if w.starts_with("<symlink:") && w.ends_with('>') => {
                let t = &w["<symlink:".len()..w.len() - 1];
                matches!(lookup(fs, path, false), Some((_, Node { kind: NodeKind::Symlink(l), .. })) if l == t)
            }
            w if w.starts_with("<context:") && w.ends_with('>') => {
                let src = &w["<context:".len()..w.len() - 1];
                let bytes = context.get(src).map(Vec::as_slice);
                bytes.is_some() && followed.as_ref().and_then(|(_, n)| n.content()) == bytes
            }
            content => followed.as_ref().and_then(|(_, n)| n.content()) == Some(content.as_bytes()),
        };
        if !ok {
            let shown = if want.starts_with('<') { want.to_string() } else { format!("a file holding {want:?}") };
            problems.push(format!("{path}: expected {shown}, found {}", describe(followed)));
        }
    }
    for (key, present) in [("contains", true), ("not_contains", false)] {
        for (path, subs) in table_at(expect, key).into_iter().flatten() {
            let content = lookup(fs, path, true).and_then(|(_, n)| n.content().map(|c| String::from_utf8_lossy(c).into_owned()));
            let Some(content) = content else {
                problems.push(format!("{path}: expected a file with known content for [expect.{key}]"));
                continue;
            };
            for sub in subs.as_array().into_iter().flatten().filter_map(Value::as_str) {
                if content.contains(sub) != present {
                    let verb = if present { "contain" } else { "not contain" };
                    problems.push(format!("{path}: expected to {verb} {sub:?}, it holds {content:?}"));
                }
            }
        }
    }
    for (path, want) in table_at(expect, "owners").into_iter().flatten() {
        let want = want.as_str().unwrap_or_default();
        match lookup(fs, path, false) {
            Some((_, n)) if format!("{}:{}", n.uid, n.gid) == want => {}
            Some((_, n)) => problems.push(format!("{path}: expected owner {want}, found {}:{}", n.uid, n.gid)),
            None => problems.push(format!("{path}: expected owner {want}, found nothing")),
        }
    }
    for path in table_at(expect, "absent").map(|t| strings_at(t, "paths")).unwrap_or_default() {
        let found: Vec<String> = if path.contains('*') {
            glob(fs, &path)
        } else {
            lookup(fs, &path, false).map(|(p, _)| p).into_iter().collect()
        };
        if !found.is_empty() {
            problems.push(format!("{path}: expected absent, found {}", found.join(", ")));
        }
    }
    let pairs = table_at(expect, "hardlinks").and_then(|t| t.get("pairs")).and_then(Value::as_array);
    for pair in pairs.into_iter().flatten() {
        let pair: Vec<&str> = pair.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let [a, b] = pair.as_slice() else {
            problems.push(format!("bad hardlinks pair {pair:?}"));
            continue;
        };
        // Hard links are modelled as copies: equal content stands for the same inode.
        let content = |p: &str| lookup(fs, p, true).filter(|(_, n)| n.is_file()).and_then(|(_, n)| n.content().map(<[u8]>::to_vec));
        match (content(a), content(b)) {
            (Some(x), Some(y)) if x == y => {}
            _ => problems.push(format!("{a} and {b}: expected hard links (modelled as two files with equal content)")),
        }
    }
}

/// Paths matching a shell glob (`*` within one component), as `[ -d /out/c* ]` expands it.
fn glob(fs: &Fs, pattern: &str) -> Vec<String> {
    let mut current = vec!["/".to_string()];
    for seg in pattern.split('/').filter(|s| !s.is_empty()) {
        let mut next = Vec::new();
        for dir in &current {
            let Some((dir, node)) = lookup(fs, dir, true) else { continue };
            if !node.is_dir() {
                continue;
            }
            for (name, _) in fs.children(&dir) {
                if glob_match(seg, name).unwrap_or(false) {
                    next.push(if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") });
                }
            }
        }
        current = next;
    }
    current
}
