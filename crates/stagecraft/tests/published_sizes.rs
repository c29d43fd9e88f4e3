//! Published before/after figures, reproduced within a tolerance. Each case is a build case in
//! `test_data/build/published-*.txt` whose first line names its source; this table says what
//! is measured (the image, or one layer) and the published value. Models are tuned to facts
//! about packages, never to these totals: a case that drifts out of tolerance is a finding.

mod common;

use std::path::Path;

#[derive(Clone, Copy, Debug)]
enum Measure {
    /// The image's size as `docker image ls` shows it.
    Image,
    /// The size of the layer made by the instruction on this line.
    Layer(usize),
}

const MIB: f64 = 1024.0 * 1024.0;

/// (case, what, published bytes, tolerance, source)
const CASES: &[(&str, Measure, f64, f64, &str)] = &[
    ("published-apt-lists-separate-run", Measure::Image, 116_570_000.0 + 20_000_000.0, 0.25, "debian:bookworm 116.57 MB (repo-info) + about 20 MB of lists (size-facts.md; SO 61990329)"),
    ("published-apt-lists-same-run", Measure::Image, 116_570_000.0, 0.25, "lists removed in the same RUN leave nothing (Docker best practices; SO 61990329)"),
    ("published-apt-lists-ubuntu", Measure::Image, 78_160_000.0 + 44_000_000.0, 0.25, "ubuntu:24.04 78.16 MB (repo-info) + 44 MB of lists (btidor/syntax)"),
    ("published-apt-build-essential", Measure::Layer(2), 260.0 * MIB, 0.25, "size-facts.md apt deltas: build-essential, no Recommends"),
    ("published-apt-build-essential-recommends", Measure::Layer(2), 340.0 * MIB, 0.25, "size-facts.md apt deltas: build-essential with Recommends"),
    ("published-apt-curl", Measure::Layer(2), 11.4 * MIB, 0.25, "size-facts.md apt deltas: curl, no Recommends"),
    ("published-apt-curl-recommends", Measure::Layer(2), 17.7 * MIB, 0.25, "size-facts.md apt deltas: curl with Recommends"),
    ("published-apt-git", Measure::Layer(3), 57.3 * MIB, 0.25, "size-facts.md apt deltas: git, no Recommends (over a base with perl)"),
    ("published-apt-python3", Measure::Layer(2), 31.4 * MIB, 0.25, "size-facts.md apt deltas: python3, no Recommends"),
    ("published-apt-python3-recommends", Measure::Layer(2), 37.1 * MIB, 0.25, "size-facts.md apt deltas: python3 with Recommends"),
    ("published-apt-openjdk", Measure::Layer(2), 294.0 * MIB, 0.25, "size-facts.md apt deltas: openjdk-17-jdk-headless, no Recommends"),
    ("published-buildpack-deps", Measure::Image, 1_020_000_000.0, 0.25, "buildpack-deps:trixie 1.02 GB (repo-info)"),
];

fn dockerfile(case: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/build").join(format!("{case}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text.split("-- Dockerfile --\n").nth(1).unwrap_or_else(|| panic!("{case}: no Dockerfile section"));
    body.split("\n-- ").next().unwrap_or(body).to_string()
}

fn measured(case: &str, what: Measure) -> Result<f64, String> {
    let report = common::simulate_text(&dockerfile(case));
    let image = report.image.as_ref().ok_or_else(|| format!("{case}: no image"))?;
    match what {
        Measure::Image => Ok(image.size_bytes as f64),
        Measure::Layer(line) => image.layers.iter().find(|l| l.line == line && !l.is_base).map(|l| l.size_bytes as f64).ok_or_else(|| format!("{case}: no layer at line {line}")),
    }
}

#[test]
fn published_figures_are_reproduced() {
    let mut table = String::from("case | measured | published | error | source\n");
    let mut failures = Vec::new();
    for (case, what, published, tolerance, source) in CASES {
        match measured(case, *what) {
            Ok(got) => {
                let error = (got - published) / published;
                table.push_str(&format!("{case} | {:.1} MB | {:.1} MB | {:+.1}% | {source}\n", got / 1e6, published / 1e6, error * 100.0));
                if error.abs() > *tolerance {
                    failures.push(format!("{case}: {:.1} MB, published {:.1} MB ({:+.1}%, tolerance ±{:.0}%)", got / 1e6, published / 1e6, error * 100.0, tolerance * 100.0));
                }
            }
            Err(e) => failures.push(e),
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "published figures not reproduced:\n{}", failures.join("\n"));
}
