//! `pip install` (also `pip3`, `pip3.12`, `python -m pip`): distributions and their
//! dependencies into site-packages, sized from measured installs (`langdata`), the wheels
//! into pip's cache unless `--no-cache-dir`. Other subcommands change nothing that matters
//! for size (`pip --version`, `pip freeze`, `pip list`), except `pip uninstall` and
//! `pip cache purge`.

use std::collections::BTreeSet;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, package};
use super::produce::{self, estimated, list, mb, Manifest};
use super::python;

/// Options of `pip install` that take a value.
const VALUED: &[&str] = &[
    "-r", "--requirement", "-c", "--constraint", "-t", "--target", "--prefix", "--root", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "--cache-dir", "--progress-bar", "--platform", "--python-version",
    "--only-binary", "--no-binary", "--trusted-host", "--upgrade-strategy", "-e", "--editable", "--src",
    "--config-settings", "-C", "--global-option", "--log", "--timeout", "--retries", "--proxy", "--implementation",
    "--abi", "--report", "--root-user-action", "--python", "--exists-action", "--cert", "--client-cert",
];

pub fn run(args: &[String], s: &mut Session) -> Status {
    // Global options may come before the subcommand.
    let mut i = 1;
    while i < args.len() && args[i].starts_with('-') {
        if args[i] == "--cache-dir" || args[i] == "--python" || args[i] == "--log" {
            i += 1;
        }
        i += 1;
    }
    let Some(sub) = args.get(i) else { return 0 };
    let rest = &args[i + 1..];
    match sub.as_str() {
        "install" => install(s, &args[0], &args[1..i], rest),
        "uninstall" => uninstall(s, &args[0], rest),
        "cache" if rest.first().is_some_and(|a| a == "purge" || a == "remove") => {
            let dir = cache_dir(s);
            s.fs.remove(&dir);
            0
        }
        // Read-only or configuration-only subcommands.
        "list" | "freeze" | "show" | "check" | "config" | "debug" | "help" | "search" | "index" | "inspect" | "hash" => 0,
        "download" | "wheel" => {
            estimated(s, format!("`pip {sub}`: files it fetches are not simulated; nothing was added"));
            0
        }
        _ => 0,
    }
}

/// What `pip install` was asked for.
#[derive(Default)]
struct Request {
    names: Vec<String>,
    /// Local projects and archives (`.`, `./pkg`, `x.whl`).
    local: Vec<String>,
    /// Requirements files whose content is not known.
    opaque_files: Vec<String>,
    target: Option<String>,
    prefix: Option<String>,
    user: bool,
    no_deps: bool,
    no_cache: bool,
    cache_dir: Option<String>,
}

fn install(s: &mut Session, invoked: &str, global: &[String], args: &[String]) -> Status {
    let mut req = Request::default();
    let mut all: Vec<String> = global.to_vec();
    all.extend(args.iter().cloned());
    let mut i = 0;
    while i < all.len() {
        let a = all[i].clone();
        i += 1;
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let head = if flag.starts_with("--") { None } else { flag.get(..2).filter(|h| h.starts_with('-') && flag.len() > 2) };
        if VALUED.contains(&flag.as_str()) || head.is_some_and(|h| VALUED.contains(&h)) {
            let value = if let Some(v) = inline {
                v
            } else if let Some(rest) = head.and_then(|_| flag.get(2..)) {
                rest.to_string()
            } else if i < all.len() {
                i += 1;
                all[i - 1].clone()
            } else {
                return s.fail("pip", &format!("{flag} option requires 1 argument"), 2);
            };
            let short = head.unwrap_or(flag.as_str());
            match short {
                "-r" | "--requirement" => read_requirements(s, &value, &mut req, 0),
                "-t" | "--target" => req.target = Some(value),
                "--prefix" => req.prefix = Some(value),
                "--cache-dir" => req.cache_dir = Some(value),
                "-e" | "--editable" => req.local.push(value),
                _ => {}
            }
            continue;
        }
        match flag.as_str() {
            "--user" => req.user = true,
            "--no-deps" => req.no_deps = true,
            "--no-cache-dir" => req.no_cache = true,
            f if f.starts_with('-') => {}
            _ => add_spec(&a, &mut req),
        }
    }
    if produce::env_true(s, "PIP_NO_CACHE_DIR") {
        req.no_cache = true;
    }
    if req.names.is_empty() && req.local.is_empty() && req.opaque_files.is_empty() {
        return s.fail("pip", "ERROR: You must give at least one requirement to install (see \"pip help install\")", 1);
    }
    apply(s, invoked, &req);
    0
}

fn add_spec(spec: &str, req: &mut Request) {
    let spec = spec.trim();
    if spec.is_empty() {
        return;
    }
    let looks_local = spec.starts_with('.') || spec.starts_with('/') || spec.ends_with(".whl") || spec.ends_with(".tar.gz") || spec.ends_with(".zip") || spec.contains("://");
    if looks_local {
        req.local.push(spec.to_string());
        return;
    }
    let name: String = spec.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if !name.is_empty() {
        req.names.push(normalize(&name));
    }
}

/// PEP 503 normalisation: lower case, runs of `-_.` become `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn read_requirements(s: &mut Session, path: &str, req: &mut Request, depth: usize) {
    if depth > 5 {
        return;
    }
    match produce::read_manifest(s, path) {
        Manifest::Text(text) => {
            for line in text.lines() {
                let line = line.split(" #").next().unwrap_or("").trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(inner) = line.strip_prefix("-r ").or_else(|| line.strip_prefix("--requirement ")) {
                    let dir = crate::vfs::parent(&produce::place(s, path)).to_string();
                    read_requirements(s, &crate::vfs::join(&dir, inner.trim()), req, depth + 1);
                } else if let Some(p) = line.strip_prefix("-e ").or_else(|| line.strip_prefix("--editable ")) {
                    req.local.push(p.trim().to_string());
                } else if !line.starts_with('-') {
                    add_spec(line.split(';').next().unwrap_or(line), req);
                }
            }
        }
        Manifest::Opaque => req.opaque_files.push(path.to_string()),
        Manifest::Missing => req.opaque_files.push(path.to_string()),
    }
}

/// Where pip puts distributions, and which Python it belongs to.
fn site_packages(s: &mut Session, invoked: &str, req: &Request) -> (String, String) {
    let py = python::detect(s, invoked);
    let v = py.version.clone();
    let dir = if let Some(t) = &req.target {
        produce::place(s, t)
    } else if let Some(p) = &req.prefix {
        format!("{}/lib/python{v}/site-packages", produce::place(s, p).trim_end_matches('/'))
    } else if let Some(venv) = &py.venv {
        format!("{venv}/lib/python{v}/site-packages")
    } else if req.user {
        format!("{}/.local/lib/python{v}/site-packages", produce::home(s))
    } else {
        py.system_site.clone()
    };
    (dir, py.describe())
}

fn cache_dir(s: &Session) -> String {
    if let Some(d) = s.var("PIP_CACHE_DIR").filter(|d| d.starts_with('/')) {
        return d.to_string();
    }
    match s.var("XDG_CACHE_HOME").filter(|d| d.starts_with('/')) {
        Some(x) => format!("{x}/pip"),
        None => format!("{}/.cache/pip", produce::home(s)),
    }
}

fn apply(s: &mut Session, invoked: &str, req: &Request) {
    let (site, python_note) = site_packages(s, invoked, req);
    // The distributions to install: what was asked for, then what each pulls in.
    let mut known: BTreeSet<&'static str> = BTreeSet::new();
    let mut unknown: Vec<String> = Vec::new();
    for name in &req.names {
        match package("pip", name) {
            Some(row) => {
                known.insert(row.name);
                if !req.no_deps {
                    known.extend(row.deps.iter().copied());
                }
            }
            None if !unknown.contains(name) => unknown.push(name.clone()),
            None => {}
        }
    }
    let mut installed = 0u64;
    let mut wheels = 0u64;
    for name in &known {
        if let Some(row) = package("pip", name) {
            let size = row.bytes as u64;
            installed += size;
            wheels += row.download;
            produce::put_dir(s, &format!("{site}/{}", name.replace('-', "_")), size);
        }
    }
    let default = bytes("pip.default");
    for name in &unknown {
        installed += default;
        wheels += bytes("pip.default.wheel");
        produce::put_dir(s, &format!("{site}/{}", name.replace('-', "_")), default);
    }
    let opaque_count = req.opaque_files.len() as u64 * bytes("deps.unknown");
    if opaque_count > 0 {
        let size = opaque_count * default;
        installed += size;
        wheels += opaque_count * bytes("pip.default.wheel");
        produce::put_dir(s, &format!("{site}/requirements-unknown"), size);
    }
    for local in &req.local {
        let size = bytes("pip.project");
        installed += size;
        let name = produce::url_file_name(local);
        let name = if name.is_empty() || name == "." { "project".to_string() } else { name };
        produce::put_dir(s, &format!("{site}/{}", name.replace(['-', '.'], "_")), size);
    }

    let mut parts = Vec::new();
    let known_list: Vec<String> = known.iter().map(|n| n.to_string()).collect();
    if !known.is_empty() {
        parts.push(format!("{} distribution{} with measured sizes ({})", known.len(), if known.len() == 1 { "" } else { "s" }, list(&known_list)));
    }
    if !unknown.is_empty() {
        parts.push(format!("{} not in the table, each sized at the median {} ({})", list(&unknown), mb(default), langdata::source("pip.default")));
    }
    for f in &req.opaque_files {
        parts.push(format!("`{f}`, whose content is not known, taken as {} packages", bytes("deps.unknown")));
    }
    if !req.local.is_empty() {
        parts.push(format!("the local project{} {} sized at {} ({}), its dependencies not known", if req.local.len() == 1 { "" } else { "s" }, req.local.join(", "), mb(bytes("pip.project")), langdata::source("pip.project")));
    }
    let mut msg = format!("`pip install`: {} into {site} ({python_note}): {}", mb(installed), parts.join("; "));
    if req.no_deps {
        msg.push_str("; --no-deps: dependencies not installed");
    }
    if req.no_cache {
        msg.push_str("; --no-cache-dir: no wheel cache left behind");
    } else {
        let cache = req.cache_dir.clone().map(|d| produce::place(s, &d)).unwrap_or_else(|| cache_dir(s));
        for name in &known {
            if let Some(row) = package("pip", name) {
                produce::put_dir(s, &format!("{cache}/http-v2/{name}"), row.download);
            }
        }
        for name in &unknown {
            produce::put_dir(s, &format!("{cache}/http-v2/{name}"), bytes("pip.default.wheel"));
        }
        if opaque_count > 0 {
            produce::put_dir(s, &format!("{cache}/http-v2/requirements-unknown"), opaque_count * bytes("pip.default.wheel"));
        }
        msg.push_str(&format!("; pip's cache keeps the {} of downloaded wheels in {cache} (use --no-cache-dir, or a cache mount, to keep it out of the layer)", mb(wheels)));
    }
    estimated(s, msg);
}

fn uninstall(s: &mut Session, invoked: &str, args: &[String]) -> Status {
    let req = Request::default();
    let (site, _) = site_packages(s, invoked, &req);
    for a in args.iter().filter(|a| !a.starts_with('-')) {
        let dir = format!("{site}/{}", normalize(a).replace('-', "_"));
        s.fs.remove(&dir);
    }
    0
}
