//! `cat` and `tee`: bytes from files or stdin to stdout (and files).

use super::super::session::{Session, Status, Stream};
use super::{parse_opts, read_input};

pub fn cat(args: &[String], s: &mut Session) -> Status {
    let opts = match parse_opts(&args[1..], "", &[]) {
        Ok(o) => o,
        Err(e) => return s.fail("cat", &e, 1),
    };
    let files = if opts.operands.is_empty() { vec!["-".to_string()] } else { opts.operands };
    let mut status = 0;
    for f in &files {
        match read_input(s, "cat", f) {
            Ok(data) => s.io.stdout.append(&data),
            Err(st) => status = st,
        }
    }
    status
}

pub fn tee(args: &[String], s: &mut Session) -> Status {
    let opts = match parse_opts(&args[1..], "", &[("append", 'a'), ("ignore-interrupts", 'i')]) {
        Ok(o) => o,
        Err(e) => return s.fail("tee", &e, 1),
    };
    let data: Stream = std::mem::take(&mut s.io.stdin);
    let append = opts.has('a');
    let mut status = 0;
    for f in &opts.operands {
        if f == "/dev/null" || f.starts_with("/dev/") || f.starts_with("/proc/") {
            continue;
        }
        match s.create_target("tee", f) {
            Ok(path) if s.fs.get(&path).is_some_and(|n| n.is_dir()) => status = s.fail("tee", &format!("{f}: Is a directory"), 1),
            Ok(path) => s.write_stream(&path, data.clone(), append),
            Err(st) => status = st,
        }
    }
    s.io.stdout.append(&data);
    status
}
