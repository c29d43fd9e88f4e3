//! Commands that name the platform: `uname`, `arch`, `dpkg-architecture`, and the `xx-*`
//! cross-compilation helpers (tonistiigi/xx) that Docker's own Dockerfiles use. The
//! simulator builds for linux/amd64 (args.rs), so their answers follow from that and from the
//! image's C library (musl on Alpine); what depends on the builder's kernel stays unknown.
//! They write no files: their output feeds `$(…)` in names and `if`s.

use super::super::session::{Session, Status};
use super::{apk, apt, produce};

/// `uname`: RUN sees the builder's kernel (unknown here) on the build platform's machine.
pub fn uname(args: &[String], s: &mut Session) -> Status {
    let mut fields: Vec<char> = Vec::new();
    for a in &args[1..] {
        let letters: Vec<char> = match a.as_str() {
            "--all" => vec!['a'],
            "--kernel-name" => vec!['s'],
            "--nodename" => vec!['n'],
            "--kernel-release" => vec!['r'],
            "--kernel-version" => vec!['v'],
            "--machine" => vec!['m'],
            "--processor" => vec!['p'],
            "--hardware-platform" => vec!['i'],
            "--operating-system" => vec!['o'],
            f if f.starts_with('-') && !f.starts_with("--") => f[1..].chars().collect(),
            _ => return s.fail("uname", &format!("extra operand '{a}'"), 1),
        };
        for c in letters {
            if !"asnrvmpio".contains(c) {
                return s.fail("uname", &format!("invalid option -- '{c}'"), 1);
            }
            fields.push(c);
        }
    }
    if fields.is_empty() {
        fields.push('s');
    }
    // The kernel's release and version are the builder's, which the simulation cannot know.
    if fields.iter().any(|c| matches!(c, 'a' | 'r' | 'v')) {
        s.io.stdout.opaque = true;
        return 0;
    }
    let busybox = is_musl(s);
    let words: Vec<&str> = "snmpio"
        .chars()
        .filter(|c| fields.contains(c))
        .map(|c| match c {
            's' => "Linux",
            // BuildKit's hostname for RUN containers.
            'n' => "buildkitsandbox",
            'm' => "x86_64",
            'o' if busybox => "Linux",
            'o' => "GNU/Linux",
            _ => "unknown",
        })
        .collect();
    s.out(&format!("{}\n", words.join(" ")));
    0
}

/// `arch`: `uname -m`.
pub fn arch(_: &[String], s: &mut Session) -> Status {
    s.out("x86_64\n");
    0
}

/// `dpkg-architecture [-q VAR]`: Debian's names for the build, host and target machines;
/// all three are amd64 here.
pub fn dpkg_architecture(args: &[String], s: &mut Session) -> Status {
    let mut query = None;
    let mut rest = args[1..].iter();
    while let Some(a) = rest.next() {
        if a == "-q" || a == "--query" {
            query = rest.next().cloned();
        } else if let Some(v) = a.strip_prefix("--query=").or_else(|| a.strip_prefix("-q")) {
            query = Some(v.to_string());
        } else if matches!(a.as_str(), "-a" | "-t" | "-A" | "-T" | "--host-arch" | "--host-type" | "--target-arch" | "--target-type") {
            // Asking for another host or target: the answers would differ; say so.
            s.assume(format!("`dpkg-architecture {a}`: only amd64 is simulated, so its answers are amd64's"));
            rest.next();
        }
    }
    let vars = deb_vars(is_musl(s));
    match query {
        Some(q) => match vars.iter().find(|(k, _)| *k == q) {
            Some((_, v)) => {
                s.out(&format!("{v}\n"));
                0
            }
            None => s.fail("dpkg-architecture", &format!("error: unknown variable: {q}"), 2),
        },
        None => {
            let all: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            s.out(&all);
            0
        }
    }
}

/// Every `DEB_{BUILD,HOST,TARGET}_*` variable for amd64 with glibc or musl (dpkg's tuple
/// table: musl's Debian architecture is `musl-linux-amd64`).
fn deb_vars(musl: bool) -> Vec<(String, String)> {
    let libc = if musl { "musl" } else { "gnu" };
    let fields = [
        ("ARCH", if musl { "musl-linux-amd64" } else { "amd64" }),
        ("ARCH_ABI", "base"),
        ("ARCH_BITS", "64"),
        ("ARCH_CPU", "amd64"),
        ("ARCH_ENDIAN", "little"),
        ("ARCH_LIBC", libc),
        ("ARCH_OS", "linux"),
        ("GNU_CPU", "x86_64"),
        ("GNU_SYSTEM", if musl { "linux-musl" } else { "linux-gnu" }),
        ("GNU_TYPE", if musl { "x86_64-linux-musl" } else { "x86_64-linux-gnu" }),
        ("MULTIARCH", if musl { "x86_64-linux-musl" } else { "x86_64-linux-gnu" }),
    ];
    ["BUILD", "HOST", "TARGET"]
        .iter()
        .flat_map(|m| fields.iter().map(move |(f, v)| (format!("DEB_{m}_{f}"), v.to_string())))
        .collect()
}

/// `xx-info [field]`: the target platform from `$TARGETPLATFORM` (as xx reads it), else the
/// build platform, amd64. `is-cross` succeeds only when the target differs from the build.
pub fn xx_info(args: &[String], s: &mut Session) -> Status {
    let target = s.var("TARGETPLATFORM").filter(|v| !v.is_empty()).unwrap_or("linux/amd64").to_string();
    let mut parts = target.split('/');
    let os = parts.next().unwrap_or("linux").to_string();
    let arch = parts.next().unwrap_or("amd64").to_string();
    let variant = parts.next().unwrap_or("").to_string();
    let musl = is_musl(s);
    let Some(march) = march(&arch) else {
        s.assume(format!("`xx-info`: the architecture {arch} of TARGETPLATFORM is not known to the simulation"));
        s.io.stdout.opaque = true;
        return 0;
    };
    let (vendor, libc) = if musl { ("alpine", "musl") } else { ("", "gnu") };
    let triple = if musl { format!("{march}-alpine-linux-musl") } else { format!("{march}-linux-gnu") };
    let field = args.get(1).map(String::as_str).unwrap_or("triple");
    let answer = match field {
        "triple" => triple,
        "vendor" => vendor.to_string(),
        "os" => os,
        "arch" => arch.clone(),
        "variant" => variant,
        "libc" => libc.to_string(),
        "march" | "alpine-arch" | "rhel-arch" => march.to_string(),
        "debian-arch" => arch.clone(),
        "pkg-arch" if musl => march.to_string(),
        "pkg-arch" => arch.clone(),
        "is-cross" => return if arch != "amd64" || os != "linux" { 0 } else { 1 },
        other => {
            s.assume(format!("`xx-info {other}`: not a field the simulation knows; its output is unknown"));
            s.io.stdout.opaque = true;
            return 0;
        }
    };
    s.out(&format!("{answer}\n"));
    0
}

/// `xx-apt-get` and `xx-apk`: the package manager for the target platform. Building for the
/// build platform, as here, they are plain `apt-get` and `apk`.
pub fn xx_apt_get(args: &[String], s: &mut Session) -> Status {
    apt::apt_get(&renamed(args, "apt-get"), s)
}

pub fn xx_apk(args: &[String], s: &mut Session) -> Status {
    apk::run(&renamed(args, "apk"), s)
}

fn renamed(args: &[String], name: &str) -> Vec<String> {
    let mut argv = args.to_vec();
    argv[0] = name.to_string();
    argv
}

/// Docker's architecture names to the machine names compilers use.
fn march(arch: &str) -> Option<&'static str> {
    Some(match arch {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "arm" => "armv7l",
        "386" => "i386",
        "ppc64le" => "powerpc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        _ => return None,
    })
}

fn is_musl(s: &Session) -> bool {
    produce::os_id(s).as_deref() == Some("alpine")
}
