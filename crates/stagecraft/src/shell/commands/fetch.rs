//! `curl`, `wget`, `git clone`: nothing can be fetched here, so a download becomes a file of
//! an estimated size (`fetch.default`) and a clone a directory (`git.clone.default`), each
//! with a note. Written to standard output, a download is a stream of that many unknown
//! bytes: `curl … | tar -xz` unpacks a placeholder, `curl … | sh` runs a script whose
//! content is not known. Other `git` subcommands (`rev-parse`, `describe`, `config`) change
//! nothing of size; their output is not known.

use super::super::session::{Session, Status, Stream};
use super::langdata::{self, bytes};
use super::produce::{self, estimated, mb, url_file_name};
use super::{parse_opts, Opts};

const CURL_LONG: &[(&str, char)] = &[
    ("output=", 'o'), ("remote-name", 'O'), ("remote-name-all", 'O'), ("output-dir=", '1'), ("create-dirs", '2'),
    ("header=", 'H'), ("user=", 'u'), ("data=", 'd'), ("data-binary=", 'd'), ("data-raw=", 'd'), ("data-urlencode=", 'd'),
    ("request=", 'X'), ("write-out=", 'w'), ("continue-at=", 'C'), ("proxy=", 'x'), ("user-agent=", 'A'), ("referer=", 'e'),
    ("max-time=", 'm'), ("upload-file=", 'T'), ("form=", 'F'), ("range=", 'r'), ("cookie=", 'b'), ("cookie-jar=", 'c'),
    ("config=", 'K'), ("cert=", 'E'), ("retry=", '3'), ("retry-delay=", '3'), ("retry-max-time=", '3'),
    ("connect-timeout=", '3'), ("proto=", '3'), ("proto-redir=", '3'), ("cacert=", '3'), ("key=", '3'),
    ("url=", '4'), ("limit-rate=", '3'), ("max-redirs=", '3'), ("resolve=", '3'), ("interface=", '3'),
    ("netrc-file=", '3'), ("time-cond=", 'z'), ("oauth2-bearer=", '3'), ("location", 'L'), ("fail", 'f'),
    ("silent", 's'), ("show-error", 'S'), ("insecure", 'k'), ("version", 'V'), ("head", 'I'), ("include", 'i'),
];

pub fn curl(args: &[String], s: &mut Session) -> Status {
    let o = match parse_opts(&args[1..], "oHudXwCxAemTFrbcKEYyzQ", CURL_LONG) {
        Ok(o) => o,
        Err(e) => return s.fail("curl", &e, 2),
    };
    if o.has('V') {
        produce::unknown_output(s);
        return 0;
    }
    let mut urls: Vec<String> = o.operands.clone();
    urls.extend(o.flags.iter().filter(|(c, _)| *c == '4').filter_map(|(_, v)| v.clone()));
    if urls.is_empty() {
        return s.fail("curl", "no URL specified", 2);
    }
    if o.has('I') || o.has('T') || o.has('d') && !o.has('o') {
        // Headers, uploads and API calls: nothing of size is written.
        produce::unknown_output(s);
        return 0;
    }
    let outputs: Vec<String> = o.flags.iter().filter(|(c, _)| *c == 'o').filter_map(|(_, v)| v.clone()).collect();
    let dir = o.value('1').map(str::to_string);
    for (k, url) in urls.iter().enumerate() {
        let target = match outputs.get(k) {
            Some(out) if out != "-" => Some(out.clone()),
            Some(_) => None,
            None if o.has('O') => Some(url_file_name(url)),
            None => None,
        };
        let target = target.map(|t| match &dir {
            Some(d) if !t.starts_with('/') => format!("{}/{t}", d.trim_end_matches('/')),
            _ => t,
        });
        download(s, "curl", url, target.as_deref());
    }
    0
}

pub fn wget(args: &[String], s: &mut Session) -> Status {
    let long: &[(&str, char)] = &[
        ("output-document=", 'O'), ("directory-prefix=", 'P'), ("quiet", 'q'), ("no-verbose", '1'), ("header=", 'H'),
        ("user=", '2'), ("password=", '2'), ("tries=", 't'), ("timeout=", 'T'), ("user-agent=", 'U'), ("progress=", '2'),
        ("output-file=", 'o'), ("append-output=", 'a'), ("input-file=", 'i'), ("version", 'V'), ("continue", 'c'),
        ("no-check-certificate", '3'), ("https-only", '3'), ("show-progress", '3'), ("ca-certificate=", '2'),
        ("spider", 'S'), ("content-disposition", '3'), ("max-redirect=", '2'), ("secure-protocol=", '2'),
    ];
    let o = match parse_opts(&args[1..], "OPtTUoaiHeYw", long) {
        Ok(o) => o,
        Err(e) => return s.fail("wget", &e, 2),
    };
    if o.has('V') || o.has('S') {
        produce::unknown_output(s);
        return 0;
    }
    if o.operands.is_empty() {
        return s.fail("wget", "missing URL", 1);
    }
    let doc = o.value('O').map(str::to_string);
    let prefix = o.value('P').map(str::to_string);
    for url in &o.operands {
        let target = match &doc {
            Some(d) if d == "-" => None,
            Some(d) => Some(d.clone()),
            None => {
                let name = url_file_name(url);
                let name = if name.is_empty() || name.contains(':') { "index.html".to_string() } else { name };
                Some(match &prefix {
                    Some(p) => format!("{}/{name}", p.trim_end_matches('/')),
                    None => name,
                })
            }
        };
        download(s, "wget", url, target.as_deref());
    }
    0
}

/// A download of unknown content: a file of the default size, or that many unknown bytes on
/// standard output.
fn download(s: &mut Session, tool: &str, url: &str, target: Option<&str>) {
    let size = bytes("fetch.default");
    match target {
        Some(path) => {
            let mode = s.new_mode(false);
            produce::put_file(s, path, size, mode);
            let path = produce::place(s, path);
            estimated(s, format!("`{tool}` cannot fetch {url} here: {path} is a placeholder of {} ({}); delete it in the same RUN that uses it, or it stays in the layer", mb(size), langdata::source("fetch.default")));
        }
        None => {
            s.io.stdout.append(&Stream { bytes: Vec::new(), unknown: size, opaque: false });
            estimated(s, format!("`{tool}` cannot fetch {url} here: its output is {} of unknown content ({})", mb(size), langdata::source("fetch.default")));
        }
    }
}

/// `git clone URL [DIR]`; other subcommands change nothing of size.
pub fn git(args: &[String], s: &mut Session) -> Status {
    let mut i = 1;
    // Global options: `git -C dir`, `git -c k=v`.
    let mut cwd: Option<String> = None;
    while i < args.len() && args[i].starts_with('-') {
        if (args[i] == "-C" || args[i] == "-c") && i + 1 < args.len() {
            if args[i] == "-C" {
                cwd = Some(args[i + 1].clone());
            }
            i += 1;
        }
        i += 1;
    }
    let Some(sub) = args.get(i) else { return 0 };
    if sub != "clone" {
        if matches!(sub.as_str(), "submodule" | "fetch" | "pull" | "lfs") {
            s.unmodelled(&format!("git {sub}"), &format!("`git {sub}`"));
        }
        produce::unknown_output(s);
        return 0;
    }
    let o: Opts = match parse_opts(&args[i + 1..], "bcojun", &[("branch=", 'b'), ("depth=", 'd'), ("config=", 'c'), ("origin=", 'o'), ("filter=", 'f'), ("reference=", 'r'), ("separate-git-dir=", 's'), ("shallow-since=", 'S'), ("jobs=", 'j'), ("template=", 't')]) {
        Ok(o) => o,
        Err(e) => return s.fail("git", &e, 129),
    };
    let Some(url) = o.operands.first() else { return s.fail("git", "fatal: You must specify a repository to clone.", 129) };
    let dir = match o.operands.get(1) {
        Some(d) => d.clone(),
        None => url_file_name(url).trim_end_matches(".git").to_string(),
    };
    let dir = match cwd {
        Some(c) if !dir.starts_with('/') => format!("{}/{dir}", c.trim_end_matches('/')),
        _ => dir,
    };
    let size = bytes("git.clone.default");
    produce::put_dir(s, &dir, size);
    let shallow = if o.has('d') { "; --depth makes the .git directory smaller, not modelled" } else { "" };
    let path = produce::place(s, &dir);
    estimated(s, format!("`git clone` cannot fetch {url} here: {path} is a placeholder of {} ({}){shallow}", mb(size), langdata::source("git.clone.default")));
    0
}
