//! `sh`, `bash`, `ash`, `dash`: a new shell process running `-c TEXT`, a script file, or its
//! standard input. It gets the exported variables and the working directory, nothing else.

use super::super::interp;
use super::super::session::{Flow, Options, Session, ShellState, Status, Var};
use super::builtins::apply_set_flags;
use super::read_input;

pub fn run(args: &[String], s: &mut Session) -> Status {
    let name = args[0].rsplit('/').next().unwrap_or("sh").to_string();
    let mut i = 1;
    let mut command_mode = false;
    let mut stdin_mode = false;
    let mut set_flags: Vec<String> = Vec::new();
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a.starts_with("--") {
            i += 1;
            continue;
        }
        if a.len() < 2 || !(a.starts_with('-') || a.starts_with('+')) {
            break;
        }
        let sign = &a[..1];
        for c in a[1..].chars() {
            match c {
                'c' => command_mode = true,
                's' => stdin_mode = true,
                'l' | 'i' | 'p' | 'r' => {}
                'o' => {
                    i += 1;
                    if let Some(opt) = args.get(i) {
                        set_flags.push(format!("{sign}o"));
                        set_flags.push(opt.clone());
                    }
                }
                f => set_flags.push(format!("{sign}{f}")),
            }
        }
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    let (script, arg0, positional) = if command_mode {
        let Some(text) = rest.first() else {
            return s.fail(&name, "-c requires an argument", 2);
        };
        (text.clone(), rest.get(1).cloned().unwrap_or_else(|| name.clone()), rest.get(2..).map(<[String]>::to_vec).unwrap_or_default())
    } else if let Some(file) = rest.first().filter(|_| !stdin_mode) {
        let data = match read_input(s, &name, file) {
            Ok(d) => d,
            Err(_) => return 2,
        };
        if !data.is_known() {
            s.unmodelled(file, &format!("the script `{file}` (its content is not known)"));
            return 0;
        }
        (data.text(), file.clone(), rest[1..].to_vec())
    } else {
        let data = std::mem::take(&mut s.io.stdin);
        if !data.is_known() {
            s.unmodelled("sh <stdin>", &format!("the script `{name}` reads from its input (its content is not known)"));
            return 0;
        }
        (data.text(), name.clone(), rest.to_vec())
    };
    run_script(s, &script, arg0, positional, &set_flags)
}

/// Runs `script` in a fresh shell that inherits only the environment and directory.
pub fn run_script(s: &mut Session, script: &str, arg0: String, positional: Vec<String>, flags: &[String]) -> Status {
    if !s.depth_ok() {
        s.pending = Some(Flow::Stop);
        return 0;
    }
    let vars: Vec<Var> = s.st.vars.iter().filter(|v| v.exported).cloned().collect();
    let fresh = ShellState {
        vars,
        cwd: s.st.cwd.clone(),
        positional,
        arg0,
        opts: Options::default(),
        umask: s.st.umask,
        functions: Vec::new(),
        last_status: 0,
    };
    let saved = std::mem::replace(&mut s.st, fresh);
    let saved_ignored = std::mem::replace(&mut s.errexit_ignored, 0);
    let status = match apply_set_flags(s, flags) {
        Ok(_) => {
            s.depth += 1;
            let r = interp::run_text(s, script);
            s.depth -= 1;
            match r {
                Ok(n) | Err(Flow::Exit(n)) | Err(Flow::Return(n)) => n,
                Err(Flow::Break(_)) | Err(Flow::Continue(_)) => 0,
                Err(Flow::Stop) => {
                    s.pending = Some(Flow::Stop);
                    0
                }
            }
        }
        Err(e) => s.fail("sh", &e, 2),
    };
    s.st = saved;
    s.errexit_ignored = saved_ignored;
    status
}
