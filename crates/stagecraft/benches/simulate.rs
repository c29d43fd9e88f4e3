//! Simulation speed: the whole real-world corpus (../shared/corpus/real-world) and a typical
//! tutorial multi-stage Dockerfile, plus parsing alone as the floor to compare against.
//! Run: `cargo bench -p stagecraft`.

use std::collections::BTreeMap;

use stagecraft::{BuildContext, Simulation};

fn main() {
    divan::main();
}

const TUTORIAL: &str = "\
FROM golang:1.22 AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.20 AS runtime
RUN addgroup -S app && adduser -S app -G app
WORKDIR /app
COPY --from=builder /out/app /app/app
COPY config.yaml /app/
ENV APP_ENV=production PORT=8080
EXPOSE 8080
USER app
HEALTHCHECK CMD wget -qO- localhost:8080/health || exit 1
ENTRYPOINT [\"/app/app\"]
";

fn tutorial_context() -> BuildContext {
    let mut ctx = BuildContext::new();
    ctx.add_file("go.mod", "module example.com/app\ngo 1.22\n");
    ctx.add_file("go.sum", "");
    ctx.add_file("cmd/app/main.go", "package main\nfunc main() {}\n");
    ctx.add_file("config.yaml", "port: 8080\n");
    ctx
}

fn corpus() -> Vec<String> {
    corpus_files().into_iter().map(|f| f.text).collect()
}

/// One real-world Dockerfile, shown by its file name in the per-file benchmark.
struct CorpusFile {
    name: String,
    text: String,
}

impl std::fmt::Display for CorpusFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

fn corpus_files() -> Vec<CorpusFile> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real-world");
    let mut files: Vec<_> = std::fs::read_dir(dir).map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect()).unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "Dockerfile"));
    files.sort();
    files
        .iter()
        .filter_map(|p| Some(CorpusFile { name: p.file_name()?.to_string_lossy().trim_end_matches(".Dockerfile").to_string(), text: std::fs::read_to_string(p).ok()? }))
        .collect()
}

fn simulate(text: &str, ctx: &BuildContext) -> stagecraft::Report {
    stagecraft::simulate(&Simulation {
        dockerfile: text,
        dockerfile_name: None,
        context: ctx,
        build_args: BTreeMap::new(),
        target: None,
        strict: false,
    })
}

#[divan::bench]
fn tutorial_multistage(b: divan::Bencher) {
    let ctx = tutorial_context();
    b.bench(|| simulate(divan::black_box(TUTORIAL), &ctx));
}

#[divan::bench]
fn real_world_corpus_simulate(b: divan::Bencher) {
    let files = corpus();
    let ctx = BuildContext::new();
    b.bench(|| files.iter().map(|f| simulate(f, &ctx).diagnostics.len()).sum::<usize>());
}

/// Each real-world file on its own: issue 4 asks for under 50 ms a file, natively.
/// `cargo bench -p stagecraft -- real_world_each_file` lists them all; the slowest is the figure.
#[divan::bench(args = corpus_files(), sample_count = 20)]
fn real_world_each_file(b: divan::Bencher, file: &CorpusFile) {
    let ctx = BuildContext::new();
    b.bench(|| simulate(divan::black_box(&file.text), &ctx));
}

#[divan::bench]
fn real_world_corpus_parse_only(b: divan::Bencher) {
    let files = corpus();
    b.bench(|| files.iter().filter_map(|f| parse_dockerfile::parse(f).ok()).map(|d| d.instructions.len()).sum::<usize>());
}

/// The build checks alone, on reports already made: their share of `simulate` (which runs them).
#[divan::bench]
fn checks_only_tutorial(b: divan::Bencher) {
    let ctx = tutorial_context();
    let report = simulate(TUTORIAL, &ctx);
    let args = BTreeMap::new();
    b.bench(|| {
        stagecraft::checks::run(&stagecraft::checks::Input { source: TUTORIAL, report: &report, ignore: None, build_args: &args }).len()
    });
}

#[divan::bench]
fn checks_only_real_world_corpus(b: divan::Bencher) {
    let files = corpus();
    let ctx = BuildContext::new();
    let reports: Vec<_> = files.iter().map(|f| simulate(f, &ctx)).collect();
    let args = BTreeMap::new();
    b.bench(|| {
        files
            .iter()
            .zip(&reports)
            .map(|(f, r)| stagecraft::checks::run(&stagecraft::checks::Input { source: f, report: r, ignore: None, build_args: &args }).len())
            .sum::<usize>()
    });
}
