//! BuildKit's rules for splitting one logical line into its parts
//! (frontend/dockerfile/parser/{parser.go,line_parsers.go}): the keyword, the
//! `--flags`, and the argument forms (words, `name=value` pairs, JSON arrays, heredoc
//! markers). Everything works on the joined text of a logical line and returns byte
//! ranges into it, so the caller can map them back to the source.

use std::ops::Range;

/// `[\t\v\f\r ]`: the whitespace BuildKit splits commands and word lists on (`reWhitespace`).
fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `range` without leading and trailing whitespace (Go's `strings.TrimSpace`).
pub(super) fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    start..end.max(start)
}

/// A `--name[=value]` word before the arguments.
#[derive(Debug)]
pub(super) struct FlagWord {
    /// The word as written.
    pub raw: Range<usize>,
    /// The word with quotes removed and `\` escapes applied (BuildKit keeps flags this way).
    pub text: String,
}

/// One instruction line cut into keyword, flags and arguments (BuildKit's `splitCommand`).
#[derive(Debug)]
pub(super) struct Parts {
    pub keyword: Range<usize>,
    pub flags: Vec<FlagWord>,
    /// The arguments after the flags, trimmed.
    pub args: Range<usize>,
}

/// Splits the instruction that starts at `at` (its first non-blank character).
pub(super) fn split_command(text: &str, at: usize) -> Parts {
    let kw_end = text[at..].find(is_split_space).map_or(text.len(), |i| at + i);
    let rest = text[kw_end..].find(|c| !is_split_space(c)).map_or(text.len(), |i| kw_end + i);
    let (flags, args_start) = extract_flags(text, rest);
    Parts { keyword: at..kw_end, flags, args: trim(text, args_start..text.len()) }
}

/// BuildKit's `extractBuilderFlags`: leading words that start with `--`, up to the first
/// other word or a lone `--`. Returns the flags and where the arguments start.
/// The escape character here is always `\`, whatever the escape directive says.
pub(super) fn extract_flags(text: &str, from: usize) -> (Vec<FlagWord>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = from;
    let mut blank_ok = false;
    let mut chars = text[from..].char_indices().map(|(i, c)| (from + i, c));
    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(FlagWord { raw: word_start..text.len(), text: word });
            }
            return (flags, text.len());
        };
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            if ch != '-' || !text[pos + 1..].starts_with('-') {
                return (flags, pos);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (flags, pos);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(FlagWord { raw: word_start..pos, text: std::mem::take(&mut word) });
                    }
                    word.clear();
                    blank_ok = false;
                } else if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                } else if ch == '\\' {
                    // A `\` at the very end is dropped.
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                } else {
                    word.push(ch);
                }
            }
            Phase::Quote(q) => {
                if ch == q {
                    phase = Phase::Word;
                } else if ch == '\\' {
                    match chars.next() {
                        Some((_, next)) => word.push(next),
                        None => phase = Phase::Word,
                    }
                } else {
                    word.push(ch);
                }
            }
            Phase::Spaces => {}
        }
    }
}

/// BuildKit's `parseWords` (ENV, LABEL, ARG): words split at unquoted whitespace, with quotes
/// and escapes kept as written, so each word is a range of the text. An escape character
/// at the very end is dropped.
pub(super) fn parse_words(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let end = range.end;
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = range.start;
    let mut len = 0usize; // characters written to the current word
    let mut blank_ok = false;
    let mut chars = text[range.clone()].char_indices().map(|(i, c)| (range.start + i, c)).peekable();
    let mut word_end = end;
    while let Some((pos, ch)) = chars.next() {
        let at_end = pos + ch.len_utf8() == end;
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            start = pos;
            len = 0;
            word_end = end;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    if blank_ok || len > 0 {
                        words.push(start..pos);
                    }
                    phase = Phase::Spaces;
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                } else if ch == escape {
                    if at_end {
                        word_end = pos;
                        continue;
                    }
                    chars.next();
                    len += 1;
                }
                len += 1;
            }
            Phase::Quote(q) => {
                if ch == q {
                    phase = Phase::Word;
                } else if ch == escape && q != '\'' {
                    if at_end {
                        phase = Phase::Word;
                        word_end = pos;
                        continue;
                    }
                    chars.next();
                    len += 1;
                }
                len += 1;
            }
            Phase::Spaces => {}
        }
    }
    if phase != Phase::Spaces && (blank_ok || len > 0) {
        words.push(start..word_end);
    }
    words
}

/// `key=value` pairs of ENV and LABEL (BuildKit's `parseNameVal`), as (key, value) ranges.
#[derive(Debug)]
pub(super) struct NameVals {
    /// In the legacy `KEY value words` form, one pair whose value is the rest of the line
    /// (the key is not followed by `=`: that is how the LegacyKeyValueFormat check tells).
    pub pairs: Vec<(Range<usize>, Range<usize>)>,
}

pub(super) fn name_vals(text: &str, args: Range<usize>, escape: char, keyword: &str) -> Result<NameVals, String> {
    let words = parse_words(text, args.clone(), escape);
    let Some(first) = words.first() else {
        return Ok(NameVals { pairs: Vec::new() });
    };
    if !text[first.clone()].contains('=') {
        let rest = &text[args.clone()];
        let Some(gap) = rest.find(is_split_space) else {
            return Err(format!("{keyword} needs a value: write `{keyword} {rest}=<value>`", rest = rest));
        };
        let value_start = rest[gap..].find(|c| !is_split_space(c)).map_or(rest.len(), |i| gap + i);
        return Ok(NameVals {
            pairs: vec![(args.start..args.start + gap, args.start + value_start..args.end)],
        });
    }
    let mut pairs = Vec::with_capacity(words.len());
    for w in words {
        let Some(eq) = text[w.clone()].find('=') else {
            return Err(format!(
                "`{}` has no `=`: {keyword} takes name=value pairs (quote values that contain spaces)",
                &text[w]
            ));
        };
        pairs.push((w.start..w.start + eq, w.start + eq + 1..w.end));
    }
    Ok(NameVals { pairs })
}

/// Words separated by `[\t\v\f\r ]+` (BuildKit's `parseStringsWhitespaceDelimited`), for
/// FROM, EXPOSE and the non-JSON forms of COPY, ADD and VOLUME. Quotes mean nothing here.
pub(super) fn split_words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices() {
        let pos = range.start + i;
        if is_split_space(c) {
            if let Some(s) = start.take() {
                words.push(s..pos);
            }
        } else if start.is_none() {
            start = Some(pos);
        }
    }
    if let Some(s) = start {
        words.push(s..range.end);
    }
    words
}

/// The first word and the rest of a HEALTHCHECK line (BuildKit's `parseHealthConfig`).
pub(super) fn first_word(text: &str, range: Range<usize>) -> (Range<usize>, Range<usize>) {
    let s = &text[range.clone()];
    let sep = s.find(char::is_whitespace).unwrap_or(s.len());
    let next = s[sep..].find(|c: char| !c.is_whitespace()).map_or(s.len(), |i| sep + i);
    (range.start..range.start + sep, range.start + next..range.end)
}

/// What BuildKit's `parseJSON` makes of an argument string.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Json {
    /// A JSON array of strings: the exec form.
    Strings(Vec<String>),
    /// Valid JSON, but not all strings: an error in BuildKit.
    NotStrings,
    /// Not a JSON array: the shell form.
    No,
}

pub(super) fn json_array(s: &str) -> Json {
    let t = s.trim_start();
    if !t.starts_with('[') {
        return Json::No;
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(t) {
        Err(_) => Json::No,
        Ok(values) => {
            let mut strings = Vec::with_capacity(values.len());
            for v in values {
                match v {
                    serde_json::Value::String(s) => strings.push(s),
                    _ => return Json::NotStrings,
                }
            }
            Json::Strings(strings)
        }
    }
}

/// The string literals of a JSON array already known to be valid, quotes included.
pub(super) fn json_strings(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if b[i] == b'"' {
            let start = i;
            i += 1;
            while i < range.end && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push(start..(i + 1).min(range.end));
        }
        i += 1;
    }
    out
}

/// A heredoc marker word such as `<<EOF`, `<<-"EOF"` or `3<<'END'` (BuildKit's `ParseHeredoc`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Marker {
    pub name: String,
    /// False when (part of) the delimiter was quoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body and from the terminator line.
    pub chomp: bool,
    /// Byte offset of `<<` inside the word.
    pub lt: usize,
}

/// `^(\d*)<<(-?)([^<]*)$`, and the delimiter must unquote to exactly one word.
pub(super) fn heredoc_marker(word: &str) -> Option<Marker> {
    let lt = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[lt..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let (mut words, quoted) = unquote_words(rest)?;
    if words.len() != 1 {
        return None;
    }
    Some(Marker { name: words.pop()?, expand: !quoted, chomp, lt })
}

/// Shell words with quotes removed and escapes applied; also says whether any quotes were
/// used. `None` for an unterminated quote.
fn unquote_words(s: &str) -> Option<(Vec<String>, bool)> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(cur.take()),
            '\'' => {
                quoted = true;
                let w = cur.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => w.push(c),
                    }
                }
            }
            '"' => {
                quoted = true;
                let w = cur.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&n @ ('"' | '$' | '\\')) => {
                                chars.next();
                                w.push(n);
                            }
                            Some(_) => w.push('\\'),
                            None => {}
                        },
                        c => w.push(c),
                    }
                }
            }
            '\\' => {
                let w = cur.get_or_insert_with(String::new);
                if let Some(n) = chars.next() {
                    w.push(n);
                }
            }
            c => cur.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(cur);
    Some((words, quoted))
}

/// The words of a whole line as BuildKit's heredoc detection sees them: its shell lexer
/// with quotes and escapes kept raw (escape always `\`). `None` when a quote or `${` is
/// unterminated, in which case BuildKit finds no heredocs on the line.
pub(super) fn raw_shell_words(text: &str) -> Option<Vec<Range<usize>>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(s..i);
            }
            continue;
        }
        start.get_or_insert(i);
        match c {
            '\'' => loop {
                if chars.next()?.1 == '\'' {
                    break;
                }
            },
            '"' => loop {
                match chars.next()?.1 {
                    '"' => break,
                    '\\' => {
                        chars.next();
                    }
                    _ => {}
                }
            },
            '\\' => {
                chars.next();
            }
            '$' if chars.peek().map(|&(_, n)| n) == Some('{') => loop {
                if chars.next()?.1 == '}' {
                    break;
                }
            },
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn flags_are_unquoted_and_stop_at_double_dash() {
        let t = r#"--from=a --chown="u g" --link -- --x y"#;
        let (flags, args) = extract_flags(t, 0);
        let got: Vec<_> = flags.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(got, ["--from=a", "--chown=u g", "--link"]);
        assert_eq!(&t[args..], " --x y");
        assert_eq!(&t[flags[1].raw.clone()], r#"--chown="u g""#);
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let t = r#"a="b c" d\ e 'f\' h\"#;
        assert_eq!(texts(t, &parse_words(t, 0..t.len(), '\\')), [r#"a="b c""#, r#"d\ e"#, r#"'f\'"#, "h"]);
        // In single quotes `\` escapes nothing: the last quote opens a string to the end.
        let t = r#"'a\'b' c"#;
        assert_eq!(texts(t, &parse_words(t, 0..t.len(), '\\')), [t]);
    }

    #[test]
    fn heredoc_markers() {
        let m = heredoc_marker("<<-\"EOF\"").unwrap();
        assert_eq!((m.name.as_str(), m.expand, m.chomp), ("EOF", false, true));
        assert_eq!(heredoc_marker("2<<END").unwrap().lt, 1);
        assert!(heredoc_marker("<<EOF").unwrap().expand);
        assert!(heredoc_marker("<<").is_none());
        assert!(heredoc_marker("a<<EOF").is_none());
        assert!(heredoc_marker("<<'E").is_none());
    }

    #[test]
    fn json_forms() {
        assert_eq!(json_array(r#" ["a", "b"]"#), Json::Strings(vec!["a".into(), "b".into()]));
        assert_eq!(json_array(r#"["a", ["b"]]"#), Json::NotStrings);
        assert_eq!(json_array(r#"['a']"#), Json::No);
        assert_eq!(json_array("echo [x]"), Json::No);
    }
}
