//! The state a stage starts from: `scratch`, a catalog image, or an earlier stage.

use crate::build::{BuildOutput, Ctx, LayerRecord, StageState};
use crate::image::ImageConfig;
use crate::plan::{Base, StagePlan};
use crate::vfs::Fs;

/// What a stage's base was, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseInfo {
    /// The reference as written after expansion (`alpine:3.20`), `scratch`, or the stage label.
    pub reference: String,
    /// The catalog entry used (`alpine:3.20.3`), when it differs from the reference.
    pub resolved: Option<String>,
    pub size_bytes: u64,
    pub compressed_size_bytes: u64,
    /// The size comes from real data, not an estimate.
    pub known: bool,
    pub kind: BaseKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseKind {
    Scratch,
    Image,
    Stage(usize),
}

pub(crate) fn initial_state(ctx: &mut Ctx<'_>, stage: &StagePlan, done: &BuildOutput) -> StageState {
    let empty = |base: BaseInfo| StageState {
        index: stage.index,
        fs: Fs::new(),
        config: ImageConfig::default(),
        scope_args: Default::default(),
        layers: Vec::new(),
        base,
        steps: Vec::new(),
        failed: false,
        uncertain: false,
        onbuild: Vec::new(),
        cmd_inherited: false,
        op: Default::default(),
    };
    match &stage.base {
        Base::Scratch => empty(BaseInfo {
            reference: "scratch".into(),
            resolved: None,
            size_bytes: 0,
            compressed_size_bytes: 0,
            known: true,
            kind: BaseKind::Scratch,
        }),
        Base::Stage(parent) => match done.stages.get(*parent).and_then(Option::as_ref) {
            Some(p) => StageState {
                index: stage.index,
                fs: p.fs.clone(),
                config: p.config.clone(),
                scope_args: p.args.clone(),
                layers: p.layers.clone(),
                // The image's base is the parent's base image: a stage is not an image of its own.
                base: p.base.clone(),
                steps: Vec::new(),
                failed: false,
                uncertain: p.uncertain,
                onbuild: p.onbuild.clone(),
                cmd_inherited: p.config.cmd.is_some(),
                op: Default::default(),
            },
            None => empty(BaseInfo {
                reference: ctx.plan.stages[*parent].label(),
                resolved: None,
                size_bytes: 0,
                compressed_size_bytes: 0,
                known: false,
                kind: BaseKind::Stage(*parent),
            }),
        },
        Base::Image(reference) => {
            let id = crate::catalog_adapter::BASE_LAYER;
            let image = crate::catalog_adapter::image(reference);
            if let Some(note) = &image.note {
                ctx.diags.push(image.note_severity, image.note_code, stage.base_span, note.clone());
            }
            let mut state = empty(image.info.clone());
            state.fs = image.fs;
            // An image the catalog does not know has guessed files: nothing about them is certain.
            state.uncertain = !image.info.known;
            state.config = image.config;
            state.cmd_inherited = state.config.cmd.is_some();
            state.layers.push(LayerRecord {
                id,
                stage: stage.index,
                instruction: stage.from_instruction,
                text: ctx.one_line(&ctx.dockerfile.instructions[stage.from_instruction]),
                line: ctx.line_of(&ctx.dockerfile.instructions[stage.from_instruction]),
                size_bytes: image.info.size_bytes,
                compressed_bytes: image.info.compressed_size_bytes,
                is_base: true,
                // The base image's files, so a later deletion of one counts as wasted.
                written: state.fs.iter().map(|(p, n)| (p.to_string(), n.size())).collect(),
                whiteouts: Vec::new(),
            });
            state
        }
    }
}
