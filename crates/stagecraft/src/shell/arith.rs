//! Arithmetic expansion `$((…))`: 64-bit integers with wrapping, as shells do.

use brush_parser::ast::{ArithmeticExpr as E, ArithmeticTarget, BinaryOperator as B, UnaryAssignmentOperator as UA, UnaryOperator as U};

use super::session::{Flow, Session};
use super::words::fatal;

const MAX_DEPTH: usize = 64;

/// Evaluates an already parameter-expanded expression.
pub fn eval_str(s: &mut Session, text: &str) -> Result<i64, Flow> {
    if text.trim().is_empty() {
        return Ok(0);
    }
    match brush_parser::arithmetic::parse(text) {
        Ok(expr) => eval(s, &expr, 0),
        Err(_) => Err(fatal(s, &format!("arithmetic syntax error: {text}"), 2)),
    }
}

fn var_value(s: &mut Session, name: &str, depth: usize) -> Result<i64, Flow> {
    let text = s.var(name).unwrap_or("").trim().to_string();
    if text.is_empty() {
        return Ok(0);
    }
    if let Some(n) = parse_int(&text) {
        return Ok(n);
    }
    if depth >= MAX_DEPTH {
        return Err(fatal(s, &format!("{name}: expression recursion level exceeded"), 2));
    }
    match brush_parser::arithmetic::parse(&text) {
        Ok(expr) => eval(s, &expr, depth + 1),
        Err(_) => Err(fatal(s, &format!("{text}: arithmetic syntax error"), 2)),
    }
}

/// Decimal, `0x` hex and leading-zero octal, as in shell arithmetic.
pub fn parse_int(text: &str) -> Option<i64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let n = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse::<i64>().ok()?
    };
    Some(if neg { n.wrapping_neg() } else { n })
}

fn target_name(t: &ArithmeticTarget) -> &str {
    match t {
        ArithmeticTarget::Variable(n) | ArithmeticTarget::ArrayElement(n, _) => n,
    }
}

fn eval(s: &mut Session, e: &E, depth: usize) -> Result<i64, Flow> {
    if depth >= MAX_DEPTH {
        return Err(fatal(s, "expression recursion level exceeded", 2));
    }
    let d = depth + 1;
    Ok(match e {
        E::Literal(n) => *n,
        E::Reference(t) => var_value(s, target_name(t), d)?,
        E::UnaryOp(op, x) => {
            let v = eval(s, x, d)?;
            match op {
                U::UnaryPlus => v,
                U::UnaryMinus => v.wrapping_neg(),
                U::BitwiseNot => !v,
                U::LogicalNot => (v == 0) as i64,
            }
        }
        E::BinaryOp(op, a, b) => match op {
            B::LogicalAnd => (eval(s, a, d)? != 0 && eval(s, b, d)? != 0) as i64,
            B::LogicalOr => (eval(s, a, d)? != 0 || eval(s, b, d)? != 0) as i64,
            _ => {
                let x = eval(s, a, d)?;
                let y = eval(s, b, d)?;
                binary(s, op, x, y)?
            }
        },
        E::Conditional(c, a, b) => {
            if eval(s, c, d)? != 0 {
                eval(s, a, d)?
            } else {
                eval(s, b, d)?
            }
        }
        E::Assignment(t, x) => {
            let v = eval(s, x, d)?;
            s.set_var(target_name(t), v.to_string());
            v
        }
        E::BinaryAssignment(op, t, x) => {
            let cur = var_value(s, target_name(t), d)?;
            let y = eval(s, x, d)?;
            let v = binary(s, op, cur, y)?;
            s.set_var(target_name(t), v.to_string());
            v
        }
        E::UnaryAssignment(op, t) => {
            let cur = var_value(s, target_name(t), d)?;
            let (new, result) = match op {
                UA::PrefixIncrement => (cur.wrapping_add(1), cur.wrapping_add(1)),
                UA::PrefixDecrement => (cur.wrapping_sub(1), cur.wrapping_sub(1)),
                UA::PostfixIncrement => (cur.wrapping_add(1), cur),
                UA::PostfixDecrement => (cur.wrapping_sub(1), cur),
            };
            s.set_var(target_name(t), new.to_string());
            result
        }
    })
}

fn binary(s: &mut Session, op: &B, x: i64, y: i64) -> Result<i64, Flow> {
    Ok(match op {
        B::Power => {
            if y < 0 {
                return Err(fatal(s, "exponent less than 0", 2));
            }
            x.wrapping_pow(y.min(u32::MAX as i64) as u32)
        }
        B::Multiply => x.wrapping_mul(y),
        B::Divide | B::Modulo => {
            if y == 0 {
                return Err(fatal(s, "division by zero", 2));
            }
            if matches!(op, B::Divide) { x.wrapping_div(y) } else { x.wrapping_rem(y) }
        }
        B::Comma => y,
        B::Add => x.wrapping_add(y),
        B::Subtract => x.wrapping_sub(y),
        B::ShiftLeft => x.wrapping_shl((y & 63) as u32),
        B::ShiftRight => x.wrapping_shr((y & 63) as u32),
        B::LessThan => (x < y) as i64,
        B::LessThanOrEqualTo => (x <= y) as i64,
        B::GreaterThan => (x > y) as i64,
        B::GreaterThanOrEqualTo => (x >= y) as i64,
        B::Equals => (x == y) as i64,
        B::NotEquals => (x != y) as i64,
        B::BitwiseAnd => x & y,
        B::BitwiseXor => x ^ y,
        B::BitwiseOr => x | y,
        B::LogicalAnd => (x != 0 && y != 0) as i64,
        B::LogicalOr => (x != 0 || y != 0) as i64,
    })
}
