//! The playground's engine: the simulator as a second wasm module, which the page (`web/`)
//! loads after its first render. It keeps the reports it made, by id, so the page's later
//! questions about one (its files, steps, diff, build log, twin) need no new simulation, and
//! answers in JSON with the types of `stagecraft::view`. Synchronous calls: a keystroke's
//! simulation takes milliseconds, and the page stays as it was before the split.
//!
//! No logic of its own besides keeping the reports: everything is `stagecraft::view`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use stagecraft::view::{self, Input};
use stagecraft::Report;
use wasm_bindgen::prelude::*;

/// A report and what it was made from (the twin and the log need the input again).
struct Kept {
    input: Input,
    report: Report,
}

/// The reports the page holds: it releases each when it drops its view. A page that forgot
/// to would only keep the last `MAX_KEPT`.
#[derive(Default)]
struct Engine {
    next: u32,
    kept: BTreeMap<u32, Kept>,
}

const MAX_KEPT: usize = 64;

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::default();
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// Simulates the `stagecraft::view::Input` in `input` (JSON) and returns its
/// `stagecraft::view::ReportView`, whose `id` names the report for the calls below.
#[wasm_bindgen]
pub fn simulate(input: &str) -> Result<String, JsError> {
    let input: Input = serde_json::from_str(input).map_err(|e| JsError::new(&format!("a bad simulation input: {e}")))?;
    Ok(ENGINE.with_borrow_mut(|engine| {
        let context = input.context();
        let report = input.simulate(&context);
        engine.next = engine.next.wrapping_add(1).max(1);
        let id = engine.next;
        let mut out = view::report(&report, &input.dockerfile);
        out.id = id;
        engine.kept.insert(id, Kept { input, report });
        while engine.kept.len() > MAX_KEPT {
            engine.kept.pop_first();
        }
        json(&out)
    }))
}

/// The page no longer needs report `id`.
#[wasm_bindgen]
pub fn release(id: u32) {
    ENGINE.with_borrow_mut(|engine| engine.kept.remove(&id));
}

fn with<T: serde::Serialize>(ids: &[u32], f: impl FnOnce(&[&Kept]) -> T) -> String {
    ENGINE.with_borrow(|engine| {
        let kept: Option<Vec<&Kept>> = ids.iter().map(|id| engine.kept.get(id)).collect();
        match kept {
            Some(kept) => json(&f(&kept)),
            None => "null".to_string(),
        }
    })
}

/// The files of stage `stage` of report `id` (`null` for a report no longer kept).
#[wasm_bindgen]
pub fn files(id: u32, stage: usize) -> String {
    with(&[id], |k| view::files(&k[0].report, stage))
}

/// Every step of the build of report `id`.
#[wasm_bindgen]
pub fn steps(id: u32) -> String {
    with(&[id], |k| view::steps(&k[0].report, &k[0].input.dockerfile))
}

/// The files right after step `step` of report `id`.
#[wasm_bindgen]
pub fn step_files(id: u32, step: usize) -> String {
    with(&[id], |k| view::step_files(&k[0].report, step))
}

/// How report `current` differs from report `baseline`.
#[wasm_bindgen]
pub fn diff(baseline: u32, current: u32) -> String {
    with(&[baseline, current], |k| view::diff(&k[0].report, &k[1].report))
}

/// The build log of report `current` with the cache holding report `previous`.
#[wasm_bindgen]
pub fn build_log(previous: u32, current: u32) -> String {
    with(&[previous, current], |k| view::build_log(&k[0].report, &k[1].report, &k[1].input.dockerfile))
}

/// The single-stage twin of report `id`, simulated: `{"Ok": …}` or `{"Err": "why not"}`.
#[wasm_bindgen]
pub fn twin(id: u32) -> String {
    with(&[id], |k| {
        let context = k[0].input.context();
        view::twin(&k[0].input.simulation(&context), &k[0].report)
    })
}

/// Hands the engine Debian's package index (`data/debian-bookworm-amd64.tsv.gz`); returns
/// what is wrong with it, if anything.
#[wasm_bindgen]
pub fn provide_debian_index(bytes: &[u8]) -> Option<String> {
    match stagecraft::ospkg::DebianIndex::from_bytes(bytes) {
        Ok(index) => {
            stagecraft::ospkg::provide_debian_index(index);
            None
        }
        Err(e) => Some(e.to_string()),
    }
}

/// Hands the engine the base images' package lists (`data/image-packages.tsv.gz`).
#[wasm_bindgen]
pub fn provide_image_packages(bytes: &[u8]) -> Option<String> {
    match stagecraft::ospkg::ImagePackages::from_bytes(bytes) {
        Ok(lists) => {
            stagecraft::ospkg::provide_image_packages(lists);
            None
        }
        Err(e) => Some(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reports_are_kept_by_id_until_released() {
        let input = r#"{"dockerfile":"FROM alpine:3.20 AS b\nRUN echo hi > /x\nFROM scratch\nCOPY --from=b /x /x\n","files":[],"build_args":{},"target":null}"#;
        let view: stagecraft::view::ReportView = serde_json::from_str(&super::simulate(input).unwrap()).unwrap();
        assert!(view.id > 0);
        let files: Vec<stagecraft::view::File> = serde_json::from_str(&super::files(view.id, 1)).unwrap();
        assert!(files.iter().any(|f| f.path == "/x"), "{files:?}");
        assert!(super::twin(view.id).starts_with(r#"{"Ok""#));
        assert!(super::diff(view.id, view.id).contains(r#""same":true"#));
        super::release(view.id);
        assert_eq!(super::files(view.id, 1), "null");
    }
}
