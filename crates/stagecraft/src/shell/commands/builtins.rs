//! Shell builtins: state of the shell itself (`cd`, `set`, `export`, `exit`, `read`, …).

use super::super::arith::parse_int;
use super::super::interp;
use super::super::session::{Flow, Lookup, Session, Status};
use super::{read_input, run_script_here};

pub fn true_(_: &[String], _: &mut Session) -> Status {
    0
}

pub fn false_(_: &[String], _: &mut Session) -> Status {
    1
}

pub fn cd(args: &[String], s: &mut Session) -> Status {
    let target = match args.get(1).map(String::as_str) {
        None => s.var("HOME").unwrap_or("/").to_string(),
        Some("-") => s.var("OLDPWD").unwrap_or(&s.st.cwd).to_string(),
        Some(p) => p.to_string(),
    };
    let abs = s.abs(&target);
    match s.lookup(&abs, true) {
        Lookup::Found { node, .. } if node.is_dir() => {}
        Lookup::Found { .. } => return s.fail("sh: cd", &format!("can't cd to {target}: Not a directory"), 2),
        Lookup::Missing { reason, .. } => return s.fail("sh: cd", &format!("can't cd to {target}: {reason}"), 2),
        Lookup::Unknown { .. } => s.assume(format!("`cd {target}`: assumed the directory exists (it is not in the simulated filesystem)")),
    }
    let old = std::mem::replace(&mut s.st.cwd, abs.clone());
    s.set_var("OLDPWD", old);
    s.set_var("PWD", abs);
    0
}

fn split_assignment(a: &str) -> (&str, Option<String>) {
    match a.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (a, None),
    }
}

pub fn export(args: &[String], s: &mut Session) -> Status {
    for a in args[1..].iter().filter(|a| !a.starts_with('-')) {
        let (name, value) = split_assignment(a);
        s.export(name, value);
    }
    0
}

/// `readonly`, `local`, `declare`: modelled as plain assignments.
pub fn assign(args: &[String], s: &mut Session) -> Status {
    for a in args[1..].iter().filter(|a| !a.starts_with('-')) {
        let (name, value) = split_assignment(a);
        if let Some(v) = value {
            s.set_var(name, v);
        } else if s.var(name).is_none() {
            s.set_var(name, String::new());
        }
    }
    0
}

pub fn unset(args: &[String], s: &mut Session) -> Status {
    for a in args[1..].iter().filter(|a| !a.starts_with('-')) {
        s.unset_var(a);
        s.st.functions.retain(|(n, _)| n != a);
    }
    0
}

fn set_option(s: &mut Session, name: &str, on: bool) -> bool {
    let o = &mut s.st.opts;
    match name {
        "e" | "errexit" => o.errexit = on,
        "x" | "xtrace" => o.xtrace = on,
        "u" | "nounset" => o.nounset = on,
        "f" | "noglob" => o.noglob = on,
        "pipefail" => o.pipefail = on,
        "v" | "verbose" | "a" | "allexport" | "C" | "noclobber" | "h" | "hashall" | "B" | "braceexpand" | "m" | "monitor" | "posix" | "n" | "noexec" | "b" | "notify" => {}
        _ => return false,
    }
    true
}

/// `set` options, shared with `sh -euxo pipefail`. Returns the operands left, or an error.
pub fn apply_set_flags(s: &mut Session, args: &[String]) -> Result<Vec<String>, String> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" || a == "-" {
            return Ok(args[i + 1..].to_vec());
        }
        let on = a.starts_with('-');
        if !(on || a.starts_with('+')) || a.len() < 2 {
            return Ok(args[i..].to_vec());
        }
        let flags: Vec<char> = a[1..].chars().collect();
        for f in flags {
            if f == 'o' {
                i += 1;
                match args.get(i) {
                    Some(name) if set_option(s, name, on) => {}
                    Some(name) => return Err(format!("set: illegal option -o {name}")),
                    None => {}
                }
            } else if !set_option(s, &f.to_string(), on) {
                return Err(format!("set: illegal option -{f}"));
            }
        }
        i += 1;
    }
    Ok(Vec::new())
}

pub fn set(args: &[String], s: &mut Session) -> Status {
    if args.len() == 1 {
        let listing: String = s.st.vars.iter().map(|v| format!("{}='{}'\n", v.name, v.value.replace('\'', "'\\''"))).collect();
        s.out(&listing);
        return 0;
    }
    let had_operands = args[1..].iter().any(|a| a == "--" || !(a.starts_with('-') || a.starts_with('+')));
    match apply_set_flags(s, &args[1..]) {
        Ok(rest) => {
            if had_operands {
                s.st.positional = rest;
            }
            0
        }
        Err(e) => s.fail("sh", &e, 2),
    }
}

pub fn shift(args: &[String], s: &mut Session) -> Status {
    let n = args.get(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
    if n > s.st.positional.len() {
        return s.fail("sh: shift", "can't shift that many", 2);
    }
    s.st.positional.drain(..n);
    0
}

fn status_arg(s: &mut Session, args: &[String], name: &str) -> Result<Status, Status> {
    match args.get(1) {
        None => Ok(s.st.last_status),
        Some(a) => match parse_int(a) {
            Some(n) => Ok((n & 0xff) as Status),
            None => Err(s.fail(&format!("sh: {name}"), &format!("Illegal number: {a}"), 2)),
        },
    }
}

pub fn exit(args: &[String], s: &mut Session) -> Status {
    let status = status_arg(s, args, "exit").unwrap_or(2);
    s.pending = Some(Flow::Exit(status));
    status
}

pub fn return_(args: &[String], s: &mut Session) -> Status {
    let status = status_arg(s, args, "return").unwrap_or(2);
    s.pending = Some(Flow::Return(status));
    status
}

fn loop_count(args: &[String]) -> u32 {
    args.get(1).and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).max(1)
}

pub fn break_(args: &[String], s: &mut Session) -> Status {
    s.pending = Some(Flow::Break(loop_count(args)));
    0
}

pub fn continue_(args: &[String], s: &mut Session) -> Status {
    s.pending = Some(Flow::Continue(loop_count(args)));
    0
}

pub fn umask(args: &[String], s: &mut Session) -> Status {
    match args.get(1) {
        None => {
            let text = format!("{:04o}\n", s.st.umask);
            s.out(&text);
            0
        }
        Some(m) => match u32::from_str_radix(m, 8) {
            Ok(v) if v <= 0o777 => {
                s.st.umask = v;
                0
            }
            _ => {
                s.unmodelled("umask", "a symbolic `umask`");
                0
            }
        },
    }
}

pub fn eval(args: &[String], s: &mut Session) -> Status {
    let text = args[1..].join(" ");
    run_script_here(s, &text)
}

pub fn source(args: &[String], s: &mut Session) -> Status {
    let Some(path) = args.get(1) else { return 0 };
    let data = match read_input(s, ".", path) {
        Ok(d) => d,
        Err(status) => return status,
    };
    if !data.is_known() {
        s.unmodelled(path, &format!("sourcing `{path}` (its content is not known)"));
        return 0;
    }
    let text = data.text();
    let saved = (args.len() > 2).then(|| std::mem::replace(&mut s.st.positional, args[2..].to_vec()));
    let status = run_script_here(s, &text);
    if let Some(p) = saved {
        s.st.positional = p;
    }
    if let Some(Flow::Return(n)) = s.pending {
        s.pending = None;
        return n;
    }
    status
}

pub fn exec(args: &[String], s: &mut Session) -> Status {
    if args.len() < 2 {
        return 0;
    }
    let status = interp::invoke(s, &args[1..]);
    if s.pending.is_none() {
        s.pending = Some(Flow::Exit(status));
    }
    status
}

pub fn read(args: &[String], s: &mut Session) -> Status {
    let mut raw = false;
    let mut names = Vec::new();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-r" => raw = true,
            "-p" | "-t" | "-n" | "-d" | "-u" => i += 1,
            a if a.starts_with('-') => {}
            a => names.push(a.to_string()),
        }
        i += 1;
    }
    if !s.io.stdin.is_known() && s.io.stdin.bytes.is_empty() {
        s.assume("`read` from input whose content is not known: assumed to reach its end".to_string());
        return 1;
    }
    if s.io.stdin.bytes.is_empty() {
        return 1;
    }
    let bytes = &mut s.io.stdin.bytes;
    let end = bytes.iter().position(|&b| b == b'\n');
    let line: Vec<u8> = match end {
        Some(e) => {
            let l = bytes[..e].to_vec();
            bytes.drain(..=e);
            l
        }
        None => std::mem::take(bytes),
    };
    let mut line = String::from_utf8_lossy(&line).into_owned();
    if !raw {
        line = line.replace("\\\n", "").chars().filter(|&c| c != '\\').collect();
    }
    if names.is_empty() {
        names.push("REPLY".to_string());
    }
    let ifs = s.var("IFS").unwrap_or(" \t\n").to_string();
    let mut rest = line.trim_matches(|c: char| ifs.contains(c) && c.is_whitespace()).to_string();
    let count = names.len();
    for (k, name) in names.iter().enumerate() {
        let value = if k + 1 == count {
            std::mem::take(&mut rest)
        } else {
            let cut = rest.find(|c: char| ifs.contains(c)).unwrap_or(rest.len());
            let v = rest[..cut].to_string();
            rest = rest[cut..].trim_start_matches(|c: char| ifs.contains(c)).to_string();
            v
        };
        s.set_var(name, value);
    }
    if end.is_some() { 0 } else { 1 }
}

pub fn command(args: &[String], s: &mut Session) -> Status {
    match args.get(1).map(String::as_str) {
        Some("-v") | Some("-V") => {
            let Some(name) = args.get(2) else { return 1 };
            if super::find(name).is_some() || s.st.functions.iter().any(|(n, _)| n == name) {
                let line = format!("{name}\n");
                s.out(&line);
                return 0;
            }
            s.unmodelled(&format!("command -v {name}"), &format!("`command -v {name}` (whether `{name}` is installed)"));
            0
        }
        Some(_) => super::dispatch(s, &args[1..]),
        None => 0,
    }
}

pub fn busybox(args: &[String], s: &mut Session) -> Status {
    if args.len() < 2 {
        s.unmodelled("busybox", "`busybox`");
        return 0;
    }
    super::dispatch(s, &args[1..])
}
