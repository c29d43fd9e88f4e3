//! `echo` and `printf`. `echo` follows bash and busybox (escapes only with `-e`), not dash.

use super::super::arith::parse_int;
use super::super::session::{Session, Status};

/// Backslash escapes of `echo -e`, `printf` and `$'…'`. Returns the text and whether `\c`
/// asked to stop all output.
pub fn c_unescape(text: &str, echo_octal: bool) -> (String, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            out.push(c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'c' => return (out, true),
            'x' => {
                let digits: String = chars[i..].iter().take(2).take_while(|c| c.is_ascii_hexdigit()).collect();
                i += digits.len();
                match u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str("\\x"),
                }
            }
            '0'..='7' => {
                // echo: \0NNN; printf and $'…': \NNN.
                let (start, max) = if echo_octal && e == '0' { (i, 3) } else if echo_octal { (i - 1, 0) } else { (i - 1, 3) };
                if max == 0 {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                let digits: String = chars[start..].iter().take(max).take_while(|c| ('0'..='7').contains(c)).collect();
                i = start + digits.len();
                let v = u32::from_str_radix(&digits, 8).unwrap_or(0) & 0xff;
                out.push(char::from_u32(v).unwrap_or('\0'));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

pub fn echo(args: &[String], s: &mut Session) -> Status {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while let Some(a) = args.get(i) {
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let mut text = args[i.min(args.len())..].join(" ");
    if escapes {
        let (t, stop) = c_unescape(&text, true);
        text = t;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    s.out(&text);
    0
}

/// Pads `value` to `width` as printf's `-` and `0` flags say.
pub fn pad(value: &str, width: usize, left: bool, zero: bool) -> String {
    let len = value.chars().count();
    if len >= width {
        return value.to_string();
    }
    let fill = width - len;
    if left {
        format!("{value}{}", " ".repeat(fill))
    } else if zero {
        let (sign, digits) = if let Some(d) = value.strip_prefix('-') { ("-", d) } else { ("", value) };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{value}", " ".repeat(fill))
    }
}

pub fn printf(args: &[String], s: &mut Session) -> Status {
    let Some(format) = args.get(1) else {
        return s.fail("printf", "usage: printf FORMAT [ARGUMENT...]", 2);
    };
    let mut rest: &[String] = &args[2..];
    let mut out = String::new();
    let mut status = 0;
    loop {
        let before = rest.len();
        let (text, stop) = format_once(format, &mut rest, &mut status);
        out.push_str(&text);
        if stop || rest.is_empty() || rest.len() == before {
            break;
        }
    }
    s.out(&out);
    if status != 0 {
        s.err("printf: invalid number\n");
    }
    status
}

fn format_once(format: &str, args: &mut &[String], status: &mut Status) -> (String, bool) {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let next = |args: &mut &[String]| -> String {
        match args.split_first() {
            Some((a, rest)) => {
                *args = rest;
                a.clone()
            }
            None => String::new(),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let mut j = (i + 2).min(chars.len());
            let next_is = |pred: fn(&char) -> bool| chars.get(i + 1).is_some_and(pred);
            if next_is(|c| c.is_digit(8)) {
                while j < chars.len() && j < i + 4 && chars[j].is_digit(8) {
                    j += 1;
                }
            } else if next_is(|c| *c == 'x') {
                while j < chars.len() && j < i + 4 && chars[j].is_ascii_hexdigit() {
                    j += 1;
                }
            }
            let piece: String = chars[i..j].iter().collect();
            let (t, stop) = c_unescape(&piece, false);
            out.push_str(&t);
            if stop {
                return (out, true);
            }
            i = j;
            continue;
        }
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut left = false;
        let mut zero = false;
        while let Some(&f) = chars.get(i) {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' | ' ' | '#' => {}
                _ => break,
            }
            i += 1;
        }
        let width: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
        i += width.len();
        let width = width.parse::<usize>().unwrap_or(0);
        let mut precision = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let p: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
            i += p.len();
            precision = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(&conv) = chars.get(i) else { break };
        i += 1;
        let text = match conv {
            '%' => "%".to_string(),
            's' => {
                let v = next(args);
                match precision {
                    Some(p) => v.chars().take(p).collect(),
                    None => v,
                }
            }
            'b' => {
                let (t, stop) = c_unescape(&next(args), true);
                if stop {
                    out.push_str(&t);
                    return (out, true);
                }
                t
            }
            'c' => next(args).chars().next().map(String::from).unwrap_or_default(),
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let a = next(args);
                let n = number(&a, status);
                match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => n.to_string(),
                }
            }
            'f' | 'e' | 'g' | 'E' | 'G' => {
                let a = next(args);
                let v = a.trim().parse::<f64>().unwrap_or_else(|_| number(&a, status) as f64);
                format!("{v:.*}", precision.unwrap_or(6))
            }
            other => format!("%{other}"),
        };
        out.push_str(&pad(&text, width, left, zero && !matches!(conv, 's' | 'c' | 'b')));
    }
    (out, false)
}

fn number(a: &str, status: &mut Status) -> i64 {
    let t = a.trim();
    if t.is_empty() {
        return 0;
    }
    if let Some(c) = t.strip_prefix('\'').or_else(|| t.strip_prefix('"')) {
        return c.chars().next().map_or(0, |c| c as i64);
    }
    match parse_int(t) {
        Some(n) => n,
        None => {
            *status = 1;
            0
        }
    }
}
