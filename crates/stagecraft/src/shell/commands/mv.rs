//! `mv`: a copy that keeps everything (mode, owner, symlinks), then removal of the source.

use super::super::session::{Session, Status};
use super::cp::{transfer, CopyOpts};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("force", 'f'), ("no-clobber", 'n'), ("target-directory=", 't'), ("no-target-directory", 'T'), ("verbose", 'v'), ("update", 'u'), ("interactive", 'i')];
    let opts = match parse_opts(&args[1..], "t", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("mv", &e, 1),
    };
    let mut operands = opts.operands.clone();
    let dest = match opts.value('t') {
        Some(t) => t.to_string(),
        None => match operands.pop() {
            Some(d) if !operands.is_empty() => d,
            Some(d) => return s.fail("mv", &format!("missing destination file operand after '{d}'"), 1),
            None => return s.fail("mv", "missing file operand", 1),
        },
    };
    let c = CopyOpts { recursive: true, preserve_mode: true, preserve_owner: true, deref_top: false, no_clobber: opts.has('n') };
    transfer(s, "mv", &operands, &dest, opts.has('T'), &c, true)
}
