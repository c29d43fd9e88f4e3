//! `gcc`, `cc`, `g++`, `c++`, `clang`: an object or binary sized from its sources
//! (`c.binary.*` in `langdata`). `make`: a Makefile whose text is known is run the way make
//! would, recipe line by recipe line through the shell model (simple `VAR = value`
//! assignments, `$(VAR)`, `$@`, `$<`, `$^`); an unknown Makefile has no model.

use std::collections::BTreeMap;

use crate::vfs;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact};
use super::produce::{self, estimated, mb, Manifest};
use super::sh;

pub fn compile(args: &[String], s: &mut Session) -> Status {
    let tool = vfs::file_name(&args[0]).to_string();
    let mut out: Option<String> = None;
    let mut objects_only = false;
    let mut sources = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-o" => {
                out = args.get(i + 1).cloned();
                i += 1;
            }
            "-c" | "-S" | "-E" => objects_only = true,
            "--version" | "-v" | "-dumpversion" | "-dumpmachine" | "-print-multiarch" => {
                produce::unknown_output(s);
                return 0;
            }
            "-I" | "-L" | "-D" | "-U" | "-include" | "-isystem" | "-x" | "-MF" | "-MT" => i += 1,
            _ if a.starts_with('-') => {}
            _ => sources.push(a.clone()),
        }
        i += 1;
    }
    if sources.is_empty() {
        return s.fail(&tool, "fatal error: no input files", 1);
    }
    let src_bytes: u64 = sources.iter().filter_map(|p| s.lookup(p, true).node().map(|n| n.size())).sum();
    let size = ((src_bytes as f64 * fact("c.binary.ratio")) as u64).max(if objects_only { 1000 } else { bytes("c.binary.min") });
    if objects_only && out.is_none() {
        for src in &sources {
            let stem = vfs::file_name(src).rsplit_once('.').map_or(vfs::file_name(src), |(a, _)| a).to_string();
            produce::put_file(s, &format!("{stem}.o"), size / sources.len().max(1) as u64, 0o644);
        }
    } else {
        let path = out.unwrap_or_else(|| "a.out".to_string());
        produce::put_file(s, &path, size, if objects_only { 0o644 } else { 0o755 });
    }
    let static_note = if args.iter().any(|a| a == "-static") { "; -static links libc in (a static hello world measured 762,424 B)" } else { "" };
    estimated(s, format!("`{tool}`: output of {} ({}× {} of source, at least {}: {}){static_note}", mb(size), fact("c.binary.ratio"), mb(src_bytes), mb(bytes("c.binary.min")), langdata::source("c.binary.min")));
    0
}

struct Makefile {
    vars: BTreeMap<String, String>,
    /// target → (prerequisites, recipe lines), in file order.
    rules: Vec<(String, Vec<String>, Vec<String>)>,
}

fn parse_makefile(text: &str) -> Makefile {
    let mut m = Makefile { vars: BTreeMap::new(), rules: Vec::new() };
    let joined = text.replace("\\\n", " ");
    for line in joined.lines() {
        if let Some(recipe) = line.strip_prefix('\t') {
            if let Some(rule) = m.rules.last_mut() {
                rule.2.push(recipe.to_string());
            }
            continue;
        }
        let t = line.split('#').next().unwrap_or("").trim_end();
        if t.trim().is_empty() {
            continue;
        }
        if let Some((k, v)) = t.split_once(":=").or_else(|| t.split_once("?=")).or_else(|| t.split_once('=')).filter(|(k, _)| !k.contains(':') && !k.trim().contains(' ')) {
            m.vars.insert(k.trim().to_string(), v.trim().to_string());
        } else if let Some((targets, prereqs)) = t.split_once(':') {
            let prereqs: Vec<String> = prereqs.split_whitespace().map(str::to_string).collect();
            for target in targets.split_whitespace() {
                m.rules.push((target.to_string(), prereqs.clone(), Vec::new()));
            }
        }
    }
    m
}

fn expand(text: &str, vars: &BTreeMap<String, String>, target: &str, prereqs: &[String], depth: usize) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('$') => out.push('$'),
            Some('@') => out.push_str(target),
            Some('<') => out.push_str(prereqs.first().map_or("", String::as_str)),
            Some('^') => out.push_str(&prereqs.join(" ")),
            Some(open @ ('(' | '{')) => {
                let close = if open == '(' { ')' } else { '}' };
                let name: String = chars.by_ref().take_while(|c| *c != close).collect();
                let value = vars.get(&name).cloned().unwrap_or_default();
                if depth < 8 {
                    out.push_str(&expand(&value, vars, target, prereqs, depth + 1));
                }
            }
            Some(other) => out.push_str(vars.get(&other.to_string()).map_or("", String::as_str)),
            None => out.push('$'),
        }
    }
    out
}

pub fn make(args: &[String], s: &mut Session) -> Status {
    let mut file = None;
    let mut goals = Vec::new();
    let mut overrides = BTreeMap::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a == "-f" || a == "-C" {
            if a == "-C" {
                if let Some(d) = args.get(i + 1) {
                    s.st.cwd = s.abs(d);
                }
            } else {
                file = args.get(i + 1).cloned();
            }
            i += 2;
            continue;
        }
        if let Some((k, v)) = a.split_once('=').filter(|_| !a.starts_with('-')) {
            overrides.insert(k.to_string(), v.to_string());
        } else if !a.starts_with('-') {
            goals.push(a.clone());
        }
        i += 1;
    }
    let names = match &file {
        Some(f) => vec![f.clone()],
        None => vec!["GNUmakefile".to_string(), "makefile".to_string(), "Makefile".to_string()],
    };
    let found: Vec<Manifest> = names.iter().map(|n| produce::read_manifest(s, n)).collect();
    let known = found.iter().find_map(|m| match m {
        Manifest::Text(t) => Some(t.clone()),
        _ => None,
    });
    let text = match known {
        Some(t) => t,
        None if found.iter().any(|m| matches!(m, Manifest::Opaque)) => {
            s.unmodelled("make", "`make` (its Makefile's content is not known)");
            return 0;
        }
        None => {
            // A Makefile comes from the build context, which the caller may not have given in
            // full: a warning, not a failure.
            s.assume("`make`: no Makefile in the simulated filesystem; a real build fails here (\"No targets specified and no makefile found\") unless the context provides one".to_string());
            s.unmodelled("make", "`make` (its Makefile is not known)");
            return 0;
        }
    };
    let mut m = parse_makefile(&text);
    m.vars.extend(overrides);
    if goals.is_empty() {
        match m.rules.iter().find(|r| !r.0.starts_with('.')) {
            Some(r) => goals.push(r.0.clone()),
            None => return s.fail("make", "*** No targets.  Stop.", 2),
        }
    }
    let mut done = Vec::new();
    for g in goals {
        let st = build_target(s, &m, &g, &mut done, 0);
        if st != 0 {
            return st;
        }
    }
    0
}

fn build_target(s: &mut Session, m: &Makefile, target: &str, done: &mut Vec<String>, depth: usize) -> Status {
    if depth > 32 || done.iter().any(|d| d == target) {
        return 0;
    }
    done.push(target.to_string());
    let Some((_, prereqs, recipe)) = m.rules.iter().find(|r| r.0 == target).cloned() else {
        if produce::exists(s, target) || s.tainted {
            return 0;
        }
        return s.fail("make", &format!("*** No rule to make target '{target}'.  Stop."), 2);
    };
    for p in &prereqs {
        let st = build_target(s, m, p, done, depth + 1);
        if st != 0 {
            return st;
        }
    }
    for line in &recipe {
        let line = line.trim_start_matches(['@', '-', '+']);
        let cmd = expand(line, &m.vars, target, &prereqs, 0);
        let st = sh::run_script(s, &cmd, "sh".to_string(), Vec::new(), &[]);
        if st != 0 {
            return s.fail("make", &format!("*** [Makefile: {target}] Error {st}"), 2);
        }
    }
    0
}
