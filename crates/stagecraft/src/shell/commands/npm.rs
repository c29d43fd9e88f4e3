//! `npm ci|install`, `yarn [install]`, `pnpm install`: node_modules from the project's
//! package.json / lockfile in the working directory, sized from measured installs
//! (`langdata`), and the package manager's cache. `npm run build` (also `yarn build`,
//! `pnpm build`): a bundle in the directory the build script's tool writes. `npm cache clean`
//! removes the cache.

use serde_json::Value;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact, package};
use super::produce::{self, estimated, list, mb, Manifest};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Npm,
    Yarn,
    Pnpm,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Npm => "npm",
            Tool::Yarn => "yarn",
            Tool::Pnpm => "pnpm",
        }
    }
    /// Where the tool's cache lives for the RUN's user.
    fn cache(self, s: &Session) -> String {
        let home = produce::home(s);
        match self {
            Tool::Npm => s.var("npm_config_cache").map(str::to_string).unwrap_or(format!("{home}/.npm")) + "/_cacache",
            Tool::Yarn if home == "/root" => "/usr/local/share/.cache/yarn/v6".to_string(),
            Tool::Yarn => format!("{home}/.cache/yarn/v6"),
            Tool::Pnpm => format!("{home}/.local/share/pnpm/store/v3"),
        }
    }
    fn cache_ratio(self) -> (&'static str, f64) {
        let key = match self {
            Tool::Npm => "npm.cache.ratio",
            Tool::Yarn => "yarn.cache.ratio",
            Tool::Pnpm => "pnpm.store.ratio",
        };
        (key, fact(key))
    }
}

pub fn npm(args: &[String], s: &mut Session) -> Status {
    let sub = args.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    match sub.as_str() {
        "ci" | "install" | "i" | "add" | "isntall" | "update" | "up" => install(s, Tool::Npm, &rest, sub == "ci"),
        "run" | "run-script" => run_script(s, Tool::Npm, &rest),
        "cache" => {
            if rest.iter().any(|a| a == "clean") {
                let cache = Tool::Npm.cache(s);
                s.fs.remove(crate::vfs::parent(&cache));
            }
            0
        }
        "prune" => prune(s, &rest),
        "test" | "t" | "start" => 0,
        // Configuration and queries: nothing of size changes (npm config writes a tiny ~/.npmrc).
        "config" | "set" | "get" | "version" | "view" | "ls" | "list" | "audit" | "outdated" | "whoami" | "ping" | "help" | "doctor" | "pkg" => 0,
        "" => 0,
        other => {
            s.unmodelled(&format!("npm {other}"), &format!("`npm {other}`"));
            0
        }
    }
}

pub fn yarn(args: &[String], s: &mut Session) -> Status {
    let sub = args.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    match sub.as_str() {
        "" | "install" | "add" => install(s, Tool::Yarn, &rest, false),
        "cache" => {
            if rest.iter().any(|a| a == "clean") {
                let cache = Tool::Yarn.cache(s);
                s.fs.remove(&cache);
            }
            0
        }
        "run" => run_script(s, Tool::Yarn, &rest),
        "config" | "set" | "version" | "info" | "list" | "why" | "test" | "start" | "global" | "workspaces" => 0,
        other => run_script(s, Tool::Yarn, &[other.to_string()]),
    }
}

pub fn pnpm(args: &[String], s: &mut Session) -> Status {
    let sub = args.iter().skip(1).find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let rest: Vec<String> = args.iter().skip(1).filter(|a| **a != sub).cloned().collect();
    match sub.as_str() {
        "install" | "i" | "add" | "fetch" => install(s, Tool::Pnpm, &rest, false),
        "run" => run_script(s, Tool::Pnpm, &rest),
        "store" if rest.iter().any(|a| a == "prune") => 0,
        "config" | "set" | "version" | "list" | "ls" | "test" | "start" | "" => 0,
        other => run_script(s, Tool::Pnpm, &[other.to_string()]),
    }
}

/// The project: package.json, parsed when its content is known.
fn package_json(s: &Session) -> Option<Value> {
    match produce::read_manifest(s, "package.json") {
        Manifest::Text(t) => serde_json::from_str(&t).ok(),
        _ => None,
    }
}

fn omit_dev(s: &Session, args: &[String]) -> bool {
    args.iter().any(|a| matches!(a.as_str(), "--production" | "--prod" | "-P" | "--omit=dev" | "--only=prod" | "--only=production"))
        || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || s.var("NODE_ENV") == Some("production")
        || s.var("npm_config_production") == Some("true")
}

fn install(s: &mut Session, tool: Tool, args: &[String], ci: bool) -> Status {
    let global = args.iter().any(|a| a == "-g" || a == "--global");
    let named: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).map(|a| strip_version(a)).collect();
    let prod = omit_dev(s, args);
    let avg = bytes("npm.package.avg");
    let mut parts: Vec<String> = Vec::new();
    let mut measured_cache: Option<u64> = None;
    // Yarn 1 fetches every package of the project into its cache, dev ones too, and links only
    // the production ones under --production (measured: yarn 1.22.22, express + jest).
    let mut cached_only = 0;
    let (modules_dir, total) = if global || !named.is_empty() {
        let (size, cache, desc) = sized_names(&named);
        measured_cache = cache;
        parts.push(desc);
        let dir = if global { "/usr/local/lib/node_modules".to_string() } else { produce::place(s, "node_modules") };
        if global {
            for n in &named {
                let one = package("npm", n).map_or(bytes("npm.default"), |r| r.bytes as u64);
                produce::put_dir(s, &format!("{dir}/{n}"), one);
            }
        }
        (dir, size)
    } else {
        let lock = lockfile(s, tool, prod);
        let pkg = package_json(s);
        let (size, desc) = match (lock, &pkg) {
            (Some((count, file)), _) => (count * avg, format!("{count} packages in {file}{}, at the measured average of {} each ({})", if !prod { "" } else if file.ends_with(".json") { " (dev packages left out)" } else { " (the lockfile does not mark dev packages: all counted)" }, mb(avg), langdata::source("npm.package.avg"))),
            (None, Some(pkg)) => {
                let mut names = dep_names(pkg, "dependencies");
                if !prod {
                    names.extend(dep_names(pkg, "devDependencies"));
                }
                let (size, cache, desc) = sized_names(&names);
                measured_cache = cache;
                let mut desc = format!("package.json lists {}{}: {desc}", names.len(), if prod { " production dependencies" } else { " dependencies" });
                let dev = dep_names(pkg, "devDependencies");
                if prod && tool == Tool::Yarn && !dev.is_empty() {
                    let (dev_size, _, dev_desc) = sized_names(&dev);
                    cached_only = dev_size;
                    desc += &format!("; yarn still fetches the {} dev dependencies into its cache ({dev_desc})", dev.len());
                }
                (size, desc)
            }
            (None, None) => {
                let n = bytes("deps.unknown");
                (n * bytes("npm.default"), format!("package.json is not known: taken as {n} dependencies of the median {} each", mb(bytes("npm.default"))))
            }
        };
        parts.push(desc);
        let missing = |s: &Session, f: &str| matches!(produce::read_manifest(s, f), Manifest::Missing);
        if ci && missing(s, "package-lock.json") && missing(s, "npm-shrinkwrap.json") {
            s.assume("`npm ci` needs a package-lock.json in the working directory and none is in the simulated filesystem: a real build fails here unless one exists; the install was estimated anyway".to_string());
        }
        (produce::place(s, "node_modules"), size)
    };
    if !global {
        produce::put_dir(s, &modules_dir, total);
    }
    let (ratio_key, ratio) = tool.cache_ratio();
    let cache = tool.cache(s);
    // npm's cache as measured with these very packages, else the pooled ratio.
    let (cache_bytes, cache_why) = match measured_cache.filter(|_| tool == Tool::Npm) {
        Some(c) => (c, "measured with these packages".to_string()),
        None => (((total + cached_only) as f64 * ratio) as u64, format!("{ratio_key}: {}", langdata::source(ratio_key))),
    };
    produce::put_dir(s, &cache, cache_bytes);
    let tip = match tool {
        Tool::Npm => "`npm cache clean --force` in the same RUN, or a cache mount on /root/.npm, keeps it out",
        Tool::Yarn => "`yarn cache clean` in the same RUN, or a cache mount, keeps it out",
        Tool::Pnpm => "a cache mount on the store keeps it out",
    };
    estimated(
        s,
        format!(
            "`{} {}`: {} in {modules_dir}: {}; the {} cache holds {} in {cache} ({}); {tip}",
            tool.name(),
            if ci { "ci" } else { "install" },
            mb(total),
            parts.join("; "),
            tool.name(),
            mb(cache_bytes),
            cache_why
        ),
    );
    0
}

fn strip_version(spec: &str) -> String {
    // `@scope/name@1.2`, `name@^3`
    match spec.strip_prefix('@') {
        Some(rest) => format!("@{}", rest.split('@').next().unwrap_or(rest)),
        None => spec.split('@').next().unwrap_or(spec).to_string(),
    }
}

fn dep_names(pkg: &Value, key: &str) -> Vec<String> {
    pkg.get(key).and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

/// node_modules for named packages: measured installs where known, the median otherwise.
/// A named package that another named package's measured install already holds (body-parser
/// inside express) is counted once, inside it, as npm dedupes it; other shared dependencies
/// are still counted once per package that pulls them in.
/// Returns node_modules bytes, the npm cache bytes measured with them (None when any name has no
/// row), and a description.
fn sized_names(names: &[String]) -> (u64, Option<u64>, String) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut inside = Vec::new();
    let mut total = 0;
    let mut cache = Some(0u64);
    let holds = |a: &str, b: &str| package("npm", a).is_some_and(|r| r.deps.contains(&b));
    for (i, n) in names.iter().enumerate() {
        // Two installs that hold each other (a cycle): the first named one counts.
        let holder = names.iter().enumerate().find(|&(j, o)| o != n && holds(o, n) && !(holds(n, o) && i < j)).map(|(_, o)| o);
        if let Some(h) = holder {
            inside.push(format!("{n} (in {h}'s)"));
            continue;
        }
        match package("npm", n) {
            Some(r) => {
                total += r.bytes as u64;
                cache = cache.map(|c| c + r.download);
                known.push(n.clone());
            }
            None => {
                total += bytes("npm.default");
                cache = None;
                unknown.push(n.clone());
            }
        }
    }
    let mut desc = Vec::new();
    if !known.is_empty() {
        desc.push(format!("measured installs of {}", list(&known)));
    }
    if !inside.is_empty() {
        desc.push(format!("{} counted within those installs", list(&inside)));
    }
    if !unknown.is_empty() {
        desc.push(format!("{} at the median {} ({})", list(&unknown), mb(bytes("npm.default")), langdata::source("npm.default")));
    }
    if desc.is_empty() {
        desc.push("no dependencies".to_string());
    }
    (total, cache, desc.join("; "))
}

/// Packages the lockfile would install: (count, file name).
fn lockfile(s: &Session, tool: Tool, prod: bool) -> Option<(u64, &'static str)> {
    let order: &[&'static str] = match tool {
        Tool::Npm => &["package-lock.json", "npm-shrinkwrap.json"],
        Tool::Yarn => &["yarn.lock"],
        Tool::Pnpm => &["pnpm-lock.yaml"],
    };
    for file in order {
        let Manifest::Text(text) = produce::read_manifest(s, file) else { continue };
        let count = match *file {
            "yarn.lock" => text.lines().filter(|l| !l.starts_with([' ', '#']) && l.trim_end().ends_with(':')).count(),
            "pnpm-lock.yaml" => {
                // Entries under `packages:` are indented by two spaces and end with a colon.
                let mut in_packages = false;
                text.lines()
                    .filter(|l| {
                        if l.trim().is_empty() {
                            return false;
                        }
                        if !l.starts_with(' ') {
                            in_packages = l.trim_end() == "packages:";
                            return false;
                        }
                        in_packages && l.starts_with("  ") && !l.starts_with("   ") && l.trim_end().ends_with(':')
                    })
                    .count()
            }
            _ => {
                let v: Value = serde_json::from_str(&text).ok()?;
                match v.get("packages").and_then(Value::as_object) {
                    Some(p) => p.iter().filter(|(k, e)| !k.is_empty() && !(prod && e.get("dev").and_then(Value::as_bool) == Some(true))).count(),
                    None => v.get("dependencies").and_then(Value::as_object).map_or(0, |d| d.len()),
                }
            }
        };
        return Some((count as u64, file));
    }
    None
}

/// `npm prune --production`: dev packages leave node_modules (estimated by the lockfile).
fn prune(s: &mut Session, args: &[String]) -> Status {
    if !omit_dev(s, args) {
        return 0;
    }
    if let Some((count, file)) = lockfile(s, Tool::Npm, true) {
        let size = count * bytes("npm.package.avg");
        produce::put_dir(s, "node_modules", size);
        estimated(s, format!("`npm prune --production`: node_modules rewritten with the {count} production packages of {file}, {}", mb(size)));
    } else {
        estimated(s, "`npm prune --production`: without a known lockfile the dev packages removed are not known; node_modules left as it was".to_string());
    }
    0
}

/// `npm run NAME`: for a build script, its output directory; other scripts change nothing.
fn run_script(s: &mut Session, tool: Tool, args: &[String]) -> Status {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')).cloned() else { return 0 };
    let script = package_json(s).and_then(|p| p.get("scripts").and_then(|sc| sc.get(&name)).and_then(Value::as_str).map(str::to_string));
    let text = script.clone().unwrap_or_default();
    let builds = name.contains("build") || ["vite build", "webpack", "tsc", "next build", "react-scripts build", "ng build", "rollup", "esbuild", "parcel build"].iter().any(|t| text.contains(t));
    if !builds {
        estimated(s, format!("`{} run {name}`: {} assumed to write no files", tool.name(), script.map(|t| format!("the script `{t}`")).unwrap_or_else(|| "a script whose text is not known".to_string())));
        return 0;
    }
    let out = if text.contains("next build") {
        ".next"
    } else if text.contains("react-scripts build") {
        "build"
    } else if let Some(dir) = text.split_whitespace().skip_while(|w| *w != "--outDir" && *w != "--out-dir" && *w != "-d").nth(1) {
        dir
    } else {
        "dist"
    }
    .to_string();
    let size = bytes("npm.build.output");
    produce::put_dir(s, &out, size);
    let why = if script.is_some() { format!("the script `{text}`") } else { "a script whose text is not known".to_string() };
    estimated(s, format!("`{} run {name}`: {why} writes {out}/, estimated at {} ({})", tool.name(), mb(size), langdata::source("npm.build.output")));
    0
}
