//! Wildcards in `COPY`/`ADD` sources, with the semantics of Go's `path/filepath.Match`
//! (Unix flavour) and of the way BuildKit expands them (fsutil's `ResolveWildcards`).
//!
//! Go's matcher works on bytes with UTF-8 decoding only for `?` and classes; this port
//! keeps that so that odd inputs behave as in Docker. Note that Go has no `[!…]`
//! negation: `[!a]` is the class of `!` and `a`, and only `[^…]` negates.

use std::fmt;

/// Go's `filepath.ErrBadPattern`: the pattern is malformed (an unclosed or empty class,
/// a range with a missing end, a trailing `\`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Go's own message, which is what `docker build` prints.
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// Whether `name` matches the shell pattern `pattern` as a whole (`*` and `?` never match
/// `/`). A malformed pattern is an error even when the match fails early, as in Go ≥ 1.16.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it has a `/`.
            return Ok(!name.contains(&b'/'));
        }
        // Look for a match at the current position. The last chunk must use up the name,
        // otherwise a later start (after the star) might still do.
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            // Chunks have a fixed length, so the leftmost match is always the one to keep.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok && (t.is_empty() || !pattern.is_empty()) {
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // Before answering "no", make sure the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Whether a source path has wildcards, as BuildKit decides it: `*`, `?` or `[` not
/// escaped by `\`.
pub fn has_wildcards(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Expands a wildcard source against the paths that exist (clean relative paths; their
/// parent directories exist implicitly and can match too). Returns the matches in the
/// order BuildKit copies them (a depth-first walk, names sorted).
///
/// As in BuildKit, the segments before the first one with a wildcard are a literal
/// directory; the rest of the pattern is matched against whole paths below it. A
/// directory that matches is taken as a whole, so nothing under it is listed again.
///
/// BuildKit ignores a malformed pattern and then reports "no matches found"; here it is
/// an error so that the caller can say why nothing matched.
pub fn expand_glob<'a>(pattern: &str, paths: impl Iterator<Item = &'a str>) -> Result<Vec<String>, BadPattern> {
    let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let first_wild = segments.iter().position(|s| has_wildcards(s)).unwrap_or(segments.len());
    let base = &segments[..first_wild];
    let rest = segments[first_wild..].join("/");
    if rest.is_empty() {
        // No wildcard: the literal path, whether or not it exists (the caller checks).
        return Ok(vec![base.join("/")]);
    }
    // Validate once so that a bad pattern is an error even when no path is a candidate.
    glob_match(&rest, "")?;

    // Every path and every parent directory, in walk order: comparing segment lists
    // sorts `a/b` before `a-c`, as a walk of `a` before its sibling `a-c` does.
    let mut all: Vec<Vec<&str>> = Vec::new();
    for path in paths {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for n in 1..=segs.len() {
            all.push(segs[..n].to_vec());
        }
    }
    all.sort();
    all.dedup();

    let mut out: Vec<String> = Vec::new();
    let mut matched_dir: Option<Vec<&str>> = None;
    for segs in &all {
        if segs.len() <= base.len() || segs[..base.len()] != *base {
            continue;
        }
        // Below a directory that already matched: the walk skipped it.
        if matches!(&matched_dir, Some(d) if segs.starts_with(d)) {
            continue;
        }
        let rel = segs[base.len()..].join("/");
        if glob_match(&rest, &rel)? {
            out.push(segs.join("/"));
            matched_dir = Some(segs.clone());
        }
    }
    Ok(out)
}

/// Go's `path.Clean`, which Docker applies to patterns and archive member names: `.` for an empty result, a leading `/` kept, `..` kept at the start
/// of a relative path and dropped at the root.
pub fn go_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if matches!(parts.last(), Some(p) if *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            s => parts.push(s),
        }
    }
    match (rooted, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".to_string(),
        (false, false) => parts.join("/"),
    }
}

/// Splits off the next chunk: a run of `*` (reported as `star`) and the non-star text
/// after it. A `*` inside `[...]` does not end the chunk.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut pattern = pattern;
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // Errors (a trailing `\`) are reported by match_chunk.
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk against the start of `s`, returning the rest of `s` and
/// whether it matched. After a mismatch it keeps reading the chunk so that a malformed
/// chunk is always an error.
fn match_chunk<'s>(chunk: &[u8], s: &'s [u8]) -> Result<(&'s [u8], bool), BadPattern> {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    let (ch, n) = decode_rune(s);
                    r = ch;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok((b"", false))
    } else {
        Ok((s, true))
    }
}

/// One class member, possibly `\`-escaped. `-` and `]` must be escaped, and a class
/// member can never end the pattern (the `]` is still missing).
fn get_esc(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk);
    // The pattern is a &str, so it never holds invalid UTF-8 (Go's other error case).
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Go's `utf8.DecodeRune`: the first character and its length; an invalid or cut-off
/// sequence (possible when a `*` skips into the middle of a character) is U+FFFD, 1 byte.
/// The caller guarantees `s` is not empty.
fn decode_rune(s: &[u8]) -> (char, usize) {
    for len in 1..=s.len().min(4) {
        if let Ok(text) = std::str::from_utf8(&s[..len]) {
            if let Some(c) = text.chars().next() {
                return (c, len);
            }
        }
    }
    (char::REPLACEMENT_CHARACTER, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD: Result<bool, BadPattern> = Err(BadPattern);

    /// Go's `matchTests` from path/filepath/match_test.go, in order.
    const GO_MATCH_TESTS: &[(&str, &str, Result<bool, BadPattern>)] = &[
        ("abc", "abc", Ok(true)),
        ("*", "abc", Ok(true)),
        ("*c", "abc", Ok(true)),
        ("a*", "a", Ok(true)),
        ("a*", "abc", Ok(true)),
        ("a*", "ab/c", Ok(false)),
        ("a*/b", "abc/b", Ok(true)),
        ("a*/b", "a/c/b", Ok(false)),
        ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
        ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
        ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
        ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
        ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
        ("ab[c]", "abc", Ok(true)),
        ("ab[b-d]", "abc", Ok(true)),
        ("ab[e-g]", "abc", Ok(false)),
        ("ab[^c]", "abc", Ok(false)),
        ("ab[^b-d]", "abc", Ok(false)),
        ("ab[^e-g]", "abc", Ok(true)),
        ("a\\*b", "a*b", Ok(true)),
        ("a\\*b", "ab", Ok(false)),
        ("a?b", "a☺b", Ok(true)),
        ("a[^a]b", "a☺b", Ok(true)),
        ("a???b", "a☺b", Ok(false)),
        ("a[^a][^a][^a]b", "a☺b", Ok(false)),
        ("[a-ζ]*", "α", Ok(true)),
        ("*[a-ζ]", "A", Ok(false)),
        ("a?b", "a/b", Ok(false)),
        ("a*b", "a/b", Ok(false)),
        ("[\\]a]", "]", Ok(true)),
        ("[\\-]", "-", Ok(true)),
        ("[x\\-]", "x", Ok(true)),
        ("[x\\-]", "-", Ok(true)),
        ("[x\\-]", "z", Ok(false)),
        ("[\\-x]", "x", Ok(true)),
        ("[\\-x]", "-", Ok(true)),
        ("[\\-x]", "a", Ok(false)),
        ("[]a]", "]", BAD),
        ("[-]", "-", BAD),
        ("[x-]", "x", BAD),
        ("[x-]", "-", BAD),
        ("[x-]", "z", BAD),
        ("[-x]", "x", BAD),
        ("[-x]", "-", BAD),
        ("[-x]", "a", BAD),
        ("\\", "a", BAD),
        ("[a-b-c]", "a", BAD),
        ("[", "a", BAD),
        ("[^", "a", BAD),
        ("[^bc", "a", BAD),
        ("a[", "a", BAD),
        ("a[", "ab", BAD),
        ("a[", "x", BAD),
        ("a/b[", "x", BAD),
        ("*x", "xxx", Ok(true)),
    ];

    /// Cases of our own: the behaviour Dockerfile authors run into.
    const OWN_MATCH_TESTS: &[(&str, &str, Result<bool, BadPattern>)] = &[
        // No `!` negation in Go: `[!a]` is the class {'!', 'a'}.
        ("[!a]", "b", Ok(false)),
        ("[!a]", "!", Ok(true)),
        ("[!a]", "a", Ok(true)),
        // A negated class, unlike `?` and `*`, can match a `/`.
        ("a[^x]b", "a/b", Ok(true)),
        ("*.go", "main.go", Ok(true)),
        ("*.go", "cmd/main.go", Ok(false)),
        ("*", "", Ok(true)),
        ("", "", Ok(true)),
        ("", "a", Ok(false)),
        ("a\\", "a", BAD),
        ("[z-a]", "q", Ok(false)), // an empty range is allowed, it matches nothing
        ("*a[", "b", BAD),
        ("\\[x]", "[x]", Ok(true)),
    ];

    fn check(table: &[(&str, &str, Result<bool, BadPattern>)]) {
        let mut failures = Vec::new();
        for (pattern, name, want) in table {
            let got = glob_match(pattern, name);
            if got != *want {
                failures.push(format!("glob_match({pattern:?}, {name:?}) = {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn go_match_table() {
        check(GO_MATCH_TESTS);
    }

    #[test]
    fn own_match_table() {
        check(OWN_MATCH_TESTS);
    }

    #[test]
    fn wildcards_are_detected_unless_escaped() {
        for (s, want) in [
            ("src/main.go", false),
            ("*.go", true),
            ("a?c", true),
            ("[ab]", true),
            ("a\\*b", false),
            ("a\\\\*b", true),
            ("trailing\\", false),
        ] {
            assert_eq!(has_wildcards(s), want, "{s}");
        }
    }

    fn expand(pattern: &str, paths: &[&str]) -> Result<Vec<String>, BadPattern> {
        expand_glob(pattern, paths.iter().copied())
    }

    #[test]
    fn expands_against_existing_paths() {
        let ctx = ["a-c", "a/b/one.go", "a/b/two.txt", "cmd/x/main.go", "go.mod", "go.sum", "README.md"];
        let cases: &[(&str, &[&str])] = &[
            // Implicit parent directories match too, and what is under them is not repeated.
            ("*", &["README.md", "a", "a-c", "cmd", "go.mod", "go.sum"]),
            ("go.*", &["go.mod", "go.sum"]),
            ("a/b/*.go", &["a/b/one.go"]),
            ("a/*/*.txt", &["a/b/two.txt"]),
            ("*/*/main.go", &["cmd/x/main.go"]),
            ("a*", &["a", "a-c"]),
            ("nothing*", &[]),
            // Without a wildcard the path is returned as is: the caller checks it exists.
            ("./a//b", &["a/b"]),
        ];
        for (pattern, want) in cases {
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(expand(pattern, &ctx), Ok(want), "{pattern}");
        }
    }

    #[test]
    fn expansion_walks_in_go_order() {
        // A walk visits `a` and everything in it before `a-c` ('-' sorts before '/').
        let got = expand("*/*", &["a-c/x", "a/b"]);
        assert_eq!(got, Ok(vec!["a/b".to_string(), "a-c/x".to_string()]));
    }

    #[test]
    fn bad_pattern_is_reported_even_without_candidates() {
        assert_eq!(expand("src/[", &[]), Err(BadPattern));
        assert_eq!(BadPattern.to_string(), "syntax error in pattern");
    }
}
