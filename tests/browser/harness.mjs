// Shared set-up of the browser tests: Debian's chromium driven by playwright-core, the site
// served by `cargo xtask test` at $STAGECRAFT_URL, screenshots in $STAGECRAFT_ARTIFACTS.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

export const BASE = process.env.STAGECRAFT_URL;
if (!BASE) {
  throw new Error("STAGECRAFT_URL is not set: run the browser tests through `cargo xtask test`, which builds and serves the site");
}
const ARTIFACTS = process.env.STAGECRAFT_ARTIFACTS || new URL("../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** A headless browser; each `fresh()` context is a new profile (storage, cache). */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const contexts = [];
  return {
    async fresh() {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
    },
  };
}

/**
 * Opens a page of the site and records what must not happen: requests to another origin
 * and console errors. `done()` asserts neither happened. Waits for the first result (the
 * engine loaded: `#app[data-ready]`) unless `ready` is false.
 */
export async function open(context, path = "", { ready = true } = {}) {
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  const foreign = [];
  const errors = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) foreign.push(url);
  });
  page.on("console", (m) => {
    // The page has no reason to log: an error or a warning is a bug.
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL(path, BASE).href);
  await page.waitForSelector(ready ? "#app[data-ready]" : "#app", { timeout: 30000 });
  return {
    page,
    foreign,
    errors,
    done() {
      assert.deepEqual(foreign, [], "requests outside the page's origin");
      assert.deepEqual(errors, [], "console errors");
    },
  };
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function saveArtifact(name, text) {
  writeFileSync(join(ARTIFACTS, name), text);
}

/** Replaces the editor's text as a paste would (one input event). */
export async function setDockerfile(page, text) {
  await page.fill("#dockerfile", text);
}

/** The paths shown in the file tree. */
export async function treePaths(page) {
  return page.$$eval("#files li[data-path]", (els) => els.map((e) => e.dataset.path));
}
