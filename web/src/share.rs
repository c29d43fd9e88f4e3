//! The state in a URL fragment, and back.
//!
//! `#s=<base64url(deflate(json))>` carries a whole `Project`. Docs authors can also write a
//! fragment by hand: `#example=go-scratch` opens an example, `#dockerfile=<percent-encoded
//! text>` a Dockerfile, optionally with `&target=<stage>`. Anything else (garbage, a cut-off
//! link, a decompression bomb) is an `Err` with a message for the user, never a panic.

use crate::project::Project;

/// Links longer than this are refused before any decoding (browsers cap URLs near 2 MB).
pub const MAX_FRAGMENT: usize = 1_000_000;
/// The decompressed state may not exceed this.
pub const MAX_STATE: usize = 4_000_000;
const MAX_FILES: usize = 5_000;

/// What a fragment asks for.
#[derive(Debug, PartialEq)]
pub enum Link {
    Project(Project),
    Example { id: String, target: Option<String> },
}

/// `s=…` for a project.
pub fn encode(project: &Project) -> String {
    let json = serde_json::to_vec(project).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("s={}", base64url_encode(&packed))
}

/// Reads a fragment (without the `#`). `Ok(None)` for an empty one.
pub fn decode(fragment: &str) -> Result<Option<Link>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return Ok(None);
    }
    if fragment.len() > MAX_FRAGMENT {
        return Err(format!(
            "The link is too long ({} characters; at most {MAX_FRAGMENT}).",
            fragment.len()
        ));
    }
    let params: Vec<(&str, &str)> = fragment
        .split('&')
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .collect();
    let get = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let target = get("target")
        .map(percent_decode)
        .transpose()?
        .filter(|t| !t.is_empty());
    if let Some(s) = get("s") {
        return decode_state(s).map(|p| Some(Link::Project(p)));
    }
    if let Some(id) = get("example") {
        return Ok(Some(Link::Example {
            id: percent_decode(id)?,
            target,
        }));
    }
    if let Some(text) = get("dockerfile") {
        let dockerfile = percent_decode(text)?;
        return Ok(Some(Link::Project(Project {
            dockerfile,
            target,
            ..Project::default()
        })));
    }
    Err("The link's #fragment is not one this page understands (expected #s=…, #example=… or #dockerfile=…).".into())
}

fn decode_state(s: &str) -> Result<Project, String> {
    let broken = |why: &str| {
        format!("This share link is damaged ({why}); it may have been cut off when copied.")
    };
    let packed = base64url_decode(s).ok_or_else(|| broken("it is not base64url"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_STATE).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            format!("This share link holds more than {MAX_STATE} bytes of state; it was not opened.")
        } else {
            broken("it does not decompress")
        }
    })?;
    let mut project: Project = serde_json::from_slice(&json)
        .map_err(|_| broken("its contents are not a Stagecraft state"))?;
    if project.files.len() > MAX_FILES {
        return Err(format!(
            "This share link has {} context files; at most {MAX_FILES} are supported.",
            project.files.len()
        ));
    }
    // Re-insert through `put` so paths are clean, sorted and unique whatever the link says.
    let files = std::mem::take(&mut project.files);
    for f in files {
        project.put(&f.path, f.content);
    }
    Ok(project)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Unpadded base64url; also accepts `=` padding and the `+/` alphabet some tools produce.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover character cannot come from an encoder.
    (bits < 6).then_some(out)
}

/// `%XX` decoding of UTF-8 text (and `+` as a space, as forms write it).
pub fn percent_decode(text: &str) -> Result<String, String> {
    let bad = || "The link's text is not properly percent-encoded.".to_string();
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3).ok_or_else(bad)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// `%XX`-encodes everything but unreserved characters, for `#dockerfile=` snippets.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{BuildArg, Content};

    fn sample() -> Project {
        let mut p = Project::new(
            "FROM golang:1.26 AS build\nCOPY . .\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
            &[("main.go", "package main\n\nfunc main() {}\n"), ("go.mod", "module x\n"), ("ünï/ċødé.txt", "✓")],
        );
        p.put("node_modules", Content::Size(180_000_000));
        p.put("empty", Content::Dir);
        p.build_args = vec![BuildArg {
            name: "V".into(),
            value: "a b&c=d#e".into(),
        }];
        p.target = Some("build".into());
        p
    }

    #[test]
    fn a_project_survives_the_round_trip() {
        for p in [
            sample(),
            Project::default(),
            Project::new("FROM scratch", &[]),
        ] {
            let link = encode(&p);
            assert!(
                link.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)),
                "{link}"
            );
            assert_eq!(decode(&link), Ok(Some(Link::Project(p.clone()))));
            assert_eq!(decode(&format!("#{link}")), Ok(Some(Link::Project(p))));
        }
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            assert_eq!(
                base64url_decode(&base64url_encode(&data[..n])).as_deref(),
                Some(&data[..n])
            );
        }
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode("AB!C"), None);
    }

    #[test]
    fn handwritten_fragments() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#"), Ok(None));
        assert_eq!(
            decode("example=go-scratch&target=build"),
            Ok(Some(Link::Example {
                id: "go-scratch".into(),
                target: Some("build".into())
            }))
        );
        let text = "FROM alpine:3.22\nRUN echo 'hi there' > /x # 100%\n";
        let got = decode(&format!("dockerfile={}&target=", percent_encode(text))).unwrap();
        assert_eq!(
            got,
            Some(Link::Project(Project {
                dockerfile: text.into(),
                ..Project::default()
            }))
        );
    }

    /// Every hostile fragment gives a message, never a panic or a half-read state.
    #[test]
    fn hostile_fragments_are_errors_with_messages() {
        let good = encode(&sample());
        let mut cases: Vec<String> = vec![
            "s=".into(),
            "s=!!!!".into(),
            "s=A".into(),
            "s=AAAA".into(),
            "garbage".into(),
            "dockerfile=%ZZ".into(),
            "dockerfile=%E2%28".into(),
            "dockerfile=%4".into(),
            "x".repeat(MAX_FRAGMENT + 1),
            format!("s={}", base64url_encode(b"not deflate at all")),
            format!(
                "s={}",
                base64url_encode(&miniz_oxide::deflate::compress_to_vec(
                    b"{\"dockerfile\": 7}",
                    6
                ))
            ),
            format!(
                "s={}",
                base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2,3]", 6))
            ),
        ];
        // Truncated at every length: each either decodes to an error or (rarely) to some state.
        for cut in (3..good.len()).step_by(7) {
            cases.push(good[..cut].to_string());
        }
        // A decompression bomb: a small link that inflates past the limit.
        let bomb = vec![b' '; MAX_STATE + 10];
        cases.push(format!(
            "s={}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(&bomb, 9))
        ));
        // Too many files.
        let many = Project {
            files: (0..MAX_FILES + 1)
                .map(|i| crate::project::ContextFile {
                    path: format!("f{i}"),
                    content: Content::Dir,
                })
                .collect(),
            ..Project::default()
        };
        cases.push(encode(&many));
        for case in &cases {
            match decode(case) {
                Err(message) => assert!(message.len() > 20, "{message}"),
                Ok(link) => panic!("{:.60}… decoded to {link:?}", case),
            }
        }
    }

    #[test]
    fn a_link_cannot_smuggle_paths_out_of_the_context() {
        let json = br#"{"dockerfile":"FROM scratch","files":[{"path":"../../etc/x","content":"dir"},{"path":"b//./a","content":{"size":3}},{"path":"b/a","content":{"text":"t"}}]}"#;
        let link = format!(
            "s={}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(json, 6))
        );
        let Ok(Some(Link::Project(p))) = decode(&link) else {
            panic!()
        };
        assert_eq!(p.files.len(), 1);
        assert_eq!(p.files[0].path, "b/a");
        assert_eq!(p.files[0].content, Content::Text("t".into()));
    }
}
