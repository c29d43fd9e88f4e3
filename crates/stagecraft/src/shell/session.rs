//! The state of one simulated shell: variables, working directory, options, the streams of
//! the command being run, the notes gathered so far and the work budget.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::diagnostics::Severity;
use crate::vfs::{self, Fs, FsError, Node, NodeKind};

use super::ShellNote;

/// Exit status of a command, as the shell sees it.
pub type Status = i32;

/// Work caps: a script beyond these is not simulated further (see `Flow::Stop`).
pub const MAX_STEPS: u64 = 200_000;
pub const MAX_DEPTH: usize = 64;
pub const MAX_STREAM_BYTES: usize = 8 << 20;
const MAX_NOTES: usize = 40;

/// Bytes flowing between commands. `unknown` counts bytes whose content the simulator does
/// not know (a base image's file listed only by size).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    pub bytes: Vec<u8>,
    pub unknown: u64,
    /// Some content is not known at all, not even its size.
    pub opaque: bool,
}

impl Stream {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64 + self.unknown
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0 && !self.opaque
    }
    pub fn push(&mut self, bytes: &[u8]) {
        let room = MAX_STREAM_BYTES.saturating_sub(self.bytes.len());
        let n = bytes.len().min(room);
        self.bytes.extend_from_slice(&bytes[..n]);
        self.unknown += (bytes.len() - n) as u64;
    }
    pub fn append(&mut self, other: &Stream) {
        self.push(&other.bytes);
        self.unknown += other.unknown;
        self.opaque |= other.opaque;
    }
    pub fn is_known(&self) -> bool {
        self.unknown == 0 && !self.opaque
    }
    /// A file node holding this stream: known content, or only a size.
    pub fn into_node(self, mode: u32, owner: (u32, u32)) -> Node {
        let mut node = if self.is_known() { Node::file(self.bytes, mode) } else { Node::sized_file(self.len(), mode) };
        node.uid = owner.0;
        node.gid = owner.1;
        node
    }
}

/// The three standard streams of the command being run.
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub stdin: Stream,
    pub stdout: Stream,
    pub stderr: Stream,
}

/// How control leaves the normal sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flow {
    Exit(Status),
    Return(Status),
    Break(u32),
    Continue(u32),
    /// The work budget ran out: stop simulating.
    Stop,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub errexit: bool,
    pub xtrace: bool,
    pub nounset: bool,
    pub pipefail: bool,
    pub noglob: bool,
}

#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    pub value: String,
    pub exported: bool,
}

/// What a path names, as far as the simulator can tell.
#[derive(Clone, Debug)]
pub enum Lookup {
    Found { path: String, node: Node },
    /// Certainly absent (or unreachable): the message is the reason, e.g. "No such file or directory".
    Missing { path: String, reason: &'static str },
    /// Not in the simulated tree, but it may exist: under a directory known only by its size,
    /// or after an unmodelled command that may have created it.
    Unknown { path: String },
}

impl Lookup {
    pub fn node(&self) -> Option<&Node> {
        match self {
            Lookup::Found { node, .. } => Some(node),
            _ => None,
        }
    }
    pub fn is_dir(&self) -> bool {
        self.node().is_some_and(Node::is_dir)
    }
}

/// Everything that is copied when a subshell starts and thrown away when it ends.
#[derive(Clone, Debug)]
pub struct ShellState {
    pub vars: Vec<Var>,
    pub cwd: String,
    pub positional: Vec<String>,
    pub arg0: String,
    pub opts: Options,
    pub umask: u32,
    pub functions: Vec<(String, Rc<brush_parser::ast::FunctionBody>)>,
    pub last_status: Status,
}

pub struct Session<'a> {
    pub fs: &'a mut Fs,
    pub uid: u32,
    pub gid: u32,
    pub st: ShellState,
    pub io: Io,
    /// Set by builtins (`exit`, `return`, `break`) for the interpreter to act on.
    pub pending: Option<Flow>,
    pub notes: Vec<ShellNote>,
    unmodelled: BTreeSet<String>,
    /// Something earlier (in this RUN or the stage) was not modelled: a missing path may exist.
    pub tainted: bool,
    /// This RUN ran something unmodelled or made an assumption.
    pub uncertain: bool,
    pub steps: u64,
    pub depth: usize,
    /// The last command that returned non-zero: its text and first line of error output.
    pub last_failure: Option<(String, String, Status)>,
    /// Whether `set -e` is ignored here (if/while conditions, `!`, left of `&&`/`||`).
    pub errexit_ignored: u32,
    /// Status of the last command substitution in the current simple command.
    pub subst_status: Option<Status>,
    /// First line of error output of the command that just ran (for failure messages).
    pub last_stderr_line: Option<String>,
}

impl<'a> Session<'a> {
    pub fn new(fs: &'a mut Fs, uid: u32, gid: u32, cwd: String, tainted: bool) -> Session<'a> {
        let st = ShellState {
            vars: Vec::new(),
            cwd,
            positional: Vec::new(),
            arg0: "/bin/sh".to_string(),
            opts: Options::default(),
            umask: 0o022,
            functions: Vec::new(),
            last_status: 0,
        };
        Session {
            fs,
            uid,
            gid,
            st,
            io: Io::default(),
            pending: None,
            notes: Vec::new(),
            unmodelled: BTreeSet::new(),
            tainted,
            uncertain: false,
            steps: 0,
            depth: 0,
            last_failure: None,
            errexit_ignored: 0,
            subst_status: None,
            last_stderr_line: None,
        }
    }

    // ---- variables ----

    pub fn var(&self, name: &str) -> Option<&str> {
        self.st.vars.iter().find(|v| v.name == name).map(|v| v.value.as_str())
    }
    pub fn set_var(&mut self, name: &str, value: String) {
        match self.st.vars.iter_mut().find(|v| v.name == name) {
            Some(v) => v.value = value,
            None => self.st.vars.push(Var { name: name.to_string(), value, exported: false }),
        }
    }
    pub fn export(&mut self, name: &str, value: Option<String>) {
        match self.st.vars.iter_mut().find(|v| v.name == name) {
            Some(v) => {
                v.exported = true;
                if let Some(val) = value {
                    v.value = val;
                }
            }
            None => {
                let value = value.unwrap_or_default();
                self.st.vars.push(Var { name: name.to_string(), value, exported: true })
            }
        }
    }
    pub fn unset_var(&mut self, name: &str) {
        self.st.vars.retain(|v| v.name != name);
    }
    pub fn exported(&self) -> Vec<(String, String)> {
        self.st.vars.iter().filter(|v| v.exported).map(|v| (v.name.clone(), v.value.clone())).collect()
    }

    // ---- output and notes ----

    pub fn out(&mut self, text: &str) {
        self.io.stdout.push(text.as_bytes());
    }
    pub fn err(&mut self, text: &str) {
        self.io.stderr.push(text.as_bytes());
    }
    /// Writes `name: message` to stderr and returns `status`, as a failing utility does.
    pub fn fail(&mut self, name: &str, message: &str, status: Status) -> Status {
        self.err(&format!("{name}: {message}\n"));
        status
    }

    pub fn note(&mut self, severity: Severity, code: &'static str, message: String) {
        if self.notes.len() < MAX_NOTES && !self.notes.iter().any(|n| n.code == code && n.message == message) {
            self.notes.push(ShellNote { severity, code, message });
        }
    }
    /// A guess that changed an outcome: recorded as a warning, and the RUN becomes uncertain.
    pub fn assume(&mut self, message: String) {
        self.uncertain = true;
        self.note(Severity::Warning, "RunAssumed", message);
    }
    /// A command the simulator has no model for: it succeeds and changes nothing.
    pub fn unmodelled(&mut self, name: &str, what: &str) {
        self.tainted = true;
        self.uncertain = true;
        // Whatever it would have printed is not known.
        self.io.stdout.opaque = true;
        if self.unmodelled.insert(name.to_string()) {
            let message = format!("no model for {what} yet: assumed to succeed and change no files");
            self.note(Severity::Info, "RunNotModelled", message);
        }
    }

    /// Counts one unit of work; false once the budget is spent.
    pub fn step(&mut self) -> bool {
        self.steps += 1;
        self.steps <= MAX_STEPS
    }

    // ---- filesystem ----

    pub fn abs(&self, path: &str) -> String {
        vfs::join(&self.st.cwd, path)
    }

    /// Looks `path` up (relative to the working directory), following symlinks in every
    /// component and, when `follow`, in the last one.
    pub fn lookup(&self, path: &str, follow: bool) -> Lookup {
        let abs = self.abs(path);
        match self.fs.resolve(&abs, follow) {
            Ok(p) => match self.fs.get(&p) {
                Some(node) => Lookup::Found { path: p, node: node.clone() },
                None => self.absent(p, "No such file or directory"),
            },
            Err(FsError::NotFound(p)) => self.absent(p, "No such file or directory"),
            Err(FsError::NotADirectory(p)) => Lookup::Missing { path: p, reason: "Not a directory" },
            Err(FsError::TooManySymlinks(p)) => Lookup::Missing { path: p, reason: "Too many levels of symbolic links" },
        }
    }

    fn absent(&self, path: String, reason: &'static str) -> Lookup {
        if self.tainted || self.under_summary(&path) {
            Lookup::Unknown { path }
        } else {
            Lookup::Missing { path, reason }
        }
    }

    /// Whether some ancestor of `path` is a directory whose contents are not listed.
    pub fn under_summary(&self, path: &str) -> bool {
        let mut p = vfs::parent(path);
        loop {
            if let Some(Node { kind: NodeKind::Dir { summary_bytes }, .. }) = self.fs.get(p) {
                if *summary_bytes > 0 {
                    return true;
                }
            }
            if p == "/" {
                return false;
            }
            p = vfs::parent(p);
        }
    }

    /// Where a new entry named `path` goes: symlinks resolved, the directory that holds it
    /// present (or possibly present: then noted, and `Fs::write` will create it). On failure
    /// the utility's error has been written and its status is returned.
    pub fn create_target(&mut self, name: &str, path: &str) -> Result<String, Status> {
        let abs = self.abs(path);
        match self.fs.resolve(&abs, true) {
            Ok(p) => match self.fs.get(vfs::parent(&p)) {
                Some(n) if n.is_dir() => Ok(p),
                _ => Err(self.fail(name, &format!("{path}: Not a directory"), 1)),
            },
            Err(FsError::NotFound(missing)) if self.tainted || self.under_summary(&missing) => {
                self.assume(format!("`{name}`: assumed `{missing}` exists (it is not in the simulated filesystem, but may be in a real build)"));
                Ok(abs)
            }
            Err(FsError::NotFound(_)) => Err(self.fail(name, &format!("{path}: No such file or directory"), 1)),
            Err(FsError::NotADirectory(_)) => Err(self.fail(name, &format!("{path}: Not a directory"), 1)),
            Err(FsError::TooManySymlinks(_)) => Err(self.fail(name, &format!("{path}: Too many levels of symbolic links"), 1)),
        }
    }

    /// Mode for a new file or directory: `0666`/`0777` less the umask.
    pub fn new_mode(&self, dir: bool) -> u32 {
        (if dir { 0o777 } else { 0o666 }) & !self.st.umask
    }
    pub fn owner(&self) -> (u32, u32) {
        (self.uid, self.gid)
    }

    /// Writes a stream to a regular file, as `>` does: an existing file keeps its mode and
    /// owner; a new one gets the umask defaults and the RUN's user.
    pub fn write_stream(&mut self, path: &str, data: Stream, append: bool) {
        let (mode, owner, mut full) = match self.fs.get(path) {
            Some(n) if n.is_file() => {
                let mut prev = Stream::default();
                if append {
                    match n.content() {
                        Some(c) => prev.push(c),
                        None => prev.unknown = n.size(),
                    }
                }
                (n.mode, (n.uid, n.gid), prev)
            }
            _ => (self.new_mode(false), self.owner(), Stream::default()),
        };
        full.append(&data);
        let node = full.into_node(mode, owner);
        let parent_owner = self.owner();
        self.fs.write(path, node, parent_owner);
    }

    pub fn depth_ok(&self) -> bool {
        self.depth < MAX_DEPTH
    }
}
