//! `ls` (`-l -a -A -d -1 -n -R`): one name per line, as when output is not a terminal;
//! `-l` in GNU's layout with a fixed date (times are not simulated).

use crate::vfs::{self, Node, NodeKind};

use super::super::session::{Lookup, Session, Status};
use super::parse_opts;
use super::stat::{group_name, mode_string, user_name};

struct Style {
    long: bool,
    all: bool,
    almost_all: bool,
    numeric: bool,
    recursive: bool,
}

fn line(s: &Session, st: &Style, name: &str, node: &Node) -> String {
    if !st.long {
        return format!("{name}\n");
    }
    let (user, group) = if st.numeric { (node.uid.to_string(), node.gid.to_string()) } else { (user_name(s, node.uid), group_name(s, node.gid)) };
    let size = if node.is_dir() { 4096 } else { node.size() };
    let links = if node.is_dir() { 2 } else { 1 };
    let target = match &node.kind {
        NodeKind::Symlink(t) => format!(" -> {t}"),
        _ => String::new(),
    };
    format!("{} {links} {user} {group} {size} Jan  1 00:00 {name}{target}\n", mode_string(node))
}

fn list_dir(s: &mut Session, st: &Style, dir: &str, shown: &str, header: bool) {
    let mut out = String::new();
    if header {
        out.push_str(&format!("{shown}:\n"));
    }
    let mut entries: Vec<(String, Node)> = s.fs.children(dir).map(|(n, node)| (n.to_string(), node.clone())).collect();
    if st.all {
        if let Some(n) = s.fs.get(dir) {
            entries.insert(0, ("..".to_string(), s.fs.get(vfs::parent(dir)).cloned().unwrap_or_else(|| n.clone())));
            entries.insert(0, (".".to_string(), n.clone()));
        }
    }
    let visible: Vec<&(String, Node)> = entries.iter().filter(|(n, _)| st.all || st.almost_all || !n.starts_with('.')).collect();
    for (name, node) in &visible {
        out.push_str(&line(s, st, name, node));
    }
    s.out(&out);
    if st.recursive {
        for (name, node) in visible {
            if node.is_dir() && name != "." && name != ".." {
                s.out("\n");
                list_dir(s, st, &vfs::join(dir, name), &format!("{}/{name}", shown.trim_end_matches('/')), true);
            }
        }
    }
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("all", 'a'), ("almost-all", 'A'), ("directory", 'd'), ("numeric-uid-gid", 'n'), ("recursive", 'R'), ("human-readable", 'h'), ("color=", 'C')];
    let opts = match parse_opts(&args[1..], "", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("ls", &e, 2),
    };
    let st = Style {
        long: opts.has('l') || opts.has('n') || opts.has('g') || opts.has('o'),
        all: opts.has('a'),
        almost_all: opts.has('A'),
        numeric: opts.has('n'),
        recursive: opts.has('R'),
    };
    let operands = if opts.operands.is_empty() { vec![".".to_string()] } else { opts.operands.clone() };
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for f in &operands {
        match s.lookup(f, !st.long || f.ends_with('/')) {
            Lookup::Found { path, node } if node.is_dir() && !opts.has('d') => dirs.push((f.clone(), path)),
            Lookup::Found { node, path } => {
                let node = if matches!(node.kind, NodeKind::Symlink(_)) && !st.long { s.fs.get(&path).cloned().unwrap_or(node) } else { node };
                files.push((f.clone(), node));
            }
            Lookup::Missing { reason, .. } => status = s.fail("ls", &format!("cannot access '{f}': {reason}"), 2),
            Lookup::Unknown { .. } => {
                s.assume(format!("`ls {f}`: `{f}` is not in the simulated filesystem; its listing is not known"));
                s.io.stdout.opaque = true;
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    dirs.sort();
    let mut text = String::new();
    for (name, node) in &files {
        text.push_str(&line(s, &st, name, node));
    }
    s.out(&text);
    let header = operands.len() > 1 || st.recursive;
    for (i, (shown, path)) in dirs.iter().enumerate() {
        if i > 0 || !files.is_empty() {
            s.out("\n");
        }
        list_dir(s, &st, path, shown, header);
    }
    status
}
