// Every kind of page of the demo portal in Debian's headless chromium, under the
// Content-Security-Policy the pages declare: the policy is there, right after the charset;
// nothing a page does is refused by it (no securitypolicyviolation event, no "Content
// Security Policy" console error); and what the scripts do still works: search as you type,
// the font-size switch, high contrast, the print button, the deadline recount, and sorting
// the report comparison.
// Usage: node csp.mjs http://127.0.0.1:PORT '<the policy text>'
// The portal is served as built on 2025-03-10; the browser's clock says 2025-04-01.
import { launch } from "./launch.mjs";
import { PAGE_KINDS } from "./pages.mjs";
import assert from "node:assert/strict";

const base = process.argv[2];
const policy = process.argv[3];
assert.ok(policy, "usage: node csp.mjs BASE POLICY");

const browser = await launch();

/** A browser context as a visitor's on 2025-04-01, recording what the policy refuses. */
async function visitor() {
  const context = await browser.newContext();
  await context.clock.setFixedTime(new Date("2025-04-01T10:00:00+08:00"));
  // Before any script of the page: record refusals, and count print requests instead of
  // opening a print dialog.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    }, true);
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  const refusals = [];
  context.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) refusals.push(`${m.page()?.url()}: ${m.text()}`);
  });
  return { context, refusals };
}

let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

/** page.goto, tried twice: on a heavily loaded machine a first navigation can time out. */
async function goto(page, url) {
  try {
    await page.goto(url, { timeout: 20000, waitUntil: "load" });
  } catch (e) {
    console.log(`# retrying ${url}: ${String(e.message || e).split("\n")[0]}`);
    await page.goto(url, { timeout: 30000, waitUntil: "load" });
  }
}

const violations = (page) => page.evaluate(() => window.__violations);

await check("the checks see what the policy refuses", async () => {
  // Without this, a listener that never fires would pass every check below.
  const { context, refusals } = await visitor();
  const page = await context.newPage();
  await goto(page, base + "/");
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__ran = true;";
    document.body.append(s);
    document.body.insertAdjacentHTML("beforeend", '<img src="/assets/style.css" onerror="window.__ran = true">');
  });
  await page.waitForFunction(() => window.__violations.length >= 2);
  assert.equal(await page.evaluate(() => window.__ran), undefined, "an inline script ran");
  assert.ok(refusals.length >= 1, "chromium logged no refusal");
  await context.close();
});

const { context, refusals } = await visitor();

await check("every kind of page declares the policy and breaks none of it", async () => {
  const page = await context.newPage();
  const problems = [];
  for (const path of PAGE_KINDS) {
    await goto(page, base + path);
    await page.waitForLoadState("networkidle");
    const head = await page.evaluate(() => [...document.head.children].slice(0, 2).map((e) => [
      e.getAttribute("charset"), e.getAttribute("http-equiv"), e.getAttribute("content"),
    ]));
    if (!head[0]?.[0] || head[1]?.[1] !== "Content-Security-Policy" || head[1]?.[2] !== policy) {
      problems.push(`${path}: head starts ${JSON.stringify(head)}`);
    }
    for (const v of await violations(page)) problems.push(`${path}: ${v}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

await check("search: the header box leads to results that appear as you type", async () => {
  const page = await context.newPage();
  await goto(page, base + "/documents/");
  await page.fill("#site-q", "营商环境");
  await page.press("#site-q", "Enter");
  await page.waitForURL(/\/search\/\?q=/);
  await page.waitForFunction(() => document.getElementById("search-results")?.dataset.q === "营商环境", null, { timeout: 30000 });
  assert.ok(await page.locator("#search-results li.gk-search-hit").count() > 0, "no results");
  await page.fill("#search-input", "");
  await page.locator("#search-input").pressSequentially("行政许可", { delay: 20 });
  await page.waitForFunction(() => document.getElementById("search-results")?.dataset.q === "行政许可", null, { timeout: 30000 });
  assert.ok(await page.locator("#search-results li.gk-search-hit").count() > 0, "no results");
  assert.deepEqual(await violations(page), []);
  await page.close();
});

await check("reading aids: font size, high contrast and the print button", async () => {
  const page = await context.newPage();
  await goto(page, base + "/documents/2025/gov-business-env-2025/");
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main p, main li, main td")).fontSize));
  const before = await size();
  await page.getByRole("button", { name: "特大" }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.font), "xlarge");
  assert.ok((await size()) >= before * 1.3, "text did not grow");
  const toggle = page.getByRole("button", { name: "高对比度" });
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("high-contrast")));
  await page.getByRole("button", { name: "打印本页" }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1, "the print button did nothing");
  assert.deepEqual(await violations(page), []);
  // Put the aids back for the pages after this one (they are remembered).
  await page.getByRole("button", { name: "标准" }).click();
  await toggle.click();
  await page.close();
});

await check("deadlines: the counts are redone for the visitor's day", async () => {
  const page = await context.newPage();
  await goto(page, base + "/decisions/2025/school-district-adjustment/");
  // Built on 2025-03-10, when the consultation (to 2025-03-24) was open; read on 2025-04-01.
  assert.equal((await page.textContent(".consultation-countdown .days")).trim(), "已截止 8 天");
  assert.match(await page.textContent(".consultation-countdown"), /^公开征求意见已截止/);
  await goto(page, base + "/deadlines/");
  const note = page.locator(".countdown-note");
  assert.ok(await note.isVisible(), "the recount note is hidden");
  assert.match(await note.textContent(), /2025-04-01/);
  assert.deepEqual(await violations(page), []);
  await page.close();
});

await check("reports: the comparison sorts in place", async () => {
  const page = await context.newPage();
  const loads = [];
  page.on("load", () => loads.push(page.url()));
  await goto(page, base + "/reports/2024/");
  const header = page.locator("#compare th[data-key=applications]");
  await header.locator("a").click();
  assert.equal(new URL(page.url()).pathname, "/reports/2024/sort/applications/");
  assert.equal(loads.length, 1, "sorting reloaded the page");
  assert.equal(await header.getAttribute("aria-sort"), "descending");
  assert.deepEqual(await violations(page), []);
  await page.close();
});

await check("chromium logged no refusal of the policy", async () => {
  assert.deepEqual(refusals, []);
});

await browser.close();
console.log(failures === 0 ? "csp: all checks passed" : `csp: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
