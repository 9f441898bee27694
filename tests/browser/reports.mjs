// Browser checks of the annual-report pages in Debian's headless chromium: the comparison
// table sorts in place with the script (and keeps shareable URLs), and the national form's
// tables fit one A4 page in print.
// Usage: node reports.mjs <built site directory>
import { launch } from "./launch.mjs";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2]);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript" };
// A minimal static server: the pages only need files, and this keeps the test independent
// of which gongkai binary the shared target directory holds.
const server = http.createServer((req, res) => {
  let p = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!p.startsWith(root)) { res.writeHead(403); return res.end(); }
  if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, "index.html");
  if (!fs.existsSync(p)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": types[path.extname(p)] || "application/octet-stream" });
  fs.createReadStream(p).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launch();
let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok - ${name}`); }
  catch (e) { failures++; console.log(`not ok - ${name}\n  ${String(e.stack || e).split("\n").join("\n  ")}`); }
}

const column = (page, key) => page.evaluate((key) => {
  const t = document.getElementById("compare");
  const i = [...t.tHead.rows[0].cells].findIndex((th) => th.dataset.key === key);
  return [...t.tBodies[0].rows].map((r) => r.cells[i].textContent.trim());
}, key);

await check("the comparison sorts in place and the address follows the order", async () => {
  const page = await browser.newPage();
  const loads = [];
  page.on("load", () => loads.push(page.url()));
  await page.goto(base + "/reports/2024/");
  const header = page.locator("#compare th[data-key=applications]");
  await header.locator("a").click();
  assert.equal(new URL(page.url()).pathname, "/reports/2024/sort/applications/");
  assert.equal(loads.length, 1, "sorting reloaded the page");
  assert.equal(await header.getAttribute("aria-sort"), "descending");
  const desc = (await column(page, "applications")).filter((v) => v !== "").map(Number);
  assert.ok(desc.length >= 2 && desc.every((v, i) => i === 0 || desc[i - 1] >= v), `not descending: ${desc}`);
  // It matches the pre-rendered page of the same order.
  const served = await browser.newPage();
  await served.goto(base + "/reports/2024/sort/applications/");
  assert.deepEqual(await column(served, "agency"), await column(page, "agency"));
  await served.close();
  await header.locator("a").click();
  assert.equal(new URL(page.url()).pathname, "/reports/2024/sort/applications/asc/");
  assert.equal(await header.getAttribute("aria-sort"), "ascending");
  const asc = (await column(page, "applications")).filter((v) => v !== "").map(Number);
  assert.deepEqual(asc, [...desc].reverse());
  assert.equal(await page.locator("#compare th[aria-sort]").count(), 1);
  await page.close();
});

await check("without JavaScript a header link opens the sorted page", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + "/reports/2024/");
  await page.locator("#compare th[data-key=applications] a").click();
  await page.waitForURL("**/reports/2024/sort/applications/");
  const desc = (await page.$$eval("#compare tbody tr td:nth-of-type(1)", (tds) => tds.map((t) => t.textContent.trim())))
    .filter((v) => v !== "").map(Number);
  assert.ok(desc.every((v, i) => i === 0 || desc[i - 1] >= v), `not descending: ${desc}`);
  await ctx.close();
});

await check("in print each form table fits one A4 page", async () => {
  // A4 less the 12 mm margins of reports.css, at 96 CSS px per inch.
  const mm = 96 / 25.4;
  const page = await browser.newPage({ viewport: { width: Math.floor(186 * mm), height: Math.floor(273 * mm) } });
  await page.goto(base + "/reports/2024/gov/");
  await page.emulateMedia({ media: "print" });
  for (const id of ["table-proactive", "table-applications", "table-reviews"]) {
    const box = await page.evaluate((id) => {
      const t = document.getElementById(id);
      const r = t.getBoundingClientRect();
      return { w: Math.max(r.width, t.scrollWidth), h: r.height };
    }, id);
    assert.ok(box.w <= 186 * mm + 1, `${id} is ${box.w}px wide`);
    assert.ok(box.h <= 273 * mm, `${id} is ${box.h}px tall`);
  }
  await page.close();
});

await browser.close();
server.close();
if (failures) { console.log(`browser: ${failures} check(s) failed`); process.exit(1); }
console.log("browser: all checks passed");
