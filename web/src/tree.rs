//! Flat path lists as trees, for the file views: folders with the total size of what they
//! hold. Presentation only: what the files are comes from the core's report.

use std::collections::BTreeMap;

/// One row source: a path, its size and whether it is a directory.
pub trait Entry {
    fn path(&self) -> &str;
    fn size(&self) -> u64;
    fn is_dir(&self) -> bool;
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: String,
    pub path: String,
    /// Index into the entries, `None` for a folder only implied by its children.
    pub entry: Option<usize>,
    pub is_dir: bool,
    /// A file's size; a folder's own size (a summarised base-image folder) plus its children's.
    pub size: u64,
    pub children: Vec<Node>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Name,
    Size,
}

/// The tree of `entries`: absolute paths (an image) or relative ones (a build context).
pub fn build<E: Entry>(entries: &[E], order: Order) -> Vec<Node> {
    let mut kids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let path = e.path().trim_end_matches('/');
        if path.is_empty() || path == "/" {
            continue;
        }
        index.insert(path.to_string(), i);
        // Register the path and every missing ancestor under its parent.
        let mut child = path.to_string();
        while let Some(parent) = parent_of(&child) {
            let list = kids.entry(parent.clone()).or_default();
            let known = list.contains(&child);
            if !known {
                list.push(child.clone());
            }
            if known {
                break;
            }
            child = parent;
        }
    }
    node_children("", &kids, &index, entries, order)
}

/// `/a/b` → `/a`, `/a` → `` (the root), `a/b` → `a`, `a` → ``; `None` above the root.
fn parent_of(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    match path.rfind('/') {
        Some(i) => Some(path[..i].to_string()),
        None => Some(String::new()),
    }
}

fn node_children<E: Entry>(
    parent: &str,
    kids: &BTreeMap<String, Vec<String>>,
    index: &BTreeMap<String, usize>,
    entries: &[E],
    order: Order,
) -> Vec<Node> {
    let Some(list) = kids.get(parent) else {
        return Vec::new();
    };
    let mut nodes: Vec<Node> = list
        .iter()
        .map(|path| {
            let entry = index.get(path).copied();
            let children = node_children(path, kids, index, entries, order);
            let own = entry.map_or(0, |i| entries[i].size());
            let is_dir = entry.is_none_or(|i| entries[i].is_dir()) || !children.is_empty();
            let size = own + children.iter().map(|c| c.size).sum::<u64>();
            Node {
                name: path.rsplit('/').next().unwrap_or(path).to_string(),
                path: path.clone(),
                entry,
                is_dir,
                size,
                children,
            }
        })
        .collect();
    match order {
        Order::Name => {
            nodes.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)))
        }
        Order::Size => nodes.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name))),
    }
    nodes
}

impl Entry for stagecraft::view::File {
    fn path(&self) -> &str {
        &self.path
    }
    fn size(&self) -> u64 {
        self.size_bytes
    }
    fn is_dir(&self) -> bool {
        self.file_type == stagecraft::report::FileType::Dir
    }
}

impl Entry for crate::project::ContextFile {
    fn path(&self) -> &str {
        &self.path
    }
    fn size(&self) -> u64 {
        match &self.content {
            crate::project::Content::Text(t) => t.len() as u64,
            crate::project::Content::Size(n) => *n,
            crate::project::Content::Dir => 0,
        }
    }
    fn is_dir(&self) -> bool {
        self.content == crate::project::Content::Dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(&'static str, u64, bool);
    impl Entry for E {
        fn path(&self) -> &str {
            self.0
        }
        fn size(&self) -> u64 {
            self.1
        }
        fn is_dir(&self) -> bool {
            self.2
        }
    }

    fn dump(nodes: &[Node], depth: usize, out: &mut String) {
        for n in nodes {
            out.push_str(&format!(
                "{}{}{} {}\n",
                "  ".repeat(depth),
                n.name,
                if n.is_dir { "/" } else { "" },
                n.size
            ));
            dump(&n.children, depth + 1, out);
        }
    }

    #[test]
    fn absolute_paths_with_implied_folders_and_sizes() {
        let entries = [
            E("/", 0, true),
            E("/app", 0, true),
            E("/app/bin", 10, false),
            E("/usr/lib/x", 5, false),
            E("/app-data", 0, true),
            E("/usr", 100, true),
        ];
        let mut out = String::new();
        dump(&build(&entries, Order::Name), 0, &mut out);
        assert_eq!(
            out,
            "app/ 10\n  bin 10\napp-data/ 0\nusr/ 105\n  lib/ 5\n    x 5\n"
        );
        let mut out = String::new();
        dump(&build(&entries, Order::Size), 0, &mut out);
        assert!(out.starts_with("usr/ 105\n"), "{out}");
    }

    #[test]
    fn relative_paths() {
        let entries = [
            E("src/main.go", 3, false),
            E("go.mod", 1, false),
            E("docs", 0, true),
        ];
        let mut out = String::new();
        dump(&build(&entries, Order::Name), 0, &mut out);
        assert_eq!(out, "docs/ 0\nsrc/ 3\n  main.go 3\ngo.mod 1\n");
    }
}
