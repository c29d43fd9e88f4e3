//! Image references as `FROM` writes them: `[registry/][namespace/]name[:tag][@digest]`,
//! normalized the way Docker does (Docker Hub's `docker.io/library/` prefix is implied).

/// Hosts that are Docker Hub.
const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

/// Mirrors that serve Docker Hub's official images under their own prefix.
const OFFICIAL_MIRRORS: &[&str] = &[
    "public.ecr.aws/docker/library/",
    "mirror.gcr.io/library/",
    "mirror.gcr.io/",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The repository, lower-cased, without Docker Hub's host and `library/`:
    /// `golang`, `bitnami/python`, `mcr.microsoft.com/dotnet/aspnet`.
    pub repository: String,
    /// The tag as written (`None` means Docker's implied `latest`).
    pub tag: Option<String>,
    /// `sha256:…` when the reference pins a digest.
    pub digest: Option<String>,
    /// A Docker Hub official image (`golang`, `library/golang`, `docker.io/library/golang`,
    /// or one of its well-known mirrors).
    pub official: bool,
}

impl Reference {
    /// Parses leniently: anything parses, odd input just won't match the catalog.
    pub fn parse(text: &str) -> Reference {
        let text = text.trim();
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (text, None),
        };
        // A tag follows the last `:` after the last `/` (a `:` before it is a registry port).
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(rest[slash + i + 1..].to_string())),
            None => (rest, None),
        };
        let mut name = name.to_ascii_lowercase();
        let mut official = false;
        for mirror in OFFICIAL_MIRRORS {
            if let Some(n) = name.strip_prefix(mirror) {
                if !n.contains('/') {
                    name = n.to_string();
                    official = true;
                }
            }
        }
        if let Some((host, path)) = name.split_once('/') {
            if DOCKER_HUB.contains(&host) {
                name = path.to_string();
            }
        }
        if let Some(n) = name.strip_prefix("library/") {
            name = n.to_string();
        }
        official |= !name.contains('/');
        Reference {
            repository: name,
            tag: tag.filter(|t| !t.is_empty()),
            digest,
            official,
        }
    }

    /// The tag, or `latest`.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    /// `repository:tag` (tag as written, or `latest`).
    pub fn display(&self) -> String {
        format!("{}:{}", self.repository, self.tag_or_latest())
    }

    /// The last path component: `python` for `bitnami/python`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// The fully qualified name BuildKit prints in its progress log (distribution's
    /// `TagNameOnly(ParseNormalizedNamed(..))`): `docker.io/library/golang:1.22`, `latest`
    /// added when neither a tag nor a digest is given, the digest kept.
    pub fn canonical(&self) -> String {
        let first = self.repository.split('/').next().unwrap_or("");
        let has_host = self.repository.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
        let mut out = if self.official {
            format!("docker.io/library/{}", self.repository)
        } else if has_host {
            self.repository.clone()
        } else {
            format!("docker.io/{}", self.repository)
        };
        match (&self.tag, &self.digest) {
            (Some(t), _) => {
                out.push(':');
                out.push_str(t);
            }
            (None, None) => out.push_str(":latest"),
            (None, Some(_)) => {}
        }
        if let Some(d) = &self.digest {
            out.push('@');
            out.push_str(d);
        }
        out
    }

    pub fn is_scratch(&self) -> bool {
        self.official && self.repository == "scratch"
    }
}
