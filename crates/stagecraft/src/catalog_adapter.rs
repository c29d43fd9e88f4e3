//! Turns catalog facts about a base image into what a build starts from: a file tree,
//! an image config, and the size figures with how sure they are.

use crate::build::{BaseInfo, BaseKind};
use crate::catalog::{self, BaseKind as BaseEntryKind, MatchKind};
use crate::diagnostics::Severity;
use crate::image::{default_shell, ImageConfig};
use crate::vfs::{Fs, Node, NodeKind};

pub struct BaseImage {
    pub fs: Fs,
    pub config: ImageConfig,
    pub info: BaseInfo,
    /// What the simulator assumed, if anything, for a diagnostic at the FROM line.
    pub note: Option<String>,
    pub note_severity: Severity,
    pub note_code: &'static str,
}

/// The base image `reference` resolves to, its files tagged with layer `layer`.
pub fn image(reference: &str, layer: u32) -> BaseImage {
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
