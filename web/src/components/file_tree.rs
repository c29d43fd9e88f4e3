//! The image's (or a stage's) filesystem, dive-like: folders to expand, sizes, the line that
//! wrote each file, sort by name or size. Folders holding files the Dockerfile added start
//! open; clicking a file with known text shows it.

use std::collections::BTreeSet;
use std::rc::Rc;

use stagecraft::report::{human_size, FileType};
use stagecraft::view::File;
use yew::prelude::*;

use crate::tree::{self, Node, Order};

#[derive(Properties, PartialEq)]
pub struct FileTreeProps {
    pub files: Rc<Vec<File>>,
    /// The FROM line: files with it come from the base image.
    pub base_line: Option<usize>,
    pub viewed: Option<String>,
    pub on_view: Callback<Option<String>>,
    pub on_goto: Callback<usize>,
    /// What the files are, when not the image or stage shown above (a step of the build).
    #[prop_or_default]
    pub caption: Option<AttrValue>,
}

#[component]
pub fn FileTree(props: &FileTreeProps) -> Html {
    let order = use_state(|| Order::Name);
    // Folders the user opened or closed, relative to the default (open when it holds added files).
    let toggled = use_state(BTreeSet::<String>::new);
    let nodes = use_memo((props.files.clone(), *order), |(files, order)| {
        tree::build(files, *order)
    });
    let auto_open = use_memo((props.files.clone(), props.base_line), |(files, base)| {
        let mut open = BTreeSet::new();
        for f in files.iter().filter(|f| f.line.is_some() && f.line != *base) {
            let mut p = f.path.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if p.is_empty() || !open.insert(p.to_string()) {
                    break;
                }
            }
        }
        open
    });
    let total: u64 = nodes.iter().map(|n| n.size).sum::<u64>().max(1);

    let ctx = RowCtx {
        files: &props.files,
        auto_open: &auto_open,
        toggled: &toggled,
        base_line: props.base_line,
        viewed: props.viewed.as_deref(),
        on_view: &props.on_view,
        on_goto: &props.on_goto,
        total,
    };
    let mut rows = Vec::new();
    for n in nodes.iter() {
        ctx.rows(n, 0, &mut rows);
    }
    let sort_by = |o: Order| {
        let order = order.clone();
        Callback::from(move |_| order.set(o))
    };
    html! {
        <section class="files" id="files">
            <div class="files-head">
                <h3>{"Files"}</h3>
                if let Some(caption) = &props.caption {
                    <span class="files-caption" id="files-caption">{caption}</span>
                }
                <span class="sort" role="group" aria-label="Sort files">
                    <button type="button" aria-pressed={(*order == Order::Name).to_string()} onclick={sort_by(Order::Name)}>{"by name"}</button>
                    <button type="button" aria-pressed={(*order == Order::Size).to_string()} onclick={sort_by(Order::Size)}>{"by size"}</button>
                </span>
                <span class="legend"><span class="added-dot"></span>{" added by the Dockerfile"}</span>
            </div>
            if rows.is_empty() {
                <p class="muted">{"No files."}</p>
            } else {
                <ul class="tree" aria-label="Files">{ for rows }</ul>
            }
        </section>
    }
}

struct RowCtx<'a> {
    files: &'a [File],
    auto_open: &'a BTreeSet<String>,
    toggled: &'a UseStateHandle<BTreeSet<String>>,
    base_line: Option<usize>,
    viewed: Option<&'a str>,
    on_view: &'a Callback<Option<String>>,
    on_goto: &'a Callback<usize>,
    total: u64,
}

impl RowCtx<'_> {
    fn rows(&self, node: &Node, depth: usize, out: &mut Vec<Html>) {
        let file = node.entry.map(|i| &self.files[i]);
        let line = file.and_then(|f| f.line);
        let added = line.is_some() && line != self.base_line;
        let open = node.is_dir
            && (self.auto_open.contains(&node.path) != self.toggled.contains(&node.path));
        let indent = format!("padding-left:{}em", depth as f32 * 1.1);
        let bar = format!("width:{:.2}%", node.size as f64 * 100.0 / self.total as f64);
        let name_button = if node.is_dir {
            let toggled = self.toggled.clone();
            let path = node.path.clone();
            let onclick = Callback::from(move |_| {
                let mut set = (*toggled).clone();
                if !set.remove(&path) {
                    set.insert(path.clone());
                }
                toggled.set(set);
            });
            html! { <button type="button" class="name dir" aria-expanded={open.to_string()} {onclick}>{if open { "▾ " } else { "▸ " }}{&node.name}{"/"}</button> }
        } else {
            let viewable = file.is_some_and(|f| f.content.is_some());
            let symlink = file.and_then(|f| f.link_target.as_deref());
            let path = node.path.clone();
            let viewed = self.viewed == Some(node.path.as_str());
            let onclick = self
                .on_view
                .reform(move |_| if viewed { None } else { Some(path.clone()) });
            html! {
                <button type="button" class={classes!("name", "file", viewable.then_some("viewable"), viewed.then_some("viewed"))}
                        disabled={!viewable} {onclick}
                        title={if viewable { "Show the content" } else { "Content not known (a size-only file, a binary, or a file from the base image)" }}>
                    {&node.name}
                    if let Some(t) = symlink { <span class="muted">{format!(" → {t}")}</span> }
                </button>
            }
        };
        let line_cell = match line {
            Some(_) if !added => {
                html! { <span class="line muted" title="From the base image">{"base"}</span> }
            }
            Some(l) => {
                let goto = self.on_goto.reform(move |_| l);
                html! { <button type="button" class="link line" onclick={goto} title="Go to the instruction that wrote it">{format!("L{l}")}</button> }
            }
            None => html! { <span class="line"></span> },
        };
        let mode = file
            .map(|f| {
                format!(
                    "{}{:03o}",
                    if f.file_type == FileType::Dir {
                        "d"
                    } else {
                        "-"
                    },
                    f.mode & 0o777
                )
            })
            .unwrap_or_default();
        let owner = file
            .map(|f| format!("{}:{}", f.uid, f.gid))
            .unwrap_or_default();
        out.push(html! {
            <li class={classes!("row", added.then_some("added"))} data-path={node.path.clone()}>
                <span class="bar" style={bar}></span>
                <span class="cell-name" style={indent}>{name_button}</span>
                <span class="size">{human_size(node.size)}</span>
                {line_cell}
                <span class="mode">{mode}</span>
                <span class="owner">{owner}</span>
            </li>
        });
        if open {
            for c in &node.children {
                self.rows(c, depth + 1, out);
            }
        }
    }
}
