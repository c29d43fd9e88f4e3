//! The build context as the caller hands it over: relative paths to files (with content,
//! or only a size), directories and symlinks. `.dockerignore` filtering lives in `dockerignore`.

use std::collections::BTreeMap;
use std::sync::Arc;

/// What a context file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileData {
    /// The real bytes.
    Bytes(Arc<[u8]>),
    /// Only the size is known (a large file the user described, e.g. `node_modules/ 180 MB`).
    SizeOnly(u64),
}

impl FileData {
    pub fn len(&self) -> u64 {
        match self {
            FileData::Bytes(b) => b.len() as u64,
            FileData::SizeOnly(n) => *n,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            FileData::Bytes(b) => Some(b),
            FileData::SizeOnly(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File(FileData),
    Dir,
    Symlink(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    pub kind: EntryKind,
    /// Permission bits; `None` means the usual default (0644 files, 0755 directories).
    pub mode: Option<u32>,
}

/// The build context: clean relative paths (`src/main.go`, no leading `./` or `/`) to entries.
/// Parent directories of listed entries exist implicitly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildContext {
    entries: BTreeMap<String, ContextEntry>,
}

impl BuildContext {
    pub fn new() -> BuildContext {
        BuildContext::default()
    }

    /// Adds or replaces an entry. The path is cleaned (`./a//b/` → `a/b`); an empty path is ignored.
    pub fn insert(&mut self, path: &str, entry: ContextEntry) {
        let path = clean_relative(path);
        if !path.is_empty() {
            self.entries.insert(path, entry);
        }
    }

    pub fn add_file(&mut self, path: &str, content: impl Into<Vec<u8>>) {
        let bytes: Vec<u8> = content.into();
        self.insert(path, ContextEntry { kind: EntryKind::File(FileData::Bytes(bytes.into())), mode: None });
    }

    pub fn add_sized_file(&mut self, path: &str, size: u64) {
        self.insert(path, ContextEntry { kind: EntryKind::File(FileData::SizeOnly(size)), mode: None });
    }

    pub fn add_dir(&mut self, path: &str) {
        self.insert(path, ContextEntry { kind: EntryKind::Dir, mode: None });
    }

    pub fn add_symlink(&mut self, path: &str, target: &str) {
        self.insert(path, ContextEntry { kind: EntryKind::Symlink(target.to_string()), mode: None });
    }

    pub fn get(&self, path: &str) -> Option<&ContextEntry> {
        self.entries.get(path)
    }

    pub fn entries(&self) -> impl Iterator<Item = (&str, &ContextEntry)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The text of a file, if it has known UTF-8 content.
    pub fn text(&self, path: &str) -> Option<&str> {
        match &self.get(path)?.kind {
            EntryKind::File(FileData::Bytes(b)) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }
}

/// `./a//b/../c/` → `a/c`. Leading `/` is dropped; `..` that would leave the root is kept
/// as a leading `..` segment so callers can detect paths outside the context.
pub fn clean_relative(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(p) if *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_relative_paths() {
        for (input, want) in [
            ("./a//b/", "a/b"),
            ("/a/./b/../c", "a/c"),
            ("../x", "../x"),
            ("a/../../x", "../x"),
            (".", ""),
        ] {
            assert_eq!(clean_relative(input), want, "{input}");
        }
    }
}
