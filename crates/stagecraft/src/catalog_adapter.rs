//! Turns catalog facts about a base image into what a build starts from: a file tree,
//! an image config, and the size figures with how sure they are.

use crate::build::{BaseInfo, BaseKind};
use crate::catalog::{self, BaseKind as BaseEntryKind, MatchKind};
use crate::diagnostics::Severity;
use crate::image::{default_shell, ImageConfig};
use crate::vfs::{Fs, Node, NodeKind};

#[derive(Clone)]
pub struct BaseImage {
    pub fs: Fs,
    pub config: ImageConfig,
    pub info: BaseInfo,
    /// What the simulator assumed, if anything, for a diagnostic at the FROM line.
    pub note: Option<String>,
    pub note_severity: Severity,
    pub note_code: &'static str,
}

/// The layer id a base image's files carry; the builder gives the base layer this id too.
pub const BASE_LAYER: u32 = 0;

/// Built base images by reference: the same reference always builds the same tree, and
/// building it (the catalog's filesystem, the package database) is the costliest step of a
/// typical simulation. Bounded, since an editor sees every prefix of a name being typed.
static CACHE: std::sync::Mutex<Option<std::collections::HashMap<(String, bool), BaseImage>>> = std::sync::Mutex::new(None);
const CACHE_ENTRIES: usize = 256;

/// The base image `reference` resolves to, its files tagged with `BASE_LAYER`.
pub fn image(reference: &str) -> BaseImage {
    // The package lists may arrive later (the web app loads them lazily): key on them too.
    let key = (reference.to_string(), crate::ospkg::image_packages().is_some());
    if let Ok(mut guard) = CACHE.lock() {
        let cache = guard.get_or_insert_with(Default::default);
        if let Some(hit) = cache.get(&key) {
            return hit.clone();
        }
        let built = build_image(reference);
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, built.clone());
        return built;
    }
    build_image(reference)
}

fn build_image(reference: &str) -> BaseImage {
    let layer = BASE_LAYER;
    let catalog = catalog::builtin();
    let resolved = catalog.resolve(reference);
    let facts = &resolved.facts;

    let mut fs = Fs::new();
    fs.open_layer(layer);
    for entry in catalog.filesystem(facts) {
        let kind = match entry.kind {
            BaseEntryKind::Dir { summary_bytes } => NodeKind::Dir { summary_bytes },
            BaseEntryKind::File { size, content } => {
                NodeKind::File { size, content: content.map(|c| c.into_bytes().into()) }
            }
            BaseEntryKind::Symlink(t) => NodeKind::Symlink(t),
        };
        let node = Node { kind, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer };
        fs.write(&entry.path, node, (0, 0));
    }
    crate::ospkg::base::seed(&mut fs, facts);
    fs.close_layer();

    let c = &facts.config;
    let config = ImageConfig {
        env: c.env.clone(),
        entrypoint: c.entrypoint.clone(),
        cmd: c.cmd.clone(),
        workdir: c.workdir.clone().unwrap_or_else(|| "/".to_string()),
        user: c.user.clone().unwrap_or_default(),
        exposed_ports: c.exposed_ports.iter().cloned().collect(),
        labels: c.labels.clone(),
        volumes: c.volumes.iter().cloned().collect(),
        healthcheck: None,
        stopsignal: c.stopsignal.clone(),
        shell: c.shell.clone().unwrap_or_else(default_shell),
        onbuild: Vec::new(),
    };
    let (note_severity, note_code) = match resolved.kind {
        MatchKind::Estimated => (Severity::Warning, "UnknownBaseImage"),
        MatchKind::Nearest => (Severity::Info, "BaseImageNearestTag"),
        MatchKind::Exact => (Severity::Info, "BaseImageDigest"),
    };
    let info = BaseInfo {
        reference: reference.to_string(),
        resolved: (resolved.kind != MatchKind::Exact || facts.reference() != reference).then(|| facts.reference()),
        size_bytes: facts.size_bytes,
        compressed_size_bytes: facts.compressed_size_bytes,
        known: resolved.known(),
        kind: BaseKind::Image,
    };
    BaseImage { fs, config, info, note: resolved.message.clone(), note_severity, note_code }
}
