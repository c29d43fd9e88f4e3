//! Data-driven diff cases: `test_data/diff/<case>.txt` holds a baseline build and the edits
//! made before the current one (sections as in `common`); `<case>.expect` is the rendered
//! `ReportDiff`. `UPDATE_EXPECT=1 cargo test --test diff_cases` re-blesses the dumps after a
//! reviewed change (the `-- want --` lines are never re-blessed).
//!
//! Want lines: `size: smaller|larger|same`, `file added|removed|changed: <path>` (an entry of
//! that kind), `stage <label>: <status>` (`StageStatus::as_str`), `layer <status>: <text>` (a
//! layer of that status whose current, else baseline, instruction starts with the text),
//! `config: <field>`, `no difference`, `has: <text>` (in the rendered diff).

mod common;

use std::path::Path;

use stagecraft::diff::{diff, ReportDiff};

fn want_holds(want: &str, d: &ReportDiff, text: &str) -> bool {
    if let Some(s) = want.strip_prefix("size: ") {
        let delta = d.size_delta();
        match s {
            "smaller" => delta < 0,
            "larger" => delta > 0,
            "same" => delta == 0,
            other => panic!("size: {other:?}?"),
        }
    } else if let Some(rest) = want.strip_prefix("file ") {
        let (kind, path) = rest.split_once(": ").expect("file <kind>: <path>");
        d.files.entries.iter().any(|e| e.kind.as_str() == kind && e.path == path)
    } else if let Some(rest) = want.strip_prefix("stage ") {
        let (label, status) = rest.split_once(": ").expect("stage <label>: <status>");
        d.stages.iter().any(|s| s.label() == label && s.status.as_str() == status)
    } else if let Some(rest) = want.strip_prefix("layer ") {
        let (status, prefix) = rest.split_once(": ").expect("layer <status>: <text>");
        d.layers.iter().any(|l| l.status.as_str() == status && l.after.as_ref().or(l.before.as_ref()).is_some_and(|s| s.instruction.starts_with(prefix)))
    } else if let Some(field) = want.strip_prefix("config: ") {
        d.config.iter().any(|c| c.field == field)
    } else if want == "no difference" {
        d.is_empty()
    } else if let Some(t) = want.strip_prefix("has: ") {
        text.contains(t)
    } else {
        panic!("unknown want line {want:?}")
    }
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = common::parse_case(&text);
    let baseline = common::simulate(&case.before);
    let current = common::simulate(&case.after);
    let d = diff(&baseline, &current);
    let actual = d.render();
    let failed: Vec<&String> = case.want.iter().filter(|w| !want_holds(w, &d, &actual)).collect();
    if !failed.is_empty() {
        return Err(format!("{}: not as wanted: {failed:?}\n{actual}", path.display()));
    }
    common::expect(path, &actual)
}

#[test]
fn diff_cases_match_their_dumps() {
    let cases = common::cases("diff");
    assert!(cases.len() >= 8, "expected the diff cases in test_data/diff, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn a_build_compared_with_itself_has_no_difference() {
    for path in common::cases("diff") {
        let text = std::fs::read_to_string(&path).expect("case");
        let case = common::parse_case(&text);
        for build in [&case.before, &case.after] {
            let report = common::simulate(build);
            let d = diff(&report, &report);
            assert!(d.is_empty(), "{}: a build differs from itself:\n{}", path.display(), d.render());
        }
    }
}

#[test]
fn swapping_the_sides_swaps_added_and_removed() {
    for path in common::cases("diff") {
        let text = std::fs::read_to_string(&path).expect("case");
        let case = common::parse_case(&text);
        let (a, b) = (common::simulate(&case.before), common::simulate(&case.after));
        let (ab, ba) = (diff(&a, &b), diff(&b, &a));
        assert_eq!(ab.size_delta(), -ba.size_delta(), "{}", path.display());
        for (x, y) in [(ab.files.added, ba.files.removed), (ab.files.removed, ba.files.added)] {
            assert_eq!((x.count, x.bytes_before, x.bytes_after), (y.count, y.bytes_after, y.bytes_before), "{}", path.display());
        }
        assert_eq!(ab.files.changed.count, ba.files.changed.count, "{}", path.display());
    }
}
