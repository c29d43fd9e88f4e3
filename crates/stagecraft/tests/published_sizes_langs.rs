//! Published before/after image sizes for Go, Java, Node and Python, reproduced by the
//! simulator within ±25%. Each case is a build case in `test_data/build/published-*.txt`
//! whose first line names its source; this table holds the published figure.
//!
//! The models are built from facts about packages and images (data/language-packages.tsv,
//! the catalog), never from these totals. A row whose miss is explained by a gap in the data
//! it depends on says so in `known_gap`: it is printed with its error, not asserted, so the
//! gap stays visible until the data is fixed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use stagecraft::{BuildContext, Simulation};

#[derive(Clone, Copy)]
enum Measure {
    /// The image's size as `docker image ls` shows it.
    Total,
    /// Only the layers the Dockerfile added on top of its base image.
    AddedLayers,
}

struct Published {
    case: &'static str,
    bytes: u64,
    measure: Measure,
    source: &'static str,
    known_gap: Option<&'static str>,
}

const TOLERANCE: f64 = 0.25;

const TABLE: &[Published] = &[
    Published { case: "published-go-docs-single-stage", bytes: 1_110_000_000, measure: Measure::Total, source: "https://docs.docker.com/guides/golang/build-images/", known_gap: None },
    Published { case: "published-go-docs-multistage", bytes: 28_100_000, measure: Measure::Total, source: "https://docs.docker.com/guides/golang/build-images/#multi-stage-builds", known_gap: None },
    Published { case: "published-go-single-stage", bytes: 852_000_000, measure: Measure::Total, source: "https://github.com/Uemerson/go-docker-multi-stage", known_gap: None },
    Published { case: "published-go-scratch-multistage", bytes: 1_890_000, measure: Measure::Total, source: "https://github.com/Uemerson/go-docker-multi-stage", known_gap: None },
    Published { case: "published-java-maven-single-stage", bytes: 680_000_000, measure: Measure::Total, source: "https://oneuptime.com/blog/post/2026-02-08-how-to-reduce-docker-image-size-for-java-applications/view", known_gap: None },
    Published { case: "published-java-jre-multistage", bytes: 300_000_000, measure: Measure::Total, source: "https://oneuptime.com/blog/post/2026-02-08-how-to-reduce-docker-image-size-for-java-applications/view", known_gap: None },
    Published { case: "published-python-single-stage", bytes: 1_100_000_000, measure: Measure::Total, source: "https://oneuptime.com/blog/post/2026-02-08-how-to-reduce-docker-image-size-for-python-applications/view", known_gap: None },
    Published {
        case: "published-node-docs-yarn-layers",
        bytes: 85_598_000,
        measure: Measure::AddedLayers,
        source: "https://docs.docker.com/get-started/workshop/09_image_best/ (docker image history: COPY 198kB + yarn install --production 85.4MB)",
        known_gap: None,
    },
    Published {
        case: "published-node-express-layers",
        bytes: 12_500_000,
        measure: Measure::AddedLayers,
        source: "https://github.com/moby/moby/issues/52476 (\"~10-15MB of new layers\")",
        known_gap: Some("the issue does not show its package.json or lockfile; express alone measures 2.3 MB of node_modules and 3.3 MB of npm cache here, so the app must carry more than express"),
    },
];

/// `-- Dockerfile --` and `-- context/<path> [(size N)] --` sections of a build case.
fn load(case: &str) -> (String, BuildContext) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/build").join(format!("{case}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let sections = common::sections(&text);
    let mut dockerfile = String::new();
    let mut ctx = BuildContext::new();
    for (header, body) in sections {
        if header == "Dockerfile" {
            dockerfile = body;
        } else if let Some(p) = header.strip_prefix("context/") {
            match p.split_once(" (size ") {
                Some((p, n)) => ctx.add_sized_file(p, n.trim_end_matches(')').parse().expect("size N")),
                None => ctx.add_file(p, body),
            }
        }
    }
    (dockerfile, ctx)
}

fn simulated(case: &str, measure: Measure) -> u64 {
    let (dockerfile, context) = load(case);
    let report = stagecraft::simulate(&Simulation { dockerfile: &dockerfile, dockerfile_name: None, context: &context, build_args: BTreeMap::new(), target: None, strict: false });
    let image = report.image.unwrap_or_else(|| panic!("{case}: no image"));
    match measure {
        Measure::Total => image.size_bytes,
        Measure::AddedLayers => image.layers.iter().filter(|l| !l.is_base).map(|l| l.size_bytes).sum(),
    }
}

#[test]
fn published_sizes_are_reproduced_within_25_percent() {
    let mut misses = Vec::new();
    let mut lines = Vec::new();
    for p in TABLE {
        let got = simulated(p.case, p.measure);
        let error = got as f64 / p.bytes as f64 - 1.0;
        let what = match p.measure {
            Measure::Total => "image",
            Measure::AddedLayers => "added layers",
        };
        let status = if error.abs() <= TOLERANCE {
            "ok"
        } else if p.known_gap.is_some() {
            "known gap"
        } else {
            "MISS"
        };
        lines.push(format!("{:<36} {what:<12} published {:>13} simulated {:>13} {:+6.1}% {status}  ({})", p.case, p.bytes, got, error * 100.0, p.source));
        if let Some(gap) = p.known_gap.filter(|_| error.abs() > TOLERANCE) {
            lines.push(format!("{:<36} why: {gap}", ""));
        }
        if error.abs() > TOLERANCE && p.known_gap.is_none() {
            misses.push(p.case);
        }
    }
    eprintln!("{}", lines.join("\n"));
    assert!(misses.is_empty(), "outside ±25%: {misses:?}\n{}", lines.join("\n"));
}
