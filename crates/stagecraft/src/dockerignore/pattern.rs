//! patternmatcher's `compile` and matching, without a regex engine.
//!
//! patternmatcher turns a pattern into a Go regular expression, or, when it can, an
//! exact, prefix or suffix string test. The regexps it builds use only a few constructs
//! (`[^/]*`, `[^/]`, `(.*/)?`, `.*`, classes, literals, `^`), so we build those as tokens
//! and run them with a small dynamic programme.
//!
//! Where we differ from Docker, on purpose: inside `[...]`, `*`, `?` and `\c` are plain
//! members here, as in `filepath.Match` (patternmatcher splices regexp text into the class,
//! so `[*]` or `[\d]` mean something no author intends); and the escapes `\0`–`\7`, `\x`,
//! `\p`, `\P`, `\Q`, `\A`, `\z`, `\b`, `\B` outside a class, which Go's regexp reads as
//! special, are refused with a message saying so rather than guessed at.

/// patternmatcher's match types.
#[derive(Clone, Debug)]
pub(super) enum Test {
    Exact(String),
    /// `dir/**`: a string prefix (so `dir` itself does not match).
    Prefix(String),
    /// `**/x` or `**x` with nothing else special: a string suffix test.
    Suffix(String),
    Tokens(Vec<Tok>),
}

/// The pieces of patternmatcher's regular expression.
#[derive(Clone, Debug)]
pub(super) enum Tok {
    Lit(char),
    /// `*` → `[^/]*`
    Star,
    /// `?` → `[^/]`
    One,
    /// `**/` inside a pattern → `(.*/)?`
    DirPrefix,
    /// `**` at the end of a pattern → `.*`
    AnyStar,
    Class(Class),
    /// A bare `^`, which Go's regex reads as "start of text".
    Start,
}

#[derive(Clone, Debug)]
pub(super) struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
    fn of(negated: bool, ranges: &[(char, char)]) -> Class {
        Class { negated, ranges: ranges.to_vec() }
    }
}

impl Test {
    pub(super) fn matches(&self, path: &str) -> bool {
        match self {
            Test::Exact(p) => path == p,
            Test::Prefix(p) => path.starts_with(p.as_str()),
            Test::Suffix(suffix) => {
                // `**/foo` also matches `foo` at the root.
                path.ends_with(suffix.as_str()) || suffix.strip_prefix('/').is_some_and(|s| path == s)
            }
            Test::Tokens(toks) => tokens_match(toks, &path.chars().collect::<Vec<_>>()),
        }
    }
}

/// patternmatcher's `compile` for `/` as separator. The match type starts as exact and
/// becomes regexp at the first wildcard, class or escape; a `**` that ends the pattern
/// makes an exact pattern a prefix test, and a pattern that starts with `**` is a suffix
/// test unless something after it needs the regexp.
pub(super) fn compile(pattern: &str) -> Result<Test, &'static str> {
    #[derive(PartialEq)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut kind = Kind::Exact;
    let mut toks = Vec::new();
    let mut pos = 0;
    let mut first = true;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        match ch {
            '*' if chars.get(pos) == Some(&'*') => {
                pos += 1;
                if chars.get(pos) == Some(&'/') {
                    pos += 1;
                }
                if pos == chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        toks.push(Tok::AnyStar);
                        kind = Kind::Regexp;
                    }
                } else {
                    toks.push(Tok::DirPrefix);
                    kind = Kind::Regexp;
                }
                if first {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                toks.push(Tok::Star);
                kind = Kind::Regexp;
            }
            '?' => {
                toks.push(Tok::One);
                kind = Kind::Regexp;
            }
            '\\' => match chars.get(pos) {
                Some(&next) => {
                    pos += 1;
                    toks.push(regex_escape(next)?);
                    kind = Kind::Regexp;
                }
                // A trailing `\` stays a literal backslash.
                None => toks.push(Tok::Lit('\\')),
            },
            '[' => {
                let (class, used) = parse_class(&chars[pos..])?;
                pos += used;
                toks.push(Tok::Class(class));
                kind = Kind::Regexp;
            }
            ']' => {
                toks.push(Tok::Lit(']'));
                kind = Kind::Regexp;
            }
            // Only meaningful once the pattern is a regexp; exact tests compare text.
            '^' => toks.push(Tok::Start),
            c => toks.push(Tok::Lit(c)),
        }
        first = false;
    }
    Ok(match kind {
        Kind::Exact => Test::Exact(pattern.to_string()),
        // Strip the trailing `**`.
        Kind::Prefix => Test::Prefix(pattern[..pattern.len() - 2].to_string()),
        Kind::Suffix => Test::Suffix(pattern[2..].to_string()),
        Kind::Regexp => Test::Tokens(toks),
    })
}

/// What Go's regex makes of `\c` outside a class.
fn regex_escape(c: char) -> Result<Tok, &'static str> {
    const DIGIT: &[(char, char)] = &[('0', '9')];
    const SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];
    const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
    Ok(match c {
        c if c.is_ascii_punctuation() => Tok::Lit(c),
        'a' => Tok::Lit('\x07'),
        'f' => Tok::Lit('\x0c'),
        'n' => Tok::Lit('\n'),
        'r' => Tok::Lit('\r'),
        't' => Tok::Lit('\t'),
        'v' => Tok::Lit('\x0b'),
        'd' | 'D' => Tok::Class(Class::of(c == 'D', DIGIT)),
        's' | 'S' => Tok::Class(Class::of(c == 'S', SPACE)),
        'w' | 'W' => Tok::Class(Class::of(c == 'W', WORD)),
        '0'..='7' | 'x' | 'p' | 'P' | 'Q' | 'A' | 'z' | 'b' | 'B' => {
            return Err("this escape means something special to Docker's matcher and is not modelled by the simulator; remove the backslash");
        }
        _ => return Err("syntax error in pattern"),
    })
}

/// A class after its `[`, in `filepath.Match` syntax (already validated): optional `^`,
/// members or ranges with `\` escapes, up to `]`. Returns the class and the characters used.
/// Unlike Go's regex, `*` and `?` inside a class are plain members here (patternmatcher
/// would splice `[^/]*` into the class, which nobody means).
fn parse_class(chars: &[char]) -> Result<(Class, usize), &'static str> {
    const BAD: &str = "syntax error in pattern";
    let mut i = 0;
    let negated = chars.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let member = |i: &mut usize| -> Result<char, &'static str> {
        let mut c = *chars.get(*i).ok_or(BAD)?;
        if c == '\\' {
            *i += 1;
            c = *chars.get(*i).ok_or(BAD)?;
        }
        *i += 1;
        Ok(c)
    };
    loop {
        match chars.get(i) {
            None => return Err(BAD),
            Some(']') if !ranges.is_empty() => return Ok((Class { negated, ranges }, i + 1)),
            Some(_) => {
                let lo = member(&mut i)?;
                let mut hi = lo;
                if chars.get(i) == Some(&'-') {
                    i += 1;
                    hi = member(&mut i)?;
                }
                if lo > hi {
                    // Go's regexp refuses `[z-a]`, so Docker fails the build on it.
                    return Err("invalid character class range");
                }
                ranges.push((lo, hi));
            }
        }
    }
}

/// Runs the tokens over the whole of `s`: `next[p]` says whether the tokens after the
/// current one match `s[p..]`, filled from the last token back, O(tokens × length).
fn tokens_match(toks: &[Tok], s: &[char]) -> bool {
    let n = s.len();
    let mut next = vec![false; n + 1];
    next[n] = true;
    for tok in toks.iter().rev() {
        let mut cur = vec![false; n + 1];
        let one = |p: usize, ok: bool| ok && next[p + 1];
        match tok {
            Tok::Lit(c) => (0..n).for_each(|p| cur[p] = one(p, s[p] == *c)),
            Tok::One => (0..n).for_each(|p| cur[p] = one(p, s[p] != '/')),
            Tok::Class(class) => (0..n).for_each(|p| cur[p] = one(p, class.matches(s[p]))),
            Tok::Start => cur[0] = next[0],
            Tok::Star | Tok::AnyStar => {
                // `[^/]*` stops at `/`; Go's `.` stops only at a newline.
                let stop = if matches!(tok, Tok::Star) { '/' } else { '\n' };
                cur[n] = next[n];
                for p in (0..n).rev() {
                    cur[p] = next[p] || (s[p] != stop && cur[p + 1]);
                }
            }
            Tok::DirPrefix => {
                // `(.*/)?`: nothing, or anything without a newline that ends in `/`.
                let mut through_slash = false; // whether `.*/` then the rest matches from p
                cur[n] = next[n];
                for p in (0..n).rev() {
                    through_slash = s[p] != '\n' && ((s[p] == '/' && next[p + 1]) || through_slash);
                    cur[p] = next[p] || through_slash;
                }
            }
        }
        next = cur;
    }
    next[0]
}
