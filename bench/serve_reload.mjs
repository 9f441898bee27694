// bench/serve_reload.mjs BASE ROOT FILE URL ROUNDS — how long an edit takes to reach an open
// page under `gongkai serve`: the page of FILE (at URL) is open in headless chromium; each round
// saves FILE with a new title and waits until the page's <h1> shows it. Prints one JSON line
// per round: {"round": n, "ms": from the save to the new title on screen}. With LOG, serve's
// log, the first save waits until serve says it watches, and each round waits for the rebuild
// of the whole site to end before the next save.
import { launch } from "../tests/browser/launch.mjs";
import { readFileSync, writeFileSync } from "node:fs";

const [base, root, file, url, rounds, log] = process.argv.slice(2);
const rebuilt = () =>
  log ? (readFileSync(log, "utf8").match(/已通知页面刷新|pages told to reload/g) || []).length : 0;
const path = `${root}/${file}`;
const browser = await launch();
const page = await browser.newPage();
await page.goto(base + url);
await page.waitForFunction(() => document.documentElement.dataset.gongkaiLive === "open", null, {
  timeout: 600000,
});
while (log && !/正在监视|watching content/.test(readFileSync(log, "utf8"))) {
  await new Promise((r) => setTimeout(r, 50));
}
for (let n = 1; n <= Number(rounds || 3); n++) {
  const title = `基准测试修改标题第${n}次${Date.now()}`;
  const text = readFileSync(path, "utf8").replace(/^title: .*$/m, `title: ${title}`);
  const before = rebuilt();
  const t0 = performance.now();
  writeFileSync(path, text);
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent.includes(t), title, {
    timeout: 600000,
    polling: 10,
  });
  console.log(JSON.stringify({ round: n, ms: Math.round(performance.now() - t0) }));
  while (log && rebuilt() === before) await new Promise((r) => setTimeout(r, 50));
  // Let the rebuild finish (the edited page is shown before the rest of the site is rebuilt)
  // and its own reads settle before the next save: SETTLE_MS, 1500 unless told.
  await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS || 1500)));
}
await browser.close();
