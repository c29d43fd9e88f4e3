//! `dnf`, `yum`, `microdnf`: RPM package managers. No RPM metadata is loaded, so every
//! install is an estimate, with a note: Debian's package of the same name (`-devel` read as
//! `-dev`, `gcc-c++` as `g++`) with its dependencies beyond a minimal system, less
//! documentation when `--nodocs` or `tsflags=nodocs` asks for it.

use crate::diagnostics::Severity;
use crate::ospkg::estimate::{self, mib};
use crate::ospkg::{facts, state, Manager};

use super::super::session::{Session, Status};

pub fn run(args: &[String], s: &mut Session) -> Status {
    let tool = args[0].rsplit('/').next().unwrap_or("dnf").to_string();
    let mut yes = tool == "microdnf";
    let mut nodocs = false;
    let mut command: Option<String> = None;
    let mut operands: Vec<String> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        match a {
            "-y" | "--assumeyes" => yes = true,
            "--nodocs" => nodocs = true,
            _ if a.contains("tsflags=nodocs") => nodocs = true,
            "--setopt" | "--enablerepo" | "--disablerepo" | "--repo" | "--releasever" | "-c" | "--config" | "--installroot" | "--exclude" | "-x" | "--best" => {
                if matches!(a, "--setopt") && args.get(i).is_some_and(|v| v.contains("tsflags=nodocs")) {
                    nodocs = true;
                }
                if a != "--best" {
                    i += 1;
                }
            }
            _ if a.starts_with('-') => {}
            _ if command.is_none() => command = Some(a.to_string()),
            _ => operands.push(a.to_string()),
        }
    }
    match command.as_deref().unwrap_or("") {
        "install" | "reinstall" => install(s, &tool, &operands, yes, nodocs),
        "remove" | "erase" | "autoremove" => {
            for n in &operands {
                state::remove_payload(s.fs, Manager::Rpm, n);
            }
            0
        }
        "clean" => {
            for dir in ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"] {
                s.fs.remove(dir);
            }
            0
        }
        "makecache" | "update" | "upgrade" | "check-update" | "distro-sync" => {
            s.note(Severity::Info, "PackageUpgrade", format!("`{tool}`: the image's package versions and metadata cache are not simulated; assumed nothing changes"));
            0
        }
        "list" | "info" | "search" | "provides" | "repolist" | "module" | "config-manager" => {
            s.io.stdout.opaque = true;
            0
        }
        "" => s.fail(&tool, "no command given", 1),
        other => {
            s.unmodelled(&tool, &format!("`{tool} {other}`"));
            0
        }
    }
}

/// The Debian names an RPM name most likely corresponds to, best first.
fn debian_names(rpm: &str) -> Vec<String> {
    match rpm {
        "gcc-c++" => vec!["g++".into()],
        "which" => vec!["debianutils".into()],
        "procps-ng" => vec!["procps".into()],
        "openssl-devel" => vec!["libssl-dev".into()],
        "zlib-devel" => vec!["zlib1g-dev".into()],
        _ => match rpm.strip_suffix("-devel") {
            Some(base) => vec![format!("{base}-dev"), format!("lib{base}-dev")],
            None => vec![rpm.to_string()],
        },
    }
}

fn install(s: &mut Session, tool: &str, operands: &[String], yes: bool, nodocs: bool) -> Status {
    if operands.is_empty() {
        return s.fail(tool, "Error: Need to pass a list of pkgs to install", 1);
    }
    if !yes && s.io.stdin.is_empty() {
        s.out("Is this ok [y/N]: Operation aborted.\n");
        return s.fail(tool, "Error: operation aborted: there is no terminal to confirm (add -y)", 1);
    }
    let kept = if nodocs { 1000 - facts::value("doc-share-permille") } else { 1000 };
    let mut total = 0;
    for op in operands {
        let name = op.split(['=', '<', '>']).next().unwrap_or(op).trim_end_matches(".rpm");
        let name = name.rsplit('/').next().unwrap_or(name);
        if s.fs.get(&state::payload_path(Manager::Rpm, name)).is_some() {
            continue;
        }
        let found = debian_names(name).iter().find_map(|d| estimate::from_debian_name(d));
        let (bytes, basis) = match found {
            Some(e) => (e.bytes * kept / 1000, format!("`{name}`: no RPM data here; estimated from {}", e.basis)),
            None => {
                let e = estimate::unknown_package();
                (e.bytes, format!("`{name}`: no RPM data here; estimated at {}", e.basis))
            }
        };
        total += bytes;
        state::add_payload(s.fs, Manager::Rpm, name, bytes);
        s.uncertain = true;
        s.note(Severity::Warning, "PackageEstimate", basis);
    }
    s.note(
        Severity::Info,
        "PackagesInstalled",
        format!("`{tool} install`: {} estimated; its metadata cache in /var/cache is not sized here (`{tool} clean all` removes it)", mib(total)),
    );
    0
}
