//! `cargo xtask <command>`: project chores that need more than cargo.

mod catalog;

use std::path::{Path, PathBuf};

const USAGE: &str = "usage: cargo xtask <command>\n\ncommands:\n  catalog   regenerate crates/stagecraft/data/images.json from ../shared/data/base-images";

fn main() -> anyhow::Result<()> {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    match cmd.as_str() {
        "catalog" => catalog::run(&workspace_root()),
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        _ => anyhow::bail!("unknown xtask command {cmd:?}\n\n{USAGE}"),
    }
}

/// The workspace root, wherever cargo was run from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
