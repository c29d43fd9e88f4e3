//! `stagecraft`: simulate a Dockerfile build from the terminal (../shared/GUIDE.md §5).
//! Exit status: 0 built (warnings allowed), 1 the build fails, 2 usage or I/O error.

mod args;
mod context_dir;
mod text;

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context as _;
use stagecraft::{BuildContext, Simulation};

use args::{Command, Format, SimulateArgs};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match args::parse(&argv) {
        Ok(Command::Help) => {
            print!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("stagecraft {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Simulate(a)) => match simulate(&a) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("stagecraft: {e:#}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("stagecraft: {e}\n\n{}", args::USAGE);
            ExitCode::from(2)
        }
    }
}

fn simulate(a: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let (dockerfile, default_dir, name) = if a.dockerfile == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading the Dockerfile from standard input")?;
        (text, None, None)
    } else {
        let path = std::path::Path::new(&a.dockerfile);
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let dir = path.parent().map(|p| if p.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { p.to_path_buf() });
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        (text, dir, name)
    };
    let context = match (&a.context, a.no_context) {
        (_, true) => BuildContext::new(),
        (Some(dir), false) => context_dir::read(std::path::Path::new(dir))?,
        (None, false) => match &default_dir {
            Some(dir) => context_dir::read(dir)?,
            None => BuildContext::new(),
        },
    };
    let report = stagecraft::simulate(&Simulation {
        dockerfile: &dockerfile,
        dockerfile_name: name.as_deref(),
        context: &context,
        build_args: a.build_args.clone(),
        target: a.target.as_deref(),
        strict: a.strict,
    });
    match a.format {
        Format::Json => println!("{}", stagecraft::contract::to_json(&report)),
        Format::Text => print!("{}", text::render(&report)),
    }
    Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
