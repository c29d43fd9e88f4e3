//! The format of `data/images.json` (written by `cargo xtask catalog`) and its conversion
//! into the catalog's types. Serialization stays here, at the edge.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    Catalog, EstimateRule, Group, ImageConfig, ImageFacts, OsFamily, PackageManager, Source, User,
};

#[derive(Deserialize)]
struct File {
    source: String,
    generated: String,
    images: Vec<Image>,
    estimates: Vec<Estimate>,
}

#[derive(Deserialize)]
struct Image {
    image: String,
    tag: String,
    #[serde(default)]
    aliases: Vec<String>,
    title: Option<String>,
    #[serde(flatten)]
    body: Body,
    /// `[path, commit]` of the repo-info file.
    source: (String, Option<String>),
}

#[derive(Deserialize)]
struct Estimate {
    id: String,
    repos: Vec<String>,
    #[serde(default)]
    tag_has: Vec<String>,
    basis: String,
    #[serde(flatten)]
    body: Body,
    source: (String, Option<String>),
}

/// What images and estimates share.
#[derive(Deserialize)]
struct Body {
    size: u64,
    compressed: u64,
    os: String,
    os_version: Option<String>,
    os_codename: Option<String>,
    pm: String,
    packages: Option<u32>,
    #[serde(default)]
    config: Config,
    #[serde(default)]
    dirs: Vec<(String, u64)>,
    #[serde(default)]
    files: Vec<(String, u64)>,
    /// `[name, uid, gid, gecos, home, shell, home_created]`
    #[serde(default)]
    users: Vec<(String, u32, u32, String, String, String, bool)>,
    /// `[name, gid]`
    #[serde(default)]
    groups: Vec<(String, u32)>,
}

#[derive(Deserialize, Default)]
struct Config {
    #[serde(default)]
    env: Vec<String>,
    entrypoint: Option<Vec<String>>,
    cmd: Option<Vec<String>>,
    workdir: Option<String>,
    user: Option<String>,
    #[serde(default)]
    exposed_ports: Vec<String>,
    #[serde(default)]
    volumes: Vec<String>,
    stopsignal: Option<String>,
    shell: Option<Vec<String>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

pub(super) fn parse(text: &str) -> Result<Catalog, serde_json::Error> {
    let file: File = serde_json::from_str(text)?;
    let images = file
        .images
        .into_iter()
        .map(|i| {
            facts(
                i.image, i.tag, i.aliases, i.title, i.body, i.source, true, None,
            )
        })
        .collect();
    let estimates = file
        .estimates
        .into_iter()
        .map(|e| EstimateRule {
            id: e.id,
            repos: e.repos,
            tag_has: e.tag_has,
            facts: facts(
                String::new(),
                String::new(),
                vec![],
                None,
                e.body,
                e.source,
                false,
                Some(e.basis),
            ),
        })
        .collect();
    Ok(Catalog {
        images,
        estimates,
        source: file.source,
        generated: file.generated,
    })
}

#[allow(clippy::too_many_arguments)]
fn facts(
    image: String,
    tag: String,
    aliases: Vec<String>,
    title: Option<String>,
    b: Body,
    source: (String, Option<String>),
    known: bool,
    basis: Option<String>,
) -> ImageFacts {
    let package_manager = match b.pm.as_str() {
        "apk" => PackageManager::Apk,
        "dpkg" => PackageManager::Dpkg,
        "rpm" => PackageManager::Rpm,
        _ => PackageManager::None,
    };
    let env = b
        .config
        .env
        .into_iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (e, String::new()),
        })
        .collect();
    ImageFacts {
        image,
        tag,
        aliases,
        title,
        size_bytes: b.size,
        compressed_size_bytes: b.compressed,
        os: OsFamily::parse(&b.os),
        os_version: b.os_version,
        os_codename: b.os_codename,
        package_manager,
        package_count: b.packages,
        config: ImageConfig {
            env,
            entrypoint: b.config.entrypoint,
            cmd: b.config.cmd,
            workdir: b.config.workdir,
            user: b.config.user,
            exposed_ports: b.config.exposed_ports,
            volumes: b.config.volumes,
            stopsignal: b.config.stopsignal,
            shell: b.config.shell,
            labels: b.config.labels,
        },
        users: b
            .users
            .into_iter()
            .map(|(name, uid, gid, gecos, home, shell, home_created)| User {
                name,
                uid,
                gid,
                gecos,
                home,
                shell,
                home_created,
            })
            .collect(),
        groups: b
            .groups
            .into_iter()
            .map(|(name, gid)| Group { name, gid })
            .collect(),
        dirs: b.dirs,
        files: b.files,
        source: Source {
            path: source.0,
            commit: source.1,
        },
        known,
        basis,
    }
}
