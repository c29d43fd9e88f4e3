//! `go mod download`, `go build`, `go install`, `go clean`: the module cache (GOMODCACHE,
//! `/go/pkg/mod` in the golang images), the build cache (GOCACHE, `~/.cache/go-build`) and
//! the binary, sized from measured builds (`langdata`) and the project's go.mod / go.sum when
//! the Dockerfile copied them in.

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact};
use super::produce::{self, estimated, mb, Manifest};
use crate::vfs;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let Some(sub) = args.get(1) else { return 0 };
    let rest = &args[2..];
    match sub.as_str() {
        "mod" => match rest.first().map(String::as_str) {
            Some("download") => {
                download(s, "`go mod download`");
                0
            }
            Some("vendor") => {
                let (n, how) = modules(s);
                let size = n * bytes("go.modcache.per_module") / 2;
                produce::put_dir(s, "vendor", size);
                estimated(s, format!("`go mod vendor`: vendor/ with {n} modules ({how}), {} (half of {} per module in the module cache, which also keeps zips)", mb(size), mb(bytes("go.modcache.per_module"))));
                0
            }
            // tidy, verify, init, edit, graph, why: go.mod/go.sum edits, not sizes.
            _ => 0,
        },
        "build" => build(s, rest),
        "install" => install(s, rest),
        "get" => {
            download(s, "`go get`");
            0
        }
        "clean" => {
            if rest.iter().any(|a| a == "-cache") {
                let c = gocache(s);
                s.fs.remove(&c);
            }
            if rest.iter().any(|a| a == "-modcache") {
                let m = modcache(s);
                s.fs.remove(&m);
            }
            0
        }
        "test" | "vet" | "generate" | "run" => {
            let what = format!("`go {sub}`");
            s.unmodelled(&format!("go {sub}"), &what);
            0
        }
        // version, env, list, doc, fmt, help, telemetry, work: no files of size.
        _ => {
            produce::unknown_output(s);
            0
        }
    }
}

/// `xx-verify [--static] FILE…` (tonistiigi/xx): checks a cross-compiled binary's platform and
/// linking; it changes no files, and its verdict is assumed to pass.
pub fn xx_verify(args: &[String], s: &mut Session) -> Status {
    let files: Vec<&str> = args.iter().skip(1).map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    estimated(s, format!("`xx-verify {}`: assumed to pass (the binary's platform and linking are not checked here)", files.join(" ")));
    0
}

fn gopath(s: &Session) -> String {
    s.var("GOPATH").and_then(|p| p.split(':').next()).filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/go", produce::home(s)))
}

fn modcache(s: &Session) -> String {
    s.var("GOMODCACHE").filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/pkg/mod", gopath(s)))
}

fn gocache(s: &Session) -> String {
    match s.var("GOCACHE").filter(|p| p.starts_with('/')) {
        Some(c) => c.to_string(),
        None => match s.var("XDG_CACHE_HOME").filter(|p| p.starts_with('/')) {
            Some(x) => format!("{x}/go-build"),
            None => format!("{}/.cache/go-build", produce::home(s)),
        },
    }
}

/// The module's path (from go.mod) and how many modules a build downloads.
fn go_mod(s: &Session) -> (Option<String>, Option<u64>) {
    let Manifest::Text(text) = produce::read_manifest(s, "go.mod") else { return (None, None) };
    let module = text.lines().find_map(|l| l.trim().strip_prefix("module ").map(|m| m.trim().trim_matches('"').to_string()));
    let mut count = 0;
    let mut in_block = false;
    for line in text.lines().map(str::trim) {
        if in_block {
            if line.starts_with(')') {
                in_block = false;
            } else if !line.is_empty() && !line.starts_with("//") {
                count += 1;
            }
        } else if line.starts_with("require (") || line == "require(" {
            in_block = true;
        } else if line.starts_with("require ") {
            count += 1;
        }
    }
    (module, Some(count))
}

/// Modules `go mod download` fetches: go.sum's module zips, else go.mod's requirements.
fn modules(s: &Session) -> (u64, String) {
    if let Manifest::Text(sum) = produce::read_manifest(s, "go.sum") {
        let n = sum.lines().filter(|l| l.split_whitespace().nth(1).is_some_and(|v| !v.ends_with("/go.mod"))).count() as u64;
        return (n, "module zips listed in go.sum".to_string());
    }
    match go_mod(s).1 {
        Some(n) => (n, "requirements in go.mod (go.sum not known)".to_string()),
        None => (bytes("deps.unknown"), "go.mod not known: assumed".to_string()),
    }
}

/// Fills the module cache unless an earlier step already did.
fn download(s: &mut Session, what: &str) -> u64 {
    let cache = modcache(s);
    let (n, how) = modules(s);
    let size = n * bytes("go.modcache.per_module");
    let dir = format!("{cache}/cache/download");
    if size == 0 {
        return n;
    }
    if s.fs.get(&dir).is_some_and(|d| d.size() >= size) {
        return n;
    }
    produce::put_dir(s, &dir, size);
    estimated(s, format!("{what}: {n} modules ({how}) into {cache}, {} ({} each: {}); a cache mount on {cache} keeps them out of the image", mb(size), mb(bytes("go.modcache.per_module")), langdata::source("go.modcache.per_module")));
    n
}

struct BuildFlags {
    output: Option<String>,
    stripped: bool,
    packages: Vec<String>,
}

fn parse_build(args: &[String]) -> BuildFlags {
    let mut f = BuildFlags { output: None, stripped: false, packages: Vec::new() };
    let valued = ["-o", "-ldflags", "-gcflags", "-tags", "-mod", "-p", "-buildmode", "-asmflags", "-installsuffix", "-pkgdir", "-overlay", "-pgo", "-modfile", "-C", "-exec", "-toolexec", "-buildvcs", "-compiler", "-gccgoflags"];
    let mut i = 0;
    while i < args.len() {
        let a = args[i].trim_start_matches('-');
        let flag = format!("-{}", a.split('=').next().unwrap_or(a));
        let inline = a.split_once('=').map(|(_, v)| v.to_string());
        if args[i].starts_with('-') {
            let value = if valued.contains(&flag.as_str()) {
                match inline {
                    Some(v) => Some(v),
                    None => {
                        i += 1;
                        args.get(i).cloned()
                    }
                }
            } else {
                None
            };
            match flag.as_str() {
                "-o" => f.output = value,
                "-ldflags" => {
                    let v = value.unwrap_or_default();
                    f.stripped = v.split_whitespace().any(|w| w == "-s" || w == "-w" || w == "-s=true");
                }
                _ => {}
            }
        } else {
            f.packages.push(args[i].clone());
        }
        i += 1;
    }
    f
}

/// Whether known sources under the package import net/http (None: no source is known).
fn imports_net_http(s: &Session, dir: &str) -> Option<bool> {
    let root = produce::place(s, dir);
    let mut any = false;
    for (p, node) in s.fs.subtree(&root) {
        if p.ends_with(".go") {
            if let Some(c) = node.content() {
                any = true;
                if String::from_utf8_lossy(c).contains("\"net/http\"") {
                    return Some(true);
                }
            }
        }
    }
    any.then_some(false)
}

fn build(s: &mut Session, args: &[String]) -> Status {
    let f = parse_build(args);
    let pkgs = if f.packages.is_empty() { vec![".".to_string()] } else { f.packages.clone() };
    let several = pkgs.iter().any(|p| p.ends_with("/...")) || (pkgs.len() > 1 && !pkgs.iter().all(|p| p.ends_with(".go")));
    let n = download(s, "`go build` (modules it needs)");
    let (module, _) = go_mod(s);

    let pkg = &pkgs[0];
    let src_dir = if pkg.ends_with(".go") { vfs::parent(&s.abs(pkg)).to_string() } else { s.abs(pkg) };
    let http = imports_net_http(s, &src_dir);
    let (base_key, base_why) = match http {
        Some(true) => ("go.binary.http", "its source imports net/http"),
        Some(false) => ("go.binary.hello", "its source does not import net/http"),
        None => ("go.binary.http", "its source is not known: taken as a net/http service"),
    };
    let mut size = bytes(base_key) + n * bytes("go.binary.per_module");
    if f.stripped {
        size = (size as f64 * fact("go.binary.strip.ratio")) as u64;
    }
    // The build cache: the packages compiled, the standard library's among them.
    let cache_key = if base_key == "go.binary.http" { "go.buildcache.http" } else { "go.buildcache.hello" };
    let cache_size = bytes(cache_key) + n * bytes("go.buildcache.per_module");
    let cache = gocache(s);
    produce::put_dir(s, &format!("{cache}/{}", cache_entry(&pkgs)), cache_size);

    let name = binary_name(s, pkg, module.as_deref());
    let out = match &f.output {
        Some(o) if o.ends_with('/') || s.fs.get(&produce::place(s, o)).is_some_and(|n| n.is_dir()) => format!("{}/{name}", produce::place(s, o).trim_end_matches('/')),
        Some(o) => produce::place(s, o),
        None if several => {
            estimated(s, format!("`go build {}`: several packages and no -o: Go compiles them and discards the results; the build cache gains {} in {cache} ({})", pkgs.join(" "), mb(cache_size), langdata::source(cache_key)));
            return 0;
        }
        None => produce::place(s, &name),
    };
    if out == "/dev/null" {
        return 0;
    }
    produce::put_file(s, &out, size, 0o755);
    let cgo = s.var("CGO_ENABLED").map(str::to_string);
    let linking = match cgo.as_deref() {
        Some("0") => "static (CGO_ENABLED=0): it runs in scratch or alpine".to_string(),
        _ if base_key == "go.binary.http" => "CGO_ENABLED is not 0, so a binary using net links glibc dynamically: copied into alpine or scratch it will not start (set CGO_ENABLED=0)".to_string(),
        _ => "static (no cgo packages used)".to_string(),
    };
    let per_module = if n > 0 { format!(" + {n} modules × {} (assumption)", mb(bytes("go.binary.per_module"))) } else { String::new() };
    estimated(
        s,
        format!(
            "`go build`: {out}, {} ({base_why}: {} measured{per_module}{}); {linking}; the build cache gains {} in {cache} ({}); a cache mount on {cache} keeps it out of the image",
            mb(size),
            mb(bytes(base_key)),
            if f.stripped { format!(", × {} for -ldflags \"-s -w\"", fact("go.binary.strip.ratio")) } else { String::new() },
            mb(cache_size),
            langdata::source(cache_key)
        ),
    );
    0
}

/// A name for the build cache entry of these packages (the real cache is content-addressed).
fn cache_entry(pkgs: &[String]) -> String {
    let p = pkgs.join("_").replace(['/', '.'], "_");
    let p = p.trim_matches('_');
    if p.is_empty() {
        "main".to_string()
    } else {
        p.to_string()
    }
}

/// The binary `go build` names after the package: the file's stem, the directory's name, or
/// the last element of the module path.
fn binary_name(s: &Session, pkg: &str, module: Option<&str>) -> String {
    if let Some(stem) = pkg.strip_suffix(".go") {
        return vfs::file_name(stem).to_string();
    }
    let trimmed = pkg.trim_end_matches('/');
    if trimmed != "." && !trimmed.is_empty() {
        return major_stripped(trimmed);
    }
    match module {
        Some(m) => major_stripped(m),
        None => {
            let cwd = s.st.cwd.clone();
            let n = vfs::file_name(&cwd).to_string();
            if n.is_empty() {
                "main".to_string()
            } else {
                n
            }
        }
    }
}

/// `example.com/tool/v2` → `tool`.
fn major_stripped(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.len() > 1 && parts.last().is_some_and(|l| l.len() > 1 && l.starts_with('v') && l[1..].chars().all(|c| c.is_ascii_digit())) {
        parts.pop();
    }
    parts.last().map_or("main".to_string(), |p| p.to_string())
}

/// `go install pkg@version` (a tool) or `go install ./cmd/x` (the module's own command).
fn install(s: &mut Session, args: &[String]) -> Status {
    let f = parse_build(args);
    let bin = s.var("GOBIN").filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/bin", gopath(s)));
    for pkg in if f.packages.is_empty() { vec![".".to_string()] } else { f.packages.clone() } {
        let (path, version) = match pkg.split_once('@') {
            Some((p, v)) => (p.to_string(), Some(v.to_string())),
            None => (pkg.clone(), None),
        };
        if version.is_none() {
            // The module's own command: built like `go build -o $GOBIN/name`.
            let mut a: Vec<String> = args.iter().filter(|x| **x != pkg).cloned().collect();
            let name = binary_name(s, &path, go_mod(s).0.as_deref());
            a.extend(["-o".to_string(), format!("{bin}/{name}"), pkg.clone()]);
            build(s, &a);
            continue;
        }
        let name = major_stripped(path.trim_end_matches("/..."));
        let size = bytes("go.tool.install");
        produce::put_file(s, &format!("{bin}/{name}"), size, 0o755);
        let mods = bytes("deps.unknown") * bytes("go.modcache.per_module");
        let cache = modcache(s);
        produce::put_dir(s, &format!("{cache}/cache/download/{name}"), mods);
        let bc = gocache(s);
        produce::put_dir(s, &format!("{bc}/{name}"), bytes("go.buildcache.http"));
        estimated(
            s,
            format!(
                "`go install {pkg}`: {bin}/{name}, {} ({}); its modules, taken as {} ({}), add {} to {cache} and the build cache {} to {bc}",
                mb(size),
                langdata::source("go.tool.install"),
                bytes("deps.unknown"),
                langdata::source("deps.unknown"),
                mb(mods),
                mb(bytes("go.buildcache.http"))
            ),
        );
    }
    0
}
