//! `chmod` with octal and the full symbolic syntax (`u+x,go-w`, `a+X`, `g=u`, `+t`), following
//! gnulib's `mode_adjust` (busybox agrees on everything scripts use). `-R` walks directories
//! without following symlinks.

use super::super::session::{Lookup, Session, Status};

const SUID: u32 = 0o4000;
const SGID: u32 = 0o2000;
const SVTX: u32 = 0o1000;
const ALL: u32 = 0o7777;

/// One parsed mode change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModeChange {
    /// An octal mode: replaces all bits.
    Absolute(u32),
    Symbolic(Vec<Clause>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The `ugoa` bits chosen (0 when none was written: then the umask applies).
    affected: u32,
    op: char,
    value: u32,
    /// `X`: execute if a directory or already executable by someone.
    x_if_any: bool,
    /// `u`, `g` or `o` as the permission: copy that class's bits.
    copy: Option<u32>,
    /// Bits written explicitly (setuid/setgid on directories are only changed when mentioned).
    mentioned: u32,
}

pub fn parse_mode(spec: &str) -> Option<ModeChange> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().filter(|m| *m <= ALL).map(ModeChange::Absolute);
    }
    let mut clauses = Vec::new();
    for part in spec.split(',') {
        let mut chars = part.chars().peekable();
        let mut affected = 0;
        while let Some(&c) = chars.peek() {
            affected |= match c {
                'u' => SUID | 0o700,
                'g' => SGID | 0o070,
                'o' => SVTX | 0o007,
                'a' => ALL,
                _ => break,
            };
            chars.next();
        }
        let mut any_op = false;
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return None;
            }
            any_op = true;
            let mut clause = Clause { affected, op, value: 0, x_if_any: false, copy: None, mentioned: 0 };
            while let Some(&c) = chars.peek() {
                match c {
                    'r' => clause.value |= 0o444,
                    'w' => clause.value |= 0o222,
                    'x' => clause.value |= 0o111,
                    'X' => clause.x_if_any = true,
                    's' => clause.value |= SUID | SGID,
                    't' => clause.value |= SVTX,
                    'u' => clause.copy = Some(0o700),
                    'g' => clause.copy = Some(0o070),
                    'o' => clause.copy = Some(0o007),
                    _ => break,
                }
                chars.next();
            }
            clause.mentioned = if affected == 0 { clause.value } else { clause.value & affected };
            clauses.push(clause);
            if !matches!(chars.peek(), Some('+') | Some('-') | Some('=')) {
                break;
            }
        }
        if !any_op || chars.next().is_some() {
            return None;
        }
    }
    Some(ModeChange::Symbolic(clauses))
}

/// The new permission bits for a node of mode `old`.
pub fn apply_mode(change: &ModeChange, old: u32, dir: bool, umask: u32) -> u32 {
    let clauses = match change {
        ModeChange::Absolute(m) => return *m,
        ModeChange::Symbolic(c) => c,
    };
    let mut mode = old & ALL;
    for c in clauses {
        let omit = if dir { (SUID | SGID) & !c.mentioned } else { 0 };
        let mut value = c.value;
        if let Some(class) = c.copy {
            let bits = mode & class;
            let (r, w, x) = (bits & 0o444 != 0, bits & 0o222 != 0, bits & 0o111 != 0);
            value |= if r { 0o444 } else { 0 } | if w { 0o222 } else { 0 } | if x { 0o111 } else { 0 };
        }
        if c.x_if_any && (mode & 0o111 != 0 || dir) {
            value |= 0o111;
        }
        value &= (if c.affected != 0 { c.affected } else { !umask }) & !omit;
        match c.op {
            '=' => {
                let preserved = (if c.affected != 0 { !c.affected } else { 0 }) | omit;
                mode = (mode & preserved) | value;
            }
            '+' => mode |= value,
            _ => mode &= !value,
        }
    }
    mode & ALL
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    // A mode such as `-w` looks like an option: take options only from the known set.
    let mut recursive = false;
    let mut rest = Vec::new();
    for a in &args[1..] {
        match a.as_str() {
            "-R" | "--recursive" => recursive = true,
            "-v" | "-c" | "-f" | "--verbose" | "--changes" | "--silent" | "--quiet" => {}
            _ => rest.push(a.clone()),
        }
    }
    let (Some(spec), files) = (rest.first(), rest.get(1..).unwrap_or(&[])) else {
        return s.fail("chmod", "missing operand", 1);
    };
    let Some(change) = parse_mode(spec) else {
        return s.fail("chmod", &format!("invalid mode '{spec}'"), 1);
    };
    if files.is_empty() {
        return s.fail("chmod", &format!("missing operand after '{spec}'"), 1);
    }
    let umask = s.st.umask;
    let mut status = 0;
    for f in files {
        match s.lookup(f, true) {
            Lookup::Found { path, node } => {
                let targets: Vec<(String, bool)> = if recursive && node.is_dir() {
                    s.fs.subtree(&path).filter(|(_, n)| !matches!(n.kind, crate::vfs::NodeKind::Symlink(_))).map(|(p, n)| (p.to_string(), n.is_dir())).collect()
                } else {
                    vec![(path, node.is_dir())]
                };
                for (p, dir) in targets {
                    s.fs.update(&p, |n| n.mode = apply_mode(&change, n.mode, dir, umask));
                }
            }
            Lookup::Missing { reason, .. } => status = s.fail("chmod", &format!("cannot access '{f}': {reason}"), 1),
            Lookup::Unknown { .. } => s.assume(format!("`chmod {spec} {f}`: `{f}` is not in the simulated filesystem; assumed it exists (its mode is not known)")),
        }
    }
    status
}
