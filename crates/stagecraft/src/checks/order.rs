//! The simulator's CopyBeforeDependencyInstall: copying the whole build context before the
//! RUN that installs dependencies, so any edit to any file re-runs the install (Docker's
//! cache rules, as `cache` simulates them).

use super::{Cx, Sink};
use crate::diagnostics::Severity;
use crate::dockerfile::{CommandForm, CopySource, Instruction, InstructionKind};

/// Dependency installs and the manifests they read.
const INSTALLS: &[(&str, &str)] = &[
    ("npm ci", "package.json and package-lock.json"),
    ("npm install", "package.json and package-lock.json"),
    ("npm i ", "package.json and package-lock.json"),
    ("yarn install", "package.json and yarn.lock"),
    ("pnpm install", "package.json and pnpm-lock.yaml"),
    ("pip install -r", "the requirements file"),
    ("pip3 install -r", "the requirements file"),
    ("pip install --requirement", "the requirements file"),
    ("poetry install", "pyproject.toml and poetry.lock"),
    ("pipenv install", "Pipfile and Pipfile.lock"),
    ("uv sync", "pyproject.toml and uv.lock"),
    ("bundle install", "Gemfile and Gemfile.lock"),
    ("composer install", "composer.json and composer.lock"),
    ("go mod download", "go.mod and go.sum"),
    ("dotnet restore", "the project files (*.csproj)"),
    ("mvn dependency:go-offline", "pom.xml"),
    ("cargo fetch", "Cargo.toml and Cargo.lock"),
];

pub(super) fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let instructions = &cx.dockerfile().instructions;
    for stage in &cx.report.plan.stages {
        let mut whole: Option<&Instruction> = None;
        for ins in stage.body.clone().filter_map(|i| instructions.get(i)) {
            if copies_whole_context(ins) {
                whole = whole.or(Some(ins));
                continue;
            }
            let Some(copy) = whole else { continue };
            let Some((install, manifest)) = install_in(ins) else { continue };
            let message = format!(
                "`{}` copies the whole build context before `{install}` installs dependencies: \
                 any change to any file re-runs the install; copy {manifest} first, install, then copy the rest",
                cx.text(copy.span).lines().next().unwrap_or("").trim()
            );
            sink.simulator("CopyBeforeDependencyInstall", Severity::Info, copy.span, message, None);
            break;
        }
    }
}

/// `COPY . .`, `COPY ./ /app`, `ADD . /src`: the context root (not `--from` another stage).
fn copies_whole_context(ins: &Instruction) -> bool {
    let (InstructionKind::Copy(args) | InstructionKind::Add(args)) = &ins.kind else { return false };
    ins.flag("from").is_none()
        && args.sources.iter().any(|s| matches!(s, CopySource::Path(w) if matches!(w.value.as_str(), "." | "./" | "/" | "*")))
}

fn install_in(ins: &Instruction) -> Option<(&'static str, &'static str)> {
    let InstructionKind::Run { command, .. } = &ins.kind else { return None };
    let text = match command {
        CommandForm::Shell(s) => s.value.clone(),
        CommandForm::Exec(words) => words.join(" "),
    };
    let text = format!("{} ", text.split_whitespace().collect::<Vec<_>>().join(" "));
    INSTALLS.iter().find(|(cmd, _)| text.contains(cmd)).copied()
}
