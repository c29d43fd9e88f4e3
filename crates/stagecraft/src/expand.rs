//! BuildKit's variable expansion and word splitting (frontend/dockerfile/shell/lex.go),
//! written by hand because no crate implements its exact rules. Conformance:
//! `../shared/corpus/buildkit/shell/{envVarTest,wordsTest}`.

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
    let _ = (input, vars, escape);
    todo!("expand helper")
}

/// Expands and splits into words (BuildKit's `ProcessWords`), as for `EXPOSE` or `VOLUME`.
pub fn expand_words(input: &str, vars: &dyn Lookup, escape: char) -> Result<Expanded<Vec<String>>, ExpandError> {
    let _ = (input, vars, escape);
    todo!("expand helper")
}
