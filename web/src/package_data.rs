//! The core's package data — Debian's package index (1.65 MB gzipped) and the base images'
//! package lists — is not compiled into the wasm: `cargo xtask dist` copies the files into
//! `dist/data/` and the page fetches them once the engine is in (relative URLs, same
//! origin), then hands them to the engine. Until then, and if the fetch fails, the core's
//! package models run on estimates and their diagnostics say so.

use crate::browser;
use crate::engine;

/// Relative to the page, so the site works under any path. `cargo xtask dist` copies the
/// files of the same names (a test in `crates/xtask/src/dist.rs` keeps the two in step).
pub const DEBIAN_INDEX: &str = "data/debian-bookworm-amd64.tsv.gz";
pub const IMAGE_PACKAGES: &str = "data/image-packages.tsv.gz";

/// Where the package data stands. A change is a new generation of the report.
#[derive(Clone, Debug, PartialEq)]
pub enum PackageData {
    Loading,
    Loaded,
    /// What went wrong, for the user; whatever did load is in use.
    Failed(String),
}

impl PackageData {
    /// `data-packages` on the page, for tests and styles.
    pub fn as_str(&self) -> &'static str {
        match self {
            PackageData::Loading => "loading",
            PackageData::Loaded => "loaded",
            PackageData::Failed(_) => "failed",
        }
    }
}

/// Fetches both files (the requests start together) and hands what arrives to the engine.
pub async fn load() -> PackageData {
    let index = browser::fetch_bytes(DEBIAN_INDEX);
    let images = browser::fetch_bytes(IMAGE_PACKAGES);
    let mut problems = Vec::new();
    if let Err(e) = images.await.and_then(|b| engine::provide("provide_image_packages", &b)) {
        problems.push(format!("{IMAGE_PACKAGES}: {e}"));
    }
    if let Err(e) = index.await.and_then(|b| engine::provide("provide_debian_index", &b)) {
        problems.push(format!("{DEBIAN_INDEX}: {e}"));
    }
    if problems.is_empty() {
        PackageData::Loaded
    } else {
        PackageData::Failed(format!(
            "The package data could not be loaded ({}), so package sizes stay estimates.",
            problems.join("; ")
        ))
    }
}
