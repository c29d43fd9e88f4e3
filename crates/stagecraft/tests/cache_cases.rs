//! Data-driven cache cases: `test_data/cache/<case>.txt` holds a build, the edits made before
//! the next build, and what must hold; `<case>.expect` is the second build's log with its
//! CACHED marks and the misses explained. `UPDATE_EXPECT=1 cargo test --test cache_cases`
//! re-blesses the dumps after a reviewed change (the `-- want --` lines are never re-blessed).
//!
//! Sections: `-- Dockerfile --`, `-- context/<path> --`, `-- options --` (`target: X`,
//! `arg: K=V`) describe the previous build; `-- then Dockerfile --`, `-- then context/<path> --`,
//! `-- then removed context/<path> --`, `-- then options --` the edits. `-- want --` lines:
//! `line N CACHED` / `line N RUN` (every step starting on line N), `miss: <text>` (the first
//! miss's explanation contains it), `any miss: <text>` (some miss's does), `no miss`, `stage X not built`.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{parse_case, simulate, Case};
use stagecraft::buildlog::{build_log_cached, LogStatus};
use stagecraft::cache::{compare, CacheReport};
use stagecraft::report::Report;

fn dump(report: &Report, dockerfile: &str, cache: &CacheReport) -> String {
    let log = build_log_cached(report, dockerfile, Some(cache));
    let mut out = String::new();
    for e in log.entries.iter().filter(|e| e.stage.is_some()) {
        let line = e.line.map(|l| format!("line {l:>2}")).unwrap_or_default();
        let _ = writeln!(out, "{:<6} {line}  {}", e.status.as_str(), e.name);
    }
    let _ = writeln!(out, "{} cached, {} run", cache.cached_count(), cache.rebuilt_count());
    for m in &cache.misses {
        let _ = writeln!(out, "miss: {}", m.explanation);
    }
    out
}

fn check_wants(case: &Case, report: &Report, dockerfile: &str, cache: &CacheReport) -> Vec<String> {
    let log = build_log_cached(report, dockerfile, Some(cache));
    let mut failures = Vec::new();
    for want in &case.want {
        let ok = if let Some(rest) = want.strip_prefix("line ") {
            let (line, mark) = rest.split_once(' ').expect("line N CACHED|RUN");
            let line: usize = line.parse().expect("line number");
            let steps: Vec<_> = log.entries.iter().filter(|e| e.line == Some(line)).collect();
            let cached = match mark {
                "CACHED" => true,
                "RUN" => false,
                other => panic!("unknown mark {other:?}"),
            };
            !steps.is_empty() && steps.iter().all(|e| (e.status == LogStatus::Cached) == cached)
        } else if let Some(text) = want.strip_prefix("miss: ") {
            cache.first_miss().is_some_and(|m| m.explanation.contains(text))
        } else if let Some(text) = want.strip_prefix("any miss: ") {
            cache.misses.iter().any(|m| m.explanation.contains(text))
        } else if want == "no miss" {
            cache.misses.is_empty()
        } else if let Some(stage) = want.strip_prefix("stage ").and_then(|s| s.strip_suffix(" not built")) {
            report.stages.iter().any(|s| s.name.as_deref() == Some(stage) && !s.built)
        } else {
            panic!("unknown want line {want:?}");
        };
        if !ok {
            failures.push(want.clone());
        }
    }
    failures
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = parse_case(&text);
    let previous = simulate(&case.before);
    let current = simulate(&case.after);
    let cache = compare(&previous, &current);
    let actual = dump(&current, &case.after.dockerfile, &cache);
    let failed = check_wants(&case, &current, &case.after.dockerfile, &cache);
    if !failed.is_empty() {
        return Err(format!("{}: not as wanted: {failed:?}\n{actual}", path.display()));
    }
    common::expect(path, &actual)
}

#[test]
fn cache_cases_match_their_dumps() {
    let cases = common::cases("cache");
    assert!(cases.len() >= 8, "expected the cache cases in test_data/cache, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn an_unchanged_build_is_fully_cached() {
    for path in common::cases("cache") {
        let text = std::fs::read_to_string(&path).expect("case");
        let case = parse_case(&text);
        let report = simulate(&case.before);
        let cache = compare(&report, &report);
        assert_eq!(cache.rebuilt_count(), 0, "{}: a rebuild of the same input missed", path.display());
        assert!(cache.misses.is_empty());
    }
}
