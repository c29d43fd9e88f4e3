//! How an image's uncompressed size splits over its directories: the `dirs` and `files`
//! of each catalog entry. repo-info gives the total uncompressed size and each layer's
//! compressed size, nothing finer, so the split follows these rules:
//!
//! 1. The first layer (and Ubuntu's rockcraft `umoci raw add-layer` layers) is the
//!    operating system. If a catalog OS image (alpine, debian, ubuntu) of the same family
//!    has a compressed size within 3 % of it, the layer *is* that image and gets that
//!    image's uncompressed size; otherwise it gets its share of the total by compressed size.
//! 2. The other layers share the rest in proportion to their compressed sizes (the only
//!    per-layer figure there is; compression ratios differ, so this is approximate).
//! 3. Each layer's bytes go somewhere: OS and package-manager layers are spread over the OS's
//!    directories (`os_weights`); toolchain layers go to the toolchain's home
//!    (`toolchain_target`: golang's `COPY /target/` to /usr/local/go, Temurin to $JAVA_HOME …).
//! 4. A few binaries that Dockerfiles name are carved out as files: /bin/busybox (its apk
//!    package's installed size), dash and bash (sizes measured on Debian 12), node (its
//!    layer minus npm), python's `python3.X` stub.
//!
//! Integer splits give the rounding remainder to the largest part, so every entry's
//! dirs and files add up exactly to its size.

use std::collections::BTreeMap;

use serde_json::Value;

/// Debian 12's files by directory, in bytes: the 88 packages of debian:bookworm-slim,
/// measured with `dpkg -L` and `stat` on a Debian 12 machine (docs, man pages and locales
/// excluded as the slim images exclude them, copyright files kept), plus /var/lib/dpkg's
/// `info/` and `status` for those packages. Also used for Ubuntu, distroless (Debian
/// packages) and, with RHEL's paths, for Oracle Linux and Amazon Linux.
const DEBIAN_MERGED: &[(&str, u64)] = &[
    ("/usr/lib", 40_272_095),
    ("/usr/bin", 24_462_664),
    ("/usr/sbin", 6_320_835),
    ("/usr/share", 3_200_606),
    ("/var/lib/dpkg", 2_640_000),
    ("/etc", 149_752),
];

/// The same measurement by the paths the packages list (before /usr was merged), for
/// Debian 11 (bullseye), whose images still have real /bin, /sbin and /lib.
const DEBIAN_SPLIT_USR: &[(&str, u64)] = &[
    ("/usr/lib", 31_946_205),
    ("/usr/bin", 18_993_830),
    ("/lib", 8_325_890),
    ("/bin", 5_468_834),
    ("/sbin", 4_069_663),
    ("/usr/share", 3_200_606),
    ("/var/lib/dpkg", 2_640_000),
    ("/usr/sbin", 2_251_172),
    ("/etc", 149_752),
];

/// Files of Debian 12's `dash` and `bash` packages, measured on Debian 12.
pub const DASH_BYTES: u64 = 125_640;
pub const BASH_BYTES: u64 = 1_265_648;
/// The official python images build with `--enable-shared`, so `python3.X` is a small
/// stub and libpython holds the interpreter; about 14 KiB (approximate, not measured here).
const PYTHON_STUB_BYTES: u64 = 14_336;
/// npm as the node tarball ships it (npm 10, measured under /usr/lib/node_modules/npm on
/// Debian 12); the rest of the node layer is the `node` binary.
const NPM_BYTES: u64 = 14_112_402;

/// Where an Alpine package's files go (default /usr/lib). Alpine's installed database
/// (/lib/apk/db) takes what the image's size has beyond its packages.
fn apk_dir(package: &str) -> &'static str {
    match package {
        "busybox" | "busybox-binsh" => "/bin",
        "musl" => "/lib",
        "apk-tools" => "/sbin",
        "musl-utils" | "scanelf" | "ssl_client" => "/usr/bin",
        "ca-certificates-bundle"
        | "alpine-baselayout"
        | "alpine-baselayout-data"
        | "alpine-keys"
        | "alpine-release" => "/etc",
        _ => "/usr/lib",
    }
}

/// The operating system an image is built on.
#[derive(Clone, Debug)]
pub struct Os {
    pub family: String,
    pub version: Option<String>,
    pub codename: Option<String>,
    /// BusyBox's C library: glibc, musl or uclibc.
    pub libc: Option<String>,
}

impl Os {
    pub fn merged_usr(&self) -> bool {
        !(self.family == "alpine"
            || self.family == "busybox"
            || self.codename.as_deref() == Some("bullseye"))
    }
}

/// The catalog records, for finding OS base images.
pub struct Records<'a> {
    pub all: &'a [Value],
}

impl<'a> Records<'a> {
    fn find(&self, image: &str, tag: &str) -> Option<&'a Value> {
        self.all
            .iter()
            .find(|r| r["image"] == image && r["tag"] == tag)
    }
}

#[derive(Default, Debug)]
pub struct Split {
    pub dirs: BTreeMap<String, u64>,
    pub files: BTreeMap<String, u64>,
}

impl Split {
    pub fn total(&self) -> u64 {
        self.dirs.values().chain(self.files.values()).sum()
    }
    fn add(&mut self, dir: &str, bytes: u64) {
        *self.dirs.entry(dir.to_string()).or_default() += bytes;
    }
    /// Moves `bytes` from `dir` (or, if it is too small, the largest directory) into a file.
    fn carve(&mut self, file: &str, dir: &str, bytes: u64) {
        let from = match self.dirs.get(dir) {
            Some(&have) if have >= bytes => dir.to_string(),
            _ => match self.dirs.iter().max_by_key(|(_, &b)| b) {
                Some((d, &b)) if b >= bytes => d.clone(),
                _ => return,
            },
        };
        if let Some(b) = self.dirs.get_mut(&from) {
            *b -= bytes;
        }
        *self.files.entry(file.to_string()).or_default() += bytes;
    }
}

/// Splits `total` in proportion to `weights`, the remainder to the largest part.
fn apportion(total: u64, weights: &[(String, u64)]) -> Vec<(String, u64)> {
    let sum: u128 = weights.iter().map(|(_, w)| *w as u128).sum();
    if sum == 0 {
        return vec![];
    }
    let mut parts: Vec<(String, u64)> = weights
        .iter()
        .map(|(k, w)| (k.clone(), (total as u128 * *w as u128 / sum) as u64))
        .collect();
    let given: u64 = parts.iter().map(|(_, b)| b).sum();
    if let Some(largest) = (0..parts.len()).max_by_key(|&i| (weights[i].1, std::cmp::Reverse(i))) {
        parts[largest].1 += total - given;
    }
    parts
}

fn owned(weights: &[(&str, u64)]) -> Vec<(String, u64)> {
    weights.iter().map(|(k, w)| (k.to_string(), *w)).collect()
}

/// The directory weights of an OS's own files (and of what its package manager installs).
pub fn os_weights(os: &Os, records: &Records) -> Vec<(String, u64)> {
    match os.family.as_str() {
        "alpine" => alpine_weights(os, records),
        "busybox" => busybox_weights(os, records),
        "oraclelinux" | "amazonlinux" => DEBIAN_MERGED
            .iter()
            .map(|&(k, w)| {
                let k = match k {
                    "/usr/lib" => "/usr/lib64",
                    "/var/lib/dpkg" => "/var/lib/rpm",
                    k => k,
                };
                (k.to_string(), w)
            })
            .collect(),
        _ if !os.merged_usr() => owned(DEBIAN_SPLIT_USR),
        _ => owned(DEBIAN_MERGED),
    }
}

/// Alpine: the base image's own package list (installed sizes) mapped by `apk_dir`; the
/// image size beyond the packages is the apk database.
fn alpine_weights(os: &Os, records: &Records) -> Vec<(String, u64)> {
    let minor = os
        .version
        .as_deref()
        .map(|v| v.split('.').take(2).collect::<Vec<_>>().join("."));
    let base = minor
        .as_deref()
        .and_then(|m| records.find("alpine", m))
        .or_else(|| {
            records
                .all
                .iter()
                .filter(|r| r["image"] == "alpine")
                .max_by_key(|r| r["size_bytes_uncompressed"].as_u64())
        });
    let mut w: BTreeMap<String, u64> = BTreeMap::new();
    let mut sum = 0;
    if let Some(base) = base {
        for item in base["packages"]["items"].as_array().into_iter().flatten() {
            let (Some(name), Some(size)) = (item[0].as_str(), item[2].as_u64()) else {
                continue;
            };
            *w.entry(apk_dir(name).to_string()).or_default() += size;
            sum += size;
        }
        let size = base["size_bytes_uncompressed"].as_u64().unwrap_or(0);
        if size > sum {
            w.insert("/lib/apk/db".into(), size - sum);
        }
    }
    if w.is_empty() {
        w.insert("/usr/lib".into(), 1);
    }
    w.into_iter().collect()
}

/// BusyBox: musl and uClibc builds are one static binary in /bin; the glibc build is a
/// smaller binary plus glibc in /lib, so /bin gets the static binary's size (busybox:musl)
/// and /lib the rest.
fn busybox_weights(os: &Os, records: &Records) -> Vec<(String, u64)> {
    let size = |tag| {
        records
            .find("busybox", tag)
            .and_then(|r| r["size_bytes_uncompressed"].as_u64())
    };
    match (os.libc.as_deref(), size("musl"), size("latest")) {
        (Some("glibc"), Some(bin), Some(all)) if all > bin => {
            vec![("/bin".into(), bin), ("/lib".into(), all - bin)]
        }
        _ => vec![("/bin".into(), 1)],
    }
}

/// Where one layer's bytes go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Os,
    /// Spread like the OS's own files.
    Packages,
    Dir(String),
    /// The node tarball: /usr/local/bin/node and npm.
    Node,
}

fn env<'a>(record: &'a Value, key: &str) -> Option<&'a str> {
    record["config"]["env"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find_map(|e| e.strip_prefix(key)?.strip_prefix('='))
}

fn has(s: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| s.contains(n))
}

/// A layer that builds or downloads something, as opposed to plain package installs.
fn is_build(created_by: &str) -> bool {
    has(
        created_by,
        &[
            "savedAptMark",
            ".build-deps",
            "builddeps",
            ".fetch-deps",
            ".tar",
            "wget -O",
            "curl -f",
            "rustup-init",
            "ESUM=",
        ],
    )
}

/// The home of an image's toolchain, for its build layers.
fn toolchain_target(image: &str, record: &Value, created_by: &str) -> Option<Target> {
    let dir = |d: &str| Some(Target::Dir(d.to_string()));
    let env_dir =
        |k: &str, fallback: &str| Some(Target::Dir(env(record, k).unwrap_or(fallback).to_string()));
    let os_alpine = record["base_os"]
        .as_str()
        .is_some_and(|b| b.starts_with("alpine"));
    match image {
        "golang" if created_by.contains("COPY /target/") => dir("/usr/local/go"),
        "node" if created_by.contains("yarnpkg.com") => Some(Target::Dir(format!(
            "/opt/yarn-v{}",
            env(record, "YARN_VERSION").unwrap_or("1")
        ))),
        "node" if created_by.contains("node-v$NODE_VERSION") => Some(Target::Node),
        "python" if created_by.contains("python.tar.xz") => {
            let v = env(record, "PYTHON_VERSION").unwrap_or("3");
            let minor: Vec<&str> = v.split('.').take(2).collect();
            Some(Target::Dir(format!(
                "/usr/local/lib/python{}",
                minor.join(".")
            )))
        }
        "eclipse-temurin" | "maven" | "gradle" if created_by.contains("ESUM=") => {
            env_dir("JAVA_HOME", "/opt/java/openjdk")
        }
        "maven" if created_by.contains("COPY /usr/share/maven") => {
            env_dir("MAVEN_HOME", "/usr/share/maven")
        }
        "gradle" if created_by.contains("gradle.zip") => env_dir("GRADLE_HOME", "/opt/gradle"),
        "openjdk" if created_by.contains("download.java.net") => {
            env_dir("JAVA_HOME", "/usr/local/openjdk")
        }
        "amazoncorretto" if created_by.contains("corretto") => env_dir("JAVA_HOME", "/usr/lib/jvm"),
        "rust" if created_by.contains("rustup-init") => env_dir("RUSTUP_HOME", "/usr/local/rustup"),
        "erlang" | "elixir" if created_by.contains("OTP_DOWNLOAD_URL") => {
            dir("/usr/local/lib/erlang")
        }
        "elixir" if created_by.contains("ELIXIR_DOWNLOAD_URL") => dir("/usr/local/lib/elixir"),
        "erlang" | "elixir" if created_by.contains("REBAR") => dir("/usr/local/bin"),
        "haskell" if created_by.contains("GHC_URL") => dir("/opt/ghc"),
        "haskell" if has(created_by, &["STACK_URL", "CABAL_INSTALL"]) => dir("/usr/local/bin"),
        "julia" if created_by.contains("julia.tar.gz") => env_dir("JULIA_PATH", "/usr/local/julia"),
        "swift" if created_by.contains("swift.tar.gz") => dir("/usr/lib/swift"),
        "php"
            if created_by.contains("php.tar.xz")
                && !created_by.contains("docker-php-source extract") =>
        {
            dir("/usr/src")
        }
        "php" if is_build(created_by) => dir("/usr/local/lib/php"),
        "ruby" if is_build(created_by) => dir("/usr/local/lib/ruby"),
        "perl" if is_build(created_by) => dir("/usr/local/lib/perl5"),
        "postgres" if created_by.contains("gosu") => dir("/usr/local/bin"),
        "postgres" if os_alpine && is_build(created_by) => dir("/usr/local/lib/postgresql"),
        "postgres" if created_by.contains("postgresql-$PG_MAJOR") => dir("/usr/lib/postgresql"),
        "mysql" if created_by.contains("gosu") => dir("/usr/local/bin"),
        "mysql" if created_by.contains("mysql-shell") => dir("/usr/lib/mysqlsh"),
        "mysql" if created_by.contains("mysql-community-server") => dir("/usr/sbin"),
        "mongo" if created_by.contains("MONGO_PACKAGE") => dir("/usr/bin"),
        "redis" | "bash" | "traefik" if is_build(created_by) => dir("/usr/local/bin"),
        "httpd" if is_build(created_by) => env_dir("HTTPD_PREFIX", "/usr/local/apache2"),
        "haproxy" if is_build(created_by) => dir("/usr/local/sbin"),
        "caddy" if is_build(created_by) => dir("/usr/bin"),
        "gcc" if created_by.contains("GCC_VERSION") => dir("/usr/local"),
        _ => None,
    }
}

pub fn classify(image: &str, record: &Value, index: usize, created_by: &str) -> Target {
    if index == 0 || created_by.contains("umoci raw add-layer") {
        return Target::Os;
    }
    toolchain_target(image, record, created_by).unwrap_or(Target::Packages)
}

/// The catalog OS image an OS layer is, if one matches its compressed size within 3 %.
fn os_image<'a>(os: &Os, compressed: u64, records: &Records<'a>) -> Option<&'a Value> {
    if !matches!(os.family.as_str(), "alpine" | "debian" | "ubuntu") {
        return None;
    }
    records
        .all
        .iter()
        .filter(|r| r["image"] == os.family.as_str())
        .filter_map(|r| Some((r, r["size_bytes_compressed"].as_u64()?)))
        .filter(|(_, c)| c.abs_diff(compressed) * 100 <= compressed * 3)
        .min_by_key(|(_, c)| c.abs_diff(compressed))
        .map(|(r, _)| r)
}

/// Splits one catalog record. Layers without a compressed size count as empty.
pub fn split(record: &Value, os: &Os, records: &Records) -> Split {
    let image = record["image"].as_str().unwrap_or_default();
    let total = record["size_bytes_uncompressed"].as_u64().unwrap_or(0);
    let layers: Vec<(Target, u64)> = record["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, l)| {
            let created_by = l["created_by"].as_str().unwrap_or_default();
            (
                classify(image, record, i, created_by),
                l["compressed_bytes"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let os_compressed: u64 = layers
        .iter()
        .filter(|(t, _)| *t == Target::Os)
        .map(|(_, c)| c)
        .sum();
    let all_compressed: u64 = layers.iter().map(|(_, c)| c).sum();
    let base = os_image(os, os_compressed, records);
    let os_bytes = match base.and_then(|b| b["size_bytes_uncompressed"].as_u64()) {
        Some(u) if u <= total => u,
        _ if all_compressed > 0 => {
            (total as u128 * os_compressed as u128 / all_compressed as u128) as u64
        }
        _ => total,
    };

    let mut out = Split::default();
    let weights = os_weights(os, records);
    add_os(&mut out, os_bytes, base, &weights, records);

    // The other layers share the rest by compressed size.
    let rest: Vec<(String, u64)> = layers
        .iter()
        .enumerate()
        .filter(|(_, (t, _))| *t != Target::Os)
        .map(|(i, (_, c))| (i.to_string(), *c))
        .collect();
    let mut packages = 0;
    for (i, bytes) in apportion(total - os_bytes, &rest) {
        let index: usize = i.parse().unwrap_or_default();
        match &layers[index].0 {
            Target::Os | Target::Packages => packages += bytes,
            Target::Dir(d) => out.add(d, bytes),
            Target::Node => {
                let npm = NPM_BYTES.min(bytes / 2);
                out.add("/usr/local/lib/node_modules", npm);
                *out.files.entry("/usr/local/bin/node".into()).or_default() += bytes - npm;
            }
        }
    }
    for (d, b) in apportion(packages, &weights) {
        out.add(&d, b);
    }
    carve_binaries(&mut out, record, os);
    out.dirs.retain(|_, b| *b > 0);
    out
}

/// The OS layer: a full Debian image is its slim sibling plus documentation, man pages
/// and locales in /usr/share (the difference of the two catalog sizes).
fn add_os(
    out: &mut Split,
    os_bytes: u64,
    base: Option<&Value>,
    weights: &[(String, u64)],
    records: &Records,
) {
    let slim = base.filter(|b| b["image"] == "debian").and_then(|b| {
        let tag = b["tag"].as_str()?;
        if tag.ends_with("-slim") {
            return None;
        }
        records.find("debian", &format!("{tag}-slim"))?["size_bytes_uncompressed"].as_u64()
    });
    let (spread, docs) = match slim {
        Some(s) if s <= os_bytes => (s, os_bytes - s),
        _ => (os_bytes, 0),
    };
    for (d, b) in apportion(spread, weights) {
        out.add(&d, b);
    }
    out.add("/usr/share", docs);
}

fn carve_binaries(out: &mut Split, record: &Value, os: &Os) {
    let bin = if os.merged_usr() { "/usr/bin" } else { "/bin" };
    match os.family.as_str() {
        "alpine" => {
            let busybox = record["packages"]["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|i| i[0] == "busybox")
                .and_then(|i| i[2].as_u64());
            if let Some(size) = busybox {
                out.carve("/bin/busybox", "/bin", size);
            }
        }
        "debian" | "ubuntu" => {
            out.carve(&format!("{bin}/dash"), bin, DASH_BYTES);
            out.carve(&format!("{bin}/bash"), bin, BASH_BYTES);
        }
        "busybox" => {
            if let Some(&b) = out.dirs.get("/bin") {
                out.carve("/bin/busybox", "/bin", b);
            }
        }
        // Their /bin/sh is bash; Debian 12's bash size stands in for theirs.
        "oraclelinux" | "amazonlinux" => out.carve("/usr/bin/bash", "/usr/bin", BASH_BYTES),
        _ => {}
    }
    if record["image"] == "python" {
        if let Some(v) = env(record, "PYTHON_VERSION") {
            let minor: Vec<&str> = v.split('.').take(2).collect();
            let minor = minor.join(".");
            out.carve(
                &format!("/usr/local/bin/python{minor}"),
                &format!("/usr/local/lib/python{minor}"),
                PYTHON_STUB_BYTES,
            );
        }
    }
}

/// Splits an estimate: `base_bytes` like the OS, the rest into `home` (or all like the OS).
pub fn split_estimate(
    total: u64,
    os: &Os,
    base_bytes: u64,
    home: Option<&str>,
    records: &Records,
) -> Split {
    let mut out = Split::default();
    let weights = os_weights(os, records);
    let (spread, home_bytes) = match home {
        Some(_) if base_bytes <= total => (base_bytes, total - base_bytes),
        _ => (total, 0),
    };
    for (d, b) in apportion(spread, &weights) {
        out.add(&d, b);
    }
    if let Some(h) = home {
        out.add(h, home_bytes);
    }
    carve_binaries(&mut out, &Value::Null, os);
    out.dirs.retain(|_, b| *b > 0);
    out
}
