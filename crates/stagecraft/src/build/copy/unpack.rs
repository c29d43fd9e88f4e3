//! ADD of a local tar archive (plain or compressed), as BuildKit's `applyRootArchive` unpacks
//! it: members land below the destination; their parent directories are made 0755 and
//! root's when the archive does not list them; member paths are followed through symlinks
//! already unpacked, kept inside the destination (an absolute link target means the
//! destination's root, a relative one that climbs out is an error only when a later member
//! goes through it); `--chown` overrides the members' owners.

use crate::archive::{self, ArchiveEntry, ArchiveEntryKind};
use crate::build::copy::tree::{mkdir_all, Copied, Placement};
use crate::vfs::{self, Fs, Node};

/// How many symlinks one member path may go through.
const MAX_LINKS: usize = 255;

/// Unpacks `entries` into the resolved directory `root`.
pub(crate) fn unpack(fs: &mut Fs, root: &str, entries: Vec<ArchiveEntry>, placement: &Placement) -> Result<Copied, String> {
    // MkdirAll(dest, 0755, chown): the archive's own directories carry their own modes.
    let mut root_dir = Node::dir(0o755);
    if let Some((uid, gid)) = placement.owner {
        root_dir.uid = uid;
        root_dir.gid = gid;
    }
    mkdir_all(fs, root, &root_dir)?;
    let mut copied = Copied::default();
    for entry in entries {
        if entry.path.is_empty() {
            continue;
        }
        let is_dir = matches!(entry.kind, ArchiveEntryKind::Dir);
        let rel = resolve_in_root(fs, root, &entry.path, is_dir)?;
        if rel.is_empty() {
            continue;
        }
        let target = vfs::join(root, &rel);
        mkdir_all(fs, vfs::parent(&target), &Node::dir(0o755))?;
        let existing_dir = fs.get(&target).is_some_and(Node::is_dir);
        if fs.exists(&target) && !(existing_dir && is_dir) {
            fs.remove(&target);
        }
        let (uid, gid) = placement.owner.unwrap_or((entry.uid as u32, entry.gid as u32));
        let node = match entry.kind {
            ArchiveEntryKind::File(data) => Node::file(data, entry.mode),
            ArchiveEntryKind::Dir => Node::dir(entry.mode),
            ArchiveEntryKind::Symlink(t) => Node::symlink(&t),
            ArchiveEntryKind::Hardlink(link) => {
                let source = resolve_in_root(fs, root, &link, false)?;
                match fs.get(&vfs::join(root, &source)) {
                    // A hard link becomes a copy: the simulator has no inodes.
                    Some(n) => Node { mode: entry.mode, ..n.clone() },
                    None => return Err(format!("archive hardlink {:?} -> {link:?}: no such member", entry.path)),
                }
            }
            // Devices and FIFOs: not modelled, and nothing Docker images usually ship.
            ArchiveEntryKind::Special(_) => continue,
        };
        let node = Node { uid, gid, ..node };
        if node.is_file() {
            copied.files += 1;
            copied.bytes += node.size();
        }
        if existing_dir && is_dir {
            fs.update(&target, |n| {
                n.uid = node.uid;
                n.gid = node.gid;
                n.mode = node.mode;
            });
        } else {
            fs.write(&target, node, (0, 0));
        }
    }
    Ok(copied)
}

/// BuildKit's `resolveRootPath`: `name` (relative to `root`) with the symlinks on its way
/// followed inside `root`; the leaf is followed only for directories. Relative to `root`.
fn resolve_in_root(fs: &Fs, root: &str, name: &str, follow_leaf: bool) -> Result<String, String> {
    let mut name = vfs::normalize(name).trim_start_matches('/').to_string();
    for _ in 0..MAX_LINKS {
        let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
        let mut resolved: Vec<&str> = Vec::new();
        let mut next: Option<String> = None;
        for (i, part) in parts.iter().enumerate() {
            let candidate = if resolved.is_empty() { part.to_string() } else { format!("{}/{part}", resolved.join("/")) };
            if i == parts.len() - 1 && !follow_leaf {
                resolved.push(part);
                continue;
            }
            match fs.get(&vfs::join(root, &candidate)) {
                None => {
                    resolved.extend_from_slice(&parts[i..]);
                    return Ok(resolved.join("/"));
                }
                Some(Node { kind: vfs::NodeKind::Symlink(target), .. }) => {
                    let base = if target.starts_with('/') {
                        vfs::normalize(target).trim_start_matches('/').to_string()
                    } else {
                        let dir = candidate.rsplit_once('/').map_or("", |(d, _)| d);
                        let joined = crate::pathmatch::go_clean(&if dir.is_empty() { target.clone() } else { format!("{dir}/{target}") });
                        if joined == ".." || joined.starts_with("../") {
                            return Err(format!("archive symlink {candidate:?} points outside extraction root"));
                        }
                        if joined == "." { String::new() } else { joined }
                    };
                    let rest = parts[i + 1..].join("/");
                    next = Some(if rest.is_empty() { base } else { format!("{base}/{rest}") });
                    break;
                }
                Some(_) => resolved.push(part),
            }
        }
        match next {
            Some(n) => name = n.trim_start_matches('/').to_string(),
            None => return Ok(resolved.join("/")),
        }
    }
    Err(format!("too many symlinks resolving archive path {name:?}"))
}

/// The members of `bytes` if it is an archive ADD unpacks; `Ok(None)` when it is not one.
pub(crate) fn archive_entries(bytes: &[u8]) -> Result<Option<Vec<ArchiveEntry>>, String> {
    match archive::detect(bytes) {
        archive::ArchiveKind::NotArchive => Ok(None),
        kind => archive::read_tar(bytes)
            .map(Some)
            .map_err(|e| format!("looks like a {} archive that Docker would unpack, but: {e}", kind.name())),
    }
}
