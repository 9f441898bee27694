// The JavaScript tokenizer agrees with the Rust one on every shared test vector.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tokenizeIndex, tokenizeQuery, normalizeCode, fnv1a } from "../../themes/default/static/search.js";

const vectors = JSON.parse(readFileSync(new URL("../data/tokenizer_vectors.json", import.meta.url), "utf8"));
const encoder = new TextEncoder();
const byteOffset = (text, utf16) => encoder.encode(text.slice(0, utf16)).length;
const asRows = (text, tokens) =>
  tokens.map((t) => [t.text, t.kind, t.position, byteOffset(text, t.start), byteOffset(text, t.end)]);

for (const v of vectors.cases) {
  test(`tokenizer agrees on ${JSON.stringify(v.input).slice(0, 40)}`, () => {
    assert.deepEqual(asRows(v.input, tokenizeIndex(v.input)), v.index);
    assert.deepEqual(asRows(v.input, tokenizeQuery(v.input)), v.query);
    assert.equal(normalizeCode(v.input), v.code);
    assert.equal(fnv1a(v.input), v.fnv1a);
  });
}

test("vectors are not empty", () => assert.ok(vectors.cases.length >= 10));
