//! The form that adds a text file, a file given by its size, or a folder to the context.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::project::Content;
use crate::state::Action;
use crate::units::parse_size;

#[derive(Properties, PartialEq)]
pub struct AddEntryProps {
    pub dispatch: Callback<Action>,
}

/// Adds a text file, a size-only file or a folder.
#[component]
pub fn AddEntry(props: &AddEntryProps) -> Html {
    let path = use_node_ref();
    let kind = use_node_ref();
    let size = use_node_ref();
    let onsubmit = {
        let (path, kind, size, dispatch) = (
            path.clone(),
            kind.clone(),
            size.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(p), Some(k), Some(s)) = (
                path.cast::<HtmlInputElement>(),
                kind.cast::<HtmlSelectElement>(),
                size.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let name = p.value();
            if name.trim().is_empty() {
                return;
            }
            let content = match k.value().as_str() {
                "dir" => Content::Dir,
                "size" => Content::Size(parse_size(&s.value()).unwrap_or(0)),
                _ => Content::Text(String::new()),
            };
            dispatch.emit(Action::PutEntry {
                path: name,
                content,
            });
            p.set_value("");
        })
    };
    html! {
        <form class="add-entry" {onsubmit}>
            <input ref={path} id="new-path" aria-label="New path in the context" placeholder="path, e.g. src/app.py" spellcheck="false" />
            <select ref={kind} id="new-kind" aria-label="Kind">
                <option value="text" selected=true>{"text file"}</option>
                <option value="size">{"file of a size"}</option>
                <option value="dir">{"folder"}</option>
            </select>
            <input ref={size} id="new-size" aria-label="Size (for a file of a size), e.g. 180 MB" placeholder="size, e.g. 180 MB" class="size-input" />
            <button type="submit" id="add-entry">{"Add"}</button>
        </form>
    }
}
