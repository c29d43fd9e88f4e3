//! `cargo xtask <command>`: project chores that need more than cargo.
//!
//! - `test`: every test of the project (what CI runs, via `.ci/run`).

mod test;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some(other) => anyhow::bail!("unknown xtask command {other:?}; try: test"),
        None => anyhow::bail!("usage: cargo xtask <test>"),
    }
}

/// The workspace root (xtask lives in crates/xtask).
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap_or_else(|_| ".".into())
}

/// Runs a command in the workspace root, failing on a non-zero exit.
pub fn cmd(program: &str, args: &[&str]) -> anyhow::Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = std::process::Command::new(program).args(args).current_dir(root()).status()?;
    anyhow::ensure!(status.success(), "{program} {} failed with {status}", args.join(" "));
    Ok(())
}
