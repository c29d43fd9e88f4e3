// What a person does with the playground, in a real Chromium. Each test opens its own page
// and fails on a request outside the page's origin or on a console error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, open, screenshot, setDockerfile, treePaths } from "./harness.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const TWO_STAGES = `FROM alpine:3.22 AS builder
WORKDIR /src
COPY <<EOF /src/greeting.txt
hello from the builder
EOF

FROM alpine:3.22
COPY --from=builder /src/greeting.txt /app/greeting.txt
`;

test("the page loads and shows a result", async () => {
  const p = await open(await browser.fresh());
  assert.match(await p.page.textContent("#image-size"), /\d+(\.\d+)? (B|kB|MB|GB)/);
  assert.ok(await p.page.isVisible("#stage-graph svg"));
  await screenshot(p.page, "start");
  p.done();
});

test("the site works under a sub-path", async () => {
  const p = await open(await browser.fresh(), "tools/dockerfile/");
  assert.match(await p.page.textContent("#image-size"), /\d/);
  p.done();
});

test("typing a two-stage Dockerfile shows the final size and the copied file; the builder stage has its own files", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await setDockerfile(page, "");
  // Type the last line key by key: the result follows every keystroke, no button.
  const lines = TWO_STAGES.trimEnd().split("\n");
  await setDockerfile(page, lines.slice(0, -1).join("\n") + "\n");
  await page.focus("#dockerfile");
  await page.keyboard.press("Control+End");
  await page.keyboard.type(lines.at(-1));
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  assert.equal(await page.textContent("#image-size"), "8.30 MB");
  assert.equal(await page.textContent("#added-size"), "23 B");
  assert.match(await page.textContent("#layers"), /COPY --from=builder \/src\/greeting.txt \/app\/greeting.txt/);
  // The copied file's content, one click away.
  await page.click('#files li[data-path="/app/greeting.txt"] button.name');
  assert.match(await page.textContent("#viewer .content"), /hello from the builder/);
  await screenshot(page, "two-stages-final");

  // The builder stage: its file is there, and the page says it is not the final image.
  await page.click('#stage-graph [data-stage="0"]');
  await page.waitForSelector('#files li[data-path="/src/greeting.txt"]');
  assert.ok(!(await treePaths(page)).includes("/app/greeting.txt"));
  assert.match(await page.textContent("#image h2"), /Stage builder \(not the target\)/);
  await screenshot(page, "two-stages-builder");

  // Back to the final image with the keyboard: the graph's boxes are buttons.
  await page.click("#show-final");
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  p.done();
});

test("undo takes back a run of typing, not one character", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  const before = await page.inputValue("#dockerfile");
  await page.focus("#dockerfile");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("ENV A=1");
  await page.keyboard.press("Control+z");
  assert.equal(await page.inputValue("#dockerfile"), before + "ENV");
  await page.keyboard.press("Control+z");
  assert.equal(await page.inputValue("#dockerfile"), before);
  await page.keyboard.press("Control+Shift+z");
  assert.equal(await page.inputValue("#dockerfile"), before + "ENV");
  p.done();
});

test("changing the target builds only what it needs", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await setDockerfile(page, TWO_STAGES);
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  await page.selectOption("#target", "builder");
  await page.waitForSelector('#files li[data-path="/src/greeting.txt"]');
  assert.match(await page.textContent("#image h2"), /Final image · target builder/);
  assert.match(await page.getAttribute('#stage-graph [data-stage="1"]', "class"), /unbuilt/);
  assert.match(await page.textContent('#stage-graph [data-stage="1"]'), /not built/);
  await screenshot(page, "target-builder");
  p.done();
});

test("a file added to the build context is copied into the image", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await setDockerfile(page, "FROM alpine:3.22\nCOPY config/ /etc/app/\n");
  await page.fill("#new-path", "config/app.conf");
  await page.selectOption("#new-kind", "text");
  await page.click("#add-entry");
  await page.fill("#file-text", "listen = 8080\n");
  await page.waitForSelector('#files li[data-path="/etc/app/app.conf"]');
  await page.click('#files li[data-path="/etc/app/app.conf"] button.name');
  assert.equal(await page.textContent("#viewer .content"), "listen = 8080\n");
  // A size-only file: 180 MB without typing 180 MB.
  await page.fill("#new-path", "config/big.bin");
  await page.selectOption("#new-kind", "size");
  await page.fill("#new-size", "180 MB");
  await page.click("#add-entry");
  await page.waitForSelector('#files li[data-path="/etc/app/big.bin"]');
  assert.equal(await page.textContent("#added-size"), "180 MB");
  // .dockerignore leaves it out again.
  await page.click("#edit-dockerignore");
  await page.fill("#file-text", "config/*.bin\n");
  await page.waitForFunction(() => !document.querySelector('#files li[data-path="/etc/app/big.bin"]'));
  assert.match(await page.getAttribute('#context li[data-path="config/big.bin"]', "class"), /ignored/);
  // Files from the desktop: names, sizes, and the text of small text files.
  await page.setInputFiles(".file-import input[multiple]", [
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("remember\n") },
    { name: "blob.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(300 * 1024, 7) },
  ]);
  await page.waitForSelector('#context li[data-path="blob.bin"]');
  assert.match(await page.textContent('#context li[data-path="blob.bin"] .size'), /307 kB \(size only\)/);
  assert.equal(await page.textContent('#context li[data-path="notes.txt"] .size'), "9 B");
  // A folder dropped from the desktop: walked through the entries API (webkitGetAsEntry,
  // readEntries in batches until an empty one, file()), with the folder's own name kept.
  // A synthetic drop cannot carry real entries, so it carries objects with the same members.
  await page.evaluate(() => {
    const file = (fullPath, text) => ({
      isFile: true, isDirectory: false, name: fullPath.split("/").pop(), fullPath,
      file: (ok) => ok(new File([text], fullPath.split("/").pop())),
    });
    const dir = (fullPath, batches) => ({
      isFile: false, isDirectory: true, name: fullPath.split("/").pop(), fullPath,
      createReader: () => { let i = 0; return { readEntries: (ok) => ok(batches[i++] || []) }; },
    });
    const root = dir("/site", [
      [file("/site/index.html", "<h1>hi</h1>\n"), dir("/site/img", [[file("/site/img/logo.svg", "<svg/>")]])],
      [file("/site/app.js", "console.log(1)\n"), dir("/site/empty", [])],
    ]);
    const items = { length: 1, 0: { kind: "file", webkitGetAsEntry: () => root } };
    const drop = new DragEvent("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(drop, "dataTransfer", { value: { items, files: [] } });
    document.querySelector("#context").dispatchEvent(drop);
  });
  await page.waitForSelector('#context li[data-path="site/img/logo.svg"]');
  for (const path of ["site/index.html", "site/app.js", "site/empty"]) {
    await page.waitForSelector(`#context li[data-path="${path}"]`);
  }
  assert.equal(await page.textContent('#context li[data-path="site/index.html"] .size'), "12 B");
  await screenshot(page, "context");
  p.done();
});

test("a shared link opens the same state in a fresh browser", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await page.click('button[data-example="node-slim"]');
  await page.selectOption("#target", "deps");
  await page.click("#add-build-arg");
  await page.fill(".arg-name", "NODE_VERSION");
  await page.fill(".arg-value", "22");
  await page.click("#copy-link");
  const link = await page.inputValue("#share-output");
  assert.match(link, /#s=[A-Za-z0-9_-]+$/);
  const before = await snapshot(page);
  p.done();

  const q = await open(await browser.fresh(), link);
  assert.deepEqual(await snapshot(q.page), before);
  q.done();
});

async function snapshot(page) {
  return {
    dockerfile: await page.inputValue("#dockerfile"),
    target: await page.inputValue("#target"),
    context: await page.$$eval("#context li[data-path]", (els) => els.map((e) => e.dataset.path + " " + e.querySelector(".size").textContent)),
    args: await page.$$eval(".arg input", (els) => els.map((e) => e.value)),
    size: await page.textContent("#image-size"),
    files: await treePaths(page),
  };
}

test("a damaged link shows a message, not a crash", async () => {
  for (const fragment of ["#s=!!!not-base64", "#s=eJzLSM3JyQcABiwCFQ", "#s=" + "A".repeat(5000), "#dockerfile=%E2%28"]) {
    const p = await open(await browser.fresh(), fragment);
    assert.match(await p.page.textContent("#notice"), /link/i, fragment);
    assert.match(await p.page.textContent("#image-size"), /\d/);
    p.done();
  }
});

test("the last session survives a reload", async () => {
  const context = await browser.fresh();
  const p = await open(context);
  await setDockerfile(p.page, "FROM busybox:latest\nWORKDIR /kept\n");
  await p.page.waitForTimeout(50);
  await p.page.reload();
  await p.page.waitForSelector("#app[data-ready]");
  assert.equal(await p.page.inputValue("#dockerfile"), "FROM busybox:latest\nWORKDIR /kept\n");
  p.done();
});

test("embed mode renders compactly, read-only on request, and tells its parent its height", async () => {
  const p = await open(await browser.fresh());
  await p.page.click('button[data-example="go-scratch"]');
  await p.page.click("#copy-embed");
  const snippet = await p.page.inputValue("#share-output");
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed#s=[A-Za-z0-9_-]+"/);
  p.done();

  const src = new URL("?embed&readonly#dockerfile=" + encodeURIComponent(TWO_STAGES), process.env.STAGECRAFT_URL).href;
  const e = await open(await browser.fresh(), src);
  assert.ok(await e.page.isVisible(".app.embed"));
  assert.equal(await e.page.isVisible("#context"), false);
  assert.equal(await e.page.isEditable("#dockerfile"), false);
  await e.page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  await e.page.setViewportSize({ width: 900, height: 700 });
  await screenshot(e.page, "embed");
  e.done();

  // In a host page: the iframe posts its content height.
  const host = await (await browser.fresh()).newPage();
  await host.setContent("<p>A docs page</p>");
  const height = await host.evaluate(
    (src) =>
      new Promise((resolve, reject) => {
        addEventListener("message", (e) => {
          if (e.data && e.data.type === "stagecraft:height") resolve(e.data.height);
        });
        const f = document.createElement("iframe");
        f.src = src;
        document.body.append(f);
        setTimeout(() => reject(new Error("no height message")), 20000);
      }),
    src,
  );
  assert.ok(height > 200, `height ${height}`);
});

test("every example loads without an error diagnostic or a console error", async () => {
  const p = await open(await browser.fresh());
  const ids = await p.page.$$eval("button[data-example]", (els) => els.map((e) => e.dataset.example));
  assert.ok(ids.length >= 11, ids.join());
  for (const id of ids) {
    await p.page.click(`button[data-example="${id}"]`);
    await p.page.waitForSelector(`button[data-example="${id}"][aria-pressed="true"]`);
    assert.equal(await p.page.$$eval("#diagnostics .diag.error", (els) => els.length), 0, id);
    if (id === "java-multi" || id === "not-shared") await screenshot(p.page, `example-${id}`);
  }
  p.done();
});

const CASING = `FROM alpine:3.22 as Builder
RUN echo hi > /greeting
FROM alpine:3.22
COPY --from=builder /greeting /greeting
`;

/** The diagnostics list entry of a check code. */
const entry = (code) => `#diagnostics li:has(code.code-name:text-is("${code}"))`;

test("a build check's suggested fix applies with one click and its diagnostic goes", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await setDockerfile(page, CASING);
  await page.waitForSelector(entry("StageNameCasing"));
  assert.match(await page.textContent(entry("StageNameCasing")), /Stage name 'Builder' should be lowercase/);
  // The explanation is one click away.
  await page.click(`${entry("StageNameCasing")} details.why summary`);
  assert.match(await page.textContent(`${entry("StageNameCasing")} details.why p`), /case-insensitive/);
  await screenshot(page, "check-fix-before");
  await page.click(`${entry("StageNameCasing")} button.fix`);
  await page.waitForSelector(entry("StageNameCasing"), { state: "detached" });
  assert.equal(await page.inputValue("#dockerfile"), CASING.replace("as Builder", "as builder"));
  // The other casing problem has its own fix.
  await page.click(`${entry("FromAsCasing")} button.fix`);
  await page.waitForSelector(entry("FromAsCasing"), { state: "detached" });
  assert.equal(await page.inputValue("#dockerfile"), CASING.replace("as Builder", "AS builder"));
  await screenshot(page, "check-fix-after");
  p.done();
});

const APT_CURL = `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
`;

/** The text of the diagnostics list. */
async function diagnostics(page) {
  return page.textContent("#diagnostics");
}

test("the package data arrives after the first render and replaces apt-get's estimate", async () => {
  const context = await browser.fresh();
  // Hold the Debian index back until the estimate has been seen.
  let release;
  const held = new Promise((r) => (release = r));
  const requested = [];
  await context.route("**/data/*.tsv.gz", async (route) => {
    requested.push(new URL(route.request().url()).pathname);
    if (route.request().url().includes("debian-bookworm")) await held;
    await route.continue();
  });
  const p = await open(context, "tools/dockerfile/#dockerfile=" + encodeURIComponent(APT_CURL));
  const { page } = p;
  assert.equal(await page.getAttribute("#app", "data-packages"), "loading");
  assert.match(await page.textContent("#package-data"), /loading package data/);
  assert.match(await diagnostics(page), /PackageEstimate/);
  assert.match(await diagnostics(page), /Debian's package index is not loaded/);
  const estimated = await page.textContent("#image-size");

  release();
  await page.waitForSelector('#app[data-packages="loaded"]', { timeout: 30000 });
  assert.equal(await page.$("#package-data"), null, "the status is gone once the data is in");
  const diags = await diagnostics(page);
  assert.doesNotMatch(diags, /PackageEstimate/);
  assert.match(diags, /apt-get install`: \d+ new packages \(1 requested, [1-9]\d* dependencies/);
  assert.notEqual(await page.textContent("#image-size"), estimated);
  // Relative URLs: under the page's own path, same origin.
  assert.deepEqual(requested.sort(), ["/tools/dockerfile/data/debian-bookworm-amd64.tsv.gz", "/tools/dockerfile/data/image-packages.tsv.gz"]);
  await screenshot(page, "apt-curl");
  p.done();
});

test("without the package data the page says so once and keeps working on estimates", async () => {
  const context = await browser.fresh();
  await context.route("**/data/debian-bookworm-amd64.tsv.gz", (route) => route.fulfill({ status: 404, body: "not found" }));
  const p = await open(context, "#dockerfile=" + encodeURIComponent(APT_CURL));
  const { page } = p;
  await page.waitForSelector('#app[data-packages="failed"]', { timeout: 30000 });
  assert.match(await page.textContent("#package-data"), /could not be loaded \(data\/debian-bookworm-amd64\.tsv\.gz: HTTP 404/);
  assert.equal((await page.$$("#package-data")).length, 1);
  assert.match(await diagnostics(page), /PackageEstimate/);
  // Still simulating.
  await setDockerfile(page, APT_CURL + "COPY <<EOF /srv/note.txt\nhi\nEOF\n");
  await page.waitForSelector('#files li[data-path="/srv/note.txt"]');
  // The browser itself logs the failed request; nothing else may be logged.
  assert.ok(p.errors.every((e) => /Failed to load resource.*404/.test(e)), p.errors.join("\n"));
  p.errors.length = 0;
  p.done();
});

/** The build log's step entries (not the internal ones): [name, status]. */
async function logSteps(page) {
  return page.$$eval("#build-log li.entry:not(.internal)", (els) =>
    // "#9 [build 4/5] COPY *.go ./" without its number.
    els.map((e) => [e.querySelector(".log-name").textContent.replace(/^#\d+ /, ""), e.dataset.status, e.classList.contains("first-miss-entry")]),
  );
}

test("editing a context file: the build log marks the steps before the first miss CACHED and names the file", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  // The default example (Go into alpine), built once when it opened: nothing to rebuild.
  await page.click("#build-log-panel summary");
  await page.waitForSelector("#build-log");
  assert.match(await page.textContent("#cache-summary"), /Nothing changed/);
  assert.ok((await logSteps(page)).every(([, status]) => status === "CACHED"));

  await page.click('#context li[data-path="main.go"] button.name');
  await page.fill("#file-text", 'package main\n\nfunc main() { println("changed") }\n');
  await page.waitForSelector("#first-miss");
  const miss = await page.textContent("#first-miss");
  assert.match(miss, /main\.go/);
  assert.match(miss, /COPY \*\.go \.\//);
  const steps = await logSteps(page);
  const first = steps.findIndex(([, , isFirst]) => isFirst);
  assert.match(steps[first][0], /\[build \d\/\d\] COPY \*\.go \.\//);
  assert.equal(steps[first][1], "DONE");
  // The builder's steps before it come from the cache, its steps after it run again.
  const builder = steps.filter(([name]) => name.startsWith("[build "));
  const at = builder.findIndex(([, , isFirst]) => isFirst);
  assert.ok(at > 0);
  assert.deepEqual(builder.slice(0, at).map(([, s]) => s), Array(at).fill("CACHED"));
  assert.deepEqual(builder.slice(at).map(([, s]) => s), Array(builder.length - at).fill("DONE"));
  assert.match(await page.textContent("#cache-summary"), /\d+ of \d+ steps from the cache, \d+ run again/);
  await screenshot(page, "build-log-first-miss");

  // Build: this becomes the cache, and running it again would change nothing.
  await page.click("#build-now");
  await page.waitForFunction(() => !document.querySelector("#first-miss"));
  assert.match(await page.textContent("#cache-summary"), /Nothing changed/);
  p.done();
});

test("stepping through a build: the editor marks the instruction, the files and the explanation follow", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await setDockerfile(page, TWO_STAGES);
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  await page.click("#step-through summary");
  await page.waitForSelector("#stepper");
  assert.equal(await page.textContent("#step-count"), "Step 1 of 5");
  assert.match(await page.textContent("#step-explanation"), /^FROM starts the stage from .*alpine:3\.22/);
  assert.equal(await page.getAttribute("#current-step", "data-line"), "1");
  assert.match(await page.textContent("#files-caption"), /after step 1 of 5 \(stage builder, line 1\)/);
  assert.ok(!(await treePaths(page)).includes("/src/greeting.txt"));

  // With the keyboard: the panel takes focus, the arrows step.
  await page.focus("#stepper");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.textContent("#step-count"), "Step 3 of 5");
  assert.equal(await page.getAttribute("#current-step", "data-line"), "3");
  assert.match(await page.textContent("#step-explanation"), /^COPY /);
  await page.waitForSelector('#files li[data-path="/src/greeting.txt"]');
  // The heredoc's body belongs to the instruction: the mark covers its lines.
  assert.equal(await page.$eval("#current-step", (e) => e.getBoundingClientRect().height), 60);

  await page.keyboard.press("End");
  assert.equal(await page.textContent("#step-count"), "Step 5 of 5");
  assert.match(await page.textContent("#step-explanation"), /^COPY --from=builder copied 1 file, 23 B, from stage builder/);
  assert.equal(await page.getAttribute("#current-step", "data-line"), "8");
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  assert.ok(!(await treePaths(page)).includes("/src/greeting.txt"));
  // The graph shows which stage the step belongs to.
  assert.match(await page.getAttribute('#stage-graph [data-stage="1"]', "class"), /selected/);
  await screenshot(page, "step-through");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "step-through-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // The buttons.
  await page.click("#step-prev");
  assert.equal(await page.textContent("#step-count"), "Step 4 of 5");
  await page.click("#step-first");
  assert.equal(await page.textContent("#step-count"), "Step 1 of 5");
  await page.click("#step-next");
  await page.click("#step-next");
  assert.equal(await page.textContent("#step-count"), "Step 3 of 5");
  // Closing the panel: the final image's files and no mark.
  await page.click("#step-through summary");
  await page.waitForFunction(() => !document.querySelector("#current-step"));
  assert.equal(await page.$("#files-caption"), null);
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  p.done();
});

/** "318 MB" → bytes (decimal units, as the page prints them). */
function bytes(text) {
  const m = text.trim().match(/^([\d.]+) (B|kB|MB|GB)$/);
  assert.ok(m, text);
  return Number(m[1]) * { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[2]];
}

test("what-ifs: pin a single-stage build, open the multi-stage one and see the saving; the single-stage twin", async () => {
  const p = await open(await browser.fresh());
  const { page } = p;
  await page.click('button[data-example="java-single"]');
  await page.click("#pin");
  await page.waitForSelector("#diff-same");
  assert.equal(await page.textContent("#baseline-label"), "Java in one stage");
  const single = bytes(await page.textContent("#image-size"));

  await page.click('button[data-example="java-multi"]');
  await page.waitForFunction(() => !document.querySelector("#diff-same"));
  const multi = bytes(await page.textContent("#image-size"));
  assert.ok(multi < single, `${multi} < ${single}`);
  assert.match(await page.textContent("#diff-size"), /^-\d/);
  assert.ok(Math.abs(bytes((await page.textContent("#diff-size")).slice(1)) - (single - multi)) < single * 0.01);
  // The builder is a new stage; the JDK's files are gone from the final image.
  assert.match(await page.textContent('#diff-stages tr[data-stage="build"]'), /build/);
  assert.match(await page.textContent("#diff-files"), /\/opt\/java\/openjdk/);
  assert.match(await page.textContent("#diff-layers"), /COPY --from=build/);
  await screenshot(page, "whatif-diff");

  // The twin: the same build in one stage, its size beside the multi-stage one.
  await page.click("#twin");
  await page.waitForSelector("#twin-size");
  assert.equal(bytes(await page.textContent("#twin-multi-size")), multi);
  const twin = bytes(await page.textContent("#twin-size"));
  assert.ok(twin > multi, `${twin} > ${multi}`);
  assert.match(await page.textContent("#twin-view"), /Multi-stage saves/);
  await screenshot(page, "whatif-twin");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "whatif-twin-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Open the twin: the multi-stage build becomes the baseline, the twin is bigger.
  await page.click("#open-twin");
  await page.waitForFunction(() => !document.querySelector("#twin-view"));
  assert.doesNotMatch(await page.inputValue("#dockerfile"), /FROM .* AS build/);
  assert.equal(await page.textContent("#baseline-label"), "Java: builder pattern, multi-stage");
  assert.match(await page.textContent("#diff-size"), /^\+\d/);
  assert.equal(bytes(await page.textContent("#image-size")), twin);
  // Back to the baseline, then unpinned.
  await page.click("#open-baseline");
  await page.waitForSelector("#diff-same");
  await page.click("#unpin");
  await page.waitForFunction(() => !document.querySelector("#diff-view"));
  p.done();
});

test("the page shows its editor before the simulator is in, then the result; the first download is one wasm module", async () => {
  const context = await browser.fresh();
  // Hold the engine back: what the page shows meanwhile is what a slow link shows.
  let release;
  const held = new Promise((r) => (release = r));
  await context.route("**/stagecraft_engine*", async (route) => {
    await held;
    await route.continue();
  });
  const wasm = [];
  context.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) wasm.push(name);
  });
  const p = await open(context, "", { ready: false });
  const { page } = p;
  assert.match(await page.textContent("#engine-status"), /Loading the simulator/);
  assert.equal(await page.getAttribute("#app", "data-engine"), "loading");
  assert.equal(await page.getAttribute("#app", "data-ready"), null);
  assert.ok(await page.isVisible("#dockerfile"));
  assert.ok(await page.isVisible("#context"));
  assert.equal(await page.$("#image-size"), null, "no result without the simulator");
  // Comments are coloured without the engine; keywords come with its first result.
  await setDockerfile(page, "# two stages\n" + TWO_STAGES);
  await page.waitForSelector(".highlight .t-comment");
  assert.equal(await page.$(".highlight .t-kw"), null);
  assert.deepEqual(wasm, ["stagecraft_web_bg.wasm"], "the first download has the page's module only");
  await screenshot(page, "before-the-engine");

  release();
  await page.waitForSelector("#app[data-ready] #image-size");
  assert.equal(await page.getAttribute("#app", "data-engine"), "ready");
  assert.equal(await page.$("#engine-status"), null);
  // What was typed meanwhile is what gets simulated.
  await page.waitForSelector('#files li[data-path="/app/greeting.txt"]');
  await page.waitForSelector(".highlight .t-kw");
  assert.deepEqual(wasm.sort(), ["stagecraft_engine_bg.wasm", "stagecraft_web_bg.wasm"]);
  p.done();
});

test("if the simulator cannot be loaded, the page says so where the results go and keeps the editor", async () => {
  const context = await browser.fresh();
  await context.route("**/stagecraft_engine_bg.wasm", (route) => route.fulfill({ status: 404, body: "not found" }));
  const p = await open(context);
  const { page } = p;
  assert.equal(await page.getAttribute("#app", "data-engine"), "failed");
  assert.match(await page.textContent("#engine-status"), /The simulator could not be loaded .*Reload the page/);
  assert.ok(await page.isVisible("#dockerfile"));
  assert.equal(await page.$("#image-size"), null);
  // The browser logs the failed request (and wasm-bindgen's fallback warning about the MIME type); nothing else.
  assert.ok(p.errors.every((e) => /Failed to load resource.*404|WebAssembly/.test(e)), p.errors.join("\n"));
  p.errors.length = 0;
  p.done();
});
