//! The package databases as they sit in an image's filesystem, so that what a RUN installs is
//! seen by later RUNs and stages: dpkg's `/var/lib/dpkg/status` (with apt's
//! `/var/lib/apt/extended_states` for what was installed automatically) and apk's
//! `/lib/apk/db/installed`, in their real formats (only the fields the models use).
//!
//! A package's files are not listed one by one: each installed package is one summarised
//! directory ([`payload_path`]) whose `summary_bytes` are its installed size, so a layer that
//! installs it grows by that much and removing the package in the same RUN takes it back.

use std::collections::{BTreeMap, BTreeSet};

use crate::vfs::{self, Fs, Node, NodeKind};

use super::images::Manager;

pub const DPKG_STATUS: &str = "/var/lib/dpkg/status";
pub const APT_EXTENDED_STATES: &str = "/var/lib/apt/extended_states";
pub const APK_INSTALLED: &str = "/lib/apk/db/installed";

/// Where a package's files are summarised.
pub fn payload_path(manager: Manager, name: &str) -> String {
    match manager {
        Manager::Dpkg => format!("/var/lib/dpkg/info/{name}"),
        Manager::Apk => format!("/lib/apk/packages/{name}"),
        Manager::Rpm => format!("/var/lib/rpm/packages/{name}"),
    }
}

/// One installed package, as the database records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Installed {
    pub version: Option<String>,
    pub installed_kib: Option<u64>,
}

/// The text of a file in `fs`, if its content is known.
fn text(fs: &Fs, path: &str) -> Option<String> {
    let path = fs.resolve(path, true).ok()?;
    let node = fs.get(&path)?;
    node.content().map(|c| String::from_utf8_lossy(c).into_owned())
}

/// dpkg's installed packages; `None` when the status file is missing or its content unknown.
pub fn dpkg_installed(fs: &Fs) -> Option<BTreeMap<String, Installed>> {
    let text = text(fs, DPKG_STATUS)?;
    let mut out = BTreeMap::new();
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut ok = false;
        let mut inst = Installed::default();
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix("Package: ") {
                name = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("Status: ") {
                ok = v.trim().ends_with(" installed");
            } else if let Some(v) = line.strip_prefix("Version: ") {
                inst.version = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("Installed-Size: ") {
                inst.installed_kib = v.trim().parse().ok();
            }
        }
        if let (Some(n), true) = (name, ok) {
            out.insert(n, inst);
        }
    }
    Some(out)
}

/// Writes dpkg's status file (one stanza per package, sorted, as dpkg keeps it).
pub fn write_dpkg_status(fs: &mut Fs, installed: &BTreeMap<String, Installed>) {
    let mut out = String::new();
    for (name, i) in installed {
        out.push_str(&format!("Package: {name}\nStatus: install ok installed\n"));
        if let Some(k) = i.installed_kib {
            out.push_str(&format!("Installed-Size: {k}\n"));
        }
        if let Some(v) = &i.version {
            out.push_str(&format!("Version: {v}\n"));
        }
        out.push('\n');
    }
    write_text(fs, DPKG_STATUS, out);
}

/// Packages apt marked as installed automatically (as dependencies).
pub fn apt_auto(fs: &Fs) -> BTreeSet<String> {
    let Some(text) = text(fs, APT_EXTENDED_STATES) else { return BTreeSet::new() };
    text.split("\n\n")
        .filter(|s| s.lines().any(|l| l.trim() == "Auto-Installed: 1"))
        .filter_map(|s| s.lines().find_map(|l| l.strip_prefix("Package: ")).map(|n| n.trim().to_string()))
        .collect()
}

pub fn write_apt_auto(fs: &mut Fs, auto: &BTreeSet<String>) {
    let out: String = auto.iter().map(|n| format!("Package: {n}\nArchitecture: amd64\nAuto-Installed: 1\n\n")).collect();
    write_text(fs, APT_EXTENDED_STATES, out);
}

/// One entry of apk's database: `V:` version, `I:` installed bytes, `D:` dependencies (a
/// `--virtual` package depends on what it groups).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApkEntry {
    pub version: Option<String>,
    pub size: Option<u64>,
    pub depends: Vec<String>,
}

/// apk's installed packages; `None` when the database is missing or its content unknown.
pub fn apk_installed(fs: &Fs) -> Option<BTreeMap<String, ApkEntry>> {
    let text = text(fs, APK_INSTALLED)?;
    let mut out = BTreeMap::new();
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut e = ApkEntry::default();
        for line in stanza.lines() {
            match line.split_once(':') {
                Some(("P", n)) => name = Some(n.to_string()),
                Some(("V", x)) => e.version = Some(x.to_string()),
                Some(("I", x)) => e.size = x.parse().ok(),
                Some(("D", x)) => e.depends = x.split(' ').filter(|d| !d.is_empty()).map(str::to_string).collect(),
                _ => {}
            }
        }
        if let Some(n) = name {
            out.insert(n, e);
        }
    }
    Some(out)
}

pub fn write_apk_installed(fs: &mut Fs, installed: &BTreeMap<String, ApkEntry>) {
    let mut out = String::new();
    for (name, e) in installed {
        out.push_str(&format!("P:{name}\n"));
        if let Some(v) = &e.version {
            out.push_str(&format!("V:{v}\n"));
        }
        if let Some(s) = e.size {
            out.push_str(&format!("I:{s}\n"));
        }
        if !e.depends.is_empty() {
            out.push_str(&format!("D:{}\n", e.depends.join(" ")));
        }
        out.push('\n');
    }
    write_text(fs, APK_INSTALLED, out);
}

/// A root-owned text file, written through symlinked directories.
pub fn write_text(fs: &mut Fs, path: &str, content: String) {
    let path = fs.resolve(path, true).unwrap_or_else(|_| vfs::normalize(path));
    let mode = fs.get(&path).map_or(0o644, |n| n.mode);
    fs.write(&path, Node::file(content.into_bytes(), mode), (0, 0));
}

/// Adds a package's summarised files.
pub fn add_payload(fs: &mut Fs, manager: Manager, name: &str, bytes: u64) {
    let mut node = Node::dir(0o755);
    node.kind = NodeKind::Dir { summary_bytes: bytes };
    fs.write(&payload_path(manager, name), node, (0, 0));
}

/// Removes a package's summarised files; false if the package came with the base image
/// (its files are part of the base's summarised directories and stay in that layer).
pub fn remove_payload(fs: &mut Fs, manager: Manager, name: &str) -> bool {
    fs.remove(&payload_path(manager, name))
}

/// `ID` and `VERSION_CODENAME` of `/etc/os-release`.
pub fn os_release(fs: &Fs) -> (Option<String>, Option<String>) {
    let Some(text) = text(fs, "/etc/os-release") else { return (None, None) };
    let field = |key: &str| {
        text.lines().find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix('='))).map(|v| v.trim_matches('"').to_string()).filter(|v| !v.is_empty())
    };
    (field("ID"), field("VERSION_CODENAME"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn databases_round_trip() {
        let mut fs = Fs::new();
        assert_eq!(dpkg_installed(&fs), None);
        let mut set = BTreeMap::new();
        set.insert("curl".to_string(), Installed { version: Some("7.88".into()), installed_kib: Some(488) });
        set.insert("apt".to_string(), Installed::default());
        write_dpkg_status(&mut fs, &set);
        assert_eq!(dpkg_installed(&fs), Some(set));
        let auto: BTreeSet<String> = ["libcurl4".to_string()].into();
        write_apt_auto(&mut fs, &auto);
        assert_eq!(apt_auto(&fs), auto);
        let mut apk = BTreeMap::new();
        apk.insert("musl".to_string(), ApkEntry { version: Some("1.2".into()), size: Some(600), depends: vec![] });
        apk.insert(".deps".to_string(), ApkEntry { version: None, size: None, depends: vec!["gcc".into(), "make".into()] });
        write_apk_installed(&mut fs, &apk);
        assert_eq!(apk_installed(&fs), Some(apk));
        add_payload(&mut fs, Manager::Dpkg, "curl", 500);
        assert_eq!(fs.get("/var/lib/dpkg/info/curl").map(Node::size), Some(500));
        assert!(remove_payload(&mut fs, Manager::Dpkg, "curl"));
        assert!(!remove_payload(&mut fs, Manager::Dpkg, "curl"));
    }
}
