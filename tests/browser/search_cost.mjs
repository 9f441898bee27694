// What a first query costs in a real browser: serves a built site from disk (a static host
// that honours Range, on 127.0.0.1), opens /search/?q=Q in a fresh browser context per query
// in Debian's headless chromium, and prints one JSON object per query: the index files
// fetched (requests, bytes, round trips) and the page's own time from query to results shown
// (data-ms: from the query to the results drawn, waits for the network included) and the
// page's script time from navigation to the results (parsing search.js, the query, drawing
// the results) two ways: chromium's ScriptDuration (wall time, promise jobs left out), and
// script_cpu_ms, the CPU time of the renderer's main thread in every top-level script event
// of a trace (promise jobs included; the thread's own clock, so time spent waiting for a
// core on a busy machine is not counted).
// For bench/run.sh; not a test. GONGKAI_SEARCH_JS=<file> serves that file as
// /assets/search.js, to measure a client against a built site without rebuilding it;
// GONGKAI_LATENCY_MS=<ms> adds that much latency to every request (chromium's network
// emulation), as a host across a real network would.
//
//   node tests/browser/search_cost.mjs <site dir> '["政府", "吉林市"]'
import { launch } from "./launch.mjs";
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const [root, queriesJson] = process.argv.slice(2);
const queries = JSON.parse(queriesJson);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  let file = path === "/assets/search.js" && process.env.GONGKAI_SEARCH_JS ? process.env.GONGKAI_SEARCH_JS : join(root, path);
  let st;
  try {
    st = statSync(file);
    if (st.isDirectory()) {
      file = join(file, "index.html");
      st = statSync(file);
    }
  } catch {
    res.writeHead(404).end();
    return;
  }
  const type = TYPES[extname(file)] || "application/octet-stream";
  const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || "");
  if (m) {
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), st.size - 1);
    res.writeHead(206, { "Content-Type": type, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${st.size}` });
    createReadStream(file, { start, end }).pipe(res);
  } else {
    res.writeHead(200, { "Content-Type": type, "Content-Length": st.size });
    createReadStream(file).pipe(res);
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

// Trace events that run script on the renderer's main thread.
const SCRIPT = new Set(["EvaluateScript", "v8.compileModule", "v8.evaluateModule", "FunctionCall", "RunMicrotasks", "TimerFire", "EventDispatch", "FireAnimationFrame", "v8.compile", "v8.run"]);

/** CPU ms of the main thread in script, from a trace: top-level events only (nested ones are inside them). */
function scriptCpuMs(trace) {
  const events = JSON.parse(trace).traceEvents;
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const script = events
    .filter((e) => e.ph === "X" && e.dur && SCRIPT.has(e.name) && main && e.pid === main.pid && e.tid === main.tid)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  let cpu = 0;
  let end = -Infinity;
  for (const e of script) {
    if (e.ts + e.dur <= end) continue;
    cpu += e.tdur ?? e.dur;
    end = e.ts + e.dur;
  }
  return Math.round(cpu / 100) / 10;
}

const browser = await launch();
for (const q of queries) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Performance.enable");
  if (Number(process.env.GONGKAI_LATENCY_MS) > 0) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: Number(process.env.GONGKAI_LATENCY_MS), downloadThroughput: -1, uploadThroughput: -1 });
  }
  const isIndex = (u) => u.includes("/search/") && !u.includes("?") && !u.endsWith("/search/");
  const roundOf = new Map();
  const files = [];
  let arrived = 0;
  page.on("request", (r) => {
    if (isIndex(r.url())) roundOf.set(r, arrived + 1);
  });
  page.on("requestfinished", async (r) => {
    if (!roundOf.has(r)) return;
    arrived = Math.max(arrived, roundOf.get(r));
    const res = await r.response();
    files.push({ url: r.url(), bytes: (await res.body()).length });
  });
  await browser.startTracing(page, { categories: ["devtools.timeline", "v8.execute"] });
  await page.goto(base + "/search/?q=" + encodeURIComponent(q));
  await page.waitForFunction((q) => document.getElementById("search-results")?.dataset.q === q, q, { timeout: 60000 });
  const script_cpu_ms = scriptCpuMs((await browser.stopTracing()).toString());
  await page.waitForLoadState("networkidle");
  const ms = Number(await page.getAttribute("#search-results", "data-ms"));
  const metric = (name) => metrics.find((m) => m.name === name)?.value || 0;
  const { metrics } = await cdp.send("Performance.getMetrics");
  const script_ms = Math.round(metric("ScriptDuration") * 1000);
  const task_ms = Math.round(metric("TaskDuration") * 1000);
  const shown = await page.$$eval("#search-results li.gk-search-hit", (l) => l.length);
  console.log(JSON.stringify({
    query: q,
    shown,
    requests: files.length,
    round_trips: Math.max(0, ...roundOf.values()),
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    ms,
    script_ms,
    script_cpu_ms,
    task_ms,
  }));
  await ctx.close();
}
await browser.close();
server.close();
