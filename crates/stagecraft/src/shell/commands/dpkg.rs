//! `dpkg`: the architecture query every official Dockerfile makes, `-i` of a `.deb` file the
//! build copied in (its installed size estimated from the file's size), `-r`/`-P`, and
//! status queries over the package database in the filesystem.

use crate::diagnostics::Severity;
use crate::ospkg::estimate::mib;
use crate::ospkg::state::{self, Installed};
use crate::ospkg::{facts, Manager};

use super::super::session::{Lookup, Session, Status};

pub fn run(args: &[String], s: &mut Session) -> Status {
    let Some(flag) = args.get(1).map(String::as_str) else {
        return s.fail("dpkg", "need an action option", 2);
    };
    let rest = &args[2..];
    match flag {
        "--print-architecture" => {
            s.out("amd64\n");
            0
        }
        "--print-foreign-architectures" => 0,
        "-i" | "--install" => install(s, rest),
        "-r" | "--remove" | "-P" | "--purge" => {
            if let Some(mut db) = state::dpkg_installed(s.fs) {
                for n in rest.iter().filter(|a| !a.starts_with('-')) {
                    db.remove(n.as_str());
                    state::remove_payload(s.fs, Manager::Dpkg, n);
                }
                state::write_dpkg_status(s.fs, &db);
            }
            0
        }
        "-s" | "--status" => match state::dpkg_installed(s.fs) {
            Some(db) => {
                let missing = rest.iter().find(|n| !db.contains_key(n.as_str()));
                match missing {
                    Some(n) => s.fail("dpkg-query", &format!("package '{n}' is not installed and no information is available"), 1),
                    None => {
                        let text: String = rest.iter().map(|n| format!("Package: {n}\nStatus: install ok installed\n\n")).collect();
                        s.out(&text);
                        0
                    }
                }
            }
            None => {
                s.io.stdout.opaque = true;
                0
            }
        },
        "--add-architecture" | "--configure" | "--set-selections" | "--clear-avail" => 0,
        _ => {
            s.io.stdout.opaque = true;
            0
        }
    }
}

fn install(s: &mut Session, files: &[String]) -> Status {
    let mut db = state::dpkg_installed(s.fs);
    let ratio = facts::value("deb-per-installed-permille").max(1);
    for path in files.iter().filter(|a| !a.starts_with('-')) {
        if path.contains(['*', '?', '[']) {
            s.assume(format!("`dpkg -i {path}`: the pattern matches no file in the simulated filesystem (the build context may hold it): nothing installed"));
            continue;
        }
        let size = match s.lookup(path, true) {
            Lookup::Found { node, .. } => node.size(),
            Lookup::Missing { .. } => return s.fail("dpkg", &format!("error: cannot access archive '{path}': No such file or directory"), 2),
            Lookup::Unknown { .. } => {
                s.assume(format!("`dpkg -i {path}`: the archive is not in the simulated filesystem; its size is not known"));
                0
            }
        };
        let name = path.rsplit('/').next().unwrap_or(path).split('_').next().unwrap_or("local").trim_end_matches(".deb").to_string();
        let bytes = size * 1000 / ratio;
        state::add_payload(s.fs, Manager::Dpkg, &name, bytes);
        if let Some(db) = db.as_mut() {
            db.insert(name.clone(), Installed { version: None, installed_kib: Some(bytes.div_ceil(1024)) });
        }
        s.uncertain = true;
        s.note(
            Severity::Warning,
            "PackageEstimate",
            format!("`dpkg -i {path}`: installed size estimated at {} from the archive's {} (Debian's .deb/Installed-Size ratio, {ratio}‰); dependencies are not checked", mib(bytes), mib(size)),
        );
    }
    if let Some(db) = db {
        state::write_dpkg_status(s.fs, &db);
    }
    0
}
