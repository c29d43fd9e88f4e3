//! `cargo xtask test`: unit, data-driven and conformance tests of every crate.

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    let shared = crate::workspace_root().join("../shared");
    anyhow::ensure!(
        shared.join("corpus").is_dir(),
        "the conformance data is missing: expected ../shared/corpus beside the repository ({})",
        shared.display()
    );
    crate::cmd("cargo", &["test", "--workspace", "--all-targets", "--locked"])?;
    // Doc tests are not part of --all-targets.
    crate::cmd("cargo", &["test", "--workspace", "--doc", "--locked"])?;
    Ok(())
}
