//! The build checks across the real-world Dockerfiles of ../shared/corpus/real-world, in
//! lenient mode with no context: how often each check code fires, and in how many files.
//! `cargo test -p stagecraft --test checks_realworld -- --nocapture` prints the table;
//! with `CHECKS_HITS=<code>` (or `all`) it prints every hit of that code, to review them.

mod common;

use std::collections::BTreeMap;

use stagecraft::checks::{BUILDKIT_RULES, SIMULATOR_CHECKS};

#[test]
fn checks_across_the_real_world_corpus() {
    let files = common::real_world_files();
    assert!(files.len() >= 60);
    let codes: Vec<&str> = BUILDKIT_RULES.iter().map(|r| r.name).chain(SIMULATOR_CHECKS.iter().map(|c| c.code)).collect();
    let show = std::env::var("CHECKS_HITS").unwrap_or_default();
    // code -> (hits, files)
    let mut counts: BTreeMap<&str, (usize, usize)> = codes.iter().map(|c| (*c, (0, 0))).collect();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let report = common::simulate_text(&text);
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let mut seen = std::collections::BTreeSet::new();
        for d in report.diagnostics.iter().filter(|d| codes.contains(&d.code)) {
            let e = counts.entry(d.code).or_default();
            e.0 += 1;
            if seen.insert(d.code) {
                e.1 += 1;
            }
            if show == "all" || show == d.code {
                let fix = d.fix.as_ref().map(|f| format!(" [fix: {}]", f.title)).unwrap_or_default();
                eprintln!("{name}:{}: {} {}: {}{fix}", d.line, d.severity.as_str(), d.code, d.message);
            }
        }
    }
    eprintln!("{} real-world Dockerfiles; check code: hits (files)", files.len());
    for (code, (hits, in_files)) in &counts {
        eprintln!("  {code:32} {hits:>4} ({in_files})");
    }
}
