//! Walks brush-parser's AST: lists, `&&`/`||`, pipelines, compound commands, functions and
//! simple commands, with POSIX `set -e` rules. Commands themselves are in `commands`.

use std::rc::Rc;

use brush_parser::ast::{AndOr, AndOrList, Command, CommandPrefixOrSuffixItem, CompoundCommand, CompoundList, IoRedirect, Pipeline, Program, SimpleCommand};

use super::redirect;
use super::session::{Flow, Io, Session, Status};
use super::{arith, commands, pattern, words};

pub type Exec = Result<Status, Flow>;

/// Parses and runs `text` in the current shell. A script the parser cannot read is not
/// simulated: that is said in a warning, never guessed at.
pub fn run_text(s: &mut Session, text: &str) -> Exec {
    if let Some(why) = super::guard::unsafe_for_parser(text) {
        s.tainted = true;
        s.uncertain = true;
        let msg = format!("this shell script has {why}, which the shell parser cannot handle: its effects are not simulated");
        s.note(crate::diagnostics::Severity::Warning, "RunNotParsed", msg);
        return Ok(0);
    }
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(text), &super::parser_options());
    match parser.parse_program() {
        Ok(program) => run_program(s, &program),
        Err(e) => {
            s.tainted = true;
            s.uncertain = true;
            let msg = format!("could not parse this shell script ({e}): its effects are not simulated");
            s.note(crate::diagnostics::Severity::Warning, "RunNotParsed", msg);
            Ok(0)
        }
    }
}

pub fn run_program(s: &mut Session, program: &Program) -> Exec {
    let mut status = 0;
    for list in &program.complete_commands {
        status = run_list(s, list)?;
    }
    Ok(status)
}

pub fn run_list(s: &mut Session, list: &CompoundList) -> Exec {
    let mut status = 0;
    for item in &list.0 {
        status = run_and_or(s, &item.0)?;
    }
    Ok(status)
}

/// Runs `f` with `set -e` suspended (conditions, `!`, the left of `&&`/`||`).
fn ignoring_errexit(s: &mut Session, f: impl FnOnce(&mut Session) -> Exec) -> Exec {
    s.errexit_ignored += 1;
    let r = f(s);
    s.errexit_ignored -= 1;
    r
}

fn run_and_or(s: &mut Session, list: &AndOrList) -> Exec {
    let n = list.additional.len();
    let mut status = if n > 0 { ignoring_errexit(s, |s| run_pipeline(s, &list.first))? } else { run_pipeline(s, &list.first)? };
    for (i, item) in list.additional.iter().enumerate() {
        let (wanted, p) = match item {
            AndOr::And(p) => (status == 0, p),
            AndOr::Or(p) => (status != 0, p),
        };
        if !wanted {
            continue;
        }
        status = if i + 1 < n { ignoring_errexit(s, |s| run_pipeline(s, p))? } else { run_pipeline(s, p)? };
    }
    Ok(status)
}

fn run_pipeline(s: &mut Session, p: &Pipeline) -> Exec {
    let r = if p.bang { ignoring_errexit(s, |s| run_commands(s, &p.seq)) } else { run_commands(s, &p.seq) };
    let mut status = r?;
    if p.bang {
        status = (status == 0) as Status;
    }
    s.st.last_status = status;
    // POSIX rule 3: a compound command's status does not trigger -e; its inner commands did.
    let checked = matches!(p.seq.last(), Some(Command::Simple(_)) | Some(Command::Compound(CompoundCommand::Subshell(_), _)));
    if !p.bang && status != 0 && s.st.opts.errexit && s.errexit_ignored == 0 && checked {
        return Err(Flow::Exit(status));
    }
    Ok(status)
}

fn run_commands(s: &mut Session, seq: &[Command]) -> Exec {
    if let [only] = seq {
        return run_command(s, only);
    }
    // Each part of a pipeline runs in a subshell; stdout feeds the next one's stdin.
    let mut input = std::mem::take(&mut s.io.stdin);
    let mut statuses = Vec::with_capacity(seq.len());
    for (i, cmd) in seq.iter().enumerate() {
        let outer = std::mem::replace(&mut s.io, Io { stdin: std::mem::take(&mut input), ..Io::default() });
        let r = subshell(s, |s| run_command(s, cmd));
        let inner = std::mem::replace(&mut s.io, outer);
        s.io.stderr.append(&inner.stderr);
        statuses.push(r?);
        if i + 1 == seq.len() {
            s.io.stdout.append(&inner.stdout);
        } else {
            input = inner.stdout;
        }
    }
    let last = statuses.last().copied().unwrap_or(0);
    if s.st.opts.pipefail {
        return Ok(statuses.iter().rev().find(|&&st| st != 0).copied().unwrap_or(0));
    }
    Ok(last)
}

/// Runs `f` in a copy of the shell state: variables, directory and options come back after.
pub fn subshell(s: &mut Session, f: impl FnOnce(&mut Session) -> Exec) -> Exec {
    if !s.depth_ok() {
        return Err(Flow::Stop);
    }
    let saved = s.st.clone();
    s.depth += 1;
    let r = f(s);
    s.depth -= 1;
    s.st = saved;
    match r {
        Ok(n) | Err(Flow::Exit(n)) | Err(Flow::Return(n)) => Ok(n),
        Err(Flow::Break(_)) | Err(Flow::Continue(_)) => Ok(0),
        Err(Flow::Stop) => Err(Flow::Stop),
    }
}

/// `$(…)`: runs `text` in a subshell and returns its output less trailing newlines.
pub fn command_substitution(s: &mut Session, text: &str) -> Result<String, Flow> {
    let outer = std::mem::take(&mut s.io);
    let r = subshell(s, |s| run_text(s, text));
    let inner = std::mem::replace(&mut s.io, outer);
    s.io.stderr.append(&inner.stderr);
    let status = r?;
    s.st.last_status = status;
    s.subst_status = Some(status);
    if !inner.stdout.is_known() {
        s.assume(format!("the output of `$({})` is not known (it comes from a command or a file whose content is not simulated)", text.trim()));
    }
    let mut out = inner.stdout.text();
    while out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

fn run_command(s: &mut Session, cmd: &Command) -> Exec {
    match cmd {
        Command::Simple(sc) => run_simple(s, sc),
        Command::Compound(cc, redirs) => {
            let list: Vec<&IoRedirect> = redirs.iter().flat_map(|r| r.0.iter()).collect();
            redirect::around(s, &list, |s| run_compound(s, cc))
        }
        Command::Function(def) => {
            let name = def.fname.value.clone();
            s.st.functions.retain(|(n, _)| *n != name);
            s.st.functions.push((name, Rc::new(def.body.clone())));
            Ok(0)
        }
        Command::ExtendedTest(expr, redirs) => {
            let list: Vec<&IoRedirect> = redirs.iter().flat_map(|r| r.0.iter()).collect();
            redirect::around(s, &list, |s| commands::test::extended(s, &expr.expr))
        }
    }
}

fn run_loop_body(s: &mut Session, body: &CompoundList) -> Result<Option<Status>, Flow> {
    // Ok(None): break out of this loop; Ok(Some): go on.
    match run_list(s, body) {
        Ok(n) => Ok(Some(n)),
        Err(Flow::Break(n)) if n <= 1 => Ok(None),
        Err(Flow::Break(n)) => Err(Flow::Break(n - 1)),
        Err(Flow::Continue(n)) if n <= 1 => Ok(Some(0)),
        Err(Flow::Continue(n)) => Err(Flow::Continue(n - 1)),
        Err(e) => Err(e),
    }
}

fn run_compound(s: &mut Session, cc: &CompoundCommand) -> Exec {
    match cc {
        CompoundCommand::BraceGroup(g) => run_list(s, &g.list),
        CompoundCommand::Subshell(sub) => subshell(s, |s| run_list(s, &sub.list)),
        CompoundCommand::IfClause(c) => {
            if ignoring_errexit(s, |s| run_list(s, &c.condition))? == 0 {
                return run_list(s, &c.then);
            }
            for e in c.elses.iter().flatten() {
                match &e.condition {
                    Some(cond) if ignoring_errexit(s, |s| run_list(s, cond))? != 0 => continue,
                    _ => return run_list(s, &e.body),
                }
            }
            Ok(0)
        }
        CompoundCommand::ForClause(f) => {
            let values = match &f.values {
                Some(ws) => {
                    let raws: Vec<&str> = ws.iter().map(|w| w.value.as_str()).collect();
                    words::fields(s, &raws)?
                }
                None => s.st.positional.clone(),
            };
            let mut status = 0;
            for v in values {
                if !s.step() {
                    return Err(Flow::Stop);
                }
                s.set_var(&f.variable_name, v);
                match run_loop_body(s, &f.body.list)? {
                    Some(n) => status = n,
                    None => break,
                }
            }
            Ok(status)
        }
        CompoundCommand::WhileClause(w) | CompoundCommand::UntilClause(w) => {
            let until = matches!(cc, CompoundCommand::UntilClause(_));
            let mut status = 0;
            loop {
                if !s.step() {
                    return Err(Flow::Stop);
                }
                let cond = ignoring_errexit(s, |s| run_list(s, &w.0))?;
                if (cond == 0) == until {
                    break;
                }
                match run_loop_body(s, &w.1.list)? {
                    Some(n) => status = n,
                    None => break,
                }
            }
            Ok(status)
        }
        CompoundCommand::CaseClause(c) => {
            let value = words::string(s, &c.value.value)?;
            let mut status = 0;
            let mut fall_through = false;
            for item in &c.cases {
                let mut hit = fall_through;
                if !hit {
                    for p in &item.patterns {
                        let pat = words::pattern(s, &p.value)?;
                        if pattern::matches(&pat, &value) {
                            hit = true;
                            break;
                        }
                    }
                }
                if !hit {
                    continue;
                }
                status = match &item.cmd {
                    Some(list) => run_list(s, list)?,
                    None => 0,
                };
                use brush_parser::ast::CaseItemPostAction as P;
                match item.post_action {
                    P::ExitCase => return Ok(status),
                    P::UnconditionallyExecuteNextCaseItem => fall_through = true,
                    P::ContinueEvaluatingCases => fall_through = false,
                }
            }
            Ok(status)
        }
        CompoundCommand::Arithmetic(a) => {
            let text = words::string_quoted(s, &a.expr.value)?;
            Ok((arith::eval_str(s, &text)? == 0) as Status)
        }
        CompoundCommand::ArithmeticForClause(f) => {
            let eval = |s: &mut Session, e: &Option<brush_parser::ast::UnexpandedArithmeticExpr>| -> Result<i64, Flow> {
                match e {
                    Some(e) => {
                        let text = words::string_quoted(s, &e.value)?;
                        arith::eval_str(s, &text)
                    }
                    None => Ok(1),
                }
            };
            eval(s, &f.initializer)?;
            let mut status = 0;
            while eval(s, &f.condition)? != 0 {
                if !s.step() {
                    return Err(Flow::Stop);
                }
                match run_loop_body(s, &f.body.list)? {
                    Some(n) => status = n,
                    None => break,
                }
                eval(s, &f.updater)?;
            }
            Ok(status)
        }
        CompoundCommand::Coprocess(_) => {
            s.unmodelled("coproc", "`coproc`");
            Ok(0)
        }
    }
}

fn run_simple(s: &mut Session, sc: &SimpleCommand) -> Exec {
    if !s.step() {
        return Err(Flow::Stop);
    }
    let mut assigns = Vec::new();
    let mut raw_words: Vec<(&str, bool)> = Vec::new();
    let mut redirs: Vec<&IoRedirect> = Vec::new();
    let items = sc.prefix.iter().flat_map(|p| p.0.iter());
    let suffix = sc.suffix.iter().flat_map(|p| p.0.iter());
    for item in items {
        match item {
            CommandPrefixOrSuffixItem::AssignmentWord(a, w) => assigns.push((a, w)),
            CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
            CommandPrefixOrSuffixItem::Word(w) => raw_words.push((&w.value, true)),
            CommandPrefixOrSuffixItem::ProcessSubstitution(..) => s.unmodelled("<(…)", "process substitution `<(…)`"),
        }
    }
    if let Some(w) = &sc.word_or_name {
        raw_words.push((&w.value, true));
    }
    for item in suffix {
        match item {
            // `export A=$x`: a declaration's assignment is not split.
            CommandPrefixOrSuffixItem::AssignmentWord(_, w) => raw_words.push((&w.value, false)),
            CommandPrefixOrSuffixItem::IoRedirect(r) => redirs.push(r),
            CommandPrefixOrSuffixItem::Word(w) => raw_words.push((&w.value, true)),
            CommandPrefixOrSuffixItem::ProcessSubstitution(..) => s.unmodelled("<(…)", "process substitution `<(…)`"),
        }
    }
    s.subst_status = None;
    let mut argv = Vec::new();
    for (raw, split) in &raw_words {
        if *split {
            argv.extend(words::fields(s, &[raw])?);
        } else {
            argv.push(words::string(s, raw)?);
        }
    }
    let mut values = Vec::with_capacity(assigns.len());
    for (a, _) in &assigns {
        use brush_parser::ast::{AssignmentName, AssignmentValue};
        let name = match &a.name {
            AssignmentName::VariableName(n) | AssignmentName::ArrayElementName(n, _) => n.clone(),
        };
        let value = match &a.value {
            AssignmentValue::Scalar(w) => words::string(s, &w.value)?,
            AssignmentValue::Array(items) => {
                let mut vals = Vec::new();
                for (_, w) in items {
                    vals.push(words::string(s, &w.value)?);
                }
                vals.join(" ")
            }
        };
        let value = if a.append { format!("{}{value}", s.var(&name).unwrap_or("")) } else { value };
        values.push((name, value));
    }
    if argv.is_empty() {
        let status = s.subst_status.unwrap_or(0);
        for (name, value) in values {
            s.set_var(&name, value);
        }
        return redirect::around(s, &redirs, |_| Ok(status));
    }
    // `VAR=x cmd`: the variables hold for this command only.
    let saved: Vec<_> = values.iter().map(|(n, _)| (n.clone(), s.st.vars.iter().find(|v| v.name == *n).cloned())).collect();
    for (name, value) in values {
        s.export(&name, Some(value));
    }
    if s.st.opts.xtrace {
        let line = format!("+ {}\n", display_argv(&argv));
        s.err(&line);
    }
    let r = redirect::around(s, &redirs, |s| {
        let status = invoke(s, &argv);
        Ok(status)
    });
    for (name, old) in saved {
        s.unset_var(&name);
        if let Some(v) = old {
            s.st.vars.push(v);
        }
    }
    let status = r?;
    if status != 0 {
        let stderr_line = s.last_stderr_line.take().unwrap_or_default();
        s.last_failure = Some((display_argv(&argv), stderr_line, status));
    }
    match s.pending.take() {
        Some(flow) => Err(flow),
        None => Ok(status),
    }
}

/// The command line as a person would write it back.
pub fn display_argv(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if a.is_empty() {
                "''".to_string()
            } else if a.chars().any(|c| c.is_whitespace() || "'\"$`\\|&;<>()*?".contains(c)) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs one command by name: a function, a builtin or modelled utility, a script in the
/// image, or — when there is no model — nothing, with a note.
pub fn invoke(s: &mut Session, argv: &[String]) -> Status {
    let Some(name) = argv.first() else { return 0 };
    if !s.step() {
        s.pending = Some(Flow::Stop);
        return 0;
    }
    if !name.contains('/') {
        if let Some(body) = s.st.functions.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b.clone()) {
            return call_function(s, &body, argv);
        }
    }
    commands::dispatch(s, argv)
}

fn call_function(s: &mut Session, body: &brush_parser::ast::FunctionBody, argv: &[String]) -> Status {
    if !s.depth_ok() {
        s.pending = Some(Flow::Stop);
        return 0;
    }
    let saved = std::mem::replace(&mut s.st.positional, argv[1..].to_vec());
    s.depth += 1;
    let list: Vec<&IoRedirect> = body.1.iter().flat_map(|r| r.0.iter()).collect();
    let r = redirect::around(s, &list, |s| run_compound(s, &body.0));
    s.depth -= 1;
    s.st.positional = saved;
    match r {
        Ok(n) | Err(Flow::Return(n)) => n,
        Err(flow) => {
            s.pending = Some(flow);
            s.st.last_status
        }
    }
}
