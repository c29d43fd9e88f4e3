//! `cargo xtask <command>`: project chores that need more than cargo.

mod catalog;
mod debian_index;
mod dist;
mod serve;
mod test;

use std::path::{Path, PathBuf};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test      run every test of the project (what CI runs): cargo tests, the web bundle's
            size budget, browser tests in headless Chromium
  dist      build the playground into dist/ (release wasm), report its size
  serve     build dist/ and serve it on http://127.0.0.1:8080 [--addr HOST:PORT] [--no-build]
  catalog   regenerate crates/stagecraft/data/images.json from ../shared/data/base-images
  debian-index [--lists DIR]
            regenerate crates/stagecraft/data/debian-bookworm-amd64.tsv.gz from apt's lists
            (run `apt-get update` first)";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str).unwrap_or_default() {
        "test" => test::run(&args[1..]),
        "dist" => dist::run(&args[1..]),
        "serve" => serve::run(&args[1..]),
        "catalog" => catalog::run(&workspace_root()),
        "debian-index" => debian_index::run(&workspace_root(), &args[1..]),
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => anyhow::bail!("unknown xtask command {other:?}\n\n{USAGE}"),
    }
}

/// The workspace root, wherever cargo was run from.
/// Gzip with mtime 0 (GzBuilder's default), so the same input gives the same committed bytes.
pub fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut enc = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// Writes generated data file `rel` (under `root`) unless it already holds these bytes;
/// `raw_len` is the uncompressed size, for the message.
pub fn write_if_changed(root: &Path, rel: &str, bytes: &[u8], raw_len: usize) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let out = root.join(rel);
    if std::fs::read(&out).ok().as_deref() == Some(bytes) {
        println!("{rel} is up to date ({} bytes, {raw_len} uncompressed)", bytes.len());
        return Ok(());
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {rel} ({} bytes, {raw_len} uncompressed)", bytes.len());
    Ok(())
}

pub fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Runs a command in the workspace root, failing on a non-zero exit.
pub fn cmd(program: &str, args: &[&str]) -> anyhow::Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = std::process::Command::new(program).args(args).current_dir(workspace_root()).status()?;
    anyhow::ensure!(status.success(), "{program} {} failed with {status}", args.join(" "));
    Ok(())
}
