//! `tr`: translate, delete or squeeze bytes from stdin to stdout, as GNU coreutils and
//! BusyBox do for the forms Dockerfiles use (`tr ',' '\n'`, `tr -d '\r'`, `tr -s ' '`,
//! `tr '[:upper:]' '[:lower:]'`). Byte-wise: multibyte characters are not sets' members.

use super::super::session::{Session, Status, Stream};
use super::parse_opts;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let long = [("delete", 'd'), ("squeeze-repeats", 's'), ("complement", 'c'), ("truncate-set1", 't')];
    let opts = match parse_opts(&args[1..], "", &long) {
        Ok(o) => o,
        Err(e) => return s.fail("tr", &e, 1),
    };
    let (delete, squeeze) = (opts.has('d'), opts.has('s'));
    let complement = opts.has('c') || opts.has('C');
    let sets: Vec<Vec<u8>> = match opts.operands.iter().map(|o| parse_set(o)).collect::<Result<_, _>>() {
        Ok(v) => v,
        Err(e) => return s.fail("tr", &e, 1),
    };
    let n = sets.len();
    let fits = match (delete, squeeze) {
        (false, false) | (true, true) => n == 2,
        (true, false) => n == 1,
        (false, true) => n == 1 || n == 2,
    };
    if !fits {
        return s.fail("tr", &format!("{} operands", if n < 2 && !delete { "missing" } else { "wrong number of" }), 1);
    }
    let translating = !delete && n == 2;
    let mut set1 = sets[0].clone();
    if complement {
        set1 = (0..=255u8).filter(|b| !set1.contains(b)).collect();
    }
    let input: Stream = std::mem::take(&mut s.io.stdin);
    if !input.is_known() {
        s.io.stdout.opaque = true;
        return 0;
    }
    let mut map: [Option<u8>; 256] = [None; 256];
    if translating {
        let set2 = &sets[1];
        let Some(&last) = set2.last() else {
            return s.fail("tr", "when not truncating set1, string2 must be non-empty", 1);
        };
        for (i, &b) in set1.iter().enumerate() {
            // GNU pads string2 with its last byte; -t cuts string1 to string2's length.
            match set2.get(i) {
                Some(&t) => map[b as usize] = Some(t),
                None if opts.has('t') => break,
                None => map[b as usize] = Some(last),
            }
        }
    }
    // Squeezing applies to the last set given: string2 when there is one, else string1.
    let squeeze_set: Vec<u8> = if n == 2 { sets[1].clone() } else { set1.clone() };
    let mut out = Vec::with_capacity(input.bytes.len());
    for &b in &input.bytes {
        if delete && set1.contains(&b) {
            continue;
        }
        let b = map[b as usize].unwrap_or(b);
        if squeeze && out.last() == Some(&b) && squeeze_set.contains(&b) {
            continue;
        }
        out.push(b);
    }
    s.io.stdout.push(&out);
    0
}

/// A set: escapes (`\n`, `\\`, `\012`), ranges (`a-z`), classes (`[:upper:]`), repeats
/// (`[x*]`, `[x*3]`: taken as one `x`, which the padding then repeats).
fn parse_set(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let mut items: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' {
            if let Some(end) = text[i..].find(":]").filter(|_| bytes.get(i + 1) == Some(&b':')) {
                let name = &text[i + 2..i + end];
                items.extend(class(name).ok_or_else(|| format!("invalid character class '{name}'"))?);
                i += end + 2;
                continue;
            }
            if let (Some(&c), Some(b'*')) = (bytes.get(i + 1), bytes.get(i + 2)) {
                if let Some(close) = text[i + 3..].find(']') {
                    items.push(c);
                    i += 3 + close + 1;
                    continue;
                }
            }
        }
        let (b, next) = byte_at(bytes, i);
        if bytes.get(next) == Some(&b'-') && next + 1 < bytes.len() {
            let (hi, after) = byte_at(bytes, next + 1);
            if hi < b {
                return Err(format!("range-endpoints of '{}-{}' are in reverse collating sequence order", b as char, hi as char));
            }
            items.extend(b..=hi);
            i = after;
        } else {
            items.push(b);
            i = next;
        }
    }
    Ok(items)
}

/// The byte at `i`, with backslash escapes, and where the next item starts.
fn byte_at(bytes: &[u8], i: usize) -> (u8, usize) {
    if bytes[i] != b'\\' || i + 1 >= bytes.len() {
        return (bytes[i], i + 1);
    }
    let c = bytes[i + 1];
    let simple = match c {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'v' => Some(11),
        b'0'..=b'7' => None,
        other => Some(other),
    };
    if let Some(b) = simple {
        return (b, i + 2);
    }
    let digits = bytes[i + 1..].iter().take(3).take_while(|d| (b'0'..=b'7').contains(d)).count();
    let value = bytes[i + 1..i + 1 + digits].iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
    ((value & 0xff) as u8, i + 1 + digits)
}

fn class(name: &str) -> Option<Vec<u8>> {
    let all = 0..=255u8;
    Some(match name {
        "alpha" => all.filter(u8::is_ascii_alphabetic).collect(),
        "digit" => all.filter(u8::is_ascii_digit).collect(),
        "alnum" => all.filter(u8::is_ascii_alphanumeric).collect(),
        "upper" => all.filter(u8::is_ascii_uppercase).collect(),
        "lower" => all.filter(u8::is_ascii_lowercase).collect(),
        "space" => all.filter(|b| b.is_ascii_whitespace() || *b == 11).collect(),
        "blank" => vec![b'\t', b' '],
        "punct" => all.filter(u8::is_ascii_punctuation).collect(),
        "cntrl" => all.filter(u8::is_ascii_control).collect(),
        "print" => (32..=126).collect(),
        "graph" => (33..=126).collect(),
        "xdigit" => all.filter(u8::is_ascii_hexdigit).collect(),
        _ => return None,
    })
}
