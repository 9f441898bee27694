// The client's zlib decoder agrees with Node's zlib (the library behind the browsers'
// DecompressionStream) on what it decodes and on what it rejects, and stops on any input.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { inflate } from "../../themes/default/static/search.js";
import { rng } from "./rng.mjs";

const PHRASES = ["政府信息公开", "行政许可", "法治政府建设", "优化营商环境", "食品安全", "示政发〔2019〕159号", "年度报告", "，", "。", "\n", " 2024 ", "第一条", "《条例》"];

function chineseText(bytes, seed) {
  const r = rng(seed);
  let s = "";
  while (Buffer.byteLength(s) < bytes) s += PHRASES[Math.floor(r() * PHRASES.length)];
  return Buffer.from(s);
}

function randomBytes(n, seed) {
  const r = rng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Bytes where value i is about twice as rare as i - 1: Huffman codes up to 15 bits long. */
function skewedBytes(n, seed) {
  const r = rng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.min(255, Math.floor(-Math.log2(r() + 1e-12)));
  return b;
}

const blockType = (z) => (z[2] >> 1) & 3;
const same = (a, b) => assert.ok(Buffer.from(a).equals(Buffer.from(b)), `decoded ${a.length} bytes, expected ${b.length}`);

const inputs = [
  ["empty", Buffer.alloc(0)],
  ["one byte", Buffer.from("政")],
  ["a segment of Chinese text", chineseText(1536, 1)],
  ["Chinese text, 200 KB", chineseText(200_000, 2)],
  ["random bytes", randomBytes(3000, 3)],
  ["random bytes, 100 KB", randomBytes(100_000, 4)],
  ["skewed bytes", skewedBytes(20_000, 5)],
  ["one byte repeated", Buffer.alloc(70_000, 0x41)],
];

for (const [name, data] of inputs) {
  for (const level of [0, 1, 6, 9]) {
    test(`round trip: ${name}, level ${level}`, () => {
      const z = zlib.deflateSync(data, { level });
      if (level === 0) assert.equal(blockType(z), 0);
      same(inflate(z), data);
    });
  }
  for (const [sname, strategy] of [["fixed", zlib.constants.Z_FIXED], ["huffman only", zlib.constants.Z_HUFFMAN_ONLY], ["rle", zlib.constants.Z_RLE]]) {
    test(`round trip: ${name}, ${sname} strategy`, () => {
      same(inflate(zlib.deflateSync(data, { level: 9, strategy })), data);
    });
  }
}

test("all three block types occur in the round trips", () => {
  assert.equal(blockType(zlib.deflateSync(chineseText(1536, 1), { level: 0 })), 0);
  assert.equal(blockType(zlib.deflateSync(chineseText(1536, 1), { level: 9, strategy: zlib.constants.Z_FIXED })), 1);
  assert.equal(blockType(zlib.deflateSync(chineseText(1536, 1), { level: 1 })), 2);
  assert.equal(blockType(zlib.deflateSync(skewedBytes(20_000, 5), { level: 9 })), 2);
});

test("many small streams in a row (the decoder keeps no state between them)", () => {
  for (let i = 0; i < 200; i++) {
    const data = i % 3 === 0 ? randomBytes(200 + i, i) : chineseText(100 + i * 10, i);
    same(inflate(zlib.deflateSync(data, { level: [0, 1, 6, 9][i % 4] })), data);
  }
});

test("a subarray of a larger buffer decodes (segments are slices of a slot)", () => {
  const z = zlib.deflateSync(chineseText(1536, 7), { level: 1 });
  const slot = Buffer.concat([Buffer.from([1, 2, 3]), z, Buffer.from([9, 9])]);
  same(inflate(new Uint8Array(slot.buffer, slot.byteOffset + 3, z.length)), chineseText(1536, 7));
});

const rejects = (bytes, why) => assert.throws(() => inflate(Uint8Array.from(bytes)), Error, why);

test("every truncation is rejected", () => {
  for (const data of [chineseText(1536, 8), randomBytes(500, 9), Buffer.alloc(0)]) {
    for (const level of [0, 1, 9]) {
      const z = zlib.deflateSync(data, { level });
      for (let n = 0; n < z.length; n++) rejects(z.subarray(0, n), `prefix of ${n} of ${z.length} bytes`);
    }
  }
});

test("malformed headers, blocks and trailers are rejected", () => {
  const good = zlib.deflateSync(chineseText(600, 10), { level: 6 });
  const edit = (f) => {
    const z = Buffer.from(good);
    f(z);
    return z;
  };
  rejects(edit((z) => (z[0] = 0x79)), "compression method 9");
  rejects(edit((z) => (z[0] = 0x88)), "window over 32 KB");
  rejects(edit((z) => (z[1] ^= 1)), "header check");
  rejects([0x78, 0xbb, 0, 0, 0, 0, 0, 1], "preset dictionary");
  rejects(edit((z) => (z[z.length - 1] ^= 1)), "checksum");
  rejects(Buffer.concat([good, Buffer.from([0])]), "bytes after the stream");
  // Stored block whose length does not match its complement.
  rejects([0x78, 0x01, 0x01, 0x05, 0x00, 0xfa, 0xfe, 1, 2, 3, 4, 5, 0, 0, 0, 0], "stored length");
  // Block type 3.
  rejects([0x78, 0x01, 0x07, 0, 0, 0, 0, 0, 0], "block type");
  // Fixed block whose first symbol is a match: a distance before the start.
  rejects([0x78, 0x01, 0x03, 0x02, 0, 0, 0, 0, 0, 0], "distance too far back");
  // Dynamic block header asking for 287 literal/length codes.
  rejects([0x78, 0x01, 0x3d, 0, 0, 0, 0, 0, 0, 0], "too many codes");
  // 2 MB of zeros: over the decoder's limit for one segment.
  rejects(zlib.deflateSync(Buffer.alloc(2 << 20)), "too long");
});

/** Node's verdict: the decoded bytes, or null where zlib reports an error. */
/** The client's inflate, null where it rejects the stream (always with an Error). */
function inflateOrNull(z) {
  try {
    return inflate(z);
  } catch (e) {
    assert.ok(e instanceof Error);
    return null;
  }
}

function zlibInflate(z) {
  try {
    const info = zlib.inflateSync(z, { info: true });
    // zlib stops at the end of the stream; the client, like DecompressionStream, also
    // refuses bytes after it.
    if (info.engine.bytesWritten !== z.length) return null;
    return info.buffer;
  } catch {
    return null;
  }
}

test("corrupted streams: rejected exactly when zlib rejects them, else decoded the same", () => {
  const r = rng(11);
  const seeds = [
    zlib.deflateSync(chineseText(1536, 12), { level: 1 }),
    zlib.deflateSync(chineseText(1536, 13), { level: 9 }),
    zlib.deflateSync(chineseText(300, 14), { level: 9, strategy: zlib.constants.Z_FIXED }),
    zlib.deflateSync(skewedBytes(3000, 15), { level: 6 }),
    zlib.deflateSync(randomBytes(300, 16), { level: 0 }),
  ];
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const z = Buffer.from(seeds[i % seeds.length]);
    // Flip bits or overwrite bytes; keep the header most of the time so the corruption
    // reaches the blocks.
    const edits = 1 + Math.floor(r() * 3);
    for (let e = 0; e < edits; e++) {
      const at = 2 + Math.floor(r() * (z.length - 2));
      if (r() < 0.5) z[at] ^= 1 << Math.floor(r() * 8);
      else z[at] = Math.floor(r() * 256);
    }
    const want = zlibInflate(z);
    const got = inflateOrNull(z);
    if (want === null) assert.equal(got, null, `accepted what zlib rejects (case ${i})`);
    else {
      assert.notEqual(got, null, `rejected what zlib accepts (case ${i})`);
      same(got, want);
      accepted++;
    }
  }
  // A few edits leave a valid stream (the padding bits before the checksum, say): both
  // verdicts occurred.
  assert.ok(accepted > 0);
});

test("random bytes behind a valid header: rejected or decoded like zlib, never stuck", () => {
  const r = rng(17);
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + Math.floor(r() * 64);
    const z = Buffer.concat([Buffer.from([0x78, 0x01]), randomBytes(n, i + 1000)]);
    const want = zlibInflate(z);
    const got = inflateOrNull(z);
    if (want === null) assert.equal(got, null, `accepted what zlib rejects: ${z.toString("hex")}`);
    else same(got, want);
  }
});
