// The client's matching and ranking (bitsets, classes of records that score alike, the best
// K) against the definitions, computed record by record: an index of a few thousand records
// with dense terms (bitset + top-k) and sparse ones (lists) is written here in the format of
// src/search/static_index/mod.rs, and every answer must equal the reference's to the last bit
// of the score: the same records, tiers, order, total and facet counts.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { StaticIndex, PAGE_BYTES, FORMAT_VERSION, fnv1a, tokenizeQuery, normalizeCode, queryWordTerm } from "../../themes/default/static/search.js";
import { rng } from "./rng.mjs";
import { varint, str, fetchOver } from "./format.mjs";

const KINDS = ["document", "power"];
const AGENCIES = [
  ["a", "甲局"],
  ["b", "乙局"],
  ["c", "丙局"],
];
const YEARS = [2021, 2022, 2023];
// Every record's text holds every phrase asked below, so no record leaves tier 2 on its text
// and the reference is the index alone.
const BODY = "政府2023，关于法治政府建设的通知。府建2023法治。";
const TOP_K = 16;

/** N records with random terms and weights; a term in a quarter of them or more is dense. */
function portal(seed, N) {
  const r = rng(seed);
  const chance = { 法治: 0.7, 治政: 0.5, 政府: 0.9, 府建: 0.45, 建设: 0.8, 2023: 0.3, "~法治政府建设": 0.2, "#法治政府建设": 0.002 };
  const docs = [];
  for (let id = 0; id < N; id++) {
    const terms = new Map();
    for (const [t, p] of Object.entries(chance)) if (r() < p) terms.set(t, 1 + Math.floor(r() * 255));
    docs.push({ id, terms });
  }
  // A record that matches by its code and would lead the phrase tier too: it must be
  // listed once, in the code tier.
  for (const t of ["法治", "治政", "政府", "府建", "建设", "#法治政府建设"]) docs[5].terms.set(t, 255);
  const runs = [];
  for (let start = 0; start < N; ) {
    const count = Math.min(N - start, 1 + Math.floor(r() * 60));
    runs.push([start, count, Math.floor(r() * KINDS.length), Math.floor(r() * AGENCIES.length), Math.floor(r() * (YEARS.length + 1)) - 1]);
    start += count;
  }
  const postings = new Map();
  for (const t of Object.keys(chance)) {
    const list = docs.filter((d) => d.terms.has(t)).map((d) => [d.id, d.terms.get(t)]);
    const dense = list.length * 4 >= N;
    const top = dense ? [...list].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP_K) : list;
    const rest = dense ? top[top.length - 1][1] : 0;
    postings.set(t, { list, dense, top: top.sort((a, b) => a[0] - b[0]), rest });
  }
  return { N, docs, runs, postings };
}

/** The four files of the portal's static index. */
function files(p) {
  const ids = (list) => list.flatMap(([id], i) => varint(i === 0 ? id : id - list[i - 1][0]));
  const post = [];
  const entries = new Map();
  for (const [t, { list, dense, top, rest }] of p.postings) {
    let bytes;
    if (dense) {
      const bits = new Uint8Array(Math.ceil(p.N / 8));
      for (const [id] of list) bits[id >> 3] |= 1 << (id & 7);
      bytes = [1, ...varint(bits.length), ...bits, ...varint(top.length), ...ids(top), ...top.map((x) => x[1]), rest];
    } else bytes = [0, ...ids(list), ...list.map((x) => x[1])];
    entries.set(t, [...varint(list.length), 1, ...varint(post.length), ...varint(bytes.length)]);
    post.push(...bytes);
  }
  const pages = 4;
  const dict = new Uint8Array(pages * PAGE_BYTES);
  const fill = new Array(pages).fill(0);
  for (const [t, entry] of entries) {
    const page = fnv1a(t) % pages;
    const bytes = [Buffer.byteLength(t), ...Buffer.from(t), ...entry];
    assert.ok(fill[page] + bytes.length < PAGE_BYTES);
    dict.set(bytes, page * PAGE_BYTES + fill[page]);
    fill[page] += bytes.length;
  }
  const segment = zlib.deflateSync(Buffer.from(BODY), { level: 1 });
  const records = p.docs.map((d) => [...str(`第${d.id}号`), ...str(`/d/${d.id}/`), ...str(""), ...str(`d${d.id}`), ...str(""), ...varint(segment.length), ...segment, 0]);
  const slot = Math.max(...records.map((x) => x.length));
  const docs = new Uint8Array(slot * p.N);
  records.forEach((x, id) => docs.set(x, id * slot));
  const meta = { version: FORMAT_VERSION, docs: p.N, pages, page_bytes: PAGE_BYTES, slot, k1: 1.2, b: 0.75, kinds: KINDS, agencies: AGENCIES, years: YEARS, runs: p.runs };
  return { "meta.json": new TextEncoder().encode(JSON.stringify(meta)), "dict.bin": dict, "post.bin": Uint8Array.from(post), "docs.bin": docs };
}

/** The answer by definition, record by record. */
function reference(p, query, opts, limit) {
  const qt = tokenizeQuery(query);
  const terms = [...new Set(qt.map((t) => t.text))];
  const n = terms.length;
  const minMatch = n > 1 ? Math.ceil(n * 0.6) : n;
  const groups = [];
  qt.forEach((t, i) => {
    const prev = qt[i - 1];
    if (t.kind === "b" && prev && prev.kind === "b" && t.position === prev.position + 1) groups[groups.length - 1].push(t.text);
    else groups.push([t.text]);
  });
  const code = "#" + normalizeCode(query);
  const word = queryWordTerm(query);
  const runOf = (id) => p.runs.find(([s, c]) => id >= s && id < s + c);
  const counts = { kinds: new Map(), agencies: new Map(), years: new Map() };
  const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  const hits = [];
  for (const d of p.docs) {
    const has = (t) => d.terms.has(t);
    const c = terms.filter(has).length;
    const covered = groups.every((g) => has(g[0]) && has(g[g.length - 1]) && g.every((t, k) => k === 0 || has(t) || has(g[k - 1])));
    const tier = has(code) ? 1 : n > 0 && c === n ? 2 : n < 2 ? 0 : covered ? 3 : c >= minMatch ? 4 : 0;
    if (!tier) continue;
    const [, , kind, agency, year] = runOf(d.id);
    bump(counts.kinds, KINDS[kind]);
    bump(counts.agencies, AGENCIES[agency][0]);
    if (year >= 0) bump(counts.years, YEARS[year]);
    if (opts.kind && KINDS[kind] !== opts.kind) continue;
    if (opts.agency && AGENCIES[agency][0] !== opts.agency) continue;
    if (opts.year && YEARS[year] !== opts.year) continue;
    let score = 0;
    for (const t of terms) {
      if (!has(t)) continue;
      const { list, dense, top, rest } = p.postings.get(t);
      const idf = Math.log(1 + (p.N - list.length + 0.5) / (list.length + 0.5));
      if (!dense) score += idf * d.terms.get(t);
      else {
        score += idf * rest;
        const inTop = top.find(([id]) => id === d.id);
        if (inTop) score += idf * (inTop[1] - rest);
      }
    }
    hits.push({ slug: `d${d.id}`, tier, word: tier === 2 && word && has(word) ? 0 : 1, score, id: d.id });
  }
  hits.sort((a, b) => a.tier - b.tier || a.word - b.word || b.score - a.score || a.id - b.id);
  return { total: hits.length, hits: hits.slice(0, limit), counts };
}

const TIERS = { 1: "code", 2: "phrase", 3: "words", 4: "bigrams" };
const QUERIES = ["法治政府建设", "法治 政府建设", "政府", "治政", "2023", "政府 2023", "府建 2023 法治"];
const FILTERS = [{}, { kind: "power" }, { agency: "b" }, { year: 2022 }, { kind: "document", year: 2023 }];

test("matching and ranking over dense and sparse terms equal the definition", async () => {
  for (const seed of [1, 2, 3]) {
    const p = portal(seed, 3000 + seed * 77);
    assert.ok([...p.postings.values()].some((x) => x.dense) && [...p.postings.values()].some((x) => !x.dense));
    const f = files(p);
    for (const q of QUERIES) {
      for (const opts of FILTERS) {
        for (const limit of [3, 10]) {
          const ix = new StaticIndex("mem://", fetchOver(f), { version: FORMAT_VERSION, pages: 4 });
          const got = await ix.search(q, { ...opts, limit });
          const want = reference(p, q, opts, limit);
          const why = `seed ${seed}, ${q}, ${JSON.stringify(opts)}, limit ${limit}`;
          assert.equal(got.total, want.total, why);
          assert.deepEqual(
            got.hits.map((h) => [h.slug, h.tier, h.score]),
            want.hits.map((h) => [h.slug, TIERS[h.tier], h.score]),
            why,
          );
          assert.deepEqual(new Map(got.facets.kinds), want.counts.kinds, why);
          assert.deepEqual(new Map(got.facets.agencies.map(([slug, n]) => [slug, n])), want.counts.agencies, why);
          assert.deepEqual(new Map(got.facets.years), want.counts.years, why);
        }
      }
    }
  }
});
