//! BuildKit's variable expansion and word splitting (frontend/dockerfile/shell/lex.go),
//! written by hand because no crate implements its exact rules. Conformance:
//! `../shared/corpus/buildkit/shell/{envVarTest,wordsTest}`.
//!
//! The structure follows lex.go (a char scanner, `processStopOn`, `processDollar`, ...) so the
//! two can be compared rule by rule; its quirks are kept on purpose and called out below.
//! Not modelled: BuildKit on Windows, where variable names are case-insensitive (we
//! simulate Linux builds), and lex.go's RawQuotes/SkipUnsetEnv modes, which Dockerfile
//! instructions do not use for these words. Its SkipProcessQuotes mode is modelled:
//! BuildKit expands COPY/ADD heredoc bodies with it (`expand_heredoc`).

mod pattern;

use std::mem;

/// Where expansion looks variables up.
pub trait Lookup {
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Lookup for std::collections::BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for [(String, String)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        // Last binding wins, as in an environment list.
        self.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

// A slice cannot become a `&dyn Lookup` (it is unsized), so a Vec and a reference
// (`&&[(String, String)]`) can stand in for it.
impl Lookup for Vec<(String, String)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl<T: Lookup + ?Sized> Lookup for &T {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
}

/// The result of expanding one word, with the variables it referenced that were unset
/// (for the UndefinedVar check and for diagnostics).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Expanded<T> {
    pub value: T,
    pub unset: Vec<String>,
}

/// Expands one word (BuildKit's `ProcessWord`): quotes removed, escapes applied, no splitting.
pub fn expand_word(input: &str, vars: &dyn Lookup, escape: char) -> Result<Expanded<String>, ExpandError> {
    let (value, _, unset) = run(input, vars, escape)?;
    Ok(Expanded { value, unset })
}

/// Expands and splits into words (BuildKit's `ProcessWords`), as for `EXPOSE` or `VOLUME`.
pub fn expand_words(input: &str, vars: &dyn Lookup, escape: char) -> Result<Expanded<Vec<String>>, ExpandError> {
    let (_, value, unset) = run(input, vars, escape)?;
    Ok(Expanded { value, unset })
}

/// Expands the body of an unquoted COPY/ADD heredoc (`<<EOF`), as BuildKit's `ExpandRaw`
/// does: variables and `\` escapes are processed, quotes are ordinary characters.
pub fn expand_heredoc(input: &str, vars: &dyn Lookup) -> Result<Expanded<String>, ExpandError> {
    let (value, _, unset) = run_with(input, vars, '\\', true)?;
    Ok(Expanded { value, unset })
}

fn run(input: &str, vars: &dyn Lookup, escape: char) -> Result<(String, Vec<String>, Vec<String>), ExpandError> {
    run_with(input, vars, escape, false)
}

fn run_with(
    input: &str,
    vars: &dyn Lookup,
    escape: char,
    skip_quotes: bool,
) -> Result<(String, Vec<String>, Vec<String>), ExpandError> {
    let mut lexer = Lexer { src: Scanner::new(input), vars, escape, raw_escapes: false, skip_quotes, unset: Vec::new() };
    match lexer.process_until(None, false) {
        Ok((word, words)) => Ok((word, words, lexer.unset)),
        // BuildKit's wording, so the message matches what `docker build` prints.
        Err(message) => Err(ExpandError { message: format!("failed to process {input:?}: {message}") }),
    }
}

const MISSING_BRACE: &str = "syntax error: missing '}'";

/// Go's `text/scanner` as lex.go uses it: one char at a time, a leading BOM skipped.
struct Scanner<'a> {
    rest: &'a str,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner { rest: text.strip_prefix('\u{feff}').unwrap_or(text) }
    }
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }
    fn next(&mut self) -> Option<char> {
        let mut chars = self.rest.chars();
        let c = chars.next();
        self.rest = chars.as_str();
        c
    }
}

/// Word splitting (lex.go's `wordsStruct`): whitespace from the input or from a variable's
/// value ends a word; quoted text and escaped chars never do.
#[derive(Default)]
struct Words {
    done: Vec<String>,
    word: String,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if !c.is_whitespace() {
            self.word.push(c);
        } else if !self.word.is_empty() {
            self.done.push(mem::take(&mut self.word));
        }
    }
    fn add_str(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }
    /// Quoted or escaped text: kept whole. An empty `""` alone makes no word, as in lex.go.
    fn add_raw(&mut self, s: &str) {
        self.word.push_str(s);
    }
    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.done.push(self.word);
        }
        self.done
    }
}

type Res<T> = Result<T, String>;

struct Lexer<'a> {
    src: Scanner<'a>,
    vars: &'a dyn Lookup,
    escape: char,
    /// Keep escape chars in the output. Set while reading the pattern parts of `${v#p}`,
    /// `${v%p}` and `${v/p/r}`, so that the pattern code can tell `\*` from `*`.
    raw_escapes: bool,
    /// lex.go's SkipProcessQuotes: `'` and `"` are plain characters.
    skip_quotes: bool,
    /// Names looked up and not found, first reference first.
    unset: Vec<String>,
}

impl<'a> Lexer<'a> {
    /// `processStopOn`: the text up to the unescaped, unquoted `stop` char (consumed), or to
    /// the end when `stop` is `None`; as one string and as split words.
    fn process_until(&mut self, stop: Option<char>, raw_escapes: bool) -> Res<(String, Vec<String>)> {
        let saved = mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.scan_until(stop);
        self.raw_escapes = saved;
        result
    }

    fn scan_until(&mut self, stop: Option<char>) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.src.peek() {
            if Some(c) == stop {
                self.src.next();
                return Ok((result, words.finish()));
            }
            // `$` and quotes are checked before the escape char, whatever the escape char is.
            match c {
                '$' => {
                    let value = self.dollar()?;
                    words.add_str(&value); // unquoted values are split
                    result.push_str(&value);
                }
                '\'' | '"' if !self.skip_quotes => {
                    let value = if c == '\'' { self.single_quoted()? } else { self.double_quoted()? };
                    words.add_raw(&value);
                    result.push_str(&value);
                }
                _ => {
                    self.src.next();
                    if c != self.escape {
                        words.add_char(c);
                        result.push(c);
                        continue;
                    }
                    if self.raw_escapes {
                        words.add_raw(&c.to_string());
                        result.push(c);
                    }
                    // An escape at the very end is dropped.
                    let Some(escaped) = self.src.next() else { break };
                    words.add_raw(&escaped.to_string());
                    result.push(escaped);
                }
            }
        }
        match stop {
            Some(stop) => Err(format!("unexpected end of statement while looking for matching {stop}")),
            None => Ok((result, words.finish())),
        }
    }

    /// Everything up to the next `'` is literal; a single quote cannot be escaped inside.
    fn single_quoted(&mut self) -> Res<String> {
        self.src.next();
        let mut result = String::new();
        loop {
            match self.src.next() {
                None => return Err("unexpected end of statement while looking for matching single-quote".into()),
                Some('\'') => return Ok(result),
                Some(c) => result.push(c),
            }
        }
    }

    /// Literal except `$`; the escape char escapes only `"`, `$` and itself, else stays.
    fn double_quoted(&mut self) -> Res<String> {
        self.src.next();
        let mut result = String::new();
        loop {
            match self.src.peek() {
                None => return Err("unexpected end of statement while looking for matching double-quote".into()),
                Some('"') => {
                    self.src.next();
                    return Ok(result);
                }
                Some('$') => result.push_str(&self.dollar()?),
                Some(c) => {
                    self.src.next();
                    let mut c = c;
                    if c == self.escape {
                        if self.raw_escapes {
                            result.push(c);
                        }
                        match self.src.peek() {
                            None => continue, // reported as the missing closing quote
                            Some(n) if n == '"' || n == '$' || n == self.escape => {
                                self.src.next();
                                c = n;
                            }
                            // Kept (and, in raw mode, so doubled: lex.go does the same).
                            Some(_) => {}
                        }
                    }
                    result.push(c);
                }
            }
        }
    }

    /// `processDollar`, at a `$`.
    fn dollar(&mut self) -> Res<String> {
        self.src.next();
        if self.src.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into()); // `$.`, `$ `, a lone `$`: literal
            }
            return Ok(self.get(&name).unwrap_or_default().to_owned());
        }
        self.src.next();
        match self.src.peek() {
            None => return Err(MISSING_BRACE.into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        match self.src.next() {
            None => Err(MISSING_BRACE.into()),
            Some('}') => Ok(self.get(&name).unwrap_or_default().to_owned()),
            Some(':') => match self.src.next() {
                None => Err(MISSING_BRACE.into()),
                Some(op) => self.modifier(&name, op, true),
            },
            Some(op @ ('+' | '-' | '?' | '#' | '%')) => self.modifier(&name, op, false),
            Some('/') => self.replace(&name),
            Some(op) => Err(format!("unsupported modifier ({op}) in substitution")),
        }
    }

    /// `${name<op>word}` and `${name:<op>word}` (`colon`: an empty value counts as unset).
    /// The word is read (and expanded) before the modifier is checked, as lex.go does.
    fn modifier(&mut self, name: &str, op: char, colon: bool) -> Res<String> {
        let word = self.word_until('}', op == '#' || op == '%')?;
        let value = self.get(name);
        let unset_or_null = value.is_none() || (colon && value == Some(""));
        match op {
            '-' if unset_or_null => Ok(word),
            '-' => Ok(value.unwrap_or_default().to_owned()),
            '+' if unset_or_null => Ok(String::new()),
            '+' => Ok(word),
            '?' => match value {
                Some(v) if !unset_or_null => Ok(v.to_owned()),
                _ => {
                    let problem = if value.is_none() { "unset" } else { "empty" };
                    let default = format!("is not allowed to be {problem}");
                    Err(format!("{name}: {}", if word.is_empty() { &default } else { &word }))
                }
            },
            '#' | '%' => {
                let value = value.unwrap_or_default();
                // `##` / `%%` is decided on the expanded word, so `${v#$P}` with P=`#x` is `${v##x}`.
                let (pattern, longest) = match word.strip_prefix(op) {
                    Some(rest) => (rest, true),
                    None => (word.as_str(), false),
                };
                let trimmed = if op == '#' {
                    pattern::trim_prefix(pattern, value, longest)
                } else {
                    pattern::trim_suffix(pattern, value, longest)
                };
                trimmed.map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))
            }
            _ => Err(format!("unsupported modifier ({}{op}) in substitution", if colon { ":" } else { "" })),
        }
    }

    /// `${name/pattern/replacement}`, `${name//pattern/replacement}`.
    fn replace(&mut self, name: &str) -> Res<String> {
        let all = self.src.peek() == Some('/');
        if all {
            self.src.next();
        }
        let pattern = self.word_until('/', true)?;
        let replacement = self.word_until('}', true)?;
        let value = self.get(name).unwrap_or_default();
        pattern::replace(&pattern, value, &replacement, all)
            .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))
    }

    /// A modifier's word, up to `stop`; running out of input means the `${` was never closed.
    fn word_until(&mut self, stop: char, raw_escapes: bool) -> Res<String> {
        match self.process_until(Some(stop), raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.src.peek().is_none() && stop == '/' => Err("syntax error: missing '/' in ${}".into()),
            Err(_) if self.src.peek().is_none() => Err(MISSING_BRACE.into()),
            Err(e) => Err(e),
        }
    }

    /// `processName`: letters, digits and `_`; or a run of digits (a positional parameter);
    /// or one special-parameter char (`$@ $* $# $? $- $$ $! $0`). The last two kinds are
    /// never set in a Dockerfile, so they expand to nothing.
    ///
    /// Go asks for Unicode categories L and Nd; std's Alphabetic/Numeric properties differ
    /// only on rare marks and numerals (², Ⅻ), which no real variable name contains.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.src.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(d) = self.src.peek().filter(|d| d.is_numeric()) {
                    self.src.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.src.next();
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            self.src.next();
            name.push(c);
        }
        name
    }

    /// Looks a variable up, remembering it if unset (for the UndefinedVar check). Like
    /// lex.go this includes names behind a default (`${X:-d}`) and positional ones (`$1`).
    fn get(&mut self, name: &str) -> Option<&'a str> {
        let value = self.vars.lookup(name);
        if value.is_none() && !self.unset.iter().any(|n| n == name) {
            self.unset.push(name.to_owned());
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// `expected` is the word, or `Err(fragment)` for an error whose message contains it.
    fn check(input: &str, env: &[(&str, &str)], escape: char, expected: Result<&str, &str>) {
        match (expand_word(input, &vars(env), escape), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got.value, want, "{input:?}"),
            (Err(got), Err(want)) => assert!(got.message.contains(want), "{input:?}: {got:?} lacks {want:?}"),
            (got, want) => panic!("{input:?}: expected {want:?}, got {got:?}"),
        }
    }

    fn check_unset(input: &str, env: &[(&str, &str)], expected: &[&str]) {
        let got = expand_word(input, &vars(env), '\\').map(|e| e.unset);
        assert_eq!(got, Ok(expected.iter().map(|s| s.to_string()).collect()), "{input:?}");
    }

    fn check_words(input: &str, env: &[(&str, &str)], escape: char, expected: &[&str]) {
        let got = expand_words(input, &vars(env), escape).map(|e| e.value);
        assert_eq!(got, Ok(expected.iter().map(|s| s.to_string()).collect()), "{input:?}");
    }

    const FOO_BAR: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];

    #[test]
    fn modifiers() {
        // from lex_test.go's TestProcessWithMatches and TestShellParserMandatoryEnvVars
        check("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", FOO_BAR, '\\', Ok("xxx  ccc"));
        check("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", FOO_BAR, '\\', Ok("xxx bbb ccc"));
        check("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", FOO_BAR, '\\', Ok("aaa bbb "));
        check("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", FOO_BAR, '\\', Ok("aaa  "));
        check("${BAR?bbb}", FOO_BAR, '\\', Ok(""));
        check("${BAZ?ccc}", FOO_BAR, '\\', Err("BAZ: ccc"));
        check("${BAZ?}", FOO_BAR, '\\', Err("BAZ: is not allowed to be unset"));
        check("${BAR:?}", FOO_BAR, '\\', Err("BAR: is not allowed to be empty"));
        check("${BAR:?message here$FOO}", FOO_BAR, '\\', Err("BAR: message herexxx"));
        check("${FOO=aaa}", FOO_BAR, '\\', Err("unsupported modifier (=)"));
        check("${FOO:=aaa}", FOO_BAR, '\\', Err("unsupported modifier (:=)"));
        let platform = [("VERSION", "v1.2.3"), ("TARGETOS", "linux"), ("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")];
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        check(release, &platform, '\\', Ok("something-v1.2.3.linux-arm-v7.tar.gz"));
        check(release, &platform[..3], '\\', Ok("something-v1.2.3.linux-arm.tar.gz"));
    }

    #[test]
    fn trim_patterns() {
        let path = [("P", "a.b.c")];
        check("${P%.*}|${P%%.*}|${P#*.}|${P##*.}", &path, '\\', Ok("a.b|a|b.c|c"));
        let xy = [("FOO", "xxyy")];
        check("${FOO#*x*y}", &xy, '\\', Ok("y"));
        check("${FOO#*}|${FOO##}|${FOO%}|${FOO##*x}", &xy, '\\', Ok("xxyy|xxyy|xxyy|yy"));
        check("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], '\\', Ok("xyy"));
        check("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], '\\', Ok("xxyy"));
        // `##` is decided after expansion: the pattern variable's own `#` makes it longest-match
        check("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "#*x")], '\\', Ok("yy"));
        check(r"${FOO#()[]{\}^$.\*\?|\\}", &[("FOO", r"()[]{}^$.*?|\x")], '\\', Ok("x"));
        check(r"${FOO%%\**}", &[("FOO", "xx**")], '\\', Ok("xx"));
        check(r"${FOO%%\**\*}", &[("FOO", "a***yy*")], '\\', Ok("a"));
        check(r"${FOO#?\?}", &[("FOO", "???y")], '\\', Ok("?y"));
        check("${ABC:-.}${FOO%x}${ABC:-.}", &xy, '\\', Ok(".xxyy."));
        check(r"${FOO#\x}", &xy, '\\', Err(r"invalid pattern (\x) in substitution"));
    }

    #[test]
    fn replacements() {
        let files = [("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")];
        check("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &files, '\\', Ok("/foo.*/*.txt - /foo..*.txt"));
        let tmp = [("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")];
        check("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &tmp, '\\', Ok("/tmp/bar.txt - /bar.txt"));
        let abc = [("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("R", "/")];
        check("${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}", &abc, '\\', Ok("/foo/b/c.txt - /foo/c.txt"));
        let url = [("U", "http://google.de"), ("N", "http://"), ("R", "https://")];
        check("${U/$N/$R}", &url, '\\', Ok("https://google.de"));
        check(r"${FOO//\//\/}", &[("FOO", "/tmp/foo.txt")], '\\', Ok(r"\/tmp\/foo.txt"));
        check("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], '\\', Ok("wwxxyy"));
        check("${FOO///}", &[("FOO", "xxyy")], '\\', Ok("xxyy"));
        check("${FOO//ww}", &[("FOO", "xxyy")], '\\', Err("missing '/' in ${}"));
        check("${FOO//}", &[("FOO", "xxyy")], '\\', Err("missing '/' in ${}"));
        check("${FOO/x", &[], '\\', Err("missing '/' in ${}"));
    }

    #[test]
    fn syntax_errors_say_what_is_missing() {
        check("he${PWD", &[], '\\', Err(r#"failed to process "he${PWD": syntax error: missing '}'"#));
        check("${", &[], '\\', Err("missing '}'"));
        check("${a:", &[], '\\', Err("missing '}'"));
        check("${}", &[], '\\', Err("bad substitution"));
        check("${.}", &[], '\\', Err("unsupported modifier (.)"));
        check("\"hello", &[], '\\', Err("looking for matching double-quote"));
        check("'hello", &[], '\\', Err("looking for matching single-quote"));
        // at the end of input an inner error is reported as the unclosed `${`, as lex.go does
        check("${a:-'}", &[], '\\', Err("missing '}'"));
        check("${a:-${b:?no b}}", &[], '\\', Err("b: no b"));
    }

    #[test]
    fn unset_lists_unknown_names_once_in_order() {
        check_unset("$PWD ${PWD:-x}", &[("PWD", "/")], &[]);
        // like lex.go: names behind a default count, positional ones too; `$.` names nothing
        check_unset("$A ${A} ${B:-x} $1 $. ${C/x/y} ${D#x} $B", &[], &["A", "B", "1", "C", "D"]);
        // modifier words are expanded whether used or not
        check_unset("${A:-$B}${C:+$D}", &[("C", "")], &["B", "A", "D"]);
        check_unset("'$A' \\$B \"$C\"", &[], &["C"]);
    }

    #[test]
    fn word_splitting() {
        check_words("$S", &[("S", " a  b ")], '\\', &["a", "b"]);
        check_words("x\"$S\"y", &[("S", " a  b ")], '\\', &["x a  b y"]);
        check_words("\"\"", &[], '\\', &[]);
        check_words("a\\ b  c\t'd e'", &[], '\\', &["a b", "c", "d e"]);
    }

    #[test]
    fn backtick_escape() {
        // `# escape=`` ` ``: backslashes are plain text, as Windows paths need.
        check(r"C:\path\to", &[], '`', Ok(r"C:\path\to"));
        check(r#""C:\path\$X""#, &[("X", "x")], '`', Ok(r"C:\path\x"));
        check("he`$PWD", &[("PWD", "/home")], '`', Ok("he$PWD"));
        check("\"a`\"b`$c``d`e\"", &[], '`', Ok("a\"b$c`d`e"));
        check("${X:-`}}", &[], '`', Ok("}"));
        check("hello`", &[], '`', Ok("hello"));
        check("\"hello`\"", &[], '`', Err("matching double-quote"));
        check_words("a` b c", &[], '`', &["a b", "c"]);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let odd = [
            "", "$", "${", "${a", "${a:", "${a:-", "${a/", "${a//", "${a#\\", "${a%\\", "\\", "`", "\"\\", "'", "\"",
            "$$$$", "${$}", "${#}", "${a:-${b:-${c", "\u{feff}$a", "\0$\0", "안녕${한국:-어}", "é$é", "${a/*/$0$$}",
            "${a//\\/", "$\n${a#*\n}",
        ];
        // every string of up to three of these, alone and after `${a`
        let alphabet = "${}:-+?#%/\\`'\"*a1 é".chars().collect::<Vec<_>>();
        let mut inputs: Vec<String> = odd.iter().map(|s| s.to_string()).collect();
        for &a in &alphabet {
            for &b in &alphabet {
                for &c in &alphabet {
                    inputs.extend([format!("{a}"), format!("{a}{b}"), format!("{a}{b}{c}"), format!("${{a{a}{b}{c}")]);
                }
            }
        }
        check("$", &[], '\\', Ok("$"));
        check("a\\", &[], '\\', Ok("a"));
        check("안녕${한국:-어}$é", &[("é", "e")], '\\', Ok("안녕어e"));
        let env = vars(&[("a", "x*y z"), ("b", "")]);
        for input in &inputs {
            for escape in ['\\', '`'] {
                let _ = expand_word(input, &env, escape);
                let _ = expand_words(input, &env, escape);
            }
        }
    }

    #[test]
    fn heredoc_bodies_keep_quotes() {
        // BuildKit testCopyHeredocSpecialSymbols and testHeredocVarSubstitution.
        let env = vars(&[("name", "world")]);
        for (input, want) in [
            ("\"quotes in file\"\n", "\"quotes in file\"\n"),
            ("Hello '${name}'!\n", "Hello 'world'!\n"),
            ("Hello \"${name}\"!\n", "Hello \"world\"!\n"),
            ("\\\n", "\n"),
            ("\\\\\n", "\\\n"),
            ("\\$\n", "$\n"),
            ("it's\n", "it's\n"),
        ] {
            assert_eq!(expand_heredoc(input, &env).map(|e| e.value), Ok(want.to_string()), "{input:?}");
        }
    }
}
