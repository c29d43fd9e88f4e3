//! Every real-world Dockerfile in ../shared/corpus/real-world simulates in lenient mode, with
//! no context, without a panic. (Their context is not in the corpus: the missing files become
//! placeholders with warnings, which is what lenient mode is for.)

mod common;

use std::collections::BTreeMap;

use stagecraft::Severity;

#[test]
fn every_real_world_dockerfile_simulates_without_panic() {
    let files = common::real_world_files();
    assert!(files.len() >= 60, "expected the 60 real-world Dockerfiles, found {}", files.len());
    let mut panics = Vec::new();
    let mut summary = Vec::new();
    let mut unmodelled: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let result = std::panic::catch_unwind(|| common::simulate_text(&text));
        match result {
            Ok(report) => {
                let errors: Vec<String> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| format!("{}:{} {}", d.line, d.code, d.message))
                    .collect();
                let mut seen = std::collections::BTreeSet::new();
                for d in report.diagnostics.iter().filter(|d| d.code == "RunNotModelled") {
                    let name = d.message.split('`').nth(1).unwrap_or("?").to_string();
                    let e = unmodelled.entry(name.clone()).or_default();
                    e.0 += 1;
                    if seen.insert(name) {
                        e.1 += 1;
                    }
                }
                if !errors.is_empty() {
                    summary.push(format!("{}: {}", path.file_name().unwrap_or_default().to_string_lossy(), errors.join("; ")));
                }
                assert!(report.target.is_some() || !errors.is_empty(), "{}: no target and no error", path.display());
            }
            Err(_) => panics.push(path.display().to_string()),
        }
    }
    eprintln!("{} files simulated; {} with error diagnostics:\n{}", files.len(), summary.len(), summary.join("\n"));
    let mut ranked: Vec<(String, (usize, usize))> = unmodelled.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("commands still without a model, by RUN notes (files using them):");
    for (i, (name, (notes, files))) in ranked.iter().enumerate() {
        eprintln!("{:>3}. {name}: {notes} ({files} files)", i + 1);
    }
    assert!(panics.is_empty(), "simulation panicked on:\n{}", panics.join("\n"));
}
