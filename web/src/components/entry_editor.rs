//! Edits one context entry: its text or size, its path; or deletes it.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::project::Content;
use crate::state::Action;
use crate::units::parse_size;

#[derive(Properties, PartialEq)]
pub struct EntryEditorProps {
    pub path: String,
    pub content: Content,
    pub dispatch: Callback<Action>,
}

/// Edits the selected entry: its text or size, its name, or deletes it.
#[component]
pub fn EntryEditor(props: &EntryEditorProps) -> Html {
    let rename_to = use_node_ref();
    let path = props.path.clone();
    let rename = {
        let (rename_to, path, dispatch) = (rename_to.clone(), path.clone(), props.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = rename_to.cast::<HtmlInputElement>() {
                dispatch.emit(Action::Rename {
                    from: path.clone(),
                    to: input.value(),
                });
            }
        })
    };
    let delete = {
        let path = path.clone();
        props.dispatch.reform(move |_| Action::Delete(path.clone()))
    };
    let close = props.dispatch.reform(|_| Action::Edit(None));
    let body = match &props.content {
        Content::Text(text) => {
            let path = path.clone();
            let oninput = props
                .dispatch
                .reform(move |e: InputEvent| Action::SetFileText {
                    path: path.clone(),
                    text: e.target_unchecked_into::<HtmlTextAreaElement>().value(),
                });
            html! { <textarea class="file-text" id="file-text" aria-label={format!("Content of {}", props.path)} spellcheck="false" wrap="off" value={text.clone()} {oninput} /> }
        }
        Content::Size(n) => {
            let path = path.clone();
            let onchange = props.dispatch.reform(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                Action::PutEntry {
                    path: path.clone(),
                    content: Content::Size(parse_size(&v).unwrap_or(0)),
                }
            });
            html! {
                <label class="field">{"Size "}
                    <input id="file-size" value={stagecraft::report::human_size(*n)} {onchange} aria-label="Size, e.g. 180 MB" />
                    <span class="muted">{format!(" {n} bytes; only the size is simulated")}</span>
                </label>
            }
        }
        Content::Dir => {
            html! { <p class="muted">{"An empty folder. Add files with a path inside it, e.g. "}<code>{format!("{}/file.txt", props.path)}</code></p> }
        }
    };
    html! {
        <div class="entry-editor" id="entry-editor">
            <form class="rename" onsubmit={rename}>
                <input ref={rename_to} id="rename-path" aria-label="Path" value={props.path.clone()} spellcheck="false" />
                <button type="submit">{"Rename"}</button>
                <button type="button" class="danger" id="delete-entry" onclick={delete}>{"Delete"}</button>
                <button type="button" class="icon" onclick={close} aria-label="Close the editor">{"×"}</button>
            </form>
            {body}
        </div>
    }
}
