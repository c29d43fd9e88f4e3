//! Commands that report: `pwd`, `whoami`, `id`, `basename`, `dirname`, `env`, `printenv`.

use super::super::interp;
use super::super::session::{Session, Status};
use super::super::users::{self, Found};

pub fn pwd(args: &[String], s: &mut Session) -> Status {
    let dir = if args.iter().any(|a| a == "-P") { s.fs.resolve(&s.st.cwd, true).unwrap_or_else(|_| s.st.cwd.clone()) } else { s.st.cwd.clone() };
    s.out(&format!("{dir}\n"));
    0
}

pub fn whoami(_: &[String], s: &mut Session) -> Status {
    match users::user_by_id(s, s.uid) {
        Found::Yes(name) => {
            s.out(&format!("{name}\n"));
            0
        }
        Found::No => s.fail("whoami", &format!("cannot find name for user ID {}", s.uid), 1),
        Found::Unknown => {
            s.assume(format!("`whoami`: /etc/passwd is not known, so the name of uid {} is not known (printed nothing)", s.uid));
            s.io.stdout.opaque = true;
            0
        }
    }
}

fn named(found: Found<String>, id: u32) -> String {
    match found {
        Found::Yes(n) => format!("{id}({n})"),
        _ => id.to_string(),
    }
}

pub fn id(args: &[String], s: &mut Session) -> Status {
    let flags: String = args[1..].iter().filter_map(|a| a.strip_prefix('-')).collect();
    let (uid, gid) = (s.uid, s.gid);
    let name_of = |s: &Session, user: bool| match if user { users::user_by_id(s, uid) } else { users::group_by_id(s, gid) } {
        Found::Yes(n) => n,
        _ => if user { uid } else { gid }.to_string(),
    };
    let text = if flags.contains('u') {
        if flags.contains('n') { name_of(s, true) } else { uid.to_string() }
    } else if flags.contains('g') || flags.contains('G') {
        if flags.contains('n') { name_of(s, false) } else { gid.to_string() }
    } else {
        let g = named(users::group_by_id(s, gid), gid);
        format!("uid={} gid={g} groups={g}", named(users::user_by_id(s, uid), uid))
    };
    s.out(&format!("{text}\n"));
    0
}

pub fn basename(args: &[String], s: &mut Session) -> Status {
    let mut operands: Vec<&String> = Vec::new();
    let mut suffix: Option<String> = None;
    let mut multiple = false;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-a" | "--multiple" => multiple = true,
            "-s" => {
                i += 1;
                suffix = args.get(i).cloned();
                multiple = true;
            }
            "--" => {}
            _ => operands.push(&args[i]),
        }
        i += 1;
    }
    if operands.is_empty() {
        return s.fail("basename", "missing operand", 1);
    }
    if !multiple && operands.len() == 2 {
        suffix = Some(operands[1].clone());
        operands.truncate(1);
    }
    let mut out = String::new();
    for name in operands {
        let trimmed = name.trim_end_matches('/');
        let mut base = if trimmed.is_empty() && !name.is_empty() { "/" } else { trimmed.rsplit('/').next().unwrap_or("") }.to_string();
        if let Some(suf) = &suffix {
            if base.len() > suf.len() && base.ends_with(suf.as_str()) {
                base.truncate(base.len() - suf.len());
            }
        }
        out.push_str(&base);
        out.push('\n');
    }
    s.out(&out);
    0
}

pub fn dirname(args: &[String], s: &mut Session) -> Status {
    let operands: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-') || a.len() == 1).collect();
    if operands.is_empty() {
        return s.fail("dirname", "missing operand", 1);
    }
    let mut out = String::new();
    for name in operands {
        let trimmed = name.trim_end_matches('/');
        let dir = match trimmed.rfind('/') {
            _ if trimmed.is_empty() && name.starts_with('/') => "/",
            Some(i) => {
                let d = trimmed[..i].trim_end_matches('/');
                if d.is_empty() { "/" } else { d }
            }
            None => ".",
        };
        out.push_str(dir);
        out.push('\n');
    }
    s.out(&out);
    0
}

pub fn env(args: &[String], s: &mut Session) -> Status {
    let mut i = 1;
    let saved = s.st.vars.clone();
    while i < args.len() {
        let a = &args[i];
        if a == "-i" || a == "-" || a == "--ignore-environment" {
            s.st.vars.retain(|v| !v.exported);
        } else if a == "-u" {
            i += 1;
            if let Some(n) = args.get(i) {
                s.unset_var(n);
            }
        } else if let Some((n, v)) = a.split_once('=').filter(|(n, _)| !n.is_empty() && !n.starts_with('-')) {
            s.export(n, Some(v.to_string()));
        } else if !a.starts_with('-') {
            break;
        }
        i += 1;
    }
    let status = if i < args.len() {
        interp::invoke(s, &args[i..])
    } else {
        let text: String = s.exported().into_iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        s.out(&text);
        0
    };
    s.st.vars = saved;
    status
}

pub fn printenv(args: &[String], s: &mut Session) -> Status {
    let vars = s.exported();
    if args.len() < 2 {
        let text: String = vars.into_iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        s.out(&text);
        return 0;
    }
    let mut status = 0;
    let mut text = String::new();
    for name in &args[1..] {
        match vars.iter().find(|(k, _)| k == name) {
            Some((_, v)) => {
                text.push_str(v);
                text.push('\n');
            }
            None => status = 1,
        }
    }
    s.out(&text);
    status
}

/// `date` prints the moment of the build, which the simulation does not have: the output
/// is unknown and no file changes.
pub fn date(_: &[String], s: &mut Session) -> Status {
    s.io.stdout.opaque = true;
    0
}

/// `nproc`: the builder's CPU count only sets how parallel a build runs (`make -j`), never
/// what it writes, so a fixed answer changes no estimate.
pub fn nproc(_: &[String], s: &mut Session) -> Status {
    s.out("2\n");
    0
}
