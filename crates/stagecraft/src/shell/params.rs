//! Parameter expansion: `$v`, `${v:-w}`, `${v#p}`, `${#v}`, `${v/p/r}`, `$@`, `$?` and friends.

use brush_parser::word::{Parameter, ParameterExpr, ParameterTestType, ParameterTransformOp, SpecialParameter, SubstringMatchKind, WordPiece};

use super::session::{Flow, Session};
use super::words::{self, fatal, Part};
use super::{arith, pattern};

/// The value of a parameter: unset, one string, or the positional parameters.
enum Value {
    Unset,
    One(String),
    Many(Vec<String>, bool),
}

impl Value {
    fn scalar(&self) -> Option<String> {
        match self {
            Value::Unset => None,
            Value::One(s) => Some(s.clone()),
            Value::Many(v, _) => Some(v.join(" ")),
        }
    }
}

pub fn is_all_positional(piece: &WordPiece) -> bool {
    matches!(
        piece,
        WordPiece::ParameterExpansion(ParameterExpr::Parameter {
            parameter: Parameter::Special(SpecialParameter::AllPositionalParameters { concatenate: false }),
            ..
        })
    )
}

fn get(s: &Session, p: &Parameter) -> Value {
    match p {
        Parameter::Positional(0) => Value::One(s.st.arg0.clone()),
        Parameter::Positional(n) => s.st.positional.get(*n as usize - 1).map_or(Value::Unset, |v| Value::One(v.clone())),
        Parameter::Special(sp) => match sp {
            SpecialParameter::AllPositionalParameters { concatenate } => Value::Many(s.st.positional.clone(), *concatenate),
            SpecialParameter::PositionalParameterCount => Value::One(s.st.positional.len().to_string()),
            SpecialParameter::LastExitStatus => Value::One(s.st.last_status.to_string()),
            SpecialParameter::CurrentOptionFlags => {
                let o = &s.st.opts;
                let flags = [(o.errexit, 'e'), (o.noglob, 'f'), (o.nounset, 'u'), (o.xtrace, 'x')];
                Value::One(flags.iter().filter(|(on, _)| *on).map(|(_, c)| *c).collect())
            }
            SpecialParameter::ProcessId => Value::One("1".to_string()),
            SpecialParameter::LastBackgroundProcessId => Value::Unset,
            SpecialParameter::ShellName => Value::One(s.st.arg0.clone()),
        },
        Parameter::Named(name) => s.var(name).map_or(Value::Unset, |v| Value::One(v.to_string())),
        Parameter::NamedWithIndex { name, index } if index == "0" || index == "@" || index == "*" => {
            s.var(name).map_or(Value::Unset, |v| Value::One(v.to_string()))
        }
        Parameter::NamedWithIndex { .. } => Value::Unset,
        Parameter::NamedWithAllIndices { name, concatenate } => {
            s.var(name).map_or(Value::Many(Vec::new(), *concatenate), |v| Value::Many(vec![v.to_string()], *concatenate))
        }
    }
}

fn name_of(p: &Parameter) -> String {
    match p {
        Parameter::Positional(n) => n.to_string(),
        Parameter::Special(_) => "special".to_string(),
        Parameter::Named(n) | Parameter::NamedWithIndex { name: n, .. } | Parameter::NamedWithAllIndices { name: n, .. } => n.clone(),
    }
}

fn missing(v: &Value, test: &ParameterTestType) -> bool {
    match (v, test) {
        (Value::Unset, _) => true,
        (Value::One(s), ParameterTestType::UnsetOrNull) => s.is_empty(),
        (Value::Many(v, _), ParameterTestType::UnsetOrNull) => v.iter().all(String::is_empty),
        _ => false,
    }
}

fn emit(s: &Session, v: Value, quoted: bool, out: &mut Vec<Part>) {
    match v {
        Value::Unset => out.push(Part::Text { s: String::new(), quoted, split: !quoted }),
        Value::One(t) => out.push(Part::Text { s: t, quoted, split: !quoted }),
        Value::Many(items, concatenate) => {
            if quoted && concatenate {
                let sep = s.var("IFS").map_or(" ".to_string(), |i| i.chars().next().map(String::from).unwrap_or_default());
                out.push(Part::Text { s: items.join(&sep), quoted, split: false });
            } else {
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        out.push(Part::Break);
                    }
                    out.push(Part::Text { s: item, quoted, split: !quoted });
                }
            }
        }
    }
}

/// Expands one `${…}` into `out`.
pub fn expand(s: &mut Session, expr: &ParameterExpr, quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    match expr {
        ParameterExpr::Parameter { parameter, .. } => {
            let v = get(s, parameter);
            check_set(s, &v, parameter)?;
            emit(s, v, quoted, out);
        }
        ParameterExpr::UseDefaultValues { parameter, test_type, default_value, .. } => {
            let v = get(s, parameter);
            if missing(&v, test_type) {
                words::expand_into(s, default_value.as_deref().unwrap_or(""), quoted, out)?;
            } else {
                emit(s, v, quoted, out);
            }
        }
        ParameterExpr::AssignDefaultValues { parameter, test_type, default_value, .. } => {
            let v = get(s, parameter);
            if missing(&v, test_type) {
                let value = words::string(s, default_value.as_deref().unwrap_or(""))?;
                if let Parameter::Named(n) = parameter {
                    s.set_var(n, value.clone());
                }
                out.push(Part::Text { s: value, quoted, split: !quoted });
            } else {
                emit(s, v, quoted, out);
            }
        }
        ParameterExpr::IndicateErrorIfNullOrUnset { parameter, test_type, error_message, .. } => {
            let v = get(s, parameter);
            if missing(&v, test_type) {
                let msg = match error_message {
                    Some(m) if !m.is_empty() => words::string(s, m)?,
                    _ => "parameter null or not set".to_string(),
                };
                return Err(fatal(s, &format!("{}: {msg}", name_of(parameter)), 2));
            }
            emit(s, v, quoted, out);
        }
        ParameterExpr::UseAlternativeValue { parameter, test_type, alternative_value, .. } => {
            if !missing(&get(s, parameter), test_type) {
                words::expand_into(s, alternative_value.as_deref().unwrap_or(""), quoted, out)?;
            }
        }
        ParameterExpr::ParameterLength { parameter, .. } => {
            let v = get(s, parameter);
            check_set(s, &v, parameter)?;
            let n = match &v {
                Value::Many(items, _) if matches!(parameter, Parameter::Special(_)) => items.len(),
                _ => v.scalar().unwrap_or_default().chars().count(),
            };
            out.push(Part::Text { s: n.to_string(), quoted, split: !quoted });
        }
        ParameterExpr::RemoveSmallestSuffixPattern { parameter, pattern, .. } => trim(s, parameter, pattern, true, false, quoted, out)?,
        ParameterExpr::RemoveLargestSuffixPattern { parameter, pattern, .. } => trim(s, parameter, pattern, true, true, quoted, out)?,
        ParameterExpr::RemoveSmallestPrefixPattern { parameter, pattern, .. } => trim(s, parameter, pattern, false, false, quoted, out)?,
        ParameterExpr::RemoveLargestPrefixPattern { parameter, pattern, .. } => trim(s, parameter, pattern, false, true, quoted, out)?,
        ParameterExpr::Substring { parameter, offset, length, .. } => {
            let value = scalar(s, parameter)?;
            let chars: Vec<char> = value.chars().collect();
            let len = chars.len() as i64;
            let off_text = words::string_quoted(s, &offset.value)?;
            let mut off = arith::eval_str(s, &off_text)?;
            if off < 0 {
                off = (len + off).max(0);
            }
            let off = off.min(len);
            let end = match length {
                Some(l) => {
                    let l_text = words::string_quoted(s, &l.value)?;
                    let l = arith::eval_str(s, &l_text)?;
                    if l < 0 { (len + l).max(off) } else { (off + l).min(len) }
                }
                None => len,
            };
            let text: String = chars[off as usize..end as usize].iter().collect();
            out.push(Part::Text { s: text, quoted, split: !quoted });
        }
        ParameterExpr::Transform { parameter, op, .. } => {
            let value = scalar(s, parameter)?;
            let text = match op {
                ParameterTransformOp::ToUpperCase => value.to_uppercase(),
                ParameterTransformOp::ToLowerCase => value.to_lowercase(),
                ParameterTransformOp::Quoted => format!("'{}'", value.replace('\'', "'\\''")),
                _ => value,
            };
            out.push(Part::Text { s: text, quoted, split: !quoted });
        }
        ParameterExpr::UppercaseFirstChar { parameter, .. } => case_change(s, parameter, true, true, quoted, out)?,
        ParameterExpr::UppercasePattern { parameter, .. } => case_change(s, parameter, true, false, quoted, out)?,
        ParameterExpr::LowercaseFirstChar { parameter, .. } => case_change(s, parameter, false, true, quoted, out)?,
        ParameterExpr::LowercasePattern { parameter, .. } => case_change(s, parameter, false, false, quoted, out)?,
        ParameterExpr::ReplaceSubstring { parameter, pattern: pat, replacement, match_kind, .. } => {
            let value = scalar(s, parameter)?;
            let pat = words::pattern(s, pat)?;
            let rep = words::string(s, replacement.as_deref().unwrap_or(""))?;
            let text = replace(&value, &pat, &rep, match_kind);
            out.push(Part::Text { s: text, quoted, split: !quoted });
        }
        ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => {}
    }
    Ok(())
}

fn check_set(s: &mut Session, v: &Value, p: &Parameter) -> Result<(), Flow> {
    if s.st.opts.nounset && matches!(v, Value::Unset) && !matches!(p, Parameter::Special(_)) {
        return Err(fatal(s, &format!("{}: parameter not set", name_of(p)), 2));
    }
    Ok(())
}

fn scalar(s: &mut Session, p: &Parameter) -> Result<String, Flow> {
    let v = get(s, p);
    check_set(s, &v, p)?;
    Ok(v.scalar().unwrap_or_default())
}

fn trim(s: &mut Session, p: &Parameter, pat: &Option<String>, suffix: bool, largest: bool, quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    let value = scalar(s, p)?;
    let pat = words::pattern(s, pat.as_deref().unwrap_or(""))?;
    let cuts = pattern::prefix_matches(&pat, &value, suffix);
    let cut = if largest { cuts.last() } else { cuts.first() };
    let text = match cut {
        Some(&n) if suffix => value[..value.len() - n].to_string(),
        Some(&n) => value[n..].to_string(),
        None => value,
    };
    out.push(Part::Text { s: text, quoted, split: !quoted });
    Ok(())
}

fn case_change(s: &mut Session, p: &Parameter, upper: bool, first: bool, quoted: bool, out: &mut Vec<Part>) -> Result<(), Flow> {
    let value = scalar(s, p)?;
    let conv = |c: &str| if upper { c.to_uppercase() } else { c.to_lowercase() };
    let text = if first {
        let mut chars = value.chars();
        match chars.next() {
            Some(c) => conv(&c.to_string()) + chars.as_str(),
            None => String::new(),
        }
    } else {
        conv(&value)
    };
    out.push(Part::Text { s: text, quoted, split: !quoted });
    Ok(())
}

/// `${v/p/r}` and friends: the longest match at each position, as bash does.
fn replace(value: &str, pat: &str, rep: &str, kind: &SubstringMatchKind) -> String {
    match kind {
        SubstringMatchKind::Prefix => match pattern::prefix_matches(pat, value, false).last() {
            Some(&n) => format!("{rep}{}", &value[n..]),
            None => value.to_string(),
        },
        SubstringMatchKind::Suffix => match pattern::prefix_matches(pat, value, true).last() {
            Some(&n) => format!("{}{rep}", &value[..value.len() - n]),
            None => value.to_string(),
        },
        SubstringMatchKind::FirstOccurrence | SubstringMatchKind::Anywhere => {
            let all = matches!(kind, SubstringMatchKind::Anywhere);
            let mut out = String::new();
            let mut i = 0;
            let mut replaced = false;
            while i < value.len() {
                let rest = &value[i..];
                let hit = if replaced && !all { None } else { pattern::prefix_matches(pat, rest, false).into_iter().rfind(|&n| n > 0) };
                match hit {
                    Some(n) => {
                        out.push_str(rep);
                        i += n;
                        replaced = true;
                    }
                    None => {
                        let c = rest.chars().next().map_or(1, char::len_utf8);
                        out.push_str(&rest[..c]);
                        i += c;
                    }
                }
            }
            out
        }
    }
}
