//! The build context: a tree of the files `docker build .` would send, with forms to add,
//! rename, edit and delete files and folders, size-only files and `.dockerignore`.

use std::rc::Rc;

use yew::prelude::*;

use super::file_import::{self, FileImport};
use super::{add_entry::AddEntry, entry_editor::EntryEditor};
use crate::project::{Content, Project};
use crate::state::Action;
use crate::tree::{self, Node, Order};

#[derive(Properties, PartialEq)]
pub struct ContextPanelProps {
    pub project: Rc<Project>,
    pub editing: Option<String>,
    /// The entries `.dockerignore` leaves out (`ReportView::ignored`).
    pub ignored: Rc<Vec<String>>,
    pub readonly: bool,
    pub dispatch: Callback<Action>,
}

#[component]
pub fn ContextPanel(props: &ContextPanelProps) -> Html {
    let nodes = use_memo(props.project.clone(), |p| {
        tree::build(&p.files, Order::Name)
    });
    // What .dockerignore leaves out, as the build applies it (from the engine's result).
    let ignored = &props.ignored;
    let mut rows = Vec::new();
    for n in nodes.iter() {
        row(n, 0, props, ignored, &mut rows);
    }
    let has_ignore = props.project.file(".dockerignore").is_some();
    let edit_ignore = props.dispatch.reform(move |_| {
        if has_ignore {
            Action::Edit(Some(".dockerignore".into()))
        } else {
            Action::PutEntry {
                path: ".dockerignore".into(),
                content: Content::Text(
                    "# One pattern per line, e.g.\n# .git\n# node_modules\n".into(),
                ),
            }
        }
    });
    html! {
        <section class="context" id="context" aria-label="Build context" ondragover={file_import::on_dragover()} ondrop={(!props.readonly).then(|| file_import::on_drop(props.dispatch.clone()))}>
            <div class="context-head">
                <h2>{"Build context"}</h2>
                if !props.readonly {
                    <button type="button" id="edit-dockerignore" onclick={edit_ignore}>{if has_ignore { "Edit .dockerignore" } else { "+ .dockerignore" }}</button>
                }
            </div>
            if rows.is_empty() {
                <p class="muted">{"Empty: COPY and ADD sources come from here."}</p>
            } else {
                <ul class="tree context-tree">{ for rows }</ul>
            }
            if !props.readonly {
                <AddEntry dispatch={props.dispatch.clone()} />
                <FileImport dispatch={props.dispatch.clone()} />
                if let Some(path) = &props.editing {
                    if let Some(file) = props.project.file(path) {
                        <EntryEditor key={path.clone()} path={path.clone()} content={file.content.clone()} dispatch={props.dispatch.clone()} />
                    }
                }
            }
        </section>
    }
}

fn row(
    node: &Node,
    depth: usize,
    props: &ContextPanelProps,
    ignored: &[String],
    out: &mut Vec<Html>,
) {
    let is_ignored = ignored.contains(&node.path);
    let path = node.path.clone();
    let selected = props.editing.as_deref() == Some(node.path.as_str());
    let edit = props
        .dispatch
        .reform(move |_| Action::Edit(Some(path.clone())));
    let size = match node.entry.map(|i| &props.project.files[i].content) {
        Some(Content::Size(n)) => format!("{} (size only)", stagecraft::report::human_size(*n)),
        Some(Content::Text(t)) => stagecraft::report::human_size(t.len() as u64),
        _ => String::new(),
    };
    out.push(html! {
        <li class={classes!("row", selected.then_some("selected"), is_ignored.then_some("ignored"))} data-path={node.path.clone()}
            title={is_ignored.then_some("Left out by .dockerignore: COPY and ADD do not see it")}>
            <span class="cell-name" style={format!("padding-left:{}em", depth as f32 * 1.1)}>
                <button type="button" class={classes!("name", if node.is_dir { "dir" } else { "file" })} onclick={edit} disabled={props.readonly}>
                    {&node.name}{if node.is_dir { "/" } else { "" }}
                </button>
            </span>
            <span class="size">{size}</span>
        </li>
    });
    for c in &node.children {
        row(c, depth + 1, props, ignored, out);
    }
}
