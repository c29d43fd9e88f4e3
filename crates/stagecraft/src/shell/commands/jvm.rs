//! `javac`, `jar`, `mvn` (and `./mvnw`), `gradle` (and `./gradlew`): class files from known
//! sources, jars from what they pack, the local Maven repository (`~/.m2`) and Gradle's home
//! (`~/.gradle`), the application jar in target/ or build/libs, sized from `langdata`.

use crate::vfs;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact};
use super::produce::{self, estimated, mb, Manifest};

pub fn javac(args: &[String], s: &mut Session) -> Status {
    let mut out_dir: Option<String> = None;
    let mut sources = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-d" => {
                out_dir = args.get(i + 1).cloned();
                i += 1;
            }
            "-cp" | "-classpath" | "--class-path" | "-sourcepath" | "--source-path" | "-encoding" | "--release" | "-source" | "-target" | "-s" | "-h" | "-p" | "--module-path" | "-processorpath" => i += 1,
            _ if a.starts_with('-') || a.starts_with('@') => {}
            _ => sources.push(a.clone()),
        }
        i += 1;
    }
    let ratio = fact("java.class.ratio");
    let mut total = 0;
    let mut unknown = Vec::new();
    for src in &sources {
        let node = s.lookup(src, true).node().cloned();
        let Some(node) = node.filter(|n| n.is_file()) else {
            if !s.tainted && !s.under_summary(&s.abs(src)) {
                return s.fail("javac", &format!("error: file not found: {src}"), 2);
            }
            unknown.push(src.clone());
            continue;
        };
        let class = vfs::file_name(src).trim_end_matches(".java").to_string();
        let package = node.content().and_then(|c| String::from_utf8_lossy(c).lines().find_map(|l| l.trim().strip_prefix("package ").map(|p| p.trim_end_matches(';').trim().replace('.', "/"))));
        let dir = match (&out_dir, package) {
            (Some(d), Some(p)) => format!("{}/{p}", produce::place(s, d)),
            (Some(d), None) => produce::place(s, d),
            (None, _) => vfs::parent(&s.abs(src)).to_string(),
        };
        let size = ((node.size() as f64 * ratio) as u64).max(200);
        total += size;
        produce::put_file(s, &format!("{dir}/{class}.class"), size, 0o644);
    }
    let mut msg = format!("`javac`: {} class file{}, {} ({}× the source: {})", sources.len() - unknown.len(), if sources.len() - unknown.len() == 1 { "" } else { "s" }, mb(total), ratio, langdata::source("java.class.ratio"));
    if !unknown.is_empty() {
        msg.push_str(&format!("; {} not in the simulated filesystem, not compiled here", unknown.join(", ")));
    }
    estimated(s, msg);
    0
}

/// `jar cf[e|m] OUT.jar [-C dir] paths…`, `jar xf X.jar`.
pub fn jar(args: &[String], s: &mut Session) -> Status {
    let Some(mode) = args.get(1) else { return s.fail("jar", "Usage: jar [OPTION...] [ [--release VERSION] [-C dir] files] ...", 1) };
    let flags = mode.trim_start_matches('-');
    let mut rest: Vec<String> = args[2..].to_vec();
    let file = if flags.contains('f') && !rest.is_empty() { Some(rest.remove(0)) } else { None };
    if flags.contains('m') && !rest.is_empty() {
        rest.remove(0);
    }
    if flags.contains('e') && !rest.is_empty() {
        rest.remove(0);
    }
    if flags.starts_with('x') {
        let size = file.as_ref().and_then(|f| s.lookup(f, true).node().map(|n| n.size())).unwrap_or_else(|| bytes("maven.jar.plain"));
        let unpacked = (size as f64 / fact("java.jar.ratio")) as u64;
        let name = file.as_deref().map(|f| vfs::file_name(f).trim_end_matches(".jar").to_string()).unwrap_or_else(|| "jar".to_string());
        produce::put_dir(s, &format!("{name}-contents"), unpacked);
        estimated(s, format!("`jar x`: the jar's members are not read; {name}-contents stands for them ({}, the jar's size ÷ {})", mb(unpacked), fact("java.jar.ratio")));
        return 0;
    }
    if !flags.starts_with('c') && !flags.starts_with('u') {
        produce::unknown_output(s);
        return 0;
    }
    let mut base = s.st.cwd.clone();
    let mut total = 0u64;
    let mut k = 0;
    while k < rest.len() {
        if rest[k] == "-C" {
            if let Some(d) = rest.get(k + 1) {
                base = s.abs(d);
            }
            k += 2;
            continue;
        }
        let p = vfs::join(&base, &rest[k]);
        total += s.fs.subtree(&p).map(|(_, n)| n.size()).sum::<u64>();
        k += 1;
    }
    let size = (total as f64 * fact("java.jar.ratio")) as u64 + 300;
    match file {
        Some(f) => produce::put_file(s, &f, size, 0o644),
        None => s.io.stdout.append(&super::super::session::Stream { bytes: Vec::new(), unknown: size, opaque: false }),
    }
    estimated(s, format!("`jar c`: {} packed to {} ({}× for compression: {})", mb(total), mb(size), fact("java.jar.ratio"), langdata::source("java.jar.ratio")));
    0
}

/// Text between `<tag>` and `</tag>` (first match, outside `<parent>` when asked).
fn xml_value(text: &str, tag: &str, skip_parent: bool) -> Option<String> {
    let body = if skip_parent {
        match (text.find("<parent>"), text.find("</parent>")) {
            (Some(a), Some(b)) if b > a => format!("{}{}", &text[..a], &text[b..]),
            _ => text.to_string(),
        }
    } else {
        text.to_string()
    };
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find('<')? + start;
    Some(body[start..end].trim().to_string())
}

fn known_class_bytes(s: &Session, dir: &str) -> u64 {
    let (_, src) = produce::files_under(s, dir, ".java");
    (src as f64 * fact("java.class.ratio") * fact("java.jar.ratio")) as u64
}

pub fn mvn(args: &[String], s: &mut Session) -> Status {
    let wrapper = args[0].ends_with("mvnw");
    let goals: Vec<&str> = args.iter().skip(1).map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let pom_path = args.windows(2).find(|w| w[0] == "-f" || w[0] == "--file").map(|w| w[1].clone()).unwrap_or_else(|| "pom.xml".to_string());
    let dir = vfs::parent(&produce::place(s, &pom_path)).to_string();
    let pom = match produce::read_manifest(s, &pom_path) {
        Manifest::Text(t) => Some(t),
        _ => None,
    };
    let repo = args.iter().find_map(|a| a.strip_prefix("-Dmaven.repo.local=").map(str::to_string)).unwrap_or_else(|| format!("{}/.m2/repository", produce::home(s)));
    let deps = pom.as_ref().map_or(bytes("deps.unknown"), |p| p.matches("<dependency>").count() as u64);
    let springboot = pom.as_ref().map(|p| p.contains("spring-boot"));
    let mut notes = Vec::new();
    if wrapper {
        let dist = format!("{}/.m2/wrapper", produce::home(s));
        if s.fs.get(&dist).is_none() {
            produce::put_dir(s, &dist, bytes("maven.wrapper.dist"));
            notes.push(format!("the Maven Wrapper downloads Maven into {dist}, {} ({})", mb(bytes("maven.wrapper.dist")), langdata::source("maven.wrapper.dist")));
        }
    }
    let resolves = goals.iter().any(|g| matches!(*g, "package" | "install" | "verify" | "compile" | "test" | "deploy") || g.starts_with("dependency:") || g.starts_with("spring-boot:"));
    if resolves {
        let size = bytes("maven.m2.base") + deps * bytes("maven.m2.per_dep");
        let now = s.fs.get(&repo).map_or(0, |n| n.size());
        if size > now {
            produce::put_dir(s, &repo, size);
        }
        notes.push(format!(
            "{repo} holds {} (plugins {} + {deps} dependencies{} × {}: assumptions)",
            mb(size),
            mb(bytes("maven.m2.base")),
            if pom.is_some() { " in pom.xml" } else { " (pom.xml not known)" },
            mb(bytes("maven.m2.per_dep"))
        ));
    }
    if goals.iter().any(|g| matches!(*g, "package" | "install" | "verify" | "deploy")) {
        let artifact = pom.as_deref().and_then(|p| xml_value(p, "artifactId", true)).unwrap_or_else(|| "app".to_string());
        let version = pom.as_deref().and_then(|p| xml_value(p, "version", true)).unwrap_or_else(|| "1.0-SNAPSHOT".to_string());
        let packaging = pom.as_deref().and_then(|p| xml_value(p, "packaging", true)).unwrap_or_else(|| "jar".to_string());
        let jar = format!("{dir}/target/{artifact}-{version}.{packaging}");
        let code = known_class_bytes(s, &format!("{dir}/src/main"));
        let (key, why) = match springboot {
            Some(true) => ("maven.jar.springboot", "pom.xml uses Spring Boot: a fat jar with its dependencies"),
            Some(false) => ("maven.jar.plain", "a thin jar of the project's classes"),
            None => ("maven.jar.plain", "pom.xml not known: taken as a thin jar"),
        };
        let size = bytes(key) + code;
        produce::put_file(s, &jar, size, 0o644);
        produce::put_dir(s, &format!("{dir}/target/classes"), code.max(1000));
        notes.push(format!("{jar}, {} ({why}: {})", mb(size), langdata::source(key)));
        if goals.contains(&"install") {
            produce::put_file(s, &format!("{repo}/local/{artifact}/{version}/{artifact}-{version}.{packaging}"), size, 0o644);
        }
    }
    if goals.contains(&"clean") && !resolves {
        s.fs.remove(&format!("{dir}/target"));
    }
    if !notes.is_empty() {
        estimated(s, format!("`mvn {}`: {}", goals.join(" "), notes.join("; ")));
    }
    0
}

pub fn gradle(args: &[String], s: &mut Session) -> Status {
    let wrapper = args[0].ends_with("gradlew");
    let tasks: Vec<&str> = args.iter().skip(1).map(String::as_str).filter(|a| !a.starts_with('-')).collect();
    let home = s.var("GRADLE_USER_HOME").filter(|h| h.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/.gradle", produce::home(s)));
    let script = ["build.gradle", "build.gradle.kts"].iter().find_map(|f| match produce::read_manifest(s, f) {
        Manifest::Text(t) => Some(t),
        _ => None,
    });
    let name = ["settings.gradle", "settings.gradle.kts"]
        .iter()
        .find_map(|f| match produce::read_manifest(s, f) {
            Manifest::Text(t) => t.lines().find_map(|l| l.trim().strip_prefix("rootProject.name").map(|v| v.trim_start_matches([' ', '=']).trim().trim_matches(['"', '\'']).to_string())),
            _ => None,
        })
        .unwrap_or_else(|| {
            let cwd = s.st.cwd.clone();
            vfs::file_name(&cwd).to_string()
        });
    let mut notes = Vec::new();
    if wrapper && s.fs.get(&format!("{home}/wrapper")).is_none() {
        produce::put_dir(s, &format!("{home}/wrapper/dists"), bytes("gradle.wrapper.dist"));
        notes.push(format!("the wrapper downloads Gradle into {home}/wrapper/dists, {} ({})", mb(bytes("gradle.wrapper.dist")), langdata::source("gradle.wrapper.dist")));
    }
    let builds = tasks.iter().any(|t| matches!(*t, "build" | "assemble" | "bootJar" | "jar" | "shadowJar" | "installDist" | "dependencies" | "compileJava" | "test" | "classes"));
    if builds {
        let deps = script.as_ref().map_or(bytes("deps.unknown"), |t| t.lines().filter(|l| l.trim_start().starts_with("implementation") || l.trim_start().starts_with("runtimeOnly") || l.trim_start().starts_with("api")).count() as u64);
        let size = bytes("gradle.home.base") + deps * bytes("maven.m2.per_dep");
        if s.fs.get(&format!("{home}/caches")).is_none_or(|n| n.size() < size) {
            produce::put_dir(s, &format!("{home}/caches"), size);
        }
        notes.push(format!("{home}/caches holds {} ({} + {deps} dependencies × {}: assumptions)", mb(size), mb(bytes("gradle.home.base")), mb(bytes("maven.m2.per_dep"))));
    }
    if tasks.iter().any(|t| matches!(*t, "build" | "assemble" | "bootJar" | "jar" | "shadowJar")) {
        let spring = script.as_ref().map(|t| t.contains("org.springframework.boot"));
        let code = known_class_bytes(s, "src/main");
        let plain = bytes("maven.jar.plain") + code;
        produce::put_file(s, &format!("build/libs/{name}-plain.jar"), plain, 0o644);
        produce::put_dir(s, "build/classes", code.max(1000));
        let mut jars = vec![format!("build/libs/{name}-plain.jar ({})", mb(plain))];
        if spring == Some(true) || tasks.contains(&"bootJar") || tasks.contains(&"shadowJar") {
            let fat = bytes("maven.jar.springboot") + code;
            produce::put_file(s, &format!("build/libs/{name}.jar"), fat, 0o644);
            jars.push(format!("build/libs/{name}.jar ({}, a fat jar: {})", mb(fat), langdata::source("maven.jar.springboot")));
        }
        notes.push(jars.join(" and "));
    }
    if !notes.is_empty() {
        estimated(s, format!("`gradle {}`: {}", tasks.join(" "), notes.join("; ")));
    }
    0
}
