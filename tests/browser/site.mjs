// Browser checks of the built site in Debian's headless chromium: reading aids, keyboard use,
// no requests to other hosts, and pages that work without JavaScript.
// Usage: node site.mjs http://127.0.0.1:PORT
import { launch } from "./launch.mjs";
import assert from "node:assert/strict";

const base = process.argv[2];
const browser = await launch();
let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

await check("font-size switch enlarges text and is remembered", async () => {
  const page = await browser.newPage();
  await page.goto(base + "/");
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main p, main li, main td")).fontSize));
  const before = await size();
  await page.getByRole("button", { name: "特大" }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.font), "xlarge");
  assert.ok((await size()) >= before * 1.3, "text did not grow");
  assert.equal(await page.getByRole("button", { name: "特大" }).getAttribute("aria-pressed"), "true");
  await page.goto(base + "/documents/");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.font), "xlarge");
  await page.close();
});

await check("high contrast toggles and is announced", async () => {
  const page = await browser.newPage();
  await page.goto(base + "/");
  const toggle = page.getByRole("button", { name: "高对比度" });
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("high-contrast")));
  await page.close();
});

await check("keyboard: the first Tab reaches the skip link, which moves focus to the content", async () => {
  const page = await browser.newPage();
  await page.goto(base + "/documents/");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), "跳到正文");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  await page.close();
});

await check("no page requests another host", async () => {
  const page = await browser.newPage();
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
  for (const path of ["/", "/documents/", "/agencies/fgw/", "/search/", "/power/fgw/xk-001/"]) {
    await page.goto(base + path, { waitUntil: "networkidle" });
  }
  assert.deepEqual(foreign, []);
  await page.close();
});

await check("without JavaScript pages read fine and the switches are hidden", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + "/documents/2025/doc-1/");
  assert.ok(await page.getByRole("heading", { level: 1 }).isVisible());
  assert.equal(await page.locator(".font-switch").isVisible(), false);
  await page.goto(base + "/search/?q=%E9%80%9A%E7%9F%A5");
  assert.ok(await page.locator("noscript").count() === 1);
  await ctx.close();
});

await browser.close();
console.log(failures === 0 ? "browser: all checks passed" : `browser: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
