//! The core's package data — Debian's package index (1.65 MB gzipped) and the base images'
//! package lists — is not compiled into the wasm: `cargo xtask dist` copies the files into
//! `dist/data/` and the page fetches them after its first render (relative URLs, same
//! origin), then hands them to the core. Until then, and if the fetch fails, the core's
//! package models run on estimates and their diagnostics say so.

use crate::browser;

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

/// Fetches both files (the requests start together) and hands what arrives to the core.
pub async fn load() -> PackageData {
    let index = browser::fetch_bytes(DEBIAN_INDEX);
    let images = browser::fetch_bytes(IMAGE_PACKAGES);
    let mut problems = Vec::new();
    match images
        .await
        .and_then(|b| stagecraft::ospkg::ImagePackages::from_bytes(&b))
    {
        Ok(lists) => {
            stagecraft::ospkg::provide_image_packages(lists);
        }
        Err(e) => problems.push(format!("{IMAGE_PACKAGES}: {e}")),
    }
    match index
        .await
        .and_then(|b| stagecraft::ospkg::DebianIndex::from_bytes(&b))
    {
        Ok(index) => {
            stagecraft::ospkg::provide_debian_index(index);
        }
        Err(e) => problems.push(format!("{DEBIAN_INDEX}: {e}")),
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
