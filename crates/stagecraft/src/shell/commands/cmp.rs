//! `cmp [-s] A B`: byte comparison of two files' known contents.

use super::super::session::{Session, Status};
use super::{parse_opts, read_input};

pub fn run(args: &[String], s: &mut Session) -> Status {
    let opts = match parse_opts(&args[1..], "in", &[("silent", 's'), ("quiet", 's'), ("verbose", 'l')]) {
        Ok(o) => o,
        Err(e) => return s.fail("cmp", &e, 2),
    };
    let (Some(a), b) = (opts.operands.first(), opts.operands.get(1).map_or("-", String::as_str)) else {
        return s.fail("cmp", "missing operand", 2);
    };
    let Ok(x) = read_input(s, "cmp", a) else { return 2 };
    let Ok(y) = read_input(s, "cmp", b) else { return 2 };
    if !x.is_known() || !y.is_known() {
        // Sizes may still be known, and different sizes are a certain difference.
        if !x.opaque && !y.opaque && x.len() != y.len() {
            return 1;
        }
        s.assume(format!("`cmp {a} {b}`: the content of a file is not known; assumed identical"));
        return 0;
    }
    let first_diff = x.bytes.iter().zip(y.bytes.iter()).position(|(p, q)| p != q);
    match first_diff {
        None if x.bytes.len() == y.bytes.len() => 0,
        None => {
            if !opts.has('s') {
                let shorter = if x.bytes.len() < y.bytes.len() { a } else { b };
                let text = format!("cmp: EOF on {shorter} after byte {}\n", x.bytes.len().min(y.bytes.len()));
                s.err(&text);
            }
            1
        }
        Some(i) => {
            if !opts.has('s') {
                let line = x.bytes[..i].iter().filter(|&&c| c == b'\n').count() + 1;
                let text = format!("{a} {b} differ: byte {}, line {line}\n", i + 1);
                s.out(&text);
            }
            1
        }
    }
}
