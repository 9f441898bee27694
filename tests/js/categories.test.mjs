// categories.bin as the client reads it (src/search/static_index/categories.rs): a list of
// gaps or a bitset, whichever the writer found shorter, decode to the same ids; a list that
// is cut short, names a record past the last or has another form is an error, never a set
// of ids read from past the list.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCategoryList } from "../../themes/default/static/search.js";
import { varint } from "./format.mjs";

const ids = (bits, N) => [...Array(N).keys()].filter((i) => (bits[i >>> 5] >>> (i & 31)) & 1);

test("gaps and bitsets decode to the same ids", () => {
  const N = 70;
  const want = [0, 5, 31, 32, 33, 64, 69];
  const gaps = Uint8Array.from([0, ...varint(want.length), ...want.flatMap((id, i) => varint(i === 0 ? id : id - want[i - 1]))]);
  const bits = new Uint8Array(1 + Math.ceil(N / 8));
  bits[0] = 1;
  for (const id of want) bits[1 + (id >> 3)] |= 1 << (id & 7);
  assert.deepEqual(ids(decodeCategoryList(gaps, N), N), want);
  assert.deepEqual(ids(decodeCategoryList(bits, N), N), want);
  // The writer's own bytes (categories.rs's test): ids 3, 130, 131 and 999 of 1,000.
  assert.deepEqual(ids(decodeCategoryList(Uint8Array.from([0, 4, 3, 127, 1, 0xe4, 0x06]), 1000), 1000), [3, 130, 131, 999]);
});

test("bits past the last record are not records", () => {
  const N = 10;
  const bits = Uint8Array.from([1, 0xff, 0xff]);
  assert.deepEqual(ids(decodeCategoryList(bits, N), 32), [...Array(10).keys()]);
});

test("malformed lists are errors", () => {
  assert.throws(() => decodeCategoryList(new Uint8Array(0), 10), /empty/);
  assert.throws(() => decodeCategoryList(Uint8Array.from([0, 3, 1, 1]), 10), /truncated/);
  assert.throws(() => decodeCategoryList(Uint8Array.from([0, 1, 10]), 10), /past the last record/);
  assert.throws(() => decodeCategoryList(Uint8Array.from([1, 0xff]), 10), /cut short/);
  assert.throws(() => decodeCategoryList(Uint8Array.from([2, 0]), 10), /form 2/);
});
