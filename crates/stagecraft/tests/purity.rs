//! The core must stay pure: no browser bindings, no IO-heavy crates (ARCHITECTURE.md).

#[test]
fn core_depends_on_no_browser_or_io_crate() {
    let manifest = include_str!("../Cargo.toml");
    let deps = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
    let names: Vec<&str> = deps.lines().filter_map(|l| l.split(['=', '.']).next()).map(str::trim).filter(|n| !n.is_empty()).collect();
    assert!(!names.is_empty(), "no dependencies found: the check would prove nothing");
    for banned in ["wasm-bindgen", "web-sys", "js-sys", "gloo", "reqwest", "tokio", "yew"] {
        assert!(!names.contains(&banned), "crates/stagecraft depends on {banned}");
    }
}
