//! The `# check=` directive: `skip=A,B` or `skip=all`, `error=true`, `experimental=A,B` or
//! `experimental=all`, separated by `;` (BuildKit's `linter.ParseLintOptions`). The
//! `BUILDKIT_DOCKERFILE_CHECK` build arg, when given, replaces the directive entirely.

use super::explain::is_experimental;
use super::Input;
use crate::span::Span;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckConfig {
    pub skip_all: bool,
    pub skip: Vec<String>,
    /// `error=true`: a BuildKit rule that fires fails the build.
    pub error: bool,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
}

impl CheckConfig {
    /// BuildKit's `Linter.Run`: experimental rules run only when enabled (and then even
    /// with `skip=all`); the others unless skipped.
    pub fn runs_buildkit_rule(&self, rule: &str) -> bool {
        if is_experimental(rule) {
            self.experimental_all || self.experimental.iter().any(|r| r == rule)
        } else {
            !self.skips(rule)
        }
    }

    pub fn skips(&self, code: &str) -> bool {
        self.skip_all || self.skip.iter().any(|r| r == code)
    }

    /// Parses the directive's value; the error is BuildKit's message.
    pub fn parse(text: &str) -> Result<CheckConfig, String> {
        let text = text.trim();
        let mut config = CheckConfig::default();
        if text.is_empty() {
            return Ok(config);
        }
        // BuildKit splits into at most three parts: a fourth `;` stays in the last value.
        for part in text.splitn(3, ';') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!("failed to parse check options: invalid check option {part:?}"));
            };
            let value = value.trim();
            let list = |v: &str| v.split(',').map(|r| r.trim().to_string()).collect::<Vec<_>>();
            match key.trim() {
                "skip" if value == "all" => config.skip_all = true,
                "skip" => config.skip = list(value),
                "experimental" if value == "all" => config.experimental_all = true,
                "experimental" => config.experimental = list(value),
                "error" => {
                    config.error = parse_bool(value).ok_or_else(|| {
                        format!(
                            "failed to parse check options: failed to parse check option {part:?}: \
                             strconv.ParseBool: parsing {value:?}: invalid syntax"
                        )
                    })?
                }
                other => return Err(format!("failed to parse check options: invalid check option {other:?}")),
            }
        }
        Ok(config)
    }
}

/// Go's `strconv.ParseBool`.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The configuration in force, or where the bad one is and why.
pub(super) fn from_input(input: &Input<'_>) -> Result<CheckConfig, (Span, String)> {
    if let Some(value) = input.build_args.get("BUILDKIT_DOCKERFILE_CHECK") {
        let at = input.report.dockerfile.instructions.first().map_or(0, |i| i.span.start);
        return CheckConfig::parse(value).map_err(|e| (Span::new(at, at), format!("BUILDKIT_DOCKERFILE_CHECK: {e}")));
    }
    match &input.report.dockerfile.directives.check {
        Some(d) => CheckConfig::parse(&d.value).map_err(|e| (d.span, e)),
        None => Ok(CheckConfig::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_values_parse_as_buildkit_reads_them() {
        let c = CheckConfig::parse("skip=ConsistentInstructionCasing, FromAsCasing;error=true").unwrap_or_default();
        assert_eq!(c.skip, ["ConsistentInstructionCasing", "FromAsCasing"]);
        assert!(c.error && !c.skip_all);
        assert!(c.skips("FromAsCasing") && !c.skips("StageNameCasing"));
        let c = CheckConfig::parse(" skip=all ; experimental=InvalidDefinitionDescription").unwrap_or_default();
        assert!(c.skip_all && c.skips("UnusedStage"));
        assert!(c.runs_buildkit_rule("InvalidDefinitionDescription") && !c.runs_buildkit_rule("FromAsCasing"));
        assert!(!CheckConfig::default().runs_buildkit_rule("InvalidDefinitionDescription"));
        assert!(CheckConfig::parse("experimental=all").is_ok_and(|c| c.runs_buildkit_rule("InvalidDefinitionDescription")));
        assert_eq!(CheckConfig::parse(""), Ok(CheckConfig::default()));
    }

    #[test]
    fn bad_directives_are_errors_with_buildkits_wording() {
        assert_eq!(
            CheckConfig::parse("skip"),
            Err("failed to parse check options: invalid check option \"skip\"".to_string())
        );
        assert_eq!(
            CheckConfig::parse("warn=all"),
            Err("failed to parse check options: invalid check option \"warn\"".to_string())
        );
        assert!(CheckConfig::parse("error=yes").is_err());
    }
}
