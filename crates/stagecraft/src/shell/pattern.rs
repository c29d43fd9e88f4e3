//! Shell patterns (`fnmatch`): `*`, `?`, bracket expressions and backslash escapes, used by
//! `case`, `${v#p}` and pathname expansion against the simulated filesystem.

use crate::vfs;

use super::session::Session;

/// One element of a compiled pattern.
#[derive(Clone, Debug)]
enum Tok {
    Lit(char),
    Any,
    Star,
    /// A bracket expression: negated, and the items (single chars or ranges).
    Class(bool, Vec<(char, char)>, Vec<String>),
}

fn compile(pattern: &str) -> Vec<Tok> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                toks.push(Tok::Lit(chars[i + 1]));
                i += 2;
                continue;
            }
            '*' => {
                if !matches!(toks.last(), Some(Tok::Star)) {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '[' => match bracket(&chars, i) {
                Some((tok, next)) => {
                    toks.push(tok);
                    i = next;
                    continue;
                }
                None => toks.push(Tok::Lit('[')),
            },
            c => toks.push(Tok::Lit(c)),
        }
        i += 1;
    }
    toks
}

/// Parses `[...]` starting at `start`; `None` when it is not closed (then `[` is literal).
fn bracket(chars: &[char], start: usize) -> Option<(Tok, usize)> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut classes = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            return Some((Tok::Class(negated, ranges, classes), i + 1));
        }
        first = false;
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                classes.push(rest[..end].to_string());
                i += 2 + end + 2;
                continue;
            }
        }
        let lo = if c == '\\' && i + 1 < chars.len() {
            i += 1;
            chars[i]
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&h| h != ']') {
            ranges.push((lo, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((lo, lo));
            i += 1;
        }
    }
    None
}

fn class_matches(class: &str, c: char) -> bool {
    match class {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        "cntrl" => c.is_control(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && c != ' ',
        _ => false,
    }
}

fn tok_matches(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Lit(l) => *l == c,
        Tok::Any => true,
        Tok::Star => true,
        Tok::Class(neg, ranges, classes) => {
            let hit = ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) || classes.iter().any(|k| class_matches(k, c));
            hit != *neg
        }
    }
}

/// Whether the whole of `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let toks = compile(pattern);
    let text: Vec<char> = text.chars().collect();
    match_toks(&toks, &text)
}

fn match_toks(toks: &[Tok], text: &[char]) -> bool {
    // Classic wildcard matching with one backtrack point per star: linear in practice.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            Some(tok) if tok_matches(tok, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p.min(toks.len())..].iter().all(|t| matches!(t, Tok::Star))
}

/// Whether `pattern` has an unescaped `*`, `?` or `[`.
pub fn has_magic(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

/// Removes pattern backslashes: the literal text a pattern stands for.
pub fn unescape(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes pattern characters so that `text` matches only itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Byte lengths of the prefixes (or suffixes) of `text` that `pattern` matches, shortest first.
pub fn prefix_matches(pattern: &str, text: &str, suffix: bool) -> Vec<usize> {
    let toks = compile(pattern);
    let chars: Vec<char> = text.chars().collect();
    let mut cut = Vec::new();
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    for k in 0..=chars.len() {
        let (part, len) = if suffix {
            (&chars[chars.len() - k..], text.len() - bounds[chars.len() - k])
        } else {
            (&chars[..k], bounds[k])
        };
        if match_toks(&toks, part) {
            cut.push(len);
        }
    }
    cut
}

/// Pathname expansion: the paths matching `pattern`, sorted, as written (relative stays
/// relative). Empty when nothing matches.
pub fn glob(s: &Session, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    // (text as the user wrote it, resolved real directory)
    let mut current: Vec<(String, String)> = vec![(if absolute { "/".to_string() } else { String::new() }, if absolute { "/".to_string() } else { s.st.cwd.clone() })];
    let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    for (idx, comp) in comps.iter().enumerate() {
        let last = idx + 1 == comps.len();
        let mut next = Vec::new();
        for (shown, real) in &current {
            let Ok(dir) = s.fs.resolve(real, true) else { continue };
            if !s.fs.get(&dir).is_some_and(|n| n.is_dir()) {
                continue;
            }
            let names: Vec<String> = if has_magic(comp) {
                let dotted = comp.starts_with('.') || comp.starts_with("\\.");
                s.fs.children(&dir).map(|(n, _)| n.to_string()).filter(|n| (dotted || !n.starts_with('.')) && matches(comp, n)).collect()
            } else {
                let name = unescape(comp);
                let full = vfs::join(&dir, &name);
                let exists = if last { s.fs.get(&full).is_some() } else { s.fs.resolve(&full, true).is_ok_and(|p| s.fs.get(&p).is_some_and(|n| n.is_dir())) };
                if exists || name == "." || name == ".." {
                    vec![name]
                } else {
                    Vec::new()
                }
            };
            for name in names {
                let shown_next = if shown.is_empty() {
                    name.clone()
                } else if shown.ends_with('/') {
                    format!("{shown}{name}")
                } else {
                    format!("{shown}/{name}")
                };
                next.push((shown_next, vfs::join(&dir, &name)));
            }
        }
        current = next;
        if current.is_empty() {
            break;
        }
    }
    let mut out: Vec<String> = current.into_iter().map(|(shown, _)| shown).filter(|p| !p.is_empty()).collect();
    if pattern.ends_with('/') {
        out = out.into_iter().filter(|p| s.lookup(p, true).is_dir()).map(|p| format!("{p}/")).collect();
    }
    out.sort();
    out.dedup();
    out
}
