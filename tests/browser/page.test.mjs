import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, open, screenshot } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test("the page loads and shows a result, with no foreign request and no console error", async () => {
  const p = await open(browser.context);
  const size = await p.page.textContent("#image-size");
  assert.match(size, /\d+(\.\d+)? (B|kB|MB|GB)/);
  await screenshot(p.page, "start");
  p.done();
});

test("the site works under a sub-path", async () => {
  const p = await open(browser.context, "tools/dockerfile/");
  assert.match(await p.page.textContent("#image-size"), /\d/);
  p.done();
});
