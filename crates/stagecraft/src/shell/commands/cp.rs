//! `cp` (`-r -R -a -p -P -L -f -n -t -T`, `--preserve=`): `src/.` copies a directory's
//! contents, an existing directory destination receives the source by name.

use crate::vfs::{self, Node, NodeKind};

use super::super::session::{Lookup, Session, Status};
use super::parse_opts;

#[derive(Clone, Debug, Default)]
pub struct CopyOpts {
    pub recursive: bool,
    pub preserve_mode: bool,
    pub preserve_owner: bool,
    /// Follow a symlink given as the source (`-L`, or the default without `-R`/`-P`/`-a`).
    pub deref_top: bool,
    pub no_clobber: bool,
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [
        ("recursive", 'R'),
        ("archive", 'a'),
        ("preserve=", 'z'),
        ("no-dereference", 'P'),
        ("dereference", 'L'),
        ("force", 'f'),
        ("no-clobber", 'n'),
        ("target-directory=", 't'),
        ("no-target-directory", 'T'),
        ("verbose", 'v'),
        ("update", 'u'),
        ("interactive", 'i'),
    ];
    let opts = match parse_opts(&args[1..], "t", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("cp", &e, 1),
    };
    let archive = opts.has('a');
    let preserve: Vec<&str> = opts.flags.iter().filter(|(c, _)| *c == 'z').filter_map(|(_, v)| v.as_deref()).flat_map(|v| v.split(',')).collect();
    let all = preserve.contains(&"all");
    let c = CopyOpts {
        recursive: archive || opts.has('r') || opts.has('R'),
        preserve_mode: archive || opts.has('p') || all || preserve.contains(&"mode"),
        preserve_owner: archive || opts.has('p') || all || preserve.contains(&"ownership"),
        deref_top: opts.has('L') || !(archive || opts.has('r') || opts.has('R') || opts.has('P') || opts.has('d')),
        no_clobber: opts.has('n'),
    };
    let mut operands = opts.operands.clone();
    let dest = match opts.value('t') {
        Some(t) => t.to_string(),
        None => match operands.pop() {
            Some(d) if !operands.is_empty() => d,
            Some(d) => return s.fail("cp", &format!("missing destination file operand after '{d}'"), 1),
            None => return s.fail("cp", "missing file operand", 1),
        },
    };
    transfer(s, "cp", &operands, &dest, opts.has('T'), &c, false)
}

/// Shared by `cp` and `mv`: resolves the destination, then copies (and for `mv` removes)
/// each source.
pub fn transfer(s: &mut Session, name: &str, sources: &[String], dest: &str, no_target_dir: bool, c: &CopyOpts, remove: bool) -> Status {
    let dest_look = s.lookup(dest, true);
    let into = !no_target_dir && (dest_look.is_dir() || (sources.len() > 1 && matches!(dest_look, Lookup::Unknown { .. })));
    let dest_dir = match &dest_look {
        Lookup::Found { path, .. } => path.clone(),
        _ => s.abs(dest),
    };
    if sources.len() > 1 && !into {
        return s.fail(name, &format!("target '{dest}' is not a directory"), 1);
    }
    let mut status = 0;
    for src in sources {
        let look = s.lookup(src, c.deref_top || (src.ends_with('/') && !remove));
        let (src_path, node) = match look {
            Lookup::Found { path, node } => (path, node),
            Lookup::Missing { reason, .. } => {
                status = s.fail(name, &format!("cannot stat '{src}': {reason}"), 1);
                continue;
            }
            Lookup::Unknown { .. } => {
                s.assume(format!("`{name} {src} {dest}`: `{src}` is not in the simulated filesystem, so nothing was copied"));
                continue;
            }
        };
        if node.is_dir() && !c.recursive {
            status = s.fail(name, &format!("-r not specified; omitting directory '{src}'"), 1);
            continue;
        }
        let target = if into {
            // `dir/.` names the directory itself: its contents land in the destination.
            let trimmed = src.trim_end_matches('/');
            let base = if trimmed == "." || trimmed.ends_with("/.") { ".".to_string() } else { vfs::file_name(&vfs::normalize(trimmed)).to_string() };
            vfs::join(&dest_dir, &base)
        } else {
            match s.create_target(name, dest) {
                Ok(p) => p,
                Err(st) => {
                    status = st;
                    continue;
                }
            }
        };
        if node.is_dir() && (target == src_path || target.starts_with(&format!("{src_path}/"))) {
            status = s.fail(name, &format!("cannot copy a directory, '{src}', into itself, '{dest}'"), 1);
            continue;
        }
        if let Err(st) = copy_tree(s, name, &src_path, &node, &target, c) {
            status = st;
            continue;
        }
        if remove && target != src_path {
            s.fs.remove(&src_path);
        }
    }
    status
}

fn copy_tree(s: &mut Session, name: &str, src: &str, top: &Node, dst: &str, c: &CopyOpts) -> Result<(), Status> {
    let entries: Vec<(String, Node)> = if top.is_dir() {
        s.fs.subtree(src).map(|(p, n)| (p[src.len()..].trim_start_matches('/').to_string(), n.clone())).collect()
    } else {
        vec![(String::new(), top.clone())]
    };
    for (rel, node) in entries {
        let to = if rel.is_empty() { dst.to_string() } else { format!("{}/{rel}", dst.trim_end_matches('/')) };
        let to = match s.fs.resolve(vfs::parent(&to), true) {
            Ok(parent) => vfs::join(&parent, vfs::file_name(&to)),
            Err(_) => to,
        };
        copy_one(s, name, &node, &to, c)?;
    }
    Ok(())
}

fn copy_one(s: &mut Session, name: &str, node: &Node, to: &str, c: &CopyOpts) -> Result<(), Status> {
    let existing = s.fs.get(to).cloned();
    let umask = s.st.umask;
    let mut new = node.clone();
    (new.uid, new.gid) = if c.preserve_owner { (node.uid, node.gid) } else { s.owner() };
    match &node.kind {
        NodeKind::Dir { .. } => match existing {
            Some(e) if e.is_dir() => {
                if c.preserve_mode || c.preserve_owner {
                    let (mode, uid, gid) = (if c.preserve_mode { node.mode } else { e.mode }, new.uid, new.gid);
                    s.fs.update(to, |n| {
                        n.mode = mode;
                        if c.preserve_owner {
                            (n.uid, n.gid) = (uid, gid);
                        }
                    });
                }
                return Ok(());
            }
            Some(_) => return Err(s.fail(name, &format!("cannot overwrite non-directory '{to}' with directory"), 1)),
            None => {
                new.kind = NodeKind::Dir { summary_bytes: 0 };
                if !c.preserve_mode {
                    new.mode = node.mode & !umask;
                }
            }
        },
        NodeKind::File { .. } => match existing {
            Some(e) if e.is_dir() => return Err(s.fail(name, &format!("cannot overwrite directory '{to}' with non-directory"), 1)),
            Some(_) if c.no_clobber => return Ok(()),
            Some(e) if !c.preserve_mode && e.is_file() => {
                new.mode = e.mode;
                if !c.preserve_owner {
                    (new.uid, new.gid) = (e.uid, e.gid);
                }
            }
            _ if !c.preserve_mode => new.mode = node.mode & !umask,
            _ => {}
        },
        NodeKind::Symlink(_) => {
            if existing.as_ref().is_some_and(Node::is_dir) {
                return Err(s.fail(name, &format!("cannot overwrite directory '{to}' with non-directory"), 1));
            }
        }
    }
    let owner = s.owner();
    s.fs.write(to, new, owner);
    Ok(())
}
