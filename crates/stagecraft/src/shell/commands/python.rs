//! `python`, `python3`, `python3.12`: `-m pip …` (see `pip`), `-m venv DIR`, `-m compileall`,
//! `--version`. Running a program (`python app.py`, `python -c …`) has no model. Also the
//! facts the Python models share: the interpreter's version and where packages go.

use crate::vfs;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact};
use super::produce::{self, estimated, mb};

pub struct Python {
    /// `3.12`
    pub version: String,
    pub full_version: Option<String>,
    /// How the version was found, for notes.
    pub how: &'static str,
    /// The virtual environment pip runs in, if any.
    pub venv: Option<String>,
    /// Where a plain `pip install` as root puts packages.
    pub system_site: String,
}

impl Python {
    pub fn describe(&self) -> String {
        format!("Python {}, {}", self.version, self.how)
    }
}

/// The Python a command invoked as `invoked` belongs to.
pub fn detect(s: &Session, invoked: &str) -> Python {
    let venv = venv_of(s, invoked);
    if let Some(v) = &venv {
        if let produce::Manifest::Text(cfg) = produce::read_manifest(s, &format!("{v}/pyvenv.cfg")) {
            if let Some(full) = cfg.lines().find_map(|l| l.strip_prefix("version").map(|r| r.trim_start_matches([' ', '=']).trim().to_string())) {
                let version = major_minor(&full);
                return Python { system_site: format!("/usr/local/lib/python{version}/site-packages"), version, full_version: Some(full), how: "from the virtual environment's pyvenv.cfg", venv };
            }
        }
    }
    if let Some(full) = s.var("PYTHON_VERSION").filter(|v| v.starts_with('3') || v.starts_with('2')) {
        // The official python images build Python into /usr/local.
        let version = major_minor(full);
        return Python { system_site: format!("/usr/local/lib/python{version}/site-packages"), version, full_version: Some(full.to_string()), how: "from PYTHON_VERSION", venv };
    }
    // A distribution's python3: its /usr/lib/python3.N directory.
    let mut found: Option<(u32, String)> = None;
    for dir in ["/usr/lib"] {
        for (name, node) in s.fs.children(dir) {
            if let Some(minor) = name.strip_prefix("python3.").and_then(|m| m.parse::<u32>().ok()) {
                if node.is_dir() && found.as_ref().is_none_or(|(m, _)| minor > *m) {
                    found = Some((minor, format!("3.{minor}")));
                }
            }
        }
    }
    match found {
        // Debian's pip installs outside the distribution's own dist-packages.
        Some((_, version)) => Python { system_site: format!("/usr/local/lib/python{version}/dist-packages"), version, full_version: None, how: "from the image's /usr/lib/python3.N", venv },
        None => {
            let version = "3.11".to_string();
            Python { system_site: format!("/usr/local/lib/python{version}/dist-packages"), version, full_version: None, how: "version not known: assumed 3.11 (Debian 12's)", venv }
        }
    }
}

fn major_minor(v: &str) -> String {
    v.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// A virtual environment: the one the program was invoked from (`/venv/bin/pip`),
/// `VIRTUAL_ENV`, or the first `PATH` directory that belongs to one.
fn venv_of(s: &Session, invoked: &str) -> Option<String> {
    let is_venv = |dir: &str| produce::exists(s, &format!("{dir}/pyvenv.cfg"));
    if invoked.contains('/') {
        let abs = s.abs(invoked);
        let bin = vfs::parent(&abs);
        if bin.ends_with("/bin") {
            let root = vfs::parent(bin).to_string();
            if is_venv(&root) {
                return Some(root);
            }
        }
        return None;
    }
    if let Some(v) = s.var("VIRTUAL_ENV").filter(|v| v.starts_with('/')) {
        return Some(vfs::normalize(v));
    }
    let path = s.var("PATH").unwrap_or("").to_string();
    for dir in path.split(':').filter(|d| d.starts_with('/')) {
        let dir = vfs::normalize(dir);
        if let Some(root) = dir.strip_suffix("/bin") {
            if is_venv(root) {
                return Some(root.to_string());
            }
        }
        if ["/usr/local/bin", "/usr/bin", "/bin"].contains(&dir.as_str()) {
            break;
        }
    }
    None
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let invoked = args[0].clone();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-m" => {
                let Some(module) = args.get(i + 1) else { return s.fail("python", "Argument expected for the -m option", 2) };
                let rest = &args[i + 2..];
                return match module.as_str() {
                    "pip" => {
                        let argv: Vec<String> = std::iter::once(invoked.clone()).chain(rest.iter().cloned()).collect();
                        super::pip::run(&argv, s)
                    }
                    "venv" | "virtualenv" => venv(s, &invoked, rest),
                    "compileall" => compileall(s, rest),
                    "ensurepip" => 0,
                    other => {
                        s.unmodelled(&format!("python -m {other}"), &format!("`python -m {other}`"));
                        0
                    }
                };
            }
            "-V" | "--version" => {
                let py = detect(s, &invoked);
                match py.full_version {
                    Some(v) => s.out(&format!("Python {v}\n")),
                    None => produce::unknown_output(s),
                }
                return 0;
            }
            "-c" => break,
            _ if a.starts_with('-') => i += 1,
            _ => break,
        }
    }
    let name = vfs::file_name(&invoked).to_string();
    s.unmodelled(&name, &format!("`{name}` running a program"));
    0
}

/// `python -m venv DIR`: the interpreter linked in, pip (and setuptools before 3.12) installed.
fn venv(s: &mut Session, invoked: &str, args: &[String]) -> Status {
    let without_pip = args.iter().any(|a| a == "--without-pip");
    let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
        return s.fail("venv", "error: the following arguments are required: ENV_DIR", 2);
    };
    let py = detect(s, invoked);
    let root = produce::place(s, dir);
    let v = &py.version;
    let home = if py.how.contains("PYTHON_VERSION") { "/usr/local/bin" } else { "/usr/bin" };
    let full = py.full_version.clone().unwrap_or_else(|| v.clone());
    produce::put_text(s, &format!("{root}/pyvenv.cfg"), &format!("home = {home}\ninclude-system-site-packages = false\nversion = {full}\n"), 0o644);
    let owner = s.owner();
    for (link, target) in [("python", format!("{home}/python{v}")), ("python3", "python".to_string()), (&format!("python{v}") as &str, "python".to_string())] {
        let mut n = crate::vfs::Node::symlink(&target);
        (n.uid, n.gid) = owner;
        s.fs.write(&format!("{root}/bin/{link}"), n, owner);
    }
    let size = if without_pip { 0 } else { bytes("python.venv") };
    produce::put_dir(s, &format!("{root}/lib/python{v}/site-packages"), size);
    if !without_pip {
        produce::put_file(s, &format!("{root}/bin/pip"), 250, 0o755);
        produce::put_file(s, &format!("{root}/bin/pip3"), 250, 0o755);
        estimated(s, format!("`python -m venv {dir}`: pip and setuptools in the new environment, {} ({}); {}", mb(size), langdata::source("python.venv"), py.describe()));
    }
    0
}

/// `python -m compileall [-q] [-b] DIR…`: a `.pyc` beside each known `.py` (in `__pycache__`).
fn compileall(s: &mut Session, args: &[String]) -> Status {
    let legacy = args.iter().any(|a| a == "-b");
    let dirs: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let dirs = if dirs.is_empty() { vec![".".to_string()] } else { dirs };
    let ratio = fact("python.pyc.ratio");
    let tag = match detect(s, "python3").version.split_once('.') {
        Some((a, b)) => format!("cpython-{a}{b}"),
        None => "cpython-3".to_string(),
    };
    let mut total = 0u64;
    let mut count = 0u64;
    let mut unknown = false;
    for d in &dirs {
        let root = produce::place(s, d);
        let sources: Vec<(String, u64)> = s.fs.subtree(&root).filter(|(p, n)| n.is_file() && p.ends_with(".py")).map(|(p, n)| (p.to_string(), n.size())).collect();
        if sources.is_empty() && s.under_summary(&format!("{root}/x")) || s.fs.get(&root).is_some_and(|n| n.size() > 0 && n.is_dir()) {
            unknown = true;
        }
        for (p, size) in sources {
            let pyc_size = (size as f64 * ratio) as u64;
            let stem = vfs::file_name(&p).trim_end_matches(".py").to_string();
            let out = if legacy { format!("{p}c") } else { format!("{}/__pycache__/{stem}.{tag}.pyc", vfs::parent(&p)) };
            produce::put_file(s, &out, pyc_size, 0o644);
            total += pyc_size;
            count += 1;
        }
    }
    let mut msg = format!("`python -m compileall`: {count} .pyc files, {} ({}× the source size: {})", mb(total), ratio, langdata::source("python.pyc.ratio"));
    if unknown {
        msg.push_str("; directories whose files are not listed (packages installed by an estimate, a base image's) get no .pyc here");
    }
    estimated(s, msg);
    0
}
