// A host that ignores Range (python's http.server, some intranet servers) answers every
// range request with the whole file. The client must stop such a transfer at its headers,
// then either load the index files whole, once for the life of the page, when meta.json
// says they fit the budget, or give up with NoRangeError (which the page shows in Chinese)
// after a bounded number of bytes. A small index is written here in the format of
// src/search/static_index/mod.rs.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { StaticIndex, PAGE_BYTES, FORMAT_VERSION, WHOLE_BUDGET, NoRangeError, fnv1a, tokenizeIndex } from "../../themes/default/static/search.js";
import { varint, str, fetchOver } from "./format.mjs";

const RECORDS = [
  ["关于推进法治政府建设的实施意见", "全面推进依法行政，加快建设法治政府。"],
  ["2024年政府信息公开工作年度报告", "本机关依法做好政府信息公开工作，推进法治政府建设。"],
  ["行政许可事项清单", "公布行政许可事项，规范审批行为。"],
  ["关于印发环境保护工作要点的通知", "加强生态环境保护，改善空气质量。"],
  ["吉林市城市管理办法", "规范城市管理，维护市容环境。"],
  ["依法行政考核办法", "考核各部门依法行政情况，推动法治建设。"],
];

/** The four files of an index of RECORDS; `pad` widens every slot (a large docs.bin). */
function files(pad = 0) {
  const postings = new Map();
  RECORDS.forEach(([title, body], id) => {
    const counts = new Map();
    for (const t of tokenizeIndex(title + "\n" + body)) counts.set(t.text, (counts.get(t.text) || 0) + 1);
    for (const [t, n] of counts) {
      if (!postings.has(t)) postings.set(t, []);
      postings.get(t).push([id, Math.min(255, 60 * n)]);
    }
  });
  // Every list out of line, so that a query reads post.bin too.
  const post = [];
  const entries = [];
  for (const [t, list] of postings) {
    const bytes = [0, ...list.flatMap(([id], i) => varint(i === 0 ? id : id - list[i - 1][0])), ...list.map((x) => x[1])];
    entries.push([t, [Buffer.byteLength(t), ...Buffer.from(t), ...varint(list.length), 1, ...varint(post.length), ...varint(bytes.length)]]);
    post.push(...bytes);
  }
  let pages = 1;
  let dict;
  for (;;) {
    dict = new Uint8Array(pages * PAGE_BYTES);
    const fill = new Array(pages).fill(0);
    const fits = entries.every(([t, bytes]) => {
      const p = fnv1a(t) % pages;
      if (fill[p] + bytes.length >= PAGE_BYTES) return false;
      dict.set(bytes, p * PAGE_BYTES + fill[p]);
      fill[p] += bytes.length;
      return true;
    });
    if (fits) break;
    pages += 1;
  }
  const records = RECORDS.map(([title, body], id) => {
    const z = zlib.deflateSync(Buffer.from(body), { level: 1 });
    return [...str(title), ...str(`/documents/d${id}/`), ...str("2024-01-01"), ...str(`d${id}`), ...str(""), ...varint(z.length), ...z, 0];
  });
  const slot = Math.max(...records.map((x) => x.length)) + pad;
  const docs = new Uint8Array(slot * RECORDS.length);
  records.forEach((x, id) => docs.set(x, id * slot));
  const out = { "dict.bin": dict, "post.bin": Uint8Array.from(post), "docs.bin": docs };
  const meta = {
    version: FORMAT_VERSION,
    docs: RECORDS.length,
    pages,
    page_bytes: PAGE_BYTES,
    slot,
    files: Object.fromEntries(Object.entries(out).map(([f, b]) => [f, b.length])),
    k1: 1.2,
    b: 0.75,
    kinds: ["document"],
    agencies: [["", ""]],
    years: [],
    runs: [[0, RECORDS.length, 0, 0, -1]],
  };
  out["meta.json"] = new TextEncoder().encode(JSON.stringify(meta));
  return out;
}

/**
 * A fetch over `files` like a host that ignores Range: 200 and the whole file to every
 * request, answered a turn later, as a network would. `log` gets one entry per request:
 * the file, its Range header, whether its signal was aborted, and the bytes the client read.
 */
function fetchIgnoringRange(files, log) {
  return async (url, opts = {}) => {
    const name = url.replace(/^mem:\/\//, "");
    const file = files[name];
    const entry = { name, range: opts.headers?.Range || null, aborted: false, read: 0 };
    opts.signal?.addEventListener("abort", () => (entry.aborted = true));
    log.push(entry);
    await new Promise((ok) => setTimeout(ok, 1));
    if (opts.signal?.aborted) throw new DOMException("The operation was aborted.", "AbortError");
    return {
      ok: true,
      status: 200,
      headers: new Headers({ "Content-Length": String(file.length) }),
      arrayBuffer: async () => {
        entry.read += file.length;
        return file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
      },
    };
  };
}

const hint = (f) => ({ version: FORMAT_VERSION, pages: JSON.parse(new TextDecoder().decode(f["meta.json"])).pages });
const QUERIES = ["法治政府", "依法行政", "环境", "吉林市", "许可"];

test("on a host that ignores Range a small index is loaded whole, once, and answers as with Range", async () => {
  const f = files();
  const size = (name) => f[name].length;
  const total = Object.values(f).reduce((n, b) => n + b.length, 0);
  assert.ok(total < WHOLE_BUDGET);
  const log = [];
  const ix = new StaticIndex("mem://", fetchIgnoringRange(f, log), hint(f));
  const answers = [];
  for (const q of QUERIES) answers.push(await ix.search(q));
  // The same answers as from a host that honours Range, hits, scores and snippets alike.
  for (const [i, q] of QUERIES.entries()) {
    const withRange = await new StaticIndex("mem://", fetchOver(f), hint(f)).search(q);
    assert.deepEqual(answers[i], withRange, q);
  }
  assert.deepEqual(
    answers[0].hits.map((h) => [h.slug, h.tier]),
    [
      ["d0", "phrase"],
      ["d1", "phrase"],
    ],
  );
  assert.ok(answers.every((a) => a.total > 0));

  const ranged = log.filter((e) => e.range);
  assert.ok(ranged.length >= 1, JSON.stringify(log));
  for (const e of ranged) {
    assert.ok(e.aborted, `${e.name} ${e.range}: not aborted`);
    assert.equal(e.read, 0, `${e.name} ${e.range}: its body was read`);
  }
  // Each file whole at most once for all the queries, and the first query's requests only.
  const whole = log.filter((e) => !e.range).map((e) => e.name);
  assert.deepEqual(whole.sort(), ["dict.bin", "docs.bin", "meta.json", "post.bin"]);
  for (const e of log.filter((e) => !e.range)) assert.equal(e.read, size(e.name), e.name);
  const read = log.reduce((n, e) => n + e.read, 0);
  assert.equal(read, total);
  assert.equal(ix.cost.bytes, total);
  assert.equal(ix.cost.requests, log.length);
});

test("queries in flight together on a host that ignores Range load each file once", async () => {
  const f = files();
  const log = [];
  const ix = new StaticIndex("mem://", fetchIgnoringRange(f, log), hint(f));
  const answers = await Promise.all(QUERIES.map((q) => ix.search(q)));
  for (const [i, q] of QUERIES.entries()) assert.deepEqual(answers[i], await new StaticIndex("mem://", fetchOver(f), hint(f)).search(q), q);
  const whole = log.filter((e) => !e.range).map((e) => e.name);
  assert.deepEqual(whole.sort(), ["dict.bin", "docs.bin", "meta.json", "post.bin"]);
  assert.ok(log.filter((e) => e.range).every((e) => e.aborted && e.read === 0), JSON.stringify(log));
});

test("an index over the budget on a host that ignores Range: NoRangeError, a bounded download, then no request", async () => {
  // Slots of 400 KB: docs.bin alone is past the budget.
  const f = files(400 * 1024);
  assert.ok(f["docs.bin"].length > WHOLE_BUDGET);
  const log = [];
  const ix = new StaticIndex("mem://", fetchIgnoringRange(f, log), hint(f));
  await assert.rejects(ix.search("法治政府"), (e) => e instanceof NoRangeError && e.bytes > WHOLE_BUDGET);
  // meta.json is all that was read; no file was asked for without Range.
  assert.deepEqual(
    log.filter((e) => !e.range).map((e) => e.name),
    ["meta.json"],
  );
  assert.ok(log.filter((e) => e.range).every((e) => e.aborted && e.read === 0), JSON.stringify(log));
  assert.equal(
    log.reduce((n, e) => n + e.read, 0),
    f["meta.json"].length,
  );
  // Later queries end at once, without a request.
  const before = log.length;
  for (const q of ["依法行政", "环境"]) await assert.rejects(ix.search(q), NoRangeError);
  assert.equal(log.length, before);
});

test("an index whose meta.json gives no sizes is not loaded whole", async () => {
  const f = files();
  const meta = JSON.parse(new TextDecoder().decode(f["meta.json"]));
  delete meta.files;
  f["meta.json"] = new TextEncoder().encode(JSON.stringify(meta));
  const log = [];
  const ix = new StaticIndex("mem://", fetchIgnoringRange(f, log), hint(f));
  await assert.rejects(ix.search("法治政府"), NoRangeError);
  assert.deepEqual(
    log.filter((e) => !e.range).map((e) => e.name),
    ["meta.json"],
  );
  // With Range it never needed them.
  assert.equal((await new StaticIndex("mem://", fetchOver(f), hint(f)).search("法治政府")).total, 2);
});

test("a file larger than meta.json says is not read", async () => {
  const f = files();
  const meta = JSON.parse(new TextDecoder().decode(f["meta.json"]));
  meta.files["docs.bin"] -= 1;
  f["meta.json"] = new TextEncoder().encode(JSON.stringify(meta));
  const log = [];
  const ix = new StaticIndex("mem://", fetchIgnoringRange(f, log), hint(f));
  await assert.rejects(ix.search("法治政府"), /docs\.bin: \d+ bytes, meta\.json says/);
  const docs = log.filter((e) => e.name === "docs.bin" && !e.range);
  assert.equal(docs.length, 1);
  assert.ok(docs[0].aborted && docs[0].read === 0);
});
