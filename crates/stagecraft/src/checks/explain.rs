//! Every check code with a paragraph a learner understands: what the check means, why it
//! matters and what to do. BuildKit's rules keep BuildKit's names (their reference pages are
//! docs.docker.com/reference/build-checks/); the explanations here are our own words.

/// One of BuildKit's build-check rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildkitRule {
    pub name: &'static str,
    /// Runs only when `# check=experimental=<name>` (or `=all`) enables it.
    pub experimental: bool,
    pub explanation: &'static str,
}

/// One of the checks only a simulator can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimulatorCheck {
    pub code: &'static str,
    pub explanation: &'static str,
}

const fn rule(name: &'static str, explanation: &'static str) -> BuildkitRule {
    BuildkitRule { name, experimental: false, explanation }
}

pub const BUILDKIT_RULES: &[BuildkitRule] = &[
    rule(
        "StageNameCasing",
        "Stage names are case-insensitive: BuildKit lower-cases them, so `AS Builder` and \
         `--from=builder` name the same stage. Writing them in lowercase keeps names apart from \
         instruction keywords, which are usually upper case, and avoids the surprise.",
    ),
    rule(
        "FromAsCasing",
        "Keywords may be upper or lower case, but `FROM image as name` mixes the two styles on \
         one line. Write `AS` in the same case as `FROM`.",
    ),
    rule(
        "NoEmptyContinuation",
        "A line ending in `\\` continues on the next line; a blank line inside such an \
         instruction is skipped today, but Docker has announced it will become an error. Delete \
         the blank line, or put a comment on it: comment lines are allowed there.",
    ),
    rule(
        "ConsistentInstructionCasing",
        "Instruction keywords work in any case, but a Dockerfile reads best when they all use \
         the same one. BuildKit counts which case most instructions use (all upper or all \
         lower) and points at those that differ, including mixed-case ones like `Run`.",
    ),
    rule(
        "DuplicateStageName",
        "Two stages share a name, so `FROM name` and `COPY --from=name` could mean either: \
         the builder cannot tell which stage is meant and the build fails. Stage names are \
         case-insensitive, so `Build` and `build` are the same name. Give every stage its own \
         name.",
    ),
    rule(
        "ReservedStageName",
        "`scratch` and `context` already mean something in a Dockerfile (the empty image, the \
         build context), so a stage with that name cannot be referred to by it. Pick another \
         name.",
    ),
    rule(
        "JSONArgsRecommended",
        "In shell form (`CMD my-app start`) the container runs `/bin/sh -c \"my-app start\"`: \
         the shell is process 1 and does not pass on signals, so `docker stop` cannot ask your \
         program to shut down cleanly and kills it after a timeout. The exec form \
         (`CMD [\"my-app\", \"start\"]`) runs the program itself.",
    ),
    rule(
        "MaintainerDeprecated",
        "`MAINTAINER` is deprecated. The author of an image goes in the standard label \
         `org.opencontainers.image.authors`, which tools know how to read.",
    ),
    rule(
        "UndefinedArgInFrom",
        "A variable in a FROM line can only come from an ARG declared before the first FROM \
         (or a predefined one such as TARGETPLATFORM). This one is not declared, so it is \
         empty and the image name is probably not what you meant; often it is a typo.",
    ),
    rule(
        "WorkdirRelativePath",
        "A relative WORKDIR is joined to the working directory of the base image, which the \
         image's authors may change in a later version. Starting from an absolute path makes \
         the stage independent of that.",
    ),
    rule(
        "UndefinedVar",
        "The instruction uses a variable that no ARG or ENV defined at that point (nor the base \
         image), so it expands to an empty string. It is often a typo or an ARG declared too \
         late; note that an ARG before the first FROM is only visible in a stage that declares \
         it again. Shell-form RUN, CMD and ENTRYPOINT are not checked: the shell expands those.",
    ),
    rule(
        "MultipleInstructionsDisallowed",
        "An image has one CMD, one ENTRYPOINT and one HEALTHCHECK: when a stage sets one \
         several times, only the last counts and the earlier ones do nothing.",
    ),
    rule(
        "LegacyKeyValueFormat",
        "`ENV key value` (no `=`) is the old form and takes the whole rest of the line as one \
         value. Write `ENV key=value`, quoting values with spaces; it also lets one ENV or LABEL \
         set several keys.",
    ),
    rule(
        "RedundantTargetPlatform",
        "A base image is already pulled for the target platform by default, so \
         `FROM --platform=$TARGETPLATFORM` changes nothing. Leave the flag out.",
    ),
    rule(
        "SecretsUsedInArgOrEnv",
        "ARG and ENV values are stored in the image (its config and history): anyone who pulls \
         the image can read them. Pass secrets with `RUN --mount=type=secret` instead, which \
         makes them available to one command without storing them.",
    ),
    rule(
        "InvalidDefaultArgInFrom",
        "With the ARG defaults alone (no --build-arg), this FROM line expands to an empty or \
         invalid image name, so the build only works when someone remembers the build arg. \
         Give the ARG a default that makes a valid name.",
    ),
    rule(
        "FromPlatformFlagConstDisallowed",
        "A fixed `FROM --platform=linux/amd64` pins the stage to one platform, so the \
         Dockerfile can no longer build images for other platforms. Use a variable such as \
         $BUILDPLATFORM, or name the stage after the platform when that is the intent.",
    ),
    rule(
        "CopyIgnoredFile",
        "The file is excluded by .dockerignore, so it is not in the build context and COPY or \
         ADD cannot find it. Remove the pattern from .dockerignore or stop copying the file.",
    ),
    BuildkitRule {
        name: "InvalidDefinitionDescription",
        experimental: true,
        explanation: "A comment directly above FROM or ARG is read as that stage's or \
                      argument's description (`docker build --call=outline`) and should start \
                      with its name. If the comment is not meant as a description, separate it \
                      from the instruction with an empty line.",
    },
    rule(
        "ExposeProtoCasing",
        "The protocol in EXPOSE (`tcp`, `udp`, `sctp`) should be written in lowercase.",
    ),
    rule(
        "ExposeInvalidFormat",
        "EXPOSE documents the port the container listens on, nothing more: an IP address or a \
         host port (`8080:80`) belongs to `docker run -p`, not to the image. Docker will make \
         this an error; write only the container port.",
    ),
];

pub const SIMULATOR_CHECKS: &[SimulatorCheck] = &[
    SimulatorCheck {
        code: "SecretFileInImage",
        explanation: "A file that looks like a secret (a private key, a `.env` file, cloud or \
                      registry credentials) ends up in the final image. Anyone who can pull the \
                      image can read it, even if a later instruction deletes it, because every \
                      layer ships. Keep it out with .dockerignore, and give the build access \
                      with `RUN --mount=type=secret` when it needs one.",
    },
    SimulatorCheck {
        code: "BuildToolsInFinalImage",
        explanation: "This Dockerfile already uses several stages, but the image it produces \
                      still contains what is only needed to build: compilers, development \
                      packages, the Go or Rust toolchain, a `.git` directory, sources or \
                      development dependencies. Build in one stage and `COPY --from` only the \
                      result into a small runtime stage.",
    },
    SimulatorCheck {
        code: "PackageCacheInLayer",
        explanation: "A RUN leaves package lists or a download cache in its layer (apt's lists, \
                      apk's or pip's cache, npm's cache, Go's build cache). The image does not \
                      need them to run. Remove them in the same RUN, use the tool's no-cache \
                      option, or mount a cache (`RUN --mount=type=cache`); deleting them in a \
                      later RUN does not help, as the layer that added them still ships.",
    },
    SimulatorCheck {
        code: "CleanupSavesNothing",
        explanation: "This RUN deletes files that an earlier layer added. Layers only add: the \
                      earlier layer still holds the bytes, and the deletion just hides them, so \
                      the image does not get smaller. Delete files in the same RUN that creates \
                      them, or copy only what you need into a fresh stage.",
    },
    SimulatorCheck {
        code: "CopyBeforeDependencyInstall",
        explanation: "Docker reuses a cached step only while everything before it is unchanged. \
                      Copying the whole source tree before installing dependencies means that \
                      any edit to any file reinstalls every dependency. Copy only the manifest \
                      (package.json and its lockfile, requirements.txt, go.mod and go.sum…), \
                      install, and copy the rest afterwards.",
    },
    SimulatorCheck {
        code: "LargeCopyOverwritten",
        explanation: "A large ADD or COPY is overwritten by a later instruction. The new files \
                      hide the old ones, but the old layer still ships with all its bytes. \
                      Copy the right files once, or narrow the first COPY.",
    },
    SimulatorCheck {
        code: "UnusedStage",
        explanation: "BuildKit builds only the stages the target needs. This stage is neither \
                      the target nor needed by it, so this build skips it. A stage without a \
                      name can never be a target of its own, so it is dead code; a named one is \
                      only built with `--target <name>`.",
    },
    SimulatorCheck {
        code: "UnpinnedBaseImage",
        explanation: "A base image without a tag means `latest`, and `latest` moves: the same \
                      Dockerfile builds on a different base next month, which can break the \
                      build or change the image without any change to your files. Name a \
                      version (or a digest) so builds are repeatable.",
    },
];

/// The explanation of a check code, for the UI and the CLI; `None` for other codes.
pub fn explain(code: &str) -> Option<&'static str> {
    BUILDKIT_RULES
        .iter()
        .find(|r| r.name == code)
        .map(|r| r.explanation)
        .or_else(|| SIMULATOR_CHECKS.iter().find(|c| c.code == code).map(|c| c.explanation))
}

pub(super) fn is_experimental(rule: &str) -> bool {
    BUILDKIT_RULES.iter().any(|r| r.name == rule && r.experimental)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained_once() {
        let mut codes: Vec<&str> =
            BUILDKIT_RULES.iter().map(|r| r.name).chain(SIMULATOR_CHECKS.iter().map(|c| c.code)).collect();
        assert_eq!(BUILDKIT_RULES.len(), 21);
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code appears twice");
        for c in codes {
            assert!(explain(c).is_some_and(|e| e.len() > 60), "{c}");
        }
        assert_eq!(explain("ParseError"), None);
    }
}
