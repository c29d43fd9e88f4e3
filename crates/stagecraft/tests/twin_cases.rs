//! Data-driven single-stage twin cases: `test_data/twin/<case>.txt` holds a build (sections as
//! in `common`) and `-- want --` lines; `<case>.expect` is the twin Dockerfile, its notes, the
//! two image sizes and the twin's diagnostics. `UPDATE_EXPECT=1 cargo test --test twin_cases`
//! re-blesses.
//!
//! Want lines: `no twin: <text>` (the reason given contains it), `twin builds` (the twin
//! simulates without an error), `twin at least: <n>x` (its image is at least n times the
//! original's), `twin has: <path>` (a path in the twin's final image), `has: <text>` (in the
//! twin Dockerfile), `note: <text>` (some note contains it).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use stagecraft::report::{human_size, Report};
use stagecraft::twin::single_stage_twin;

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = common::parse_case(&text);
    let report = common::simulate(&case.before);
    let twin = single_stage_twin(&case.before.dockerfile, &report);
    let twin_report: Option<Report> = twin.as_ref().ok().map(|t| {
        let mut build = case.before.clone();
        build.dockerfile = t.dockerfile.clone();
        build.target = None;
        common::simulate(&build)
    });
    let size = |r: &Report| r.image.as_ref().map_or(0, |i| i.size_bytes);
    let mut failed = Vec::new();
    for want in &case.want {
        let ok = match (&twin, &twin_report) {
            (Err(reason), _) => want.strip_prefix("no twin: ").is_some_and(|t| reason.contains(t)),
            (Ok(t), Some(r)) => {
                if want == "twin builds" {
                    !r.has_errors() && r.image.is_some()
                } else if let Some(n) = want.strip_prefix("twin at least: ").and_then(|n| n.strip_suffix('x')) {
                    let n: f64 = n.parse().expect("twin at least: <n>x");
                    size(r) as f64 >= n * size(&report) as f64
                } else if let Some(p) = want.strip_prefix("twin has: ") {
                    r.image.as_ref().is_some_and(|i| i.files.iter().any(|f| f.path == p))
                } else if let Some(x) = want.strip_prefix("has: ") {
                    t.dockerfile.contains(x)
                } else if let Some(n) = want.strip_prefix("note: ") {
                    t.notes.iter().any(|x| x.contains(n))
                } else if want.starts_with("no twin: ") {
                    false
                } else {
                    panic!("unknown want line {want:?}")
                }
            }
            (Ok(_), None) => false,
        };
        if !ok {
            failed.push(want.clone());
        }
    }
    let mut actual = String::new();
    match (&twin, &twin_report) {
        (Err(reason), _) => {
            let _ = writeln!(actual, "no twin: {reason}");
        }
        (Ok(t), Some(r)) => {
            let _ = writeln!(actual, "{}-- notes --", t.dockerfile);
            for n in &t.notes {
                let _ = writeln!(actual, "{n}");
            }
            let _ = writeln!(actual, "-- sizes --\noriginal {}, twin {}", human_size(size(&report)), human_size(size(r)));
            let _ = writeln!(actual, "-- twin diagnostics --");
            for d in &r.diagnostics {
                let _ = writeln!(actual, "{} {}:{} {}: {}", d.severity.as_str(), d.line, d.column, d.code, d.message);
            }
        }
        (Ok(_), None) => actual.push_str("the twin was not simulated\n"),
    }
    if !failed.is_empty() {
        return Err(format!("{}: not as wanted: {failed:?}\n{actual}", path.display()));
    }
    common::expect(path, &actual)
}

#[test]
fn twin_cases_match_their_dumps() {
    let cases = common::cases("twin");
    assert!(cases.len() >= 6, "expected the twin cases in test_data/twin, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// Every real-world Dockerfile: its twin (when it has one) simulates, and the diff between
/// the two runs, without a panic; prints how many have twins and what the diffs cost.
#[test]
fn real_world_twins_and_diffs_do_not_panic() {
    let files = common::real_world_files();
    assert!(files.len() >= 60);
    let (mut twins, mut twin_errors, mut larger) = (0, 0, 0);
    let mut diff_time = std::time::Duration::ZERO;
    let mut panics = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let outcome = std::panic::catch_unwind(|| {
            let build = common::Build { dockerfile: text.clone(), ..Default::default() };
            let report = common::simulate(&build);
            let twin = single_stage_twin(&text, &report).ok()?;
            let twin_report = common::simulate(&common::Build { dockerfile: twin.dockerfile.clone(), ..Default::default() });
            let started = std::time::Instant::now();
            let d = stagecraft::diff::diff(&report, &twin_report);
            let elapsed = started.elapsed();
            let _ = d.render();
            // TWIN_DEBUG=1 names the twins that fail or do not grow (a different base can be smaller).
            if std::env::var_os("TWIN_DEBUG").is_some() && (twin_report.has_errors() || d.size_delta() <= 0) {
                eprintln!("{}: size {:+}, errors: {}", path.display(), d.size_delta(), twin_report.has_errors());
            }
            Some((twin_report.has_errors(), d.size_delta() > 0, elapsed))
        });
        match outcome {
            Ok(Some((errors, grew, elapsed))) => {
                twins += 1;
                twin_errors += usize::from(errors);
                larger += usize::from(grew);
                diff_time += elapsed;
            }
            Ok(None) => {}
            Err(_) => panics.push(path.display().to_string()),
        }
    }
    eprintln!("{} files: {twins} twins, {larger} larger than the original, {twin_errors} with an error; diffs took {diff_time:?} in all", files.len());
    assert!(panics.is_empty(), "panics: {panics:?}");
}
