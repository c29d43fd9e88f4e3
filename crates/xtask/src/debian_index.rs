//! `cargo xtask debian-index`: turns Debian's own package metadata — the `Packages` lists that
//! `apt-get update` keeps in `/var/lib/apt/lists` — into the core's compact index of Debian
//! bookworm main/amd64 (`crates/stagecraft/data/debian-bookworm-amd64.tsv.gz`), which
//! `stagecraft::ospkg` reads to resolve `apt-get install`.
//!
//! Only what the models use is kept: name, Installed-Size (KiB), priority and Essential,
//! version, Depends + Pre-Depends and Recommends. Version constraints and architecture
//! qualifiers are dropped; every alternative is resolved here to real package names (a
//! virtual name becomes its providers, best priority first), so the core never needs
//! `Provides`. bookworm-updates and bookworm-security override bookworm's entries, as apt
//! would pick their newer versions. The output depends only on the lists read: their
//! `InRelease` dates and versions are in the header, and the gzip stream has no timestamp.
//!
//! The lists may be stored compressed (lz4 on Docker's Debian images and on this machine,
//! `Acquire::GzipIndexes`): `apt-helper cat-file`, which ships with apt, reads any of apt's
//! formats.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub const OUTPUT: &str = "crates/stagecraft/data/debian-bookworm-amd64.tsv.gz";
const DEFAULT_LISTS: &str = "/var/lib/apt/lists";

/// The suites read, in order: later ones override earlier entries of the same name.
const SUITES: &[(&str, &str)] = &[
    ("debian", "bookworm"),
    ("debian", "bookworm-updates"),
    ("debian-security", "bookworm-security"),
];

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let lists = match args {
        [] => PathBuf::from(DEFAULT_LISTS),
        [flag, dir] if flag == "--lists" => PathBuf::from(dir),
        _ => bail!("usage: cargo xtask debian-index [--lists DIR]"),
    };
    let mut inputs = Vec::new();
    for (archive, suite) in SUITES {
        match find_list(&lists, archive, suite)? {
            Some(found) => inputs.push(found),
            None if *suite == "bookworm" => bail!(
                "no Debian bookworm main/amd64 Packages list in {}: run `apt-get update` first \
                 (on a Debian 12 machine, or with `deb http://deb.debian.org/debian bookworm main` in the apt sources), \
                 or point to a directory holding the lists with --lists DIR",
                lists.display()
            ),
            None => eprintln!("note: no {suite} list in {}; using bookworm alone", lists.display()),
        }
    }
    let mut texts = Vec::new();
    for input in &inputs {
        texts.push((input.clone(), read_list(&input.packages)?));
    }
    let text = generate(&texts)?;
    let gz = crate::gzip(text.as_bytes())?;
    crate::write_if_changed(root, OUTPUT, &gz, text.len())
}

#[derive(Clone, Debug)]
pub struct ListFile {
    archive: String,
    suite: String,
    packages: PathBuf,
    /// `Date:` and `Version:` of the suite's InRelease (or Release) file.
    date: String,
    version: String,
}

/// The `…_dists_<suite>_main_binary-amd64_Packages[.ext]` file apt stored for a suite.
fn find_list(dir: &Path, archive: &str, suite: &str) -> Result<Option<ListFile>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(None) };
    let prefix = format!("_{archive}_dists_{suite}_");
    let mut packages = None;
    let mut release = None;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(i) = name.find(&prefix) else { continue };
        let rest = &name[i + prefix.len()..];
        if rest.starts_with("main_binary-amd64_Packages") {
            packages = Some(e.path());
        } else if rest == "InRelease" || (rest == "Release" && release.is_none()) {
            release = Some(e.path());
        }
    }
    let Some(packages) = packages else { return Ok(None) };
    let (mut date, mut version) = (String::new(), String::new());
    if let Some(r) = release {
        let text = std::fs::read_to_string(&r).with_context(|| format!("reading {}", r.display()))?;
        // InRelease is clearsigned: the fields follow the armour header's blank line.
        let fields = match text.strip_prefix("-----BEGIN PGP SIGNED MESSAGE-----") {
            Some(rest) => rest.split_once("\n\n").map_or("", |(_, f)| f),
            None => text.as_str(),
        };
        for line in fields.lines() {
            if let Some(d) = line.strip_prefix("Date: ") {
                date = d.trim().to_string();
            } else if let Some(v) = line.strip_prefix("Version: ") {
                version = v.trim().to_string();
            } else if line.is_empty() {
                break;
            }
        }
    }
    Ok(Some(ListFile { archive: archive.to_string(), suite: suite.to_string(), packages, date, version }))
}

fn read_list(path: &Path) -> Result<String> {
    let name = path.to_string_lossy();
    let compressed = [".lz4", ".xz", ".gz", ".zst", ".bz2", ".lzma"].iter().any(|e| name.ends_with(e));
    if !compressed {
        return std::fs::read_to_string(path).with_context(|| format!("reading {name}"));
    }
    let out = std::process::Command::new("/usr/lib/apt/apt-helper")
        .arg("cat-file")
        .arg(path)
        .output()
        .with_context(|| format!("running `/usr/lib/apt/apt-helper cat-file {name}` (apt's helper decompresses its lists)"))?;
    if !out.status.success() {
        bail!("apt-helper cat-file {name} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8(out.stdout).context("the Packages list is not UTF-8")
}

#[derive(Clone, Debug, Default)]
struct Entry {
    version: String,
    installed_kib: u64,
    priority: String,
    essential: bool,
    depends: String,
    recommends: String,
    provides: String,
}

fn stanzas(text: &str) -> impl Iterator<Item = (String, Entry)> + '_ {
    text.split("\n\n").filter_map(|stanza| {
        let mut name = None;
        let mut e = Entry::default();
        let mut pre = String::new();
        let mut arch_ok = true;
        for line in stanza.lines() {
            // Continuation lines belong to fields this index does not keep (Description, Tag).
            let Some((key, value)) = line.split_once(": ") else { continue };
            if line.starts_with(' ') {
                continue;
            }
            match key {
                "Package" => name = Some(value.trim().to_string()),
                "Version" => e.version = value.trim().to_string(),
                "Installed-Size" => e.installed_kib = value.trim().parse().unwrap_or(0),
                "Priority" => e.priority = value.trim().to_string(),
                "Essential" => e.essential = value.trim() == "yes",
                "Depends" => e.depends = value.trim().to_string(),
                "Pre-Depends" => pre = value.trim().to_string(),
                "Recommends" => e.recommends = value.trim().to_string(),
                "Provides" => e.provides = value.trim().to_string(),
                "Architecture" => arch_ok = matches!(value.trim(), "amd64" | "all"),
                _ => {}
            }
        }
        if !pre.is_empty() {
            e.depends = if e.depends.is_empty() { pre } else { format!("{pre}, {}", e.depends) };
        }
        Some((name?, e)).filter(|_| arch_ok)
    })
}

/// A relation's bare package name: `libc6 (>= 2.34)` → `libc6`, `python3:any` → `python3`.
fn bare(alt: &str) -> &str {
    let name = alt.trim().split([' ', '(', '[', '<']).next().unwrap_or("");
    name.split(':').next().unwrap_or(name)
}

fn priority_rank(p: &str) -> u8 {
    match p {
        "required" => 0,
        "important" => 1,
        "standard" => 2,
        "optional" => 3,
        _ => 4,
    }
}

fn priority_flag(p: &str) -> char {
    match p {
        "required" => 'r',
        "important" => 'i',
        "standard" => 's',
        "optional" => 'o',
        _ => 'x',
    }
}

/// The whole (uncompressed) index for the given lists, in order of precedence.
pub fn generate(lists: &[(ListFile, String)]) -> Result<String> {
    let mut packages: BTreeMap<String, Entry> = BTreeMap::new();
    for (_, text) in lists {
        for (name, entry) in stanzas(text) {
            packages.insert(name, entry);
        }
    }
    if packages.len() < 1000 {
        bail!("only {} packages read: is this a complete Packages list?", packages.len());
    }
    let mut providers: HashMap<String, Vec<String>> = HashMap::new();
    for (name, e) in &packages {
        for p in e.provides.split(',').map(bare).filter(|p| !p.is_empty()) {
            providers.entry(p.to_string()).or_default().push(name.clone());
        }
    }
    for list in providers.values_mut() {
        list.sort_by_key(|n| (packages.get(n).map_or(9, |e| priority_rank(&e.priority)), n.clone()));
        list.dedup();
    }
    let mut dropped = BTreeSet::new();
    let mut resolve = |field: &str| -> String {
        let mut groups: Vec<String> = Vec::new();
        for group in field.split(',').filter(|g| !g.trim().is_empty()) {
            let mut alts: Vec<String> = Vec::new();
            for alt in group.split('|') {
                let name = bare(alt);
                if packages.contains_key(name) {
                    alts.push(name.to_string());
                } else if let Some(ps) = providers.get(name) {
                    alts.extend(ps.iter().cloned());
                } else {
                    dropped.insert(name.to_string());
                }
            }
            let mut seen = BTreeSet::new();
            alts.retain(|a| seen.insert(a.clone()));
            let joined = alts.join("|");
            if !alts.is_empty() && !groups.contains(&joined) {
                groups.push(joined);
            }
        }
        groups.join(",")
    };
    let mut body = String::new();
    let mut total_kib = 0u64;
    for (name, e) in &packages {
        let depends = resolve(&e.depends);
        let recommends = resolve(&e.recommends);
        let mut flags = priority_flag(&e.priority).to_string();
        if e.essential {
            flags.push('E');
        }
        total_kib += e.installed_kib;
        body.push_str(&format!("{name}\t{}\t{flags}\t{}\t{depends}\t{recommends}\n", e.installed_kib, e.version));
    }
    // Virtual names a user may ask for by name (`apt-get install libxslt-dev` installs its
    // provider): `@name<TAB>providers`, after the packages.
    // Rust crates' feature names (`librust-foo+bar-dev`, 26k of the 35k) are left out: nobody
    // asks apt for them by hand, and they would add 200 KB to the file.
    let mut virtuals: Vec<(&String, &Vec<String>)> = providers.iter().filter(|(v, _)| !packages.contains_key(*v) && !v.starts_with("librust-")).collect();
    virtuals.sort();
    for (v, ps) in virtuals {
        body.push_str(&format!("@{v}\t{}\n", ps.join("|")));
    }
    let mut out = String::new();
    out.push_str("# stagecraft Debian package index, format 1. Generated by `cargo xtask debian-index`; do not edit.\n");
    for (list, _) in lists {
        out.push_str(&format!(
            "# source: http://deb.debian.org/{} {} main binary-amd64 Packages (Release version {}, dated {})\n",
            list.archive, list.suite, list.version, list.date
        ));
    }
    out.push_str(&format!("# packages: {} (Installed-Size total {total_kib} KiB); relations naming no package in these lists dropped: {}\n", packages.len(), dropped.len()));
    out.push_str("# columns: name, Installed-Size in KiB, flags (priority r|i|s|o|x, E = Essential), version, Depends+Pre-Depends, Recommends\n");
    out.push_str("# relations: groups split by `,`, alternatives by `|`, versions dropped, virtual names replaced by their providers (best priority first)\n");
    out.push_str("# lines `@name<TAB>providers` (after the packages): virtual names and the packages that provide them\n");
    out.push_str(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> (ListFile, String) {
        let l = ListFile { archive: "debian".into(), suite: "bookworm".into(), packages: PathBuf::new(), date: "d".into(), version: "12".into() };
        (l, text.to_string())
    }

    #[test]
    fn relations_resolve_to_real_packages() {
        let mut text = String::from(
            "Package: a\nVersion: 1\nInstalled-Size: 10\nPriority: optional\nArchitecture: amd64\nDepends: libc6 (>= 2.34), awk | gawk, python3:any\nPre-Depends: dpkg (>= 1.15)\nRecommends: missing-pkg, b\n\n\
             Package: mawk\nVersion: 1\nInstalled-Size: 5\nPriority: required\nArchitecture: amd64\nProvides: awk\n\n\
             Package: gawk\nVersion: 1\nInstalled-Size: 5\nPriority: optional\nArchitecture: amd64\nProvides: awk\n\n",
        );
        for n in ["libc6", "dpkg", "python3", "b"] {
            text.push_str(&format!("Package: {n}\nVersion: 1\nInstalled-Size: 1\nPriority: required\nEssential: yes\nArchitecture: amd64\n\n"));
        }
        for i in 0..1000 {
            text.push_str(&format!("Package: filler{i}\nVersion: 1\nInstalled-Size: 1\nArchitecture: all\n\n"));
        }
        let out = generate(&[list(&text)]).expect("generates");
        let a = out.lines().find(|l| l.starts_with("a\t")).expect("a is listed");
        assert_eq!(a, "a\t10\to\t1\tdpkg,libc6,mawk|gawk,python3\tb");
        assert!(out.lines().any(|l| l == "dpkg\t1\trE\t1\t\t"));
    }
}
