use super::*;
use std::io::Write;
use tar::{Builder, EntryType, Header};

/// What a test archive member is: (raw name, type flag, content or link target, mode).
struct Member<'a> {
    name: &'a str,
    flag: u8,
    data: &'a str,
    mode: u32,
}

fn file<'a>(name: &'a str, data: &'a str) -> Member<'a> {
    Member { name, flag: b'0', data, mode: 0o644 }
}
fn dir(name: &str) -> Member<'_> {
    Member { name, flag: b'5', data: "", mode: 0o755 }
}
fn link<'a>(name: &'a str, flag: u8, target: &'a str) -> Member<'a> {
    Member { name, flag, data: target, mode: 0o777 }
}

/// Writes names and link targets as raw bytes, so tests can hold what `tar::Builder`
/// refuses to write (`..`, absolute paths) but real archives may contain.
fn tar_of(members: &[Member]) -> Vec<u8> {
    let mut builder = Builder::new(Vec::new());
    for m in members {
        let mut header = Header::new_gnu();
        let raw = header.as_old_mut();
        raw.name[..m.name.len()].copy_from_slice(m.name.as_bytes());
        // Raw, so that the old-style flag NUL stays NUL rather than becoming '0'.
        header.as_old_mut().linkflag[0] = m.flag;
        header.set_mode(m.mode);
        header.set_uid(1000);
        header.set_gid(100);
        let content: &[u8] = if matches!(m.flag, b'1' | b'2') {
            let raw = header.as_old_mut();
            raw.linkname[..m.data.len()].copy_from_slice(m.data.as_bytes());
            &[]
        } else {
            m.data.as_bytes()
        };
        header.set_size(content.len() as u64);
        header.set_cksum();
        builder.append(&header, content).expect("writing to a Vec");
    }
    builder.into_inner().expect("writing to a Vec")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("writing to a Vec");
    encoder.finish().expect("writing to a Vec")
}

/// A compact view of the entries: `path kind mode uid:gid`.
fn dump(entries: &[ArchiveEntry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let kind = match &e.kind {
                ArchiveEntryKind::File(data) => format!("file {:?}", String::from_utf8_lossy(data)),
                ArchiveEntryKind::Dir => "dir".to_string(),
                ArchiveEntryKind::Symlink(t) => format!("symlink -> {t}"),
                ArchiveEntryKind::Hardlink(t) => format!("hardlink -> {t}"),
                ArchiveEntryKind::Special(c) => format!("special {c}"),
            };
            format!("{:?} {kind} {:o} {}:{}", e.path, e.mode, e.uid, e.gid)
        })
        .collect()
}

fn sample() -> Vec<u8> {
    tar_of(&[
        dir("./"),
        dir("app/"),
        file("app/main.sh", "echo hi\n"),
        Member { name: "app/run", flag: b'0', data: "#!/bin/sh\n", mode: 0o4755 },
        link("app/current", b'2', "main.sh"),
        link("app/again", b'1', "./app/main.sh"),
        Member { name: "dev/fifo", flag: b'6', data: "", mode: 0o600 },
    ])
}

#[test]
fn reads_every_kind_of_member() {
    let got = read_tar(&sample()).map(|e| dump(&e));
    let want = [
        "\"\" dir 755 1000:100",
        "\"app\" dir 755 1000:100",
        "\"app/main.sh\" file \"echo hi\\n\" 644 1000:100",
        "\"app/run\" file \"#!/bin/sh\\n\" 4755 1000:100",
        "\"app/current\" symlink -> main.sh 777 1000:100",
        "\"app/again\" hardlink -> app/main.sh 777 1000:100",
        "\"dev/fifo\" special 6 600 1000:100",
    ];
    assert_eq!(got, Ok(want.iter().map(|s| s.to_string()).collect()));
}

#[test]
fn reads_gzip_compressed_tar_the_same() {
    assert_eq!(read_tar(&gzip(&sample())), read_tar(&sample()));
    // Go's gzip reader reads concatenated members; so do we.
    let mut two = gzip(&sample()[..1024]);
    two.extend(gzip(&sample()[1024..]));
    assert_eq!(read_tar(&two), read_tar(&sample()));
}

#[test]
fn detects_by_content_not_name() {
    let zstd_skippable = [0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0];
    let cases: &[(&str, Vec<u8>, ArchiveKind)] = &[
        ("tar", sample(), ArchiveKind::Tar),
        ("gzip of a tar", gzip(&sample()), ArchiveKind::Gzip),
        ("gzip of text", gzip(b"just text"), ArchiveKind::NotArchive),
        ("bzip2", b"BZh91AY&SY".to_vec(), ArchiveKind::Bzip2),
        ("xz", vec![0xfd, b'7', b'z', b'X', b'Z', 0, 0, 4], ArchiveKind::Xz),
        ("zstd", vec![0x28, 0xb5, 0x2f, 0xfd, 0x24, 0], ArchiveKind::Zstd),
        ("zstd skippable frame", zstd_skippable.to_vec(), ArchiveKind::Zstd),
        ("empty", vec![], ArchiveKind::NotArchive),
        ("text", b"FROM alpine\n".to_vec(), ArchiveKind::NotArchive),
        ("end-of-archive blocks only", vec![0; 1024], ArchiveKind::NotArchive),
        ("half a header", sample()[..300].to_vec(), ArchiveKind::NotArchive),
        ("gzip magic, corrupt stream", vec![0x1f, 0x8b, 0x08, 0, 1, 2, 3], ArchiveKind::NotArchive),
    ];
    for (what, bytes, want) in cases {
        assert_eq!(detect(bytes), *want, "{what}");
        assert_eq!(detect(bytes).is_archive(), *want != ArchiveKind::NotArchive, "{what}");
    }
}

#[test]
fn names_the_compressions_it_does_not_unpack() {
    for (bytes, name) in [(&b"BZh91AY&SY"[..], "bzip2"), (&[0xfd, b'7', b'z', b'X', b'Z', 0][..], "xz")] {
        assert_eq!(read_tar(bytes), Err(format!("compressed with {name}: not unpacked by the simulator")));
    }
    assert!(read_tar(b"plain text").is_err_and(|e| e.contains("not a tar archive")));
}

#[test]
fn member_names_are_cleaned_like_moby() {
    let tar = tar_of(&[
        file("/etc/abs.conf", "a"),
        file("/../../up.txt", "b"),
        file("./x//y/../z.txt", "c"),
        // Old tars: a regular entry with a trailing slash is a directory.
        Member { name: "old/", flag: b'\0', data: "", mode: 0o755 },
        link("a/b/ok", b'2', "../c"),
        link("abs", b'2', "/etc/passwd"),
    ]);
    let got = read_tar(&tar).map(|e| e.into_iter().map(|e| e.path).collect::<Vec<_>>());
    assert_eq!(
        got,
        Ok(vec!["etc/abs.conf", "up.txt", "x/z.txt", "old", "a/b/ok", "abs"].into_iter().map(String::from).collect())
    );
    let old = read_tar(&tar).ok().and_then(|e| e.into_iter().find(|e| e.path == "old")).map(|e| e.kind);
    assert_eq!(old, Some(ArchiveEntryKind::Dir));
}

#[test]
fn refuses_members_that_leave_the_destination() {
    for (members, message) in [
        (vec![file("../evil", "x")], "outside of the destination"),
        (vec![file("a/../../evil", "x")], "outside of the destination"),
        (vec![link("a/hard", b'1', "../etc/shadow")], "invalid hardlink"),
        (vec![link("a/hard", b'1', "/../x")], "invalid hardlink"),
    ] {
        let got = read_tar(&tar_of(&members));
        assert!(got.as_ref().is_err_and(|e| e.contains(message)), "{got:?}, want {message}");
    }
}

#[test]
fn keeps_symlink_targets_as_written() {
    // BuildKit's applyRootArchive creates the link and checks its target only when a later
    // member goes through it (BuildKit testSymlinkDestination relies on `../tmp/...`).
    let got = read_tar(&tar_of(&[link("a/sym", b'2', "../../etc"), link("sym", b'2', "/../x")]));
    let kinds = got.map(|e| e.into_iter().map(|e| e.kind).collect::<Vec<_>>());
    assert_eq!(
        kinds,
        Ok(vec![ArchiveEntryKind::Symlink("../../etc".into()), ArchiveEntryKind::Symlink("/../x".into())])
    );
}

#[test]
fn reads_long_names_from_gnu_and_pax_headers() {
    let long = format!("{}/file.txt", "d".repeat(150));
    let mut builder = Builder::new(Vec::new());
    let mut header = Header::new_gnu();
    header.set_size(2);
    header.set_mode(0o644);
    builder.append_data(&mut header, &long, &b"hi"[..]).expect("writing to a Vec");

    let pax_name = format!("{}/pax.txt", "p".repeat(120));
    let record = pax_record("path", &pax_name);
    let mut pax = Header::new_ustar();
    pax.set_entry_type(EntryType::XHeader);
    pax.set_path("PaxHeaders/x").expect("short name");
    pax.set_size(record.len() as u64);
    pax.set_cksum();
    builder.append(&pax, record.as_bytes()).expect("writing to a Vec");
    let mut header = Header::new_ustar();
    header.set_path("short").expect("short name");
    header.set_size(0);
    header.set_cksum();
    builder.append(&header, &[][..]).expect("writing to a Vec");

    let tar = builder.into_inner().expect("writing to a Vec");
    let paths = read_tar(&tar).map(|e| e.into_iter().map(|e| e.path).collect::<Vec<_>>());
    assert_eq!(paths, Ok(vec![long, pax_name]));
}

/// One PAX record: `<length> <key>=<value>\n`, where the length counts itself.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while format!("{len}{body}").len() != len {
        len += 1;
    }
    format!("{len}{body}")
}

#[test]
fn refuses_more_than_the_limit() {
    let tar = tar_of(&[file("a", &"x".repeat(600)), file("b", &"y".repeat(600))]);
    assert!(read_tar_limited(&tar, 1000).is_err_and(|e| e.contains("more than the simulator unpacks")));
    assert!(read_tar_limited(&gzip(&tar), 1000).is_err_and(|e| e.contains("more than the simulator unpacks")));
    assert!(read_tar_limited(&tar, 1200).is_ok());
}

#[test]
fn truncated_archives_are_errors_or_shorter_lists_never_panics() {
    let tar = sample();
    let gz = gzip(&tar);
    let full = read_tar(&tar).unwrap_or_default();
    for cut in 0..tar.len() {
        let _ = detect(&tar[..cut]);
        // Cut between members, the archive just ends early (Go reads it so too); cut
        // inside one, it is an error, never a silently short file.
        if let Ok(entries) = read_tar(&tar[..cut]) {
            assert_eq!(entries[..], full[..entries.len()], "cut at {cut}");
        }
    }
    for cut in 0..gz.len() {
        let _ = detect(&gz[..cut]);
        let _ = read_tar(&gz[..cut]);
    }
    // Cut inside file content: an error that names the file.
    let cut_in_data = 3 * 512 + 4;
    assert!(read_tar(&tar[..cut_in_data]).is_err_and(|e| e.contains("app/main.sh") || e.contains("corrupt")));
}

#[test]
fn garbage_never_panics() {
    // A small xorshift generator: deterministic, no dependency.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let prefixes: [&[u8]; 4] = [b"", &[0x1f, 0x8b, 0x08], b"BZh", &[0x28, 0xb5, 0x2f, 0xfd]];
    for round in 0..400 {
        let len = (next() % 2048) as usize;
        let mut bytes: Vec<u8> = prefixes[round % prefixes.len()].to_vec();
        bytes.extend((0..len).map(|_| next() as u8));
        let _ = detect(&bytes);
        let _ = read_tar(&bytes);
    }
    // A valid archive with one byte changed at a time: header fields, sizes, checksums.
    let tar = sample();
    for i in 0..tar.len().min(4 * 512) {
        for value in [0u8, 0xff, b'7', b' '] {
            let mut bytes = tar.clone();
            bytes[i] = value;
            let _ = read_tar(&bytes);
        }
    }
}
