//! The simulator's checks on the final image's files: SecretFileInImage and
//! BuildToolsInFinalImage. Files the base image brings are left out of the first (a base
//! image's CA certificates are not secrets); a toolchain base counts for the second.

use std::collections::BTreeMap;

use super::{Cx, Sink};
use crate::catalog::Reference;
use crate::diagnostics::Severity;
use crate::plan::Base;
use crate::report::{FileReport, FileType};

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let Some(image) = &cx.report.image else { return };
    let base_lines: Vec<usize> = image.layers.iter().filter(|l| l.is_base).map(|l| l.line).collect();
    let added = |f: &&FileReport| f.line.is_some_and(|l| !base_lines.contains(&l));
    secrets(cx, sink, image.files.iter().filter(added));
    if assembles_artifacts(cx) {
        build_tools(cx, sink, &image.files, &base_lines);
    }
}

/// A multi-stage build whose target copies results from another stage and says what to run
/// (CMD or ENTRYPOINT): its final image is meant to run an application, so build tools
/// there are a mistake. Build and development images (a linter on golang, a CI image that
/// gathers tools with COPY --from) set no command of their own and are left alone.
fn assembles_artifacts(cx: &Cx<'_>) -> bool {
    let plan = &cx.report.plan;
    let Some(target) = plan.target.and_then(|t| plan.stages.get(t)) else { return false };
    let copies = target.deps.iter().any(|d| matches!(d.kind, crate::plan::DependencyKind::CopyFrom) && d.stage != target.index);
    let runs = target.body.clone().filter_map(|i| cx.dockerfile().instructions.get(i)).any(|i| {
        matches!(i.kind, crate::dockerfile::InstructionKind::Cmd(_) | crate::dockerfile::InstructionKind::Entrypoint(_))
    });
    copies && runs
}

/// Why a file looks like a secret, from its name (and its text when known).
pub(super) fn secret_kind(file: &FileReport) -> Option<&'static str> {
    if file.file_type != FileType::File {
        return None;
    }
    let path = file.path.as_str();
    let name = path.rsplit('/').next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let content = file.content.as_deref();
    let private_key = || content.is_none_or(|c| c.contains("PRIVATE KEY"));
    if matches!(lower.as_str(), "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519") {
        return Some("an SSH private key");
    }
    if lower == ".env" || (lower.starts_with(".env.") && !matches!(&lower[5..], "example" | "sample" | "template" | "dist" | "defaults")) {
        return Some("a dotenv file");
    }
    if matches!(lower.as_str(), ".netrc" | ".git-credentials" | ".pgpass") || path.ends_with("/.aws/credentials") || path.ends_with("/.docker/config.json") {
        return Some("a credentials file");
    }
    if matches!(lower.as_str(), "credentials" | "credentials.json" | "service-account.json" | "service_account.json") {
        return Some("a credentials file");
    }
    if lower.ends_with(".key") && private_key() {
        return Some("a private key");
    }
    if (lower.ends_with(".p12") || lower.ends_with(".pfx")) && content.is_none() {
        return Some("a certificate store with a private key");
    }
    if lower.ends_with(".pem") {
        // Certificates are public; a .pem is a secret when it holds a private key (known
        // text), or, unknown, when its name does not say it is a certificate.
        let certificate = ["cert", "chain", "ca.", "ca-", "ca_", "bundle", "pub", "root"].iter().any(|w| lower.contains(w));
        let secret = match content {
            Some(c) => c.contains("PRIVATE KEY"),
            None => !certificate,
        };
        if secret {
            return Some("a private key");
        }
    }
    None
}

/// One warning per instruction that put secret-looking files into the image.
fn secrets<'a>(cx: &Cx<'_>, sink: &mut Sink, files: impl Iterator<Item = &'a FileReport>) {
    let mut by_line: BTreeMap<usize, Vec<(&str, &str)>> = BTreeMap::new();
    for f in files {
        if let (Some(kind), Some(line)) = (secret_kind(f), f.line) {
            by_line.entry(line).or_default().push((f.path.as_str(), kind));
        }
    }
    for (line, found) in by_line {
        let Some(ins) = cx.instruction_on_line(line) else { continue };
        let mut list: Vec<String> = found.iter().take(3).map(|(path, kind)| format!("{path} ({kind})")).collect();
        if found.len() > 3 {
            list.push(format!("{} more", found.len() - 3));
        }
        let verb = if found.len() == 1 { "looks like a secret and is" } else { "look like secrets and are" };
        let message = format!(
            "{} {verb} in the final image: anyone who can pull the image can read it; keep it out with \
             .dockerignore, or use a secret mount (RUN --mount=type=secret) if the build needs it",
            list.join(", ")
        );
        sink.simulator("SecretFileInImage", Severity::Warning, ins.span, message, None);
    }
}

/// Packages that compile or build, by the names Debian and Alpine give them.
fn is_build_package(name: &str) -> bool {
    let family = |prefix: &str| name == prefix || name.strip_prefix(prefix).is_some_and(|r| r.starts_with('-') && r[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    family("gcc") || family("g++") || family("clang") || family("golang") || family("rustc")
        || matches!(name, "build-essential" | "build-base" | "golang-go" | "go" | "cargo" | "rust" | "maven" | "gradle" | "default-jdk")
        || (name.starts_with("golang-") && name.ends_with("-go"))
        || (name.starts_with("openjdk") && name.ends_with("-jdk"))
}

/// Base images that are build toolchains.
fn toolchain_base(reference: &str) -> Option<&'static str> {
    let r = Reference::parse(reference);
    let tag = r.tag.as_deref().unwrap_or("");
    match r.repository.as_str() {
        "golang" => Some("the Go toolchain"),
        "rust" => Some("the Rust toolchain"),
        "gcc" | "buildpack-deps" => Some("C compilers and development headers"),
        "maven" | "gradle" => Some("a JDK and a build tool"),
        "eclipse-temurin" | "amazoncorretto" | "openjdk" if tag.contains("jdk") => Some("a full JDK"),
        _ => None,
    }
}

fn build_tools(cx: &Cx<'_>, sink: &mut Sink, files: &[FileReport], base_lines: &[usize]) {
    let plan = &cx.report.plan;
    let Some(target) = plan.target else { return };
    // The base the target stage's chain starts from.
    let mut stage = target;
    let mut guard = 0;
    while let Some(Base::Stage(parent)) = plan.stages.get(stage).map(|s| &s.base) {
        stage = *parent;
        guard += 1;
        if guard > plan.stages.len() {
            return;
        }
    }
    if let Some(s) = plan.stages.get(stage) {
        if let Base::Image(reference) = &s.base {
            if let Some(what) = toolchain_base(reference) {
                let message = format!(
                    "the final image is built on {reference}, which brings {what}: in a multi-stage build, \
                     copy the result into a small runtime image (distroless, alpine, -slim) instead"
                );
                sink.simulator("BuildToolsInFinalImage", Severity::Warning, s.base_span, message, None);
            }
        }
    }
    let mut by_line: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.line.is_some_and(|l| !base_lines.contains(&l))) {
        let Some(line) = f.line else { continue };
        let what = if let Some(name) = f.path.strip_prefix("/var/lib/dpkg/info/").or_else(|| f.path.strip_prefix("/lib/apk/packages/")) {
            (!name.contains('/') && is_build_package(name)).then(|| format!("the {name} package"))
        } else if f.path.ends_with("/.git") && f.file_type == FileType::Dir {
            Some(format!("{} (the repository's history)", f.path))
        } else {
            None
        };
        if let Some(w) = what {
            by_line.entry(line).or_default().push(w);
        }
    }
    for (line, found) in by_line {
        let Some(ins) = cx.instruction_on_line(line) else { continue };
        let list = found.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let more = if found.len() > 3 { format!(" and {} more", found.len() - 3) } else { String::new() };
        let message = format!(
            "this multi-stage build still puts {list}{more} in the final image: it is only needed to build; \
             do this in a build stage and COPY --from only the result"
        );
        sink.simulator("BuildToolsInFinalImage", Severity::Warning, ins.span, message, None);
    }
    dev_dependencies(cx, sink, files, base_lines);
}

/// node_modules installed with the development dependencies of a package.json that lists
/// some, in the final image of a multi-stage build.
fn dev_dependencies(cx: &Cx<'_>, sink: &mut Sink, files: &[FileReport], base_lines: &[usize]) {
    let production = cx.report.image.as_ref().is_some_and(|i| i.config.env.iter().any(|(k, v)| k == "NODE_ENV" && v == "production"));
    if production {
        return;
    }
    for modules in files.iter().filter(|f| f.path.ends_with("/node_modules") && f.file_type == FileType::Dir) {
        let Some(line) = modules.line.filter(|l| !base_lines.contains(l)) else { continue };
        let dir = &modules.path[..modules.path.len() - "/node_modules".len()];
        let manifest = format!("{dir}/package.json");
        let Some(text) = files.iter().find(|f| f.path == manifest).and_then(|f| f.content.as_deref()) else { continue };
        if !has_dev_dependencies(text) {
            continue;
        }
        let Some(ins) = cx.instruction_on_line(line) else { continue };
        let command = cx.text(ins.span);
        if ["--omit=dev", "--production", "--only=prod", "--prod", "NODE_ENV=production", "npm prune"].iter().any(|f| command.contains(f)) {
            continue;
        }
        let message = format!(
            "{} holds the devDependencies of {manifest} in the final image of this multi-stage build: \
             install with `npm ci --omit=dev` in the final stage, or copy only production dependencies",
            modules.path
        );
        sink.simulator("BuildToolsInFinalImage", Severity::Warning, ins.span, message, None);
    }
}

fn has_dev_dependencies(package_json: &str) -> bool {
    let Some(at) = package_json.find("\"devDependencies\"") else { return false };
    let rest = package_json[at + "\"devDependencies\"".len()..].trim_start().trim_start_matches(':').trim_start();
    rest.starts_with('{') && !rest[1..].trim_start().starts_with('}')
}
