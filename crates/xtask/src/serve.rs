//! `cargo xtask serve`: builds `dist/` and serves it over HTTP on 127.0.0.1.
//!
//! A small std::net server, enough for a static site: GET and HEAD, the right MIME types
//! (browsers refuse to stream-compile `.wasm` without `application/wasm`), and any path
//! prefix, so the site can be tried where a docs host would put it (`/tools/dockerfile/`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

pub fn run(args: &[String]) -> Result<()> {
    let mut addr = DEFAULT_ADDR.to_string();
    let mut build = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => addr = it.next().context("--addr needs HOST:PORT")?.clone(),
            "--no-build" => build = false,
            other => anyhow::bail!("unknown option {other:?}; usage: cargo xtask serve [--addr HOST:PORT] [--no-build]"),
        }
    }
    if build {
        let sizes = crate::dist::build()?;
        println!("{}", sizes.table());
    }
    let dist = crate::workspace_root().join("dist");
    anyhow::ensure!(dist.join("index.html").is_file(), "dist/ is not built: run `cargo xtask dist`");
    let listener = TcpListener::bind(&addr).with_context(|| format!("binding {addr}"))?;
    println!("serving {} on http://{}/ (also under any sub-path, e.g. /tools/dockerfile/); Ctrl-C stops", dist.display(), listener.local_addr()?);
    serve(listener, dist);
    Ok(())
}

/// Serves `dir` on the listener until the process ends, one thread per connection.
pub fn serve(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &dir);
        });
    }
}

/// Starts a server on an ephemeral loopback port in a background thread; returns its base URL.
pub fn spawn(dir: PathBuf) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/", listener.local_addr()?);
    std::thread::spawn(move || serve(listener, dir));
    Ok(url)
}

fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; a static GET has no body we need.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let response = respond(method, target, dir);
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.mime,
        response.body.len()
    )?;
    if let Some(location) = &response.location {
        write!(out, "Location: {location}\r\n")?;
    }
    out.write_all(b"\r\n")?;
    if method != "HEAD" {
        out.write_all(&response.body)?;
    }
    out.flush()
}

struct Response {
    status: &'static str,
    mime: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

/// The site is flat but for `data/`, so a request names a file by its last path segment
/// (or `data/` and it), whatever the prefix.
fn respond(method: &str, target: &str, dir: &Path) -> Response {
    let text = |status, body: &str| Response { status, mime: "text/plain; charset=utf-8", body: body.as_bytes().to_vec(), location: None };
    if method != "GET" && method != "HEAD" {
        return text("405 Method Not Allowed", "only GET and HEAD\n");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let name = path.rsplit('/').next().unwrap_or("");
    let name = if name.is_empty() { "index.html" } else { name };
    let safe = !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    // `…/data/x.gz` is `dist/data/x.gz`; anything else (a site under `/data/` too) is flat.
    let in_data = path.rsplit('/').nth(1) == Some(crate::dist::DATA_DIR);
    let file = Some(dir.join(crate::dist::DATA_DIR).join(name)).filter(|f| in_data && f.is_file()).unwrap_or_else(|| dir.join(name));
    if safe && file.is_file() {
        return match std::fs::read(&file) {
            Ok(body) => Response { status: "200 OK", mime: mime(name), body, location: None },
            Err(_) => text("500 Internal Server Error", "could not read the file\n"),
        };
    }
    if safe && !name.contains('.') {
        // `/tools/dockerfile` → `/tools/dockerfile/`, so relative asset URLs resolve.
        let query = target.strip_prefix(path).unwrap_or("");
        return Response { status: "301 Moved Permanently", location: Some(format!("{path}/{query}")), ..text("301 Moved Permanently", "") };
    }
    text("404 Not Found", "not found\n")
}

fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        // Served as it is, not with `Content-Encoding: gzip`: the page gunzips it itself.
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_from_any_prefix_with_the_right_types() {
        let dir = std::env::temp_dir().join(format!("stagecraft-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("data/index.tsv.gz"), b"\x1f\x8b").unwrap();
        for (method, target, status, mime) in [
            ("GET", "/", "200 OK", "text/html; charset=utf-8"),
            ("GET", "/tools/dockerfile/", "200 OK", "text/html; charset=utf-8"),
            ("GET", "/tools/dockerfile/?embed#x", "200 OK", "text/html; charset=utf-8"),
            ("GET", "/tools/dockerfile/app_bg.wasm", "200 OK", "application/wasm"),
            ("HEAD", "/app_bg.wasm", "200 OK", "application/wasm"),
            ("GET", "/data/index.tsv.gz", "200 OK", "application/gzip"),
            ("GET", "/tools/dockerfile/data/index.tsv.gz", "200 OK", "application/gzip"),
            ("GET", "/tools/dockerfile/index.tsv.gz", "404 Not Found", "text/plain; charset=utf-8"),
            ("GET", "/data/", "200 OK", "text/html; charset=utf-8"),
            ("GET", "/tools/dockerfile", "301 Moved Permanently", "text/plain; charset=utf-8"),
            ("GET", "/../../etc/passwd.txt", "404 Not Found", "text/plain; charset=utf-8"),
            ("GET", "/a/%2e%2e/index.html", "200 OK", "text/html; charset=utf-8"),
            ("GET", "/.hidden", "404 Not Found", "text/plain; charset=utf-8"),
            ("POST", "/", "405 Method Not Allowed", "text/plain; charset=utf-8"),
        ] {
            let r = respond(method, target, &dir);
            assert_eq!((r.status, r.mime), (status, mime), "{method} {target}");
        }
        assert_eq!(respond("GET", "/tools/dockerfile?embed", &dir).location.as_deref(), Some("/tools/dockerfile/?embed"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
