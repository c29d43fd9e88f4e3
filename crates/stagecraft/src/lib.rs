//! Stagecraft's core: simulates `docker build` without an engine.
//!
//! Pipeline (one module each, data flowing one way):
//! `parse` → `plan` → `build` (on `vfs`) → `report`, then `checks`. See ARCHITECTURE.md.
//! The core is pure: no IO, no browser dependencies. User input never yields an `Err`:
//! problems are diagnostics in the `Report`.

pub mod archive;
pub mod args;
pub mod build;
pub mod buildlog;
pub mod cache;
pub mod catalog;
pub mod catalog_adapter;
pub mod checks;
pub mod context;
pub mod contract;
pub mod diagnostics;
pub mod diff;
pub mod dockerfile;
pub mod dockerignore;
pub mod expand;
pub mod image;
pub mod ospkg;
pub mod parse;
pub mod pathmatch;
pub mod plan;
pub mod report;
pub mod shell;
pub mod sizes;
pub mod span;
pub mod steps;
pub mod suggest;
pub mod twin;
pub mod view;
pub mod vfs;

use std::collections::BTreeMap;

pub use context::BuildContext;
pub use diagnostics::{Diagnostic, Severity};
pub use report::Report;

/// One simulation request.
#[derive(Clone, Debug)]
pub struct Simulation<'a> {
    pub dockerfile: &'a str,
    /// The Dockerfile's file name, for `<name>.dockerignore`; `None` means `Dockerfile`.
    pub dockerfile_name: Option<&'a str>,
    pub context: &'a BuildContext,
    pub build_args: BTreeMap<String, String>,
    /// The stage to build; `None` builds the last one.
    pub target: Option<&'a str>,
    /// A source missing from the context fails the build instead of becoming a placeholder.
    pub strict: bool,
}

/// Simulates `docker build`. Never fails: what went wrong is in `Report::diagnostics`.
pub fn simulate(input: &Simulation<'_>) -> Report {
    let mut diags = diagnostics::Diagnostics::new(input.dockerfile);
    let dockerfile = parse::parse(input.dockerfile, &mut diags);
    let plan = plan::plan(
        &dockerfile,
        &plan::PlanOptions { target: input.target, build_args: &input.build_args },
        &mut diags,
    );
    // `<Dockerfile>.dockerignore` beside the Dockerfile wins over `.dockerignore`, also for
    // the default name.
    let dockerfile_name = input.dockerfile_name.unwrap_or("Dockerfile");
    let (context, ignore) = dockerignore::filter_context(input.context, Some(dockerfile_name));
    let options = build::BuildOptions { build_args: &input.build_args, strict: input.strict };
    // BuildKit would refuse to start after a parse error; the simulator still builds what it
    // could read (the errors stay in the report and fail the CLI), so an editor shows results
    // while the user is typing. A plan with no target (a cycle, an unknown target) builds nothing.
    let built = build::build(&dockerfile, &plan, &context, &options, &mut diags);
    let mut report = report::assemble(dockerfile, plan, built, diags.into_vec());
    // Build checks (BuildKit's `--check` rules and the simulator's own) read the finished
    // report; they only add diagnostics.
    let checked = checks::run(&checks::Input {
        source: input.dockerfile,
        report: &report,
        ignore: ignore.as_ref(),
        build_args: &input.build_args,
    });
    report.diagnostics.extend(checked);
    report.ignored = ignore.map(|i| i.ignored).unwrap_or_default();
    report
}
