//! Browser glue: the URL, local storage, the clipboard, the parent frame, fetching a file.
//! Failures here (storage disabled, clipboard refused, no parent) are ignored: the page works
//! without them; a failed fetch is returned as a message.

use std::future::Future;

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::project::Project;

const SESSION_KEY: &str = "stagecraft.session.v1";

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The fragment without `#`.
pub fn fragment() -> String {
    location()
        .and_then(|l| l.hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's URL without the fragment (with its query, so `?embed` survives).
pub fn page_url() -> String {
    location()
        .and_then(|l| l.href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Whether the query has `name` (`?embed`, `?embed&readonly`, `?embed=readonly`).
pub fn query_has(name: &str) -> bool {
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        k == name || v == name
    })
}

/// Sets the fragment without adding a history entry or firing `hashchange`.
pub fn replace_fragment(fragment: &str) {
    let url = if fragment.is_empty() {
        page_url()
    } else {
        format!("{}#{fragment}", page_url())
    };
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        // A promise: refused in some contexts (no focus, no permission); the text is also shown.
        let _ = w.navigator().clipboard().write_text(text);
    }
}

pub fn load_session() -> Option<Project> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(project: &Project) {
    let _ = LocalStorage::set(SESSION_KEY, project);
}

/// Tells an embedding page how tall the content is, so it can size the iframe.
pub fn post_height() {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    let Some(body) = w.document().and_then(|d| d.document_element()) else {
        return;
    };
    let height = body.scroll_height();
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"stagecraft:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
    let _ = parent.post_message(&msg, "*");
}

/// Calls `target.method(...args)`; `None` if there is no such method or it threw.
pub fn call_method(target: &wasm_bindgen::JsValue, method: &str, args: &[wasm_bindgen::JsValue]) -> Option<wasm_bindgen::JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    function.apply(target, &args.iter().collect()).ok()
}

/// A thrown JS value in words: an `Error`'s message, else its debug form.
pub fn error_text(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"))
}

/// GETs `url` (relative to the page) as bytes. The request starts now, not when the future is
/// first polled, so several can run at once. `Err` says what went wrong, in words.
pub fn fetch_bytes(url: &str) -> impl Future<Output = Result<Vec<u8>, String>> {
    let url = url.to_string();
    let started = web_sys::window().map(|w| JsFuture::from(w.fetch_with_str(&url)));
    async move {
        let failed = |e: wasm_bindgen::JsValue| format!("the request failed: {}", error_text(&e));
        let response: web_sys::Response = started
            .ok_or("no window to fetch from")?
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(|_| "fetch gave no response".to_string())?;
        if !response.ok() {
            return Err(format!(
                "HTTP {} {}",
                response.status(),
                response.status_text()
            ));
        }
        let body = JsFuture::from(response.array_buffer().map_err(failed)?)
            .await
            .map_err(failed)?;
        Ok(js_sys::Uint8Array::new(&body).to_vec())
    }
}
