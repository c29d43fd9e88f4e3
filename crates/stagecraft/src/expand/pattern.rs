//! Shell patterns for `${v#p}`, `${v%p}` and `${v/p/r}`.
//!
//! lex.go translates a pattern into a Go regexp (`*` → `.*` or `.*?`, `?` → `.`, everything
//! else literal, so `[...]` is *not* a bracket expression) and relies on Go's leftmost-first
//! rule: among matches at the leftmost start, the one a backtracking engine would find first.
//! We match the translated tokens with such a backtracker directly, which keeps the exact
//! choice of match without a regex dependency. Like Go's `.`, wildcards never match `\n`.

use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`
    Any,
    /// `*`
    Star,
}

/// `convertShellPatternToRegex`: `\` escapes only `*`, `?` and `\` (the escape is fixed to a
/// backslash here, whatever the Dockerfile's escape char); `\}` and `\/` drop the backslash
/// because it was only needed to get the char past the `${...}` scanner.
fn compile(pattern: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut chars = pattern.strip_prefix('\u{feff}').unwrap_or(pattern).chars().peekable();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '*' => Tok::Star,
            '?' => Tok::Any,
            '\\' if matches!(chars.peek(), Some('}' | '/')) => continue,
            '\\' => match chars.next() {
                Some(e @ ('*' | '?' | '\\')) => Tok::Lit(e),
                Some(e) => return Err(format!("invalid escape '\\{e}'")),
                None => return Err("invalid escape '\\' at the end of the pattern".into()),
            },
            c => Tok::Lit(c),
        });
    }
    Ok(toks)
}

struct Matcher<'p> {
    toks: &'p [Tok],
    /// Stars try their longest span first (`.*`) rather than their shortest (`.*?`).
    longest: bool,
    /// (token, position) of stars already known to lead to no match; this keeps the
    /// backtracker polynomial on adversarial patterns like `*a*a*a*b`.
    failed: HashSet<(usize, usize)>,
}

/// A star's choice point: the spans still to try are between `lo` and `hi`, next after `cur`.
struct Choice {
    pi: usize,
    si: usize,
    lo: usize,
    hi: usize,
    cur: usize,
}

impl<'p> Matcher<'p> {
    fn new(toks: &'p [Tok], longest: bool) -> Self {
        Matcher { toks, longest, failed: HashSet::new() }
    }

    /// The end of the preferred match starting exactly at `start`. Iterative (an explicit
    /// stack of choices) so that no pattern can overflow the call stack.
    fn match_at(&mut self, s: &[char], start: usize) -> Option<usize> {
        let mut stack: Vec<Choice> = Vec::new();
        let (mut pi, mut si) = (0, start);
        loop {
            // Walk forward until the pattern is done, a char mismatches, or a star opens a choice.
            loop {
                match self.toks.get(pi) {
                    None => return Some(si),
                    Some(Tok::Lit(c)) if s.get(si) == Some(c) => (pi, si) = (pi + 1, si + 1),
                    Some(Tok::Any) if s.get(si).is_some_and(|&c| c != '\n') => (pi, si) = (pi + 1, si + 1),
                    Some(Tok::Star) if !self.failed.contains(&(pi, si)) => {
                        let hi = s[si..].iter().position(|&c| c == '\n').map_or(s.len(), |n| si + n);
                        let cur = if self.longest { hi } else { si };
                        stack.push(Choice { pi, si, lo: si, hi, cur });
                        (pi, si) = (pi + 1, cur);
                    }
                    Some(_) => break,
                }
            }
            // Backtrack to the latest star that has a span left to try.
            loop {
                let c = stack.last_mut()?;
                let next = if self.longest {
                    (c.cur > c.lo).then(|| c.cur - 1)
                } else {
                    (c.cur < c.hi).then(|| c.cur + 1)
                };
                if let Some(k) = next {
                    c.cur = k;
                    (pi, si) = (c.pi + 1, k);
                    break;
                }
                self.failed.insert((c.pi, c.si));
                stack.pop();
            }
        }
    }

    /// Leftmost match at or after `from`, as Go's `FindStringIndex` (in char offsets).
    fn find(&mut self, s: &[char], from: usize) -> Option<(usize, usize)> {
        (from..=s.len()).find_map(|start| self.match_at(s, start).map(|end| (start, end)))
    }
}

/// `${v#p}` / `${v##p}`: drop the shortest / longest prefix matching the pattern.
pub(super) fn trim_prefix(pattern: &str, value: &str, longest: bool) -> Result<String, String> {
    let toks = compile(pattern)?;
    let s: Vec<char> = value.chars().collect();
    Ok(match Matcher::new(&toks, longest).match_at(&s, 0) {
        Some(end) => s[end..].iter().collect(),
        None => value.to_owned(),
    })
}

/// `${v%p}` / `${v%%p}`: a regexp cannot find the shortest *rightmost* match, so lex.go
/// reverses both the value and the pattern and trims a prefix instead.
pub(super) fn trim_suffix(pattern: &str, value: &str, longest: bool) -> Result<String, String> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, longest)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` pair in order, so `a\*c` becomes `c\*a`.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pieces: Vec<&[char]> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let len = if chars[i] == '\\' && i + 1 < chars.len() { 2 } else { 1 };
        pieces.push(&chars[i..i + len]);
        i += len;
    }
    pieces.iter().rev().flat_map(|p| p.iter()).collect()
}

/// `${v/p/r}` (first match) and `${v//p/r}` (all matches); stars are longest-first.
pub(super) fn replace(pattern: &str, value: &str, replacement: &str, all: bool) -> Result<String, String> {
    let toks = compile(pattern)?;
    let mut m = Matcher::new(&toks, true);
    let s: Vec<char> = value.chars().collect();
    if !all {
        // lex.go splices the replacement in verbatim here (no `$` templating, unlike below).
        return Ok(match m.find(&s, 0) {
            Some((a, b)) => s[..a].iter().copied().chain(replacement.chars()).chain(s[b..].iter().copied()).collect(),
            None => value.to_owned(),
        });
    }
    // Go's `Regexp.ReplaceAllString` loop.
    let mut out = String::new();
    let (mut last_end, mut pos) = (0, 0);
    while pos <= s.len() {
        let Some((a, b)) = m.find(&s, pos) else { break };
        out.extend(&s[last_end..a]);
        // An empty match right after a match is not replaced, so `x*` does not replace twice.
        if b > last_end || a == 0 {
            let matched: String = s[a..b].iter().collect();
            out.push_str(&expand_template(replacement, &matched));
        }
        last_end = b;
        pos = if b > pos { b } else { pos + 1 };
    }
    out.extend(&s[last_end..]);
    Ok(out)
}

/// `ReplaceAllString` reads `$name` / `${name}` in the replacement as capture-group references.
/// The translated pattern has only group 0 (the whole match): `$0` is the match, any other
/// name is empty, `$$` is a `$`, and a `$` that starts no name stays literal.
fn expand_template(template: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some((name, r)) = group_ref(rest) {
            if name == "0" {
                out.push_str(matched);
            }
            rest = r;
        } else {
            out.push('$');
        }
    }
    out.push_str(rest);
    out
}

/// Go's `regexp.extract`: a name of letters, digits and `_`, optionally in braces.
fn group_ref(s: &str) -> Option<(&str, &str)> {
    let (body, braced) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let len = body.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(body.len());
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    let rest = if braced { after.strip_prefix('}')? } else { after };
    Some((name, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_pattern_keeps_escape_pairs() {
        // lex_test.go's TestReversePattern
        for (p, want) in [("a\\*c", "c\\*a"), ("\\\\\\ab", "b\\a\\\\"), ("ab\\", "\\ba"), ("\\\\b", "b\\\\")] {
            assert_eq!(reverse_pattern(p), want, "{p}");
        }
    }

    #[test]
    fn invalid_escapes_are_errors() {
        for p in ["\\", "\\x", "\\\\\\"] {
            assert!(compile(p).is_err(), "{p}");
        }
    }

    #[test]
    fn brackets_and_regex_chars_are_literal() {
        assert_eq!(trim_prefix("[ab]", "[ab]c", false).as_deref(), Ok("c"));
        assert_eq!(trim_prefix("[ab]", "ac", false).as_deref(), Ok("ac"));
        assert_eq!(trim_prefix("(.+)^$|", "(.+)^$|x", false).as_deref(), Ok("x"));
    }

    #[test]
    fn wildcards_stop_at_newlines() {
        assert_eq!(trim_prefix("*", "ab\ncd", true).as_deref(), Ok("\ncd"));
        assert_eq!(trim_prefix("a?c", "a\nc", true).as_deref(), Ok("a\nc"));
        assert_eq!(replace("*", "ab\ncd", "x", true).as_deref(), Ok("x\nx"));
    }

    #[test]
    fn replace_all_templates_like_go() {
        assert_eq!(replace("o", "foo", "[$0]", true).as_deref(), Ok("f[o][o]"));
        assert_eq!(replace("o", "foo", "$1-$$-${x}-$", true).as_deref(), Ok("f-$--$-$--$"));
        // the single replacement is verbatim
        assert_eq!(replace("o", "foo", "[$0]", false).as_deref(), Ok("f[$0]o"));
        // empty pattern: Go inserts between every char
        assert_eq!(replace("", "ab", "-", true).as_deref(), Ok("-a-b-"));
    }

    #[test]
    fn adversarial_pattern_is_fast() {
        // exponential for a plain backtracker; the memo of failed stars keeps it polynomial
        let value = "a".repeat(300);
        let pattern = format!("{}b", "*a".repeat(20));
        assert_eq!(trim_prefix(&pattern, &value, true).as_deref(), Ok(value.as_str()));
    }
}
