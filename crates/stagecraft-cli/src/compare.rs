//! `stagecraft diff` and `stagecraft twin`: two builds side by side.

use std::process::ExitCode;

use stagecraft::contract;
use stagecraft::diff::diff as diff_reports;
use stagecraft::report::Report;
use stagecraft::twin::simulate_twin;

use crate::args::{DiffArgs, Format, SimulateArgs};
use crate::{load, run, text};

pub fn diff(d: &DiffArgs) -> anyhow::Result<ExitCode> {
    let a = load(&d.a.dockerfile, d.a.context.as_deref(), d.a.no_context)?;
    let b = load(&d.b.dockerfile, d.b.context.as_deref(), d.b.no_context)?;
    let (ra, rb) = (run(&a, &d.a, d.a.build_args.clone()), run(&b, &d.b, d.b.build_args.clone()));
    let result = diff_reports(&ra, &rb);
    match d.format {
        Format::Json => println!("{}", contract::json(&contract::diff(&ra, &rb, &result))),
        Format::Text => {
            println!("A: {}\nB: {}\n", d.a.dockerfile, d.b.dockerfile);
            print!("{}", result.render());
            print!("{}", text::errors("A", &ra));
            print!("{}", text::errors("B", &rb));
        }
    }
    Ok(exit(&[&ra, &rb]))
}

pub fn twin(a: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let input = load(&a.dockerfile, a.context.as_deref(), a.no_context)?;
    let simulation = crate::simulation(&input, a, a.build_args.clone());
    let report = stagecraft::simulate(&simulation);
    let (twin, twin_report) = match simulate_twin(&simulation, &report) {
        Ok(t) => t,
        Err(reason) => {
            match a.format {
                Format::Json => println!("{}", contract::json(&serde_json::json!({ "error": reason }))),
                Format::Text => eprintln!("stagecraft: no single-stage twin: {reason}"),
            }
            return Ok(ExitCode::from(1));
        }
    };
    match a.format {
        Format::Json => println!("{}", contract::json(&contract::twin(&report, &twin, &twin_report))),
        Format::Text => {
            // The Dockerfile alone on standard output, so `stagecraft twin Dockerfile > Dockerfile.twin` works.
            print!("{}", twin.dockerfile);
            // Before the notes, so a terminal shows the two in order.
            let _ = std::io::Write::flush(&mut std::io::stdout());
            let mut err = String::new();
            if !twin.notes.is_empty() {
                err.push_str("Notes:\n");
                for n in &twin.notes {
                    err.push_str(&format!("  - {n}\n"));
                }
                err.push('\n');
            }
            err.push_str("The original (before) against its single-stage twin (after):\n");
            err.push_str(&diff_reports(&report, &twin_report).render());
            err.push_str(&text::errors("the original", &report));
            err.push_str(&text::errors("the twin", &twin_report));
            eprint!("{err}");
        }
    }
    Ok(exit(&[&report, &twin_report]))
}

fn exit(reports: &[&Report]) -> ExitCode {
    if reports.iter().any(|r| r.has_errors()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
