//! The Debian package index (`data/debian-bookworm-amd64.tsv.gz`, written by `cargo xtask
//! debian-index`): one line per package, sorted by name, read lazily — loading finds the line
//! starts, a lookup is a binary search and parses only that line.

use std::collections::BTreeSet;

/// Debian's package index: what `apt-get install` resolves against.
#[derive(Clone, Debug)]
pub struct DebianIndex {
    text: String,
    /// Each package line in `text`, in name order.
    lines: Vec<LineSpan>,
    /// The header's `# source:` lines: archive, suite, release version and date.
    sources: Vec<String>,
    total_kib: u64,
    /// `@virtual` lines in `text`, in name order.
    virtuals: Vec<LineSpan>,
}

/// A line of the index: where it starts and ends, and where its first field (the name) ends,
/// so a binary search compares names without splitting lines.
#[derive(Clone, Copy, Debug)]
struct LineSpan {
    start: u32,
    name_end: u32,
    end: u32,
}

impl LineSpan {
    fn new(text: &str, start: usize, end: usize) -> LineSpan {
        let name_end = text[start..end].find('\t').map_or(end, |i| start + i);
        LineSpan { start: start as u32, name_end: name_end as u32, end: end as u32 }
    }
}

/// One package of the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebPackage<'a> {
    pub name: &'a str,
    /// Installed-Size, in KiB as Debian states it.
    pub installed_kib: u64,
    /// `required`, `important`, `standard`, `optional` or `extra`.
    pub priority: &'static str,
    pub essential: bool,
    pub version: &'a str,
    depends: &'a str,
    recommends: &'a str,
}

impl<'a> DebPackage<'a> {
    pub fn installed_bytes(&self) -> u64 {
        self.installed_kib * 1024
    }
    /// Depends and Pre-Depends: groups of alternatives, all real package names.
    pub fn depends(self) -> impl Iterator<Item = impl Iterator<Item = &'a str>> {
        groups(self.depends)
    }
    pub fn recommends(self) -> impl Iterator<Item = impl Iterator<Item = &'a str>> {
        groups(self.recommends)
    }
}

fn groups(field: &str) -> impl Iterator<Item = impl Iterator<Item = &str>> {
    field.split(',').filter(|g| !g.is_empty()).map(|g| g.split('|'))
}

impl DebianIndex {
    /// Reads an index in the format `cargo xtask debian-index` writes, gzip-compressed or not.
    pub fn from_bytes(bytes: &[u8]) -> Result<DebianIndex, String> {
        let text = super::read_text(bytes, "the package index is")?;
        if u32::try_from(text.len()).is_err() {
            return Err("the package index is larger than 4 GiB".into());
        }
        let mut lines = Vec::new();
        let mut sources = Vec::new();
        let mut total_kib = 0u64;
        let mut virtuals = Vec::new();
        let mut start = 0usize;
        for line in text.split_inclusive('\n') {
            let end = start + line.trim_end_matches('\n').len();
            if let Some(h) = line.strip_prefix('#') {
                if let Some(s) = h.trim().strip_prefix("source: ") {
                    sources.push(s.to_string());
                }
            } else if line.starts_with('@') {
                virtuals.push(LineSpan::new(&text, start + 1, end));
            } else if !line.trim().is_empty() {
                lines.push(LineSpan::new(&text, start, end));
                total_kib += line.split('\t').nth(1).and_then(|k| k.parse::<u64>().ok()).unwrap_or(0);
            }
            start += line.len();
        }
        if lines.is_empty() {
            return Err("the package index lists no packages".into());
        }
        let index = DebianIndex { text, lines, sources, total_kib, virtuals };
        if index.lines.windows(2).any(|w| index.name_at(w[0]) >= index.name_at(w[1])) {
            return Err("the package index is not sorted by name".into());
        }
        Ok(index)
    }

    fn line(&self, span: LineSpan) -> &str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or("")
    }
    fn name_at(&self, span: LineSpan) -> &str {
        self.text.get(span.start as usize..span.name_end as usize).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
    /// The mean Installed-Size, in bytes: the estimate for a package the index does not know.
    pub fn mean_installed_bytes(&self) -> u64 {
        self.total_kib * 1024 / self.lines.len().max(1) as u64
    }

    /// Where the data comes from (one line per Packages list read).
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    pub fn get(&self, name: &str) -> Option<DebPackage<'_>> {
        let i = self.lines.binary_search_by(|l| self.name_at(*l).cmp(name)).ok()?;
        let mut f = self.line(self.lines[i]).split('\t');
        let name = f.next()?;
        let installed_kib = f.next()?.parse().ok()?;
        let flags = f.next()?;
        let priority = match flags.chars().next() {
            Some('r') => "required",
            Some('i') => "important",
            Some('s') => "standard",
            Some('o') => "optional",
            _ => "extra",
        };
        Some(DebPackage {
            name,
            installed_kib,
            priority,
            essential: flags.contains('E'),
            version: f.next()?,
            depends: f.next().unwrap_or(""),
            recommends: f.next().unwrap_or(""),
        })
    }

    /// The packages that provide a virtual name (`libxslt-dev` → `libxslt1-dev`), best first.
    pub fn providers(&self, name: &str) -> Vec<&str> {
        let Ok(i) = self.virtuals.binary_search_by(|l| self.name_at(*l).cmp(name)) else { return vec![] };
        self.line(self.virtuals[i]).split('\t').nth(1).map(|p| p.split('|').collect()).unwrap_or_default()
    }

    /// Every package with this priority (`required` is debootstrap's minbase set).
    pub fn with_priority(&self, priority: &str) -> Vec<DebPackage<'_>> {
        self.lines.iter().filter_map(|l| self.get(self.name_at(*l))).filter(|p| p.priority == priority).collect()
    }

    /// What `apt-get install <requested>` adds to a system that has `installed`: the
    /// requested packages and the closure of their Depends (and, `with_recommends`, their
    /// Recommends, as apt does by default), picking in each group of alternatives one that is
    /// installed or already chosen, else the first. In the order apt would list them.
    pub fn plan_install<'a>(&'a self, requested: &[&str], installed: &BTreeSet<String>, with_recommends: bool) -> InstallPlan<'a> {
        let mut plan = InstallPlan::default();
        let mut chosen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: Vec<DebPackage<'a>> = Vec::new();
        let have = |n: &str, chosen: &BTreeSet<&str>| installed.contains(n) || chosen.contains(n);
        for name in requested {
            // A virtual name installs its first provider, as apt does when there is one.
            let real = self.get(name).or_else(|| self.providers(name).first().and_then(|p| self.get(p)));
            match real {
                Some(p) if installed.contains(p.name) => plan.already.push(p.name.to_string()),
                Some(p) => {
                    if chosen.insert(p.name) {
                        queue.push(p);
                        plan.new.push(p);
                    }
                }
                None => plan.unknown.push(name.to_string()),
            }
        }
        let mut i = 0;
        while i < queue.len() {
            let p = queue[i];
            i += 1;
            let mut deps: Vec<Vec<&'a str>> = p.depends().map(|g| g.collect()).collect();
            let n_deps = deps.len();
            if with_recommends {
                deps.extend(p.recommends().map(|g| g.collect()));
            }
            for (k, group) in deps.iter().enumerate() {
                if group.iter().any(|n| have(n, &chosen)) {
                    continue;
                }
                let Some(pick) = group.iter().find_map(|n| self.get(n)) else {
                    if k < n_deps {
                        plan.broken.push(format!("{} (needed by {})", group.join(" | "), p.name));
                    }
                    continue;
                };
                chosen.insert(pick.name);
                queue.push(pick);
                plan.new.push(pick);
                if k >= n_deps {
                    plan.recommended += 1;
                }
            }
        }
        plan
    }
}

/// The outcome of [`DebianIndex::plan_install`].
#[derive(Clone, Debug, Default)]
pub struct InstallPlan<'a> {
    /// Packages to install, requested ones first.
    pub new: Vec<DebPackage<'a>>,
    /// Requested packages the system already has.
    pub already: Vec<String>,
    /// Requested names the index does not know.
    pub unknown: Vec<String>,
    /// Dependencies no package in the index satisfies.
    pub broken: Vec<String>,
    /// How many of `new` came in only as Recommends.
    pub recommended: usize,
}

impl InstallPlan<'_> {
    pub fn installed_bytes(&self) -> u64 {
        self.new.iter().map(DebPackage::installed_bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "# source: test\n\
a\t10\to\t1.0\tb,c|d\te\n\
b\t20\to\t2.0\tlibc\t\n\
c\t30\to\t1\t\t\n\
d\t40\to\t1\t\t\n\
e\t50\to\t1\tf\t\n\
f\t60\to\t1\t\t\n\
libc\t100\trE\t2.36\t\t\n\
@virt\tc|d\n";

    fn names<'a>(plan: &InstallPlan<'a>) -> Vec<&'a str> {
        plan.new.iter().map(|p| p.name).collect()
    }

    #[test]
    fn closure_honours_installed_alternatives_and_recommends() {
        let idx = DebianIndex::from_bytes(INDEX.as_bytes()).expect("parses");
        assert_eq!(idx.len(), 7);
        assert_eq!(idx.sources(), ["test"]);
        let libc: BTreeSet<String> = ["libc".to_string()].into();
        let plan = idx.plan_install(&["a"], &libc, true);
        assert_eq!(names(&plan), ["a", "b", "c", "e", "f"]);
        assert_eq!(plan.recommended, 1);
        assert_eq!(plan.installed_bytes(), (10 + 20 + 30 + 50 + 60) * 1024);
        let plan = idx.plan_install(&["a", "nope"], &libc, false);
        assert_eq!(names(&plan), ["a", "b", "c"]);
        assert_eq!(plan.unknown, ["nope"]);
        let with_d: BTreeSet<String> = ["libc".to_string(), "d".to_string()].into();
        assert_eq!(names(&idx.plan_install(&["a"], &with_d, false)), ["a", "b"]);
        assert_eq!(idx.plan_install(&["libc"], &libc, false).already, ["libc"]);
        assert_eq!(names(&idx.plan_install(&["virt"], &libc, false)), ["c"]);
        let libc = idx.get("libc").expect("libc");
        assert!(libc.essential && libc.priority == "required" && libc.version == "2.36");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(DebianIndex::from_bytes(b"").is_err());
        assert!(DebianIndex::from_bytes(&[0x1f, 0x8b, 0, 1]).is_err());
        assert!(DebianIndex::from_bytes(b"b\t1\to\t1\t\t\na\t1\to\t1\t\t\n").is_err());
        let idx = DebianIndex::from_bytes(b"a\tx\to\n").expect("parses lazily");
        assert_eq!(idx.get("a"), None);
    }
}
