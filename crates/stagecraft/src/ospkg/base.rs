//! What a base image's package managers start with, added to its representative filesystem:
//! the package database (from the image's package list), and the configuration the official
//! images ship that changes what `apt-get` leaves behind. Every byte written here is taken
//! out of the summarised directory that holds it, so the base image's size stays exact.
//!
//! - `/etc/apt/apt.conf.d/docker-clean` (debuerreotype, in every official Debian and Ubuntu
//!   image): deletes downloaded `.deb` files after each install, so `apt-get clean` has
//!   nothing left to do (Docker's best practices: "Official Debian and Ubuntu images
//!   automatically run `apt-get clean`").
//! - `/etc/apt/apt.conf.d/docker-gzip-indexes`: lists stay compressed (lz4) on disk.
//! - `/etc/dpkg/dpkg.cfg.d/docker` on `-slim` Debian images and `excludes` on Ubuntu's
//!   minimised images: dpkg skips documentation, man pages and translations.

use crate::catalog::{ImageFacts, OsFamily, PackageManager};
use crate::vfs::{self, Fs, Node, NodeKind};

use super::state::{self, Installed};
use super::Manager;

pub const DOCKER_CLEAN: &str = "/etc/apt/apt.conf.d/docker-clean";

const DOCKER_CLEAN_TEXT: &str = "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\
APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\n\
Dir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n";

const GZIP_INDEXES_TEXT: &str = "Acquire::GzipIndexes \"true\";\nAcquire::CompressionTypes::Order:: \"lz4\";\n";

const SLIM_EXCLUDES_TEXT: &str = "path-exclude /usr/share/doc/*\n\
# we need to keep copyright files for legal reasons\n\
path-include /usr/share/doc/*/copyright\n\
path-exclude /usr/share/groff/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/linda/*\n\
path-exclude /usr/share/lintian/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n\
path-exclude /usr/share/man/*\n";

/// Adds the package databases and apt/dpkg configuration of `facts`' image to `fs` (whose
/// layer is open). Where the image has no package list, no database is written: the models
/// then say what they assumed.
pub fn seed(fs: &mut Fs, facts: &ImageFacts) {
    seed_inner(fs, facts);
}

fn seed_inner(fs: &mut Fs, facts: &ImageFacts) -> Option<()> {
    let reference = facts.reference();
    let list = super::image_packages().and_then(|p| p.get(&reference));
    match facts.package_manager {
        PackageManager::Dpkg => {
            if matches!(facts.os, OsFamily::Debian | OsFamily::Ubuntu) {
                take_and_write(fs, DOCKER_CLEAN, DOCKER_CLEAN_TEXT);
                take_and_write(fs, "/etc/apt/apt.conf.d/docker-gzip-indexes", GZIP_INDEXES_TEXT);
                let slim = std::iter::once(&facts.tag).chain(&facts.aliases).chain(&facts.title).any(|t| t.contains("slim"));
                if facts.os == OsFamily::Ubuntu {
                    take_and_write(fs, "/etc/dpkg/dpkg.cfg.d/excludes", SLIM_EXCLUDES_TEXT);
                } else if slim {
                    take_and_write(fs, "/etc/dpkg/dpkg.cfg.d/docker", SLIM_EXCLUDES_TEXT);
                }
            }
            let list = list.filter(|l| l.manager == Manager::Dpkg)?;
            let installed = list.names().map(|n| (n.to_string(), Installed::default())).collect();
            let before = fs.clone();
            state::write_dpkg_status(fs, &installed);
            take_for(fs, &before, state::DPKG_STATUS);
            Some(())
        }
        PackageManager::Apk => {
            let list = list.filter(|l| l.manager == Manager::Apk)?;
            let installed = list.packages.iter().map(|(n, size)| (n.clone(), state::ApkEntry { size: *size, ..Default::default() })).collect();
            let before = fs.clone();
            state::write_apk_installed(fs, &installed);
            take_for(fs, &before, state::APK_INSTALLED);
            Some(())
        }
        PackageManager::Rpm | PackageManager::None => None,
    }
}

fn take_and_write(fs: &mut Fs, path: &str, text: &str) {
    let before = fs.clone();
    state::write_text(fs, path, text.to_string());
    take_for(fs, &before, path);
}

/// Takes the bytes of the file just written at `path` out of the nearest summarised
/// directory above it (or, failing that, the largest one), as the catalog does for its files.
fn take_for(fs: &mut Fs, before: &Fs, path: &str) {
    let real = fs.resolve(path, true).unwrap_or_else(|_| vfs::normalize(path));
    let added = fs.get(&real).map_or(0, Node::size).saturating_sub(before.get(&real).map_or(0, Node::size));
    if added == 0 {
        return;
    }
    let summary = |n: &Node| match n.kind {
        NodeKind::Dir { summary_bytes } => summary_bytes,
        _ => 0,
    };
    let mut dir = vfs::parent(&real).to_string();
    let from = loop {
        if fs.get(&dir).is_some_and(|n| summary(n) >= added) {
            break Some(dir.clone());
        }
        if dir == "/" {
            break None;
        }
        dir = vfs::parent(&dir).to_string();
    };
    let from = from.or_else(|| fs.iter().filter(|(_, n)| summary(n) >= added).max_by_key(|(_, n)| summary(n)).map(|(p, _)| p.to_string()));
    if let Some(from) = from {
        fs.update(&from, |n| {
            if let NodeKind::Dir { summary_bytes } = &mut n.kind {
                *summary_bytes -= added;
            }
        });
    }
}
