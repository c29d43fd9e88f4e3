//! Sizes that are not per package, each with its source: `data/os-package-facts.tsv`.

use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub key: String,
    pub value: u64,
    pub source: String,
}

static FACTS: OnceLock<Vec<Fact>> = OnceLock::new();

pub fn all() -> &'static [Fact] {
    FACTS.get_or_init(|| parse(include_str!("../../data/os-package-facts.tsv")))
}

fn parse(text: &str) -> Vec<Fact> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.splitn(3, '\t');
            let key = f.next()?.to_string();
            let value = f.next()?.trim().parse().ok()?;
            Some(Fact { key, value, source: f.next().unwrap_or("").to_string() })
        })
        .collect()
}

pub fn get(key: &str) -> Option<&'static Fact> {
    all().iter().find(|f| f.key == key)
}

pub fn value(key: &str) -> u64 {
    get(key).map_or(0, |f| f.value)
}

/// Facts whose key starts with `prefix`, with the rest of the key.
pub fn with_prefix(prefix: &str) -> impl Iterator<Item = (&'static str, &'static Fact)> + '_ {
    all().iter().filter_map(move |f| f.key.strip_prefix(prefix).map(|rest| (rest, f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_has_a_value_and_a_source() {
        let text = include_str!("../../data/os-package-facts.tsv");
        let rows = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        assert_eq!(all().len(), rows, "a row of os-package-facts.tsv does not parse");
        assert!(all().iter().all(|f| !f.source.is_empty()));
        assert_eq!(value("deb-per-installed-permille"), 275);
        assert!(with_prefix("apt-list:debian:").count() >= 2);
    }
}
