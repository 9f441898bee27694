// The client's phrase check, match ranges and snippets give exactly what the plain
// definitions below give (a Map of token sets per position, every range sorted then merged,
// every window tried): those are the rules of src/search/snippet.rs and tokenize.rs,
// written for clarity; the client's versions are written for speed.
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { scan, tokenizeQuery, collapseWhitespace, matchRanges, hasPhrase, snippetParts, compileQuery, findQuery } from "../../themes/default/static/search.js";
import { rng } from "./rng.mjs";

function refMatchRanges(text, queryTokens) {
  const terms = new Set(queryTokens.map((t) => t.kind + t.text));
  if (terms.size === 0) return [];
  const ranges = [];
  scan(text, "index", (t, kind, _p, start, end) => {
    if (terms.has(kind + t)) ranges.push([start, end]);
  });
  const cpAt = new Uint32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const len = text.codePointAt(i) > 0xffff ? 2 : 1;
    cpAt[i] = n;
    if (len === 2) cpAt[i + 1] = n;
    n += 1;
    i += len;
  }
  cpAt[text.length] = n;
  const cps = ranges.map(([s, e]) => [cpAt[s], cpAt[e]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const [s, e] of cps) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function refHasPhrase(text, queryTokens) {
  if (queryTokens.length === 0) return false;
  const base = queryTokens[0].position;
  const want = queryTokens.map((t) => [t.position - base, t.kind + t.text]);
  const at = new Map();
  scan(text, "index", (t, kind, position) => {
    let set = at.get(position);
    if (!set) at.set(position, (set = new Set()));
    set.add(kind + t);
  });
  for (const [p, set] of at) {
    if (!set.has(want[0][1])) continue;
    if (want.every(([off, key]) => at.get(p + off)?.has(key))) return true;
  }
  return false;
}

function refSnippetParts(text, queryTokens, maxChars) {
  const clean = collapseWhitespace(text);
  const chars = Array.from(clean);
  const n = chars.length;
  const marks = refMatchRanges(clean, queryTokens);
  let start = 0;
  if (marks.length > 0 && n > maxChars) {
    const lead = Math.floor(maxChars / 4);
    let best = [0, 0];
    for (const [ms] of marks) {
      const ws = Math.min(Math.max(ms - lead, 0), n - maxChars);
      const we = ws + maxChars;
      let covered = 0;
      for (const [s, e] of marks) covered += Math.max(0, Math.min(e, we) - Math.max(s, ws));
      if (covered > best[1]) best = [ws, covered];
    }
    start = best[0];
  }
  const end = Math.min(start + maxChars, n);
  const parts = [];
  const push = (t, marked) => {
    if (t) parts.push([t, marked]);
  };
  if (start > 0) push("…", false);
  let i = start;
  for (const [s0, e0] of marks) {
    if (e0 <= start || s0 >= end) continue;
    const s = Math.max(s0, start);
    const e = Math.min(e0, end);
    push(chars.slice(i, s).join(""), false);
    push(chars.slice(s, e).join(""), true);
    i = e;
  }
  push(chars.slice(i, end).join(""), false);
  if (end < n) push("…", false);
  return parts;
}

// A small alphabet, so that random queries match random texts often: CJK (one astral),
// words in several scripts and widths, and every kind of separator the tokenizer and
// collapseWhitespace treat differently.
const PIECES = [
  "政", "府", "信", "息", "公", "开", "法", "治", "〇", "ア", "한", "\u{20000}", "\u{2A6D6}",
  "a", "B", "z", "7", "Ａ", "ｂ", "９", "É", "ß", "İ", "Ω", "ж",
  " ", "  ", "\n", "\t", "\u3000", "\u00a0", "\ufeff", "\u2028", "，", "。", "〔", "〕", "-", "#", "~", "\u0085",
];

function randomText(r, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

/** A query made of a piece of the text (so it often matches) or of random pieces. */
function randomQuery(r, text) {
  const chars = Array.from(text);
  if (chars.length > 2 && r() < 0.7) {
    const a = Math.floor(r() * (chars.length - 1));
    const b = Math.min(chars.length, a + 1 + Math.floor(r() * 6));
    return chars.slice(a, b).join("");
  }
  return randomText(r, 1 + Math.floor(r() * 5));
}

test("phrase, ranges and snippets agree with the reference on random texts", () => {
  const r = rng(1);
  let phrases = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = randomText(r, Math.floor(r() * 80));
    const q = randomQuery(r, text);
    const qt = tokenizeQuery(q);
    const ctx = JSON.stringify({ text, q });
    assert.deepEqual(matchRanges(text, qt), refMatchRanges(text, qt), ctx);
    const phrase = refHasPhrase(text, qt);
    if (phrase) phrases++;
    assert.equal(hasPhrase(text, qt), phrase, ctx);
    // search() checks phrases and marks in the whitespace-collapsed text.
    const found = findQuery(collapseWhitespace(text), compileQuery(qt));
    assert.equal(found.phrase, phrase, ctx);
    assert.equal(found.marks.length > 0, refMatchRanges(text, qt).length > 0, ctx);
    for (const max of [1, 5, 12, 1000]) assert.deepEqual(snippetParts(text, qt, max), refSnippetParts(text, qt, max), `${ctx} max ${max}`);
  }
  assert.ok(phrases > 1000, `only ${phrases} phrase matches`);
});

test("snippets of long texts with many matches agree with the reference", () => {
  const r = rng(2);
  for (let i = 0; i < 300; i++) {
    const text = randomText(r, 500 + Math.floor(r() * 1500));
    const q = randomQuery(r, text);
    const qt = tokenizeQuery(q);
    for (const max of [40, 120]) assert.deepEqual(snippetParts(text, qt, max), refSnippetParts(text, qt, max), JSON.stringify(q));
  }
});

test("queries by hand", () => {
  const cases = [
    ["《法治政府建设实施纲要》的通知", "法治政府建设", true],
    // A space splits the text's run: no 治政 bigram. In the query it only shifts positions.
    ["法治 政府建设", "法治政府建设", false],
    ["法治政府建设", "法治 政府建设", true],
    ["法治。政府建设", "法治政府", false],
    ["法治政府建设", "法治。政府", true],
    ["政府建设法治", "法治政府", false],
    ["示政发〔2019〕159号", "示政发〔2019〕159号", true],
    ["示政发〔2019〕1590号", "示政发〔2019〕159号", false],
    ["ＡＢＣ 2019 年", "abc 2019年", true],
    ["嘉", "嘉", true],
    ["", "政府", false],
    ["政府", "", false],
  ];
  for (const [text, q, phrase] of cases) {
    const qt = tokenizeQuery(q);
    assert.equal(hasPhrase(text, qt), phrase, `${text} / ${q}`);
    assert.equal(refHasPhrase(text, qt), phrase, `reference: ${text} / ${q}`);
    assert.deepEqual(snippetParts(text, qt, 120), refSnippetParts(text, qt, 120));
  }
});
