//! Keeps a container's children in step with a list of lines of HTML, one `<div class="ln">`
//! each, changing only what differs: the common head and tail are left alone, the lines in
//! between are rewritten, added or removed.

use web_sys::Element;

pub fn sync(container: &Element, shown: &mut Vec<String>, next: &[String]) {
    let Some(doc) = container.owner_document() else {
        return;
    };
    if container.child_element_count() as usize != shown.len() {
        // Someone else touched the container: start over.
        container.set_inner_html("");
        shown.clear();
    }
    let (head, tail) = common_ends(shown, next);
    let old_mid = shown.len() - head - tail;
    let new_mid = next.len() - head - tail;
    let children = container.children();
    // Rewrite the lines both have in the middle.
    for i in 0..old_mid.min(new_mid) {
        if let Some(el) = children.item((head + i) as u32) {
            el.set_inner_html(&next[head + i]);
        }
    }
    if new_mid > old_mid {
        let before = children.item((head + old_mid) as u32);
        for line in &next[head + old_mid..head + new_mid] {
            if let Ok(div) = doc.create_element("div") {
                div.set_class_name("ln");
                div.set_inner_html(line);
                let _ = container.insert_before(&div, before.as_ref().map(|e| e.as_ref()));
            }
        }
    } else {
        for _ in new_mid..old_mid {
            if let Some(el) = children.item((head + new_mid) as u32) {
                el.remove();
            }
        }
    }
    shown.clear();
    shown.extend_from_slice(next);
}

/// How many lines the two share at the start, and then at the end (not overlapping).
pub fn common_ends(old: &[String], new: &[String]) -> (usize, usize) {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_tail = old.len().min(new.len()) - head;
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_tail)
        .take_while(|(a, b)| a == b)
        .count();
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::common_ends;

    #[test]
    fn common_ends_do_not_overlap() {
        let v = |s: &str| s.chars().map(|c| c.to_string()).collect::<Vec<_>>();
        for (old, new, want) in [
            ("abc", "abc", (3, 0)),
            ("abc", "abxc", (2, 1)),
            ("aaa", "aa", (2, 0)),
            ("abc", "", (0, 0)),
            ("", "ab", (0, 0)),
            ("abcd", "aXcd", (1, 2)),
        ] {
            assert_eq!(common_ends(&v(old), &v(new)), want, "{old} → {new}");
        }
    }
}
