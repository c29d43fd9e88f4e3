//! Command-line arguments, parsed by hand: six flags do not justify a parser dependency.

use std::collections::BTreeMap;

pub const USAGE: &str = "\
Usage: stagecraft simulate [OPTIONS] DOCKERFILE|-

Simulates `docker build` of DOCKERFILE without a Docker engine and shows the final image.

Options:
  --context DIR        the build context (default: the Dockerfile's directory; none for -)
  --no-context         build with an empty context
  --target STAGE       build this stage (default: the last one)
  --build-arg K=V      set a build argument (repeatable)
  --strict             a source missing from the context fails the build, as in docker build
  --format text|json   output format (default: text)
  -h, --help           show this help
  -V, --version        show the version

Exit status: 0 built, 1 the build fails, 2 usage or I/O error.
";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Simulate(SimulateArgs),
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
}

#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub enum Format {
    #[default]
    Text,
    Json,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut it = argv.iter();
    match it.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("-V" | "--version") => return Ok(Command::Version),
        Some("simulate") => {}
        Some(other) => return Err(format!("unknown command {other:?}")),
    }
    let mut a = SimulateArgs::default();
    let mut dockerfile = None;
    while let Some(arg) = it.next() {
        // `--flag=value` and `--flag value` both work.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--context" => a.context = Some(value("--context")?),
            "--no-context" => a.no_context = true,
            "--target" => a.target = Some(value("--target")?),
            "--build-arg" => {
                let kv = value("--build-arg")?;
                match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() => a.build_args.insert(k.to_string(), v.to_string()),
                    // `--build-arg K` takes K from the environment, as docker build does.
                    _ => a.build_args.insert(kv.clone(), std::env::var(&kv).unwrap_or_default()),
                };
            }
            "--strict" => a.strict = true,
            "--format" => {
                a.format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format must be text or json, not {other:?}")),
                }
            }
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown option {f}")),
            path => {
                if dockerfile.replace(path.to_string()).is_some() {
                    return Err("give one Dockerfile".to_string());
                }
            }
        }
    }
    if a.context.is_some() && a.no_context {
        return Err("--context and --no-context exclude each other".to_string());
    }
    a.dockerfile = dockerfile.ok_or("missing DOCKERFILE (or - for standard input)")?;
    Ok(Command::Simulate(a))
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
    }

    #[test]
    fn rejects_bad_usage() {
        assert_eq!(args("simulate"), Err("missing DOCKERFILE (or - for standard input)".into()));
        assert_eq!(args("simulate --format xml x"), Err("--format must be text or json, not \"xml\"".into()));
        assert_eq!(args("simulate --bogus x"), Err("unknown option --bogus".into()));
        assert_eq!(args("simulate --context a --no-context x"), Err("--context and --no-context exclude each other".into()));
        assert_eq!(args("build x"), Err("unknown command \"build\"".into()));
    }
}
