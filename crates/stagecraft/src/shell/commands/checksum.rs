//! `sha256sum` and its kin: print or check digests. The simulator does not hash, so a
//! printed digest is unknown output; `-c` checks that every listed file is there (a missing
//! one fails, as it would in Docker) and assumes the digests match, saying so.

use super::super::session::{Lookup, Session, Status};
use crate::diagnostics::Severity;
use super::{parse_opts, read_input};

pub fn run(args: &[String], s: &mut Session) -> Status {
    let name = args[0].rsplit('/').next().unwrap_or("sha256sum").to_string();
    let long = [("check", 'c'), ("binary", 'b'), ("text", 't'), ("quiet", 'q'), ("status", 's'), ("strict", 'S'), ("warn", 'w'), ("ignore-missing", 'i'), ("tag", 'T'), ("zero", 'z')];
    let opts = match parse_opts(&args[1..], "", &long) {
        Ok(o) => o,
        Err(e) => return s.fail(&name, &e, 1),
    };
    let files = if opts.operands.is_empty() { vec!["-".to_string()] } else { opts.operands.clone() };
    if !opts.has('c') {
        let mut status = 0;
        for f in &files {
            if let Err(st) = read_input(s, &name, f) {
                status = st;
            }
        }
        s.io.stdout.opaque = true;
        return status;
    }
    let mut status = 0;
    let mut checked = 0;
    for list in &files {
        let text = match read_input(s, &name, list) {
            Ok(data) if data.opaque || data.unknown > 0 => {
                s.note(Severity::Info, "ChecksumAssumed", format!("`{name} -c`: the list of files to check is not known; assumed they are all present and match"));
                continue;
            }
            Ok(data) => data.text(),
            Err(st) => {
                status = st;
                continue;
            }
        };
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            // `<digest>  <file>`, `<digest> *<file>` (binary), or the BSD `--tag` form.
            let file = match line.split_once(' ') {
                Some((_, rest)) if !line.contains(" = ") => rest.trim_start().trim_start_matches('*'),
                _ => match line.split_once(" = ").and_then(|(head, _)| head.split_once('(')) {
                    Some((_, f)) => f.trim_end_matches(')'),
                    None => {
                        status = status.max(1);
                        continue;
                    }
                },
            };
            match s.lookup(file, true) {
                Lookup::Missing { .. } if opts.has('i') => {}
                Lookup::Missing { .. } => {
                    s.out(&format!("{file}: FAILED open or read\n"));
                    s.err(&format!("{name}: {file}: No such file or directory\n"));
                    status = 1;
                }
                _ => {
                    if !opts.has('q') && !opts.has('s') {
                        s.out(&format!("{file}: OK\n"));
                    }
                    checked += 1;
                }
            }
        }
    }
    if checked > 0 {
        s.note(Severity::Info, "ChecksumAssumed", format!("`{name} -c`: digests are not computed in the simulation; the {checked} file(s) present are assumed to match"));
    }
    status
}
