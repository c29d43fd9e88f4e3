//! Smaller package managers and builds: `gem install`, `bundle install`, `composer install`,
//! `dotnet restore|publish|build`. Each sizes its output from `langdata` and the project's
//! manifest when the Dockerfile copied it in.

use serde_json::Value;

use super::super::session::{Session, Status};
use super::langdata::{self, bytes, fact};
use super::produce::{self, estimated, mb, Manifest};

fn gem_home(s: &Session) -> String {
    s.var("GEM_HOME").or_else(|| s.var("BUNDLE_PATH")).filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| "/var/lib/gems".to_string())
}

pub fn gem(args: &[String], s: &mut Session) -> Status {
    if args.get(1).map(String::as_str) != Some("install") {
        produce::unknown_output(s);
        return 0;
    }
    let mut names = Vec::new();
    let mut i = 2;
    while i < args.len() {
        let a = &args[i];
        if matches!(a.as_str(), "-v" | "--version" | "-i" | "--install-dir" | "-n" | "--bindir" | "--source" | "-s") {
            i += 1;
        } else if !a.starts_with('-') {
            names.push(a.clone());
        }
        i += 1;
    }
    let home = gem_home(s);
    let each = bytes("gem.default");
    for n in &names {
        produce::put_dir(s, &format!("{home}/gems/{n}"), each);
    }
    let docs = if args.iter().any(|a| a == "--no-document" || a == "-N" || a == "--no-rdoc") { "" } else { "; documentation (ri) is installed too unless --no-document" };
    estimated(s, format!("`gem install {}`: {} each in {home} ({}){docs}", names.join(" "), mb(each), langdata::source("gem.default")));
    0
}

pub fn bundle(args: &[String], s: &mut Session) -> Status {
    let sub = args.get(1).map(String::as_str).unwrap_or("install");
    if !matches!(sub, "install" | "update") && !sub.starts_with('-') {
        produce::unknown_output(s);
        return 0;
    }
    let (n, how) = match produce::read_manifest(s, "Gemfile.lock") {
        // Specs are the four-space-indented lines under `specs:`.
        Manifest::Text(t) => (t.lines().filter(|l| l.starts_with("    ") && !l.starts_with("     ") && l.contains('(')).count() as u64, "gems in Gemfile.lock"),
        _ => match produce::read_manifest(s, "Gemfile") {
            Manifest::Text(t) => (t.lines().filter(|l| l.trim_start().starts_with("gem ")).count() as u64 * 3, "gem lines in Gemfile × 3 for their dependencies (an assumption)"),
            _ => (bytes("deps.unknown"), "Gemfile not known: assumed"),
        },
    };
    let size = n * bytes("gem.avg");
    let home = gem_home(s);
    produce::put_dir(s, &format!("{home}/gems"), size);
    estimated(s, format!("`bundle install`: {n} gems ({how}) in {home}, {} ({} each: {}); the downloaded .gem files stay in {home}/cache unless removed in the same RUN", mb(size), mb(bytes("gem.avg")), langdata::source("gem.avg")));
    0
}

pub fn composer(args: &[String], s: &mut Session) -> Status {
    let sub = args.iter().skip(1).find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("");
    if !matches!(sub, "install" | "update" | "require") {
        if sub == "clear-cache" || sub == "clearcache" {
            let c = cache(s);
            s.fs.remove(&c);
        }
        return 0;
    }
    let no_dev = args.iter().any(|a| a == "--no-dev");
    let (n, how) = match produce::read_manifest(s, "composer.lock") {
        Manifest::Text(t) => match serde_json::from_str::<Value>(&t) {
            Ok(v) => {
                let count = |k: &str| v.get(k).and_then(Value::as_array).map_or(0, |a| a.len() as u64);
                (count("packages") + if no_dev { 0 } else { count("packages-dev") }, "packages in composer.lock")
            }
            Err(_) => (bytes("deps.unknown"), "composer.lock could not be read: assumed"),
        },
        _ => match produce::read_manifest(s, "composer.json") {
            Manifest::Text(t) => {
                let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                let count = |k: &str| v.get(k).and_then(Value::as_object).map_or(0, |m| m.keys().filter(|k| *k != "php" && !k.starts_with("ext-")).count() as u64);
                ((count("require") + if no_dev { 0 } else { count("require-dev") }) * 3, "requirements in composer.json × 3 for their dependencies (an assumption)")
            }
            _ => (bytes("deps.unknown"), "composer.json not known: assumed"),
        },
    };
    let size = n * bytes("composer.package.avg");
    let vendor = s.var("COMPOSER_VENDOR_DIR").unwrap_or("vendor").to_string();
    produce::put_dir(s, &vendor, size);
    let c = cache(s);
    let cache_size = (size as f64 * fact("composer.cache.ratio")) as u64;
    produce::put_dir(s, &c, cache_size);
    estimated(s, format!("`composer {sub}`: {n} packages ({how}) in {vendor}/, {} ({} each: {}); Composer's cache keeps {} in {c}", mb(size), mb(bytes("composer.package.avg")), langdata::source("composer.package.avg"), mb(cache_size)));
    0
}

fn cache(s: &Session) -> String {
    match s.var("COMPOSER_CACHE_DIR").filter(|p| p.starts_with('/')) {
        Some(c) => c.to_string(),
        None => match s.var("COMPOSER_HOME").filter(|p| p.starts_with('/')) {
            Some(h) => format!("{h}/cache"),
            None => format!("{}/.cache/composer", produce::home(s)),
        },
    }
}

pub fn dotnet(args: &[String], s: &mut Session) -> Status {
    let sub = args.get(1).map(String::as_str).unwrap_or("");
    let nuget = s.var("NUGET_PACKAGES").filter(|p| p.starts_with('/')).map(str::to_string).unwrap_or_else(|| format!("{}/.nuget/packages", produce::home(s)));
    let value = |flag: &[&str]| args.windows(2).find(|w| flag.contains(&w[0].as_str())).map(|w| w[1].clone());
    match sub {
        "restore" | "build" | "publish" | "test" | "pack" => {
            if s.fs.get(&nuget).is_none() && !args.iter().any(|a| a == "--no-restore") {
                produce::put_dir(s, &nuget, bytes("dotnet.nuget.cache"));
            }
            if sub != "publish" {
                estimated(s, format!("`dotnet {sub}`: the NuGet packages in {nuget}, {} ({}); build outputs in bin/ and obj/ are not sized", mb(bytes("dotnet.nuget.cache")), langdata::source("dotnet.nuget.cache")));
                return 0;
            }
            let config = value(&["-c", "--configuration"]).unwrap_or_else(|| "Release".to_string());
            let out = value(&["-o", "--output"]).unwrap_or_else(|| format!("bin/{config}/publish"));
            // Since the .NET 8 SDK a runtime identifier (-r) no longer implies a self-contained app.
            let self_contained = args.iter().any(|a| a == "--self-contained" || a == "--sc" || a == "--self-contained=true" || a == "-p:SelfContained=true");
            let key = if self_contained { "dotnet.publish.selfcontained" } else { "dotnet.publish.framework" };
            produce::put_dir(s, &out, bytes(key));
            estimated(s, format!("`dotnet publish`: {out}, {} ({}: {}); NuGet packages in {nuget}", mb(bytes(key)), if self_contained { "self-contained, the runtime included" } else { "framework-dependent" }, langdata::source(key)));
            0
        }
        _ if sub.ends_with(".dll") || matches!(sub, "nuget" | "new" | "tool" | "workload" | "run") => {
            s.unmodelled(&format!("dotnet {sub}"), &format!("`dotnet {sub}`"));
            0
        }
        _ => {
            produce::unknown_output(s);
            0
        }
    }
}
