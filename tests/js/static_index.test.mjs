// The client reads a record wherever its slot cuts it: inside a zlib segment, between
// segments, or inside the length of the next segment (which once made varint() run past
// the slot forever). A one-record index is written here in the format of
// src/search/static_index/mod.rs and searched with every possible slot width.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { StaticIndex, PAGE_BYTES, FORMAT_VERSION } from "../../themes/default/static/search.js";
import { rng } from "./rng.mjs";
import { varint, str, fetchOver } from "./format.mjs";

// Text without any character of the query, in no compressible pattern, so that each
// segment compresses to over 127 bytes (a two-byte length).
function filler(r, chars) {
  const pool = "春夏秋冬东南西北山水日月星辰江河湖海风雨雷电";
  let s = "";
  for (let i = 0; i < chars; i++) s += pool[Math.floor(r() * pool.length)];
  return s;
}

/** The record: head strings, then the body as zlib segments, then a zero length. */
function record() {
  const r = rng(3);
  const head = [...str("年度工作报告"), ...str("/reports/x/"), ...str("2024-01-01"), ...str("x"), ...str("")];
  const segments = [filler(r, 500), filler(r, 200) + "推进法治政府建设" + filler(r, 200)];
  const body = [];
  for (const text of segments) {
    const z = zlib.deflateSync(Buffer.from(text), { level: 1 });
    assert.ok(z.length >= 128);
    body.push(...varint(z.length), ...z);
  }
  body.push(0);
  const bytes = Uint8Array.from([...head, ...body]);
  // Where the second segment (the one holding the phrase) ends, its final zero after it.
  return { bytes, headLen: head.length, phraseEnd: bytes.length - 1 };
}

/** Files of a one-record index whose slot keeps `keep` bytes of the record. */
function index(rec, keep) {
  const terms = ["法治", "治政", "政府"];
  const page = [];
  for (const t of terms) {
    const postings = [0, ...varint(0), 200];
    page.push(Buffer.byteLength(t), ...Buffer.from(t), ...varint(1), 0, ...varint(postings.length), ...postings);
  }
  const dict = new Uint8Array(PAGE_BYTES);
  dict.set(page);
  const slot = rec.slice(0, keep);
  const meta = {
    version: FORMAT_VERSION,
    docs: 1,
    pages: 1,
    page_bytes: PAGE_BYTES,
    slot: slot.length,
    k1: 1.2,
    b: 0.75,
    kinds: ["report"],
    agencies: [["", ""]],
    years: [2024],
    runs: [[0, 1, 0, 0, 0]],
  };
  return { "meta.json": new TextEncoder().encode(JSON.stringify(meta)), "dict.bin": dict, "post.bin": new Uint8Array(0), "docs.bin": slot };
}

test("a record reads the same whatever byte its slot ends at", async () => {
  const rec = record();
  const search = async (keep) => {
    const log = [];
    const ix = new StaticIndex("mem://", fetchOver(index(rec.bytes, keep), log), { version: FORMAT_VERSION, pages: 1 });
    return { res: await ix.search("法治政府"), log };
  };
  const whole = await search(rec.bytes.length);
  assert.equal(whole.res.total, 1);
  assert.equal(whole.res.hits[0].tier, "phrase");
  const marked = (res) => res.hits[0].snippetParts.some(([t, m]) => m && t === "法治政府");
  assert.ok(marked(whole.res), JSON.stringify(whole.res.hits[0].snippetParts));
  for (let keep = rec.headLen; keep < rec.bytes.length; keep++) {
    const cut = await search(keep);
    const why = `slot of ${keep} bytes`;
    // Only the slot is read: no fourth round trip for the rest of a record.
    assert.deepEqual([...new Set(cut.log)].sort(), ["dict.bin", "docs.bin", "meta.json"], why);
    assert.equal(cut.res.total, 1, why);
    // Cut before its phrase, the record keeps the phrase tier its bigrams earned.
    assert.equal(cut.res.hits[0].tier, "phrase", why);
    assert.equal(cut.res.hits[0].title, whole.res.hits[0].title, why);
    // The snippet marks the phrase once the segment holding it is whole in the slot.
    assert.equal(marked(cut.res), keep >= rec.phraseEnd, why);
  }
});

test("a corrupt segment fails the search with an Error instead of hanging it", async () => {
  const rec = record();
  const bad = rec.bytes.slice();
  // Inside the second segment's deflate data.
  bad[bad.length - 40] ^= 0xff;
  const ix = new StaticIndex("mem://", fetchOver(index(bad, bad.length), []), { version: FORMAT_VERSION, pages: 1 });
  await assert.rejects(ix.search("法治政府"), Error);
});
