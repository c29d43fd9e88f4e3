//! Data-driven tests: `test_data/shell/*.txt`, one case per `# title` block.
//!
//! ```text
//! # cp -a keeps the mode                  title
//! < /in/f mode=0600 owner=1:2 = hi\n      a file (also `< /d/`, `< /l -> t`, `< /f size 9`,
//!                                         `< /usr summary 100`)
//! @ user 1000:1000                        also `@ workdir /app`, `@ env K=V`, `@ uncertain`,
//!                                         `@ shell /bin/bash -c`, `@ exec ["ls"]`,
//!                                         `@ heredoc EOF [noexpand] [strip]` + `| body`
//! $ cp -a /in/f /out                      the script, one line per `$`
//! > status 0                              the outcome and the layer's changes
//! > + /out file 0600 1:2 "hi\n"
//! ```
//! Run with `UPDATE_EXPECT=1` to rewrite the `>` lines from what the code does.

use std::fmt::Write as _;
use std::path::Path;

use super::{run, ShellEnv};
use crate::dockerfile::{CommandForm, Heredoc, Spanned};
use crate::span::Span;
use crate::vfs::{Fs, Node, NodeKind};

#[derive(Default)]
struct Case {
    title: String,
    /// Input lines, kept verbatim for rewriting.
    input: Vec<String>,
    expected: Vec<String>,
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n").replace('\t', "\\t")
}

fn parse_cases(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("# ") {
            cases.push(Case { title: title.to_string(), ..Case::default() });
        } else if let Some(case) = cases.last_mut() {
            if let Some(exp) = line.strip_prefix("> ") {
                case.expected.push(exp.to_string());
            } else if !line.trim().is_empty() {
                case.input.push(line.to_string());
            }
        }
    }
    cases
}

fn setup_node(spec: &str) -> (String, Node) {
    let (path, rest) = spec.split_once(' ').unwrap_or((spec, ""));
    let mut mode = None;
    let mut owner = (0, 0);
    let mut rest = rest.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("mode=") {
            let (m, tail) = r.split_once(' ').unwrap_or((r, ""));
            mode = u32::from_str_radix(m, 8).ok();
            rest = tail.trim_start();
        } else if let Some(r) = rest.strip_prefix("owner=") {
            let (o, tail) = r.split_once(' ').unwrap_or((r, ""));
            let (u, g) = o.split_once(':').unwrap_or((o, o));
            owner = (u.parse().unwrap_or(0), g.parse().unwrap_or(0));
            rest = tail.trim_start();
        } else {
            break;
        }
    }
    let mut node = if let Some(n) = rest.strip_prefix("summary ") {
        let mut d = Node::dir(mode.unwrap_or(0o755));
        d.kind = NodeKind::Dir { summary_bytes: n.trim().parse().unwrap_or(0) };
        d
    } else if path.ends_with('/') && path.len() > 1 {
        Node::dir(mode.unwrap_or(0o755))
    } else if let Some(t) = rest.strip_prefix("-> ") {
        Node::symlink(t)
    } else if let Some(n) = rest.strip_prefix("size ") {
        Node::sized_file(n.trim().parse().unwrap_or(0), mode.unwrap_or(0o644))
    } else {
        let content = rest.strip_prefix("= ").or_else(|| rest.strip_prefix('=')).unwrap_or("");
        Node::file(unescape(content).into_bytes(), mode.unwrap_or(0o644))
    };
    (node.uid, node.gid) = owner;
    (path.trim_end_matches('/').to_string(), node)
}

fn describe(node: &Node) -> String {
    let head = |kind: &str| format!("{kind} {:04o} {}:{}", node.mode, node.uid, node.gid);
    match &node.kind {
        NodeKind::Dir { summary_bytes: 0 } => head("dir"),
        NodeKind::Dir { summary_bytes } => format!("{} holding {summary_bytes}", head("dir")),
        NodeKind::Symlink(t) => format!("{} -> {t}", head("symlink")),
        NodeKind::File { content: Some(c), .. } => format!("{} \"{}\"", head("file"), escape(&String::from_utf8_lossy(c))),
        NodeKind::File { size, content: None } => format!("{} size {size}", head("file")),
    }
}

/// Runs one case and returns the dump its `>` lines should hold.
fn check(case: &Case) -> Vec<String> {
    let mut fs = Fs::new();
    let mut env = ShellEnv::default();
    let mut script: Vec<String> = Vec::new();
    let mut heredocs: Vec<Heredoc> = Vec::new();
    let mut exec: Option<Vec<String>> = None;
    let mut runs: Vec<(CommandForm, Vec<Heredoc>)> = Vec::new();
    for line in &case.input {
        if let Some(spec) = line.strip_prefix("< ") {
            let (path, node) = setup_node(spec);
            fs.write(&path, node, (0, 0));
        } else if let Some(l) = line.strip_prefix("$ ").or_else(|| line.strip_prefix('$')) {
            script.push(l.to_string());
        } else if let Some(body) = line.strip_prefix("| ").or_else(|| line.strip_prefix('|')) {
            if let Some(h) = heredocs.last_mut() {
                h.content.push_str(body);
                h.content.push('\n');
            }
        } else if let Some(d) = line.strip_prefix("@ ") {
            let (key, value) = d.split_once(' ').unwrap_or((d, ""));
            match key {
                "workdir" => env.workdir = value.to_string(),
                "user" => {
                    let (u, g) = value.split_once(':').unwrap_or((value, value));
                    env.uid = u.parse().unwrap_or(0);
                    env.gid = g.parse().unwrap_or(0);
                }
                "env" => {
                    let (k, v) = value.split_once('=').unwrap_or((value, ""));
                    env.vars.push((k.to_string(), v.to_string()));
                }
                "uncertain" => env.uncertain = true,
                "next" => {
                    let command = match exec.take() {
                        Some(argv) => CommandForm::Exec(argv),
                        None => CommandForm::Shell(Spanned { value: script.join("\n"), span: Span::default() }),
                    };
                    script.clear();
                    runs.push((command, std::mem::take(&mut heredocs)));
                }
                "shell" => env.shell = value.split(' ').map(str::to_string).collect(),
                "exec" => exec = serde_json::from_str(value).ok(),
                "heredoc" => {
                    let mut words = value.split(' ');
                    let name = words.next().unwrap_or("EOF").to_string();
                    let flags: Vec<&str> = words.collect();
                    heredocs.push(Heredoc { name, content: String::new(), expand: !flags.contains(&"noexpand"), strip_tabs: flags.contains(&"strip"), span: Span::default() });
                }
                other => panic!("{}: unknown directive @{other}", case.title),
            }
        } else {
            panic!("{}: cannot read line {line:?}", case.title);
        }
    }
    fs.open_layer(1);
    let command = match exec {
        Some(argv) => CommandForm::Exec(argv),
        None => CommandForm::Shell(Spanned { value: script.join("\n"), span: Span::default() }),
    };
    runs.push((command, heredocs));
    let several = runs.len() > 1;
    let mut out = Vec::new();
    for (i, (command, heredocs)) in runs.iter().enumerate() {
        let outcome = run(command, heredocs, &env, &mut fs);
        env.uncertain |= outcome.uncertain;
        let prefix = if several { format!("run {}: ", i + 1) } else { String::new() };
        out.push(format!("{prefix}status {}", outcome.status));
        if !outcome.stdout.is_empty() {
            out.push(format!("{prefix}stdout {}", escape(&outcome.stdout)));
        }
        if let Some(f) = &outcome.failure {
            out.push(format!("{prefix}failure {f}"));
        }
        if outcome.uncertain {
            out.push(format!("{prefix}uncertain"));
        }
        for n in &outcome.notes {
            out.push(format!("{prefix}note {} {}: {}", n.severity.as_str(), n.code, n.message));
        }
    }
    let diff = fs.close_layer();
    for p in &diff.written {
        if let Some(node) = fs.get(p) {
            out.push(format!("+ {p} {}", describe(node)));
        }
    }
    for p in &diff.whiteouts {
        out.push(format!("- {p}"));
    }
    out
}

fn render(cases: &[(Case, Vec<String>)]) -> String {
    let mut text = String::new();
    for (i, (case, got)) in cases.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let _ = writeln!(text, "# {}", case.title);
        for l in &case.input {
            let _ = writeln!(text, "{l}");
        }
        for l in got {
            let _ = writeln!(text, "> {l}");
        }
    }
    text
}

#[test]
fn shell_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/shell");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("test_data/shell exists").filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable test file");
        let cases = parse_cases(&text);
        let mut results = Vec::new();
        for case in cases {
            count += 1;
            let got = check(&case);
            if got != case.expected {
                failures.push(format!("{}: {}\n  expected:\n    {}\n  got:\n    {}", file.display(), case.title, case.expected.join("\n    "), got.join("\n    ")));
            }
            results.push((case, got));
        }
        if update {
            std::fs::write(&file, render(&results)).expect("writable test file");
        }
    }
    assert!(count > 0, "no shell cases found");
    if !update {
        assert!(failures.is_empty(), "{} of {count} shell cases differ (UPDATE_EXPECT=1 re-blesses):\n\n{}", failures.len(), failures.join("\n\n"));
    }
}

/// Random token soup: whatever the script, the simulator answers (and never panics).
#[test]
fn random_scripts_never_panic() {
    let toks = ["echo", "cat", "cp", "-a", "-r", "mkdir", "-p", "chmod", "u+x", "a=", "g=u", "777", "chown", "1:2", "ln", "-sf", "rm", "-rf", "/", ".", "..", "/a", "/a/b", "a/*", "*", "?", "[", "]", "[!", "$", "${", "}", "${x:-", "${x#", "${#", "$((", "))", "$(", ")", "(", "`", "'", "\"", "\\", "|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1", "<<EOF\n", "\nEOF\n", "<<-X\n", "if", "then", "else", "fi", "for", "in", "do", "done", "while", "case", "esac", ";;", "x=1", "export", "set", "-e", "-u", "-o", "pipefail", "exit", "2", "f()", "{", "}", "test", "-f", "!", "=", "-eq", "stat", "-c", "%a%A%N%04a%", "ls", "-l", "printf", "%s%d%5.2f%b", "\\n", "\\0777", "\\x4", "sh", "-c", "eval", ".", "read", "cd", "touch", "mv", "tee", "cmp", "id", "whoami", "env", "-i", "basename", "dirname", "~", "~root", "$'\\x41'", "$@", "$*", "$#", "$?", "$0", "$9", "${x/a/b}", "${x:1:-3}", "${x: -99999999999999999}", "$((1<<63))", "$((-9223372036854775808/-1))", "$((2**-1))", "$((1/0))", "\n", " ", "[[", "]]", "=~", "==", "shift", "99", "break", "continue", "return", "umask", "0777", "exec", "busybox", "command", "-v", "source", "/dev/null", "/proc/x", "<<<", "<(", ">(", "{a,b}", "!(x)", "@(y)", "$[1]", "${!x}", "${x[@]}", "a=(1 2)", "((x++))", "for ((i=0;i<3;i++))", "coproc", "time", "function", "select"];
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; seed };
    for i in 0..3000 {
        let n = (next() % 30) as usize + 1;
        let mut script = String::new();
        for _ in 0..n {
            let t = toks[(next() % toks.len() as u64) as usize];
            script.push_str(t);
            if next() % 3 != 0 { script.push(' '); }
        }
        let mut fs = Fs::new();
        fs.write("/a/b/c", Node::file(&b"hi"[..], 0o644), (0, 0));
        fs.write("/l", Node::symlink("/l"), (0, 0));
        let cmd = CommandForm::Shell(Spanned { value: script.clone(), span: Span::default() });
        let hd = if i % 7 == 0 { vec![Heredoc { name: "EOF".into(), content: script.clone(), expand: true, strip_tabs: true, span: Span::default() }] } else { vec![] };
        let outcome = run(&cmd, &hd, &ShellEnv::default(), &mut fs);
        assert!(outcome.stdout.len() <= 64 << 20, "{script:?}");
    }
}
