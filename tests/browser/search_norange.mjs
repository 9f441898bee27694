// The search page in Debian's headless chromium on hosts that ignore Range (tests/site/browser.rs
// NoRangeHost: 200 and the whole file to every request, sent slowly, with a log of what it
// sent at /__log). On the first host the index is small: the client stops each range
// request's transfer at its headers, loads the index files whole once, and finds. The
// second claims (in meta.json) an index over the client's budget: the page says search
// cannot work on this host, having downloaded little, and asks for nothing more.
// Usage: node search_norange.mjs SMALL_BASE OVER_BUDGET_BASE
import { launch } from "./launch.mjs";
import assert from "node:assert/strict";
import { NO_RANGE_MESSAGE } from "../../themes/default/static/search.js";

const [small, over] = process.argv.slice(2);
const browser = await launch();
let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

/** The index files the host served (`from` on), once every transfer has ended. */
async function served(base, from = 0) {
  for (let i = 0; ; i++) {
    const log = (await (await fetch(base + "/__log")).json()).filter((e) => e.path.startsWith("/search/") && e.path.endsWith(".bin"));
    if (log.every((e) => e.done) || i === 100) return log.slice(from);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Waits until the client has answered `q` (results, or a notice: it then sets data-q). */
async function answered(page, q) {
  await page.waitForFunction((q) => document.getElementById("search-results")?.dataset.q === q, q, { timeout: 30000 });
}

const hrefs = (page) => page.$$eval("#search-results li.gk-search-hit a.gk-search-title", (as) => as.map((a) => a.getAttribute("href")));

/** Types `q` into the search box as a reader would, and waits for its answer. */
async function ask(page, q) {
  await page.fill("#search-input", q);
  await page.press("#search-input", "Enter");
  await answered(page, q);
}

// The real sizes of the index files (the over-budget host serves the same files).
const meta = await (await fetch(small + "/search/meta.json")).json();
const sizeOf = (e) => meta.files[e.path.slice("/search/".length)];

/** Each transfer a range request started was stopped before half its file went out. */
function rangedStopped(log) {
  const ranged = log.filter((e) => e.range);
  assert.ok(ranged.length >= 1, JSON.stringify(log));
  for (const e of ranged) {
    assert.equal(e.size, sizeOf(e), e.path);
    assert.ok(e.sent < e.size / 2, `${e.path}: ${e.sent} of ${e.size} bytes sent for a range request`);
  }
  return ranged;
}

await check("a small index is loaded whole once per page, and every query finds", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const start = (await served(small)).length;
  await page.goto(small + "/search/?q=" + encodeURIComponent("径向市法制局反映"), { timeout: 30000 });
  await answered(page, "径向市法制局反映");
  assert.deepEqual(await hrefs(page), ["/documents/2018/jm-yfxz-2018/"]);
  const first = await served(small, start);
  await ask(page, "法治政府");
  const many = await hrefs(page);
  assert.ok(many.length >= 5, JSON.stringify(many));
  await ask(page, "行政许可");
  assert.ok((await hrefs(page)).length >= 1);
  const log = await served(small, start);
  // Nothing after the first query: the files it loaded whole answer the others.
  assert.deepEqual(log, first);
  const ranged = rangedStopped(log);
  const whole = log.filter((e) => !e.range);
  const names = whole.map((e) => e.path).sort();
  assert.deepEqual(names, [...new Set(names)], "a file loaded whole twice");
  assert.ok(names.includes("/search/dict.bin") && names.includes("/search/docs.bin"), JSON.stringify(names));
  for (const e of whole) assert.equal(e.sent, sizeOf(e), e.path);
  const bytes = log.reduce((n, e) => n + e.sent, 0);
  const files = Object.values(meta.files).reduce((n, s) => n + s, 0);
  console.log(`# small index: ${ranged.length} range requests stopped after ${ranged.reduce((n, e) => n + e.sent, 0)} bytes, ${whole.length} files loaded whole (${bytes} bytes in all, the files are ${files})`);
  assert.ok(bytes <= files + ranged.length * 64 * 1024, `${bytes} bytes`);
  await ctx.close();
});

await check("over the budget the page says search cannot work here, after a bounded download", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const start = (await served(over)).length;
  await page.goto(over + "/search/?q=" + encodeURIComponent("法治政府"), { timeout: 30000 });
  await answered(page, "法治政府");
  assert.equal((await page.textContent("#search-results .gk-search-norange")).trim(), NO_RANGE_MESSAGE);
  assert.equal(await page.locator("#search-results li.gk-search-hit").count(), 0);
  assert.equal(await page.textContent("#search-status"), "站内检索暂不可用");
  const first = await served(over, start);
  const ranged = rangedStopped(first);
  assert.deepEqual(first.filter((e) => !e.range), [], "an index file loaded whole");
  // Another query: the same notice, and no request.
  await ask(page, "行政许可");
  assert.equal((await page.textContent("#search-results .gk-search-norange")).trim(), NO_RANGE_MESSAGE);
  assert.deepEqual(await served(over, start), first);
  const bytes = first.reduce((n, e) => n + e.sent, 0);
  console.log(`# over the budget: ${ranged.length} range requests stopped after ${bytes} bytes`);
  await ctx.close();
});

await browser.close();
console.log(failures === 0 ? "search without Range: all checks passed" : `search without Range: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
