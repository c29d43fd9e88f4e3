//! ARG scoping, BuildKit's way: global ARGs (before the first FROM) are visible only in FROM
//! lines unless a stage re-declares them; a stage's `ARG X` takes the build-arg value, else its
//! own default, else the global value; predefined platform ARGs exist in the global scope.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostics;
use crate::dockerfile::{ArgDecl, Dockerfile, InstructionKind};
use crate::expand::{self, Lookup};

/// The platform the simulator builds for: BuildKit's automatic platform ARGs.
pub const PREDEFINED: &[(&str, &str)] = &[
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
];

/// Build args that need no ARG declaration to reach RUN (BuildKit's proxy args).
pub const PROXY_ARGS: &[&str] =
    &["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

/// ARG values visible at one point of the build. A declared ARG without a value is present
/// in `declared` but not in `values`: it expands to nothing, yet it is not undefined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArgScope {
    values: BTreeMap<String, String>,
    declared: BTreeSet<String>,
}

impl ArgScope {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
    pub fn is_declared(&self, name: &str) -> bool {
        self.declared.contains(name)
    }
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.declared.insert(name.to_string());
        match value {
            Some(v) => {
                self.values.insert(name.to_string(), v);
            }
            None => {
                self.values.remove(name);
            }
        }
    }
    /// Name/value pairs with a value, sorted by name.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl Lookup for ArgScope {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
}

/// The global scope: predefined platform ARGs and TARGETSTAGE (the target stage's name, or
/// `default` for an unnamed one, as BuildKit's `defaultArgs`), then the ARGs before the first FROM.
pub fn global_scope(
    dockerfile: &Dockerfile,
    build_args: &BTreeMap<String, String>,
    target_stage: &str,
    diags: &mut Diagnostics,
) -> ArgScope {
    let mut scope = ArgScope::default();
    for (k, v) in PREDEFINED {
        scope.set(k, Some(v.to_string()));
    }
    let target_stage = if target_stage.is_empty() { "default" } else { target_stage };
    scope.set("TARGETSTAGE", Some(target_stage.to_string()));
    let escape = dockerfile.directives.escape;
    for ins in &dockerfile.instructions {
        match &ins.kind {
            InstructionKind::From { .. } => break,
            InstructionKind::Arg(decls) => {
                for decl in decls {
                    let value = match build_args.get(&decl.name.value) {
                        Some(v) => Some(v.clone()),
                        None => expand_default(decl, &scope, escape, diags),
                    };
                    scope.set(&decl.name.value, value);
                }
            }
            _ => {}
        }
    }
    scope
}

fn expand_default(decl: &ArgDecl, vars: &dyn Lookup, escape: char, diags: &mut Diagnostics) -> Option<String> {
    let default = decl.default.as_ref()?;
    match expand::expand_word(&default.value, vars, escape) {
        Ok(e) => Some(e.value),
        Err(e) => {
            diags.error("InvalidArgDefault", default.span, e.message);
            None
        }
    }
}

/// The value `ARG <decl>` takes inside a stage: the build-arg value, else its own default
/// (expanded with `vars`, the stage's ENV and ARGs), else the global ARG of that name.
pub fn stage_arg_value(
    decl: &ArgDecl,
    globals: &ArgScope,
    build_args: &BTreeMap<String, String>,
    vars: &dyn Lookup,
    escape: char,
    diags: &mut Diagnostics,
) -> Option<String> {
    let name = decl.name.value.as_str();
    if let Some(v) = build_args.get(name) {
        return Some(v.clone());
    }
    if decl.default.is_some() {
        return expand_default(decl, vars, escape, diags);
    }
    globals.get(name).map(str::to_string)
}
