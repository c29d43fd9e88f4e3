//! `.dockerignore`: which context entries `docker build` leaves out, with the rules of
//! BuildKit's `dockerignore.ReadAll` and moby/patternmatcher's `MatchesOrParentMatches`.
//!
//! The patterns themselves are compiled in `pattern` (patternmatcher's regexps, without a
//! regex engine); this module reads the file, applies the patterns in order and filters
//! the build context.

use crate::context::{clean_relative, BuildContext, EntryKind, FileData};
use crate::pathmatch::{glob_match, go_clean};
use pattern::{compile, Test};
use std::fmt;

mod pattern;

/// One line of a `.dockerignore`, normalised as BuildKit and patternmatcher do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnorePattern {
    /// The pattern as it is matched: trimmed, `filepath.Clean`ed, no leading `/` or `!`.
    pub pattern: String,
    /// A `!` line: re-includes what earlier lines excluded.
    pub exclusion: bool,
    /// 1-based line in the ignore file.
    pub line: usize,
}

/// A pattern `docker build` rejects; the build fails with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub line: usize,
    pub pattern: String,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: pattern {:?}: {}", self.line, self.pattern, self.message)
    }
}

/// Reads an ignore file the way BuildKit's `ReadAll` does: a UTF-8 BOM is dropped, lines
/// *starting* with `#` are comments (an indented `#` is a pattern), whitespace is trimmed,
/// blank lines are skipped, `filepath.Clean` is applied and a leading `/` removed (patterns
/// are anchored at the context root anyway), and `!` marks an exception. patternmatcher
/// then cleans `!pattern` once more; doing both here means `!/` ends up as a bare `!`,
/// which `IgnoreMatcher::new` rejects exactly as Docker does.
pub fn parse_dockerignore(text: &str) -> Vec<IgnorePattern> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        // bufio.ScanLines drops one trailing carriage return.
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.starts_with('#') {
            continue;
        }
        let mut pattern = raw.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut read_all = String::new();
        if invert {
            read_all.push('!');
        }
        if !pattern.is_empty() {
            let cleaned = go_clean(pattern);
            let cleaned = if cleaned.len() > 1 { cleaned.strip_prefix('/').unwrap_or(&cleaned) } else { &cleaned };
            read_all.push_str(cleaned);
        }
        // patternmatcher.New: trim again, clean the whole line (with its `!`), split off `!`.
        let cleaned = go_clean(read_all.trim());
        let (exclusion, pattern) = match cleaned.strip_prefix('!') {
            Some(rest) => (true, rest.to_string()),
            None => (false, cleaned),
        };
        out.push(IgnorePattern { pattern, exclusion, line: index + 1 });
    }
    out
}

/// The compiled patterns of one ignore file.
#[derive(Clone, Debug)]
pub struct IgnoreMatcher {
    rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
struct Rule {
    exclusion: bool,
    test: Test,
}

impl IgnoreMatcher {
    /// Compiles the patterns. Docker rejects a lone `!` and anything `filepath.Match`
    /// calls malformed when it reads the file, and a pattern its regex engine refuses
    /// (an inverted range such as `[z-a]`) when it first matches a path; both fail the
    /// build, so both are errors here.
    pub fn new(patterns: &[IgnorePattern]) -> Result<IgnoreMatcher, PatternError> {
        let mut rules = Vec::with_capacity(patterns.len());
        for p in patterns {
            let error = |message: &str| PatternError {
                line: p.line,
                pattern: if p.exclusion { format!("!{}", p.pattern) } else { p.pattern.clone() },
                message: message.to_string(),
            };
            if p.exclusion && p.pattern.is_empty() {
                return Err(error("illegal exclusion pattern: \"!\""));
            }
            if p.pattern.is_empty() {
                continue;
            }
            if let Err(e) = glob_match(&p.pattern, ".") {
                return Err(error(&e.to_string()));
            }
            let test = compile(&p.pattern).map_err(error)?;
            rules.push(Rule { exclusion: p.exclusion, test });
        }
        Ok(IgnoreMatcher { rules })
    }

    /// Parses and compiles an ignore file in one step.
    pub fn from_text(text: &str) -> Result<IgnoreMatcher, PatternError> {
        IgnoreMatcher::new(&parse_dockerignore(text))
    }

    /// Whether `docker build` leaves this context path out (a clean relative path, as in
    /// `BuildContext`). A pattern that matches a parent directory matches everything in
    /// it; the last pattern that matches wins, so a later `!` line re-includes. The
    /// context root itself is never ignored.
    pub fn is_ignored(&self, path: &str) -> bool {
        if path.is_empty() || path == "." {
            return false;
        }
        let parent = go_dir(path);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for rule in &self.rules {
            // An inclusion can only flip "kept" and an exception only "ignored".
            if rule.exclusion != matched {
                continue;
            }
            let mut hit = rule.test.matches(path);
            if !hit && parent != "." {
                hit = (1..=parent_dirs.len()).any(|n| rule.test.matches(&parent_dirs[..n].join("/")));
            }
            if hit {
                matched = !rule.exclusion;
            }
        }
        matched
    }

    /// patternmatcher's `MatchesExact`: like `is_ignored` but without looking at parent
    /// directories (what a pattern says about this very path).
    pub fn matches_exact(&self, path: &str) -> bool {
        let mut matched = false;
        for rule in &self.rules {
            if rule.exclusion != matched {
                continue;
            }
            if rule.test.matches(path) {
                matched = !rule.exclusion;
            }
        }
        matched
    }

    /// Whether any `!` line exists.
    pub fn has_exclusions(&self) -> bool {
        self.rules.iter().any(|r| r.exclusion)
    }
}

/// Go's `filepath.Dir`.
fn go_dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => go_clean(&path[..=i]),
        None => ".".to_string(),
    }
}

/// What `filter_context` did, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreInfo {
    /// The ignore file used: `<Dockerfile>.dockerignore` or `.dockerignore`.
    pub file: String,
    pub patterns: Vec<IgnorePattern>,
    /// The entries left out, in path order.
    pub ignored: Vec<String>,
    /// Set when the file cannot be applied. For a bad pattern `docker build` fails; for
    /// contents that were not provided, nothing was left out. Either way the context is
    /// returned unfiltered and the caller must say so.
    pub problem: Option<String>,
}

/// Applies the ignore file to the context. `dockerfile_name` is the Dockerfile's path in
/// the context, if it is there: BuildKit prefers `<that path>.dockerignore` and falls back
/// to `.dockerignore` at the context root.
///
/// The Dockerfile and the ignore file are filtered like any other entry: BuildKit reads
/// them through a separate channel, so an ignored Dockerfile still builds, but `COPY` of
/// it then fails as the file is not in the context. The caller should read the Dockerfile
/// from the unfiltered context. A directory that is ignored but holds a re-included entry
/// (`!dir/keep`) stays, with its own mode, as BuildKit sends the parents of what it sends.
pub fn filter_context(ctx: &BuildContext, dockerfile_name: Option<&str>) -> (BuildContext, Option<IgnoreInfo>) {
    let beside =
        dockerfile_name.map(|name| format!("{}.dockerignore", clean_relative(name))).filter(|name| is_file(ctx, name));
    let Some(file) = beside.or_else(|| is_file(ctx, ".dockerignore").then(|| ".dockerignore".to_string())) else {
        return (ctx.clone(), None);
    };
    let mut info = IgnoreInfo { file: file.clone(), patterns: Vec::new(), ignored: Vec::new(), problem: None };
    let Some(bytes) = ctx.get(&file).and_then(|e| match &e.kind {
        EntryKind::File(FileData::Bytes(b)) => Some(b.clone()),
        _ => None,
    }) else {
        info.problem =
            Some(format!("the contents of {file} were not provided, so no files were left out of the context"));
        return (ctx.clone(), Some(info));
    };
    info.patterns = parse_dockerignore(&String::from_utf8_lossy(&bytes));
    let matcher = match IgnoreMatcher::new(&info.patterns) {
        Ok(m) => m,
        Err(e) => {
            info.problem = Some(format!("{file} {e}; docker build fails on this pattern"));
            return (ctx.clone(), Some(info));
        }
    };

    let mut kept = BuildContext::new();
    let mut ignored = Vec::new();
    for (path, entry) in ctx.entries() {
        if matcher.is_ignored(path) {
            ignored.push(path);
        } else {
            kept.insert(path, entry.clone());
        }
    }
    // Bring back ignored directories that a kept entry lives in.
    let mut parents_of_kept = std::collections::HashSet::new();
    for (path, _) in kept.entries() {
        parents_of_kept.extend(path.match_indices('/').map(|(i, _)| path[..i].to_string()));
    }
    for dir in ignored {
        match ctx.get(dir) {
            Some(entry) if entry.kind == EntryKind::Dir && parents_of_kept.contains(dir) => {
                kept.insert(dir, entry.clone())
            }
            _ => info.ignored.push(dir.to_string()),
        }
    }
    (kept, Some(info))
}

fn is_file(ctx: &BuildContext, path: &str) -> bool {
    matches!(ctx.get(path), Some(e) if matches!(e.kind, EntryKind::File(_)))
}

#[cfg(test)]
mod tests;
