//! Turns catalog facts about a base image into what a build starts from: a file tree,
//! an image config, and the size figures with how sure they are.

use crate::build::{BaseInfo, BaseKind};
use crate::diagnostics::Severity;
use crate::image::ImageConfig;
use crate::vfs::Fs;

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
    let mut fs = Fs::new();
    fs.open_layer(layer);
    fs.close_layer();
    BaseImage {
        fs,
        config: ImageConfig::default(),
        info: BaseInfo {
            reference: reference.to_string(),
            resolved: None,
            size_bytes: 0,
            compressed_size_bytes: 0,
            known: false,
            kind: BaseKind::Image,
        },
        note: Some(format!("unknown image {reference}: size not known")),
        note_severity: Severity::Warning,
        note_code: "UnknownBaseImage",
    }
}
