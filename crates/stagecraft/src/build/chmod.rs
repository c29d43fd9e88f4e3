//! `COPY --chmod` / `ADD --chmod` values: an octal mode up to 07777, or a symbolic mode as
//! chmod(1) reads it (`go-w`, `u=rw,g=r,o=r`, `a+X`, `u+rw,g+r,o-x,o+w`, `go=u-w`).
//! BuildKit parses symbolic modes with tonistiigi/dchapes-mode, a port of BSD's setmode(3);
//! this follows the same rules: clauses `[ugoa]*[+-=]([rwxXst]*|[ugo])...` joined by commas,
//! a clause without `ugoa` is masked by the umask (buildkitd's usual 022), `X` adds execute
//! only to directories and to files that already have some execute bit.

/// The umask a clause with no `ugoa` is relative to (buildkitd runs with 022).
const UMASK: u32 = 0o022;

const SET_ID: u32 = 0o6000;
const STICKY: u32 = 0o1000;
const USER: u32 = 0o4700;
const GROUP: u32 = 0o2070;
const OTHER: u32 = 0o0007;
const STANDARD: u32 = 0o6777;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXEC: u32 = 0o111;

/// A parsed `--chmod` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Chmod {
    Octal(u32),
    Symbolic(Vec<Op>),
}

/// One step of a symbolic mode, applied in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Set(u32),
    Clear(u32),
    /// Add these execute bits to a directory or an already executable file.
    SetExecIfAny(u32),
    /// `u`, `g` or `o` on the right of an operator: copy that class's bits to the classes in
    /// `to` (bit 2 user, 1 group, 0 other), with the operator.
    Copy { from: Class, to: u8, op: char, mask: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    User,
    Group,
    Other,
}

/// What is wrong with a `--chmod` value, in BuildKit's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChmodError {
    /// Numeric but not an octal number up to 07777.
    NotOctal,
    /// Not a mode at all (dchapes-mode's `ErrSyntax`).
    Syntax,
}

impl Chmod {
    /// BuildKit's rule: `strconv.ParseUint(s, 8, 32)` first (above 07777 is an error), else a
    /// symbolic mode; a value that looks numeric but is not octal is reported as not octal.
    pub(crate) fn parse(s: &str) -> Result<Chmod, ChmodError> {
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            return match u32::from_str_radix(s, 8) {
                Ok(m) if m <= 0o7777 => Ok(Chmod::Octal(m)),
                _ => Err(ChmodError::NotOctal),
            };
        }
        parse_symbolic(s).map(Chmod::Symbolic)
    }

    /// The mode a node with mode `old` gets.
    pub(crate) fn apply(&self, old: u32, is_dir: bool) -> u32 {
        match self {
            Chmod::Octal(m) => *m,
            Chmod::Symbolic(ops) => {
                let orig = old & 0o7777;
                let mut new = orig;
                for op in ops {
                    match *op {
                        Op::Set(bits) => new |= bits,
                        Op::Clear(bits) => new &= !bits,
                        Op::SetExecIfAny(bits) => {
                            if orig & EXEC != 0 || is_dir {
                                new |= bits;
                            }
                        }
                        Op::Copy { from, to, op, mask } => {
                            let value = match from {
                                Class::User => (new >> 6) & 0o7,
                                Class::Group => (new >> 3) & 0o7,
                                Class::Other => new & 0o7,
                            };
                            for (bit, shift) in [(4u8, 6u32), (2, 3), (1, 0)] {
                                if to & bit == 0 {
                                    continue;
                                }
                                if op == '-' || op == '=' {
                                    let clear = if op == '=' { 0o7 } else { value };
                                    new &= !((clear << shift) & mask);
                                }
                                if op == '+' || op == '=' {
                                    new |= (value << shift) & mask;
                                }
                            }
                        }
                    }
                }
                new
            }
        }
    }
}

fn parse_symbolic(s: &str) -> Result<Vec<Op>, ChmodError> {
    let mask = !UMASK & 0o7777;
    let mut ops = Vec::new();
    let mut chars = s.chars().peekable();
    if chars.peek().is_none() {
        return Err(ChmodError::Syntax);
    }
    loop {
        // Who: which bits the clause may touch (0 = all, masked by the umask).
        let mut who = 0;
        while let Some(&c) = chars.peek() {
            who |= match c {
                'a' => STANDARD,
                'u' => USER,
                'g' => GROUP,
                'o' => OTHER,
                _ => break,
            };
            chars.next();
        }
        // One or more `op perms` actions.
        loop {
            let op = match chars.next() {
                Some(c @ ('+' | '-' | '=')) => c,
                _ => return Err(ChmodError::Syntax),
            };
            let mut who = who & !STICKY;
            let (mut perm, mut perm_x) = (0u32, 0u32);
            let mut equal_done = false;
            let bits = |who: u32, arg: u32| if who != 0 { who & arg } else { mask & arg };
            let flush = |ops: &mut Vec<Op>, op: char, who: u32, perm: u32| match op {
                '+' => ops.push(Op::Set(bits(who, perm))),
                '-' => ops.push(Op::Clear(bits(who, perm))),
                _ => {
                    ops.push(Op::Clear(if who != 0 { who } else { STANDARD }));
                    ops.push(Op::Set(bits(who, perm)));
                }
            };
            loop {
                match chars.peek().copied() {
                    Some('r') => perm |= READ,
                    Some('w') => perm |= WRITE,
                    Some('x') => perm |= EXEC,
                    Some('X') if op == '+' => perm_x = EXEC,
                    Some('X') => {}
                    Some('s') if who == 0 || who & !OTHER != 0 => perm |= SET_ID,
                    Some('t') if who == 0 || who & !OTHER != 0 => {
                        who |= STICKY;
                        perm |= STICKY;
                    }
                    Some('s' | 't') => {}
                    Some(c @ ('u' | 'g' | 'o')) => {
                        if perm != 0 {
                            flush(&mut ops, op, who, perm);
                            perm = 0;
                        }
                        if op == '=' {
                            equal_done = true;
                        }
                        if perm_x != 0 {
                            ops.push(Op::SetExecIfAny(bits(who, perm_x)));
                            perm_x = 0;
                        }
                        let from = match c {
                            'u' => Class::User,
                            'g' => Class::Group,
                            _ => Class::Other,
                        };
                        let (to, copy_mask) = if who != 0 {
                            let to = u8::from(who & 0o400 != 0) << 2 | u8::from(who & 0o040 != 0) << 1 | u8::from(who & 0o004 != 0);
                            (to, 0o7777)
                        } else {
                            (0b111, mask)
                        };
                        ops.push(Op::Copy { from, to, op, mask: copy_mask });
                    }
                    _ => {
                        if perm != 0 || (op == '=' && !equal_done) {
                            flush(&mut ops, op, who, perm);
                        }
                        if perm_x != 0 {
                            ops.push(Op::SetExecIfAny(bits(who, perm_x)));
                        }
                        break;
                    }
                }
                chars.next();
            }
            match chars.peek() {
                None => return Ok(ops),
                Some(',') => {
                    chars.next();
                    if chars.peek().is_none() {
                        return Err(ChmodError::Syntax);
                    }
                    break;
                }
                Some(_) => continue,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(mode: &str, old: u32, is_dir: bool) -> u32 {
        Chmod::parse(mode).map(|c| c.apply(old, is_dir)).unwrap_or(u32::MAX)
    }

    #[test]
    fn octal_modes_and_their_errors() {
        assert_eq!(Chmod::parse("0644"), Ok(Chmod::Octal(0o644)));
        assert_eq!(Chmod::parse("0"), Ok(Chmod::Octal(0)));
        assert_eq!(Chmod::parse("7777"), Ok(Chmod::Octal(0o7777)));
        assert_eq!(Chmod::parse("10000"), Err(ChmodError::NotOctal));
        assert_eq!(Chmod::parse("999"), Err(ChmodError::NotOctal));
        assert_eq!(Chmod::parse("8u+x"), Err(ChmodError::NotOctal));
        for bad in ["", "u", "u+x,", "z+x", "+q", "${mode}"] {
            assert_eq!(Chmod::parse(bad), Err(ChmodError::Syntax), "{bad:?}");
        }
    }

    #[test]
    fn symbolic_modes_as_chmod_applies_them() {
        // BuildKit testChmodNonOctal: a 0666 file and a 0124 directory.
        assert_eq!(apply("go-w", 0o666, false), 0o644);
        assert_eq!(apply("u=rw,g=r,o=r", 0o666, false), 0o644);
        assert_eq!(apply("a+X", 0o666, false), 0o666);
        assert_eq!(apply("go-w", 0o124, true), 0o104);
        assert_eq!(apply("u+rw,g+r,o-x,o+w", 0o124, true), 0o766);
        assert_eq!(apply("a+X", 0o124, true), 0o135);
        // chmod(1) examples.
        assert_eq!(apply("+x", 0o644, false), 0o755);
        assert_eq!(apply("=rw,+X", 0o751, false), 0o755);
        assert_eq!(apply("u=rwx,go=u-w", 0o000, false), 0o755);
        assert_eq!(apply("go=", 0o777, true), 0o700);
        assert_eq!(apply("u+s", 0o755, false), 0o4755);
        assert_eq!(apply("o+t", 0o755, true), 0o755);
        assert_eq!(apply("+t", 0o755, true), 0o1755);
    }
}
