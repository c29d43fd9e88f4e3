//! Effects a user states for a RUN in a comment directly above it, for commands the
//! simulator has no model for:
//!
//! ```dockerfile
//! # stagecraft: adds /opt/tool 120MB
//! # stagecraft: adds file /usr/local/bin/tool 12MB
//! # stagecraft: removes /tmp/build
//! RUN ./install-tool.sh
//! ```
//!
//! `adds PATH SIZE` makes PATH a directory holding SIZE bytes (contents not listed),
//! `adds file PATH SIZE` a file of that size, `removes PATH` deletes it. Relative paths are
//! taken from the WORKDIR. Sizes: a number with `B`, `kB`, `MB`, `GB` (powers of 1000) or
//! `KiB`, `MiB`, `GiB`. The effects apply after the command ran, in the same layer, and
//! replace the "no model" notes of that RUN.

use crate::vfs::{self, Fs, Node, NodeKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    AddsDir { path: String, bytes: u64 },
    AddsFile { path: String, bytes: u64 },
    Removes { path: String },
}

/// One directive line: its text and what it says (or why it could not be read).
pub(crate) type Stated = (String, Result<Effect, String>);

/// The `# stagecraft:` lines in the comment block right above the byte offset `start`.
pub(crate) fn directives_above(source: &str, start: usize) -> Vec<Stated> {
    let before = source.get(..start).unwrap_or("");
    let mut lines: Vec<&str> = before.lines().collect();
    // The instruction's own line (its start may not be at a line start).
    if !before.ends_with('\n') {
        lines.pop();
    }
    let mut out = Vec::new();
    for line in lines.iter().rev() {
        let t = line.trim();
        let Some(comment) = t.strip_prefix('#') else { break };
        if let Some(rest) = comment.trim().strip_prefix("stagecraft:") {
            out.push((t.to_string(), parse(rest.trim())));
        }
    }
    out.reverse();
    out
}

fn parse(text: &str) -> Result<Effect, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["adds", "file", path, n, unit] if n.parse::<f64>().is_ok() => Ok(Effect::AddsFile { path: path.to_string(), bytes: size_bytes(&format!("{n}{unit}"))? }),
        ["adds", "file", path, size] => Ok(Effect::AddsFile { path: path.to_string(), bytes: size_bytes(size)? }),
        ["adds", path, size] => Ok(Effect::AddsDir { path: path.to_string(), bytes: size_bytes(size)? }),
        ["adds", path, n, unit] if n.parse::<f64>().is_ok() => Ok(Effect::AddsDir { path: path.to_string(), bytes: size_bytes(&format!("{n}{unit}"))? }),
        ["removes", path] => Ok(Effect::Removes { path: path.to_string() }),
        _ => Err(format!("expected `adds PATH SIZE`, `adds file PATH SIZE` or `removes PATH`, found `{text}`")),
    }
}

fn size_bytes(text: &str) -> Result<u64, String> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("`{text}` is not a size (a number and a unit, like 120MB)"))?;
    let mult = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(format!("unknown unit in `{text}`: use B, kB, MB, GB, KiB, MiB or GiB")),
    };
    Ok((n * mult) as u64)
}

/// Applies one effect to the stage's filesystem (a layer is open).
pub(crate) fn apply(fs: &mut Fs, workdir: &str, effect: &Effect, owner: (u32, u32)) {
    match effect {
        Effect::AddsDir { path, bytes } => {
            let p = vfs::join(workdir, path);
            let mut node = Node::dir(0o755);
            node.kind = NodeKind::Dir { summary_bytes: *bytes };
            (node.uid, node.gid) = owner;
            fs.write(&p, node, owner);
        }
        Effect::AddsFile { path, bytes } => {
            let p = vfs::join(workdir, path);
            let mut node = Node::sized_file(*bytes, 0o755);
            (node.uid, node.gid) = owner;
            fs.write(&p, node, owner);
        }
        Effect::Removes { path } => {
            fs.remove(&vfs::join(workdir, path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse() {
        let src = "FROM x\n# a comment\n# stagecraft: adds /opt/tool 120MB\n#stagecraft: adds file bin/t 1.5 MiB\n# stagecraft: removes /tmp\n# stagecraft: adds /x lots\nRUN ./install\n";
        let start = src.find("RUN").unwrap_or(0);
        let got: Vec<Result<Effect, String>> = directives_above(src, start).into_iter().map(|(_, e)| e).collect();
        assert_eq!(
            got,
            vec![
                Ok(Effect::AddsDir { path: "/opt/tool".into(), bytes: 120_000_000 }),
                Ok(Effect::AddsFile { path: "bin/t".into(), bytes: 1_572_864 }),
                Ok(Effect::Removes { path: "/tmp".into() }),
                Err("`lots` is not a size (a number and a unit, like 120MB)".into()),
            ]
        );
        // A blank line ends the comment block.
        let src = "# stagecraft: adds /a 1MB\n\nRUN x\n";
        assert!(directives_above(src, src.find("RUN").unwrap_or(0)).is_empty());
    }
}
