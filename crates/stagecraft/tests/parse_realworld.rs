//! Every real-world Dockerfile in `../shared/corpus/real-world` parses without an error.

use stagecraft::diagnostics::{Diagnostics, Severity};
use stagecraft::parse::parse;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real-world");

/// Files that `docker build` itself rejects, with the reason; they must produce that error.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn real_world_dockerfiles_parse_cleanly() {
    let mut files: Vec<_> = std::fs::read_dir(CORPUS)
        .unwrap_or_else(|e| panic!("{CORPUS}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    let mut failures = String::new();
    let mut passed = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let mut diags = Diagnostics::new(&text);
        let df = parse(&text, &mut diags);
        let errors: Vec<String> = diags
            .items()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("    {}:{} {} {}", d.line, d.column, d.code, d.message))
            .collect();
        let known = KNOWN_FAILURES.iter().any(|(n, _)| *n == name);
        match (errors.is_empty(), known) {
            (true, false) if !df.instructions.is_empty() => passed += 1,
            (false, true) => {}
            _ => failures.push_str(&format!(
                "  {name} ({} instructions):\n{}\n",
                df.instructions.len(),
                errors.join("\n")
            )),
        }
    }
    println!("{passed} of {} real-world Dockerfiles parse without errors", files.len());
    assert!(failures.is_empty(), "unexpected results:\n{failures}");
    assert_eq!(passed + KNOWN_FAILURES.len(), files.len());
    assert!(files.len() >= 60, "the corpus changed: {} files", files.len());
}
