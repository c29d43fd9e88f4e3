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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn log_prints_buildkit_style_steps() {
    let dir = project("log", &[("Dockerfile", TWO_STAGE), ("main.go", "package main\n")]);
    let out = run(&dir, &["simulate", "--log", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    for want in ["#1 [internal] load build definition from Dockerfile", "[builder 1/4] FROM docker.io/library/golang:1.22", "[stage-1 2/2] COPY --from=builder /src/main.go /app/main.go", "exporting to image", "Image (target 1):"] {
        assert!(text.contains(want), "log lacks {want:?}:\n{text}");
    }
    assert!(!text.contains("CACHED"), "a first build caches nothing");
    // JSON: the log is an addition; without --log the output has no "log" key.
    let v = json(&run(&dir, &["simulate", "--log", "--format", "json", "Dockerfile"]));
    let entries = v["log"]["entries"].as_array().expect("log.entries");
    let copy = entries.iter().find(|e| e["line"] == 7).expect("the COPY --from step");
    assert_eq!(copy["status"], "DONE");
    assert_eq!(copy["stage"], "1");
    assert_eq!(copy["size_bytes"], 13);
    assert!(v["log"]["text"].as_str().is_some_and(|t| t.contains("#1 [internal]")));
    assert!(v.get("cache").is_none());
    let plain = json(&run(&dir, &["simulate", "--format", "json", "Dockerfile"]));
    assert!(plain.get("log").is_none() && plain.get("cache").is_none(), "the contract is unchanged without the new flags");
    let _ = std::fs::remove_dir_all(dir);
}

const SOURCES_FIRST: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n";
const MANIFEST_FIRST: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"index.js\"]\n";

/// A project with its old version beside it (old/): only `index.js` differs.
fn node_project(name: &str, dockerfile: &str) -> PathBuf {
    let files = [
        ("Dockerfile", dockerfile),
        (".dockerignore", "old\n"),
        ("package.json", "{\"name\": \"a\", \"version\": \"1.0.0\", \"dependencies\": {\"express\": \"4.19.2\"}}\n"),
        ("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n"),
        ("index.js", "console.log('new');\n"),
        ("old/Dockerfile", dockerfile),
        ("old/.dockerignore", "old\n"),
        ("old/package.json", "{\"name\": \"a\", \"version\": \"1.0.0\", \"dependencies\": {\"express\": \"4.19.2\"}}\n"),
        ("old/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n"),
        ("old/index.js", "console.log('old');\n"),
    ];
    project(name, &files)
}

#[test]
fn previous_build_marks_cached_steps_and_names_the_first_miss() {
    // Sources copied before `npm ci`: editing index.js reinstalls the dependencies.
    let dir = node_project("prev-sources", SOURCES_FIRST);
    let out = run(&dir, &["simulate", "--previous", "old/Dockerfile", "--previous-context", "old", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("[2/4] WORKDIR /app\n#5 CACHED"), "WORKDIR is cached:\n{text}");
    assert!(text.contains("First miss: changing `index.js` invalidates `COPY . .` (line 3) and every step after it"), "{text}");
    let v = json(&run(&dir, &["simulate", "--previous", "old/Dockerfile", "--previous-context", "old", "--format", "json", "Dockerfile"]));
    let cache = &v["cache"];
    assert_eq!(cache["first_miss"]["line"], 3);
    assert_eq!(cache["first_miss"]["reason"], "files_changed");
    let npm = cache["steps"].as_array().and_then(|s| s.iter().find(|s| s["name"] == "RUN npm ci")).expect("npm ci step");
    assert_eq!(npm["cached"], false);
    assert_eq!(npm["reason"], "after_miss");
    assert!(v["log"]["entries"].as_array().is_some_and(|e| e.iter().any(|e| e["status"] == "CACHED")), "--previous implies the log");
    let _ = std::fs::remove_dir_all(dir);

    // The manifest first: the same edit keeps `npm ci` cached.
    let dir = node_project("prev-manifest", MANIFEST_FIRST);
    let v = json(&run(&dir, &["simulate", "--previous", "old/Dockerfile", "--previous-context", "old", "--format", "json", "Dockerfile"]));
    let cache = &v["cache"];
    let npm = cache["steps"].as_array().and_then(|s| s.iter().find(|s| s["name"] == "RUN npm ci")).expect("npm ci step");
    assert_eq!(npm["cached"], true, "{cache}");
    assert_eq!(cache["first_miss"]["line"], 5);
    assert!(cache["first_miss"]["explanation"].as_str().is_some_and(|e| e.contains("changing `index.js` invalidates `COPY . .` (line 5)")));
    // The same build again: everything cached, no miss.
    let v = json(&run(&dir, &["simulate", "--previous", "Dockerfile", "--format", "json", "Dockerfile"]));
    assert_eq!(v["cache"]["rebuilt"], 0);
    assert!(v["cache"]["first_miss"].is_null());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn previous_build_args_override_this_builds() {
    let df = "FROM alpine:3.20\nARG VERSION=1\nRUN echo $VERSION > /v\n";
    let dir = project("prev-args", &[("Dockerfile", df)]);
    let out = run(&dir, &["simulate", "--build-arg", "VERSION=2", "--previous", "Dockerfile", "--previous-build-arg", "VERSION=1", "Dockerfile"]);
    let text = stdout(&out);
    assert!(text.contains("First miss: changing the value of `VERSION` from `1` to `2`"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

const SINGLE_JAVA: &str = "FROM maven:3-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -q package\nCMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n";
const MULTI_JAVA: &str = "FROM maven:3-eclipse-temurin-21 AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -q package\n\nFROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=build /app/target/app-1.0.jar app.jar\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"app.jar\"]\n";
const POM: &str = "<project><modelVersion>4.0.0</modelVersion><groupId>e</groupId><artifactId>app</artifactId><version>1.0</version></project>\n";

#[test]
fn diff_compares_two_dockerfiles() {
    let dir = project("diff", &[("single.Dockerfile", SINGLE_JAVA), ("multi.Dockerfile", MULTI_JAVA), ("pom.xml", POM), ("src/App.java", "class App {}\n")]);
    let out = run(&dir, &["diff", "single.Dockerfile", "multi.Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    for want in ["Image (target 0 → 1):", "base       maven:3-eclipse-temurin-21 → eclipse-temurin:21-jre", "Layers:", "+ /app/app.jar", "CMD", "EXPOSE"] {
        assert!(text.contains(want), "diff lacks {want:?}:\n{text}");
    }
    let v = json(&run(&dir, &["diff", "--format", "json", "single.Dockerfile", "multi.Dockerfile"]));
    assert!(v["size_delta_bytes"].as_i64().is_some_and(|d| d < -100_000_000), "multi-stage saves the build tools: {}", v["size_delta_bytes"]);
    assert_eq!(v["before"]["base"], "maven:3-eclipse-temurin-21");
    assert_eq!(v["after"]["target"], "1");
    assert!(v["stages"].as_array().is_some_and(|s| s.iter().any(|s| s["status"] == "added" && s["after"]["label"] == "1")));
    let added = v["files"]["entries"].as_array().and_then(|e| e.iter().find(|e| e["path"] == "/app/app.jar")).expect("the jar");
    assert_eq!(added["change"], "added");
    assert!(v["config"].as_array().is_some_and(|c| c.iter().any(|c| c["field"] == "EXPOSE" && c["after"] == "8080/tcp")));
    assert!(v["diagnostics"]["before"].is_array() && v["diagnostics"]["after"].is_array());
    // A separate context for B, and usage errors.
    let b_ctx = dir.join("other");
    std::fs::create_dir_all(b_ctx.join("src")).expect("mkdir");
    std::fs::write(b_ctx.join("pom.xml"), POM).expect("write");
    std::fs::write(b_ctx.join("src/App.java"), "class App { int bigger; }\n").expect("write");
    let v = json(&run(&dir, &["diff", "--context-b", "other", "--format=json", "single.Dockerfile", "single.Dockerfile"]));
    assert!(v["layers"].as_array().is_some_and(|l| l.iter().any(|l| l["status"] == "resized" && l["after"]["instruction"] == "COPY src ./src")), "{}", v["layers"]);
    assert_eq!(run(&dir, &["diff", "single.Dockerfile"]).status.code(), Some(2));
    assert_eq!(run(&dir, &["diff", "single.Dockerfile", "missing.Dockerfile"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn twin_prints_the_single_stage_dockerfile_and_its_size() {
    let dir = project("twin", &[("Dockerfile", MULTI_JAVA), ("single.Dockerfile", SINGLE_JAVA), ("pom.xml", POM), ("src/App.java", "class App {}\n")]);
    let out = run(&dir, &["twin", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let twin = stdout(&out);
    assert!(twin.starts_with("# Single-stage twin of stage 1"), "{twin}");
    assert!(twin.contains("FROM maven:3-eclipse-temurin-21\n") && !twin.contains("eclipse-temurin:21-jre"), "{twin}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Notes:") && err.contains("single-stage twin (after)") && err.contains("size "), "{err}");
    // The twin on standard output simulates as it is.
    std::fs::write(dir.join("twin.Dockerfile"), &twin).expect("write");
    assert_eq!(run(&dir, &["simulate", "twin.Dockerfile"]).status.code(), Some(0));
    let v = json(&run(&dir, &["twin", "--format", "json", "Dockerfile"]));
    assert_eq!(v["base"], "maven:3-eclipse-temurin-21");
    assert_eq!(v["stages"], serde_json::json!(["build", "1"]));
    assert!(v["diff"]["size_delta_bytes"].as_i64().is_some_and(|d| d > 100_000_000), "the twin carries Maven and the JDK");
    // A single stage has no twin.
    let out = run(&dir, &["twin", "single.Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already a single stage"));
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
