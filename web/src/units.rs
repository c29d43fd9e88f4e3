//! Sizes as people type them.

/// `180 MB`, `1.5GB`, `2048`, `64k` → bytes (decimal units, as `docker image ls`).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim().trim_end_matches('b').trim() {
        "" => 1.0,
        "k" => 1e3,
        "m" => 1e6,
        "g" => 1e9,
        "ki" => 1024.0,
        "mi" => 1048576.0,
        "gi" => 1073741824.0,
        _ => return None,
    };
    let bytes = n * mult;
    (0.0..1e15).contains(&bytes).then(|| bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_as_people_write_them() {
        for (text, want) in [
            ("180 MB", Some(180_000_000)),
            ("1.5GB", Some(1_500_000_000)),
            ("2048", Some(2048)),
            ("64k", Some(64_000)),
            ("1 MiB", Some(1_048_576)),
            ("x", None),
            ("5 parsecs", None),
            ("", None),
        ] {
            assert_eq!(super::parse_size(text), want, "{text}");
        }
    }
}
