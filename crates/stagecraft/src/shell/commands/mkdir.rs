//! `mkdir` (`-p`, `-m`) and `rmdir`.

use crate::vfs::{self, Node};

use super::super::session::{Lookup, Session, Status};
use super::{chmod, parse_opts};

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("parents", 'p'), ("mode=", 'm'), ("verbose", 'v')];
    let opts = match parse_opts(&args[1..], "m", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("mkdir", &e, 1),
    };
    let default = s.new_mode(true);
    let mode = match opts.value('m') {
        Some(spec) => match chmod::parse_mode(spec) {
            Some(m) => chmod::apply_mode(&m, 0o777, true, s.st.umask),
            None => return s.fail("mkdir", &format!("invalid mode '{spec}'"), 1),
        },
        None => default,
    };
    if opts.operands.is_empty() {
        return s.fail("mkdir", "missing operand", 1);
    }
    let mut status = 0;
    for d in &opts.operands {
        let r = if opts.has('p') { mkdir_p(s, d, mode, default) } else { mkdir_one(s, d, mode) };
        if let Err(st) = r {
            status = st;
        }
    }
    status
}

fn mkdir_one(s: &mut Session, d: &str, mode: u32) -> Result<(), Status> {
    if let Lookup::Found { .. } = s.lookup(d, false) {
        return Err(s.fail("mkdir", &format!("can't create directory '{d}': File exists"), 1));
    }
    let path = s.create_target("mkdir", d)?;
    let mut node = Node::dir(mode);
    (node.uid, node.gid) = s.owner();
    let owner = s.owner();
    s.fs.write(&path, node, owner);
    Ok(())
}

fn mkdir_p(s: &mut Session, d: &str, mode: u32, default: u32) -> Result<(), Status> {
    let abs = s.abs(d);
    let comps: Vec<&str> = abs.split('/').filter(|c| !c.is_empty()).collect();
    let mut cur = String::from("/");
    for (i, c) in comps.iter().enumerate() {
        cur = vfs::join(&cur, c);
        let real = match s.fs.resolve(&cur, true) {
            Ok(p) => p,
            Err(e) => return Err(s.fail("mkdir", &format!("can't create directory '{d}': {e}"), 1)),
        };
        match s.fs.get(&real) {
            Some(n) if n.is_dir() => {}
            Some(_) => return Err(s.fail("mkdir", &format!("can't create directory '{d}': Not a directory"), 1)),
            None => {
                let m = if i + 1 == comps.len() { mode } else { default | 0o300 };
                let mut node = Node::dir(m);
                (node.uid, node.gid) = s.owner();
                let owner = s.owner();
                s.fs.write(&real, node, owner);
            }
        }
        cur = real;
    }
    Ok(())
}

pub fn rmdir(args: &[String], s: &mut Session) -> Status {
    let opts = match parse_opts(&args[1..], "", &[("parents", 'p'), ("ignore-fail-on-non-empty", 'i')]) {
        Ok(o) => o,
        Err(e) => return s.fail("rmdir", &e, 1),
    };
    let mut status = 0;
    for d in &opts.operands {
        match s.lookup(d, false) {
            Lookup::Found { path, node } if node.is_dir() => {
                if s.fs.children(&path).next().is_some() {
                    status = s.fail("rmdir", &format!("'{d}': Directory not empty"), 1);
                } else {
                    s.fs.remove(&path);
                }
            }
            Lookup::Found { .. } => status = s.fail("rmdir", &format!("'{d}': Not a directory"), 1),
            Lookup::Missing { reason, .. } => status = s.fail("rmdir", &format!("'{d}': {reason}"), 1),
            Lookup::Unknown { .. } => s.assume(format!("`rmdir {d}`: assumed the directory existed and was empty")),
        }
    }
    status
}
