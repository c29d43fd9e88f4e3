//! `touch`: creates empty files; touching an existing one copies it up into the layer.

use super::super::session::{Lookup, Session, Status, Stream};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("no-create", 'c'), ("date=", 'd'), ("reference=", 'r'), ("no-dereference", 'h')];
    let opts = match parse_opts(&args[1..], "dtr", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("touch", &e, 1),
    };
    if opts.operands.is_empty() {
        return s.fail("touch", "missing file operand", 1);
    }
    let mut status = 0;
    for f in &opts.operands {
        match s.lookup(f, !opts.has('h')) {
            Lookup::Found { path, .. } => {
                s.fs.update(&path, |_| {});
            }
            _ if opts.has('c') => {}
            _ => match s.create_target("touch", f) {
                Ok(path) => s.write_stream(&path, Stream::default(), false),
                Err(st) => status = st,
            },
        }
    }
    status
}
