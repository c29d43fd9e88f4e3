//! Command models. Each is `fn run(args, &mut Session) -> Status` (`args[0]` is the name as
//! invoked) in a file named after it; `find` is the registry. Adding a command is one file
//! and one line here.

use crate::vfs;

use super::interp;
use super::session::{Lookup, Session, Status, Stream};

pub mod accounts;
pub mod apk;
pub mod apt;
pub mod builtins;
pub mod cargo;
pub mod cc;
pub mod checksum;
pub mod chmod;
pub mod chown;
pub mod cmp;
pub mod cp;
pub mod dnf;
pub mod dpkg;
pub mod echo;
pub mod ecosystems;
pub mod fetch;
pub mod go;
pub mod info;
pub mod jvm;
pub mod langdata;
pub mod ln;
pub mod ls;
pub mod mkdir;
pub mod mktemp;
pub mod mv;
pub mod npm;
pub mod pip;
pub mod platform;
pub mod produce;
pub mod python;
pub mod rm;
pub mod sh;
pub mod stat;
pub mod test;
pub mod text;
pub mod touch;
pub mod tr;
pub mod unpack;

pub type CommandFn = fn(&[String], &mut Session) -> Status;

/// The registry: a name (as the last component of the path it was invoked by) to its model.
pub fn find(name: &str) -> Option<CommandFn> {
    Some(match name {
        ":" | "true" => builtins::true_,
        "false" => builtins::false_,
        "cd" => builtins::cd,
        "export" => builtins::export,
        "readonly" | "local" | "declare" | "typeset" => builtins::assign,
        "unset" => builtins::unset,
        "set" => builtins::set,
        "shift" => builtins::shift,
        "exit" => builtins::exit,
        "return" => builtins::return_,
        "break" => builtins::break_,
        "continue" => builtins::continue_,
        "umask" => builtins::umask,
        "eval" => builtins::eval,
        "." | "source" => builtins::source,
        "exec" => builtins::exec,
        "read" => builtins::read,
        "trap" | "wait" | "ulimit" | "alias" | "unalias" | "hash" | "shopt" | "sync" | "sleep" => builtins::true_,
        "command" => builtins::command,
        "busybox" => builtins::busybox,
        "sh" | "bash" | "ash" | "dash" => sh::run,
        "echo" => echo::echo,
        "printf" => echo::printf,
        "cat" => text::cat,
        "tee" => text::tee,
        "tr" => tr::run,
        "mkdir" => mkdir::run,
        "rmdir" => mkdir::rmdir,
        "touch" => touch::run,
        "cp" => cp::run,
        "mv" => mv::run,
        "rm" => rm::run,
        "ln" => ln::run,
        "chmod" => chmod::run,
        "chown" | "chgrp" => chown::run,
        "test" | "[" => test::run,
        "stat" => stat::run,
        "ls" => ls::run,
        "cmp" => cmp::run,
        "pwd" => info::pwd,
        "whoami" => info::whoami,
        "id" => info::id,
        "basename" => info::basename,
        "dirname" => info::dirname,
        "env" => info::env,
        "printenv" => info::printenv,
        "nproc" => info::nproc,
        "date" => info::date,
        "uname" => platform::uname,
        "arch" => platform::arch,
        "dpkg-architecture" => platform::dpkg_architecture,
        "xx-info" => platform::xx_info,
        "xx-apt-get" | "xx-apt" => platform::xx_apt_get,
        "xx-apk" => platform::xx_apk,
        "mktemp" => mktemp::run,
        "sha256sum" | "sha512sum" | "sha1sum" | "sha384sum" | "sha224sum" | "md5sum" | "b2sum" => checksum::run,
        "apt-get" => apt::apt_get,
        "apt" => apt::apt,
        "apt-mark" => apt::apt_mark,
        "apt-cache" => apt::apt_cache,
        "apk" => apk::run,
        "dnf" | "yum" | "microdnf" => dnf::run,
        "dpkg" => dpkg::run,
        "go" | "xx-go" => go::run,
        "xx-verify" => go::xx_verify,
        "cargo" => cargo::run,
        "rustup" => cargo::rustup,
        "javac" => jvm::javac,
        "jar" => jvm::jar,
        "mvn" | "mvnw" => jvm::mvn,
        "gradle" | "gradlew" => jvm::gradle,
        "gem" => ecosystems::gem,
        "bundle" | "bundler" => ecosystems::bundle,
        "composer" | "composer.phar" => ecosystems::composer,
        "dotnet" => ecosystems::dotnet,
        "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" => cc::compile,
        "make" | "gmake" => cc::make,
        "curl" => fetch::curl,
        "wget" => fetch::wget,
        "git" => fetch::git,
        "tar" => unpack::tar,
        "unzip" => unpack::unzip,
        "useradd" => accounts::useradd,
        "adduser" => accounts::adduser,
        "groupadd" | "addgroup" => accounts::groupadd,
        "usermod" => accounts::usermod,
        "npm" => npm::npm,
        "yarn" | "yarnpkg" => npm::yarn,
        "pnpm" => npm::pnpm,
        n if n == "pip" || n.starts_with("pip3") => pip::run,
        n if n == "python" || n.starts_with("python3") => python::run,
        _ => return None,
    })
}

/// A script's `#!` line: the interpreter's name (past `/usr/bin/env`) and its arguments.
pub fn shebang(text: &str) -> Option<(String, Vec<String>)> {
    let line = text.strip_prefix("#!")?.lines().next().unwrap_or("").trim();
    let mut parts = line.split_whitespace();
    let mut name = parts.next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
    let mut rest: Vec<String> = parts.map(str::to_string).collect();
    if name == "env" && !rest.is_empty() {
        name = rest.remove(0);
    }
    Some((name, rest))
}

/// Shells whose scripts this interpreter runs.
pub fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash")
}

/// Runs `argv` (already expanded): a model by name, a script in the image, or nothing.
pub fn dispatch(s: &mut Session, argv: &[String]) -> Status {
    let name = argv[0].as_str();
    let base = name.rsplit('/').next().unwrap_or(name);
    if let Some(f) = find(base) {
        return f(argv, s);
    }
    if name.contains('/') {
        return run_path(s, argv);
    }
    if let Some(path) = search_path(s, name) {
        let mut argv = argv.to_vec();
        argv[0] = path;
        return run_path(s, &argv);
    }
    let what = format!("`{name}`");
    s.unmodelled(name, &what);
    0
}

/// A script of known content on `PATH` (one the Dockerfile copied in, say).
fn search_path(s: &Session, name: &str) -> Option<String> {
    let path = s.var("PATH").unwrap_or(super::DEFAULT_PATH).to_string();
    path.split(':').filter(|d| d.starts_with('/')).map(|d| vfs::join(d, name)).find(|p| {
        matches!(s.lookup(p, true), Lookup::Found { node, .. } if node.content().is_some_and(|c| c.starts_with(b"#!") || c.is_ascii()))
    })
}

/// Executes a file by path, as the kernel (and the shell's ENOEXEC fallback) would.
fn run_path(s: &mut Session, argv: &[String]) -> Status {
    let name = argv[0].as_str();
    let base = name.rsplit('/').next().unwrap_or(name).to_string();
    match s.lookup(name, true) {
        Lookup::Found { node, .. } => {
            if node.is_dir() || node.mode & 0o111 == 0 || (s.uid != 0 && !executable_by(&node, s.uid, s.gid)) {
                return s.fail("sh", &format!("{name}: Permission denied"), 126);
            }
            let Some(content) = node.content() else {
                s.unmodelled(&base, &format!("`{base}`"));
                return 0;
            };
            let text = String::from_utf8_lossy(content).into_owned();
            let mut sh_argv: Vec<String> = vec!["sh".to_string()];
            if let Some((interp_name, rest)) = shebang(&text) {
                if !is_shell(&interp_name) {
                    s.unmodelled(&interp_name, &format!("`{interp_name}` (the interpreter of `{name}`)"));
                    return 0;
                }
                sh_argv[0] = interp_name;
                sh_argv.extend(rest);
            }
            sh_argv.push(name.to_string());
            sh_argv.extend(argv[1..].iter().cloned());
            sh::run(&sh_argv, s)
        }
        Lookup::Missing { .. } => s.fail("sh", &format!("{name}: not found"), 127),
        Lookup::Unknown { .. } => {
            s.unmodelled(&base, &format!("`{base}`"));
            0
        }
    }
}

fn executable_by(node: &vfs::Node, uid: u32, gid: u32) -> bool {
    if node.uid == uid {
        node.mode & 0o100 != 0
    } else if node.gid == gid {
        node.mode & 0o010 != 0
    } else {
        node.mode & 0o001 != 0
    }
}

/// Reads a file a command was given: its bytes, `-` for stdin, or the error the utility prints.
pub fn read_input(s: &mut Session, name: &str, path: &str) -> Result<Stream, Status> {
    if path == "-" || path == "/dev/stdin" {
        return Ok(std::mem::take(&mut s.io.stdin));
    }
    if path == "/dev/null" {
        return Ok(Stream::default());
    }
    if path.starts_with("/proc/") || path.starts_with("/sys/") || path.starts_with("/dev/") {
        return Ok(Stream { opaque: true, ..Stream::default() });
    }
    match s.lookup(path, true) {
        Lookup::Found { node, .. } if node.is_dir() => Err(s.fail(name, &format!("{path}: Is a directory"), 1)),
        Lookup::Found { node, .. } => {
            let mut st = Stream::default();
            match node.content() {
                Some(c) => st.push(c),
                None => st.unknown = node.size(),
            }
            Ok(st)
        }
        Lookup::Missing { reason, .. } => Err(s.fail(name, &format!("{path}: {reason}"), 1)),
        Lookup::Unknown { .. } => {
            s.assume(format!("`{name}` reads `{path}`, which is not in the simulated filesystem: assumed present, content unknown"));
            Ok(Stream { opaque: true, ..Stream::default() })
        }
    }
}

/// Parsed command-line options: short flags (bundled or not), long flags, operands.
#[derive(Debug, Default)]
pub struct Opts {
    pub flags: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(f, _)| *f == c)
    }
    pub fn value(&self, c: char) -> Option<&str> {
        self.flags.iter().rev().find(|(f, _)| *f == c).and_then(|(_, v)| v.as_deref())
    }
}

/// Parses `args` (without the name). `valued` lists the short options that take a value;
/// `long` maps long options to short ones (`("recursive", 'R')`; a `=` in the name means
/// it takes a value). Unknown options are kept as given; a missing value is an error message.
pub fn parse_opts(args: &[String], valued: &str, long: &[(&str, char)]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            o.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (key, val) = match l.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (l, None),
            };
            let hit = long.iter().find(|(n, _)| n.trim_end_matches('=') == key);
            match hit {
                Some((n, c)) if n.ends_with('=') => {
                    let v = match val {
                        Some(v) => v,
                        None if i < args.len() => {
                            i += 1;
                            args[i - 1].clone()
                        }
                        None => return Err(format!("option '--{key}' requires an argument")),
                    };
                    o.flags.push((*c, Some(v)));
                }
                Some((_, c)) => o.flags.push((*c, None)),
                // An option without a model is kept, not refused: the real utility may know it.
                None => o.flags.push(('?', Some(key.to_string()))),
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            for (k, c) in chars.iter().enumerate() {
                if valued.contains(*c) {
                    let rest: String = chars[k + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!("option requires an argument -- '{c}'"));
                    };
                    o.flags.push((*c, Some(v)));
                    break;
                }
                o.flags.push((*c, None));
            }
            continue;
        }
        o.operands.push(a.clone());
    }
    Ok(o)
}

/// Runs `text` as a nested script in the current shell (`eval`, `.`).
pub fn run_script_here(s: &mut Session, text: &str) -> Status {
    match interp::run_text(s, text) {
        Ok(n) => n,
        Err(flow) => {
            let st = s.st.last_status;
            s.pending = Some(flow);
            st
        }
    }
}
