//! "did you mean …?" hints, with BuildKit's rule (util/suggest): the closest option at a
//! Levenshtein distance below 3, the first one on a tie; an exact match means the value was
//! not the problem, so no hint.

/// The option to suggest for `value`, if any. Without `case_sensitive`, values are compared
/// lower-cased and the hint takes the case of `value` when it is all upper or all lower case.
pub fn did_you_mean(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let val = if case_sensitive { value.to_string() } else { value.to_lowercase() };
    let mut best: Option<String> = None;
    let mut min = 3;
    for opt in options {
        let opt = if case_sensitive { opt.to_string() } else { opt.to_lowercase() };
        if val == opt {
            return None;
        }
        let d = levenshtein(&val, &opt);
        if d < min {
            min = d;
            best = Some(if case_sensitive { opt } else { match_case(&opt, value) });
        }
    }
    best
}

/// `message` with BuildKit's hint appended: `… (did you mean X?)`.
pub fn wrap(message: String, value: &str, options: &[&str], case_sensitive: bool) -> String {
    match did_you_mean(value, options, case_sensitive) {
        Some(hint) => format!("{message} (did you mean {hint}?)"),
        None => message,
    }
}

fn match_case(option: &str, original: &str) -> String {
    if original == original.to_lowercase() {
        option.to_lowercase()
    } else if original == original.to_uppercase() {
        option.to_uppercase()
    } else {
        option.to_string()
    }
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_like_buildkit() {
        assert_eq!(did_you_mean("mont", &["mount", "network"], true).as_deref(), Some("mount"));
        assert_eq!(did_you_mean("tmp", &["bind", "cache", "tmpfs", "secret", "ssh"], true).as_deref(), Some("tmpfs"));
        assert_eq!(did_you_mean("FNTRYPOINT", &["entrypoint", "env"], false).as_deref(), Some("ENTRYPOINT"));
        assert_eq!(did_you_mean("bulid", &["build"], true).as_deref(), Some("build"));
        assert_eq!(did_you_mean("zzzzzz", &["build"], true), None);
        assert_eq!(did_you_mean("build", &["build", "built"], true), None);
        assert_eq!(wrap("x".into(), "typ", &["type"], true), "x (did you mean type?)");
    }
}
