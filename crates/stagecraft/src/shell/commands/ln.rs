//! `ln` (`-s -f -n -T`): symbolic links as written; hard links become copies (the tree has
//! no inodes), which is said in a note.

use crate::diagnostics::Severity;
use crate::vfs::{self, Node};

use super::super::session::{Lookup, Session, Status};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("symbolic", 's'), ("force", 'f'), ("no-dereference", 'n'), ("no-target-directory", 'T'), ("target-directory=", 't'), ("verbose", 'v'), ("relative", 'r'), ("logical", 'L'), ("physical", 'P')];
    let opts = match parse_opts(&args[1..], "t", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("ln", &e, 1),
    };
    let mut operands = opts.operands.clone();
    let (targets, dest): (Vec<String>, Option<String>) = match opts.value('t') {
        Some(t) => (operands, Some(t.to_string())),
        None if operands.len() == 1 => (operands, None),
        None => {
            let Some(d) = operands.pop() else { return s.fail("ln", "missing file operand", 1) };
            (operands, Some(d))
        }
    };
    if targets.is_empty() {
        return s.fail("ln", "missing file operand", 1);
    }
    let no_deref = opts.has('n') || opts.has('T');
    let dest_is_dir = dest.as_deref().is_some_and(|d| match s.lookup(d, !no_deref) {
        Lookup::Found { node, .. } => node.is_dir() && !opts.has('T'),
        _ => false,
    });
    if targets.len() > 1 && !dest_is_dir {
        return s.fail("ln", &format!("target '{}' is not a directory", dest.unwrap_or_default()), 1);
    }
    let mut status = 0;
    for t in &targets {
        let base = vfs::file_name(&vfs::normalize(t)).to_string();
        let link = match &dest {
            None => base,
            Some(d) if dest_is_dir => format!("{}/{base}", d.trim_end_matches('/')),
            Some(d) => d.clone(),
        };
        if let Err(st) = make_link(s, t, &link, opts.has('s'), opts.has('f')) {
            status = st;
        }
    }
    status
}

fn make_link(s: &mut Session, target: &str, link: &str, symbolic: bool, force: bool) -> Result<(), Status> {
    let kind = if symbolic { "symbolic link" } else { "hard link" };
    if let Lookup::Found { node, path } = s.lookup(link, false) {
        if !force || node.is_dir() {
            return Err(s.fail("ln", &format!("failed to create {kind} '{link}': File exists"), 1));
        }
        s.fs.remove(&path);
    }
    let abs = s.abs(link);
    let path = match s.fs.resolve(vfs::parent(&abs), true) {
        Ok(p) if s.fs.get(&p).is_some_and(Node::is_dir) => vfs::join(&p, vfs::file_name(&abs)),
        _ => s.create_target("ln", link)?,
    };
    let mut node = if symbolic {
        Node::symlink(target)
    } else {
        match s.lookup(target, false) {
            Lookup::Found { node, .. } if node.is_dir() => return Err(s.fail("ln", &format!("'{target}': hard link not allowed for directory"), 1)),
            Lookup::Found { node, .. } => {
                s.note(Severity::Info, "RunHardLinkCopy", format!("`ln {target} {link}`: hard links are simulated as copies (sizes count twice)"));
                node
            }
            Lookup::Missing { reason, .. } => return Err(s.fail("ln", &format!("failed to access '{target}': {reason}"), 1)),
            Lookup::Unknown { .. } => {
                s.assume(format!("`ln {target} {link}`: `{target}` is not in the simulated filesystem; no link recorded"));
                return Ok(());
            }
        }
    };
    if symbolic {
        (node.uid, node.gid) = s.owner();
    }
    let owner = s.owner();
    s.fs.write(&path, node, owner);
    Ok(())
}
