//! `apt-get`, `apt`, `apt-mark` and `apt-cache`: Debian's package tools, over the package
//! database in the filesystem (`ospkg::state`) and Debian bookworm's index (`ospkg`).
//!
//! - `update` writes the lists to /var/lib/apt/lists, at the sizes `apt-get update` leaves
//!   on Debian (lz4-compressed, as the official images configure) or Ubuntu
//!   (`data/os-package-facts.tsv`).
//! - `install` adds the requested packages and their dependency closure minus what is
//!   installed, with Recommends unless `--no-install-recommends` (or
//!   `APT::Install-Recommends` false in `-o` or /etc/apt/apt.conf.d). Each package is one
//!   summarised directory of its Installed-Size (less the documentation share where dpkg
//!   excludes docs, as slim and Ubuntu images do). Without `docker-clean` the downloaded
//!   `.deb` files stay in /var/cache/apt/archives. Without lists (no `apt-get update` yet)
//!   it fails as apt does: "Unable to locate package". Without `-y` it aborts when more than
//!   the requested packages would be installed (a build has no terminal to answer).
//! - `remove`/`purge` (`--auto-remove`), `autoremove`, `clean`/`autoclean`; `apt-mark
//!   auto|manual|showmanual|showauto` (for the official images' `savedAptMark` pattern).
//!
//! Every approximation is a note: a package the index does not know (estimated at the
//! index's mean size), a base image whose package list is unknown, an image that is not
//! Debian bookworm (the index is bookworm's).

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Severity;
use crate::ospkg::estimate::{self, mib};
use crate::ospkg::state::{self, Installed};
use crate::ospkg::{self, base, facts, Manager};
use crate::vfs::Node;

use super::super::session::{Lookup, Session, Status};

const LISTS: &str = "/var/lib/apt/lists";
const ARCHIVES: &str = "/var/cache/apt/archives";

#[derive(Default)]
struct Opts {
    yes: bool,
    recommends: Option<bool>,
    download_only: bool,
    simulate: bool,
    auto_remove: bool,
    /// apt 2.9+'s `--update`: run `update` first.
    update: bool,
    command: Option<String>,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Opts {
    let mut o = Opts::default();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let config = |kv: &str, o: &mut Opts| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, "true"));
            let on = matches!(v.trim_matches('"').to_ascii_lowercase().as_str(), "1" | "true" | "yes");
            match k.to_ascii_lowercase().as_str() {
                "apt::install-recommends" => o.recommends = Some(on),
                "apt::get::assume-yes" => o.yes |= on,
                _ => {}
            }
        };
        match a {
            "-y" | "--yes" | "--assume-yes" | "--force-yes" => o.yes = true,
            "--no-install-recommends" => o.recommends = Some(false),
            "--install-recommends" => o.recommends = Some(true),
            "-d" | "--download-only" => o.download_only = true,
            "-s" | "--simulate" | "--dry-run" | "--just-print" | "--no-act" | "--recon" => o.simulate = true,
            // Purging also drops configuration files, which the package model does not list.
            "--purge" => {}
            "--auto-remove" | "--autoremove" => o.auto_remove = true,
            "--update" | "-U" => o.update = true,
            "-o" | "--option" => {
                if let Some(kv) = args.get(i) {
                    config(kv, &mut o);
                    i += 1;
                }
            }
            "-t" | "--target-release" | "--default-release" | "-c" | "--config-file" | "-a" | "--host-architecture" | "-S" | "--snapshot" => i += 1,
            _ if a.starts_with("-o") && a.len() > 2 => config(&a[2..], &mut o),
            _ if a.starts_with("--option=") => config(&a[9..], &mut o),
            _ if a.starts_with('-') => {
                // Bundled short flags: -qy, -yq, -qqy.
                if !a.starts_with("--") && a[1..].contains('y') {
                    o.yes = true;
                }
            }
            _ if o.command.is_none() => o.command = Some(a.to_string()),
            _ => o.operands.push(a.to_string()),
        }
    }
    o
}

pub fn apt_get(args: &[String], s: &mut Session) -> Status {
    run(args, s, "apt-get")
}

pub fn apt(args: &[String], s: &mut Session) -> Status {
    run(args, s, "apt")
}

fn run(args: &[String], s: &mut Session, name: &str) -> Status {
    let o = parse(args);
    let command = o.command.clone().unwrap_or_default();
    match command.as_str() {
        "update" => update(s, name),
        "install" | "reinstall" => {
            if o.update {
                update(s, name);
            }
            install(s, name, &o)
        }
        "remove" | "purge" => remove(s, &o),
        "autoremove" | "autopurge" => {
            autoremove(s);
            0
        }
        "clean" | "autoclean" | "auto-clean" => {
            clean(s);
            0
        }
        // apt 2.9+: clean, and the lists too.
        "dist-clean" | "distclean" => {
            clean(s);
            let lists: Vec<String> = s.fs.children(LISTS).filter(|(_, n)| n.is_file()).map(|(p, _)| format!("{LISTS}/{p}")).collect();
            for l in lists {
                s.fs.remove(&l);
            }
            0
        }
        "upgrade" | "dist-upgrade" | "full-upgrade" => {
            s.note(Severity::Info, "PackageUpgrade", format!("`{name} {command}`: the image's package versions are not tracked; assumed there is nothing to upgrade"));
            0
        }
        "check" => 0,
        "list" | "show" | "search" | "policy" | "depends" | "rdepends" | "showpkg" | "changelog" => {
            s.io.stdout.opaque = true;
            0
        }
        "" => s.fail(name, "E: No operation given (see `apt-get --help`)", 100),
        other => {
            s.unmodelled(name, &format!("`{name} {other}`"));
            0
        }
    }
}

/// The OS apt runs on, from /etc/os-release: (`debian`|`ubuntu`, codename).
fn os(s: &Session) -> (String, String) {
    let (id, codename) = state::os_release(s.fs);
    (id.unwrap_or_else(|| "debian".into()), codename.unwrap_or_else(|| "bookworm".into()))
}

fn update(s: &mut Session, tool: &str) -> Status {
    let (id, codename) = os(s);
    let family = if id == "ubuntu" { "ubuntu" } else { "debian" };
    let prefix = format!("apt-list:{family}:");
    let files: Vec<(String, u64, String)> = facts::with_prefix(&prefix).map(|(name, f)| (name.replace("{codename}", &codename), f.value, f.source.clone())).collect();
    let total: u64 = files.iter().map(|(_, b, _)| b).sum();
    for (file, bytes, _) in &files {
        let mut node = Node::sized_file(*bytes, 0o644);
        node.uid = 0;
        s.fs.write(&format!("{LISTS}/{file}"), node, (0, 0));
    }
    if id != "debian" || codename != "bookworm" {
        s.note(Severity::Info, "PackageListsEstimated", format!("`{tool} update`: lists sized as {family}'s ({} in {LISTS}); measured on {}", mib(total), if family == "ubuntu" { "Ubuntu (btidor/syntax)" } else { "Debian bookworm" }));
    }
    s.out("Reading package lists...\n");
    0
}

/// Whether apt has package lists: `Some(true)` yes, `Some(false)` certainly not, `None` unknown.
/// `base_known`: dpkg's status is known, so this is a simulated Debian system.
fn have_lists(s: &Session, base_known: bool) -> Option<bool> {
    if s.fs.children(LISTS).any(|(n, _)| n.contains("_Packages")) {
        return Some(true);
    }
    if s.tainted || !base_known {
        return None;
    }
    Some(false)
}

/// What dpkg has installed, and whether that is known (true) or assumed.
fn installed(s: &mut Session) -> (BTreeMap<String, Installed>, bool) {
    if let Some(set) = state::dpkg_installed(s.fs) {
        return (set, true);
    }
    // The nearest real list: debian:bookworm-slim's, which is debootstrap's minbase as
    // Docker's images build it; else Debian's required packages and apt from the index.
    let slim = ospkg::image_packages().and_then(|p| p.get("debian:bookworm-slim"));
    let (names, what): (Vec<String>, String) = match slim {
        Some(l) => (l.names().map(str::to_string).collect(), format!("debian:bookworm-slim's {} packages", l.packages.len())),
        None if ospkg::debian_index().is_none() => (Vec::new(), "no package data is loaded, so none are counted".to_string()),
        None => {
            let base = estimate::minbase();
            (base.iter().cloned().collect(), format!("the {} Priority: required packages of Debian and apt", base.len()))
        }
    };
    s.note(Severity::Info, "PackageBaseAssumed", format!("the base image's installed packages are not known: assumed a minimal Debian system ({what}) that deletes downloaded .deb files after installing (docker-clean), as the official images do"));
    (names.into_iter().map(|n| (n, Installed::default())).collect(), false)
}

/// `APT::Install-Recommends` from /etc/apt/apt.conf.d, if a file there sets it.
fn recommends_config(s: &Session) -> Option<bool> {
    let mut value = None;
    for (_, node) in s.fs.children("/etc/apt/apt.conf.d") {
        let Some(text) = node.content() else { continue };
        let text = String::from_utf8_lossy(text).to_ascii_lowercase();
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("apt::install-recommends") {
                value = Some(rest.contains("true") || rest.contains("\"1\"") || rest.contains("yes"));
            }
        }
    }
    value
}

/// Share of a package's bytes dpkg keeps: less the documentation where dpkg excludes it.
fn kept_permille(s: &Session) -> u64 {
    let excludes = s.fs.children("/etc/dpkg/dpkg.cfg.d").any(|(_, n)| n.content().is_some_and(|c| String::from_utf8_lossy(c).contains("path-exclude /usr/share/doc")));
    if excludes {
        1000 - facts::value("doc-share-permille")
    } else {
        1000
    }
}

fn docker_clean(s: &Session) -> bool {
    if s.fs.get(base::DOCKER_CLEAN).is_some() {
        return true;
    }
    s.fs.children("/etc/apt/apt.conf.d").any(|(_, n)| n.content().is_some_and(|c| String::from_utf8_lossy(c).contains("archives/*.deb")))
}

struct Pick {
    name: String,
    version: String,
    bytes: u64,
    requested: bool,
}

fn install(s: &mut Session, tool: &str, o: &Opts) -> Status {
    let mut requested: Vec<String> = Vec::new();
    let mut pins: Vec<(String, String)> = Vec::new();
    let mut removals: Vec<String> = Vec::new();
    let mut local_debs: Vec<String> = Vec::new();
    for op in &o.operands {
        if op.ends_with(".deb") && op.contains('/') {
            local_debs.push(op.clone());
        } else if let Some((n, v)) = op.split_once('=') {
            pins.push((n.to_string(), v.to_string()));
            requested.push(n.to_string());
        } else if let Some((n, _suite)) = op.split_once('/') {
            requested.push(n.to_string());
        } else if let Some(n) = op.strip_suffix('-').filter(|n| !n.is_empty()) {
            removals.push(n.to_string());
        } else {
            requested.push(op.to_string());
        }
    }
    if requested.is_empty() && local_debs.is_empty() && removals.is_empty() {
        return 0;
    }
    let (mut db, base_known) = installed(s);
    let clean_hook = docker_clean(s) || !base_known;
    let have: BTreeSet<String> = db.keys().cloned().collect();
    let recommends = o.recommends.or_else(|| recommends_config(s)).unwrap_or(true);
    let lists = have_lists(s, base_known);
    let index = ospkg::debian_index();
    let mut picks: Vec<Pick> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let kept = kept_permille(s);
    let mut recommended = 0;
    let mut already: Vec<String> = Vec::new();
    let unknown: Vec<String>;
    match index {
        Some(index) => {
            let names: Vec<&str> = requested.iter().map(String::as_str).collect();
            let plan = index.plan_install(&names, &have, recommends);
            recommended = plan.recommended;
            already = plan.already.clone();
            unknown = plan.unknown.clone();
            for p in &plan.new {
                picks.push(Pick { name: p.name.to_string(), version: p.version.to_string(), bytes: p.installed_bytes() * kept / 1000, requested: requested.iter().any(|r| r == p.name) });
            }
            for (n, v) in &pins {
                if let Some(p) = index.get(n).filter(|p| p.version != v) {
                    notes.push(format!("`{n}={v}`: Debian bookworm's index has {n} {}, whose size is used", p.version));
                }
            }
            if !plan.broken.is_empty() {
                notes.push(format!("dependencies no package satisfies, left out: {}", plan.broken.join(", ")));
            }
        }
        None => unknown = requested.iter().filter(|r| !have.contains(*r)).cloned().collect(),
    }
    if lists == Some(false) {
        let missing: Vec<&String> = picks.iter().filter(|p| p.requested).map(|p| &p.name).chain(unknown.iter()).collect();
        if let Some(first) = missing.first() {
            let msg = format!("E: Unable to locate package {first} (no package lists: run `apt-get update` first, in the same RUN)");
            return s.fail(tool, &msg, 100);
        }
    }
    if lists.is_none() && !picks.is_empty() {
        notes.push("package lists not known to be present (an earlier step was not simulated, or the base image is unknown): assumed `apt-get update` had run".into());
    }
    for name in &unknown {
        let e = estimate::unknown_package();
        let why = if index.is_some() { "is not in Debian bookworm main's index (another release or repository?)" } else { "has no size data: Debian's package index is not loaded" };
        notes.push(format!("`{name}` {why}: estimated at {}, dependencies unknown", e.basis));
        picks.push(Pick { name: name.clone(), version: "unknown".into(), bytes: e.bytes, requested: true });
    }
    for path in &local_debs {
        if path.contains(['*', '?', '[']) {
            s.assume(format!("`{path}` matches no file in the simulated filesystem (the build context may hold it): its size is not known"));
            continue;
        }
        let size = match s.lookup(path, true) {
            Lookup::Found { node, .. } => node.size(),
            Lookup::Missing { .. } => return s.fail(tool, &format!("E: Unsupported file {path} given on commandline"), 100),
            Lookup::Unknown { .. } => 0,
        };
        let name = path.rsplit('/').next().unwrap_or(path).split('_').next().unwrap_or("local").to_string();
        let bytes = size * 1000 / facts::value("deb-per-installed-permille").max(1);
        notes.push(format!("`{path}`: installed size estimated from the .deb's {} at the archive's .deb/Installed-Size ratio; its dependencies are not known", mib(size)));
        picks.push(Pick { name, version: "local".into(), bytes, requested: true });
    }
    let (id, codename) = os(s);
    if (id != "debian" || codename != "bookworm") && index.is_some() && !picks.is_empty() {
        notes.push(format!("package data is Debian bookworm's; this image is {id} {codename}, so names and sizes are approximate"));
    }
    let extra = picks.iter().filter(|p| !p.requested).count();
    if !o.yes && extra > 0 && s.io.stdin.is_empty() && !o.simulate {
        s.out(&format!("The following NEW packages will be installed: {} packages\nDo you want to continue? [Y/n] Abort.\n", picks.len()));
        return s.fail(tool, "E: aborted: more packages than requested would be installed and there is no terminal to confirm (add -y)", 1);
    }
    for name in &already {
        s.out(&format!("{name} is already the newest version.\n"));
    }
    let total: u64 = picks.iter().map(|p| p.bytes).sum();
    s.out(&format!("{} newly installed, 0 to remove.\nAfter this operation, {} of additional disk space will be used.\n", picks.len(), mib(total)));
    if o.simulate {
        return 0;
    }
    if (!clean_hook || o.download_only) && !picks.is_empty() {
        let ratio = facts::value("deb-per-installed-permille");
        for p in &picks {
            let deb = p.bytes * ratio / 1000;
            s.fs.write(&format!("{ARCHIVES}/{}_{}_amd64.deb", p.name, p.version.replace(':', "%3a")), Node::sized_file(deb, 0o644), (0, 0));
        }
        if !clean_hook {
            notes.push(format!("no docker-clean hook in this image: the downloaded .deb files stay in {ARCHIVES} until `apt-get clean` (sized at the archive's .deb/Installed-Size ratio, {}‰)", ratio));
        }
    }
    if !o.download_only && !picks.is_empty() {
        let mut auto = state::apt_auto(s.fs);
        for p in &picks {
            state::add_payload(s.fs, Manager::Dpkg, &p.name, p.bytes);
            db.insert(p.name.clone(), Installed { version: Some(p.version.clone()), installed_kib: Some(p.bytes.div_ceil(1024)) });
            if p.requested {
                auto.remove(&p.name);
            } else {
                auto.insert(p.name.clone());
            }
        }
        for r in &requested {
            auto.remove(r);
        }
        state::write_dpkg_status(s.fs, &db);
        state::write_apt_auto(s.fs, &auto);
    }
    if !removals.is_empty() {
        remove_names(s, &removals, false);
    }
    if picks.is_empty() {
        return 0;
    }
    let what = if recommended > 0 { format!(", {recommended} of them Recommends") } else { String::new() };
    let summary = format!(
        "`{tool} install`: {} new packages ({} requested, {} dependencies{what}), {} installed size from Debian's Installed-Size{}",
        picks.len(),
        picks.iter().filter(|p| p.requested).count(),
        extra,
        mib(total),
        if kept < 1000 { format!(" less {}‰ of documentation dpkg excludes here", 1000 - kept) } else { String::new() }
    );
    s.note(Severity::Info, "PackagesInstalled", summary);
    for n in notes {
        s.uncertain = true;
        s.note(Severity::Warning, "PackageEstimate", n);
    }
    0
}

fn remove(s: &mut Session, o: &Opts) -> Status {
    let names: Vec<String> = o.operands.iter().map(|n| n.trim_end_matches('-').to_string()).collect();
    remove_names(s, &names, true);
    if o.auto_remove {
        autoremove(s);
    }
    0
}

fn remove_names(s: &mut Session, names: &[String], note_missing: bool) {
    let Some(mut db) = state::dpkg_installed(s.fs) else {
        for n in names {
            state::remove_payload(s.fs, Manager::Dpkg, n);
        }
        return;
    };
    let mut auto = state::apt_auto(s.fs);
    for n in names {
        if db.remove(n).is_some() {
            state::remove_payload(s.fs, Manager::Dpkg, n);
            auto.remove(n);
        } else if note_missing {
            s.out(&format!("Package '{n}' is not installed, so not removed\n"));
        }
    }
    state::write_dpkg_status(s.fs, &db);
    state::write_apt_auto(s.fs, &auto);
}

/// Removes packages installed automatically that no manually installed package needs
/// (through Depends or Recommends, as `APT::AutoRemove::RecommendsImportant` defaults).
fn autoremove(s: &mut Session) {
    let Some(db) = state::dpkg_installed(s.fs) else { return };
    let auto = state::apt_auto(s.fs);
    if auto.is_empty() {
        return;
    }
    let index = ospkg::debian_index();
    // Roots: what was installed by hand, and Essential packages, which apt never removes.
    let essential = |n: &str| index.and_then(|i| i.get(n)).is_some_and(|p| p.essential);
    let mut keep: BTreeSet<String> = db.keys().filter(|n| !auto.contains(*n) || essential(n)).cloned().collect();
    if let Some(index) = index {
        let mut queue: Vec<String> = keep.iter().cloned().collect();
        while let Some(n) = queue.pop() {
            let Some(p) = index.get(&n) else { continue };
            let groups: Vec<Vec<&str>> = p.depends().map(|g| g.collect()).chain(p.recommends().map(|g| g.collect())).collect();
            for group in groups {
                if let Some(hit) = group.iter().find(|g| db.contains_key(**g)) {
                    if keep.insert(hit.to_string()) {
                        queue.push(hit.to_string());
                    }
                }
            }
        }
    }
    let gone: Vec<String> = db.keys().filter(|n| !keep.contains(*n)).cloned().collect();
    if !gone.is_empty() {
        s.out(&format!("Removing {} packages no longer needed\n", gone.len()));
        remove_names(s, &gone, false);
    }
}

fn clean(s: &mut Session) {
    let debs: Vec<String> = s.fs.descendants(ARCHIVES).filter(|(p, n)| n.is_file() && p.ends_with(".deb")).map(|(p, _)| p.to_string()).collect();
    for p in debs {
        s.fs.remove(&p);
    }
    for bin in ["/var/cache/apt/pkgcache.bin", "/var/cache/apt/srcpkgcache.bin"] {
        s.fs.remove(bin);
    }
}

/// `apt-mark auto|manual|showmanual|showauto|hold|unhold`.
pub fn apt_mark(args: &[String], s: &mut Session) -> Status {
    let words: Vec<&str> = args[1..].iter().map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let Some((cmd, names)) = words.split_first() else { return s.fail("apt-mark", "E: No command given", 100) };
    let db = state::dpkg_installed(s.fs);
    let mut auto = state::apt_auto(s.fs);
    let all: Vec<String> = db.as_ref().map(|d| d.keys().cloned().collect()).unwrap_or_default();
    // `.*` and other regexes select every installed package whose name matches; only the
    // catch-alls are modelled.
    let select = |n: &&str| -> Vec<String> {
        if matches!(*n, ".*" | "*" | "'.*'" | "^.*$") {
            all.clone()
        } else {
            vec![n.to_string()]
        }
    };
    match *cmd {
        "auto" | "markauto" => {
            for n in names.iter().flat_map(&select) {
                auto.insert(n);
            }
        }
        "manual" | "unmarkauto" => {
            for n in names.iter().flat_map(&select) {
                auto.remove(&n);
            }
        }
        "showmanual" | "showauto" => {
            if db.is_none() {
                s.io.stdout.opaque = true;
                return 0;
            }
            let show_auto = *cmd == "showauto";
            let list: Vec<&String> = all.iter().filter(|n| auto.contains(*n) == show_auto).collect();
            let text: String = list.iter().map(|n| format!("{n}\n")).collect();
            s.out(&text);
            return 0;
        }
        "hold" | "unhold" | "showhold" | "minimize-manual" => return 0,
        other => return s.fail("apt-mark", &format!("E: Invalid operation {other}"), 100),
    }
    if db.is_some() {
        state::write_apt_auto(s.fs, &auto);
    }
    0
}

/// `apt-cache`: queries only; its output is not simulated.
pub fn apt_cache(_: &[String], s: &mut Session) -> Status {
    s.io.stdout.opaque = true;
    0
}
