//! What each catalog image already has installed (`data/image-packages.tsv.gz`, written by
//! `cargo xtask catalog`): repo-info's package lists where it gives them, else a list derived
//! from the image's OS and the `apt-get install` lines of its history.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manager {
    Dpkg,
    Apk,
    Rpm,
}

/// The packages of one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageList {
    pub manager: Manager,
    /// repo-info lists the image's packages completely (else the list is derived).
    pub listed: bool,
    /// How the list was made, in words.
    pub basis: String,
    /// Names, sorted; with installed bytes where the source gives them (apk).
    pub packages: Vec<(String, Option<u64>)>,
}

impl ImageList {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.packages.iter().map(|(n, _)| n.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct ImagePackages {
    images: BTreeMap<String, ImageList>,
    /// Installed bytes of Alpine packages seen in any image's list.
    apk_sizes: BTreeMap<String, u64>,
    sources: Vec<String>,
}

impl ImagePackages {
    /// Reads the format `cargo xtask catalog` writes, gzip-compressed or not.
    pub fn from_bytes(bytes: &[u8]) -> Result<ImagePackages, String> {
        let text = super::read_text(bytes, "the image package lists are")?;
        let mut out = ImagePackages::default();
        for line in text.lines() {
            if let Some(h) = line.strip_prefix('#') {
                if let Some(s) = h.trim().strip_prefix("source: ") {
                    out.sources.push(s.to_string());
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let [reference, manager, kind, basis, names] = f[..] else {
                return Err(format!("a line of the image package lists has {} columns, not 5: {line:?}", f.len()));
            };
            let manager = match manager {
                "dpkg" => Manager::Dpkg,
                "apk" => Manager::Apk,
                "rpm" => Manager::Rpm,
                other => return Err(format!("unknown package manager {other:?} for {reference}")),
            };
            let mut packages: Vec<(String, Option<u64>)> = names
                .split(' ')
                .filter(|n| !n.is_empty())
                .map(|n| match n.split_once('=') {
                    Some((name, size)) => (name.to_string(), size.parse().ok()),
                    None => (n.to_string(), None),
                })
                .collect();
            packages.sort();
            if manager == Manager::Apk {
                for (n, s) in &packages {
                    if let Some(s) = s {
                        out.apk_sizes.insert(n.clone(), *s);
                    }
                }
            }
            let list = ImageList { manager, listed: kind == "listed", basis: basis.to_string(), packages };
            out.images.insert(reference.to_string(), list);
        }
        if out.images.is_empty() {
            return Err("the image package lists name no image".into());
        }
        Ok(out)
    }

    /// The list of `image:tag` as the catalog names it.
    pub fn get(&self, reference: &str) -> Option<&ImageList> {
        self.images.get(reference)
    }

    /// Installed bytes of an Alpine package, from the newest image list that has it.
    pub fn apk_size(&self, name: &str) -> Option<u64> {
        self.apk_sizes.get(name).copied()
    }

    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    pub fn len(&self) -> usize {
        self.images.len()
    }
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_apk_sizes() {
        let text = "# source: x\ndebian:slim\tdpkg\tlisted\trepo-info\tbash apt\nalpine:3\tapk\tlisted\trepo-info\tmusl=600 busybox=900\n";
        let p = ImagePackages::from_bytes(text.as_bytes()).expect("parses");
        let deb = p.get("debian:slim").expect("debian");
        assert_eq!(deb.names().collect::<Vec<_>>(), ["apt", "bash"]);
        assert!(deb.listed && deb.manager == Manager::Dpkg);
        assert_eq!(p.apk_size("busybox"), Some(900));
        assert!(ImagePackages::from_bytes(b"a\tb\n").is_err());
        assert!(ImagePackages::from_bytes(b"a\tzypper\tlisted\tx\ty\n").is_err());
    }
}
