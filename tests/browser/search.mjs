// The search page in Debian's headless chromium, against the seeds fixture portal served by
// `gongkai serve`: results as you type, highlighted snippets, facets, the query in the URL,
// keyboard use, hostile input shown as text, the same top results as `gongkai search`, and
// with and without a category, the same results, total and counts per category.
// Usage: node search.mjs http://127.0.0.1:PORT '<JSON: [{q, urls: [CLI top URLs]}]>'
//   '<JSON: [{q, category, total, categories: [[name, count]], urls}] from --format json>'
import { launch } from "./launch.mjs";
import assert from "node:assert/strict";

const base = process.argv[2];
const expected = JSON.parse(process.argv[3] || "[]");
const byCategory = JSON.parse(process.argv[4] || "[]");
const browser = await launch();
let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

/** page.goto, tried twice: on a heavily loaded machine a first navigation can time out. */
async function goto(page, url) {
  try {
    await page.goto(url, { timeout: 20000 });
  } catch (e) {
    console.log(`# retrying ${url}: ${String(e.message || e).split("\n")[0]}`);
    await page.goto(url, { timeout: 30000 });
  }
}

const hits = "#search-results li.gk-search-hit";
const hrefs = (page) => page.$$eval(`${hits} a.gk-search-title`, (as) => as.map((a) => a.getAttribute("href")));
/** Waits until the client has rendered the results of `q` (it then sets data-q). */
async function resultsFor(page, q) {
  await page.waitForFunction((q) => document.getElementById("search-results")?.dataset.q === q, q, { timeout: 30000 });
}

await check("the header search box leads to the search page with the query", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/documents/");
  await page.fill("#site-q", "长白山管委会");
  await page.press("#site-q", "Enter");
  await page.waitForURL(/\/search\/\?q=/, { waitUntil: "commit" });
  await resultsFor(page, "长白山管委会");
  assert.equal(await page.inputValue("#search-input"), "长白山管委会");
  assert.deepEqual(await hrefs(page), ["/documents/2014/jlsheng-fzzf-indicators-2014/"]);
  await page.close();
});

await check("results appear as you type, highlighted, with the query in the URL", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/search/");
  await page.locator("#search-input").pressSequentially("径向市法制局反映", { delay: 20 });
  await resultsFor(page, "径向市法制局反映");
  assert.deepEqual(await hrefs(page), ["/documents/2018/jm-yfxz-2018/"]);
  const marks = await page.$$eval(`${hits} .gk-search-snippet mark`, (ms) => ms.map((m) => m.textContent).join(""));
  assert.ok(marks.includes("径向市法制局反映"), marks);
  assert.match(await page.textContent("#search-status"), /找到 1 条结果/);
  // The shared URL gives the same results in a fresh page.
  const url = page.url();
  const again = await browser.newPage();
  await goto(again, url);
  await resultsFor(again, "径向市法制局反映");
  assert.deepEqual(await hrefs(again), ["/documents/2018/jm-yfxz-2018/"]);
  await again.close();
  await page.close();
});

await check("facets filter with counts and go into the URL", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/search/?q=" + encodeURIComponent("法治政府"));
  await resultsFor(page, "法治政府");
  const before = (await hrefs(page)).length;
  assert.ok(before >= 5, `only ${before} results`);
  const button = page.locator('#search-facets button[data-key="year"][data-value="2014"]');
  assert.match(await button.textContent(), /2014\s*2/);
  await button.click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get("year") === "2014");
  await page.waitForFunction(() => document.querySelectorAll("#search-results li.gk-search-hit").length === 2);
  assert.deepEqual((await hrefs(page)).sort(), ["/documents/2014/jlsheng-fzzf-indicators-2014/", "/documents/2014/jx-fzzf-2014/"]);
  assert.equal(await page.locator('#search-facets button[data-key="year"][data-value="2014"]').getAttribute("aria-pressed"), "true");
  // The agency facet shows names, and a second press clears the year.
  assert.ok((await page.textContent("#search-facets")).includes("吉林省人民政府"));
  await page.locator('#search-facets button[data-key="year"][data-value="2014"]').click();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("year"));
  await page.waitForFunction((n) => document.querySelectorAll("#search-results li.gk-search-hit").length === n, before);
  await page.close();
});

await check("on a phone at 特大 the filters start folded, naming what is chosen, and the first result is on the first screen", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => localStorage.setItem("gk-font", "xlarge"));
  const page = await context.newPage();
  await goto(page, base + "/search/?year=2014&q=" + encodeURIComponent("法治政府"));
  await resultsFor(page, "法治政府");
  const filters = page.locator("#search-facets details.gk-search-filters");
  assert.equal(await filters.evaluate((d) => d.open), false);
  assert.match(await filters.locator("summary").textContent(), /已选“2014”/);
  const top = await page.locator(`${hits}`).first().evaluate((li) => li.getBoundingClientRect().top);
  assert.ok(top < 844, `the first result starts ${top} px down`);
  // Opened by keyboard, the year can be cleared; the panel stays open for the next answer.
  await filters.locator("summary").focus();
  await page.keyboard.press("Enter");
  await page.locator('#search-facets button[data-key="year"][data-value="2014"]').click();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("year"));
  await page.waitForFunction(() => !document.querySelector("#search-facets details.gk-search-filters summary").textContent.includes("已选"));
  assert.equal(await filters.evaluate((d) => d.open), true);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  await context.close();
});

await check("keyboard: / focuses the box, arrows move through results, Enter opens one", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/search/?q=" + encodeURIComponent("法治政府"));
  await resultsFor(page, "法治政府");
  await page.locator("h1").click();
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.press("ArrowDown");
  const first = (await hrefs(page))[0];
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(base + first);
  await page.close();
});

await check("hostile queries are shown as text, never as markup", async () => {
  const page = await browser.newPage();
  const q = '<img src=x onerror="window.__pwned=1">吉林"<b>';
  await goto(page, base + "/search/?q=" + encodeURIComponent(q));
  await resultsFor(page, q);
  assert.equal(await page.locator("#search-results img, #search-results b, #search-facets img").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.inputValue("#search-input"), q);
  await page.close();
});

await check("a query that matches nothing says so", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/search/?q=" + encodeURIComponent("量子纠缠通信卫星"));
  await resultsFor(page, "量子纠缠通信卫星");
  assert.match(await page.textContent("#search-results"), /没有找到与“量子纠缠通信卫星”相关的内容/);
  await page.close();
});

/** What a first query at `query` (the URL's parameters) fetches in a fresh context. */
async function firstQuery(q, query) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const fetched = [];
  page.on("requestfinished", async (r) => {
    if (!r.url().includes("/search/") || r.url().includes("?")) return;
    const res = await r.response();
    fetched.push({ url: r.url(), bytes: (await res.body()).length, status: res.status() });
  });
  const foreign = [];
  // Round trips: a request issued after another index file arrived is one round later.
  const isIndex = (r) => r.url().includes("/search/") && !r.url().includes("?") && !r.url().endsWith("/search/");
  const roundOf = new Map();
  let arrived = 0;
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) foreign.push(r.url());
    if (isIndex(r)) roundOf.set(r, arrived + 1);
  });
  page.on("requestfinished", (r) => {
    if (roundOf.has(r)) arrived = Math.max(arrived, roundOf.get(r));
  });
  await page.goto(base + "/search/?" + query, { waitUntil: "networkidle" });
  await resultsFor(page, q);
  await page.waitForLoadState("networkidle");
  const index = fetched.filter((f) => !f.url.endsWith("/search/"));
  const bytes = index.reduce((n, f) => n + f.bytes, 0);
  const rounds = Math.max(0, ...roundOf.values());
  console.log(`# first query ${decodeURIComponent(query)}: ${index.length} index requests in ${rounds} round trips, ${bytes} bytes, ${await page.getAttribute("#search-results", "data-ms")} ms`);
  await ctx.close();
  return { index, bytes, rounds, foreign };
}

await check("a first query fetches little and nothing from other hosts", async () => {
  const { index, bytes, rounds, foreign } = await firstQuery("吉林市", "q=" + encodeURIComponent("吉林市"));
  assert.ok(index.every((f) => f.status === 206 || f.url.endsWith(".json")), JSON.stringify(index));
  assert.ok(bytes < 50 * 1024, `${bytes} bytes`);
  // The category lists wait until the reader uses them.
  assert.ok(!index.some((f) => f.url.endsWith("categories.bin")), JSON.stringify(index.map((f) => f.url)));
  assert.ok(rounds >= 2 && rounds <= 3, `${rounds} round trips: ${JSON.stringify(index.map((f) => f.url))}`);
  assert.deepEqual(foreign, []);
});

await check("a first query with a category reads the category lists with the postings: still three round trips", async () => {
  const { index, rounds, foreign } = await firstQuery("吉林市", "q=" + encodeURIComponent("吉林市") + "&category=" + encodeURIComponent("综合政务"));
  assert.ok(index.some((f) => f.url.endsWith("categories.bin") && f.status === 206), JSON.stringify(index));
  assert.ok(rounds <= 3, `${rounds} round trips: ${JSON.stringify(index.map((f) => f.url))}`);
  assert.deepEqual(foreign, []);
});

await check("the browser and `gongkai search` return the same top results", async () => {
  assert.ok(expected.length >= 3, "no CLI results to compare with");
  const page = await browser.newPage();
  for (const { q, urls } of expected) {
    await goto(page, base + "/search/?q=" + encodeURIComponent(q));
    await resultsFor(page, q);
    const got = await hrefs(page);
    assert.ok(urls.length > 0, `${q}: the CLI found nothing`);
    assert.equal(got[0], urls[0], `${q}: browser ${JSON.stringify(got.slice(0, 3))}, CLI ${JSON.stringify(urls)}`);
    const k = Math.min(3, urls.length);
    assert.deepEqual(new Set(got.slice(0, k)), new Set(urls.slice(0, k)), `${q}: top ${k}`);
  }
  await page.close();
});

/** The category buttons shown: [name, count, pressed]. */
const categoryButtons = (page) =>
  page.$$eval('#search-facets button[data-key="category"]', (bs) => bs.map((b) => [b.dataset.value, Number(b.querySelector(".gk-search-facet-count").textContent), b.getAttribute("aria-pressed") === "true"]));

await check("with and without a category, the page shows what `gongkai search` finds and counts", async () => {
  assert.ok(byCategory.length >= 3, "no CLI answers to compare with");
  const page = await browser.newPage();
  for (const want of byCategory) {
    const what = `${want.q} in ${want.category}`;
    await goto(page, base + "/search/?q=" + encodeURIComponent(want.q) + (want.category ? "&category=" + encodeURIComponent(want.category) : ""));
    await resultsFor(page, want.q);
    // The counts are read only once shown: with a category chosen they are, otherwise the
    // reader opens them.
    const open = await page.locator("details.gk-search-categories").evaluate((d) => d.open);
    assert.equal(open, Boolean(want.category), what);
    if (!open) await page.locator("details.gk-search-categories > summary").click();
    await page.waitForFunction(() => document.querySelectorAll('#search-facets button[data-key="category"]').length > 0);
    const buttons = await categoryButtons(page);
    assert.deepEqual(buttons.map(([c, n]) => [c, n]), want.categories, what);
    assert.deepEqual(buttons.filter((b) => b[2]).map((b) => b[0]), want.category ? [want.category] : [], what);
    assert.deepEqual((await hrefs(page)).sort(), [...want.urls].sort(), what);
    assert.match(await page.textContent("#search-status"), new RegExp(`找到 ${want.total} 条结果`), what);
  }
  await page.close();
});

await check("categories by keyboard: the summary opens the counts, a button filters, into the URL", async () => {
  const page = await browser.newPage();
  await goto(page, base + "/search/?q=" + encodeURIComponent("法治政府"));
  await resultsFor(page, "法治政府");
  const summary = page.locator("details.gk-search-categories > summary");
  await summary.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll('#search-facets button[data-key="category"]').length > 0);
  // The summary keeps the focus while the counts arrive.
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "SUMMARY");
  assert.equal(await summary.getAttribute("aria-label"), null);
  assert.match(await summary.textContent(), /按分类筛选/);
  await page.keyboard.press("Tab");
  const chosen = await page.evaluate(() => document.activeElement.dataset.value);
  assert.ok(chosen, "Tab leads to a category");
  await page.keyboard.press("Enter");
  await page.waitForFunction((c) => new URLSearchParams(location.search).get("category") === c, chosen);
  await page.waitForFunction((c) => document.querySelector(`#search-facets button[data-key="category"][aria-pressed="true"]`)?.dataset.value === c, chosen);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.value), chosen);
  // A second press clears it.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("category"));
  await page.close();
});

await check("a hostile or unknown category in the URL: no results, said so, shown as text", async () => {
  const page = await browser.newPage();
  const c = '<img src=x onerror="window.__pwned=1">"通知';
  await goto(page, base + "/search/?q=" + encodeURIComponent("法治政府") + "&category=" + encodeURIComponent(c));
  await resultsFor(page, "法治政府");
  assert.match(await page.textContent("#search-results"), /本站没有名为“<img src=x onerror="window.__pwned=1">"通知”的分类/);
  assert.equal(await page.locator("#search-results img, #search-facets img").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator("#search-results li.gk-search-hit").count(), 0);
  // The button clears it, and the results come back.
  await page.locator("#search-results button", { hasText: "清除分类筛选" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#search-results li.gk-search-hit").length > 0);
  assert.equal(new URL(page.url()).searchParams.has("category"), false);
  await page.close();
});

await check("without JavaScript the search page points to the catalogues", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await goto(page, base + "/search/?q=" + encodeURIComponent("法治政府"));
  const links = await page.$$eval(".gk-search-nojs a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.includes("/documents/") && links.includes("/power/"), JSON.stringify(links));
  assert.ok(await page.locator(".gk-search-nojs").isVisible());
  await ctx.close();
});

await browser.close();
console.log(failures === 0 ? "search: all checks passed" : `search: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
