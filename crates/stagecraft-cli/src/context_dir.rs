//! Reads a build context directory from disk into the core's `BuildContext`.

use std::path::Path;

use anyhow::Context as _;
use stagecraft::context::{ContextEntry, EntryKind, FileData};
use stagecraft::BuildContext;

/// Files larger than this are passed by size only: the simulator needs their bytes only to
/// show small text files and to unpack archives.
const MAX_CONTENT: u64 = 8 * 1024 * 1024;

pub fn read(dir: &Path) -> anyhow::Result<BuildContext> {
    let mut ctx = BuildContext::new();
    let meta = std::fs::metadata(dir).with_context(|| format!("reading the context directory {}", dir.display()))?;
    anyhow::ensure!(meta.is_dir(), "the context {} is not a directory", dir.display());
    walk(dir, "", &mut ctx)?;
    Ok(ctx)
}

fn walk(dir: &Path, prefix: &str, ctx: &mut BuildContext) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).with_context(|| format!("reading {}", path.display()))?;
        let mode = Some(mode_of(&meta));
        let kind = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).with_context(|| format!("reading link {}", path.display()))?;
            EntryKind::Symlink(target.to_string_lossy().into_owned())
        } else if meta.is_dir() {
            ctx.insert(&rel, ContextEntry { kind: EntryKind::Dir, mode });
            walk(&path, &rel, ctx)?;
            continue;
        } else if meta.len() > MAX_CONTENT {
            EntryKind::File(FileData::SizeOnly(meta.len()))
        } else {
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            EntryKind::File(FileData::Bytes(bytes.into()))
        };
        ctx.insert(&rel, ContextEntry { kind, mode });
    }
    Ok(())
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    if meta.is_dir() { 0o755 } else { 0o644 }
}
