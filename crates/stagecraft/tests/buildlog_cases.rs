//! Data-driven build-log and step-through cases: `test_data/buildlog/<case>.txt` holds a build
//! (see `common`) and `-- want --` lines; `<case>.expect` is the plain-progress log followed by
//! the step-through explanations. `UPDATE_EXPECT=1 cargo test --test buildlog_cases` re-blesses.
//!
//! Want lines: `has: <text>` / `lacks: <text>` (in the rendered log), `before: <a> | <b>` (`a`
//! comes first in the log), `step: <text>` (some step's explanation contains it).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use stagecraft::buildlog::build_log;
use stagecraft::steps::steps;

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = common::parse_case(&text);
    let report = common::simulate(&case.before);
    let log = build_log(&report, &case.before.dockerfile).render();
    let views = steps(&report);
    let mut failed = Vec::new();
    for want in &case.want {
        let ok = if let Some(t) = want.strip_prefix("has: ") {
            log.contains(t)
        } else if let Some(t) = want.strip_prefix("lacks: ") {
            !log.contains(t)
        } else if let Some((a, b)) = want.strip_prefix("before: ").and_then(|r| r.split_once(" | ")) {
            matches!((log.find(a), log.find(b)), (Some(x), Some(y)) if x < y)
        } else if let Some(t) = want.strip_prefix("step: ") {
            views.iter().any(|v| v.explanation.contains(t))
        } else {
            panic!("unknown want line {want:?}");
        };
        if !ok {
            failed.push(want.clone());
        }
    }
    let mut actual = log.clone();
    actual.push_str("-- steps --\n");
    for v in &views {
        let _ = writeln!(actual, "[{}] line {}: {}", v.stage_label, v.line, v.explanation);
    }
    if !failed.is_empty() {
        return Err(format!("{}: not as wanted: {failed:?}\n{actual}", path.display()));
    }
    common::expect(path, &actual)
}

#[test]
fn buildlog_cases_match_their_dumps() {
    let cases = common::cases("buildlog");
    assert!(cases.len() >= 6, "expected the cases in test_data/buildlog, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
