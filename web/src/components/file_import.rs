//! Files and folders from the desktop into the build context: picked with a file dialog or
//! dropped on the context panel. Names and sizes always; the text of small text files.

use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};
use yew::prelude::*;

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

/// The drop handler for the panel that hosts the import.
pub fn on_drop(dispatch: Callback<Action>) -> Callback<DragEvent> {
    Callback::from(move |e: DragEvent| {
        e.prevent_default();
        if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
            import(files, dispatch.clone());
        }
    })
}

pub fn on_dragover() -> Callback<DragEvent> {
    Callback::from(|e: DragEvent| e.prevent_default())
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
            let size = file.size();
            let text = if size <= MAX_TEXT {
                match JsFuture::from(file.text()).await {
                    Ok(v) => v.as_string().filter(|t| !t.contains('\0')),
                    Err(_) => None,
                }
            } else {
                None
            };
            let content = match text {
                Some(t) => Content::Text(t),
                None => Content::Size(size as u64),
            };
            entries.push((path, content));
        }
        if !entries.is_empty() {
            dispatch.emit(Action::PutEntries(entries));
        }
    });
}
