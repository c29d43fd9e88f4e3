//! The content of a small text file of the image or stage.

use std::rc::Rc;

use stagecraft::report::human_size;
use stagecraft::view::File;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FileViewerProps {
    pub files: Rc<Vec<File>>,
    pub path: String,
    pub on_close: Callback<()>,
}

#[component]
pub fn FileViewer(props: &FileViewerProps) -> Html {
    let Some(file) = props.files.iter().find(|f| f.path == props.path) else {
        return html! {};
    };
    let close = props.on_close.reform(|_| ());
    html! {
        <section class="viewer" id="viewer" aria-label={format!("Content of {}", file.path)}>
            <div class="viewer-head">
                <code>{&file.path}</code>
                <span class="muted">{format!(" {} · mode {:04o} · {}:{}", human_size(file.size_bytes), file.mode & 0o7777, file.uid, file.gid)}</span>
                if let Some(line) = file.line { <span class="muted">{format!(" · written by line {line}")}</span> }
                <button type="button" class="icon" onclick={close} aria-label="Close the file">{"×"}</button>
            </div>
            <pre class="content">{file.content.clone().unwrap_or_default()}</pre>
        </section>
    }
}
