//! Inputs known to make brush-parser 0.4 panic (an `unwrap` on a number that overflows, a
//! here-document inside `${…}`). The simulator must never panic, and a panic cannot be caught
//! in the web build (`panic = "abort"`), so such text is refused before it reaches the parser.

/// Why `text` must not be given to brush-parser, if it must not.
pub fn unsafe_for_parser(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            // `99999999999>f`: the redirection's fd number is parsed with `unwrap`.
            c if c.is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) => {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start >= 10 && matches!(b.get(i), Some(b'<') | Some(b'>')) {
                    return Some("a file descriptor number too large");
                }
                continue;
            }
            // `~+99999999999999999999`: the directory-stack index is parsed with `unwrap`.
            b'~' => {
                let mut j = i + 1;
                if matches!(b.get(j), Some(b'+') | Some(b'-')) {
                    j += 1;
                }
                let start = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j - start >= 19 {
                    return Some("a directory-stack index too large");
                }
            }
            // `${ <<EOF … }`: a here-document inside a parameter expansion.
            b'$' if b.get(i + 1) == Some(&b'{') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        b'<' if b.get(j + 1) == Some(&b'<') => return Some("a here-document inside `${…}`"),
                        _ => {}
                    }
                    j += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::unsafe_for_parser;

    #[test]
    fn refuses_what_the_parser_cannot_take() {
        for bad in ["echo 99999999999>x", "echo ~99999999999999999999", "echo ~+12345678901234567890/x", "${ <<EOF\n}\nEOF\n", "x=${y:-$(cat <<E\nE\n)}"] {
            assert!(unsafe_for_parser(bad).is_some(), "{bad:?}");
        }
        for good in ["echo 2>&1 >/dev/null", "cat <<EOF > ${f}\nx\nEOF\n", "echo ${x:-1} ~/bin ~root 1234567890", "exec 3>&1"] {
            assert_eq!(unsafe_for_parser(good), None, "{good:?}");
        }
    }
}
