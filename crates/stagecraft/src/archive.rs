//! Local archives for `ADD`: Docker unpacks a source file when its *content* is a tar,
//! possibly compressed (gzip, bzip2, xz, zstd), whatever its name; anything else is copied
//! as a plain file. We unpack plain and gzip-compressed tars in memory (reading a byte
//! slice is not IO) and name the other compressions so the caller can say what it did not
//! unpack.
//!
//! Member names are treated as moby's `archive.Unpack` does: `filepath.Clean`ed, made
//! relative to the destination, and refused when they (or a link) would leave it.

use crate::pathmatch::go_clean;
use std::io::{Cursor, Read};

/// What a file is, by its first bytes (moby's `compression.Detect`, then "does a tar
/// header follow?", as `IsArchivePath` asks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// An uncompressed tar.
    Tar,
    /// A gzip stream that holds a tar.
    Gzip,
    /// bzip2, xz and zstd streams: Docker would unpack them if they hold a tar; we cannot
    /// look inside.
    Bzip2,
    Xz,
    Zstd,
    /// Not an archive (including a gzip of something that is not a tar): `ADD` copies it.
    NotArchive,
}

impl ArchiveKind {
    /// Whether `ADD` unpacks it (for bzip2/xz/zstd: would, if it holds a tar).
    pub fn is_archive(self) -> bool {
        self != ArchiveKind::NotArchive
    }

    /// The compression's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            ArchiveKind::Tar => "tar",
            ArchiveKind::Gzip => "gzip",
            ArchiveKind::Bzip2 => "bzip2",
            ArchiveKind::Xz => "xz",
            ArchiveKind::Zstd => "zstd",
            ArchiveKind::NotArchive => "none",
        }
    }
}

/// One member of an archive, as it would land under the destination directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// Clean relative path. Empty for the archive's own root (`./`): Docker applies that
    /// entry's mode and owner to the destination directory itself.
    pub path: String,
    pub kind: ArchiveEntryKind,
    /// Permission bits with setuid, setgid and sticky (`mode & 0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveEntryKind {
    File(Vec<u8>),
    Dir,
    /// The target exactly as stored (it is resolved when the link is followed).
    Symlink(String),
    /// Another member's clean relative path.
    Hardlink(String),
    /// A device or FIFO (tar type flag `3`, `4` or `6`): Docker creates it with mknod; it
    /// has no content.
    Special(char),
}

/// More than this, unpacked, is refused: a small gzip can claim gigabytes and the
/// simulator may run in a browser tab.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];
const BZIP2_MAGIC: &[u8] = b"BZh";
const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Decides as Docker does, by content: compression magic numbers first (in moby's order:
/// bzip2, gzip, xz, zstd, including zstd's skippable frames), then whether the
/// (decompressed) data starts with a valid tar header.
pub fn detect(bytes: &[u8]) -> ArchiveKind {
    if bytes.starts_with(BZIP2_MAGIC) {
        ArchiveKind::Bzip2
    } else if bytes.starts_with(GZIP_MAGIC) {
        // Only the first header block matters for the decision.
        let mut head = Vec::new();
        let gunzipped = flate2::read::MultiGzDecoder::new(bytes).take(1024).read_to_end(&mut head);
        if gunzipped.is_ok() && starts_with_tar_header(&head) {
            ArchiveKind::Gzip
        } else {
            ArchiveKind::NotArchive
        }
    } else if bytes.starts_with(XZ_MAGIC) {
        ArchiveKind::Xz
    } else if is_zstd(bytes) {
        ArchiveKind::Zstd
    } else if starts_with_tar_header(bytes) {
        ArchiveKind::Tar
    } else {
        ArchiveKind::NotArchive
    }
}

/// A zstd frame, or a skippable frame (magic 0x184D2A50..=0x184D2A5F, little-endian).
fn is_zstd(bytes: &[u8]) -> bool {
    if bytes.starts_with(ZSTD_MAGIC) {
        return true;
    }
    match bytes {
        [a, b, c, d, _, _, _, _, ..] => u32::from_le_bytes([*a, *b, *c, *d]) & 0xffff_fff0 == 0x184d_2a50,
        _ => false,
    }
}

/// Go's `tar.Reader.Next` succeeds: a first member whose header checksum is right.
fn starts_with_tar_header(bytes: &[u8]) -> bool {
    let mut archive = tar::Archive::new(Cursor::new(bytes));
    matches!(archive.entries().map(|mut e| e.next()), Ok(Some(Ok(_))))
}

/// Reads every member of a tar or gzip-compressed tar. Errors are messages for the user:
/// the compressions we do not unpack, data that is not a tar, corrupt or truncated data,
/// and members (or hard-link targets) that would land outside the destination, which Docker
/// refuses.
pub fn read_tar(bytes: &[u8]) -> Result<Vec<ArchiveEntry>, String> {
    read_tar_limited(bytes, MAX_UNPACKED_BYTES)
}

fn read_tar_limited(bytes: &[u8], limit: u64) -> Result<Vec<ArchiveEntry>, String> {
    match detect(bytes) {
        ArchiveKind::Tar => read_members(bytes, limit),
        ArchiveKind::Gzip => {
            let mut tar = Vec::new();
            flate2::read::MultiGzDecoder::new(bytes)
                .take(limit + 1)
                .read_to_end(&mut tar)
                .map_err(|e| format!("corrupt gzip data: {e}"))?;
            if tar.len() as u64 > limit {
                return Err(too_large(limit));
            }
            read_members(&tar, limit)
        }
        kind @ (ArchiveKind::Bzip2 | ArchiveKind::Xz | ArchiveKind::Zstd) => {
            Err(format!("compressed with {}: not unpacked by the simulator", kind.name()))
        }
        ArchiveKind::NotArchive => Err("not a tar archive, so ADD copies it as a plain file".to_string()),
    }
}

fn too_large(limit: u64) -> String {
    format!("unpacks to more than {} MiB, more than the simulator unpacks", limit / (1024 * 1024))
}

fn read_members(tar_bytes: &[u8], limit: u64) -> Result<Vec<ArchiveEntry>, String> {
    let corrupt = |e: std::io::Error| format!("corrupt tar archive: {e}");
    let mut archive = tar::Archive::new(Cursor::new(tar_bytes));
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for entry in archive.entries().map_err(corrupt)? {
        let mut entry = entry.map_err(corrupt)?;
        let header = entry.header();
        let type_flag = header.as_bytes()[156];
        let raw = header.as_bytes();
        let mode = numeric(&raw[100..108], header.mode().map(u64::from)).map_err(corrupt)? as u32 & 0o7777;
        let uid = numeric(&raw[108..116], header.uid()).map_err(corrupt)?;
        let gid = numeric(&raw[116..124], header.gid()).map_err(corrupt)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let link = entry.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned()).unwrap_or_default();
        let path = member_path(&name)?;

        let kind = match type_flag {
            // Old tars mark directories only by a trailing slash on a regular entry.
            b'\0' if name.ends_with('/') => ArchiveEntryKind::Dir,
            b'0' | b'\0' | b'7' | b'S' => {
                let mut data = Vec::new();
                entry.read_to_end(&mut data).map_err(corrupt)?;
                if data.len() as u64 != entry.size() {
                    return Err(format!("corrupt tar archive: {name:?} is cut short"));
                }
                total += data.len() as u64;
                if total > limit {
                    return Err(too_large(limit));
                }
                ArchiveEntryKind::File(data)
            }
            b'5' => ArchiveEntryKind::Dir,
            b'1' => match below_destination(&link) {
                Some(target) if !target.is_empty() => ArchiveEntryKind::Hardlink(target),
                _ => return Err(format!("invalid hardlink {name:?} -> {link:?}: it points outside the destination")),
            },
            // The link text is kept as it is: BuildKit checks where a symlink leads only when a
            // later member is written through it.
            b'2' => ArchiveEntryKind::Symlink(link),
            b'3' | b'4' | b'6' => ArchiveEntryKind::Special(type_flag as char),
            // PAX global headers: Docker ignores them too.
            b'g' => continue,
            other => {
                return Err(format!("{name:?} has tar entry type {:?}, which Docker does not unpack", other as char))
            }
        };
        out.push(ArchiveEntry { path, kind, mode, uid, gid });
    }
    Ok(out)
}

/// Go's tar reader reads an empty numeric field (all NULs or spaces) as 0, where the tar
/// crate reports an error; some writers leave uid and gid empty.
fn numeric(field: &[u8], parsed: std::io::Result<u64>) -> std::io::Result<u64> {
    if field.iter().all(|b| *b == 0 || *b == b' ') {
        Ok(0)
    } else {
        parsed
    }
}

/// moby's rule for member names: `filepath.Clean`, so `/../x` is `/x`, then relative to
/// the destination; a name that still climbs out (`../x`) is refused.
fn member_path(name: &str) -> Result<String, String> {
    let cleaned = go_clean(name);
    below_destination(&cleaned).ok_or_else(|| format!("{name:?} is outside of the destination directory"))
}

/// `filepath.Join(destination, path)` as a path relative to the destination (empty for
/// the destination itself), or `None` when it lands outside.
fn below_destination(path: &str) -> Option<String> {
    let cleaned = go_clean(path.trim_start_matches('/'));
    match cleaned.as_str() {
        "." => Some(String::new()),
        ".." => None,
        c if c.starts_with("../") => None,
        c => Some(c.to_string()),
    }
}

#[cfg(test)]
mod tests;
