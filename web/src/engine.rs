//! The bridge to the engine: the simulator is a second wasm module (`web-engine/`, built by
//! `cargo xtask dist` as `stagecraft_engine.js` and `stagecraft_engine_bg.wasm`) that the
//! page loads after its first render, so the first download is the page alone. `index.html`
//! defines `stagecraftEngine()`, which imports the engine relative to the page and starts it;
//! `load` calls it once. Calls are synchronous and carry JSON with the types of
//! `stagecraft::view`; a report stays in the engine, named by the id in its `ReportView`,
//! until the page drops its `Simulated`.

use std::cell::RefCell;
use std::ops::Deref;

use serde::de::DeserializeOwned;
use stagecraft::view::{DiffView, File, Input, LogView, ReportView, Step, TwinView};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// index.html's loader: resolves to the engine's module, started.
    #[wasm_bindgen(js_name = stagecraftEngine, catch)]
    fn start_engine() -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Where the engine stands. Until it is ready the page shows the editor and the context, and
/// says the simulator is loading where the results go.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineStatus {
    Loading,
    Ready,
    Failed(String),
}

impl EngineStatus {
    /// `data-engine` on the page, for tests and styles.
    pub fn as_str(&self) -> &'static str {
        match self {
            EngineStatus::Loading => "loading",
            EngineStatus::Ready => "ready",
            EngineStatus::Failed(_) => "failed",
        }
    }
}

/// Fetches and starts the engine.
pub async fn load() -> EngineStatus {
    let failed = |e: JsValue| {
        let text = crate::browser::error_text(&e);
        EngineStatus::Failed(format!("The simulator could not be loaded ({text}). Reload the page to try again."))
    };
    let module = match start_engine() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    };
    match module {
        Ok(module) => {
            MODULE.with_borrow_mut(|m| *m = Some(module));
            EngineStatus::Ready
        }
        Err(e) => failed(e),
    }
}

fn ready() -> bool {
    MODULE.with_borrow(Option::is_some)
}

/// Calls the engine's export `name`; `None` before it is loaded or if the call threw.
fn call(name: &str, args: impl FnOnce() -> Vec<JsValue>) -> Option<JsValue> {
    MODULE.with_borrow(|module| crate::browser::call_method(module.as_ref()?, name, &args()))
}

fn call_json<T: DeserializeOwned>(name: &str, args: impl FnOnce() -> Vec<JsValue>) -> Option<T> {
    serde_json::from_str(&call(name, args)?.as_string()?).ok()
}

/// A report the engine keeps, as the page sees it; dropping it lets the engine forget it.
#[derive(Debug, Default)]
pub struct Simulated(ReportView);

impl Deref for Simulated {
    type Target = ReportView;
    fn deref(&self) -> &ReportView {
        &self.0
    }
}

impl Drop for Simulated {
    fn drop(&mut self) {
        if self.0.id != 0 && ready() {
            let id = self.0.id;
            call("release", || vec![id.into()]);
        }
    }
}

/// Simulates `input`; `None` until the engine is ready.
pub fn simulate(input: &Input) -> Option<Simulated> {
    let json = serde_json::to_string(input).ok()?;
    call_json("simulate", || vec![json.into()]).map(Simulated)
}

/// The files of a stage of a kept report.
pub fn files(report: &Simulated, stage: usize) -> Vec<File> {
    let id = report.id;
    call_json("files", || vec![id.into(), stage.into()]).unwrap_or_default()
}

pub fn steps(report: &Simulated) -> Vec<Step> {
    let id = report.id;
    call_json("steps", || vec![id.into()]).unwrap_or_default()
}

/// The files right after step `step`.
pub fn step_files(report: &Simulated, step: usize) -> Vec<File> {
    let id = report.id;
    call_json("step_files", || vec![id.into(), step.into()]).unwrap_or_default()
}

pub fn diff(baseline: &Simulated, current: &Simulated) -> Option<DiffView> {
    let (b, c) = (baseline.id, current.id);
    call_json("diff", || vec![b.into(), c.into()])
}

/// The build log of `current`, the cache holding `previous`.
pub fn build_log(previous: &Simulated, current: &Simulated) -> Option<LogView> {
    let (p, c) = (previous.id, current.id);
    call_json("build_log", || vec![p.into(), c.into()])
}

/// The single-stage twin, simulated; the core's reason when there is none.
pub fn twin(report: &Simulated) -> Result<TwinView, String> {
    let id = report.id;
    call_json("twin", || vec![id.into()]).unwrap_or_else(|| Err("The simulator is not ready.".to_string()))
}

/// Hands package data (`provide_debian_index` or `provide_image_packages`) to the engine;
/// what is wrong with it, if anything.
pub fn provide(export: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    match call(export, || vec![array.into()]) {
        Some(problem) => problem.as_string().map_or(Ok(()), Err),
        None => Err("the simulator is not loaded".to_string()),
    }
}
