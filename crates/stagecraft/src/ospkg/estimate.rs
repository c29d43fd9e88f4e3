//! Estimates for packages without data of their own: another distribution's package, or one
//! the index does not know. Each estimate says what it rests on.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::facts;

/// debootstrap's minbase from the index: the Priority: required packages and apt with their
/// dependencies (what debian:*-slim images hold). Empty while there is no index (kept only
/// once there is one, which a web page may supply after its first simulations).
pub fn minbase() -> &'static BTreeSet<String> {
    static MINBASE: OnceLock<BTreeSet<String>> = OnceLock::new();
    static NONE: BTreeSet<String> = BTreeSet::new();
    let Some(index) = super::debian_index() else { return &NONE };
    MINBASE.get_or_init(|| {
        let mut names: Vec<&str> = index.with_priority("required").iter().map(|p| p.name).collect();
        names.push("apt");
        index.plan_install(&names, &BTreeSet::new(), false).new.iter().map(|p| p.name.to_string()).collect()
    })
}

/// An estimate of a package's installed bytes, and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub bytes: u64,
    pub basis: String,
}

/// The Debian package of the same name with its dependencies beyond minbase (no
/// Recommends): for Alpine and RPM packages, most of which share Debian's names.
pub fn from_debian_name(name: &str) -> Option<Estimate> {
    let index = super::debian_index()?;
    let plan = index.plan_install(&[name], minbase(), false);
    let first = plan.new.first()?;
    let bytes = plan.installed_bytes();
    Some(Estimate {
        bytes,
        basis: format!(
            "Debian bookworm's `{}` {} with {} dependencies beyond a minimal system ({})",
            first.name,
            first.version,
            plan.new.len() - 1,
            mib(bytes)
        ),
    })
}

/// A package nothing is known about.
pub fn unknown_package() -> Estimate {
    match super::debian_index() {
        Some(index) => {
            let bytes = index.mean_installed_bytes();
            Estimate { bytes, basis: format!("the mean Installed-Size of Debian bookworm's {} packages ({})", index.len(), mib(bytes)) }
        }
        None => {
            let f = facts::get("unknown-package-bytes");
            Estimate { bytes: f.map_or(0, |f| f.value), basis: f.map_or_else(String::new, |f| f.source.clone()) }
        }
    }
}

/// `12.3 MiB`.
pub fn mib(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}
