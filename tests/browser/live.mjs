// gongkai serve as an officer uses it: a page open in the browser while the officer edits.
// The page shows a saved change by itself; a broken file puts its errors over the page, with
// file and line; fixing it brings the page back. Nothing breaks the pages' security policy.
// Usage: node live.mjs http://127.0.0.1:PORT /path/to/portal
import { launch } from "./launch.mjs";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const [base, root] = process.argv.slice(2);
const guide = join(root, "content/pages/guide.md");
const broken = join(root, "content/pages/broken.md");
const browser = await launch();
const page = await browser.newPage();
await page.addInitScript(() => {
  window.__violations = 0;
  document.addEventListener("securitypolicyviolation", () => window.__violations++);
});
const timeout = { timeout: 60000 };

await page.goto(base + "/pages/guide/");
assert.equal((await page.locator("h1").textContent()).trim(), "政府信息公开指南");
// The page listens before anything changes.
await page.waitForFunction(() => document.documentElement.dataset.gongkaiLive === "open", null, timeout);

writeFileSync(guide, readFileSync(guide, "utf8").replace("title: 政府信息公开指南", "title: 政府信息公开指南（修订）"));
await page.waitForFunction(() => document.querySelector("h1")?.textContent.includes("（修订）"), null, timeout);
console.log("ok - a saved change appears without touching the page");

// An edited record's page is shown before the rest of the site is rebuilt; a page that lists
// the record follows once it is.
const listing = await browser.newPage();
const edited = await browser.newPage();
for (const [tab, url] of [[listing, "/documents/"], [edited, "/documents/2025/doc-1/"]]) {
  await tab.goto(base + url);
  await tab.waitForFunction(() => document.documentElement.dataset.gongkaiLive === "open", null, timeout);
}
assert.ok((await listing.textContent("main")).includes("第1项工作的通知"));
const doc = join(root, "content/documents/2025/doc-1.md");
writeFileSync(doc, readFileSync(doc, "utf8").replace("第1项工作的通知", "第1项工作的更正通知"));
await edited.waitForFunction(() => document.querySelector("h1")?.textContent.includes("更正通知"), null, timeout);
await listing.waitForFunction(() => document.querySelector("main")?.textContent.includes("更正通知"), null, timeout);
await Promise.all([listing.close(), edited.close()]);
console.log("ok - an edited document's page shows the edit, and the catalog that lists it follows");

writeFileSync(broken, "---\ntitle: 没有写完的页面\norder: [1\n---\n正文\n");
const panel = page.locator(".gongkai-live-failed");
await panel.waitFor(timeout);
const text = await panel.textContent();
assert.ok(text.includes("构建失败"), text);
assert.ok(text.includes("content/pages/broken.md:"), text);
assert.equal(await panel.getAttribute("role"), "alert");
console.log("ok - a failed build shows its errors over the page, with file and line");

rmSync(broken);
await panel.waitFor({ state: "detached", ...timeout });
assert.ok((await page.locator("h1").textContent()).includes("（修订）"));
console.log("ok - fixing the file brings the page back");

assert.equal(await page.evaluate(() => window.__violations), 0, "security policy violations");
await browser.close();
console.log("live: all checks passed");
