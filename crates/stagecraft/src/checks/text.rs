//! Small helpers over the Dockerfile text for spans and fixes.

use std::ops::Range;

use crate::dockerfile::{Instruction, Word};
use crate::span::Span;

/// The line `offset` is on, without its line break.
pub fn line(source: &str, offset: usize) -> Span {
    let offset = offset.min(source.len());
    let start = source[..floor(source, offset)].rfind('\n').map_or(0, |i| i + 1);
    let end = source[start..].find('\n').map_or(source.len(), |i| start + i);
    Span::new(start, end)
}

/// The line `offset` is on, with its line break: what deleting the line removes.
pub fn whole_line(source: &str, offset: usize) -> Span {
    let l = line(source, offset);
    let end = if source[l.end..].starts_with('\n') { l.end + 1 } else { l.end };
    Span::new(l.start, end)
}

/// An instruction's span extended to the start of its line and past its line break.
pub fn instruction_lines(source: &str, ins: &Instruction) -> Span {
    let start = line(source, ins.span.start).start;
    Span::new(start, whole_line(source, ins.span.end.saturating_sub(1).max(ins.span.start)).end)
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether the word's source text is exactly its value: no line continuation inside and not
/// decoded from JSON, so positions in the value are positions in the source.
pub fn word_is_verbatim(source: &str, word: &Word) -> bool {
    source.get(word.span.start..word.span.end) == Some(word.value.as_str())
}

/// Where `$name` or `${name…}` refers to `name` in a word, as ranges of the name itself.
/// Quotes follow BuildKit's expansion: nothing expands inside single quotes, and an escaped
/// `$` is a literal.
pub fn var_refs(text: &str, name: &str, escape: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut single = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if single {
            single = c != '\'';
            continue;
        }
        if c == escape {
            chars.next();
            continue;
        }
        if c == '\'' {
            single = true;
            continue;
        }
        if c != '$' {
            continue;
        }
        let (start, braced) = match text[i + 1..].starts_with('{') {
            true => (i + 2, true),
            false => (i + 1, false),
        };
        let len = text[start..].find(|c: char| !is_name_char(c)).unwrap_or(text.len() - start);
        if &text[start..start + len] == name {
            let next = text[start + len..].chars().next();
            // `${name}` or `${name:-x}` and the like; `$name` ends at any non-name char.
            if !braced || next.is_some_and(|c| matches!(c, '}' | ':' | '-' | '+' | '?' | '#' | '%' | '/')) {
                out.push(start..start + len);
            }
        }
    }
    out
}

pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_references() {
        let src = "FROM a\nRUN b\n";
        assert_eq!(line(src, 8), Span::new(7, 12));
        assert_eq!(whole_line(src, 8), Span::new(7, 13));
        assert_eq!(whole_line("x", 0), Span::new(0, 1));
        let t = "$foo ${foo} ${foo:-x} '$foo' \\$foo $food \"$foo\"";
        let found: Vec<&str> = var_refs(t, "foo", '\\').into_iter().map(|r| &t[r]).collect();
        assert_eq!(found.len(), 4);
        assert_eq!(var_refs("${foo}", "fo", '\\'), Vec::<Range<usize>>::new());
    }
}
