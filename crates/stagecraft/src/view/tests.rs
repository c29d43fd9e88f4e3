use crate::diff::LayerStatus;
use super::*;

fn input(dockerfile: &str, files: &[(&str, &str)]) -> Input {
    Input {
        dockerfile: dockerfile.to_string(),
        files: files
            .iter()
            .map(|(path, text)| InputFile { path: path.to_string(), content: InputContent::Text(text.to_string()) })
            .collect(),
        ..Input::default()
    }
}

/// The tutorial's two-stage Go build: builder, then a small runtime image.
const GO: &str = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=builder /out/app /usr/local/bin/app\nENV MODE=prod\nEXPOSE 8080\nCMD [\"app\"]\n";

fn go() -> (Input, Report) {
    let input = input(GO, &[("main.go", "package main\nfunc main() {}\n"), ("go.mod", "module x\n"), (".dockerignore", "*.md\n"), ("README.md", "hi")]);
    let report = input.simulate(&input.context());
    (input, report)
}

fn round_trip<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
}

#[test]
fn a_view_carries_what_the_page_shows() {
    let (input, r) = go();
    let view = report(&r, &input.dockerfile);
    assert_eq!(view.target_index, Some(1));
    assert!(view.image.is_some_and(|i| i.size_bytes > 0 && i.compressed_size_bytes < i.size_bytes));
    let labels: Vec<&str> = view.stages.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["builder", "1"]);
    let runtime = &view.stages[1];
    assert_eq!(runtime.deps, [Dependency { stage: 0, kind: DependencyKind::CopyFrom }]);
    let image = runtime.image.as_ref().unwrap();
    assert_eq!(image.base, "alpine:3.20");
    assert_eq!(image.base_line, Some(7));
    assert!(image.layers.iter().any(|l| l.instruction.starts_with("COPY --from=builder") && l.stage == "1"));
    assert_eq!(image.config.env.last(), Some(&("MODE".to_string(), "prod".to_string())));
    assert_eq!(image.config.exposed_ports, ["8080/tcp"]);
    assert_eq!(view.ignored, ["README.md"]);
    // The editor's colours: FROM is a keyword, the image and the stage name are marked.
    let text = |(s, e, _): &(usize, usize, TokenKind)| &GO[*s..*e];
    let of = |kind: TokenKind| view.highlight.tokens.iter().filter(|t| t.2 == kind).map(text).collect::<Vec<_>>();
    assert_eq!(of(TokenKind::Image), ["golang:1.22", "alpine:3.20"]);
    assert_eq!(of(TokenKind::Stage), ["builder"]);
    assert_eq!(of(TokenKind::Flag), ["--from=builder"]);
    assert!(view.highlight.directives_end > 0);
    // The files of the final image include the copied binary, with the line that wrote it.
    let app = files(&r, 1).into_iter().find(|f| f.path == "/usr/local/bin/app").expect("the copied binary");
    assert_eq!(app.line, Some(8));
    assert!(files(&r, 0).iter().any(|f| f.path.starts_with("/src/main.go")));
    round_trip(&view);
    round_trip(&files(&r, 1));
}

#[test]
fn a_fix_applies_as_the_core_applies_it() {
    let input = input("from alpine:3.20 as Builder\nrun true\n", &[]);
    let r = input.simulate(&input.context());
    let view = report(&r, &input.dockerfile);
    let d = view.diagnostics.iter().find(|d| d.code == "StageNameCasing").expect("StageNameCasing");
    round_trip(d);
    assert_eq!(d.fix.as_ref().unwrap().apply(&input.dockerfile), "from alpine:3.20 as builder\nrun true\n");
}

#[test]
fn steps_diff_log_and_twin_round_trip() {
    let (input, r) = go();
    let steps = steps(&r, &input.dockerfile);
    assert_eq!(steps.first().map(|s| (s.stage_label.as_str(), s.line)), Some(("builder", 2)));
    assert!(steps.iter().any(|s| s.text.starts_with("COPY --from=builder") && s.layer_bytes.is_some()));
    round_trip(&steps);
    let last = steps.len() - 1;
    assert!(step_files(&r, last).iter().any(|f| f.path == "/usr/local/bin/app"));
    assert!(step_files(&r, steps.len()).is_empty());

    let mut edited = input.clone();
    edited.dockerfile = GO.replace("alpine:3.20", "debian:bookworm-slim");
    let r2 = edited.simulate(&edited.context());
    let d = diff(&r, &r2);
    assert!(!d.same);
    assert!(d.size_delta > 0, "{d:?}");
    assert!(d.layers.iter().any(|l| l.status != LayerStatus::Same));
    round_trip(&d);
    assert!(diff(&r, &r).same);

    let log = build_log(&r, &r2, &edited.dockerfile);
    assert!(log.rebuilt > 0 && log.cached > 0, "{log:?}");
    assert_eq!(log.first_miss.as_ref().map(|m| m.line), Some(7));
    round_trip(&log);

    let ctx = input.context();
    let twin = twin(&input.simulation(&ctx), &r).expect("a two-stage build has a twin");
    assert!(twin.size > r.image.as_ref().map(|i| i.size_bytes));
    round_trip(&twin);
}

#[test]
fn an_input_round_trips_and_names_its_content_kinds() {
    let mut i = input("FROM scratch\n", &[("a.txt", "hi")]);
    i.files.push(InputFile { path: "node_modules".into(), content: InputContent::Size(180_000_000) });
    i.files.push(InputFile { path: "docs".into(), content: InputContent::Dir });
    i.target = Some("x".into());
    let json = serde_json::to_string(&i).unwrap();
    assert!(json.contains(r#"{"size":180000000}"#) && json.contains(r#""dir""#), "{json}");
    round_trip(&i);
    assert_eq!(i.context().len(), 3);
}

#[test]
fn step_files_are_the_files_after_that_step() {
    let (_, r) = go();
    let all = crate::steps::steps(&r);
    assert!(all.len() > 3);
    for (i, step) in all.iter().enumerate() {
        let stage = r.stage(step.stage).unwrap();
        let want: Vec<File> = crate::report::files_at(stage, step.fs).into_iter().map(File::from).collect();
        assert_eq!(step_files(&r, i), want, "step {i}");
    }
    assert!(step_files(&r, all.len()).is_empty());
}
