//! Build checks as a table of cases: `test_data/checks/<case>.txt` holds a Dockerfile (with
//! optional `-- context/<path> --` files, `(size N)` for a sized one, and `-- options --`
//! with `target: X` / `arg: K=V`) and a `-- want --` section: `fires: Code` lines (the
//! check must report it) and `quiet: Code` lines (it must not). `<case>.expect` is the dump
//! of every check diagnostic, its fix and the text the fix produces; re-bless with
//! `UPDATE_EXPECT=1 cargo test -p stagecraft --test checks_cases`.
//!
//! Every fix is also applied and the Dockerfile simulated again: the diagnostic it was made
//! for must be gone.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use stagecraft::checks::{apply_fix, BUILDKIT_RULES, SIMULATOR_CHECKS};
use stagecraft::diagnostics::Diagnostic;
use stagecraft::report::Report;
use stagecraft::{BuildContext, Simulation};

struct Case {
    dockerfile: String,
    context: BuildContext,
    build_args: BTreeMap<String, String>,
    target: Option<String>,
    fires: Vec<String>,
    quiet: Vec<String>,
}

fn parse(text: &str) -> Case {
    let mut case = Case {
        dockerfile: String::new(),
        context: BuildContext::new(),
        build_args: BTreeMap::new(),
        target: None,
        fires: Vec::new(),
        quiet: Vec::new(),
    };
    let sections = common::sections(text);
    for (header, body) in sections {
        match header.as_str() {
            "Dockerfile" => case.dockerfile = body,
            "options" => {
                for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    match line.split_once(": ") {
                        Some(("target", t)) => case.target = Some(t.to_string()),
                        Some(("arg", kv)) => {
                            let (k, v) = kv.split_once('=').expect("arg: K=V");
                            case.build_args.insert(k.to_string(), v.to_string());
                        }
                        _ => panic!("unknown option line {line:?}"),
                    }
                }
            }
            "want" => {
                for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    match line.split_once(": ") {
                        Some(("fires", c)) => case.fires.push(c.to_string()),
                        Some(("quiet", c)) => case.quiet.push(c.to_string()),
                        _ => panic!("unknown want line {line:?}"),
                    }
                }
            }
            h => {
                let path = h.strip_prefix("context/").unwrap_or_else(|| panic!("unknown section {h:?}"));
                match path.split_once(" (size ") {
                    Some((p, size)) => case.context.add_sized_file(p, size.trim_end_matches(')').parse().expect("size N")),
                    None => case.context.add_file(path, body),
                }
            }
        }
    }
    case
}

fn simulate(case: &Case, dockerfile: &str) -> Report {
    stagecraft::simulate(&Simulation {
        dockerfile,
        dockerfile_name: None,
        context: &case.context,
        build_args: case.build_args.clone(),
        target: case.target.as_deref(),
        strict: false,
    })
}

fn is_check(code: &str) -> bool {
    BUILDKIT_RULES.iter().any(|r| r.name == code) || SIMULATOR_CHECKS.iter().any(|c| c.code == code) || code == "InvalidDirective"
}

fn checks(report: &Report) -> Vec<&Diagnostic> {
    report.diagnostics.iter().filter(|d| is_check(d.code)).collect()
}

fn run(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = parse(&text);
    let report = simulate(&case, &case.dockerfile);
    let found = checks(&report);
    let name = path.display();
    let mut problems = Vec::new();
    for code in &case.fires {
        if !found.iter().any(|d| d.code == code) {
            problems.push(format!("{name}: {code} should fire"));
        }
    }
    for code in &case.quiet {
        if let Some(d) = found.iter().find(|d| d.code == code) {
            problems.push(format!("{name}: {code} should stay quiet, says {}:{} {}", d.line, d.column, d.message));
        }
    }
    let mut dump = String::new();
    for d in &found {
        let _ = writeln!(dump, "{} {}:{} {}: {}", d.severity.as_str(), d.line, d.column, d.code, d.message);
        let Some(fix) = &d.fix else { continue };
        let fixed = apply_fix(&case.dockerfile, fix);
        let _ = writeln!(dump, "  fix: {}", fix.title);
        for line in changed_lines(&case.dockerfile, &fixed) {
            let _ = writeln!(dump, "  | {line}");
        }
        // The fix resolves what it was made for: one fewer diagnostic of that code.
        let after = simulate(&case, &fixed);
        let before_n = found.iter().filter(|x| x.code == d.code).count();
        let after_n = checks(&after).iter().filter(|x| x.code == d.code).count();
        if after_n >= before_n {
            problems.push(format!("{name}: applying {:?} leaves {} {} diagnostics:\n{fixed}", fix.title, after_n, d.code));
        }
    }
    if found.is_empty() {
        dump.push_str("(no checks fired)\n");
    }
    if let Err(e) = common::expect(path, &dump) {
        problems.push(e);
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n")),
    }
}

/// The lines of `after` that differ from `before` (a short view of what a fix does).
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let changed: Vec<String> = new[prefix..new.len() - suffix].iter().map(|l| l.to_string()).collect();
    if changed.is_empty() {
        vec!["(lines removed)".to_string()]
    } else {
        changed
    }
}

#[test]
fn check_cases() {
    let cases = common::cases("checks");
    assert!(cases.len() >= 40, "expected the checks cases, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|p| run(p).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every rule and check has a case in which it fires.
#[test]
fn every_code_has_a_firing_case() {
    let mut fired = std::collections::BTreeSet::new();
    for path in common::cases("checks") {
        let case = parse(&std::fs::read_to_string(&path).unwrap_or_default());
        fired.extend(case.fires);
    }
    let missing: Vec<&str> = BUILDKIT_RULES
        .iter()
        .map(|r| r.name)
        .chain(SIMULATOR_CHECKS.iter().map(|c| c.code))
        .filter(|c| !fired.contains(*c))
        .collect();
    assert!(missing.is_empty(), "no case fires {missing:?}");
}
