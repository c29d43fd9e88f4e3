//! `apk`: Alpine's package manager, over its database in the filesystem
//! (`/lib/apk/db/installed`, seeded from the image's package list).
//!
//! - `update`, and `add -U`/`--update-cache` without `--no-cache`, store the APKINDEX files in
//!   /var/cache/apk (`data/os-package-facts.tsv`); so does a plain `add` when no index is
//!   stored yet (it fetches one; the official images ship none). `--no-cache` fetches the
//!   index without storing it.
//! - `add` installs what is not installed yet. Sizes: the installed size repo-info lists for
//!   the package in some Alpine image; else a sourced closure figure (`build-base`); else
//!   Debian's package of the same name with its dependencies, less documentation (Alpine
//!   splits docs into `-doc` packages); else the Debian index's mean — each an estimate
//!   with a note, as no Alpine dependency data is loaded.
//! - `--virtual NAME` (`-t`) groups the packages under NAME; `del NAME` removes them again.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Severity;
use crate::ospkg::estimate::{self, mib};
use crate::ospkg::state::{self, ApkEntry};
use crate::ospkg::{self, facts, Manager};
use crate::vfs::Node;

use super::super::session::{Session, Status};

const CACHE: &str = "/var/cache/apk";

#[derive(Default)]
struct Opts {
    no_cache: bool,
    update: bool,
    virtual_name: Option<String>,
    command: Option<String>,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Opts {
    let mut o = Opts::default();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        match a {
            "--no-cache" => o.no_cache = true,
            "-U" | "--update-cache" | "--update" => o.update = true,
            "-t" | "--virtual" => {
                o.virtual_name = args.get(i).cloned();
                i += 1;
            }
            "-X" | "--repository" | "-p" | "--root" | "--arch" | "--repositories-file" | "--keys-dir" | "--cache-dir" | "--cache-max-age" => i += 1,
            _ if a.starts_with("--virtual=") => o.virtual_name = Some(a[10..].to_string()),
            _ if a.starts_with('-') => {}
            _ if o.command.is_none() => o.command = Some(a.to_string()),
            _ => o.operands.push(a.to_string()),
        }
    }
    o
}

pub fn run(args: &[String], s: &mut Session) -> Status {
    let o = parse(args);
    match o.command.as_deref().unwrap_or("") {
        "add" => add(s, &o),
        "del" | "delete" | "remove" => {
            del(s, &o.operands);
            0
        }
        "update" => {
            if !o.no_cache {
                write_index(s);
            }
            0
        }
        "upgrade" => {
            if o.update && !o.no_cache {
                write_index(s);
            }
            s.note(Severity::Info, "PackageUpgrade", "`apk upgrade`: the image's package versions are not tracked; assumed there is nothing to upgrade".into());
            0
        }
        "cache" => {
            if o.operands.first().is_some_and(|c| c == "clean" || c == "purge") {
                let files: Vec<String> = s.fs.descendants(CACHE).filter(|(_, n)| n.is_file()).map(|(p, _)| p.to_string()).collect();
                for f in files {
                    s.fs.remove(&f);
                }
            }
            0
        }
        "info" | "search" | "list" | "version" | "policy" | "dot" | "stats" | "audit" | "verify" => {
            s.io.stdout.opaque = true;
            0
        }
        "fix" => 0,
        "" => s.fail("apk", "no command given", 1),
        other => {
            s.unmodelled("apk", &format!("`apk {other}`"));
            0
        }
    }
}

fn has_index(s: &Session) -> bool {
    s.fs.children(CACHE).any(|(n, _)| n.starts_with("APKINDEX"))
}

fn write_index(s: &mut Session) {
    for (name, fact) in facts::with_prefix("apk-index:") {
        s.fs.write(&format!("{CACHE}/{name}"), Node::sized_file(fact.value, 0o644), (0, 0));
    }
}

/// `name=1.2`, `name>1`, `name~1`, `name@edge` → `name`.
fn bare(op: &str) -> &str {
    op.split(['=', '<', '>', '~', '@']).next().unwrap_or(op)
}

/// The size of an Alpine package and, for an estimate, what it rests on.
fn size(name: &str) -> (u64, Option<String>) {
    if let Some(bytes) = ospkg::image_packages().and_then(|p| p.apk_size(name)) {
        return (bytes, Some(format!("`{name}`: installed size from an Alpine image's package list ({}); its dependencies are not known and not counted", mib(bytes))));
    }
    if let Some(f) = facts::get(&format!("apk-closure:{name}")) {
        return (f.value, Some(format!("`{name}` with its dependencies: {} ({})", mib(f.value), f.source)));
    }
    let kept = 1000 - facts::value("doc-share-permille");
    if let Some(e) = estimate::from_debian_name(name) {
        let bytes = e.bytes * kept / 1000;
        return (bytes, Some(format!("`{name}` has no Alpine size data: estimated from {}, less documentation: {}", e.basis, mib(bytes))));
    }
    let e = estimate::unknown_package();
    (e.bytes, Some(format!("`{name}` is not known: estimated at {}", e.basis)))
}

fn installed(s: &mut Session) -> (BTreeMap<String, ApkEntry>, bool) {
    if let Some(db) = state::apk_installed(s.fs) {
        return (db, true);
    }
    let base = ospkg::image_packages().and_then(|p| p.get("alpine:3.24"));
    let db: BTreeMap<String, ApkEntry> = base.map(|l| l.packages.iter().map(|(n, sz)| (n.clone(), ApkEntry { size: *sz, ..Default::default() })).collect()).unwrap_or_default();
    let what = match base {
        Some(_) => format!("alpine:3.24's {} packages", db.len()),
        None => "none: no package data is loaded".to_string(),
    };
    s.note(Severity::Info, "PackageBaseAssumed", format!("the base image's installed packages are not known: assumed {what}"));
    (db, false)
}

fn add(s: &mut Session, o: &Opts) -> Status {
    let (mut db, _known) = installed(s);
    if o.update && !o.no_cache {
        write_index(s);
    }
    let names: Vec<String> = o.operands.iter().map(|n| bare(n).to_string()).filter(|n| !n.is_empty()).collect();
    let new: Vec<&String> = names.iter().filter(|n| !db.contains_key(*n)).collect::<BTreeSet<_>>().into_iter().collect();
    // Without a stored index apk fetches one, and keeps it unless --no-cache.
    if !o.no_cache && !has_index(s) && !new.is_empty() {
        write_index(s);
    }
    let mut total = 0;
    let mut notes = Vec::new();
    for name in &new {
        let (bytes, note) = size(name);
        total += bytes;
        state::add_payload(s.fs, Manager::Apk, name, bytes);
        db.insert(name.to_string(), ApkEntry { version: None, size: Some(bytes), depends: vec![] });
        notes.extend(note);
    }
    if let Some(v) = &o.virtual_name {
        db.insert(v.clone(), ApkEntry { version: Some("20240101.000000".into()), size: Some(0), depends: names.clone() });
    }
    if !new.is_empty() || o.virtual_name.is_some() {
        state::write_apk_installed(s.fs, &db);
    }
    let all: u64 = db.values().filter_map(|e| e.size).sum();
    s.out(&format!("OK: {} in {} packages\n", mib(all), db.len()));
    if !new.is_empty() {
        s.note(Severity::Info, "PackagesInstalled", format!("`apk add`: {} new packages, {}", new.len(), mib(total)));
    }
    for n in notes {
        s.uncertain = true;
        s.note(Severity::Warning, "PackageEstimate", n);
    }
    0
}

fn del(s: &mut Session, names: &[String]) {
    let Some(mut db) = state::apk_installed(s.fs) else {
        for n in names {
            state::remove_payload(s.fs, Manager::Apk, bare(n));
        }
        return;
    };
    let mut gone: Vec<String> = Vec::new();
    for n in names.iter().map(|n| bare(n)) {
        if let Some(e) = db.remove(n) {
            gone.push(n.to_string());
            // A virtual package takes what it grouped, unless another one still needs it.
            for d in e.depends {
                let needed = db.values().any(|o| o.depends.contains(&d));
                if !needed && db.remove(&d).is_some() {
                    gone.push(d);
                }
            }
        }
    }
    for g in &gone {
        state::remove_payload(s.fs, Manager::Apk, g);
    }
    state::write_apk_installed(s.fs, &db);
}
