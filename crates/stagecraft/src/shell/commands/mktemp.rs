//! `mktemp`: creates a uniquely named file (mode 0600) or directory (`-d`, mode 0700) and
//! prints its name. The X's of the template become a deterministic suffix, the first one
//! not taken, so a simulation gives the same names every time.

use super::super::session::{Lookup, Session, Status, Stream};
use super::parse_opts;
use crate::vfs::Node;

const DEFAULT_TEMPLATE: &str = "tmp.XXXXXXXXXX";
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("directory", 'd'), ("quiet", 'q'), ("dry-run", 'u'), ("tmpdir=", 'p'), ("suffix=", 'S')];
    let opts = match parse_opts(&args[1..], "pS", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("mktemp", &e, 1),
    };
    if opts.operands.len() > 1 {
        return s.fail("mktemp", "too many templates", 1);
    }
    let tmpdir = || s.var("TMPDIR").filter(|d| !d.is_empty()).unwrap_or("/tmp").to_string();
    let template = opts.operands.first().cloned();
    // A directory applies with -p/--tmpdir or -t, or without a template; a template of its
    // own is relative to the working directory, as GNU mktemp does.
    let dir = match (opts.value('p'), &template) {
        (Some(p), _) if !p.is_empty() => Some(p.to_string()),
        (Some(_), _) | (None, None) => Some(tmpdir()),
        (None, Some(_)) if opts.has('t') => Some(tmpdir()),
        (None, Some(_)) => None,
    };
    let template = template.unwrap_or_else(|| DEFAULT_TEMPLATE.to_string());
    let suffix = opts.value('S').unwrap_or("");
    let xs = template.len() - template.trim_end_matches('X').len();
    if xs < 3 {
        return s.fail("mktemp", &format!("too few X's in template '{template}'"), 1);
    }
    let stem = &template[..template.len() - xs];
    let base = match &dir {
        Some(d) => crate::vfs::join(&s.abs(d), stem),
        None => stem.to_string(),
    };
    let Some(name) = (0u64..10_000).map(|n| format!("{base}{}{suffix}", fill(n, xs))).find(|p| !matches!(s.lookup(p, false), Lookup::Found { .. })) else {
        return s.fail("mktemp", &format!("failed to create file via template '{template}': File exists"), 1);
    };
    if !opts.has('u') {
        let path = match s.create_target("mktemp", &name) {
            Ok(p) => p,
            Err(st) => return st,
        };
        let owner = s.owner();
        if opts.has('d') {
            let mut node = Node::dir(0o700);
            (node.uid, node.gid) = owner;
            s.fs.write(&path, node, owner);
        } else {
            s.write_stream(&path, Stream::default(), false);
            s.fs.update(&path, |n| n.mode = 0o600);
        }
    }
    s.out(&format!("{name}\n"));
    0
}

/// `n` written in the alphabet, `width` characters wide.
fn fill(mut n: u64, width: usize) -> String {
    let mut out = vec![b'a'; width];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % ALPHABET.len() as u64) as usize];
        n /= ALPHABET.len() as u64;
    }
    String::from_utf8(out).unwrap_or_default()
}
