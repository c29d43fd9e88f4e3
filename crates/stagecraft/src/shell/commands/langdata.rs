//! The facts the language and build models estimate from: `data/language-packages.tsv`, a
//! table with one source per row (measured here, or published). Models never hold sizes of
//! their own; they name a row, and every estimate says which one it used.
//!
//! Rows: `kind  name  bytes  download_bytes  deps  source`.
//! - `pip`: one installed distribution's own files in site-packages (from its `RECORD`); `deps`
//!   names the distributions `pip install NAME` also installs; `download_bytes` is its wheel,
//!   which is what pip's cache keeps.
//! - `npm`: `npm install NAME` into an empty project: node_modules bytes, the npm cache's bytes,
//!   and in `deps` the other npm rows that install puts in node_modules (so a package named
//!   beside one that already holds it is not counted twice).
//! - `fact`: one number a model uses (a size in bytes, or a ratio), named `area.what`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../data/language-packages.tsv");

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub kind: &'static str,
    pub name: &'static str,
    pub bytes: f64,
    pub download: u64,
    pub deps: Vec<&'static str>,
    pub source: &'static str,
}

fn key(kind: &str, name: &str) -> String {
    format!("{kind}\t{name}")
}

fn table() -> &'static BTreeMap<String, Row> {
    static T: OnceLock<BTreeMap<String, Row>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = BTreeMap::new();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            let (Some(kind), Some(name), Some(bytes)) = (f.first(), f.get(1), f.get(2)) else { continue };
            let Ok(bytes) = bytes.parse::<f64>() else { continue };
            let download = f.get(3).and_then(|d| d.parse().ok()).unwrap_or(0);
            let deps = f.get(4).map(|d| d.split(',').map(str::trim).filter(|d| !d.is_empty() && *d != "-").collect()).unwrap_or_default();
            let source = f.get(5).copied().unwrap_or("");
            m.insert(key(kind, name), Row { kind, name, bytes, download, deps, source });
        }
        m
    })
}

/// A package row of `kind` (`pip`, `npm`, …), by its normalised name.
pub fn package(kind: &str, name: &str) -> Option<&'static Row> {
    table().get(&key(kind, name))
}

/// A named fact. Every name a model uses is checked by a test, so a missing row is a bug in
/// this crate, not in the user's Dockerfile; it still answers 0 rather than panic.
pub fn fact(name: &str) -> f64 {
    table().get(&key("fact", name)).map_or(0.0, |r| r.bytes)
}

/// A fact as a byte count.
pub fn bytes(name: &str) -> u64 {
    fact(name).max(0.0) as u64
}

/// Where a fact comes from, for notes.
pub fn source(name: &str) -> &'static str {
    table().get(&key("fact", name)).map_or("", |r| r.source)
}

/// Every fact name the models use; the test below checks each has a row.
pub const FACTS: &[&str] = &[
    "pip.default",
    "pip.default.wheel",
    "pip.project",
    "deps.unknown",
    "python.venv",
    "python.pyc.ratio",
    "npm.package.avg",
    "npm.cache.ratio",
    "npm.default",
    "npm.build.output",
    "yarn.cache.ratio",
    "pnpm.store.ratio",
    "gem.default",
    "gem.avg",
    "composer.package.avg",
    "composer.cache.ratio",
    "go.binary.hello",
    "go.binary.http",
    "go.binary.per_module",
    "go.binary.strip.ratio",
    "go.buildcache.hello",
    "go.buildcache.http",
    "go.buildcache.per_module",
    "go.modcache.per_module",
    "go.tool.install",
    "rust.binary.release",
    "rust.binary.debug",
    "rust.binary.per_crate",
    "rust.target.per_crate.debug",
    "rust.target.per_crate.release",
    "rust.registry.per_crate",
    "rust.deps.guess",
    "rust.toolchain.minimal",
    "rust.std.target",
    "rust.component.clippy",
    "rust.component.rustfmt",
    "rust.component.default",
    "java.class.ratio",
    "java.jar.ratio",
    "maven.jar.plain",
    "maven.jar.springboot",
    "maven.m2.base",
    "maven.m2.per_dep",
    "maven.wrapper.dist",
    "gradle.home.base",
    "gradle.wrapper.dist",
    "c.binary.ratio",
    "c.binary.min",
    "dotnet.publish.framework",
    "dotnet.publish.selfcontained",
    "dotnet.nuget.cache",
    "fetch.default",
    "archive.unpack.ratio",
    "git.clone.default",
    "useradd.lastlog.per_uid",
    "useradd.faillog.per_uid",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_a_model_uses_has_a_sourced_row() {
        for name in FACTS {
            let row = table().get(&key("fact", name));
            assert!(row.is_some(), "data/language-packages.tsv has no fact {name}");
            assert!(row.is_some_and(|r| !r.source.is_empty()), "fact {name} has no source");
        }
    }

    #[test]
    fn every_row_names_its_source_and_its_deps_exist() {
        for row in table().values() {
            assert!(!row.source.trim().is_empty(), "{} {} has no source", row.kind, row.name);
            if row.kind == "pip" || row.kind == "npm" {
                for d in &row.deps {
                    assert!(package(row.kind, d).is_some(), "{} {}: dependency {d} has no row", row.kind, row.name);
                }
            }
        }
    }
}
