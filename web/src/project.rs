//! What a user edits and a link shares: the Dockerfile, the build context, build args and
//! the target. Turning it into the engine's input is all this module knows of the core.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stagecraft::view::Input;

/// The whole input of a simulation, as the page keeps, saves and shares it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub dockerfile: String,
    /// Context entries by clean relative path (`src/main.go`), kept sorted.
    #[serde(default)]
    pub files: Vec<ContextFile>,
    #[serde(default)]
    pub build_args: Vec<BuildArg>,
    /// The stage to build; `None` builds the last one, as `docker build` does.
    #[serde(default)]
    pub target: Option<String>,
}

/// A context entry: the engine's own input type, so a project crosses to it as it is saved
/// and shared (`{"path": …, "content": {"text": …} | {"size": N} | "dir"}`).
pub use stagecraft::view::{InputContent as Content, InputFile as ContextFile};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildArg {
    pub name: String,
    pub value: String,
}

impl Project {
    pub fn new(dockerfile: &str, files: &[(&str, &str)]) -> Project {
        let mut p = Project {
            dockerfile: dockerfile.to_string(),
            ..Project::default()
        };
        for (path, text) in files {
            p.put(path, Content::Text(text.to_string()));
        }
        p
    }

    pub fn file(&self, path: &str) -> Option<&ContextFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Adds or replaces an entry; the path is cleaned. Returns the clean path, or `None` for
    /// a path that names nothing inside the context (empty, or leaving it with `..`).
    pub fn put(&mut self, path: &str, content: Content) -> Option<String> {
        let path = clean_path(path)?;
        match self.files.binary_search_by(|f| f.path.as_str().cmp(&path)) {
            Ok(i) => self.files[i].content = content,
            Err(i) => self.files.insert(
                i,
                ContextFile {
                    path: path.clone(),
                    content,
                },
            ),
        }
        Some(path)
    }

    /// Removes an entry and, for a folder, everything under it.
    pub fn remove(&mut self, path: &str) {
        let prefix = format!("{path}/");
        self.files
            .retain(|f| f.path != path && !f.path.starts_with(&prefix));
    }

    /// Renames an entry and everything under it. Entries already at the new path are replaced.
    pub fn rename(&mut self, from: &str, to: &str) -> Option<String> {
        let to = clean_path(to)?;
        if to == from || to.starts_with(&format!("{from}/")) {
            return (to == from).then_some(to);
        }
        let prefix = format!("{from}/");
        let moved: Vec<ContextFile> = self
            .files
            .iter()
            .filter(|f| f.path == from || f.path.starts_with(&prefix))
            .map(|f| ContextFile {
                path: format!("{to}{}", &f.path[from.len()..]),
                content: f.content.clone(),
            })
            .collect();
        if moved.is_empty() {
            return None;
        }
        self.remove(from);
        for f in moved {
            self.remove(&f.path);
            self.put(&f.path, f.content);
        }
        Some(to)
    }

    /// The engine's input (`stagecraft::view::Input`).
    pub fn input(&self) -> Input {
        Input {
            dockerfile: self.dockerfile.clone(),
            files: self.files.clone(),
            build_args: self.build_arg_map(),
            target: self.target.clone(),
        }
    }

    /// Build args with a name; a later duplicate wins, as with repeated `--build-arg`.
    pub fn build_arg_map(&self) -> BTreeMap<String, String> {
        self.build_args
            .iter()
            .filter(|a| !a.name.trim().is_empty())
            .map(|a| (a.name.trim().to_string(), a.value.clone()))
            .collect()
    }
}

/// `./a//b/` → `a/b`; `None` when nothing is left or the path climbs out of the context.
pub fn clean_path(path: &str) -> Option<String> {
    let clean = stagecraft::context::clean_relative(path.trim());
    (!clean.is_empty() && clean != ".." && !clean.starts_with("../")).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &Project) -> Vec<&str> {
        p.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn entries_stay_sorted_and_clean() {
        let mut p = Project::default();
        assert_eq!(
            p.put("./src//main.go", Content::Text("x".into()))
                .as_deref(),
            Some("src/main.go")
        );
        p.put("go.mod", Content::Size(10));
        p.put("/a", Content::Dir);
        assert_eq!(p.put("../etc/passwd", Content::Dir), None);
        assert_eq!(p.put(" ", Content::Dir), None);
        assert_eq!(paths(&p), ["a", "go.mod", "src/main.go"]);
    }

    #[test]
    fn renaming_a_folder_moves_its_contents() {
        let mut p = Project::new("", &[("src/a", "1"), ("src/b/c", "2"), ("srcx", "3")]);
        assert_eq!(p.rename("src", "lib").as_deref(), Some("lib"));
        assert_eq!(paths(&p), ["lib/a", "lib/b/c", "srcx"]);
        // Into itself: refused, nothing changes.
        assert_eq!(p.rename("lib", "lib/inner"), None);
        assert_eq!(paths(&p), ["lib/a", "lib/b/c", "srcx"]);
        assert_eq!(p.rename("missing", "x"), None);
    }

    #[test]
    fn removing_a_folder_removes_its_contents() {
        let mut p = Project::new("", &[("src/a", "1"), ("src/b/c", "2"), ("srcx", "3")]);
        p.remove("src");
        assert_eq!(paths(&p), ["srcx"]);
    }

    #[test]
    fn context_and_args_are_what_the_core_gets() {
        let mut p = Project::new("", &[("a.txt", "hi")]);
        p.put("big", Content::Size(5_000_000));
        p.build_args = vec![
            BuildArg {
                name: " V ".into(),
                value: "1".into(),
            },
            BuildArg {
                name: "".into(),
                value: "ignored".into(),
            },
            BuildArg {
                name: "V".into(),
                value: "2".into(),
            },
        ];
        let ctx = p.input().context();
        assert_eq!(ctx.text("a.txt"), Some("hi"));
        assert_eq!(ctx.len(), 2);
        assert_eq!(
            p.build_arg_map().into_iter().collect::<Vec<_>>(),
            [("V".to_string(), "2".to_string())]
        );
    }
}
