//! The examples one click away, each with its build context.

use crate::project::{Content, Project};

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// What to look at, in one sentence.
    pub lesson: &'static str,
    pub dockerfile: &'static str,
    pub files: &'static [(&'static str, &'static str)],
    /// Files given only by size.
    pub sized: &'static [(&'static str, u64)],
    pub target: Option<&'static str>,
}

impl Example {
    pub fn project(&self) -> Project {
        let mut p = Project::new(self.dockerfile, self.files);
        for (path, size) in self.sized {
            p.put(path, Content::Size(*size));
        }
        p.target = self.target.map(str::to_string);
        p
    }
}

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

pub const DEFAULT: &str = "go-alpine";

const GO_MAIN: &str = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from a tiny image\")\n}\n";
const GO_MOD: &str = "module example.com/hello\n\ngo 1.26\n";
const GO_IGNORE: &str =
    "# Keep the context small: git history and local builds are not sources.\n.git\nbin/\n*.md\n";
const JAVA_POM: &str = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>app</artifactId>\n  <version>1.0</version>\n  <packaging>jar</packaging>\n</project>\n";
const JAVA_MAIN: &str = "package com.example;\n\npublic class App {\n    public static void main(String[] args) {\n        System.out.println(\"hello\");\n    }\n}\n";
const PACKAGE_JSON: &str = "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": { \"express\": \"^4.21.0\" }\n}\n";
const PACKAGE_LOCK: &str =
    "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {}\n}\n";
const SERVER_JS: &str = "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('hello'));\napp.listen(3000);\n";

pub static EXAMPLES: &[Example] = &[
    Example {
        id: "go-alpine",
        title: "Go: build, then copy into alpine",
        lesson: "The final image is alpine plus one binary: the Go toolchain stays in the builder stage.",
        dockerfile: "# syntax=docker/dockerfile:1\nFROM golang:1.26 AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY *.go ./\nRUN CGO_ENABLED=0 go build -o /out/hello .\n\nFROM alpine:3.22\nCOPY --from=build /out/hello /usr/local/bin/hello\nUSER nobody\nENTRYPOINT [\"hello\"]\n",
        files: &[("go.mod", GO_MOD), ("main.go", GO_MAIN), (".dockerignore", GO_IGNORE), ("README.md", "# hello\n")],
        sized: &[],
        target: None,
    },
    Example {
        id: "go-scratch",
        title: "Go into scratch",
        lesson: "FROM scratch starts empty: the image holds only what you copy in.",
        dockerfile: "FROM golang:1.26 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /hello .\n\nFROM scratch\nCOPY --from=build /hello /hello\nENTRYPOINT [\"/hello\"]\n",
        files: &[("go.mod", GO_MOD), ("main.go", GO_MAIN)],
        sized: &[],
        target: None,
    },
    Example {
        id: "java-single",
        title: "Java in one stage",
        lesson: "One stage ships Maven, the JDK and the build cache with the app.",
        dockerfile: "FROM maven:3-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -q package\nCMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n",
        files: &[("pom.xml", JAVA_POM), ("src/main/java/com/example/App.java", JAVA_MAIN)],
        sized: &[],
        target: None,
    },
    Example {
        id: "java-multi",
        title: "Java: builder pattern, multi-stage",
        lesson: "Build with Maven and the JDK, run on a JRE: compare the size with the single stage.",
        dockerfile: "FROM maven:3-eclipse-temurin-21 AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY src ./src\nRUN mvn -q package\n\nFROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=build /app/target/app-1.0.jar app.jar\nEXPOSE 8080\nCMD [\"java\", \"-jar\", \"app.jar\"]\n",
        files: &[("pom.xml", JAVA_POM), ("src/main/java/com/example/App.java", JAVA_MAIN)],
        sized: &[],
        target: None,
    },
    Example {
        id: "node-slim",
        title: "Node: npm ci, then a slim runtime",
        lesson: "node_modules on your machine is not sent (see .dockerignore); npm ci installs inside the image.",
        dockerfile: "FROM node:22 AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n\nFROM node:22-slim\nENV NODE_ENV=production\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nUSER node\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
        files: &[("package.json", PACKAGE_JSON), ("package-lock.json", PACKAGE_LOCK), ("server.js", SERVER_JS), (".dockerignore", "node_modules\nDockerfile\n.git\n")],
        sized: &[("node_modules/express/index.js", 180_000_000)],
        target: None,
    },
    Example {
        id: "not-shared",
        title: "Files are not shared between stages",
        lesson: "The file made in stage one is not in stage two unless COPY --from brings it: select each stage to compare.",
        dockerfile: "FROM alpine:3.22 AS one\nRUN echo made in one > /note.txt\nCOPY notes.txt /notes.txt\n\nFROM alpine:3.22 AS two\n# /notes.txt is not here: each stage starts from its own FROM.\nCOPY --from=one /notes.txt /copied-notes.txt\n",
        files: &[("notes.txt", "written in the context\n")],
        sized: &[],
        target: None,
    },
    Example {
        id: "env-scope",
        title: "ENV does not cross stages",
        lesson: "ENV set in the builder is gone in a stage that starts FROM an image; a stage FROM the builder inherits it.",
        dockerfile: "FROM alpine:3.22 AS build\nENV APP_MODE=debug GREETING=hello\n\nFROM build AS child\n# Inherits APP_MODE: this stage starts FROM build.\n\nFROM alpine:3.22 AS final\n# No APP_MODE here; set it again if the runtime needs it.\nENV GREETING=hi\nCOPY --from=child /etc/os-release /from-child\n",
        files: &[],
        sized: &[],
        target: None,
    },
    Example {
        id: "copy-from-0",
        title: "COPY --from=0",
        lesson: "Stages can be referred to by number; a name is clearer and survives reordering.",
        dockerfile: "FROM alpine:3.22\nWORKDIR /build\nCOPY config.yaml .\n\nFROM busybox:latest\nCOPY --from=0 /build/config.yaml /etc/app/config.yaml\n",
        files: &[("config.yaml", "listen: 8080\nlog: info\n")],
        sized: &[],
        target: None,
    },
    Example {
        id: "target-dev",
        title: "--target a dev stage",
        lesson: "With the target set to dev, BuildKit stops there: the prod stage is not built.",
        dockerfile: "FROM python:3.12-slim AS base\nWORKDIR /app\nCOPY requirements.txt .\n\nFROM base AS dev\nCOPY requirements-dev.txt .\nENV DEBUG=1\nCOPY . .\nCMD [\"python\", \"-m\", \"app\", \"--reload\"]\n\nFROM base AS prod\nCOPY app ./app\nCMD [\"python\", \"-m\", \"app\"]\n",
        files: &[("requirements.txt", "flask==3.1.0\n"), ("requirements-dev.txt", "pytest==8.3.0\n"), ("app/__main__.py", "print('hello')\n")],
        sized: &[],
        target: Some("dev"),
    },
    Example {
        id: "secret-leak",
        title: "A secret copied into the final image",
        lesson: "COPY . . takes the .env file too: it is in the image for anyone who pulls it. Add it to .dockerignore.",
        dockerfile: "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
        files: &[("server.js", SERVER_JS), ("package.json", PACKAGE_JSON), (".env", "DATABASE_PASSWORD=hunter2\nAPI_KEY=sk_live_0123456789\n")],
        sized: &[],
        target: None,
    },
    Example {
        id: "rm-later",
        title: "Deleting in a later RUN does not shrink the image",
        lesson: "The archive stays in the COPY layer; the RUN adds a whiteout. Delete in the same layer, or in another stage.",
        dockerfile: "FROM debian:bookworm-slim\nWORKDIR /opt\nCOPY dataset.tar.gz .\nRUN rm dataset.tar.gz\n",
        files: &[],
        sized: &[("dataset.tar.gz", 250_000_000)],
        target: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example simulates without an error: they teach, they must not look broken.
    #[test]
    fn examples_build_without_errors() {
        assert!(find(DEFAULT).is_some());
        for e in EXAMPLES {
            let p = e.project();
            let input = p.input();
            let report = input.simulate(&input.context());
            let errors: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == stagecraft::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", e.id);
            assert!(report.image.is_some(), "{}", e.id);
        }
    }
}
