use expect_test::expect;

use super::*;

const RESOLVE_TABLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test_data/catalog/resolve.txt");

/// `image:tag kind` as the resolution table writes it.
fn outcome(r: &Resolved) -> String {
    let name = if r.is_scratch() && r.kind == MatchKind::Exact {
        "scratch".to_string()
    } else {
        r.facts.reference()
    };
    format!("{name} {}", r.kind.as_str())
}

/// Every line `reference => image:tag kind` of test_data/catalog/resolve.txt holds;
/// `UPDATE_EXPECT=1` rewrites the right-hand sides.
#[test]
fn resolve_table() {
    let text = std::fs::read_to_string(RESOLVE_TABLE).expect("resolve.txt is readable");
    let catalog = builtin();
    let mut failures = vec![];
    let mut updated = String::new();
    for (n, line) in text.lines().enumerate() {
        let Some((reference, expected)) = line.split_once("=>").filter(|_| !line.starts_with('#'))
        else {
            updated.push_str(line);
            updated.push('\n');
            continue;
        };
        let got = outcome(&catalog.resolve(reference));
        if got != expected.trim() {
            failures.push(format!(
                "line {}: {} => {got} (table says {})",
                n + 1,
                reference.trim(),
                expected.trim()
            ));
        }
        updated.push_str(&format!("{reference}=> {got}\n"));
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(RESOLVE_TABLE, updated).expect("resolve.txt is writable");
        return;
    }
    assert!(
        failures.is_empty(),
        "{} resolution(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn message(reference: &str) -> String {
    builtin()
        .resolve(reference)
        .message
        .unwrap_or_else(|| "(none)".into())
}

#[test]
fn resolve_messages() {
    expect!["(none)"].assert_eq(&message("golang:1.25"));
    expect!["golang:1.22 is not in the catalog; using golang:1.25 (golang:1.25.12-trixie), the nearest known tag."]
        .assert_eq(&message("golang:1.22"));
    expect!["node:lts-alpine is not in the catalog; using node:24-alpine, the newest known tag."]
        .assert_eq(&message("node:lts-alpine"));
    expect!["alpine:edge is not in the catalog; using alpine:3.24 (alpine:3.24.2), the newest known tag."]
        .assert_eq(&message("alpine:edge"));
    expect!["maven:3.9-eclipse-temurin-11 is not in the catalog; using maven:3-eclipse-temurin-17 (maven:3.9.16-eclipse-temurin-17-noble), the nearest known tag (no known tag has the variant 11)."]
        .assert_eq(&message("maven:3.9-eclipse-temurin-11"));
    expect![
        "The digest in golang:1.25@sha256:abc is not checked: the catalog knows images by tag."
    ]
    .assert_eq(&message("golang:1.25@sha256:abc"));
    expect!["unknown image foo/bar:latest: assumed 74.8 MB (the size of debian:bookworm-slim, the most common base of third-party images), an estimate."]
        .assert_eq(&message("foo/bar"));
    expect!["mcr.microsoft.com/dotnet/aspnet:8.0 is not in the catalog: assumed 217 MB (aspnet:8.0-jammy with a sample app), an estimate."]
        .assert_eq(&message("mcr.microsoft.com/dotnet/aspnet:8.0"));
    expect![
        "unknown image bitnami/python:3.11: assumed 1.10 GB, the size of python:3.11, an estimate."
    ]
    .assert_eq(&message("bitnami/python:3.11"));
}

#[test]
fn resolved_facts() {
    let r = builtin().resolve("docker.io/library/golang:1.22@sha256:0123");
    assert_eq!(r.kind, MatchKind::Nearest);
    assert!(r.known());
    assert_eq!(r.parsed.repository, "golang");
    assert_eq!(r.parsed.tag.as_deref(), Some("1.22"));
    assert_eq!(r.parsed.digest.as_deref(), Some("sha256:0123"));
    assert_eq!(r.facts.size_bytes, 847_550_000);
    assert_eq!(r.facts.config.workdir.as_deref(), Some("/go"));
    assert_eq!(r.facts.config.env_var("GOPATH"), Some("/go"));
    assert_eq!(r.facts.os, OsFamily::Debian);
    assert_eq!(r.facts.os_codename.as_deref(), Some("trixie"));
    assert_eq!(r.facts.source.path, "repos/golang/local/1.25-trixie.md");

    let unknown = builtin().resolve("foo/bar");
    assert_eq!(unknown.kind, MatchKind::Estimated);
    assert!(!unknown.known());
    assert!(!unknown.facts.known);
    assert_eq!(unknown.facts.reference(), "foo/bar:latest");
    assert_eq!(
        unknown.facts.config.env_var("PATH"),
        Some("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    );
    assert_eq!(unknown.facts.config.cmd, None);

    let scratch = builtin().resolve("scratch");
    assert!(scratch.is_scratch() && scratch.known() && scratch.message.is_none());
    assert_eq!(scratch.facts.size_bytes, 0);
}

#[test]
fn alpine_facts() {
    let a = builtin()
        .get("alpine", "3.24")
        .expect("alpine:3.24 is in the catalog");
    assert_eq!(
        (a.size_bytes, a.compressed_size_bytes),
        (8_420_000, 3_849_738)
    );
    assert_eq!(a.os, OsFamily::Alpine);
    assert_eq!(a.os_version.as_deref(), Some("3.24.2"));
    assert_eq!(a.package_manager, PackageManager::Apk);
    assert_eq!(a.package_count, Some(16));
    assert_eq!(a.config.cmd, Some(vec!["/bin/sh".to_string()]));
    assert!(a.source.commit.as_deref().is_some_and(|c| c.len() == 40));
}

#[test]
fn size_override_rescales_the_filesystem() {
    let r = builtin().resolve("node:22").with_size(500_000_000);
    assert!(r.size_overridden);
    assert_eq!(r.facts.size_bytes, 500_000_000);
    assert!(r.facts.compressed_size_bytes < 500_000_000);
    let total: u64 = builtin()
        .filesystem(&r.facts)
        .iter()
        .map(BaseEntry::size)
        .sum();
    assert_eq!(total, 500_000_000);
}

fn fs_total(facts: &ImageFacts) -> u64 {
    builtin()
        .filesystem(facts)
        .iter()
        .map(BaseEntry::size)
        .sum()
}

/// Every image's and every estimate's filesystem adds up to its size (±1 %).
#[test]
fn filesystems_add_up() {
    let catalog = builtin();
    let estimates = catalog.estimates.iter().map(|e| &e.facts);
    for facts in catalog.images().iter().chain(estimates) {
        let total = fs_total(facts);
        let size = facts.size_bytes;
        assert!(
            total.abs_diff(size) * 100 <= size,
            "{}: filesystem adds up to {total}, size is {size}",
            facts.reference()
        );
    }
}

fn entry<'a>(fs: &'a [BaseEntry], path: &str) -> Option<&'a BaseEntry> {
    fs.iter().find(|e| e.path == path)
}

/// Entries are sorted, unique, absolute, and every parent is a listed directory.
#[test]
fn filesystems_are_well_formed() {
    let catalog = builtin();
    for facts in catalog.images() {
        let fs = catalog.filesystem(facts);
        assert_eq!(
            fs,
            catalog.filesystem(facts),
            "{}: deterministic",
            facts.reference()
        );
        for pair in fs.windows(2) {
            assert!(
                pair[0].path < pair[1].path,
                "{}: {} before {}",
                facts.reference(),
                pair[0].path,
                pair[1].path
            );
        }
        for e in &fs {
            assert!(
                e.path.starts_with('/') && !e.path.ends_with('/'),
                "{}: {}",
                facts.reference(),
                e.path
            );
            let parent = &e.path[..e.path.rfind('/').unwrap_or(0)];
            if !parent.is_empty() {
                let p = entry(&fs, parent);
                assert!(
                    p.is_some_and(|p| matches!(p.kind, BaseKind::Dir { .. })),
                    "{}: {} has no parent directory",
                    facts.reference(),
                    e.path
                );
            }
        }
    }
    assert!(catalog.filesystem(&ImageFacts::scratch()).is_empty());
}

fn text(fs: &[BaseEntry], path: &str) -> String {
    match entry(fs, path).map(|e| &e.kind) {
        Some(BaseKind::File {
            content: Some(c),
            size,
        }) => {
            assert_eq!(
                *size,
                c.len() as u64,
                "{path}: size is the content's length"
            );
            c.clone()
        }
        other => panic!("{path} is not a text file: {other:?}"),
    }
}

/// Every image with an OS has a /etc/passwd and /etc/group that parse: seven and four
/// fields, numeric ids, unique names, root first; image users have their group.
#[test]
fn passwd_and_group_parse() {
    let catalog = builtin();
    for facts in catalog.images() {
        let fs = catalog.filesystem(facts);
        let name = facts.reference();
        let passwd = text(&fs, "/etc/passwd");
        let group = text(&fs, "/etc/group");
        let mut users = BTreeMap::new();
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            assert_eq!(f.len(), 7, "{name}: passwd line {line:?}");
            let uid: u32 = f[2]
                .parse()
                .unwrap_or_else(|_| panic!("{name}: uid in {line:?}"));
            let gid: u32 = f[3]
                .parse()
                .unwrap_or_else(|_| panic!("{name}: gid in {line:?}"));
            assert!(
                f[5].starts_with('/') && f[6].starts_with('/'),
                "{name}: {line:?}"
            );
            assert!(
                users.insert(f[0].to_string(), (uid, gid)).is_none(),
                "{name}: user {} twice",
                f[0]
            );
        }
        let mut groups = BTreeMap::new();
        for line in group.lines() {
            let f: Vec<&str> = line.split(':').collect();
            assert_eq!(f.len(), 4, "{name}: group line {line:?}");
            let gid: u32 = f[2]
                .parse()
                .unwrap_or_else(|_| panic!("{name}: gid in {line:?}"));
            assert!(
                groups.insert(f[0].to_string(), gid).is_none(),
                "{name}: group {} twice",
                f[0]
            );
        }
        assert!(passwd.starts_with("root:x:0:0:"), "{name}");
        assert!(group.starts_with("root:x:0:"), "{name}");
        assert!(users.contains_key("nobody"), "{name}");
        for u in &facts.users {
            assert_eq!(
                users.get(&u.name),
                Some(&(u.uid, u.gid)),
                "{name}: {}",
                u.name
            );
            assert!(
                groups.values().any(|g| *g == u.gid),
                "{name}: {} has no group {}",
                u.name,
                u.gid
            );
        }
    }
}

#[test]
fn image_users() {
    let catalog = builtin();
    let fs = catalog.filesystem(catalog.resolve("node:22").facts_ref());
    let passwd = text(&fs, "/etc/passwd");
    assert!(passwd.ends_with("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/bin/bash\n"));
    let home = entry(&fs, "/home/node").expect("node's home exists");
    assert_eq!((home.uid, home.gid, home.mode), (1000, 1000, 0o755));
    assert!(text(&fs, "/etc/group").ends_with("nogroup:x:65534:\nnode:x:1000:\n"));

    let fs = catalog.filesystem(catalog.resolve("node:22-alpine").facts_ref());
    assert!(
        text(&fs, "/etc/passwd").ends_with("node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n")
    );

    // gradle renames Ubuntu's `ubuntu` user and group to `gradle`.
    let fs = catalog.filesystem(catalog.resolve("gradle").facts_ref());
    let passwd = text(&fs, "/etc/passwd");
    assert!(!passwd.contains("ubuntu:"));
    assert!(passwd.contains("gradle:x:1000:1000:Ubuntu:/home/gradle:/bin/bash\n"));
    assert!(!text(&fs, "/etc/group").contains("ubuntu:"));
}

#[test]
fn alpine_layout() {
    let catalog = builtin();
    let fs = catalog.filesystem(catalog.resolve("alpine:3.24").facts_ref());
    let sh = entry(&fs, "/bin/sh").expect("/bin/sh exists");
    assert_eq!(sh.kind, BaseKind::Symlink("/bin/busybox".into()));
    assert!(matches!(
        entry(&fs, "/bin/busybox").map(|e| &e.kind),
        Some(BaseKind::File { size: 813_056, .. })
    ));
    assert!(matches!(
        entry(&fs, "/bin").map(|e| &e.kind),
        Some(BaseKind::Dir { .. })
    ));
    assert_eq!(entry(&fs, "/tmp").map(|e| e.mode), Some(0o1777));
    assert_eq!(entry(&fs, "/root").map(|e| e.mode), Some(0o700));
    expect![[r#"
        NAME="Alpine Linux"
        ID=alpine
        VERSION_ID=3.24.2
        PRETTY_NAME="Alpine Linux v3.24"
        HOME_URL="https://alpinelinux.org/"
        BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
    "#]]
    .assert_eq(&text(&fs, "/etc/os-release"));
    assert!(text(&fs, "/etc/passwd").starts_with("root:x:0:0:root:/root:/bin/sh\n"));
}

#[test]
fn debian_layout() {
    let catalog = builtin();
    let fs = catalog.filesystem(catalog.resolve("debian:bookworm-slim").facts_ref());
    assert_eq!(
        entry(&fs, "/bin").map(|e| &e.kind),
        Some(&BaseKind::Symlink("usr/bin".into()))
    );
    assert_eq!(
        entry(&fs, "/usr/bin/sh").map(|e| &e.kind),
        Some(&BaseKind::Symlink("dash".into()))
    );
    assert!(matches!(
        entry(&fs, "/usr/bin/dash").map(|e| &e.kind),
        Some(BaseKind::File { .. })
    ));
    assert_eq!(
        entry(&fs, "/etc/os-release").map(|e| &e.kind),
        Some(&BaseKind::Symlink("../usr/lib/os-release".into()))
    );
    expect![[r#"
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        SUPPORT_URL="https://www.debian.org/support"
        BUG_REPORT_URL="https://bugs.debian.org/"
    "#]]
    .assert_eq(&text(&fs, "/usr/lib/os-release"));
    let passwd = text(&fs, "/etc/passwd");
    assert!(passwd.contains("www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"));
    assert!(passwd.contains("_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n"));

    // Debian 11 has not merged /usr: a real /bin holds sh.
    let fs = catalog.filesystem(catalog.resolve("debian:bullseye").facts_ref());
    assert!(matches!(
        entry(&fs, "/bin").map(|e| &e.kind),
        Some(BaseKind::Dir { .. })
    ));
    assert_eq!(
        entry(&fs, "/bin/sh").map(|e| &e.kind),
        Some(&BaseKind::Symlink("dash".into()))
    );
    assert!(text(&fs, "/etc/passwd").contains("gnats:x:41:41:"));
}

#[test]
fn toolchains() {
    let catalog = builtin();
    let dir_bytes = |fs: &[BaseEntry], path: &str| match entry(fs, path).map(|e| &e.kind) {
        Some(BaseKind::Dir { summary_bytes }) => *summary_bytes,
        other => panic!("{path} is not a directory: {other:?}"),
    };

    let fs = catalog.filesystem(catalog.resolve("golang:1.25").facts_ref());
    assert!(dir_bytes(&fs, "/usr/local/go") > 100_000_000);
    assert_eq!(entry(&fs, "/go").map(|e| e.mode), Some(0o1777));
    assert_eq!(entry(&fs, "/go/src").map(|e| e.mode), Some(0o1777));

    let fs = catalog.filesystem(catalog.resolve("node:22-slim").facts_ref());
    assert!(
        matches!(entry(&fs, "/usr/local/bin/node").map(|e| &e.kind), Some(BaseKind::File { size, .. }) if *size > 50_000_000)
    );
    assert!(dir_bytes(&fs, "/usr/local/lib/node_modules") > 0);
    assert_eq!(
        entry(&fs, "/usr/local/bin/npm").map(|e| &e.kind),
        Some(&BaseKind::Symlink(
            "../lib/node_modules/npm/bin/npm-cli.js".into()
        ))
    );

    let fs = catalog.filesystem(catalog.resolve("python:3.12-slim").facts_ref());
    assert_eq!(
        entry(&fs, "/usr/local/bin/python3").map(|e| &e.kind),
        Some(&BaseKind::Symlink("python3.12".into()))
    );
    assert!(matches!(
        entry(&fs, "/usr/local/bin/python3.12").map(|e| &e.kind),
        Some(BaseKind::File { .. })
    ));
    assert!(dir_bytes(&fs, "/usr/local/lib/python3.12") > 10_000_000);

    let fs = catalog.filesystem(catalog.resolve("eclipse-temurin:21").facts_ref());
    assert!(dir_bytes(&fs, "/opt/java/openjdk") > 100_000_000);
    let fs = catalog.filesystem(catalog.resolve("amazoncorretto:21").facts_ref());
    assert!(dir_bytes(&fs, "/usr/lib/jvm/java-21-amazon-corretto") > 100_000_000);

    // WORKDIR and volumes exist.
    let fs = catalog.filesystem(catalog.resolve("redis:7.4").facts_ref());
    assert!(entry(&fs, "/data").is_some());
    let fs = catalog.filesystem(catalog.resolve("php:apache").facts_ref());
    assert!(entry(&fs, "/var/www/html").is_some());
}

#[test]
fn shells() {
    let catalog = builtin();
    let sh = |r: &str| {
        let fs = catalog.filesystem(catalog.resolve(r).facts_ref());
        let real = if entry(&fs, "/bin").is_some_and(|e| matches!(e.kind, BaseKind::Symlink(_))) {
            "/usr/bin/sh"
        } else {
            "/bin/sh"
        };
        entry(&fs, real).map(|e| e.kind.clone())
    };
    assert_eq!(sh("busybox"), Some(BaseKind::Symlink("busybox".into())));
    assert_eq!(sh("ubuntu:24.04"), Some(BaseKind::Symlink("dash".into())));
    assert_eq!(sh("mysql:8.4"), Some(BaseKind::Symlink("bash".into())));
    assert_eq!(sh("gcr.io/distroless/static-debian12"), None);
}

impl Resolved {
    fn facts_ref(&self) -> &ImageFacts {
        &self.facts
    }
}

#[test]
fn references() {
    let r = Reference::parse("localhost:5000/team/app:1.2@sha256:ff");
    assert_eq!(r.repository, "localhost:5000/team/app");
    assert_eq!(r.tag.as_deref(), Some("1.2"));
    assert_eq!(r.digest.as_deref(), Some("sha256:ff"));
    assert!(!r.official);
    let r = Reference::parse("registry:5000/app");
    assert_eq!(
        (r.repository.as_str(), r.tag.as_deref()),
        ("registry:5000/app", None)
    );
    let r = Reference::parse("docker.io/library/node:22");
    assert!(r.official);
    assert_eq!(r.display(), "node:22");
    assert_eq!(Reference::parse("bitnami/python").short_name(), "python");
}

/// Odd facts a caller might build: relative and dotted paths, `/` as WORKDIR.
#[test]
fn filesystem_tolerates_odd_paths() {
    let mut facts = builtin().resolve("alpine:3.24").facts;
    facts.config.workdir = Some("/".into());
    facts.config.volumes = vec!["data/".into(), "/srv/../var/./www".into()];
    let fs = builtin().filesystem(&facts);
    assert!(entry(&fs, "/").is_none());
    assert!(entry(&fs, "/data").is_some());
    assert!(entry(&fs, "/var/www").is_some());
    // Through the merged-/usr link on Debian: /bin/x lands in /usr/bin/x.
    let mut facts = builtin().resolve("debian:trixie").facts;
    facts.config.workdir = Some("/bin/app".into());
    let fs = builtin().filesystem(&facts);
    assert!(entry(&fs, "/usr/bin/app").is_some() && entry(&fs, "/bin/app").is_none());
}

#[test]
fn busybox_adds_up_exactly() {
    for r in ["busybox", "busybox:musl", "busybox:uclibc"] {
        let facts = builtin().resolve(r).facts;
        assert_eq!(fs_total(&facts), facts.size_bytes, "{r}");
    }
}

#[test]
fn empty_reference() {
    let r = builtin().resolve("  ");
    assert_eq!(r.kind, MatchKind::Estimated);
    assert!(r
        .message
        .is_some_and(|m| m.starts_with("unknown image \"\": assumed 74.8 MB")));
}

#[test]
fn canonical_names_are_what_buildkit_prints() {
    for (written, want) in [
        ("golang:1.22", "docker.io/library/golang:1.22"),
        ("alpine", "docker.io/library/alpine:latest"),
        ("library/node:22", "docker.io/library/node:22"),
        ("bitnami/python:3.12", "docker.io/bitnami/python:3.12"),
        ("ghcr.io/org/app", "ghcr.io/org/app:latest"),
        ("localhost:5000/app:1@sha256:ff", "localhost:5000/app:1@sha256:ff"),
        ("alpine@sha256:ab", "docker.io/library/alpine@sha256:ab"),
    ] {
        assert_eq!(Reference::parse(written).canonical(), want, "{written}");
    }
}
