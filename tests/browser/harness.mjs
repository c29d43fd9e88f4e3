// Shared set-up of the browser tests: Debian's chromium driven by playwright-core, the site
// served by `cargo xtask test` at $STAGECRAFT_URL, screenshots in $STAGECRAFT_ARTIFACTS.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

export const BASE = process.env.STAGECRAFT_URL;
if (!BASE) {
  throw new Error("STAGECRAFT_URL is not set: run the browser tests through `cargo xtask test`, which builds and serves the site");
}
const ARTIFACTS = process.env.STAGECRAFT_ARTIFACTS || new URL("../artifacts", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

/** A fresh headless browser with its own profile directory. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "stagecraft-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
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
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page of the site and records what must not happen: requests to another origin
 * and console errors. `done()` asserts neither happened.
 */
export async function open(context, path = "") {
  const page = await context.newPage();
  const origin = new URL(BASE).origin;
  const foreign = [];
  const errors = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) foreign.push(url);
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL(path, BASE).href);
  await page.waitForSelector("#app[data-ready]", { timeout: 30000 });
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
