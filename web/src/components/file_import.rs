//! Files and folders from the desktop into the build context: picked with a file dialog or
//! dropped on the context panel. Names and sizes always; the text of small text files.

use wasm_bindgen_futures::JsFuture;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DataTransfer, DragEvent, File, FileList, HtmlInputElement};
use yew::prelude::*;

use crate::browser::call_method;
use crate::project::Content;
use crate::state::Action;

/// Files larger than this are added by size only.
const MAX_TEXT: f64 = 256.0 * 1024.0;

#[derive(Properties, PartialEq)]
pub struct FileImportProps {
    pub dispatch: Callback<Action>,
}

#[component]
pub fn FileImport(props: &FileImportProps) -> Html {
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                import(files, dispatch.clone());
            }
            input.set_value("");
        })
    };
    html! {
        <span class="file-import">
            <label class="button">{"Add files…"}<input type="file" multiple=true class="visually-hidden" onchange={onchange.clone()} /></label>
            <label class="button">{"Add a folder…"}<input type="file" webkitdirectory=true class="visually-hidden" {onchange} /></label>
            <span class="muted">{" or drop files here"}</span>
        </span>
    }
}

/// The drop handler for the panel that hosts the import. Dropped folders are walked through
/// the File and Directory Entries API (`webkitGetAsEntry`), which only answers during the
/// event; plain files fall back to `dataTransfer.files`.
pub fn on_drop(dispatch: Callback<Action>) -> Callback<DragEvent> {
    Callback::from(move |e: DragEvent| {
        e.prevent_default();
        // Read through `Reflect`, not typed getters: the walk only needs the entries'
        // documented members, and a test can hand it a DataTransfer of its own.
        let data = js_sys::Reflect::get(&e, &"dataTransfer".into()).unwrap_or(JsValue::NULL);
        let entries = dropped_entries(&data);
        if !entries.is_empty() {
            yew::platform::spawn_local(walk(entries, dispatch.clone()));
        } else if let Some(files) = data.dyn_ref::<DataTransfer>().and_then(|d| d.files()) {
            import(files, dispatch.clone());
        }
    })
}

pub fn on_dragover() -> Callback<DragEvent> {
    Callback::from(|e: DragEvent| e.prevent_default())
}

/// At most this many files come in from one folder drop (a dropped `node_modules` can hold
/// hundreds of thousands); the rest are left out with a notice.
const MAX_FILES: usize = 20_000;

/// The dropped items' file-system entries, taken while the drop event lasts.
fn dropped_entries(data: &JsValue) -> Vec<JsValue> {
    let Ok(items) = js_sys::Reflect::get(data, &"items".into()) else { return Vec::new() };
    let length = js_sys::Reflect::get(&items, &"length".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    (0..length)
        .filter_map(|i| js_sys::Reflect::get(&items, &i.into()).ok())
        .filter(|item| js_sys::Reflect::get(item, &"kind".into()).ok().and_then(|k| k.as_string()).as_deref() == Some("file"))
        .filter_map(|item| call_method(&item, "webkitGetAsEntry", &[]))
        .filter(|entry| !entry.is_null() && !entry.is_undefined())
        .collect()
}

/// Walks dropped files and folders depth-first and adds them all in one action: files with
/// their paths inside the dropped folder, empty folders as folders.
async fn walk(roots: Vec<JsValue>, dispatch: Callback<Action>) {
    let mut entries = Vec::new();
    let mut stack: Vec<JsValue> = roots.into_iter().rev().collect();
    let mut left_out = 0usize;
    while let Some(entry) = stack.pop() {
        // `fullPath` is "/folder/file" for a dropped folder's files, "/file" for a file.
        let path = string(&entry, "fullPath").unwrap_or_else(|| string(&entry, "name").unwrap_or_default());
        let path = path.trim_start_matches('/').to_string();
        if flag(&entry, "isDirectory") {
            let children = read_directory(&entry).await;
            if children.is_empty() {
                entries.push((path, Content::Dir));
            }
            stack.extend(children.into_iter().rev());
        } else if flag(&entry, "isFile") {
            if entries.len() >= MAX_FILES {
                left_out += 1;
                continue;
            }
            if let Some(file) = callback_promise(&entry, "file", &[]).await.and_then(|f| f.dyn_into::<File>().ok()) {
                entries.push((path, content_of(&file).await));
            }
        }
    }
    if !entries.is_empty() {
        dispatch.emit(Action::PutEntries(entries));
    }
    if left_out > 0 {
        dispatch.emit(Action::Notify(Some(format!(
            "Added the first {MAX_FILES} files; {left_out} more were left out. Give a large folder as one entry with a size instead (\"node_modules/ 180 MB\")."
        ))));
    }
}

/// All of a directory entry's children: `readEntries` answers in batches until an empty one.
async fn read_directory(entry: &JsValue) -> Vec<JsValue> {
    let Some(reader) = call_method(entry, "createReader", &[]) else { return Vec::new() };
    let mut out = Vec::new();
    loop {
        let Some(batch) = callback_promise(&reader, "readEntries", &[]).await else { break };
        let batch: js_sys::Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        out.extend(batch.iter());
    }
    out
}

/// Calls `target.method(...args, resolve, reject)` (the entries API's callback style) and
/// waits for it; `None` if the method is missing or reports an error.
async fn callback_promise(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let target = target.clone();
    let args: js_sys::Array = args.iter().collect();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let all = args.clone();
        all.push(&resolve);
        all.push(&reject);
        if let Err(error) = function.apply(&target, &all) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    JsFuture::from(promise).await.ok()
}

fn string(target: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(target, &key.into()).ok()?.as_string().filter(|s| !s.is_empty())
}

fn flag(target: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(target, &key.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// A small text file's text; otherwise its size only.
async fn content_of(file: &File) -> Content {
    let size = file.size();
    if size <= MAX_TEXT {
        if let Ok(v) = JsFuture::from(file.text()).await {
            if let Some(t) = v.as_string().filter(|t| !t.contains('\0')) {
                return Content::Text(t);
            }
        }
    }
    Content::Size(size as u64)
}

fn import(list: FileList, dispatch: Callback<Action>) {
    let files: Vec<File> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    yew::platform::spawn_local(async move {
        let mut entries = Vec::new();
        for file in files {
            // A folder picked with the dialog gives each file's path inside it.
            let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let path = if relative.is_empty() {
                file.name()
            } else {
                relative
            };
            let content = content_of(&file).await;
            entries.push((path, content));
        }
        if !entries.is_empty() {
            dispatch.emit(Action::PutEntries(entries));
        }
    });
}
