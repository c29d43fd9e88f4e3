//! Cases as text: a build (`-- Dockerfile --`, `-- context/<path> --`, `-- options --` with
//! `target: X` and `arg: K=V` lines), optional edits for a second build (`-- then Dockerfile --`,
//! `-- then context/<path> --`, `-- then removed context/<path> --`, `-- then options --`) and
//! `-- want --` lines the test interprets. Text before the first section describes the case.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stagecraft::report::Report;
use stagecraft::{BuildContext, Simulation};

#[derive(Clone, Default)]
pub struct Build {
    pub dockerfile: String,
    pub context: BTreeMap<String, String>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
}

pub struct Case {
    pub before: Build,
    pub after: Build,
    pub want: Vec<String>,
}

fn options(body: &str, build: &mut Build) {
    build.build_args.clear();
    build.target = None;
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(": ") {
            Some(("target", t)) => build.target = Some(t.to_string()),
            Some(("arg", kv)) => {
                let (k, v) = kv.split_once('=').expect("arg: K=V");
                build.build_args.insert(k.to_string(), v.to_string());
            }
            _ => panic!("unknown option line {line:?}"),
        }
    }
}

/// The `-- name --` sections of a case file, in order, each with its body (text before the
/// first header is the description and is dropped).
pub fn sections(text: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.trim_end().strip_prefix("-- ").and_then(|h| h.strip_suffix(" --")) {
            Some(header) => sections.push((header.to_string(), String::new())),
            None => {
                if let Some((_, body)) = sections.last_mut() {
                    body.push_str(line);
                }
            }
        }
    }
    sections
}

pub fn parse_case(text: &str) -> Case {
    let sections = sections(text);
    let mut before = Build::default();
    let mut want = Vec::new();
    let mut edits = Vec::new();
    for (header, body) in sections {
        match header.as_str() {
            "Dockerfile" => before.dockerfile = body,
            "options" => options(&body, &mut before),
            "want" => want = body.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
            h if h.starts_with("then ") => edits.push((h.trim_start_matches("then ").to_string(), body)),
            h => match h.strip_prefix("context/") {
                Some(path) => {
                    before.context.insert(path.to_string(), body);
                }
                None => panic!("unknown section {h:?}"),
            },
        }
    }
    let mut after = before.clone();
    for (header, body) in edits {
        if header == "Dockerfile" {
            after.dockerfile = body;
        } else if header == "options" {
            options(&body, &mut after);
        } else if let Some(path) = header.strip_prefix("removed context/") {
            after.context.remove(path);
        } else if let Some(path) = header.strip_prefix("context/") {
            after.context.insert(path.to_string(), body);
        } else {
            panic!("unknown edit section {header:?}");
        }
    }
    Case { before, after, want }
}

pub fn simulate(build: &Build) -> Report {
    let mut context = BuildContext::new();
    for (path, content) in &build.context {
        context.add_file(path, content.as_bytes());
    }
    stagecraft::simulate(&Simulation {
        dockerfile: &build.dockerfile,
        dockerfile_name: None,
        context: &context,
        build_args: build.build_args.clone(),
        target: build.target.as_deref(),
        strict: false,
    })
}

/// A Dockerfile on its own, as the corpus tests and the playground's first keystrokes see it:
/// an empty context, no build args, lenient mode.
pub fn simulate_text(dockerfile: &str) -> Report {
    let context = BuildContext::new();
    stagecraft::simulate(&Simulation {
        dockerfile,
        dockerfile_name: None,
        context: &context,
        build_args: BTreeMap::new(),
        target: None,
        strict: false,
    })
}

/// The `.txt` cases of `test_data/<area>`, sorted.
pub fn cases(area: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(area);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("test_data/{area}: {e}"))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    cases
}

/// Compares `actual` with `<case>.expect`, or writes it there under `UPDATE_EXPECT=1`.
pub fn expect(path: &Path, actual: &str) -> Result<(), String> {
    let expect_path = path.with_extension("expect");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        return std::fs::write(&expect_path, actual).map_err(|e| e.to_string());
    }
    let expected = std::fs::read_to_string(&expect_path).unwrap_or_default();
    if expected != actual {
        return Err(format!("{}: dump differs\n--- expected\n{expected}\n--- actual\n{actual}", path.display()));
    }
    Ok(())
}

/// The real-world Dockerfiles of `../shared/corpus/real-world`, sorted by name.
pub fn real_world_files() -> Vec<PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real-world");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("../shared/corpus/real-world").filter_map(|e| Some(e.ok()?.path())).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "Dockerfile"));
    files.sort();
    files
}
