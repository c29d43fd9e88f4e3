//! `stat` with `-c`/`--format`/`--printf` (`%a %A %u %g %U %G %s %n %N %F %f %h %i`, widths
//! such as `%04a`) and a default listing close to GNU's.

use crate::vfs::{Node, NodeKind};

use super::super::session::{Lookup, Session, Status};
use super::super::users::{self, Found};
use super::echo::{c_unescape, pad};
use super::parse_opts;

/// `-rwxr-xr-x`, with `s`/`S`/`t`/`T` for the special bits.
pub fn mode_string(node: &Node) -> String {
    let kind = match node.kind {
        NodeKind::Dir { .. } => 'd',
        NodeKind::Symlink(_) => 'l',
        NodeKind::File { .. } => '-',
    };
    let m = node.mode;
    let mut out = String::with_capacity(10);
    out.push(kind);
    for (shift, special, on, off) in [(6, 0o4000, 's', 'S'), (3, 0o2000, 's', 'S'), (0, 0o1000, 't', 'T')] {
        let bits = (m >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (bits & 1 != 0, m & special != 0) {
            (true, true) => on,
            (false, true) => off,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    out
}

pub fn type_name(node: &Node) -> &'static str {
    match node.kind {
        NodeKind::Dir { .. } => "directory",
        NodeKind::Symlink(_) => "symbolic link",
        NodeKind::File { size: 0, .. } => "regular empty file",
        NodeKind::File { .. } => "regular file",
    }
}

pub fn user_name(s: &Session, uid: u32) -> String {
    match users::user_by_id(s, uid) {
        Found::Yes(n) => n,
        _ => "UNKNOWN".to_string(),
    }
}

pub fn group_name(s: &Session, gid: u32) -> String {
    match users::group_by_id(s, gid) {
        Found::Yes(n) => n,
        _ => "UNKNOWN".to_string(),
    }
}

fn raw_mode(node: &Node) -> u32 {
    node.mode
        | match node.kind {
            NodeKind::Dir { .. } => 0o040000,
            NodeKind::Symlink(_) => 0o120000,
            NodeKind::File { .. } => 0o100000,
        }
}

fn directive(s: &Session, c: char, name: &str, node: &Node) -> String {
    match c {
        'a' => format!("{:o}", node.mode),
        'A' => mode_string(node),
        'u' => node.uid.to_string(),
        'g' => node.gid.to_string(),
        'U' => user_name(s, node.uid),
        'G' => group_name(s, node.gid),
        's' => node.size().to_string(),
        'n' => name.to_string(),
        'N' => match &node.kind {
            NodeKind::Symlink(t) => format!("'{name}' -> '{t}'"),
            _ => format!("'{name}'"),
        },
        'F' => type_name(node).to_string(),
        'f' => format!("{:x}", raw_mode(node)),
        'h' => if node.is_dir() { "2" } else { "1" }.to_string(),
        'b' => node.size().div_ceil(512).to_string(),
        'B' => "512".to_string(),
        'o' => "4096".to_string(),
        _ => "?".to_string(),
    }
}

fn format(s: &Session, fmt: &str, name: &str, node: &Node) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        let (mut left, mut zero) = (false, false);
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '#' | '+' | ' ' => {}
                _ => break,
            }
            i += 1;
        }
        let width: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
        i += width.len();
        let Some(&c) = chars.get(i) else { break };
        i += 1;
        if c == '%' {
            out.push('%');
            continue;
        }
        let v = directive(s, c, name, node);
        out.push_str(&pad(&v, width.parse().unwrap_or(0), left, zero));
    }
    out
}

fn default_listing(s: &Session, name: &str, node: &Node) -> String {
    let shown = match &node.kind {
        NodeKind::Symlink(t) => format!("'{name}' -> '{t}'"),
        _ => name.to_string(),
    };
    format!(
        "  File: {shown}\n  Size: {:<10}\tBlocks: {:<10} IO Block: 4096   {}\nAccess: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
        node.size(),
        node.size().div_ceil(512),
        type_name(node),
        node.mode,
        mode_string(node),
        node.uid,
        user_name(s, node.uid),
        node.gid,
        group_name(s, node.gid)
    )
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("format=", 'c'), ("printf=", 'p'), ("dereference", 'L'), ("terse", 't'), ("file-system", 'f')];
    let opts = match parse_opts(&args[1..], "c", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("stat", &e, 1),
    };
    if opts.operands.is_empty() {
        return s.fail("stat", "missing operand", 1);
    }
    let mut status = 0;
    for f in &opts.operands {
        match s.lookup(f, opts.has('L')) {
            Lookup::Found { node, .. } => {
                let text = if let Some(fmt) = opts.value('c') {
                    format!("{}\n", format(s, fmt, f, &node))
                } else if let Some(fmt) = opts.value('p') {
                    c_unescape(&format(s, fmt, f, &node), false).0
                } else {
                    default_listing(s, f, &node)
                };
                s.out(&text);
            }
            Lookup::Missing { reason, .. } => status = s.fail("stat", &format!("cannot statx '{f}': {reason}"), 1),
            Lookup::Unknown { .. } => {
                s.assume(format!("`stat {f}`: `{f}` is not in the simulated filesystem; its attributes are not known (printed nothing)"));
                s.io.stdout.opaque = true;
            }
        }
    }
    status
}
