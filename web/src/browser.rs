//! Browser glue: the URL, local storage, the clipboard, the parent frame. Failures here
//! (storage disabled, clipboard refused, no parent) are ignored: the page works without them.

use gloo::storage::{LocalStorage, Storage};

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
