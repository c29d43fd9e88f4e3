//! What the playground simulates while someone types: cut-off Dockerfiles. Prefixes of every
//! real-world Dockerfile, cut at line ends and in the middle of lines (a half-typed word, an
//! open quote, a dangling `\`), simulate without a panic, and every diagnostic points inside
//! the text, and so does every edit of its fix. The parser alone has its own prefix test (parse_robustness.rs); this one runs the
//! whole simulation: expansion, the shell model, the package models, the checks.

mod common;


/// Prefixes per file, spread evenly over its lines (the debug build is ~10× slower than
/// release; every line of moby's 25 KB file alone would take half a minute).
const CUTS_PER_FILE: usize = 40;

#[test]
fn cut_off_dockerfiles_simulate_without_panic() {
    let mut failures = Vec::new();
    let mut simulated = 0;
    for path in common::real_world_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        for cut in cuts(&text) {
            let prefix = &text[..cut];
            simulated += 1;
            let result = std::panic::catch_unwind(|| common::simulate_text(prefix));
            let Ok(report) = result else {
                failures.push(format!("{name}: panicked on the first {cut} bytes"));
                continue;
            };
            let lines = prefix.split('\n').count();
            for d in &report.diagnostics {
                let inside = d.span.start <= d.span.end && d.span.end <= prefix.len();
                if !inside || d.line == 0 || d.line > lines {
                    failures.push(format!(
                        "{name}, first {cut} bytes: {} at line {} span {:?} is outside the text",
                        d.code, d.line, d.span
                    ));
                }
                let edits = d.fix.iter().flat_map(|f| &f.edits);
                if let Some(e) = edits.into_iter().find(|e| {
                    e.span.end > prefix.len()
                        || !prefix.is_char_boundary(e.span.start)
                        || !prefix.is_char_boundary(e.span.end)
                }) {
                    failures.push(format!(
                        "{name}, first {cut} bytes: {}'s fix edits {:?}, outside the text",
                        d.code, e.span
                    ));
                }
            }
        }
    }
    assert!(simulated > 60 * 10, "only {simulated} prefixes simulated");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Byte offsets to cut at: line ends and mid-line points, on character boundaries.
fn cuts(text: &str) -> Vec<usize> {
    let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
    let step = ends.len().div_ceil(CUTS_PER_FILE / 2).max(1);
    let mut cuts = Vec::new();
    let mut start = 0;
    for (i, &end) in ends.iter().enumerate() {
        if i % step == 0 {
            cuts.push(end);
            let mut mid = start + (end - start) / 2;
            while !text.is_char_boundary(mid) {
                mid -= 1;
            }
            cuts.push(mid);
        }
        start = end;
    }
    cuts
}
