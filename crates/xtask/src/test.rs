//! `cargo xtask test`: unit, data-driven and conformance tests of every crate, then the
//! playground: its size budget and browser tests in headless Chromium.

use std::path::Path;

use anyhow::{ensure, Context, Result};

/// Where the browser tests and their Node packages live.
const BROWSER_TESTS: &str = "tests/browser";
const CHROMIUM: &str = "/usr/bin/chromium";

pub fn run(args: &[String]) -> Result<()> {
    let root = crate::workspace_root();
    let shared = root.join("../shared");
    ensure!(
        shared.join("corpus").is_dir(),
        "the conformance data is missing: expected ../shared/corpus beside the repository ({})",
        shared.display()
    );
    let browser_only = args.iter().any(|a| a == "--browser-only");
    if !browser_only {
        crate::cmd("cargo", &["test", "--workspace", "--all-targets", "--locked"])?;
        // Doc tests are not part of --all-targets.
        crate::cmd("cargo", &["test", "--workspace", "--doc", "--locked"])?;
    }
    let sizes = crate::dist::build()?;
    println!("{}", sizes.table());
    crate::dist::check_budget(&sizes)?;
    browser_tests(&root)
}

fn browser_tests(root: &Path) -> Result<()> {
    ensure!(
        Path::new(CHROMIUM).is_file(),
        "the browser tests need Debian's chromium at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does it)"
    );
    let dir = root.join(BROWSER_TESTS);
    if !dir.join("node_modules").is_dir() {
        cmd_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    let url = crate::serve::spawn(root.join("dist"))?;
    eprintln!("$ node --test (site served at {url})");
    let status = std::process::Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .current_dir(&dir)
        .env("STAGECRAFT_URL", &url)
        .env("STAGECRAFT_ARTIFACTS", root.join("tests/artifacts"))
        .env("STAGECRAFT_CORPUS", root.join("../shared/corpus/real-world"))
        .status()
        .context("running node (the browser tests need Node.js 20 or later)")?;
    ensure!(status.success(), "browser tests failed ({status})");
    Ok(())
}

fn cmd_in(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    eprintln!("$ (cd {}) {program} {}", dir.display(), args.join(" "));
    let status = std::process::Command::new(program).args(args).current_dir(dir).status()?;
    ensure!(status.success(), "{program} {} failed with {status}", args.join(" "));
    Ok(())
}
