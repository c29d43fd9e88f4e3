use super::pattern::{compile, Test};
use super::*;
use crate::context::ContextEntry;

const CASES: &str = include_str!("../../test_data/dockerignore/cases.txt");
const MATCHES_TSV: &str = include_str!("../../test_data/dockerignore/patternmatcher_matches.tsv");
const MATCH_TSV: &str = include_str!("../../test_data/dockerignore/patternmatcher_match.tsv");

/// Rows of a tab-separated table, without `#` comment lines.
fn rows(table: &str) -> impl Iterator<Item = Vec<&str>> {
    table.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| l.split('\t').collect())
}

fn one(pattern: &str) -> Result<IgnoreMatcher, PatternError> {
    IgnoreMatcher::new(&[IgnorePattern { pattern: go_clean(pattern), exclusion: false, line: 1 }])
}

#[test]
fn patternmatcher_matches_table() {
    let mut failures = Vec::new();
    let mut count = 0;
    for row in rows(MATCHES_TSV) {
        let [pattern, path, expect] = row[..] else { panic!("bad row {row:?}") };
        count += 1;
        let m = match one(pattern) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{pattern:?}: {e}"));
                continue;
            }
        };
        let (exact, any) = (m.matches_exact(path), m.is_ignored(path));
        let want = (expect == "exact", expect != "fail");
        if (exact, any) != want {
            failures.push(format!("{pattern:?} on {path:?}: exact {exact}, with parents {any}; want {expect}"));
        }
    }
    assert_eq!(count, 68);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn patternmatcher_match_table() {
    let mut failures = Vec::new();
    let mut count = 0;
    for row in rows(MATCH_TSV) {
        let [pattern, path, expect] = row[..] else { panic!("bad row {row:?}") };
        count += 1;
        let got = match one(pattern) {
            Ok(m) => m.is_ignored(path).to_string(),
            Err(_) => "error".to_string(),
        };
        if got != expect {
            failures.push(format!("{pattern:?} on {path:?}: {got}, want {expect}"));
        }
    }
    assert_eq!(count, 54);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cases_file() {
    let mut failures = Vec::new();
    let mut count = 0;
    for case in CASES.split("\n## ").skip(1) {
        count += 1;
        let (title, body) = case.split_once('\n').unwrap_or((case, ""));
        let (ignore_file, expectations) = match body.split_once("--\n") {
            Some(parts) => parts,
            None if body.starts_with("--") => ("", body.trim_start_matches("--")),
            None => panic!("case {title:?} has no -- line"),
        };
        let matcher = IgnoreMatcher::from_text(ignore_file);
        for line in expectations.lines().filter(|l| !l.trim().is_empty()) {
            let (mark, arg) = line.split_at(1);
            let arg = arg.trim_start();
            match (mark, &matcher) {
                ("!", Err(e)) if e.message.contains(arg) => {}
                ("!", other) => failures.push(format!("{title}: want error {arg:?}, got {other:?}")),
                (_, Err(e)) => failures.push(format!("{title}: unexpected error {e}")),
                ("-", Ok(m)) if !m.is_ignored(arg) => failures.push(format!("{title}: {arg} should be ignored")),
                ("+", Ok(m)) if m.is_ignored(arg) => failures.push(format!("{title}: {arg} should be kept")),
                ("-" | "+", Ok(_)) => {}
                _ => failures.push(format!("{title}: bad line {line:?}")),
            }
        }
    }
    assert_eq!(count, 29, "cases read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn read_all_like_buildkit() {
    // BuildKit's ignorefile ReadAll test, plus a BOM and CRLF line ends.
    let text = "\u{feff}test1\r\n/test2\r\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
    let got: Vec<String> = parse_dockerignore(text)
        .iter()
        .map(|p| format!("{}{}", if p.exclusion { "!" } else { "" }, p.pattern))
        .collect();
    assert_eq!(got, ["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"]);
    let lines: Vec<usize> = parse_dockerignore(text).iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 5, 7, 8, 9]);
}

#[test]
fn errors_name_the_line() {
    let err = IgnoreMatcher::from_text("ok\n\n!\n").err();
    assert_eq!(err.map(|e| e.to_string()), Some("line 3: pattern \"!\": illegal exclusion pattern: \"!\"".to_string()));
}

#[test]
fn match_types_follow_patternmatcher_compile() {
    // patternmatcher's TestCompile: which patterns avoid the regexp.
    for (pattern, kind) in [
        ("*", "tokens"),
        ("**", "suffix"),
        ("**/**", "tokens"),
        ("dir/**", "prefix"),
        ("**/dir", "suffix"),
        ("**/dir2/*", "tokens"),
        ("**file", "suffix"),
        ("a[b-d]e", "tokens"),
        (".*", "tokens"),
        ("abc.def", "exact"),
        ("abc?def", "tokens"),
        ("**/foo/bar", "suffix"),
        ("a(b)c/def", "exact"),
        ("a.|)$(}+{bc", "exact"),
    ] {
        let got = match compile(pattern) {
            Ok(Test::Exact(_)) => "exact",
            Ok(Test::Prefix(_)) => "prefix",
            Ok(Test::Suffix(_)) => "suffix",
            Ok(Test::Tokens(_)) => "tokens",
            Err(e) => e,
        };
        assert_eq!(got, kind, "{pattern}");
    }
}

#[test]
fn go_path_helpers() {
    for (input, clean, dir) in [
        ("a/b/c", "a/b/c", "a/b"),
        ("file/", "file", "file"),
        ("/", "/", "/"),
        ("a", "a", "."),
        ("./a/../../b", "../b", ".."),
        ("/../x", "/x", "/"),
        ("", ".", "."),
    ] {
        assert_eq!(go_clean(input), clean, "clean {input:?}");
        assert_eq!(go_dir(input), dir, "dir {input:?}");
    }
}

fn context(entries: &[(&str, &str)]) -> BuildContext {
    let mut ctx = BuildContext::new();
    for (path, content) in entries {
        if let Some(dir) = path.strip_suffix('/') {
            ctx.add_dir(dir);
        } else {
            ctx.add_file(path, content.as_bytes());
        }
    }
    ctx
}

fn paths(ctx: &BuildContext) -> Vec<&str> {
    ctx.entries().map(|(p, _)| p).collect()
}

#[test]
fn filter_uses_dockerfile_specific_ignore_file_first() {
    let ctx = context(&[
        (".dockerignore", "*.md\n"),
        ("app.Dockerfile", "FROM scratch\n"),
        ("app.Dockerfile.dockerignore", "*.txt\n"),
        ("notes.txt", ""),
        ("README.md", ""),
    ]);
    let (kept, info) = filter_context(&ctx, Some("app.Dockerfile"));
    let info = info.expect("an ignore file applies");
    assert_eq!(info.file, "app.Dockerfile.dockerignore");
    assert_eq!(info.ignored, ["notes.txt"]);
    assert!(kept.get("README.md").is_some());

    // Another Dockerfile, without its own ignore file, gets the root one.
    let (kept, info) = filter_context(&ctx, Some("./Dockerfile"));
    assert_eq!(info.map(|i| i.file).as_deref(), Some(".dockerignore"));
    assert_eq!(paths(&kept), [".dockerignore", "app.Dockerfile", "app.Dockerfile.dockerignore", "notes.txt"]);
}

#[test]
fn filter_without_ignore_file_keeps_everything() {
    let ctx = context(&[("Dockerfile", "FROM scratch\n"), ("a.txt", "")]);
    assert_eq!(filter_context(&ctx, Some("Dockerfile")), (ctx.clone(), None));
}

#[test]
fn filter_removes_dockerfile_and_ignore_file_when_listed() {
    let ctx = context(&[(".dockerignore", "Dockerfile\n.dockerignore\n"), ("Dockerfile", "FROM scratch\n"), ("x", "")]);
    let (kept, info) = filter_context(&ctx, None);
    assert_eq!(paths(&kept), ["x"]);
    assert_eq!(info.map(|i| i.ignored), Some(vec![".dockerignore".to_string(), "Dockerfile".to_string()]));
}

#[test]
fn filter_keeps_ignored_parent_of_reincluded_file() {
    let mut ctx =
        context(&[(".dockerignore", "docs\n!docs/keep/README.md\n"), ("docs/a.md", ""), ("docs/keep/README.md", "")]);
    ctx.insert("docs/", ContextEntry { kind: EntryKind::Dir, mode: Some(0o700) });
    ctx.add_dir("docs/empty");
    let (kept, info) = filter_context(&ctx, None);
    assert_eq!(paths(&kept), [".dockerignore", "docs", "docs/keep/README.md"]);
    assert_eq!(kept.get("docs").and_then(|e| e.mode), Some(0o700));
    assert_eq!(info.map(|i| i.ignored), Some(vec!["docs/a.md".to_string(), "docs/empty".to_string()]));
}

#[test]
fn filter_reports_problems_and_leaves_context_alone() {
    let ctx = context(&[(".dockerignore", "ok\n[\n"), ("ok", "")]);
    let (kept, info) = filter_context(&ctx, None);
    assert_eq!(kept, ctx);
    let problem = info.and_then(|i| i.problem).unwrap_or_default();
    assert!(problem.contains("line 2") && problem.contains("syntax error in pattern"), "{problem}");

    let mut ctx = BuildContext::new();
    ctx.add_sized_file(".dockerignore", 12);
    ctx.add_file("a", "");
    let (kept, info) = filter_context(&ctx, None);
    assert_eq!(kept, ctx);
    assert!(info.and_then(|i| i.problem).is_some_and(|p| p.contains("not provided")));
}
