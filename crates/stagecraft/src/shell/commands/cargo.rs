//! `cargo build [--release]`, `cargo install`, `cargo fetch`: the target directory (binaries
//! and the compiled dependencies), the registry in `$CARGO_HOME` (`/usr/local/cargo` in the
//! rust images), sized per crate from measurements (`langdata`) and Cargo.toml / Cargo.lock.

use super::super::session::{Session, Status};
use super::langdata::{self, bytes};
use super::produce::{self, estimated, mb, Manifest};

fn cargo_home(s: &Session) -> String {
    s.var("CARGO_HOME").filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/.cargo", produce::home(s)))
}

/// Crates the build compiles (Cargo.lock's packages, else Cargo.toml's dependencies) and the
/// package's binary name.
fn project(s: &Session, dir: &str) -> (u64, String, Option<String>) {
    let mut name = None;
    let mut deps = None;
    if let Manifest::Text(toml) = produce::read_manifest(s, &format!("{dir}/Cargo.toml")) {
        let mut section = String::new();
        let mut count = 0;
        for line in toml.lines().map(str::trim) {
            if line.starts_with('[') {
                section = line.trim_matches(['[', ']']).to_string();
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if section == "package" && line.starts_with("name") && name.is_none() {
                name = line.split_once('=').map(|(_, v)| v.trim().trim_matches('"').to_string());
            }
            if section == "dependencies" || section == "build-dependencies" {
                count += 1;
            }
        }
        deps = Some((count, "direct dependencies in Cargo.toml (no Cargo.lock known; transitive ones not counted)".to_string()));
    }
    if let Manifest::Text(lock) = produce::read_manifest(s, &format!("{dir}/Cargo.lock")) {
        let n = lock.lines().filter(|l| l.trim() == "[[package]]").count() as u64;
        deps = Some((n.saturating_sub(1), "packages in Cargo.lock".to_string()));
    }
    let (n, how) = deps.unwrap_or((bytes("rust.deps.guess"), format!("Cargo.toml not known: {}", langdata::source("rust.deps.guess"))));
    (n, how, name)
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let sub = args.iter().skip(1).find(|a| !a.starts_with('-') && !a.starts_with('+')).cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    match sub.as_str() {
        "build" | "b" | "test" | "t" if !(sub.starts_with('t') && rest.iter().any(|a| a == "--no-run")) => build(s, &rest, sub.starts_with('t')),
        "fetch" => {
            let (n, how, _) = project(s, ".");
            fetch(s, n, &how);
            0
        }
        "install" => install(s, &rest),
        "clean" => {
            let dir = target_dir(s, &rest);
            s.fs.remove(&dir);
            0
        }
        // version, metadata, fmt, clippy --version, tree: nothing of size.
        "" | "version" | "--version" | "metadata" | "tree" | "fmt" | "search" | "help" => {
            produce::unknown_output(s);
            0
        }
        other => {
            s.unmodelled(&format!("cargo {other}"), &format!("`cargo {other}`"));
            0
        }
    }
}

fn value_of(args: &[String], flag: &str) -> Option<String> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1).cloned()).or_else(|| args.iter().find_map(|a| a.strip_prefix(&format!("{flag}=")).map(str::to_string)))
}

fn target_dir(s: &Session, args: &[String]) -> String {
    value_of(args, "--target-dir").or_else(|| s.var("CARGO_TARGET_DIR").map(str::to_string)).map(|d| produce::place(s, &d)).unwrap_or_else(|| produce::place(s, "target"))
}

/// The registry: crate archives and their unpacked sources.
fn fetch(s: &mut Session, n: u64, how: &str) {
    let home = cargo_home(s);
    let size = n * bytes("rust.registry.per_crate");
    let dir = format!("{home}/registry");
    if s.fs.get(&dir).is_some_and(|d| d.size() >= size) || size == 0 {
        return;
    }
    produce::put_dir(s, &dir, size);
    estimated(s, format!("cargo: {n} crates ({how}) into {dir}, {} ({}); a cache mount on {dir} keeps it out of the image", mb(size), langdata::source("rust.registry.per_crate")));
}

fn build(s: &mut Session, args: &[String], test: bool) -> Status {
    let release = args.iter().any(|a| a == "--release" || a == "-r") || value_of(args, "--profile").is_some_and(|p| p == "release");
    let manifest_dir = value_of(args, "--manifest-path").map(|p| crate::vfs::parent(&produce::place(s, &p)).to_string()).unwrap_or_else(|| ".".to_string());
    let (n, how, name) = project(s, &manifest_dir);
    fetch(s, n, &how);
    let target = target_dir(s, args);
    let profile = if release { "release" } else { "debug" };
    let triple = value_of(args, "--target");
    let out_dir = match &triple {
        Some(t) => format!("{target}/{t}/{profile}"),
        None => format!("{target}/{profile}"),
    };
    let per_crate_key = if release { "rust.target.per_crate.release" } else { "rust.target.per_crate.debug" };
    let deps_size = n * bytes(per_crate_key);
    produce::put_dir(s, &format!("{out_dir}/deps"), deps_size);
    let bin_key = if release { "rust.binary.release" } else { "rust.binary.debug" };
    let bin_size = bytes(bin_key) + n * bytes("rust.binary.per_crate");
    let bin_name = value_of(args, "--bin").or(name).unwrap_or_else(|| {
        let cwd = s.st.cwd.clone();
        crate::vfs::file_name(&cwd).to_string()
    });
    let wrote_bin = !test && !bin_name.is_empty() && !args.iter().any(|a| a == "--lib");
    if wrote_bin {
        produce::put_file(s, &format!("{out_dir}/{bin_name}"), bin_size, 0o755);
    }
    estimated(
        s,
        format!(
            "`cargo {}{}`: {} compiled crates in {out_dir}/deps, {} ({}){}",
            if test { "test" } else { "build" },
            if release { " --release" } else { "" },
            n,
            mb(deps_size),
            langdata::source(per_crate_key),
            if wrote_bin { format!("; the binary {out_dir}/{bin_name}, {} ({} for hello world + {n} × {} per crate, an assumption)", mb(bin_size), mb(bytes(bin_key)), mb(bytes("rust.binary.per_crate"))) } else { String::new() }
        ),
    );
    0
}

/// `cargo install NAME` or `cargo install --path .`: the binary in $CARGO_HOME/bin; the build
/// happens in a temporary target directory that cargo removes afterwards.
fn install(s: &mut Session, args: &[String]) -> Status {
    let home = value_of(args, "--root").unwrap_or_else(|| cargo_home(s));
    let local = value_of(args, "--path");
    let names: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).filter(|a| Some(*a) != local.as_ref() && !args.windows(2).any(|w| w[1] == **a && w[0].starts_with("--") && !w[0].contains('='))).cloned().collect();
    let (n, how, pkg) = match &local {
        Some(p) => project(s, p),
        None => (bytes("rust.deps.guess"), format!("not known: {}", langdata::source("rust.deps.guess")), None),
    };
    fetch(s, n, &how);
    let size = bytes("rust.binary.release") + n * bytes("rust.binary.per_crate");
    let bins: Vec<String> = if names.is_empty() { vec![pkg.unwrap_or_else(|| "app".to_string())] } else { names.iter().map(|n| n.split('@').next().unwrap_or(n).to_string()).collect() };
    for b in &bins {
        produce::put_file(s, &format!("{home}/bin/{b}"), size, 0o755);
    }
    estimated(s, format!("`cargo install`: {} in {home}/bin, {} each (release hello world + {n} crates × {}, an assumption); the build's target directory is temporary", bins.join(", "), mb(size), mb(bytes("rust.binary.per_crate"))));
    0
}

/// `rustup target add`, `rustup component add`, `rustup toolchain install` (and `rustup
/// install`, `rustup default X`): the pieces rustup downloads into `$RUSTUP_HOME`, sized from
/// measured installs. Other subcommands (`show`, `set profile`, `--version`) write nothing of size.
pub fn rustup(args: &[String], s: &mut Session) -> Status {
    let home = s.var("RUSTUP_HOME").filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/.rustup", produce::home(s)));
    let toolchain_flag = value_of(args, "--toolchain");
    let words: Vec<String> = {
        let mut w = Vec::new();
        let mut skip = false;
        for a in args.iter().skip(1) {
            if skip {
                skip = false;
                continue;
            }
            if a == "--toolchain" || a == "--profile" || a == "-c" || a == "--component" || a == "-t" || a == "--target" {
                skip = true;
                continue;
            }
            if !a.starts_with('-') {
                w.push(a.clone());
            }
        }
        w
    };
    let toolchain = toolchain_flag.or_else(|| s.var("RUSTUP_TOOLCHAIN").map(str::to_string)).or_else(|| s.var("RUST_VERSION").map(str::to_string)).unwrap_or_else(|| "stable".to_string());
    let tc_dir = format!("{home}/toolchains/{toolchain}-x86_64-unknown-linux-gnu");
    let (sub, verb) = (words.first().map(String::as_str).unwrap_or(""), words.get(1).map(String::as_str).unwrap_or(""));
    match (sub, verb) {
        ("target", "add" | "install") => {
            let targets = &words[2..];
            for t in targets {
                produce::put_dir(s, &format!("{tc_dir}/lib/rustlib/{t}"), bytes("rust.std.target"));
            }
            estimated(s, format!("`rustup target add {}`: the standard library for each target, {} each ({})", targets.join(" "), mb(bytes("rust.std.target")), langdata::source("rust.std.target")));
        }
        ("component", "add") => {
            let mut parts = Vec::new();
            for c in &words[2..] {
                let key = match c.trim_end_matches("-preview") {
                    "clippy" => "rust.component.clippy",
                    "rustfmt" => "rust.component.rustfmt",
                    _ => "rust.component.default",
                };
                produce::put_dir(s, &format!("{tc_dir}/components/{c}"), bytes(key));
                parts.push(format!("{c} {} ({})", mb(bytes(key)), langdata::source(key)));
            }
            estimated(s, format!("`rustup component add`: {}", parts.join("; ")));
        }
        ("toolchain", "install" | "add") | ("install", _) | ("default", _) | ("update", _) => {
            let names: Vec<String> = match sub {
                "toolchain" => words[2..].to_vec(),
                _ => words.get(1).cloned().into_iter().collect(),
            };
            let names = if names.is_empty() { vec![toolchain.clone()] } else { names };
            for n in &names {
                let dir = format!("{home}/toolchains/{n}-x86_64-unknown-linux-gnu");
                if s.fs.get(&dir).is_none() {
                    produce::put_dir(s, &dir, bytes("rust.toolchain.minimal"));
                }
            }
            estimated(s, format!("`rustup {sub}`: toolchain {} in {home}/toolchains, {} each if not already there ({})", names.join(", "), mb(bytes("rust.toolchain.minimal")), langdata::source("rust.toolchain.minimal")));
        }
        _ => produce::unknown_output(s),
    }
    0
}
