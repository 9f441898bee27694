// Runs the browser client (themes/default/static/search.js) under Node against a static
// index on disk, with a fetch that honours Range like a static host, and prints JSON:
// one entry per query with the hits and what was fetched (requests, bytes, and round trips:
// a fetch issued after another one's bytes arrived is one round later).
//
//   node tests/js/static_query.mjs <out>/search/ '["吉林市", "2015"]' [limit]
import { existsSync, readFileSync, openSync, readSync, fstatSync, closeSync } from "node:fs";
import { join } from "node:path";
import { StaticIndex } from "../../themes/default/static/search.js";

const [dir, queriesJson, limitArg] = process.argv.slice(2);
const queries = JSON.parse(queriesJson);
const limit = Number(limitArg || 10);

// The search page's hint (data-version, data-pages), as the browser reads it from the HTML.
const page = join(dir, "index.html");
const hint = {};
if (existsSync(page)) {
  const html = readFileSync(page, "utf8");
  hint.version = /data-version="(\d+)"/.exec(html)?.[1];
  hint.pages = /data-pages="(\d+)"/.exec(html)?.[1];
}

let arrived = 0;
let rounds = 0;
function diskFetch(url, opts = {}) {
  const round = arrived + 1;
  rounds = Math.max(rounds, round);
  const path = join(dir, url.replace(/^static:\/\//, ""));
  const range = opts.headers?.Range;
  let bytes;
  let status = 200;
  if (range) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    const fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]) + 1, size);
    bytes = Buffer.alloc(Math.max(0, end - start));
    readSync(fd, bytes, 0, bytes.length, start);
    closeSync(fd);
    status = 206;
  } else {
    bytes = readFileSync(path);
  }
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return Promise.resolve({
    ok: true,
    status,
    arrayBuffer: async () => {
      arrived = Math.max(arrived, round);
      return ab;
    },
  });
}

const out = [];
for (const q of queries) {
  const text = typeof q === "string" ? q : q.q;
  const opts = typeof q === "string" ? {} : q;
  // A fresh index object per query: the cost of a first query in a fresh browser.
  const index = new StaticIndex("static://", diskFetch, hint);
  arrived = 0;
  rounds = 0;
  const t0 = performance.now();
  const res = await index.search(text, { limit, ...opts });
  const ms = performance.now() - t0;
  out.push({ q: text, total: res.total, unknownCategory: res.unknownCategory, hits: res.hits, facets: res.facets, requests: index.cost.requests, bytes: index.cost.bytes, round_trips: rounds, ms });
}
process.stdout.write(JSON.stringify(out));
