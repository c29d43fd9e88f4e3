//! Redirections: `>`, `>>`, `<`, `2>&1`, `>&2`, `&>`, here-documents and here-strings.
//! Files are opened (created or truncated) before the command runs, left to right, and the
//! command's output is routed after it ends — enough for commands that do not interleave.

use brush_parser::ast::{IoFileRedirectKind as K, IoFileRedirectTarget as T, IoRedirect};

use super::interp::Exec;
use super::session::{Flow, Session, Status, Stream};
use super::words;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Dest {
    /// The enclosing shell's stdout (1) or stderr (2).
    Parent(i32),
    File(String),
    Null,
}

struct Fds {
    out: Dest,
    err: Dest,
    stdin: Option<Stream>,
}

/// Sets up `redirs`, runs `f` with its own streams, then routes what it wrote.
pub fn around(s: &mut Session, redirs: &[&IoRedirect], f: impl FnOnce(&mut Session) -> Exec) -> Exec {
    let fds = match setup(s, redirs)? {
        Ok(fds) => fds,
        Err(status) => {
            s.last_stderr_line = Some(last_line(&s.io.stderr));
            return Ok(status);
        }
    };
    let mut outer = std::mem::take(&mut s.io);
    let redirected_in = fds.stdin.is_some();
    s.io.stdin = fds.stdin.unwrap_or_else(|| std::mem::take(&mut outer.stdin));
    let r = f(s);
    let inner = std::mem::replace(&mut s.io, outer);
    if !redirected_in {
        s.io.stdin = inner.stdin;
    }
    s.last_stderr_line = Some(first_line(&inner.stderr));
    route(s, &fds.out, &inner.stdout);
    route(s, &fds.err, &inner.stderr);
    r
}

// The first and last lines of a stream, as `str::lines` splits them, found in the bytes:
// these run after every command, and stderr grows over a RUN.
fn first_line(st: &Stream) -> String {
    let b = &st.bytes[..];
    line(&b[..b.iter().position(|&c| c == b'\n').unwrap_or(b.len())])
}

fn last_line(st: &Stream) -> String {
    let b = st.bytes.strip_suffix(b"\n").unwrap_or(&st.bytes);
    line(&b[b.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1)..])
}

fn line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes.strip_suffix(b"\r").unwrap_or(bytes)).into_owned()
}

fn route(s: &mut Session, dest: &Dest, data: &Stream) {
    if data.is_empty() {
        return;
    }
    match dest {
        Dest::Parent(2) => s.io.stderr.append(data),
        Dest::Parent(_) => s.io.stdout.append(data),
        Dest::File(path) => s.write_stream(path, data.clone(), true),
        Dest::Null => {}
    }
}

fn setup(s: &mut Session, redirs: &[&IoRedirect]) -> Result<Result<Fds, Status>, Flow> {
    let mut fds = Fds { out: Dest::Parent(1), err: Dest::Parent(2), stdin: None };
    for r in redirs {
        match r {
            IoRedirect::File(fd, kind, target) => {
                let fd = fd.unwrap_or(if matches!(kind, K::Read | K::DuplicateInput) { 0 } else { 1 });
                match (kind, target) {
                    (K::Write | K::Clobber | K::Append | K::ReadAndWrite, T::Filename(w)) => {
                        let path = words::string(s, &w.value)?;
                        let dest = match open_write(s, &path, matches!(kind, K::Append | K::ReadAndWrite)) {
                            Ok(d) => d,
                            Err(status) => return Ok(Err(status)),
                        };
                        set(&mut fds, fd, dest);
                    }
                    (K::Read, T::Filename(w)) => {
                        let path = words::string(s, &w.value)?;
                        match read_file(s, &path) {
                            Ok(data) => fds.stdin = Some(data),
                            Err(status) => return Ok(Err(status)),
                        }
                    }
                    (K::DuplicateOutput, T::Duplicate(w)) => {
                        let to = words::string(s, &w.value)?;
                        dup(&mut fds, fd, &to);
                    }
                    (K::DuplicateOutput, T::Fd(n)) => dup(&mut fds, fd, &n.to_string()),
                    (_, T::ProcessSubstitution(..)) => s.unmodelled("<(…)", "process substitution `<(…)`"),
                    _ => {}
                }
            }
            IoRedirect::HereDocument(_, doc) => {
                let mut body = if doc.requires_expansion { words::heredoc(s, &doc.doc.value)? } else { doc.doc.value.clone() };
                if doc.remove_tabs {
                    body = super::strip_tabs(&body);
                }
                let mut st = Stream::default();
                st.push(body.as_bytes());
                fds.stdin = Some(st);
            }
            IoRedirect::HereString(_, w) => {
                let text = words::string(s, &w.value)?;
                let mut st = Stream::default();
                st.push(text.as_bytes());
                st.push(b"\n");
                fds.stdin = Some(st);
            }
            IoRedirect::OutputAndError(w, append) => {
                let path = words::string(s, &w.value)?;
                match open_write(s, &path, *append) {
                    Ok(d) => {
                        fds.out = d.clone();
                        fds.err = d;
                    }
                    Err(status) => return Ok(Err(status)),
                }
            }
        }
    }
    Ok(Ok(fds))
}

fn set(fds: &mut Fds, fd: i32, dest: Dest) {
    match fd {
        1 => fds.out = dest,
        2 => fds.err = dest,
        _ => {}
    }
}

fn dup(fds: &mut Fds, fd: i32, to: &str) {
    let dest = match to {
        "1" => fds.out.clone(),
        "2" => fds.err.clone(),
        "-" => Dest::Null,
        _ => return,
    };
    set(fds, fd, dest);
}

fn open_write(s: &mut Session, path: &str, append: bool) -> Result<Dest, Status> {
    match path {
        "/dev/stdout" | "/proc/self/fd/1" => return Ok(Dest::Parent(1)),
        "/dev/stderr" | "/proc/self/fd/2" => return Ok(Dest::Parent(2)),
        p if p.starts_with("/dev/") || p.starts_with("/proc/") => return Ok(Dest::Null),
        _ => {}
    }
    let target = s.create_target("sh", path)?;
    if s.fs.get(&target).is_some_and(|n| n.is_dir()) {
        return Err(s.fail("sh", &format!("can't create {path}: Is a directory"), 1));
    }
    if !append || !s.fs.exists(&target) {
        s.write_stream(&target, Stream::default(), false);
    }
    Ok(Dest::File(target))
}

/// Reads a file for `<` (and for commands): its content, or an error written to stderr.
pub fn read_file(s: &mut Session, path: &str) -> Result<Stream, Status> {
    super::commands::read_input(s, "sh", path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_and_last_lines_split_as_str_lines_does() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\n\n", "\nb\n", "é\nü"] {
            let mut st = Stream::default();
            st.push(text.as_bytes());
            assert_eq!(first_line(&st), text.lines().next().unwrap_or(""), "{text:?}");
            assert_eq!(last_line(&st), text.lines().last().unwrap_or(""), "{text:?}");
        }
    }
}
