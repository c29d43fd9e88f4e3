//! `test`, `[` and `[[ … ]]`. File tests look at the simulated tree; when a path's existence
//! is unknown (see `Lookup::Unknown`), the answer is unknown, and an unknown final answer is
//! taken as true with a warning rather than failing the build on a guess.

use brush_parser::ast::{BinaryPredicate as B, ExtendedTestExpr as X, TestExpr as T, UnaryPredicate as U};
use crate::vfs::{Node, NodeKind};

use super::super::interp::Exec;
use super::super::session::{Lookup, Session, Status};
use super::super::{pattern, words};

/// `Ok(None)`: cannot tell.
type Answer = Result<Option<bool>, String>;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let mut operands: Vec<String> = args[1..].to_vec();
    if args[0] == "[" {
        if operands.last().map(String::as_str) != Some("]") {
            return s.fail("[", "missing ]", 2);
        }
        operands.pop();
    }
    let expr = match brush_parser::test_command::parse(&operands) {
        Ok(e) => e,
        Err(_) => return s.fail(&args[0], "syntax error", 2),
    };
    let shown = args.join(" ");
    let answer = eval(s, &expr);
    finish(s, answer, &shown)
}

fn finish(s: &mut Session, answer: Answer, shown: &str) -> Status {
    match answer {
        Ok(Some(true)) => 0,
        Ok(Some(false)) => 1,
        Ok(None) => {
            s.assume(format!("could not tell whether `{}` holds (a path it tests is not in the simulated filesystem, but may be in a real build): assumed it does", shown.trim()));
            0
        }
        Err(e) => s.fail(shown.split(' ').next().unwrap_or("test"), &e, 2),
    }
}

fn not(a: Option<bool>) -> Option<bool> {
    a.map(|b| !b)
}

fn eval(s: &mut Session, e: &T) -> Answer {
    Ok(match e {
        T::False => Some(false),
        T::Literal(v) => Some(!v.is_empty()),
        T::Not(x) => not(eval(s, x)?),
        T::Parenthesized(x) => eval(s, x)?,
        T::And(a, b) => match eval(s, a)? {
            Some(false) => Some(false),
            l => match (l, eval(s, b)?) {
                (_, Some(false)) => Some(false),
                (Some(true), r) => r,
                _ => None,
            },
        },
        T::Or(a, b) => match eval(s, a)? {
            Some(true) => Some(true),
            l => match (l, eval(s, b)?) {
                (_, Some(true)) => Some(true),
                (Some(false), r) => r,
                _ => None,
            },
        },
        T::UnaryTest(p, v) => unary(s, p, v)?,
        T::BinaryTest(p, a, b) => binary(s, p, a, b, false)?,
    })
}

fn file_test(s: &Session, path: &str, follow: bool, f: impl Fn(&Node) -> bool) -> Option<bool> {
    if path.is_empty() {
        return Some(false);
    }
    match s.lookup(path, follow) {
        Lookup::Found { node, .. } => Some(f(&node)),
        Lookup::Missing { .. } => Some(false),
        Lookup::Unknown { .. } => None,
    }
}

fn access(s: &Session, n: &Node, bit: u32) -> bool {
    if s.uid == 0 {
        return bit != 0o1 || n.mode & 0o111 != 0 || n.is_dir();
    }
    let shift = if n.uid == s.uid { 6 } else if n.gid == s.gid { 3 } else { 0 };
    n.mode & (bit << shift) != 0
}

fn unary(s: &mut Session, p: &U, v: &str) -> Answer {
    Ok(match p {
        U::FileExists => file_test(s, v, true, |_| true),
        U::FileExistsAndIsRegularFile => file_test(s, v, true, Node::is_file),
        U::FileExistsAndIsDir => file_test(s, v, true, Node::is_dir),
        U::FileExistsAndIsSymlink => file_test(s, v, false, |n| matches!(n.kind, NodeKind::Symlink(_))),
        U::FileExistsAndIsNotZeroLength => file_test(s, v, true, |n| n.is_dir() || n.size() > 0),
        U::FileExistsAndIsSetuid => file_test(s, v, true, |n| n.mode & 0o4000 != 0),
        U::FileExistsAndIsSetgid => file_test(s, v, true, |n| n.mode & 0o2000 != 0),
        U::FileExistsAndHasStickyBit => file_test(s, v, true, |n| n.mode & 0o1000 != 0),
        U::FileExistsAndIsReadable => file_test(s, v, true, |n| access(s, n, 0o4)),
        U::FileExistsAndIsWritable => file_test(s, v, true, |n| access(s, n, 0o2)),
        U::FileExistsAndIsExecutable => file_test(s, v, true, |n| access(s, n, 0o1)),
        U::FileExistsAndOwnedByEffectiveUserId => file_test(s, v, true, |n| n.uid == s.uid),
        U::FileExistsAndOwnedByEffectiveGroupId => file_test(s, v, true, |n| n.gid == s.gid),
        U::FileExistsAndIsBlockSpecialFile | U::FileExistsAndIsFifo | U::FileExistsAndIsSocket => file_test(s, v, true, |_| false),
        U::FileExistsAndIsCharSpecialFile => Some(matches!(v, "/dev/null" | "/dev/zero" | "/dev/random" | "/dev/urandom" | "/dev/tty")),
        U::FileExistsAndModifiedSinceLastRead | U::FdIsOpenTerminal => Some(false),
        U::StringHasZeroLength => Some(v.is_empty()),
        U::StringHasNonZeroLength => Some(!v.is_empty()),
        U::ShellOptionEnabled => Some(false),
        U::ShellVariableIsSetAndAssigned | U::ShellVariableIsSetAndNameRef => Some(s.var(v).is_some()),
    })
}

/// `test` compares decimal integers (leading zeros do not make octal, unlike `$((…))`).
fn int(v: &str) -> Result<i64, String> {
    v.trim().parse::<i64>().map_err(|_| format!("{v}: integer expression expected"))
}

fn binary(s: &mut Session, p: &B, a: &str, b: &str, pattern_rhs: bool) -> Answer {
    let cmp = |x: &str, y: &str| -> Result<std::cmp::Ordering, String> {
        let (x, y) = (int(x)?, int(y)?);
        Ok(x.cmp(&y))
    };
    use std::cmp::Ordering::*;
    Ok(Some(match p {
        B::StringExactlyMatchesString | B::StringExactlyMatchesPattern => if pattern_rhs { pattern::matches(b, a) } else { a == b },
        B::StringDoesNotExactlyMatchString | B::StringDoesNotExactlyMatchPattern => if pattern_rhs { !pattern::matches(b, a) } else { a != b },
        B::StringContainsSubstring => a.contains(b),
        B::LeftSortsBeforeRight => a < b,
        B::LeftSortsAfterRight => a > b,
        B::ArithmeticEqualTo => cmp(a, b)? == Equal,
        B::ArithmeticNotEqualTo => cmp(a, b)? != Equal,
        B::ArithmeticLessThan => cmp(a, b)? == Less,
        B::ArithmeticLessThanOrEqualTo => cmp(a, b)? != Greater,
        B::ArithmeticGreaterThan => cmp(a, b)? == Greater,
        B::ArithmeticGreaterThanOrEqualTo => cmp(a, b)? != Less,
        B::FilesReferToSameDeviceAndInodeNumbers => {
            let (x, y) = (s.lookup(a, true), s.lookup(b, true));
            match (&x, &y) {
                (Lookup::Found { path: p1, .. }, Lookup::Found { path: p2, .. }) => p1 == p2,
                (Lookup::Unknown { .. }, _) | (_, Lookup::Unknown { .. }) => return Ok(None),
                _ => false,
            }
        }
        B::LeftFileIsNewerOrExistsWhenRightDoesNot | B::LeftFileIsOlderOrDoesNotExistWhenRightDoes | B::StringMatchesRegex => return Ok(None),
    }))
}

/// `[[ … ]]`: words are expanded without splitting or globbing; `==` takes a pattern.
pub fn extended(s: &mut Session, e: &X) -> Exec {
    let answer = eval_extended(s, e)?;
    Ok(finish(s, answer, "[[ … ]]"))
}

fn eval_extended(s: &mut Session, e: &X) -> Result<Answer, super::super::session::Flow> {
    Ok(Ok(match e {
        X::Not(x) => match eval_extended(s, x)? {
            Ok(a) => not(a),
            err => return Ok(err),
        },
        X::Parenthesized(x) => return eval_extended(s, x),
        X::And(a, b) | X::Or(a, b) => {
            let and = matches!(e, X::And(..));
            let l = match eval_extended(s, a)? {
                Ok(v) => v,
                err => return Ok(err),
            };
            if l == Some(!and) {
                return Ok(Ok(l));
            }
            let r = match eval_extended(s, b)? {
                Ok(v) => v,
                err => return Ok(err),
            };
            match (l, r) {
                (_, Some(v)) if v != and => Some(v),
                (Some(_), r) => r,
                _ => None,
            }
        }
        X::UnaryTest(p, w) => {
            let v = words::string(s, &w.value)?;
            return Ok(unary(s, p, &v));
        }
        X::BinaryTest(p, a, b) => {
            let left = words::string(s, &a.value)?;
            let right = if matches!(p, B::StringExactlyMatchesPattern | B::StringDoesNotExactlyMatchPattern) { words::pattern(s, &b.value)? } else { words::string(s, &b.value)? };
            return Ok(binary(s, p, &left, &right, true));
        }
    }))
}
