// bench/serve_reload.mjs BASE ROOT FILE URL ROUNDS — how long an edit takes to reach an open
// page under `gongkai serve`: the page of FILE (at URL) is open in headless chromium; each round
// saves FILE with a new title and waits until the page's <h1> shows it. Prints one JSON line
// per round: {"round": n, "ms": from the save to the new title on screen}.
import { launch } from "../tests/browser/launch.mjs";
import { readFileSync, writeFileSync } from "node:fs";

const [base, root, file, url, rounds] = process.argv.slice(2);
const path = `${root}/${file}`;
const browser = await launch();
const page = await browser.newPage();
await page.goto(base + url);
await page.waitForFunction(() => document.documentElement.dataset.gongkaiLive === "open", null, {
  timeout: 600000,
});
for (let n = 1; n <= Number(rounds || 3); n++) {
  const title = `基准测试修改标题第${n}次${Date.now()}`;
  const text = readFileSync(path, "utf8").replace(/^title: .*$/m, `title: ${title}`);
  const t0 = performance.now();
  writeFileSync(path, text);
  await page.waitForFunction((t) => document.querySelector("h1")?.textContent.includes(t), title, {
    timeout: 600000,
    polling: 10,
  });
  console.log(JSON.stringify({ round: n, ms: Math.round(performance.now() - t0) }));
  // Let the rebuild's own reads settle before the next save.
  await new Promise((r) => setTimeout(r, 1500));
}
await browser.close();
