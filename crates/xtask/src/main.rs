//! `cargo xtask <command>`: project chores that need more than cargo.
fn main() -> anyhow::Result<()> {
    let cmd = std::env::args().nth(1).unwrap_or_default();
    anyhow::bail!("unknown xtask command {cmd:?}")
}
