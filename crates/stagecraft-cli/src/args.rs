//! Command-line arguments, parsed by hand: a dozen flags do not justify a parser dependency.

use std::collections::BTreeMap;

pub const USAGE: &str = "\
Usage: stagecraft simulate [OPTIONS] [--log] [--previous OLD_DOCKERFILE] DOCKERFILE|-
       stagecraft diff [OPTIONS] [--context-b DIR] DOCKERFILE_A DOCKERFILE_B
       stagecraft twin [OPTIONS] DOCKERFILE

simulate  Simulates `docker build` of DOCKERFILE without a Docker engine and shows the final image.
diff      Simulates two Dockerfiles (A, the baseline, then B) and shows what changed: sizes,
          stages, layers, files, config.
twin      Prints the single-stage twin of a multi-stage DOCKERFILE (every stage the target needs,
          built in one stage on the builder's base); its notes and its size against the original
          go to standard error.

Options:
  --context DIR        the build context (default: the Dockerfile's directory; none for -);
                       for diff, both builds' (see --context-b)
  --no-context         build with an empty context
  --target STAGE       build this stage (default: the last one)
  --build-arg K=V      set a build argument (repeatable)
  --strict             a source missing from the context fails the build, as in docker build
  --format text|json   output format (default: text)
  -h, --help           show this help
  -V, --version        show the version

simulate:
  --log                    show the BuildKit-style build log (`--progress=plain`)
  --previous FILE          simulate FILE first, as the previous build, and mark the steps the
                           cache would serve CACHED, explaining the first miss (implies --log)
  --previous-context DIR   the previous build's context (default: this build's)
  --previous-build-arg K=V a build argument of the previous build (repeatable; default: this
                           build's, which these override)

diff:
  --context-b DIR      the context of DOCKERFILE_B (default: --context, else B's directory)

Exit status: 0 built, 1 a build fails (or there is no twin), 2 usage or I/O error.
";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Simulate(SimulateArgs),
    Diff(DiffArgs),
    Twin(SimulateArgs),
    Help,
    Version,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SimulateArgs {
    pub dockerfile: String,
    pub context: Option<String>,
    pub no_context: bool,
    pub target: Option<String>,
    pub build_args: BTreeMap<String, String>,
    pub strict: bool,
    pub format: Format,
    pub log: bool,
    pub previous: Option<Previous>,
}

/// `--previous`: the build before this one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Previous {
    pub dockerfile: String,
    pub context: Option<String>,
    /// Overrides of this build's build args.
    pub build_args: BTreeMap<String, String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DiffArgs {
    pub a: SimulateArgs,
    pub b: SimulateArgs,
    pub format: Format,
}

#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simulate,
    Diff,
    Twin,
}

/// `K=V`, or `K` alone, taken from the environment as docker build does.
fn build_arg(kv: &str, into: &mut BTreeMap<String, String>) {
    match kv.split_once('=') {
        Some((k, v)) if !k.is_empty() => into.insert(k.to_string(), v.to_string()),
        _ => into.insert(kv.to_string(), std::env::var(kv).unwrap_or_default()),
    };
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut it = argv.iter();
    let kind = match it.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("-V" | "--version") => return Ok(Command::Version),
        Some("simulate") => Kind::Simulate,
        Some("diff") => Kind::Diff,
        Some("twin") => Kind::Twin,
        Some(other) => return Err(format!("unknown command {other:?} (try simulate, diff or twin)")),
    };
    let mut a = SimulateArgs::default();
    let mut previous: Option<Previous> = None;
    let (mut previous_context, mut previous_args) = (None, BTreeMap::new());
    let mut context_b = None;
    let mut files: Vec<String> = Vec::new();
    while let Some(arg) = it.next() {
        // `--flag=value` and `--flag value` both work.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
        let only = |wanted: Kind, name: &str| -> Result<(), String> {
            if kind == wanted {
                Ok(())
            } else {
                let command = match wanted {
                    Kind::Simulate => "simulate",
                    Kind::Diff => "diff",
                    Kind::Twin => "twin",
                };
                Err(format!("{name} is an option of `stagecraft {command}`"))
            }
        };
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--context" => a.context = Some(value("--context")?),
            "--no-context" => a.no_context = true,
            "--target" => a.target = Some(value("--target")?),
            "--build-arg" => build_arg(&value("--build-arg")?, &mut a.build_args),
            "--strict" => a.strict = true,
            "--format" => {
                a.format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format must be text or json, not {other:?}")),
                }
            }
            "--log" => {
                only(Kind::Simulate, "--log")?;
                a.log = true;
            }
            "--previous" => {
                only(Kind::Simulate, "--previous")?;
                previous = Some(Previous { dockerfile: value("--previous")?, ..Previous::default() });
            }
            "--previous-context" => {
                only(Kind::Simulate, "--previous-context")?;
                previous_context = Some(value("--previous-context")?);
            }
            "--previous-build-arg" => {
                only(Kind::Simulate, "--previous-build-arg")?;
                build_arg(&value("--previous-build-arg")?, &mut previous_args);
            }
            "--context-b" => {
                only(Kind::Diff, "--context-b")?;
                context_b = Some(value("--context-b")?);
            }
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option {f}")),
            path => files.push(path.to_string()),
        }
    }
    if a.context.is_some() && a.no_context {
        return Err("--context and --no-context exclude each other".to_string());
    }
    match (&mut previous, previous_context.is_some() || !previous_args.is_empty()) {
        (Some(p), _) => {
            p.context = previous_context;
            p.build_args = previous_args;
            a.log = true;
        }
        (None, true) => return Err("--previous-context and --previous-build-arg need --previous".to_string()),
        (None, false) => {}
    }
    a.previous = previous;
    match kind {
        Kind::Diff => {
            let [fa, fb] = <[String; 2]>::try_from(files).map_err(|_| "diff needs two Dockerfiles: the baseline A, then B".to_string())?;
            if fa == "-" && fb == "-" {
                return Err("only one of the two Dockerfiles can be standard input".to_string());
            }
            let format = a.format;
            let b = SimulateArgs {
                dockerfile: fb,
                context: context_b.or_else(|| a.context.clone()),
                no_context: a.no_context,
                target: a.target.clone(),
                build_args: a.build_args.clone(),
                strict: a.strict,
                format,
                log: false,
                previous: None,
            };
            a.dockerfile = fa;
            Ok(Command::Diff(DiffArgs { a, b, format }))
        }
        Kind::Simulate | Kind::Twin => {
            let mut files = files.into_iter();
            a.dockerfile = files.next().ok_or("missing DOCKERFILE (or - for standard input)")?;
            if files.next().is_some() {
                return Err("give one Dockerfile".to_string());
            }
            Ok(if kind == Kind::Twin { Command::Twin(a) } else { Command::Simulate(a) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Result<Command, String> {
        parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn parses_the_contract_options() {
        let Ok(Command::Simulate(a)) = args("simulate --target=build --build-arg A=1 --build-arg B= --strict --format json --context ctx Dockerfile") else {
            panic!("did not parse");
        };
        assert_eq!(a.target.as_deref(), Some("build"));
        assert_eq!(a.build_args.get("A").map(String::as_str), Some("1"));
        assert_eq!(a.build_args.get("B").map(String::as_str), Some(""));
        assert!(a.strict);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.context.as_deref(), Some("ctx"));
        assert_eq!(a.dockerfile, "Dockerfile");
        assert!(!a.log);
        assert_eq!(a.previous, None);
    }

    #[test]
    fn parses_the_log_and_the_previous_build() {
        let Ok(Command::Simulate(a)) = args("simulate --previous old.Dockerfile --previous-context old --previous-build-arg V=1 Dockerfile") else {
            panic!("did not parse");
        };
        assert!(a.log, "--previous implies --log");
        let p = a.previous.expect("previous");
        assert_eq!(p.dockerfile, "old.Dockerfile");
        assert_eq!(p.context.as_deref(), Some("old"));
        assert_eq!(p.build_args.get("V").map(String::as_str), Some("1"));
        let Ok(Command::Simulate(a)) = args("simulate --log Dockerfile") else { panic!("did not parse") };
        assert!(a.log);
    }

    #[test]
    fn parses_diff_and_twin() {
        let Ok(Command::Diff(d)) = args("diff --context ctx --context-b ctx2 --target t --build-arg A=1 --format json a.Dockerfile b.Dockerfile") else {
            panic!("did not parse");
        };
        assert_eq!((d.a.dockerfile.as_str(), d.b.dockerfile.as_str()), ("a.Dockerfile", "b.Dockerfile"));
        assert_eq!((d.a.context.as_deref(), d.b.context.as_deref()), (Some("ctx"), Some("ctx2")));
        assert_eq!((d.a.target.as_deref(), d.b.target.as_deref()), (Some("t"), Some("t")));
        assert_eq!(d.b.build_args.get("A").map(String::as_str), Some("1"));
        assert_eq!(d.format, Format::Json);
        let Ok(Command::Diff(d)) = args("diff --context ctx a b") else { panic!("did not parse") };
        assert_eq!(d.b.context.as_deref(), Some("ctx"), "--context is both builds' context");
        let Ok(Command::Twin(t)) = args("twin --target prod Dockerfile") else { panic!("did not parse") };
        assert_eq!(t.target.as_deref(), Some("prod"));
    }

    #[test]
    fn rejects_bad_usage() {
        assert_eq!(args("simulate"), Err("missing DOCKERFILE (or - for standard input)".into()));
        assert_eq!(args("simulate --format xml x"), Err("--format must be text or json, not \"xml\"".into()));
        assert_eq!(args("simulate --bogus x"), Err("unknown option --bogus".into()));
        assert_eq!(args("simulate --context a --no-context x"), Err("--context and --no-context exclude each other".into()));
        assert_eq!(args("build x"), Err("unknown command \"build\" (try simulate, diff or twin)".into()));
        assert_eq!(args("simulate --previous-context d x"), Err("--previous-context and --previous-build-arg need --previous".into()));
        assert_eq!(args("diff a"), Err("diff needs two Dockerfiles: the baseline A, then B".into()));
        assert_eq!(args("diff - -"), Err("only one of the two Dockerfiles can be standard input".into()));
        assert_eq!(args("diff --log a b"), Err("--log is an option of `stagecraft simulate`".into()));
        assert_eq!(args("simulate --context-b d x"), Err("--context-b is an option of `stagecraft diff`".into()));
    }
}
