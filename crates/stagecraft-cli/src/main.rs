//! `stagecraft`: simulate a Dockerfile build from the terminal (../shared/GUIDE.md §5).
//! Exit status: 0 built (warnings allowed), 1 the build fails, 2 usage or I/O error.

mod args;
mod compare;
mod context_dir;
mod text;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use stagecraft::report::Report;
use stagecraft::{BuildContext, Simulation};

use args::{Command, Format, SimulateArgs};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match args::parse(&argv) {
        Ok(Command::Help) => {
            print!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("stagecraft {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Command::Simulate(a)) => simulate(&a),
        Ok(Command::Diff(d)) => compare::diff(&d),
        Ok(Command::Twin(a)) => compare::twin(&a),
        Err(e) => {
            eprintln!("stagecraft: {e}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stagecraft: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// A Dockerfile and its context, read from disk (or standard input).
pub struct Input {
    pub text: String,
    /// The file name, for `<name>.dockerignore`.
    pub name: Option<String>,
    pub context: BuildContext,
}

/// Reads `dockerfile` (`-`: standard input) and its context: `context`, else none with
/// `no_context`, else the Dockerfile's directory (none for standard input).
pub fn load(dockerfile: &str, context: Option<&str>, no_context: bool) -> anyhow::Result<Input> {
    let (text, default_dir, name) = if dockerfile == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading the Dockerfile from standard input")?;
        (text, None, None)
    } else {
        let path = Path::new(dockerfile);
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let dir = path.parent().map(|p| if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() });
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (text, dir, name)
    };
    let context = match (context, no_context) {
        (_, true) => BuildContext::new(),
        (Some(dir), false) => context_dir::read(Path::new(dir))?,
        (None, false) => match &default_dir {
            Some(dir) => context_dir::read(dir)?,
            None => BuildContext::new(),
        },
    };
    Ok(Input { text, name, context })
}

/// What to simulate: a loaded Dockerfile and context with the command's target and mode.
pub fn simulation<'a>(input: &'a Input, a: &'a SimulateArgs, build_args: std::collections::BTreeMap<String, String>) -> Simulation<'a> {
    Simulation {
        dockerfile: &input.text,
        dockerfile_name: input.name.as_deref(),
        context: &input.context,
        build_args,
        target: a.target.as_deref(),
        strict: a.strict,
    }
}

pub fn run(input: &Input, a: &SimulateArgs, build_args: std::collections::BTreeMap<String, String>) -> Report {
    stagecraft::simulate(&simulation(input, a, build_args))
}

fn simulate(a: &SimulateArgs) -> anyhow::Result<ExitCode> {
    if a.dockerfile == "-" && a.previous.as_ref().is_some_and(|p| p.dockerfile == "-") {
        anyhow::bail!("only one of the Dockerfile and --previous can be standard input");
    }
    let input = load(&a.dockerfile, a.context.as_deref(), a.no_context)?;
    let report = run(&input, a, a.build_args.clone());
    // The previous build: its own Dockerfile, this build's context and build args unless told.
    let previous = match &a.previous {
        Some(p) => {
            // Without --previous-context, no directory is read: this build's context is reused.
            let mut old = load(&p.dockerfile, p.context.as_deref(), p.context.is_none())?;
            if p.context.is_none() {
                old.context = input.context.clone();
            }
            let mut build_args = a.build_args.clone();
            build_args.extend(p.build_args.clone());
            let old_report = run(&old, a, build_args);
            if old_report.has_errors() {
                eprintln!("stagecraft: note: the previous build ({}) has errors; the cache holds only the steps it got through", p.dockerfile);
            }
            Some(old_report)
        }
        None => None,
    };
    let cache = previous.as_ref().map(|old| stagecraft::cache::compare(old, &report));
    let log = a.log.then(|| stagecraft::buildlog::build_log_cached(&report, &input.text, cache.as_ref()));
    match a.format {
        Format::Json => {
            let mut out = stagecraft::contract::output(&report);
            out.log = log.as_ref().map(|l| stagecraft::contract::log(&report, l));
            out.cache = cache.as_ref().map(|c| stagecraft::contract::cache(&report, c));
            println!("{}", stagecraft::contract::json(&out));
        }
        Format::Text => {
            if let Some(log) = &log {
                print!("{}", log.render());
            }
            if let Some(cache) = &cache {
                print!("{}", text::cache_summary(cache));
            }
            if log.is_some() {
                println!();
            }
            print!("{}", text::render(&report));
        }
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
