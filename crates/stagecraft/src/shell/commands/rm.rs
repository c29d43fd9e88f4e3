//! `rm` (`-r -R -f -d`): refuses `/`, `.` and `..` as GNU rm does.

use super::super::session::{Lookup, Session, Status};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("recursive", 'R'), ("force", 'f'), ("dir", 'd'), ("verbose", 'v'), ("interactive", 'i'), ("no-preserve-root", 'N'), ("preserve-root", 'p'), ("one-file-system", 'x')];
    let opts = match parse_opts(&args[1..], "", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("rm", &e, 1),
    };
    let recursive = opts.has('r') || opts.has('R');
    let force = opts.has('f');
    if opts.operands.is_empty() && !force {
        return s.fail("rm", "missing operand", 1);
    }
    let mut status = 0;
    for f in &opts.operands {
        let last = f.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if last == "." || last == ".." {
            status = s.fail("rm", &format!("refusing to remove '.' or '..' directory: skipping '{f}'"), 1);
            continue;
        }
        match s.lookup(f, false) {
            Lookup::Found { path, node } => {
                if path == "/" {
                    status = s.fail("rm", "it is dangerous to operate recursively on '/'", 1);
                    continue;
                }
                if node.is_dir() {
                    if !recursive && !opts.has('d') {
                        status = s.fail("rm", &format!("cannot remove '{f}': Is a directory"), 1);
                        continue;
                    }
                    if !recursive && s.fs.children(&path).next().is_some() {
                        status = s.fail("rm", &format!("cannot remove '{f}': Directory not empty"), 1);
                        continue;
                    }
                }
                s.fs.remove(&path);
            }
            Lookup::Missing { .. } if force => {}
            Lookup::Missing { reason, .. } => status = s.fail("rm", &format!("cannot remove '{f}': {reason}"), 1),
            Lookup::Unknown { .. } => {
                if !force {
                    s.assume(format!("`rm {f}`: `{f}` is not in the simulated filesystem; assumed it existed"));
                }
            }
        }
    }
    status
}
