//! BuildKit's own expansion tables (frontend/dockerfile/shell/{envVarTest,wordsTest}, read as
//! lex_test.go reads them) run against `stagecraft::expand`. Every failing line is collected
//! and reported at once; the line counts are asserted so the test cannot pass on nothing.

use stagecraft::expand::{expand_word, expand_words};

const SHELL_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/buildkit/shell/");

fn read(name: &str) -> String {
    let path = format!("{SHELL_CORPUS}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// `PLATFORM|input|expected`; `expected` = `error` means ProcessWord must fail.
#[test]
fn env_var_test() {
    let env = env(&[("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")]);
    let (mut checked, mut windows_only, mut failures) = (0, 0, Vec::new());
    for (n, line) in read("envVarTest").lines().enumerate() {
        let line_no = n + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim().split('|').map(str::trim).collect();
        let [platform, input, expected] = fields[..] else {
            failures.push(format!("envVarTest:{line_no}: not PLATFORM|input|expected: {line:?}"));
            continue;
        };
        match platform {
            "A" | "U" => {}
            // BuildKit on Windows, where env names are case-insensitive ($pwd finds PWD).
            // Stagecraft simulates Linux builds. (Not about the backtick escape: lex_test.go
            // runs these with `\` too.)
            "W" => {
                windows_only += 1;
                continue;
            }
            _ => {
                failures.push(format!("envVarTest:{line_no}: unknown platform {platform:?}"));
                continue;
            }
        }
        checked += 1;
        let got = expand_word(input, &env, '\\');
        let pass = match &got {
            Ok(e) => expected != "error" && e.value == expected,
            Err(_) => expected == "error",
        };
        if !pass {
            failures.push(format!("envVarTest:{line_no}: {input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    let passed = checked - failures.len();
    println!("envVarTest: {checked} checked, {passed} passed, {windows_only} skipped (Windows-only)");
    assert!(failures.is_empty(), "{} envVarTest lines failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!((checked, windows_only), (228, 2), "envVarTest changed: 226 A + 2 U lines checked, 2 W skipped");
}

/// `input | w1,w2,...`; `ENV k=v` lines add to the environment (trailing spaces count).
#[test]
fn words_test() {
    let mut env: Vec<(String, String)> = Vec::new();
    let (mut checked, mut failures) = (0, Vec::new());
    for (n, line) in read("wordsTest").lines().enumerate() {
        let line_no = n + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(binding) = line.strip_prefix("ENV ") {
            let binding = binding.trim_start_matches(' ');
            let (k, v) = binding.split_once('=').unwrap_or((binding, ""));
            env.push((k.to_string(), v.to_string()));
            continue;
        }
        let Some((input, expected)) = line.split_once('|').filter(|(_, e)| !e.contains('|')) else {
            failures.push(format!("wordsTest:{line_no}: not `input | words`: {line:?}"));
            continue;
        };
        let input = input.trim();
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        checked += 1;
        let got = match expand_words(input, &env, '\\') {
            Ok(e) => e.value,
            Err(_) => vec!["error".to_string()],
        };
        if got != expected {
            failures.push(format!("wordsTest:{line_no}: {input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    println!("wordsTest: {checked} checked, {} passed, {} ENV lines", checked - failures.len(), env.len());
    assert!(failures.is_empty(), "{} wordsTest lines failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!((checked, env.len()), (24, 4), "wordsTest changed: 24 cases and 4 ENV lines expected");
}
