//! `cargo xtask dist`: builds the playground into `dist/`, a static site that works from any
//! path (relative asset URLs, no server-side routing).
//!
//! Steps: the wasm32 target (installed with rustup if missing), a release build with the
//! `wasm-release` profile of the page's two wasm modules, wasm-bindgen as a library
//! (`wasm-bindgen-cli-support`, pinned to the `wasm-bindgen` in Cargo.lock) on each, then the
//! static files from `web/`. Nothing is downloaded besides the rustup target and crates.
//!
//! The two modules: the page (`web/`, the first download) and the engine (`web-engine/`, the
//! simulator, which the page fetches after its first render). Both are measured; the budget
//! that matters to a visitor is the first download's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{ensure, Context, Result};

/// A wasm module of the site: its crate, the file cargo writes, the name of wasm-bindgen's files.
struct Module {
    krate: &'static str,
    wasm_file: &'static str,
    out_name: &'static str,
}

/// The page: Yew, the editor, the panels. In the first download.
const UI: Module = Module { krate: "stagecraft-web", wasm_file: "stagecraft-web.wasm", out_name: "stagecraft_web" };
/// The simulator, behind a thin wasm-bindgen API; fetched after the first render by
/// `index.html`'s `stagecraftEngine()` under these names.
const ENGINE: Module =
    Module { krate: "stagecraft-engine", wasm_file: "stagecraft_engine.wasm", out_name: "stagecraft_engine" };
const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
/// The files copied from `web/`; the stylesheet without its comments and spare whitespace.
const STATIC_FILES: &[&str] = &["index.html", "style.css"];
/// The core's package data, copied into `dist/data/`: the page fetches it after its first
/// render (`web/src/package_data.rs`), so it is not part of the first download.
pub const DATA_DIR: &str = "data";
pub const DATA_FILES: &[&str] = &["debian-bookworm-amd64.tsv.gz", "image-packages.tsv.gz"];

/// The first download (html + the page's js and wasm + css), gzipped, must stay under this;
/// the issue asks for at most 300 KB. History: 430 KB when the playground landed (396 KB
/// measured), then the shell model (brush-parser), the OS-package and language models, the
/// build checks, build log, cache, step-through, diff and twin took one module to 741,982
/// bytes, with the package data already out of it (`dist/data/`, fetched later). The page
/// was then split in two modules: the page alone (Yew, the panels, serde_json for the view
/// types of `stagecraft::view`) is the first download, 270,161 bytes measured, under the
/// issue's 300 KB at last; the simulator is the engine module below, fetched after the first
/// render. Keep simulator code out of the page (`check_split` fails the build if it links
/// any): what the page needs to know of a build comes from the engine as view types.
pub const BUDGET_GZIP_BYTES: u64 = 300_000;

/// The engine module (its js and wasm), gzipped: fetched after the first render, so it
/// delays the first result, not the page. Measured 593,333 bytes when the split landed; set
/// about 3 % above so growth of the simulator is seen and its cost decided, not drifted
/// into (the next savings: the language-package table and the check explanations as data).
pub const ENGINE_BUDGET_GZIP_BYTES: u64 = 612_000;

pub fn run(_args: &[String]) -> Result<()> {
    let sizes = build()?;
    println!("{}", sizes.table());
    check_budget(&sizes)
}

/// Builds `dist/` and returns the sizes of what a browser downloads.
pub fn build() -> Result<Sizes> {
    let root = crate::workspace_root();
    let started = Instant::now();
    ensure_wasm_target()?;
    crate::cmd(
        "cargo",
        &["build", "--package", UI.krate, "--package", ENGINE.krate, "--target", TARGET, "--profile", PROFILE, "--locked"],
    )?;
    let out = target_dir()?.join(TARGET).join(PROFILE);
    let read = |m: &Module| std::fs::read(out.join(m.wasm_file)).with_context(|| format!("reading {}", m.wasm_file));
    check_split(&read(&UI)?, &read(&ENGINE)?)?;
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("clearing {}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist)?;
    for module in [UI, ENGINE] {
        let wasm = out.join(module.wasm_file);
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .out_name(module.out_name)
            .web(true)?
            .typescript(false)
            .remove_name_section(true)
            .remove_producers_section(true)
            .generate(&dist)
            .with_context(|| format!("running wasm-bindgen on {}", wasm.display()))?;
        let glue = dist.join(format!("{}.js", module.out_name));
        let js = std::fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
        std::fs::write(&glue, trim_js(&js)).with_context(|| format!("writing {}", glue.display()))?;
    }
    for file in STATIC_FILES {
        let from = root.join("web").join(file);
        let text = std::fs::read_to_string(&from).with_context(|| format!("reading {}", from.display()))?;
        let text = if file.ends_with(".css") { minify_css(&text) } else { text };
        std::fs::write(dist.join(file), text).with_context(|| format!("writing {file} in {}", dist.display()))?;
    }
    std::fs::create_dir_all(dist.join(DATA_DIR))?;
    for file in DATA_FILES {
        let from = root.join("crates/stagecraft/data").join(file);
        std::fs::copy(&from, dist.join(DATA_DIR).join(file)).with_context(|| format!("copying {}", from.display()))?;
    }
    eprintln!("dist/ built in {:.1} s", started.elapsed().as_secs_f64());
    Sizes::of(&dist)
}

fn ensure_wasm_target() -> Result<()> {
    let out = std::process::Command::new("rustup").args(["target", "list", "--installed"]).output();
    match out {
        Ok(out) if out.status.success() => {
            if !String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == TARGET) {
                crate::cmd("rustup", &["target", "add", TARGET])?;
            }
            Ok(())
        }
        // Without rustup the toolchain must already have the target; cargo will say if not.
        _ => Ok(()),
    }
}

/// Cargo's target directory, wherever CARGO_TARGET_DIR or a config puts it.
fn target_dir() -> Result<PathBuf> {
    let out = std::process::Command::new("cargo")
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(crate::workspace_root())
        .output()
        .context("running cargo metadata")?;
    ensure!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let dir = meta["target_directory"].as_str().context("cargo metadata gave no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// Raw and gzipped sizes of each file of the site: the first download (the top level of
/// `dist/` but the engine), the engine module, and the package data (`dist/data/`), both
/// fetched after the first render.
pub struct Sizes {
    pub files: Vec<(String, u64, u64)>,
    pub engine: Vec<(String, u64, u64)>,
    pub later: Vec<(String, u64, u64)>,
}

impl Sizes {
    pub fn of(dist: &Path) -> Result<Sizes> {
        let later_dir = dist.join(DATA_DIR);
        let later = if later_dir.is_dir() { files_in(&later_dir, &format!("{DATA_DIR}/"))? } else { Vec::new() };
        let (engine, files) = files_in(dist, "")?.into_iter().partition(|f| f.0.starts_with(ENGINE.out_name));
        Ok(Sizes { files, engine, later })
    }
    /// The first download, gzipped.
    pub fn total_gzip(&self) -> u64 {
        self.files.iter().map(|f| f.2).sum()
    }
    pub fn total_raw(&self) -> u64 {
        self.files.iter().map(|f| f.1).sum()
    }
    pub fn engine_gzip(&self) -> u64 {
        self.engine.iter().map(|f| f.2).sum()
    }
    pub fn table(&self) -> String {
        let mut out = String::from("file                                raw bytes   gzipped\n");
        let sum = |files: &[(String, u64, u64)]| (files.iter().map(|f| f.1).sum::<u64>(), files.iter().map(|f| f.2).sum::<u64>());
        for (name, raw, gz) in &self.files {
            out.push_str(&format!("{name:<34} {raw:>10} {gz:>9}\n"));
        }
        out.push_str(&format!(
            "{:<34} {:>10} {:>9}  (budget {} gzipped)\n",
            "first download",
            self.total_raw(),
            self.total_gzip(),
            BUDGET_GZIP_BYTES
        ));
        for (name, raw, gz) in &self.engine {
            out.push_str(&format!("{name:<34} {raw:>10} {gz:>9}  (fetched after the first render)\n"));
        }
        let (raw, gz) = sum(&self.engine);
        out.push_str(&format!("{:<34} {raw:>10} {gz:>9}  (budget {ENGINE_BUDGET_GZIP_BYTES} gzipped)\n", "engine module"));
        out.push_str(&format!(
            "{:<34} {:>10} {:>9}  (page and engine)",
            "total",
            self.total_raw() + raw,
            self.total_gzip() + gz
        ));
        for (name, raw, gz) in &self.later {
            out.push_str(&format!("\n{name:<34} {raw:>10} {gz:>9}  (package data, fetched once the engine is in)"));
        }
        out
    }
}

/// The files directly in `dir` (not in its subfolders), sorted, each named `prefix` + name.
fn files_in(dir: &Path, prefix: &str) -> Result<Vec<(String, u64, u64)>> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if !entry.file_type()?.is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        files.push((format!("{prefix}{}", entry.file_name().to_string_lossy()), bytes.len() as u64, gzip_len(&bytes)?));
    }
    Ok(files)
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len() as u64)
}

pub fn check_budget(sizes: &Sizes) -> Result<()> {
    ensure!(
        sizes.total_gzip() <= BUDGET_GZIP_BYTES,
        "the first download is {} bytes gzipped, over the budget of {BUDGET_GZIP_BYTES}: \
         find what grew (`twiggy top` on target/{TARGET}/{PROFILE}/{} helps; simulator code belongs in the engine module)",
        sizes.total_gzip(),
        UI.wasm_file
    );
    ensure!(
        sizes.engine.iter().any(|f| f.0.ends_with(".wasm")),
        "dist/ has no engine module ({}_bg.wasm)",
        ENGINE.out_name
    );
    ensure!(
        sizes.engine_gzip() <= ENGINE_BUDGET_GZIP_BYTES,
        "the engine module is {} bytes gzipped, over its budget of {ENGINE_BUDGET_GZIP_BYTES}: \
         find what grew (`twiggy top` on target/{TARGET}/{PROFILE}/{}) or raise the budget in crates/xtask/src/dist.rs with a reason",
        sizes.engine_gzip(),
        ENGINE.wasm_file
    );
    Ok(())
}

/// Code of the simulator, by (mangled) names in the modules cargo writes (their name section
/// is still there; wasm-bindgen drops it later): the shell model's parser, the shell model,
/// the build, the Dockerfile parser.
const SIMULATOR_MARKERS: &[&str] = &["brush_parser", "10stagecraft5shell", "10stagecraft5build", "16parse_dockerfile"];

/// The page's module links none of the simulator (it only renders `stagecraft::view` types
/// and calls the engine); the engine links all of it (else the markers no longer name it).
fn check_split(ui: &[u8], engine: &[u8]) -> Result<()> {
    let has = |wasm: &[u8], marker: &str| wasm.windows(marker.len()).any(|w| w == marker.as_bytes());
    let leaked: Vec<&str> = SIMULATOR_MARKERS.iter().copied().filter(|m| has(ui, m)).collect();
    ensure!(
        leaked.is_empty(),
        "the page's module ({}) links simulator code ({}): web/ must reach the simulator through the engine \
         (web/src/engine.rs), not call it; `twiggy paths` on the .wasm shows what pulls it in",
        UI.wasm_file,
        leaked.join(", ")
    );
    let missing: Vec<&str> = SIMULATOR_MARKERS.iter().copied().filter(|m| !has(engine, m)).collect();
    ensure!(
        missing.is_empty(),
        "the engine module ({}) has no {}: update SIMULATOR_MARKERS in crates/xtask/src/dist.rs",
        ENGINE.wasm_file,
        missing.join(", ")
    );
    Ok(())
}

/// Drops comments and the whitespace CSS does not need (runs of it become one space, and
/// none is left beside `{ } ; ,`), leaving quoted strings as they are. About 0.5 KB of the
/// first download, gzipped.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                if space && !out.is_empty() && !out.ends_with(['{', '}', ';', ',']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                let tight = matches!(c, '{' | '}' | ';' | ',') || out.ends_with(['{', '}', ';', ',']) || out.is_empty();
                if space && !tight {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// wasm-bindgen's glue without indentation and whole-line `//` comments (about 1 KB of the
/// first download, gzipped). Only when no template literal spans lines (every line has an
/// even number of backticks), so no string's text can change; else the glue as it is.
fn trim_js(js: &str) -> String {
    if js.lines().any(|l| l.matches('`').count() % 2 == 1) {
        return js.to_string();
    }
    let mut out = String::with_capacity(js.len());
    for line in js.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn glue_loses_indentation_and_comment_lines_unless_a_template_spans_lines() {
        let js = "function f() {\n    // why\n    return `${a}`; // kept\n}\n";
        assert_eq!(super::trim_js(js), "function f() {\nreturn `${a}`; // kept\n}\n");
        let multi = "const s = `a\n    // not a comment\n`;\n";
        assert_eq!(super::trim_js(multi), multi);
    }

    #[test]
    fn css_loses_comments_and_spare_whitespace_but_not_strings() {
        let css = "/* a comment */\n.a .b > c:hover,\n.d {\n  content: \" · x;  y \";\n  width: calc(1px + 2em);\n}\n@media (max-width: 10px) { .e { color: red; } }\n";
        assert_eq!(
            super::minify_css(css),
            ".a .b > c:hover,.d{content: \" · x;  y \";width: calc(1px + 2em);}@media (max-width: 10px){.e{color: red;}}"
        );
    }

    /// wasm-bindgen's generated glue must match the runtime crate exactly, or the page fails to load.
    #[test]
    fn bindgen_matches_lock() {
        let lock = std::fs::read_to_string(crate::workspace_root().join("Cargo.lock")).unwrap();
        let version_of = |name: &str| {
            let header = format!("name = \"{name}\"\nversion = \"");
            let start = lock.find(&header).unwrap_or_else(|| panic!("{name} not in Cargo.lock")) + header.len();
            lock[start..].split('"').next().unwrap().to_string()
        };
        assert_eq!(version_of("wasm-bindgen"), version_of("wasm-bindgen-cli-support"));
    }

    #[test]
    fn the_split_check_finds_simulator_code_in_the_page() {
        let engine = super::SIMULATOR_MARKERS.join(" ").into_bytes();
        assert!(super::check_split(b"yew only", &engine).is_ok());
        let err = super::check_split(b"..._ZN12brush_parser5parse...", &engine).unwrap_err();
        assert!(err.to_string().contains("brush_parser"), "{err}");
        assert!(super::check_split(b"yew", b"no simulator").is_err());
    }

    /// The page loads the engine under the names `dist` writes, and calls only what it exports.
    #[test]
    fn the_page_loads_the_engine_and_calls_its_exports() {
        let root = crate::workspace_root();
        let html = std::fs::read_to_string(root.join("web/index.html")).unwrap();
        for file in [format!("./{}.js", super::ENGINE.out_name), format!("./{}_bg.wasm", super::ENGINE.out_name)] {
            assert!(html.contains(&format!("\"{file}\"")), "web/index.html does not load {file}");
        }
        let bridge = std::fs::read_to_string(root.join("web/src/engine.rs")).unwrap();
        let engine = std::fs::read_to_string(root.join("web-engine/src/lib.rs")).unwrap();
        let called: Vec<&str> = ["call_json(\"", "call(\""]
            .into_iter()
            .flat_map(|call| bridge.split(call).skip(1))
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(called.len() >= 7, "{called:?}");
        let data = std::fs::read_to_string(root.join("web/src/package_data.rs")).unwrap();
        let provided = ["provide_debian_index", "provide_image_packages"];
        for name in called.into_iter().chain(provided) {
            assert!(engine.contains(&format!("pub fn {name}(")), "the page calls `{name}`, which web-engine does not export");
        }
        for name in provided {
            assert!(data.contains(&format!("\"{name}\"")), "web/src/package_data.rs does not hand over {name}");
        }
    }

    /// The page fetches the data files `dist` copies, under the same names.
    #[test]
    fn the_page_fetches_the_copied_data_files() {
        let root = crate::workspace_root();
        let web = std::fs::read_to_string(root.join("web/src/package_data.rs")).unwrap();
        for file in super::DATA_FILES {
            assert!(root.join("crates/stagecraft/data").join(file).is_file(), "{file}");
            assert!(web.contains(&format!("\"{}/{file}\"", super::DATA_DIR)), "web/src/package_data.rs does not fetch {file}");
        }
    }
}
