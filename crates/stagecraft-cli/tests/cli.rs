//! The CLI contract (../shared/GUIDE.md §5): options, exit statuses, and the JSON shape that
//! outside checks rely on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A fresh directory per test, holding a Dockerfile and its context.
fn project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stagecraft-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(&dir)).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stagecraft")).args(args).current_dir(dir).output().expect("run stagecraft")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const TWO_STAGE: &str = "\
FROM golang:1.22 AS builder
WORKDIR /src
COPY main.go .
RUN echo binary > /src/app

FROM alpine:3.20
COPY --from=builder /src/main.go /app/main.go
ENV MODE=prod
EXPOSE 8080
ENTRYPOINT [\"/app/main.go\"]
";

#[test]
fn json_follows_the_contract() {
    let dir = project("json", &[("Dockerfile", TWO_STAGE), ("main.go", "package main\n")]);
    let out = run(&dir, &["simulate", "--format", "json", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["target"], "1");
    let image = &v["image"];
    for key in ["size_bytes", "compressed_size_bytes", "base", "layers", "files", "config"] {
        assert!(!image[key].is_null(), "image.{key} missing");
    }
    assert!(image["size_bytes"].as_u64().unwrap_or(0) > 7_000_000, "alpine is about 7.8 MB");
    assert!(image["compressed_size_bytes"].as_u64() < image["size_bytes"].as_u64());
    assert_eq!(image["base"]["ref"], "alpine:3.20");
    assert_eq!(image["base"]["known"], true);
    let layer = image["layers"].as_array().and_then(|l| l.iter().find(|l| l["line"] == 7)).expect("COPY --from layer");
    assert_eq!(layer["instruction"], "COPY --from=builder /src/main.go /app/main.go");
    assert_eq!(layer["stage"], "1");
    assert_eq!(layer["size_bytes"], 13);
    let file = image["files"].as_array().and_then(|f| f.iter().find(|f| f["path"] == "/app/main.go")).expect("copied file");
    assert_eq!(file["type"], "file");
    assert_eq!(file["mode"], "0644");
    assert_eq!(file["content"], "package main\n");
    assert!(image["files"].as_array().is_some_and(|f| f.iter().all(|f| f["path"] != "/src/main.go")), "builder files stay in the builder");
    let config = &image["config"];
    assert_eq!(config["env"]["MODE"], "prod");
    assert_eq!(config["entrypoint"], serde_json::json!(["/app/main.go"]));
    assert_eq!(config["exposed_ports"], serde_json::json!(["8080/tcp"]));
    assert_eq!(config["shell"], serde_json::json!(["/bin/sh", "-c"]));
    let stages = v["stages"].as_array().expect("stages");
    assert_eq!(stages.len(), 2);
    assert_eq!(stages[0]["name"], "builder");
    assert_eq!(stages[0]["base"], "golang:1.22");
    assert_eq!(stages[0]["built"], true);
    assert!(v["diagnostics"].as_array().is_some_and(|d| d.iter().all(|d| d["line"].as_u64() > Some(0))));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn target_and_build_args_are_honoured() {
    let df = "ARG BASE=alpine:3.20\nFROM ${BASE} AS dev\nRUN touch /dev-tools\nFROM scratch AS prod\nCOPY x /x\n";
    let dir = project("target", &[("Dockerfile", df), ("x", "x")]);
    let out = run(&dir, &["simulate", "--target", "dev", "--build-arg", "BASE=busybox", "--format=json", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["target"], "dev");
    assert_eq!(v["stages"][0]["base"], "busybox");
    assert_eq!(v["stages"][1]["built"], false, "the target does not need prod");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn exit_status_tells_built_failed_or_usage() {
    let dir = project("exit", &[("ok.Dockerfile", "FROM scratch\nCOPY missing /m\n"), ("bad.Dockerfile", "FROM a\nCOPY --from=nope/x:1 /a /b\nFROM b AS x\nFROM c AS x\n")]);
    // Lenient: a missing source is a warning, the build succeeds.
    let out = run(&dir, &["simulate", "ok.Dockerfile"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MissingContextFile"));
    // Strict: the same file fails the build.
    assert_eq!(run(&dir, &["simulate", "--strict", "ok.Dockerfile"]).status.code(), Some(1));
    // A duplicate stage name fails the build.
    assert_eq!(run(&dir, &["simulate", "bad.Dockerfile"]).status.code(), Some(1));
    // Usage and I/O errors.
    assert_eq!(run(&dir, &["simulate"]).status.code(), Some(2));
    assert_eq!(run(&dir, &["simulate", "--format", "xml", "ok.Dockerfile"]).status.code(), Some(2));
    assert_eq!(run(&dir, &["simulate", "does-not-exist"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn text_report_shows_the_tree_and_sizes() {
    let dir = project("text", &[("Dockerfile", TWO_STAGE), ("main.go", "package main\n")]);
    let out = run(&dir, &["simulate", "Dockerfile"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for want in ["Stages:", "builder", "Image (target 1):", "uncompressed", "pull size", "Layers:", "Files:", "main.go"] {
        assert!(text.contains(want), "text report lacks {want:?}:\n{text}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn stdin_dockerfile_has_no_context() {
    let dir = project("stdin", &[("f", "x")]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stagecraft"))
        .args(["simulate", "--format", "json", "-"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(b"FROM scratch\nCOPY f /f\n").expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert!(v["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "MissingContextFile")));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn build_checks_come_with_fixes_in_json_and_text() {
    let df = "FROM alpine:3.20 as Builder\nRUN echo hi\n";
    let dir = project("fix", &[("Dockerfile", df)]);
    let out = run(&dir, &["simulate", "--format", "json", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "warnings do not fail the build");
    let v = json(&out);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    let casing = diags.iter().find(|d| d["code"] == "StageNameCasing").expect("StageNameCasing");
    assert_eq!(casing["severity"], "warning");
    assert_eq!(casing["message"], "Stage name 'Builder' should be lowercase");
    let fix = &casing["fix"];
    assert_eq!(fix["title"], "Write the stage name in lowercase");
    let edit = &fix["edits"][0];
    assert_eq!((edit["start"].as_u64(), edit["end"].as_u64()), (Some(20), Some(27)));
    assert_eq!((edit["line"].as_u64(), edit["column"].as_u64(), edit["end_line"].as_u64(), edit["end_column"].as_u64()), (Some(1), Some(21), Some(1), Some(28)));
    assert_eq!(edit["replacement"], "builder");
    assert!(diags.iter().find(|d| d["code"] == "FromAsCasing").is_some_and(|d| d["fix"]["edits"][0]["replacement"] == "AS"));
    // A diagnostic without a fix has no `fix` key.
    assert!(diags.iter().filter(|d| d["code"] != "StageNameCasing" && d["code"] != "FromAsCasing").all(|d| d.get("fix").is_none()));
    let text = String::from_utf8_lossy(&run(&dir, &["simulate", "Dockerfile"]).stdout).to_string();
    assert!(text.contains("StageNameCasing: Stage name 'Builder' should be lowercase"), "{text}");
    assert!(text.contains("fix: Write the stage name in lowercase"), "{text}");
    // `# check=error=true` makes BuildKit's rules fail the build.
    let strict = project("fix-error", &[("Dockerfile", &format!("# check=error=true\n{df}"))]);
    assert_eq!(run(&strict, &["simulate", "Dockerfile"]).status.code(), Some(1));
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(strict);
}
