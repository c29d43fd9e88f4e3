//! From a `FROM` reference to image facts.
//!
//! 1. `scratch` is the empty image.
//! 2. A Docker Hub official image the catalog has: its tag or alias exactly, else the
//!    nearest tag of the same image. Tags are read as `version-variant…`: the variant
//!    words (`slim`, `alpine`, `jdk`, …) must match first, then the version is as close as
//!    possible (a prefix such as `3` matches `3.14`; otherwise the closest number at the
//!    deepest level that differs, the newer on a tie), then the distribution
//!    (`bookworm`, `alpine3.20`), then the closest remaining numbers, then the newest. Without a
//!    version (`latest`, `lts`, `slim`) the distribution and then the newest tag with that
//!    variant win.
//! 3. Anything else is an estimate: a rule from the data file (.NET, distroless), an
//!    image whose last path component is a catalog image (`bitnami/python:3.11` is sized
//!    like `python:3.11`), or the default rule.
//!
//! The facts are cloned into the result, so the caller may adjust them (see
//! [`Resolved::with_size`]).

use std::cmp::Reverse;
use std::collections::BTreeSet;

use super::{Catalog, ImageFacts, Reference};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The catalog has this tag (or `scratch`).
    Exact,
    /// The catalog has the image but not the tag; another tag of it stands in.
    Nearest,
    /// The catalog does not have the image; its facts are an estimate.
    Estimated,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Nearest => "nearest",
            MatchKind::Estimated => "estimated",
        }
    }
}

/// The outcome of resolving a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The reference as written.
    pub reference: String,
    pub parsed: Reference,
    pub kind: MatchKind,
    /// The matched image's facts, or the estimate.
    pub facts: ImageFacts,
    /// What was assumed, for the diagnostic the build emits (`None` for a plain exact match).
    pub message: Option<String>,
    /// The caller replaced the size (see [`Resolved::with_size`]).
    pub size_overridden: bool,
}

impl Resolved {
    /// False when the facts are an estimate.
    pub fn known(&self) -> bool {
        self.kind != MatchKind::Estimated
    }

    pub fn is_scratch(&self) -> bool {
        self.facts.is_scratch()
    }

    /// Replaces the uncompressed size, e.g. with a size the user gave. The compressed size
    /// keeps the facts' ratio, and [`Catalog::filesystem`](super::Catalog::filesystem)
    /// scales the directories to match.
    pub fn with_size(mut self, size_bytes: u64) -> Resolved {
        let f = &mut self.facts;
        f.compressed_size_bytes = if f.size_bytes > 0 {
            (size_bytes as u128 * f.compressed_size_bytes as u128 / f.size_bytes as u128) as u64
        } else {
            // size-facts.md: compressed is about 0.35-0.45 of uncompressed for glibc images.
            size_bytes * 2 / 5
        };
        f.size_bytes = size_bytes;
        self.size_overridden = true;
        self
    }
}

pub(super) fn resolve(catalog: &Catalog, text: &str) -> Resolved {
    let parsed = Reference::parse(text);
    let done = |kind, facts, message: Option<String>| {
        let message = match (&parsed.digest, message) {
            (Some(_), m) if kind != MatchKind::Estimated => Some(join(
                m,
                format!(
                    "The digest in {} is not checked: the catalog knows images by tag.",
                    text.trim()
                ),
            )),
            (_, m) => m,
        };
        Resolved {
            reference: text.to_string(),
            parsed: parsed.clone(),
            kind,
            facts,
            message,
            size_overridden: false,
        }
    };

    if parsed.is_scratch() {
        return done(MatchKind::Exact, ImageFacts::scratch(), None);
    }
    if parsed.official && catalog.knows(&parsed.repository) {
        let tag = parsed.tag_or_latest();
        if let Some(f) = catalog.get(&parsed.repository, tag) {
            return done(MatchKind::Exact, f.clone(), None);
        }
        if let Some(n) = nearest(catalog, &parsed.repository, tag) {
            let message = format!(
                "{} is not in the catalog; using {}, the {} known tag{}.",
                parsed.display(),
                described(n.facts),
                if n.by_version { "nearest" } else { "newest" },
                n.variant_note()
            );
            return done(MatchKind::Nearest, n.facts.clone(), Some(message));
        }
    }
    estimate(catalog, &parsed, text).map_or_else(
        || {
            done(
                MatchKind::Estimated,
                ImageFacts::scratch(),
                Some(format!(
                    "unknown image {}: assumed empty.",
                    parsed.display()
                )),
            )
        },
        |(facts, message)| done(MatchKind::Estimated, facts, Some(message)),
    )
}

fn join(a: Option<String>, b: String) -> String {
    match a {
        Some(a) => format!("{a} {b}"),
        None => b,
    }
}

/// `golang:1.25 (golang:1.25.12-trixie)`: the catalog tag and the build it describes.
fn described(f: &ImageFacts) -> String {
    match &f.title {
        Some(t) if *t != f.reference() => format!("{} ({t})", f.reference()),
        _ => f.reference(),
    }
}

/// An estimate for an image the catalog does not know, with its message.
fn estimate(catalog: &Catalog, r: &Reference, written: &str) -> Option<(ImageFacts, String)> {
    let tag = r.tag_or_latest();
    let rule = catalog
        .estimates
        .iter()
        .find(|e| !e.is_default() && e.matches(&r.repository, tag));
    if let Some(rule) = rule {
        let mut f = rule.facts.clone();
        f.image = r.repository.clone();
        f.tag = tag.to_string();
        let message = format!(
            "{} is not in the catalog: assumed {} ({}), an estimate.",
            r.display(),
            crate::report::human_size(f.size_bytes),
            f.basis.as_deref().unwrap_or(&rule.id)
        );
        return Some((f, message));
    }
    // `bitnami/python:3.11`, `ghcr.io/acme/node:20`: sized like the official image.
    let short = r.short_name();
    if !r.official && catalog.knows(short) {
        let like = catalog
            .get(short, tag)
            .or_else(|| nearest(catalog, short, tag).map(|n| n.facts))?;
        let mut f = like.clone();
        f.known = false;
        f.basis = Some(format!("the size of {}", like.reference()));
        f.image = r.repository.clone();
        f.tag = tag.to_string();
        f.source.path = format!("{} (catalog entry {})", f.source.path, like.reference());
        let message = format!(
            "unknown image {}: assumed {}, the size of {}, an estimate.",
            r.display(),
            crate::report::human_size(f.size_bytes),
            like.reference()
        );
        return Some((f, message));
    }
    let rule = catalog.estimates.iter().find(|e| e.is_default())?;
    let mut f = rule.facts.clone();
    f.image = r.repository.clone();
    f.tag = tag.to_string();
    let name = if r.repository.is_empty() {
        format!("{:?}", written.trim())
    } else {
        r.display()
    };
    let message = format!(
        "unknown image {name}: assumed {} ({}), an estimate.",
        crate::report::human_size(f.size_bytes),
        f.basis.as_deref().unwrap_or("default")
    );
    Some((f, message))
}

/// A tag read as version, channel, variant words and distribution.
#[derive(Debug, Default, PartialEq, Eq)]
struct TagParts {
    version: Option<Vec<u64>>,
    /// `latest`, `lts`, `stable`, … when the tag starts with one.
    channel: Option<String>,
    variant: BTreeSet<String>,
    /// `bookworm`, `noble`, `alpine3.20`, …
    distro: Option<String>,
}

const CHANNELS: &[&str] = &[
    "latest", "lts", "stable", "mainline", "current", "edge", "rolling",
];

/// Release names and their versions, so `debian:buster` or `ubuntu:jammy` compare by number.
const RELEASES: &[(&str, &str)] = &[
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
    ("xenial", "16.04"),
    ("bionic", "18.04"),
    ("focal", "20.04"),
    ("jammy", "22.04"),
    ("noble", "24.04"),
    ("oracular", "24.10"),
    ("plucky", "25.04"),
    ("questing", "25.10"),
    ("resolute", "26.04"),
];

fn release_version(word: &str) -> Option<&'static str> {
    RELEASES
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, v)| *v)
}

/// `1.22`, `v3.7.8`, `21.0.12_8` → numbers; anything else → `None`.
fn version(word: &str) -> Option<Vec<u64>> {
    let w = word.strip_prefix('v').unwrap_or(word);
    if w.is_empty() || !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    w.split(['.', '_']).map(|p| p.parse().ok()).collect()
}

impl TagParts {
    fn parse(tag: &str) -> TagParts {
        let mut parts = TagParts::default();
        let words: Vec<&str> = tag.split('-').collect();
        for (i, &w) in words.iter().enumerate() {
            if i == 0 {
                if let Some(v) = version(w) {
                    parts.version = Some(v);
                    continue;
                }
                if let Some(v) = release_version(w) {
                    // `debian:bookworm`, `ubuntu:jammy`: the release is the version.
                    parts.version = version(v);
                    continue;
                }
                if CHANNELS.contains(&w) {
                    parts.channel = Some(w.to_string());
                    continue;
                }
            }
            if release_version(w).is_some() || w.starts_with("oraclelinux") || w.starts_with("al20")
            {
                parts.distro = Some(w.to_string());
            } else if let Some(v) = w.strip_prefix("alpine").filter(|v| version(v).is_some()) {
                parts.variant.insert("alpine".into());
                parts.distro = Some(format!("alpine{v}"));
            } else if version(w).is_some() && i > 0 && words[i - 1] == "alpine" {
                // eclipse-temurin's `alpine-3.24`
                parts.distro = Some(format!("alpine{w}"));
            } else {
                parts.variant.insert(w.to_string());
            }
        }
        if parts.distro.is_none() && parts.variant.contains("alpine") {
            // Some Alpine release, which one unsaid.
            parts.distro = Some("alpine".into());
        }
        parts
    }
}

/// How well a candidate tag fits the requested one: lower is better.
type Score = (
    (usize, usize),
    Option<(u8, u64, bool)>,
    u8,
    Vec<i128>,
    Reverse<Vec<u64>>,
);

/// Distance of a candidate version from the requested one: `(level, difference, older)`,
/// plus the candidate's numbers after the first difference, ordered so that the closer
/// comes first (3.10 before 3.14 for a request of 2.7; 1.27.9 before 1.27.0 for 1.28).
/// Level 0 means the candidate agrees on every number both have (a prefix match); otherwise
/// the earlier the first difference, the worse.
fn version_distance(want: &[u64], have: Option<&Vec<u64>>) -> ((u8, u64, bool), Vec<i128>) {
    let Some(have) = have else {
        return ((u8::MAX, u64::MAX, true), vec![]);
    };
    for (i, (w, h)) in want.iter().zip(have).enumerate() {
        if w != h {
            let level = 20u8.saturating_sub(i.min(19) as u8);
            let older = h < w;
            let tail = have[i + 1..]
                .iter()
                .map(|&n| if older { -i128::from(n) } else { i128::from(n) })
                .collect();
            return ((level, w.abs_diff(*h), older), tail);
        }
    }
    ((0, 0, false), vec![])
}

fn distro_penalty(want: Option<&String>, have: Option<&String>) -> u8 {
    match (want, have) {
        (None, None) => 0,
        (None, Some(_)) => 1,
        (Some(w), Some(h)) if w == h => 0,
        (Some(w), Some(h)) if w.starts_with("alpine") && h.starts_with("alpine") => 1,
        (Some(_), None) => 2,
        (Some(_), Some(_)) => 3,
    }
}

struct Nearest<'a> {
    facts: &'a ImageFacts,
    /// Chosen by version closeness (else: the newest).
    by_version: bool,
    /// Variant words the request has and the chosen tag lacks.
    missing: Vec<String>,
}

impl Nearest<'_> {
    fn variant_note(&self) -> String {
        if self.missing.is_empty() {
            String::new()
        } else {
            format!(" (no known tag has the variant {})", self.missing.join("-"))
        }
    }
}

/// The best stand-in among the image's tags for `tag`.
fn nearest<'a>(catalog: &'a Catalog, image: &str, tag: &str) -> Option<Nearest<'a>> {
    let want = TagParts::parse(tag);
    let mut best: Option<(Score, &ImageFacts, Vec<String>)> = None;
    for facts in catalog.images.iter().filter(|f| f.image == image) {
        let names = || std::iter::once(&facts.tag).chain(&facts.aliases);
        // A floating tag (`3-slim`) stands for the record's most specific version (3.14.7).
        let full = names()
            .filter_map(|n| TagParts::parse(n).version)
            .max_by_key(|v| (v.len(), v.clone()));
        for name in names() {
            let mut have = TagParts::parse(name);
            if let (Some(v), Some(f)) = (&have.version, &full) {
                if f.starts_with(v) {
                    have.version = Some(f.clone());
                }
            }
            let missing: Vec<String> = want.variant.difference(&have.variant).cloned().collect();
            let extra = have.variant.difference(&want.variant).count();
            let newest = Reverse(have.version.clone().unwrap_or_default());
            let distance = want
                .version
                .as_deref()
                .map(|w| version_distance(w, have.version.as_ref()));
            let score: Score = (
                (missing.len(), extra),
                distance.as_ref().map(|(d, _)| *d),
                distro_penalty(want.distro.as_ref(), have.distro.as_ref()),
                distance.map(|(_, tail)| tail).unwrap_or_default(),
                newest,
            );
            if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
                best = Some((score, facts, missing));
            }
        }
    }
    best.map(|(_, facts, missing)| Nearest {
        facts,
        by_version: want.version.is_some(),
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_parts() {
        let p = TagParts::parse("3.12-slim-bookworm");
        assert_eq!(p.version, Some(vec![3, 12]));
        assert_eq!(p.variant, BTreeSet::from(["slim".to_string()]));
        assert_eq!(p.distro.as_deref(), Some("bookworm"));
        let p = TagParts::parse("lts-alpine3.20");
        assert_eq!(p.channel.as_deref(), Some("lts"));
        assert_eq!(p.distro.as_deref(), Some("alpine3.20"));
        assert!(p.variant.contains("alpine"));
        assert_eq!(TagParts::parse("jammy").version, Some(vec![22, 4]));
        assert_eq!(
            TagParts::parse("21.0.12_8-jdk").version,
            Some(vec![21, 0, 12, 8])
        );
        assert_eq!(TagParts::parse("v3.7").version, Some(vec![3, 7]));
    }

}
