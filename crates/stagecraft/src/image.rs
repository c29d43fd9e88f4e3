//! The image configuration a build produces (what `docker inspect` shows under `Config`).

use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageConfig {
    /// In definition order; a later `ENV` of the same name replaces the value in place.
    pub env: Vec<(String, String)>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub workdir: String,
    pub user: String,
    pub exposed_ports: BTreeSet<String>,
    pub labels: BTreeMap<String, String>,
    pub volumes: BTreeSet<String>,
    pub healthcheck: Option<Healthcheck>,
    pub stopsignal: Option<String>,
    pub shell: Vec<String>,
    /// ONBUILD triggers, as written, run when another stage builds FROM this one.
    pub onbuild: Vec<String>,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            env: Vec::new(),
            entrypoint: None,
            cmd: None,
            workdir: "/".to_string(),
            user: String::new(),
            exposed_ports: BTreeSet::new(),
            labels: BTreeMap::new(),
            volumes: BTreeSet::new(),
            healthcheck: None,
            stopsignal: None,
            shell: default_shell(),
            onbuild: Vec::new(),
        }
    }
}

pub fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

impl ImageConfig {
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn set_env(&mut self, name: &str, value: String) {
        match self.env.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.env.push((name.to_string(), value)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// `["NONE"]`, `["CMD", ...]` or `["CMD-SHELL", "..."]`, as Docker stores it.
    pub test: Vec<String>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub start_period: Option<String>,
    pub start_interval: Option<String>,
    pub retries: Option<u32>,
}
