//! Word expansion, in POSIX order: tilde, parameters, command substitution and arithmetic;
//! then field splitting of unquoted results, pathname expansion against the simulated
//! filesystem, and quote removal. brush-parser splits a word into pieces; this evaluates them.

use brush_parser::word::{self, TildeExpr, WordPiece, WordPieceWithSource};

use super::commands::echo::c_unescape;
use super::session::{Flow, Session};
use super::{arith, interp, params, pattern};

/// Expanded text before splitting: where it came from decides what happens next.
#[derive(Clone, Debug)]
pub enum Part {
    /// `quoted`: protected from splitting and globbing. `split`: the result of an unquoted
    /// expansion (subject to field splitting); literal unquoted text is not.
    Text { s: String, quoted: bool, split: bool },
    /// A forced field boundary (between the elements of `"$@"`).
    Break,
}

/// A fatal expansion error (`${x?}`, bad substitution): the shell prints it and exits.
pub fn fatal(s: &mut Session, message: &str, status: i32) -> Flow {
    s.err(&format!("sh: {message}\n"));
    s.last_failure = Some((String::new(), format!("sh: {message}"), status));
    Flow::Exit(status)
}

fn parse(s: &mut Session, raw: &str) -> Result<Vec<WordPieceWithSource>, Flow> {
    if super::guard::unsafe_for_parser(raw).is_some() {
        return Err(fatal(s, &format!("{raw}: bad substitution"), 2));
    }
    word::parse(raw, &super::parser_options()).map_err(|_| fatal(s, &format!("{raw}: bad substitution"), 2))
}

/// Expands `raw` into parts, as inside double quotes when `quoted`.
pub fn expand_into(s: &mut Session, raw: &str, quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    let pieces = parse(s, raw)?;
    pieces_into(s, &pieces, quoted, out)
}

fn pieces_into(s: &mut Session, pieces: &[WordPieceWithSource], quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    for p in pieces {
        piece_into(s, &p.piece, quoted, out)?;
    }
    Ok(())
}

fn text(out: &mut Vec<Part>, s: String, quoted: bool, split: bool) {
    out.push(Part::Text { s, quoted, split });
}

fn piece_into(s: &mut Session, piece: &WordPiece, quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    match piece {
        WordPiece::Text(t) => text(out, t.clone(), quoted, false),
        WordPiece::SingleQuotedText(t) => text(out, t.clone(), true, false),
        WordPiece::AnsiCQuotedText(t) => text(out, c_unescape(t, false).0, true, false),
        WordPiece::DoubleQuotedSequence(inner) | WordPiece::GettextDoubleQuotedSequence(inner) => {
            // An empty "" still makes a field, except "$@" with no positional parameters.
            let only_at = matches!(inner.as_slice(), [p] if params::is_all_positional(&p.piece));
            if !(only_at && s.st.positional.is_empty()) {
                text(out, String::new(), true, false);
            }
            pieces_into(s, inner, true, out)?;
        }
        WordPiece::TildeExpansion(t) => {
            let home = match t {
                TildeExpr::Home => s.var("HOME").map(str::to_string).unwrap_or_else(|| "/root".to_string()),
                TildeExpr::UserHome(user) => super::users::home_of(s, user).unwrap_or_else(|| format!("~{user}")),
                TildeExpr::WorkingDir => s.st.cwd.clone(),
                _ => "~".to_string(),
            };
            text(out, home, true, false);
        }
        WordPiece::ParameterExpansion(expr) => params::expand(s, expr, quoted, out)?,
        WordPiece::CommandSubstitution(cmd) => {
            let value = interp::command_substitution(s, cmd)?;
            text(out, value, quoted, !quoted);
        }
        WordPiece::BackquotedCommandSubstitution(cmd) => {
            let value = interp::command_substitution(s, &unescape_backquoted(cmd))?;
            text(out, value, quoted, !quoted);
        }
        WordPiece::EscapeSequence(e) => {
            let mut chars = e.chars();
            chars.next();
            let rest: String = chars.collect();
            if rest != "\n" {
                text(out, rest, true, false);
            }
        }
        WordPiece::ArithmeticExpression(expr) => {
            let expanded = string_quoted(s, &expr.value)?;
            let value = arith::eval_str(s, &expanded)?;
            text(out, value.to_string(), quoted, !quoted);
        }
    }
    Ok(())
}

/// Inside backquotes, a backslash escapes only `$`, `` ` `` and `\`.
fn unescape_backquoted(cmd: &str) -> String {
    let mut out = String::with_capacity(cmd.len());
    let mut chars = cmd.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('$') | Some('`') | Some('\\')) {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Expands as inside double quotes: no splitting, no globbing (arithmetic, `${v:-…}` words).
pub fn string_quoted(s: &mut Session, raw: &str) -> Result<String, Flow> {
    let mut parts = Vec::new();
    if super::guard::unsafe_for_parser(raw).is_some() {
        return Err(fatal(s, &format!("{raw}: bad substitution"), 2));
    }
    let pieces = word::parse_heredoc(raw, &super::parser_options()).map_err(|_| fatal(s, &format!("{raw}: bad substitution"), 2))?;
    pieces_into(s, &pieces, true, &mut parts)?;
    Ok(join(&parts))
}

/// Expands one word to one string: assignments, redirection targets, `case` words.
pub fn string(s: &mut Session, raw: &str) -> Result<String, Flow> {
    let mut parts = Vec::new();
    expand_into(s, raw, false, &mut parts)?;
    Ok(join(&parts))
}

/// A here-document body: parameters, command substitution and arithmetic, but quotes are text.
pub fn heredoc(s: &mut Session, body: &str) -> Result<String, Flow> {
    string_quoted(s, body)
}

/// Expands a word into a pattern: quoted characters are escaped so they match literally.
pub fn pattern(s: &mut Session, raw: &str) -> Result<String, Flow> {
    let mut parts = Vec::new();
    expand_into(s, raw, false, &mut parts)?;
    Ok(parts_pattern(&parts))
}

pub fn parts_pattern(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        if let Part::Text { s, quoted, .. } = p {
            if *quoted {
                out.push_str(&pattern::escape(s));
            } else {
                out.push_str(s);
            }
        }
    }
    out
}

fn join(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text { s, .. } => out.push_str(s),
            Part::Break => out.push(' '),
        }
    }
    out
}

/// Full expansion of command words: each word may become zero or more fields.
pub fn fields(s: &mut Session, raws: &[&str]) -> Result<Vec<String>, Flow> {
    let mut result = Vec::new();
    for raw in raws {
        let mut parts = Vec::new();
        expand_into(s, raw, false, &mut parts)?;
        let ifs = s.var("IFS").map(str::to_string).unwrap_or_else(|| " \t\n".to_string());
        for field in split(&parts, &ifs) {
            glob_field(s, &field, &mut result);
        }
    }
    Ok(result)
}

/// One field after splitting: its segments (text, quoted).
type Field = Vec<(String, bool)>;

fn split(parts: &[Part], ifs: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut cur: Field = Vec::new();
    let mut live = false;
    for p in parts {
        match p {
            Part::Break => {
                fields.push(std::mem::take(&mut cur));
                live = false;
            }
            Part::Text { s, quoted, split } if *split && !quoted => {
                let mut seg = String::new();
                for c in s.chars() {
                    if ifs.contains(c) {
                        if !seg.is_empty() {
                            cur.push((std::mem::take(&mut seg), false));
                        }
                        let ws = c.is_whitespace();
                        if live || !cur.is_empty() || !ws {
                            fields.push(std::mem::take(&mut cur));
                        }
                        live = false;
                    } else {
                        seg.push(c);
                        live = true;
                    }
                }
                if !seg.is_empty() {
                    cur.push((seg, false));
                }
            }
            Part::Text { s, quoted, .. } => {
                cur.push((s.clone(), *quoted));
                live = true;
            }
        }
    }
    if live || !cur.is_empty() {
        fields.push(cur);
    }
    // A field that is only unquoted empty text vanishes; "" stays as an empty field.
    fields.into_iter().filter(|f| f.iter().any(|(t, q)| *q || !t.is_empty())).collect()
}

fn glob_field(s: &Session, field: &Field, out: &mut Vec<String>) {
    let literal: String = field.iter().map(|(t, _)| t.as_str()).collect();
    let magic = !s.st.opts.noglob && field.iter().any(|(t, q)| !q && pattern::has_magic(t));
    if magic {
        let pat: String = field.iter().map(|(t, q)| if *q { pattern::escape(t) } else { t.clone() }).collect();
        let found = pattern::glob(s, &pat);
        if !found.is_empty() {
            out.extend(found);
            return;
        }
    }
    out.push(literal);
}
