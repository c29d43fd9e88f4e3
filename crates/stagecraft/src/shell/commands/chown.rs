//! `chown OWNER[:GROUP]` and `chgrp GROUP`, numeric or by name through the image's
//! `/etc/passwd` and `/etc/group`; `-R` does not follow symlinks, `-h` changes the link itself.

use crate::vfs::NodeKind;

use super::super::session::{Lookup, Session, Status};
use super::super::users::{self, Found};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let name = if args[0].ends_with("chgrp") { "chgrp" } else { "chown" };
    let long = [("recursive", 'R'), ("no-dereference", 'h'), ("dereference", 'L'), ("verbose", 'v'), ("changes", 'c'), ("silent", 'f'), ("quiet", 'f'), ("from=", 'F'), ("reference=", 'r')];
    let opts = match parse_opts(&args[1..], "", &long) {
        Ok(o) => o,
        Err(e) => return s.fail(name, &e, 1),
    };
    let (Some(spec), files) = (opts.operands.first(), opts.operands.get(1..).unwrap_or(&[])) else {
        return s.fail(name, "missing operand", 1);
    };
    if files.is_empty() {
        return s.fail(name, &format!("missing operand after '{spec}'"), 1);
    }
    let (user, group) = if name == "chgrp" {
        (None, Some(spec.as_str()))
    } else {
        match spec.split_once(':').or_else(|| spec.split_once('.')) {
            Some((u, g)) => (Some(u).filter(|u| !u.is_empty()), Some(g)),
            None => (Some(spec.as_str()), None),
        }
    };
    let mut uid = None;
    let mut gid = None;
    if let Some(u) = user {
        match users::user_by_name(s, u) {
            Found::Yes((id, login_gid)) => {
                uid = Some(id);
                // `chown user:` takes the user's login group.
                if group == Some("") {
                    gid = Some(login_gid);
                }
            }
            Found::No => return s.fail(name, &format!("invalid user: '{spec}'"), 1),
            Found::Unknown => {
                s.assume(format!("`{name} {spec}`: the user `{u}` is not in the simulated /etc/passwd (an unmodelled command may have added it): ownership left unchanged"));
                return 0;
            }
        }
    }
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        match users::group_by_name(s, g) {
            Found::Yes(id) => gid = Some(id),
            Found::No => return s.fail(name, &format!("invalid group: '{spec}'"), 1),
            Found::Unknown => {
                s.assume(format!("`{name} {spec}`: the group `{g}` is not in the simulated /etc/group (an unmodelled command may have added it): ownership left unchanged"));
                return 0;
            }
        }
    }
    let recursive = opts.has('R');
    let follow = !opts.has('h');
    let mut status = 0;
    for f in files {
        match s.lookup(f, follow) {
            Lookup::Found { path, node } => {
                let targets: Vec<String> = if recursive && node.is_dir() {
                    s.fs.subtree(&path).map(|(p, _)| p.to_string()).collect()
                } else {
                    vec![path]
                };
                for p in targets {
                    s.fs.update(&p, |n| {
                        if let Some(u) = uid {
                            n.uid = u;
                        }
                        if let Some(g) = gid {
                            n.gid = g;
                        }
                        // Linux clears setuid (and setgid with group-execute) of executables on chown.
                        if matches!(n.kind, NodeKind::File { .. }) && n.mode & 0o111 != 0 {
                            n.mode &= if n.mode & 0o010 != 0 { !0o6000 } else { !0o4000 };
                        }
                    });
                }
            }
            Lookup::Missing { reason, .. } => status = s.fail(name, &format!("cannot access '{f}': {reason}"), 1),
            Lookup::Unknown { .. } => s.assume(format!("`{name} {spec} {f}`: `{f}` is not in the simulated filesystem; assumed it exists")),
        }
    }
    status
}
