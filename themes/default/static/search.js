// gongkai search client: plain JavaScript, no framework, no build step, no external
// requests. An ES module: the pure functions (tokenizer, snippets, index reader) are
// exported for Node tests; the page wiring runs only when a document is present.
//
// The tokenizer mirrors src/search/tokenize.rs exactly (checked by
// tests/js/tokenizer.test.mjs against tests/data/tokenizer_vectors.json). The index
// format is described in src/search/static_index.rs.

// ------------------------------------------------------------------------------------
// Tokenizer

/** Folds a full-width ASCII form to half-width and the ideographic space to a space. */
export function foldCodePoint(cp) {
  if (cp >= 0xff01 && cp <= 0xff5e) return cp - 0xfee0;
  if (cp === 0x3000) return 0x20;
  return cp;
}

/** CJK characters: one position each, bigrammed with their neighbours. */
export function isCjk(cp) {
  return (
    cp === 0x3007 ||
    (cp >= 0x3041 && cp <= 0x3096) ||
    (cp >= 0x30a1 && cp <= 0x30fa) ||
    cp === 0x30fc ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x2fa1f) ||
    (cp >= 0x30000 && cp <= 0x3134f)
  );
}

const ALPHABETIC = /^\p{Alphabetic}$/u;

/** Word characters: ASCII letters and digits; alphabetic Latin/Greek/Cyrillic. */
export function isWordChar(cp) {
  if (cp < 0x80) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  }
  const inRange = (cp >= 0xc0 && cp <= 0x24f) || (cp >= 0x370 && cp <= 0x3ff) || (cp >= 0x400 && cp <= 0x4ff);
  return inRange && cp !== 0xd7 && cp !== 0xf7 && ALPHABETIC.test(String.fromCodePoint(cp));
}

const CJK = 1;
const WORD = 2;
const SEP = 0;

function classify(cp) {
  if (isCjk(cp)) return CJK;
  if (isWordChar(cp)) return WORD;
  return SEP;
}

/**
 * Runs the tokenizer. `side` is "index" or "query". Calls emit(text, kind, position,
 * start, end) with kind "u" (unigram), "b" (bigram) or "w" (word); offsets are UTF-16
 * indices into `text`.
 */
export function scan(text, side, emit) {
  let position = 0;
  let word = "";
  let wordStart = -1;
  let wordEnd = 0;
  const run = [];
  let runEnd = 0;
  const endOf = (i) => (i + 1 < run.length ? run[i + 1] : runEnd);
  const flushRun = () => {
    const n = run.length;
    if (n === 0) return;
    if (side === "index") {
      for (let i = 0; i < n; i++) {
        emit(text.slice(run[i], endOf(i)), "u", position + i, run[i], endOf(i));
        if (i + 1 < n) emit(text.slice(run[i], endOf(i + 1)), "b", position + i, run[i], endOf(i + 1));
      }
    } else if (n === 1) {
      emit(text.slice(run[0], runEnd), "u", position, run[0], runEnd);
    } else {
      for (let i = 0; i + 1 < n; i++) {
        emit(text.slice(run[i], endOf(i + 1)), "b", position + i, run[i], endOf(i + 1));
      }
    }
    position += n;
    run.length = 0;
  };
  for (let i = 0; i < text.length; ) {
    const raw = text.codePointAt(i);
    const len = raw > 0xffff ? 2 : 1;
    const cp = foldCodePoint(raw);
    const cls = classify(cp);
    if (cls !== WORD && wordStart >= 0) {
      emit(word, "w", position, wordStart, wordEnd);
      position += 1;
      word = "";
      wordStart = -1;
    }
    if (cls !== CJK) flushRun();
    if (cls === CJK) {
      run.push(i);
      runEnd = i + len;
    } else if (cls === WORD) {
      if (wordStart < 0) wordStart = i;
      wordEnd = i + len;
      word += String.fromCodePoint(cp).toLowerCase();
    }
    i += len;
  }
  if (wordStart >= 0) {
    emit(word, "w", position, wordStart, wordEnd);
    position += 1;
  }
  flushRun();
}

function collect(text, side) {
  const out = [];
  scan(text, side, (t, kind, position, start, end) => out.push({ text: t, kind, position, start, end }));
  return out;
}

/** Index-side tokens: unigrams and bigrams of CJK runs, words. */
export function tokenizeIndex(text) {
  return collect(text, "index");
}

/** Query-side tokens: bigram phrases, lone CJK characters, words. */
export function tokenizeQuery(text) {
  return collect(text, "query");
}

const OPEN = new Set(["〔", "【", "〖", "(", "[", "{", "﹝", "〘"]);
const CLOSE = new Set(["〕", "】", "〗", ")", "]", "}", "﹞", "〙"]);

/** Folds an exact identifier (see normalize_code in tokenize.rs). */
export function normalizeCode(s) {
  let out = "";
  for (const ch of s) {
    const c = String.fromCodePoint(foldCodePoint(ch.codePointAt(0)));
    const cp = c.codePointAt(0);
    if (OPEN.has(c)) out += "[";
    else if (CLOSE.has(c)) out += "]";
    else if ((cp >= 0x2010 && cp <= 0x2015) || cp === 0x2212) out += "-";
    else if (/^\s$/u.test(c)) continue;
    else out += cp < 0x80 ? c.toUpperCase() : c;
  }
  return out;
}

/** The dictionary-word term of a query that is one CJK run of three or more characters
 * (WORD_MIN_CHARS in src/search/words.rs, which says why). */
export function queryWordTerm(text) {
  const q = text.trim();
  const cps = Array.from(q);
  return cps.length >= 3 && cps.every((c) => isCjk(c.codePointAt(0))) ? "~" + q : null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** FNV-1a (32 bit) over UTF-8: the dictionary bucket hash. */
export function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// ------------------------------------------------------------------------------------
// Snippets (mirrors src/search/snippet.rs)

export function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function collapseWhitespace(s) {
  return s.replace(/\s+/gu, " ").trim();
}

// The snippet and phrase functions read a result's title and body for every query, so
// they run one pass of the index-side tokenizer (the same rules as scan()) specialised to
// the query: CJK characters compared as code points, words made into strings only when
// the query has words, no string and no object per token.

const NEVER = 0;
const UNIGRAM = 1;
const BIGRAM = 2;
const WORDTOKEN = 3;
// What a position of the text holds, for the phrase check.
const AT_RUN_START = 1;
const AT_RUN_NEXT = 2;
const AT_WORD = 3;

/** The query's tokens prepared for findQuery(). */
export function compileQuery(queryTokens) {
  const uni = new Set();
  // Bigrams by first character, then second: keys stay small integers.
  const bi = new Map();
  const words = new Set();
  const pattern = [];
  const base = queryTokens.length ? queryTokens[0].position : 0;
  let span = 0;
  for (const t of queryTokens) {
    const cps = Array.from(t.text, (c) => c.codePointAt(0));
    const tok = { off: t.position - base, kind: NEVER, a: -1, b: -1, word: t.text };
    if (t.kind === "u" && cps.length === 1) {
      tok.kind = UNIGRAM;
      tok.a = cps[0];
      uni.add(tok.a);
    } else if (t.kind === "b" && cps.length === 2) {
      tok.kind = BIGRAM;
      tok.a = cps[0];
      tok.b = cps[1];
      if (!bi.has(tok.a)) bi.set(tok.a, []);
      bi.get(tok.a).push(tok.b);
    } else if (t.kind === "w") {
      tok.kind = WORDTOKEN;
      words.add(t.text);
    }
    span = Math.max(span, tok.off + (tok.kind === BIGRAM ? 1 : 0));
    pattern.push(tok);
  }
  return { uni, bi, words, pattern, span };
}

/** A word as scan() spells it: folded to half-width, lower case. */
function wordText(text, start, end) {
  let ascii = true;
  for (let i = start; i < end && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) return text.slice(start, end).toLowerCase();
  let word = "";
  for (let i = start; i < end; ) {
    const raw = text.codePointAt(i);
    word += String.fromCodePoint(foldCodePoint(raw)).toLowerCase();
    i += raw > 0xffff ? 2 : 1;
  }
  return word;
}

/**
 * Where the query `m` occurs in `text`: marks, the merged code point ranges of its
 * matching tokens (what matchRanges returns); phrase, whether its tokens occur at the
 * same relative positions (what hasPhrase returns); chars, the length in code points.
 */
export function findQuery(text, m) {
  const L = text.length;
  const wantWords = m.words.size > 0;
  const wantBigrams = m.bi.size > 0;
  const wantUnigrams = m.uni.size > 0;
  // Per position (a CJK character or a word): what it is and its character (or the index
  // of its word in `words`).
  const kindAt = new Uint8Array(L);
  const valAt = new Int32Array(L);
  const words = [];
  const marks = [];
  // The range being merged. Tokens come in order of their start, so merging as they come
  // gives what sorting all ranges, then merging, gives.
  let ms = -1;
  let me = -1;
  const mark = (s, e) => {
    if (ms >= 0 && s <= me) {
      if (e > me) me = e;
      return;
    }
    if (ms >= 0) marks.push([ms, me]);
    ms = s;
    me = e;
  };
  let position = 0;
  let ci = 0;
  let wordStart = -1;
  let wordStartCp = 0;
  let prev = -1;
  const endWord = (end) => {
    kindAt[position] = AT_WORD;
    if (wantWords) {
      const w = wordText(text, wordStart, end);
      valAt[position] = words.length;
      words.push(w);
      if (m.words.has(w)) mark(wordStartCp, ci);
    }
    position++;
    wordStart = -1;
  };
  for (let i = 0; i < L; ) {
    let cp = text.charCodeAt(i);
    let len = 1;
    let cls;
    // The common characters first, as classify() would class them: the first query runs
    // before the JIT has warmed up, and this loop sees every character of every result.
    if (cp >= 0x4e00 && cp <= 0x9fff) cls = CJK;
    else if (cp < 0x80) cls = (cp >= 0x30 && cp <= 0x39) || ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a) ? WORD : SEP;
    else {
      cp = text.codePointAt(i);
      if (cp > 0xffff) len = 2;
      cp = foldCodePoint(cp);
      cls = classify(cp);
    }
    if (cls !== WORD && wordStart >= 0) endWord(i);
    if (cls === CJK) {
      if (wantBigrams && prev >= 0 && m.bi.get(prev)?.includes(cp)) mark(ci - 1, ci + 1);
      if (wantUnigrams && m.uni.has(cp)) mark(ci, ci + 1);
      kindAt[position] = prev >= 0 ? AT_RUN_NEXT : AT_RUN_START;
      valAt[position] = cp;
      position++;
      prev = cp;
    } else {
      prev = -1;
      if (cls === WORD && wordStart < 0) {
        wordStart = i;
        wordStartCp = ci;
      }
    }
    i += len;
    ci++;
  }
  if (wordStart >= 0) endWord(L);
  if (ms >= 0) marks.push([ms, me]);
  return { marks, phrase: phraseFound(m, kindAt, valAt, words, position), chars: ci };
}

function phraseFound(m, kindAt, valAt, words, positions) {
  const pattern = m.pattern;
  if (pattern.length === 0) return false;
  next: for (let p = 0; p + m.span < positions; p++) {
    for (const t of pattern) {
      const q = p + t.off;
      const k = kindAt[q];
      if (t.kind === UNIGRAM) {
        if (k === AT_WORD || valAt[q] !== t.a) continue next;
      } else if (t.kind === BIGRAM) {
        if (k === AT_WORD || valAt[q] !== t.a || kindAt[q + 1] !== AT_RUN_NEXT || valAt[q + 1] !== t.b) continue next;
      } else if (t.kind === WORDTOKEN) {
        if (k !== AT_WORD || words[valAt[q]] !== t.word) continue next;
      } else return false;
    }
    return true;
  }
  return false;
}

/** Char (code point) ranges of the tokens of `text` matching the query tokens. */
export function matchRanges(text, queryTokens) {
  return findQuery(text, compileQuery(queryTokens)).marks;
}

/** Whether the query's tokens occur as one phrase in `text` (same positions rule). */
export function hasPhrase(text, queryTokens) {
  return findQuery(text, compileQuery(queryTokens)).phrase;
}

/**
 * The densest passage of at most maxChars characters as parts [text, marked]; "…" parts
 * (unmarked) stand for cut text. Rendered with textContent, never as HTML.
 */
export function snippetParts(text, queryTokens, maxChars) {
  const clean = collapseWhitespace(text);
  return passage(clean, findQuery(clean, compileQuery(queryTokens)), maxChars);
}

/** snippetParts of `clean` (whitespace collapsed) from what findQuery found in it. */
function passage(clean, found, maxChars) {
  const n = found.chars;
  const marks = found.marks;
  const start = marks.length > 0 && n > maxChars ? densest(marks, n, maxChars) : 0;
  const end = Math.min(start + maxChars, n);
  // Code point offsets to UTF-16 offsets; the same unless the text has astral characters.
  let at = null;
  if (n !== clean.length) {
    at = new Uint32Array(n + 1);
    let c = 0;
    for (let i = 0; i < clean.length; c++) {
      at[c] = i;
      i += clean.codePointAt(i) > 0xffff ? 2 : 1;
    }
    at[n] = clean.length;
  }
  const cut = (a, b) => (at ? clean.slice(at[a], at[b]) : clean.slice(a, b));
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
    push(cut(i, s), false);
    push(cut(s, e), true);
    i = e;
  }
  push(cut(i, end), false);
  if (end < n) push("…", false);
  return parts;
}

/**
 * The start of the window that covers the most marked characters, among the windows that
 * put a mark a quarter in (the first such window wins ties). Marks are sorted and apart,
 * and the windows move right as the marks do, so the marks inside a window are a range
 * kept with two indices: linear, where trying every mark in every window was quadratic
 * (a long report mentions its subject hundreds of times).
 */
function densest(marks, n, maxChars) {
  const lead = Math.floor(maxChars / 4);
  let best = 0;
  let bestCovered = 0;
  let lo = 0;
  let hi = 0;
  let sum = 0;
  for (const [ms] of marks) {
    const ws = Math.min(Math.max(ms - lead, 0), n - maxChars);
    const we = ws + maxChars;
    while (hi < marks.length && marks[hi][0] < we) {
      sum += marks[hi][1] - marks[hi][0];
      hi++;
    }
    while (lo < hi && marks[lo][1] <= ws) {
      sum -= marks[lo][1] - marks[lo][0];
      lo++;
    }
    if (lo === hi) continue;
    const covered = sum - Math.max(0, ws - marks[lo][0]) - Math.max(0, marks[hi - 1][1] - we);
    if (covered > bestCovered) {
      best = ws;
      bestCovered = covered;
    }
  }
  return best;
}

/** The same passage as HTML: escaped, matches in <mark> (what the CLI's JSON carries). */
export function snippet(text, queryTokens, maxChars) {
  return partsToHtml(snippetParts(text, queryTokens, maxChars));
}

export function partsToHtml(parts) {
  return parts.map(([t, m]) => (m ? "<mark>" + escapeHtml(t) + "</mark>" : escapeHtml(t))).join("");
}

// ------------------------------------------------------------------------------------
// Reading the static index

export const TIER_NAMES = { 1: "code", 2: "phrase", 3: "words", 4: "bigrams" };
const MIN_SHOULD_MATCH = 0.6;
const SNIPPET_CHARS = 120;

/**
 * The LEB128 number at pos.at, or -1 if `data` ends inside it: a slot is cut at any byte,
 * so the length of its first segment not kept whole may be cut too.
 */
function varintOrEnd(data, pos) {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (pos.at >= data.length) return -1;
    const b = data[pos.at++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 128;
    if (mul > 2 ** 49) throw new Error("search index: number too long");
  }
}

function varint(data, pos) {
  const v = varintOrEnd(data, pos);
  if (v < 0) throw new Error("search index: truncated number");
  return v;
}

// ------------------------------------------------------------------------------------
// zlib (RFC 1950) around DEFLATE (RFC 1951), decoded synchronously.
//
// A first query decodes some 45 record segments of ~1.5 KB. DecompressionStream costs a
// stream, a Response and several promise turns for each, many times the decoding itself,
// so the client carries this small decoder. The index is untrusted input: a malformed
// stream throws an Error; nothing reads past the input, loops on it, or grows without
// bound. It accepts and rejects what zlib's inflate does (which DecompressionStream is),
// trailing bytes after the stream included.

const LENGTH_BASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LENGTH_EXTRA = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DIST_BASE = new Uint16Array([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]);
const DIST_EXTRA = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
// Codes up to FAST_BITS long are one table look-up; longer ones (rare: a code that long
// stands for a symbol seen less than once in 2^9) are decoded bit by bit.
const FAST_BITS = 9;
const FAST_MASK = (1 << FAST_BITS) - 1;
// No segment the writer makes comes near this (it cuts bodies into ~1.5 KB); a hostile
// stream expanding 1000:1 stops here instead of taking the page's memory.
const INFLATE_LIMIT = 1 << 20;

function corrupt(what) {
  return new Error(`search index: corrupt zlib segment (${what})`);
}

/** A canonical Huffman code (RFC 1951 3.2.2), rebuilt in place for each block. */
class Huffman {
  constructor(symbols) {
    this.count = new Uint16Array(16);
    this.symbol = new Uint16Array(symbols);
    // Entry for the next FAST_BITS input bits: symbol << 4 | code length, 0 if the code
    // is longer (or the bits are no code at all).
    this.fast = new Uint16Array(1 << FAST_BITS);
  }

  /**
   * The code of lengths[from, from + n). Over-subscribed lengths are rejected, and so is
   * an incomplete set unless `loose` allows the one zlib allows: a single one-bit code
   * (or none) in a literal/length or distance code.
   */
  build(lengths, from, n, loose) {
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) count[lengths[from + i]]++;
    count[0] = 0;
    let left = 1;
    let max = 0;
    for (let len = 1; len <= 15; len++) {
      left = (left << 1) - count[len];
      if (left < 0) throw corrupt("over-subscribed code");
      if (count[len]) max = len;
    }
    if (left > 0 && max > 0 && (!loose || max > 1)) throw corrupt("incomplete code");
    // Symbols sorted by code length, then by value: the canonical order.
    const offset = new Uint16Array(16);
    for (let len = 1; len < 15; len++) offset[len + 1] = offset[len] + count[len];
    for (let i = 0; i < n; i++) {
      const len = lengths[from + i];
      if (len) this.symbol[offset[len]++] = i;
    }
    // Codes are sent most significant bit first into a stream read from the least
    // significant end, so the table is indexed by the code's bits reversed.
    const fast = this.fast;
    fast.fill(0);
    let code = 0;
    let k = 0;
    for (let len = 1; len <= FAST_BITS; len++) {
      for (let c = 0; c < count[len]; c++, k++, code++) {
        let rev = 0;
        for (let b = 0; b < len; b++) rev |= ((code >> b) & 1) << (len - 1 - b);
        const entry = (this.symbol[k] << 4) | len;
        for (let r = rev; r <= FAST_MASK; r += 1 << len) fast[r] = entry;
      }
      code <<= 1;
    }
  }
}

let fixedCodes = null;
let dynamicCodes = null;

/** The fixed codes of RFC 1951 3.2.6, built on first use. */
function fixed() {
  if (!fixedCodes) {
    const lengths = new Uint8Array(288 + 32);
    lengths.fill(8, 0, 144);
    lengths.fill(9, 144, 256);
    lengths.fill(7, 256, 280);
    lengths.fill(8, 280, 288);
    // All 32 five-bit distance codes exist; 30 and 31 are invalid when they occur.
    lengths.fill(5, 288, 320);
    const lit = new Huffman(288);
    const dist = new Huffman(32);
    lit.build(lengths, 0, 288, false);
    dist.build(lengths, 288, 32, false);
    fixedCodes = { lit, dist };
  }
  return fixedCodes;
}

/** Reads the DEFLATE bit stream of one zlib stream. */
class Inflater {
  constructor(data) {
    this.data = data;
    this.end = data.length;
    this.pos = 2;
    // Bits not yet used, least significant first; at most 23, so always a small integer.
    this.bits = 0;
    this.nbits = 0;
    this.out = new Uint8Array(Math.max(256, data.length * 4));
    this.n = 0;
  }

  /**
   * Tops the bit buffer up to at least 16 bits. Past the input it adds zero bytes, so a
   * look-up may peek beyond the last code; using more than a few of them means the stream
   * was cut short.
   */
  fill() {
    while (this.nbits < 16) {
      if (this.pos < this.end) this.bits |= this.data[this.pos] << this.nbits;
      else if (this.pos >= this.end + 4) throw corrupt("truncated");
      this.pos++;
      this.nbits += 8;
    }
  }

  take(n) {
    if (n === 0) return 0;
    if (this.nbits < n) this.fill();
    const v = this.bits & ((1 << n) - 1);
    this.bits >>>= n;
    this.nbits -= n;
    return v;
  }

  decode(h) {
    if (this.nbits < 16) this.fill();
    const bits = this.bits;
    const entry = h.fast[bits & FAST_MASK];
    if (entry !== 0) {
      const len = entry & 15;
      this.bits = bits >>> len;
      this.nbits -= len;
      return entry >> 4;
    }
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= 15; len++) {
      code |= (bits >>> (len - 1)) & 1;
      const count = h.count[len];
      if (code < first + count) {
        this.bits = bits >>> len;
        this.nbits -= len;
        return h.symbol[index + code - first];
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw corrupt("invalid code");
  }

  /** Room for `k` more output bytes. */
  grow(k) {
    const need = this.n + k;
    if (need > INFLATE_LIMIT) throw corrupt("too long");
    const out = new Uint8Array(Math.min(INFLATE_LIMIT, Math.max(need, this.out.length * 2)));
    out.set(this.out.subarray(0, this.n));
    this.out = out;
  }

  /** The input's position with the buffered whole bytes given back (at a byte boundary). */
  rewind() {
    const at = this.pos - (this.nbits >> 3);
    if (at > this.end) throw corrupt("truncated");
    this.pos = at;
    this.bits = 0;
    this.nbits = 0;
    return at;
  }

  stored() {
    this.take(this.nbits & 7);
    const len = this.take(16);
    if (len !== (~this.take(16) & 0xffff)) throw corrupt("stored length");
    const at = this.rewind();
    if (at + len > this.end) throw corrupt("truncated");
    if (this.n + len > this.out.length) this.grow(len);
    this.out.set(this.data.subarray(at, at + len), this.n);
    this.n += len;
    this.pos = at + len;
  }

  dynamic() {
    const nlit = this.take(5) + 257;
    const ndist = this.take(5) + 1;
    const ncode = this.take(4) + 4;
    if (nlit > 286 || ndist > 30) throw corrupt("too many codes");
    if (!dynamicCodes) dynamicCodes = { lengths: new Uint8Array(286 + 30), lens: new Huffman(19), lit: new Huffman(286), dist: new Huffman(30) };
    const { lengths, lens, lit, dist } = dynamicCodes;
    lengths.fill(0, 0, 19);
    for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]] = this.take(3);
    lens.build(lengths, 0, 19, false);
    const total = nlit + ndist;
    for (let i = 0; i < total; ) {
      const sym = this.decode(lens);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat;
      if (sym === 16) {
        if (i === 0) throw corrupt("repeat without a length");
        value = lengths[i - 1];
        repeat = 3 + this.take(2);
      } else if (sym === 17) repeat = 3 + this.take(3);
      else repeat = 11 + this.take(7);
      if (i + repeat > total) throw corrupt("too many lengths");
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw corrupt("no end-of-block code");
    lit.build(lengths, 0, nlit, true);
    dist.build(lengths, nlit, ndist, true);
    return dynamicCodes;
  }

  codes(lit, dist) {
    let out = this.out;
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) {
        if (this.n === out.length) {
          this.grow(1);
          out = this.out;
        }
        out[this.n++] = sym;
        continue;
      }
      if (sym === 256) return;
      const li = sym - 257;
      if (li >= 29) throw corrupt("invalid length code");
      const len = LENGTH_BASE[li] + this.take(LENGTH_EXTRA[li]);
      const di = this.decode(dist);
      if (di >= 30) throw corrupt("invalid distance code");
      const d = DIST_BASE[di] + this.take(DIST_EXTRA[di]);
      let n = this.n;
      if (d > n) throw corrupt("distance too far back");
      if (n + len > out.length) {
        this.grow(len);
        out = this.out;
      }
      // Byte by byte: the source may overlap what this copy writes.
      for (let from = n - d, stop = n + len; n < stop; ) out[n++] = out[from++];
      this.n = n;
    }
  }

  run() {
    const data = this.data;
    if (this.end < 6) throw corrupt("truncated");
    const cmf = data[0];
    const flg = data[1];
    if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw corrupt("header");
    if (flg & 0x20) throw corrupt("preset dictionary");
    for (let last = 0; !last; ) {
      last = this.take(1);
      const type = this.take(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(fixed().lit, fixed().dist);
      else if (type === 2) {
        const { lit, dist } = this.dynamic();
        this.codes(lit, dist);
      } else throw corrupt("block type");
    }
    this.take(this.nbits & 7);
    const at = this.rewind();
    if (at + 4 > this.end) throw corrupt("truncated");
    if (at + 4 < this.end) throw corrupt("bytes after the stream");
    const want = ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
    if (adler32(this.out, this.n) !== want) throw corrupt("checksum");
    return this.out.subarray(0, this.n);
  }
}

function adler32(bytes, n) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < n; ) {
    // 2048 bytes between the modulos keep both sums below 2^30: small integers to the JIT.
    const stop = Math.min(n, i + 2048);
    for (; i < stop; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Decodes one zlib stream; throws an Error on anything malformed. */
export function inflate(bytes) {
  return new Inflater(bytes).run();
}


// ------------------------------------------------------------------------------------
// Bitsets over internal ids, 32 per word.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A term's postings as a bitset of `W` words (an absent term: no bits). */
function bitsetOf(p, W) {
  const out = new Uint32Array(W);
  if (!p) return out;
  if (p.bits) {
    // Bit i of the bytes is bit i of the words on a little-endian machine (all of today's).
    const b = p.bits.subarray(0, W * 4);
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
    else for (let i = 0; i < b.length; i++) out[i >> 2] |= b[i] << ((i & 3) << 3);
    return out;
  }
  const ids = p.ids;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id >>> 5 < W) out[id >>> 5] |= 1 << (id & 31);
  }
  return out;
}

function hasBit(bits, id) {
  return ((bits[id >>> 5] >>> (id & 31)) & 1) === 1;
}

function popcount(v) {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Set bits of `bits` in start..end: whole words by popcount, the two ends masked. */
function countRange(bits, start, end) {
  if (end <= start) return 0;
  const a = start >>> 5;
  const b = (end - 1) >>> 5;
  const lo = -1 << (start & 31);
  const hi = -1 >>> (31 - ((end - 1) & 31));
  if (a === b) return popcount(bits[a] & lo & hi);
  let n = popcount(bits[a] & lo) + popcount(bits[b] & hi);
  for (let w = a + 1; w < b; w++) n += popcount(bits[w]);
  return n;
}

function setRange(bits, start, end) {
  if (end <= start) return;
  const a = start >>> 5;
  const b = (end - 1) >>> 5;
  const lo = -1 << (start & 31);
  const hi = -1 >>> (31 - ((end - 1) & 31));
  if (a === b) {
    bits[a] |= lo & hi;
    return;
  }
  bits[a] |= lo;
  bits[b] |= hi;
  for (let w = a + 1; w < b; w++) bits[w] = -1;
}

/**
 * The best K matches, ordered by `o.order` (tier, dictionary word, score, id), as
 * {id, tier, word, score}. A record's score sums, term by term in query order, idf × its
 * weight: the listed weight of a sparse term, or for a dense term the common weight plus
 * what its top-k list adds.
 *
 * Only a few records need a score of their own. One with a boost (in a sparse term's list
 * or a dense term's top-k) is scored alone. Every other record scores what every record
 * with the same terms (and, in tier 2, the same word flag) scores, so of each such class
 * only the first ids can enter the best K: each word of a tier's set is split into classes
 * by bit arithmetic, and a class is not read again once K of it are in or one of it lost.
 */
function best(lists, present, sets, o) {
  const { N, span, rank, K, codeBits, wordBits, allowed, order } = o;
  const n = lists.length;
  const W = (span + 31) >>> 5;
  const idfs = lists.map((p) => (p ? Math.log(1 + (N - p.df + 0.5) / (p.df + 0.5)) : 0));
  const boosted = new Uint32Array(W);
  // Records a delta added stand elsewhere in the order than their ids say: each is
  // considered alone, so the classes below still meet their records in order.
  if (rank) for (let id = rank.base; id < span; id++) boosted[id >>> 5] |= 1 << (id & 31);
  for (const p of lists) {
    if (!p) continue;
    const ids = p.ids;
    for (let i = 0; i < ids.length; i++) boosted[ids[i] >>> 5] |= 1 << (ids[i] & 31);
  }
  const scoreOf = (id, isBoosted) => {
    const at = id >>> 5;
    const bit = 1 << (id & 31);
    let s = 0;
    for (let t = 0; t < n; t++) {
      const p = lists[t];
      if (!p || !(present[t][at] & bit)) continue;
      const idf = idfs[t];
      if (p.bits) {
        s += idf * p.rest;
        const i = isBoosted ? indexOf(p.ids, id) : -1;
        if (i >= 0) s += idf * (p.weights[i] - p.rest);
      } else s += idf * p.weights[indexOf(p.ids, id)];
    }
    return s;
  };
  const head = [];
  const consider = (id, tier, isBoosted) => {
    const word = tier === 2 && wordBits && hasBit(wordBits, id) ? 0 : 1;
    const s = scoreOf(id, isBoosted);
    if (head.length === K) {
      // `order` against the last of the best K, on plain values, before any object.
      const last = head[K - 1];
      const later = rank ? rank.of[id] > rank.of[last.id] : id > last.id;
      if (tier !== last.tier ? tier > last.tier : word !== last.word ? word > last.word : s !== last.score ? s < last.score : later) return false;
    }
    const cand = { id, tier, word, score: s };
    let lo = 0;
    let hi = head.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(head[mid], cand) <= 0) lo = mid + 1;
      else hi = mid;
    }
    head.splice(lo, 0, cand);
    if (head.length > K) head.pop();
    return true;
  };
  const classBits = new Int32Array(33);
  const classKey = new Int32Array(33);
  const take = (tier, set) => {
    // Tier 2 has every term: its classes differ only by the word flag.
    const split = tier === 2 ? (wordBits ? [wordBits] : []) : present;
    const room = new Map();
    for (let w = 0; w < W; w++) {
      const x = set[w];
      if (!x) continue;
      for (let v = x & boosted[w]; v; v &= v - 1) consider((w << 5) + 31 - Math.clz32(v & -v), tier, true);
      const plain = x & ~boosted[w];
      if (!plain) continue;
      if (split.length > 31) {
        // Too many terms to tell classes apart by a 32-bit key: each record on its own.
        for (let v = plain; v; v &= v - 1) consider((w << 5) + 31 - Math.clz32(v & -v), tier, false);
        continue;
      }
      classBits[0] = plain;
      classKey[0] = 0;
      let classes = 1;
      for (let t = 0; t < split.length; t++) {
        const has = split[t][w];
        for (let c = 0, before = classes; c < before; c++) {
          const bits = classBits[c];
          const inside = bits & has;
          if (!inside) continue;
          classKey[c] |= 1 << t;
          if (inside !== bits) {
            classBits[c] = inside;
            classBits[classes] = bits & ~has;
            classKey[classes++] = classKey[c] & ~(1 << t);
          }
        }
      }
      for (let c = 0; c < classes; c++) {
        const key = classKey[c];
        let left = room.has(key) ? room.get(key) : K;
        for (let v = classBits[c]; v && left > 0; v &= v - 1) {
          left = consider((w << 5) + 31 - Math.clz32(v & -v), tier, false) ? left - 1 : 0;
        }
        room.set(key, left);
      }
    }
  };
  // The tiers in order, each set built only if a record of it can still enter.
  const open = (tier) => head.length < K || head[K - 1].tier >= tier;
  const base = new Int32Array(W);
  for (let w = 0; w < W; w++) base[w] = (allowed ? allowed[w] : -1) & (codeBits ? ~codeBits[w] : -1);
  const set = new Int32Array(W);
  if (codeBits) {
    for (let w = 0; w < W; w++) set[w] = codeBits[w] & (allowed ? allowed[w] : -1);
    take(1, set);
  }
  if (open(2)) {
    for (let w = 0; w < W; w++) set[w] = sets.all[w] & base[w];
    take(2, set);
  }
  if (n > 1 && open(3)) {
    for (let w = 0; w < W; w++) set[w] = sets.covered[w] & ~sets.all[w] & base[w];
    take(3, set);
  }
  if (n > 1 && open(4)) {
    for (let w = 0; w < W; w++) set[w] = sets.most[w] & ~sets.covered[w] & ~sets.all[w] & base[w];
    take(4, set);
  }
  return head;
}

/**
 * The order of the records when a delta added some (meta.delta.added: the base id each
 * added one goes before, for ids base, base + 1, …): {base, of}, `of` each id's rank; null
 * when ids are in order. src/search/static_index/delta.rs `ranks` computes the same.
 */
export function ranksOf(span, added) {
  if (added.length === 0) return null;
  const base = span - added.length;
  if (base < 0) throw new Error("search index: more added records than ids");
  const of = new Uint32Array(span);
  let next = 0;
  let j = 0;
  for (let id = 0; id <= base; id++) {
    while (j < added.length && added[j] === id) of[base + j++] = next++;
    if (id < base) of[id] = next++;
  }
  if (j !== added.length) throw new Error("search index: added records out of order");
  return { base, of };
}

/** Index of `id` in the ascending `ids`, or -1. */
function indexOf(ids, id) {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < ids.length && ids[lo] === id ? lo : -1;
}

/**
 * The match sets of a query over N records, from the bitsets of its terms: `all` (every
 * term: the phrase tier, before the text check), `covered` (every group kept: each word and
 * lone character present, each run of bigrams with its first and last and never two
 * neighbours missing), `most` (at least `minMatch` terms, by a bit-sliced count) and
 * `member` (any tier, code matches included). With fewer than two terms only `all` counts.
 * The loops run term by term over the words, so one short loop body does all the work and
 * is compiled early: the first query runs before the JIT has warmed up.
 */
function matchSets(present, groups, minMatch, N, code) {
  const n = present.length;
  const W = (N + 31) >>> 5;
  const tail = N & 31 ? (1 << (N & 31)) - 1 : -1;
  const all = new Uint32Array(W);
  const covered = new Uint32Array(W);
  const most = new Uint32Array(W);
  const member = new Uint32Array(W);
  if (n > 0) {
    all.set(present[0]);
    for (let t = 1; t < n; t++) {
      const p = present[t];
      for (let w = 0; w < W; w++) all[w] &= p[w];
    }
  }
  member.set(all);
  if (n > 1) {
    covered.fill(-1);
    covered[W - 1] = tail;
    for (const g of groups) {
      const first = present[g[0]];
      const last = present[g[g.length - 1]];
      for (let w = 0; w < W; w++) covered[w] &= first[w] & last[w];
      for (let k = 1; k < g.length; k++) {
        const a = present[g[k - 1]];
        const b = present[g[k]];
        for (let w = 0; w < W; w++) covered[w] &= a[w] | b[w];
      }
    }
    // Bit j of a record's count of terms lives in planes[j]; adding a term is a ripple carry.
    const P = 32 - Math.clz32(n);
    const planes = [];
    for (let j = 0; j < P; j++) planes.push(new Int32Array(W));
    const carry = new Int32Array(W);
    for (let t = 0; t < n; t++) {
      carry.set(present[t]);
      for (let j = 0; j < P; j++) {
        const plane = planes[j];
        let any = 0;
        for (let w = 0; w < W; w++) {
          const x = plane[w];
          const c = carry[w];
          plane[w] = x ^ c;
          carry[w] = x & c;
          any |= x & c;
        }
        if (!any) break;
      }
    }
    // count ≥ minMatch, compared from the highest bit down: greater so far, or equal so far.
    const gt = new Int32Array(W);
    const eq = new Int32Array(W).fill(-1);
    for (let j = P - 1; j >= 0; j--) {
      const plane = planes[j];
      if ((minMatch >> j) & 1) for (let w = 0; w < W; w++) eq[w] &= plane[w];
      else
        for (let w = 0; w < W; w++) {
          gt[w] |= eq[w] & plane[w];
          eq[w] &= ~plane[w];
        }
    }
    for (let w = 0; w < W; w++) {
      most[w] = (gt[w] | eq[w]) & (w === W - 1 ? tail : -1);
      member[w] |= covered[w] | most[w];
    }
  }
  if (code) for (let w = 0; w < W; w++) member[w] |= code[w];
  return { all, covered, most, member };
}

/** Whether data[at, at + len) holds exactly `bytes`. */
function sameBytes(bytes, data, at, len) {
  if (bytes.length !== len || at + len > data.length) return false;
  for (let i = 0; i < len; i++) if (data[at + i] !== bytes[i]) return false;
  return true;
}

/** The index format read here (src/search/static_index.rs `FORMAT_VERSION`). */
export const FORMAT_VERSION = 4;

/** Width of a dictionary page (src/search/static_index.rs `PAGE_BYTES`). */
export const PAGE_BYTES = 1024;

/** The files read by range, which a server that ignores Range makes the client load whole
 * (categories.bin and a delta's files too when meta.json lists them). */
const RANGE_FILES = ["dict.bin", "post.bin", "docs.bin"];
const LISTED_FILES = ["categories.bin", "post-delta.bin", "docs-delta.bin"];

/**
 * One list of categories.bin (src/search/static_index/categories.rs) as a bitset of `W`
 * words over N ids: form 0, a count and delta-varint ids; form 1, a bitset of ceil(N / 8)
 * bytes. The file is untrusted input: a list that is cut short, names an id past N or has
 * another form throws an Error.
 */
export function decodeCategoryList(data, N) {
  const W = (N + 31) >>> 5;
  const out = new Uint32Array(W);
  if (data.length === 0) throw new Error("search index: empty category list");
  if (data[0] === 0) {
    const pos = { at: 1 };
    const k = varint(data, pos);
    let id = 0;
    for (let i = 0; i < k; i++) {
      id = i === 0 ? varint(data, pos) : id + varint(data, pos);
      if (id >= N) throw new Error("search index: category list past the last record");
      out[id >>> 5] |= 1 << (id & 31);
    }
    return out;
  }
  if (data[0] === 1) {
    const n = Math.ceil(N / 8);
    if (data.length < 1 + n) throw new Error("search index: category bitset cut short");
    for (let i = 0; i < n; i++) out[i >> 2] |= data[1 + i] << ((i & 3) << 3);
    // Bits past N would be records that do not exist.
    if (N & 31) out[W - 1] &= (1 << (N & 31)) - 1;
    return out;
  }
  throw new Error(`search index: category list of form ${data[0]}`);
}

/**
 * The most bytes of RANGE_FILES loaded whole from a server that ignores Range: a portal of
 * a few hundred records (the demo's 145 come to 660 KB). Past it, one page load would
 * download many megabytes on a phone; search gives up instead (NoRangeError).
 */
export const WHOLE_BUDGET = 2 * 1024 * 1024;

/**
 * The server answers Range requests with whole files, and the index is too large to load
 * whole (or its meta.json does not say how large). The search page shows it as its own
 * message: nothing the reader can retry.
 */
export class NoRangeError extends Error {
  constructor(bytes) {
    super(`the server ignores HTTP Range and the search index (${Number.isFinite(bytes) ? bytes + " bytes" : "size unknown"}) is over the ${WHOLE_BUDGET} bytes loaded whole`);
    this.name = "NoRangeError";
    this.bytes = bytes;
  }
}

/** A static index under `base` (a URL ending in "/"), read with `fetchImpl`. */
export class StaticIndex {
  /**
   * hint: {version, pages} from the search page's HTML (data-version, data-pages). With it
   * the first query fetches its dictionary pages in the same round trip as meta.json.
   */
  constructor(base, fetchImpl, hint = {}) {
    this.base = base;
    this.fetch = fetchImpl || ((...a) => fetch(...a));
    this.pages = Number(hint.version) === FORMAT_VERSION && Number(hint.pages) > 0 ? Number(hint.pages) : 0;
    this.entries = new Map();
    this.postingCache = new Map();
    this.cost = { requests: 0, bytes: 0 };
    this.ready = null;
    // Once a Range request is answered with a whole file: the files loaded whole (a promise
    // of Map file → promise of bytes), the controllers of range requests still in flight,
    // and the error that ends every later search without a request.
    this.rangeless = false;
    this.whole = null;
    this.inflight = new Set();
    this.failed = null;
  }

  /** Loads meta.json once. */
  load() {
    if (!this.ready) {
      this.ready = (async () => {
        const meta = JSON.parse(decoder.decode(await this.get("meta.json")));
        if (meta.version !== FORMAT_VERSION || meta.page_bytes !== PAGE_BYTES) throw new Error(`search index format ${meta.version}, expected ${FORMAT_VERSION}`);
        this.meta = meta;
        if (this.pages !== meta.pages) {
          // The page's hint was stale (an old cached page over a new index): forget what
          // was looked up with it.
          this.pages = meta.pages;
          this.entries.clear();
        }
        // A delta that added or removed records has more ids than records: its removed
        // records keep ids that nothing names, and its added ones take ids after the
        // base's, in the order meta.delta.added gives them (see ranksOf).
        this.span = Number.isSafeInteger(meta.delta?.span) ? meta.delta.span : meta.docs;
        this.rank = ranksOf(this.span, Array.isArray(meta.delta?.added) ? meta.delta.added : []);
        this.runOf = new Uint32Array(this.span);
        this.meta.runs.forEach(([start, count], r) => this.runOf.fill(r, start, start + count));
        // Category → [documents, offset, length] in categories.bin (an index without the
        // file has no categories).
        this.categoryTable = new Map((Array.isArray(meta.categories) ? meta.categories : []).map(([name, n, off, len]) => [String(name), { n, off, len }]));
      })();
      this.ready.catch(() => (this.ready = null));
    }
    return this.ready;
  }

  async get(file) {
    const r = await this.fetch(this.base + file);
    if (!r.ok) throw new Error(`${file}: HTTP ${r.status}`);
    const b = new Uint8Array(await r.arrayBuffer());
    this.cost.requests += 1;
    this.cost.bytes += b.length;
    return b;
  }

  /** Bytes start..end of a file. */
  async range(file, start, end) {
    if (end <= start) return new Uint8Array(0);
    if (this.failed) throw this.failed;
    if (!this.rangeless) {
      const b = await this.fetchRange(file, start, end);
      if (b) return b;
    }
    const files = await this.loadWhole();
    return (await files.get(file)).subarray(start, end);
  }

  /**
   * Bytes start..end by a Range request, or null when the server ignores Range: the
   * transfer of a whole file it answered with is stopped at its headers, and so are the
   * other range requests in flight (their answers are whole files too).
   */
  async fetchRange(file, start, end) {
    const abort = new AbortController();
    this.inflight.add(abort);
    this.cost.requests += 1;
    try {
      // Not through the HTTP cache: Chromium's cache lets one request per URL be in flight
      // and queues the others, so the ranges of one round (a dozen dictionary pages, the
      // result slots) would go one after another, a network round trip each.
      const r = await this.fetch(this.base + file, { headers: { Range: `bytes=${start}-${end - 1}` }, cache: "no-store", signal: abort.signal });
      if (r.status === 206) {
        const b = new Uint8Array(await r.arrayBuffer());
        this.cost.bytes += b.length;
        return b;
      }
      if (!r.ok) throw new Error(`${file}: HTTP ${r.status}`);
      this.rangeless = true;
      for (const a of this.inflight) a.abort();
      return null;
    } catch (e) {
      if (abort.signal.aborted && this.rangeless) return null;
      throw e;
    } finally {
      this.inflight.delete(abort);
    }
  }

  /**
   * RANGE_FILES loaded whole, each once for the life of the page, all in one round trip;
   * or NoRangeError, before any of them is asked for, when meta.json puts them over
   * WHOLE_BUDGET.
   */
  loadWhole() {
    if (!this.whole) {
      this.whole = (async () => {
        await this.load();
        const sizes = this.meta.files || {};
        const names = [...RANGE_FILES, ...LISTED_FILES.filter((f) => f in sizes)];
        const total = names.reduce((n, f) => n + (Number.isSafeInteger(sizes[f]) && sizes[f] >= 0 ? sizes[f] : Infinity), 0);
        if (!(total <= WHOLE_BUDGET)) throw (this.failed = new NoRangeError(total));
        const files = new Map(names.map((f) => [f, this.getWhole(f, sizes[f])]));
        // A file the query does not need is still loaded: keep its failure from being
        // reported as unhandled. A query that needs it sees the failure.
        for (const p of files.values()) p.catch(() => {});
        return files;
      })();
      // meta.json may fail to load for a moment; the files themselves are not asked for
      // again (a failure there ends the page's search, not re-downloads every query).
      this.whole.catch(() => {
        if (!this.failed && !this.meta) this.whole = null;
      });
    }
    return this.whole;
  }

  /** A whole file of `size` bytes (what meta.json says), read only if it is that size. */
  async getWhole(file, size) {
    if (size === 0) return new Uint8Array(0);
    const abort = new AbortController();
    const r = await this.fetch(this.base + file, { signal: abort.signal });
    this.cost.requests += 1;
    const stop = (why) => {
      abort.abort();
      return new Error(`${file}: ${why}`);
    };
    if (!r.ok) throw stop(`HTTP ${r.status}`);
    // Larger than meta.json says: another build's file (a cache between builds), which the
    // budget did not count. A compressed transfer is smaller, and checked once decoded.
    const length = Number(r.headers?.get("Content-Length"));
    if (length > size) throw stop(`${length} bytes, meta.json says ${size}`);
    const b = new Uint8Array(await r.arrayBuffer());
    this.cost.bytes += b.length;
    if (b.length !== size) throw new Error(`${file}: ${b.length} bytes, meta.json says ${size}`);
    return b;
  }

  /** Dictionary entries of `terms`: Map term → {df, inline | off+len}. */
  async lookup(terms) {
    if (!this.pages) await this.load();
    const pages = this.pages;
    const byPage = new Map();
    for (const term of terms) {
      if (this.entries.has(term)) continue;
      const p = fnv1a(term) % pages;
      if (!byPage.has(p)) byPage.set(p, []);
      byPage.get(p).push(term);
    }
    const width = PAGE_BYTES;
    const found = await Promise.all(
      [...byPage].map(async ([p, wanted]) => {
        const data = await this.range("dict.bin", p * width, (p + 1) * width);
        // A page holds some 40 terms and the query wants one or two of them: compare UTF-8
        // bytes rather than decode every term. Terms are whole UTF-8 strings (the writer
        // skips longer ones), so equal bytes are equal strings; a wanted string that is not
        // well-formed (a lone surrogate) can equal no decoded term and is left out.
        const want = [];
        for (const t of wanted) {
          const bytes = encoder.encode(t);
          if (decoder.decode(bytes) === t) want.push([t, bytes]);
        }
        const found = new Map();
        const pos = { at: 0 };
        while (pos.at < data.length) {
          const len = data[pos.at++];
          if (len === 0) break;
          const hits = want.filter(([, bytes]) => sameBytes(bytes, data, pos.at, len));
          pos.at += len;
          const df = varint(data, pos);
          const form = data[pos.at++];
          let entry;
          if (form === 0) {
            const n = varint(data, pos);
            if (hits.length) entry = { df, inline: data.slice(pos.at, pos.at + n) };
            pos.at += n;
          } else {
            // Form 1: in post.bin; form 2: in post-delta.bin, where a build that took a few
            // changed records as a delta put their terms' new postings.
            const off = varint(data, pos);
            const n = varint(data, pos);
            entry = { df, off, len: n, file: form === 2 ? "post-delta.bin" : "post.bin" };
          }
          for (const [t] of hits) found.set(t, entry);
        }
        return [wanted, found];
      }),
    );
    // meta.json may have arrived meanwhile and shown the hint stale: then look up again.
    if (pages !== this.pages) return this.lookup(terms);
    for (const [wanted, f] of found) for (const t of wanted) this.entries.set(t, f.get(t) || null);
    return new Map(terms.map((t) => [t, this.entries.get(t)]));
  }

  /** Decoded postings: {df, ids, weights} or dense {df, bits, ids, weights, rest}. */
  async postings(term, entry) {
    if (!entry) return null;
    if (this.postingCache.has(term)) return this.postingCache.get(term);
    const data = entry.inline || (await this.range(entry.file, entry.off, entry.off + entry.len));
    const pos = { at: 1 };
    let p;
    const readList = (k) => {
      const ids = new Uint32Array(k);
      let id = 0;
      for (let i = 0; i < k; i++) {
        id = i === 0 ? varint(data, pos) : id + varint(data, pos);
        ids[i] = id;
      }
      const weights = data.slice(pos.at, pos.at + k);
      pos.at += k;
      return [ids, weights];
    };
    if (data[0] === 0) {
      const [ids, weights] = readList(entry.df);
      p = { df: entry.df, ids, weights, bits: null };
    } else {
      const nb = varint(data, pos);
      const bits = data.slice(pos.at, pos.at + nb);
      pos.at += nb;
      const k = varint(data, pos);
      const [ids, weights] = readList(k);
      p = { df: entry.df, ids, weights, bits, rest: data[pos.at] };
    }
    this.postingCache.set(term, p);
    return p;
  }

  /**
   * Bitsets of the categories `names` (null: every category) by name, each read from
   * categories.bin once for the page: every list in one range, or one range per list.
   * Names the index does not have are left out.
   */
  async categoryBits(names) {
    await this.load();
    if (!this.categoryCache) this.categoryCache = new Map();
    const table = this.categoryTable;
    const N = this.span;
    const all = names || [...table.keys()];
    const wanted = all.filter((c) => table.has(c) && !this.categoryCache.has(c));
    const read = (data, start, c) => {
      const { off, len } = table.get(c);
      if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < start || len < 1) throw new Error(`search index: category ${c}: bad offset`);
      this.categoryCache.set(c, decodeCategoryList(data.subarray(off - start, off - start + len), N));
    };
    if (wanted.length > 1) {
      const start = Math.min(...wanted.map((c) => table.get(c).off));
      const end = Math.max(...wanted.map((c) => table.get(c).off + table.get(c).len));
      const data = await this.range("categories.bin", start, end);
      for (const c of wanted) read(data, start, c);
    } else if (wanted.length === 1) {
      const { off, len } = table.get(wanted[0]);
      read(await this.range("categories.bin", off, off + len), off, wanted[0]);
    }
    return new Map(all.filter((c) => this.categoryCache.has(c)).map((c) => [c, this.categoryCache.get(c)]));
  }

  /**
   * Searches. opts: {kind, agency, year, category, categoryCounts, limit}. Returns {hits,
   * total, facets, unknownCategory}; hits carry slug, kind, url, title, titleParts,
   * agency_name, date, score, snippet (HTML), snippetParts ([text, marked] pairs, for the
   * page), tier. facets.categories ([name, count], what `gongkai search` counts) only with
   * categoryCounts: it reads all of categories.bin; a category filter alone reads its list.
   */
  async search(text, opts = {}) {
    if (this.failed) throw this.failed;
    const limit = opts.limit || 10;
    const category = opts.category ? String(opts.category) : "";
    const wantCounts = Boolean(opts.categoryCounts);
    const qt = tokenizeQuery(text);
    const code = normalizeCode(text);
    const terms = [...new Set(qt.map((t) => t.text))];
    const codeTerm = code ? "#" + code : null;
    const wordTerm = queryWordTerm(text);
    const empty = { hits: [], total: 0, facets: { kinds: [], agencies: [], years: [], categories: null }, unknownCategory: false };
    if (terms.length === 0 && !codeTerm) return empty;
    const extra = [codeTerm, wordTerm].filter(Boolean);
    // One round trip for both: meta.json and the dictionary pages (see the constructor).
    const first = Promise.all([this.load(), this.lookup([...terms, ...extra])]);
    const [, entries] = await first;
    const meta = this.meta;
    // Records, for the idf; ids, for the bitsets.
    const N = meta.docs;
    const span = this.span;
    const rank = this.rank;
    const unknownCategory = category !== "" && !this.categoryTable.has(category);
    // The category lists in the round trip of the postings: their offsets came with meta.json.
    const needLists = this.categoryTable.size > 0 && (wantCounts || (category && !unknownCategory));
    const [lists, codeList, wordList, cats] = await Promise.all([
      Promise.all(terms.map((t) => this.postings(t, entries.get(t)))),
      codeTerm ? this.postings(codeTerm, entries.get(codeTerm)) : null,
      wordTerm ? this.postings(wordTerm, entries.get(wordTerm)) : null,
      needLists ? this.categoryBits(wantCounts ? null : [category]) : null,
    ]);

    // Which records match, as bitsets over internal ids: a common word matches most of a
    // large portal, and the first query runs before the JIT has warmed up, so matching is
    // word arithmetic over bitsets (3,125 words at 100,000 records), whatever the counts.
    const nTerms = terms.length;
    const W = (span + 31) >>> 5;
    const present = lists.map((p) => bitsetOf(p, W));
    const codeBits = codeList ? bitsetOf(codeList, W) : null;
    const wordBits = wordList ? bitsetOf(wordList, W) : null;

    // Query structure for the words tier: runs of bigrams may split where a bigram is
    // missing, as long as every piece keeps two characters; words and lone characters
    // must be present.
    const termIndex = new Map(terms.map((t, i) => [t, i]));
    const groups = [];
    let prev = null;
    for (const t of qt) {
      const i = termIndex.get(t.text);
      if (t.kind === "b" && prev && prev.kind === "b" && t.position === prev.position + 1) {
        groups[groups.length - 1].push(i);
      } else groups.push([i]);
      prev = t;
    }
    const minMatch = nTerms > 1 ? Math.ceil(nTerms * MIN_SHOULD_MATCH) : nTerms;
    const sets = matchSets(present, groups, minMatch, span, codeBits);

    // Facet counts per run of ids (all matches), and the filter as a set of runs.
    const runs = meta.runs;
    const perRun = new Uint32Array(runs.length);
    for (let r = 0; r < runs.length; r++) perRun[r] = countRange(sets.member, runs[r][0], runs[r][0] + runs[r][1]);
    const allowedRun = runs.map(
      (r) =>
        !(opts.kind && meta.kinds[r[2]] !== opts.kind) &&
        !(opts.agency && meta.agencies[r[3]][0] !== opts.agency) &&
        !(opts.year && (r[4] < 0 || meta.years[r[4]] !== Number(opts.year))),
    );
    let total = 0;
    perRun.forEach((n, r) => (total += allowedRun[r] ? n : 0));
    let allowed = null;
    if (allowedRun.some((a) => !a)) {
      allowed = new Uint32Array(W);
      runs.forEach(([start, n], r) => allowedRun[r] && setRange(allowed, start, start + n));
    }
    // A category is a list of ids, not runs: the filter and the total are word arithmetic.
    // A category the index does not have (a URL's parameter) lets nothing through.
    if (category) {
      const only = cats?.get(category) || new Uint32Array(W);
      if (!allowed) allowed = only.slice();
      else for (let w = 0; w < W; w++) allowed[w] &= only[w];
      total = 0;
      for (let w = 0; w < W; w++) total += popcount(sets.member[w] & allowed[w]);
    }
    const order = rank
      ? (a, b) => a.tier - b.tier || a.word - b.word || b.score - a.score || rank.of[a.id] - rank.of[b.id]
      : (a, b) => a.tier - b.tier || a.word - b.word || b.score - a.score || a.id - b.id;
    const head = best(lists, present, sets, { N, span, rank, K: limit + 5, codeBits, wordBits, allowed, order });
    const facets = { kinds: new Map(), agencies: new Map(), years: new Map() };
    const bump = (m, k, n) => m.set(k, (m.get(k) || 0) + n);
    perRun.forEach((n, i) => {
      if (!n) return;
      const r = runs[i];
      bump(facets.kinds, meta.kinds[r[2]], n);
      if (meta.agencies[r[3]][0]) bump(facets.agencies, meta.agencies[r[3]][0], n);
      if (r[4] >= 0) bump(facets.years, meta.years[r[4]], n);
    });

    // Records of the leading results; phrase-tier records are checked against their text.
    // The records past `limit` are read only to take the place of a phrase-tier record that
    // its text demotes: with no such record among the first `limit`, nothing moves and they
    // cannot be shown (a one-term query, or one whose leading records lack a term).
    const canDemote = nTerms > 1 && head.slice(0, limit).some((c) => c.tier === 2);
    const fetched = canDemote ? head : head.slice(0, limit);
    const records = await Promise.all(fetched.map((c) => this.record(c.id)));
    // Each text is read once for the query, for its phrase, its marks and its snippet. The
    // whitespace collapsed for the snippet changes no token (whitespace only separates), so
    // the phrase and the marks found in the collapsed text are those of the text.
    const matcher = compileQuery(qt);
    const seen = new Map();
    const find = (text) => {
      let f = seen.get(text);
      if (!f) {
        const clean = collapseWhitespace(text);
        f = findQuery(clean, matcher);
        f.clean = clean;
        seen.set(text, f);
      }
      return f;
    };
    const phraseIn = (rec) => find(rec.title).phrase || find(rec.codes).phrase || find(rec.body).phrase;
    // A record longer than its slot is cut (see static_index.rs): when its phrase is not in
    // the part the slot holds, it keeps the phrase tier its bigrams earned — the rest of the
    // record is never fetched, so a query stays at three round trips.
    // Once `limit` records hold their tier, the ones after them cannot be shown whatever
    // their text says, so they are not decoded.
    let kept = 0;
    fetched.forEach((c, i) => {
      const rec = records[i];
      c.rec = rec;
      if (kept >= limit) return;
      if (c.tier === 2 && nTerms > 1 && !rec.cut && !phraseIn(rec)) c.tier = hasBit(sets.covered, c.id) ? 3 : 4;
      else kept += 1;
    });
    head.sort(order);
    // Ties in count go by code point: the keys are record types and agency slugs (ASCII),
    // and a locale-aware order would cost building a collator (10-20 ms on a first query)
    // and differ between readers' browsers.
    const byKey = (a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0);
    const kindsSorted = (m) => [...m].sort((a, b) => b[1] - a[1] || byKey(a, b));
    const agencyName = new Map(meta.agencies);
    // Matches per category, whatever the filters (as the other facets count); the chosen
    // category stays listed at 0, so that it can be cleared.
    let categories = null;
    if (wantCounts) {
      categories = [];
      for (const [c, bits] of cats || []) {
        let n = 0;
        for (let w = 0; w < W; w++) n += popcount(sets.member[w] & bits[w]);
        if (n > 0 || c === category) categories.push([c, n]);
      }
      categories = kindsSorted(categories);
    }
    return {
      total,
      unknownCategory,
      facets: {
        kinds: kindsSorted(facets.kinds),
        agencies: kindsSorted(facets.agencies).map(([slug, n]) => [slug, n, agencyName.get(slug) || slug]),
        years: [...facets.years].sort((a, b) => b[0] - a[0]),
        categories,
      },
      hits: head.slice(0, limit).map((c) => {
        const rec = c.rec;
        const r = meta.runs[this.runOf[c.id]];
        const body = find(rec.body);
        const title = find(rec.title);
        const bodyParts = passage(body.clean, body, SNIPPET_CHARS);
        const titleParts = passage(title.clean, title, 1000);
        const marked = (parts) => parts.some((p) => p[1]);
        const snippetOf = marked(bodyParts) || !marked(titleParts) ? bodyParts : titleParts;
        return {
          slug: rec.slug,
          kind: meta.kinds[r[2]],
          url: rec.url,
          title: rec.title,
          titleParts,
          agency_name: meta.agencies[r[3]][1],
          date: rec.date || null,
          score: c.score,
          snippet: partsToHtml(snippetOf),
          snippetParts: snippetOf,
          tier: TIER_NAMES[c.tier],
        };
      }),
    };
  }

  /** The slot of internal id `id`, parsed; body holds the segments the slot contains. */
  async record(id) {
    const W = this.meta.slot;
    // A record changed since the base was written has its slot in docs-delta.bin, at its
    // place among meta.delta.ids (ascending).
    const changed = this.meta.delta?.ids;
    const i = Array.isArray(changed) ? indexOf(changed, id) : -1;
    const rec = new Rec(i >= 0 ? await this.range("docs-delta.bin", i * W, (i + 1) * W) : await this.range("docs.bin", id * W, (id + 1) * W));
    const pos = { at: 0 };
    const str = () => {
      const n = varint(rec.data, pos);
      if (pos.at + n > rec.data.length) throw new Error(`docs.bin: record ${id} overflows its slot`);
      const s = decoder.decode(rec.data.subarray(pos.at, pos.at + n));
      pos.at += n;
      return s;
    };
    rec.title = str();
    rec.url = str();
    rec.date = str();
    rec.slug = str();
    rec.codes = str();
    this.segments(rec, pos.at);
    return rec;
  }

  /** Takes the complete segments of the slot from `at` on (decoded when read); a record
   * whose segments run past the slot's end was cut. */
  segments(rec, at) {
    const pos = { at };
    rec.cut = false;
    for (;;) {
      if (pos.at >= rec.data.length) {
        rec.cut = true;
        break;
      }
      const n = varintOrEnd(rec.data, pos);
      if (n === 0) break;
      if (n < 0 || pos.at + n > rec.data.length) {
        rec.cut = true;
        break;
      }
      rec.pending.push(rec.data.subarray(pos.at, pos.at + n));
      pos.at += n;
    }
  }
}

/**
 * A record read from its slot. The body's segments are decoded when the body is first
 * read: a record fetched to settle the order but not shown may never need it.
 */
class Rec {
  constructor(data) {
    this.data = data;
    this.pending = [];
    this.text = "";
  }

  get body() {
    if (this.pending.length) {
      // All or nothing: a segment that fails to decode fails every read, not just one.
      let more = "";
      for (const seg of this.pending) more += decoder.decode(inflate(seg));
      this.pending.length = 0;
      this.text += more;
    }
    return this.text;
  }
}

// ------------------------------------------------------------------------------------
// Page wiring (browser only). Every text that comes from the query, the URL or the index
// reaches the page through textContent or attributes set by the DOM API, never as HTML.

export const KIND_LABELS = {
  document: "政府文件",
  power: "权责事项",
  service: "服务事项",
  decision: "重大决策",
  report: "年度报告",
  page: "页面",
};

/** What the page says on a host that ignores Range when the index is too large to load
 * whole: the reader cannot fix it, the site's administrator can. */
export const NO_RANGE_MESSAGE = "此网站的服务器不支持按范围读取检索文件（HTTP Range），站内检索暂不可用；请通过各目录页浏览，或联系网站管理员。";

const FACETS = [
  ["type", "类型", "kinds"],
  ["agency", "机关", "agencies"],
  ["year", "年份", "years"],
];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.dataset[k.slice(5).replace(/-(\w)/g, (_, c) => c.toUpperCase())] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A fragment of text nodes and <mark> elements from snippet parts. */
function renderParts(parts) {
  const frag = document.createDocumentFragment();
  for (const [text, marked] of parts) {
    if (marked) {
      const m = document.createElement("mark");
      m.textContent = text;
      frag.append(m);
    } else frag.append(document.createTextNode(text));
  }
  return frag;
}

/** Only same-site paths become links (the index is ours, but stay strict). */
function safeHref(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "#";
}

function init() {
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-input");
  const results = document.getElementById("search-results");
  const facetsEl = document.getElementById("search-facets");
  const status = document.getElementById("search-status");
  if (!form || !input || !results) return;
  document.documentElement.classList.add("gk-search-js");
  const base = form.dataset.index || new URL(".", form.action || location.href).href;
  const index = new StaticIndex(base, null, { version: form.dataset.version, pages: form.dataset.pages });
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", type: params.get("type") || "", agency: params.get("agency") || "", year: params.get("year") || "", category: params.get("category") || "" };
  // The category counts read all of categories.bin: only once the reader opens them (or
  // arrives with a category chosen, which they show).
  state.catsOpen = Boolean(state.category);
  input.value = state.q;
  // The facet buttons are redrawn with each answer; the category panel stays, so that its
  // open state and the focus on its summary survive a query.
  const groupsEl = el("div", { class: "gk-search-facet-groups" });
  // On a phone, and more so at the larger font sizes, the facets would push the results a
  // few screens down: there they start folded, their summary naming what is chosen.
  // A folding panel of filters (hidden until it has some), its summary naming what is
  // chosen in it: `[panel, what the summary says is chosen]`.
  const foldable = (cls, label, body, open) => {
    const chosen = el("span", { class: "gk-search-category-chosen" });
    const panel = el("details", { class: cls }, el("summary", {}, label, chosen), body);
    panel.hidden = true;
    panel.open = open;
    return [panel, chosen];
  };
  const saysChosen = (span, values) => {
    span.textContent = values.length ? `：已选“${values.join("”“")}”` : "";
  };
  const [filterPanel, filterChosen] = foldable("gk-search-filters", "按类型、机关、年份筛选", groupsEl, !window.matchMedia || window.matchMedia("(min-width: 48em)").matches);
  const catList = el("div", { class: "gk-search-facet-group gk-search-category-list", role: "group", "aria-label": "分类（主题分类、体裁）" });
  const [catPanel, catChosen] = foldable("gk-search-categories", "按分类筛选（主题分类、体裁）", catList, state.catsOpen);
  facetsEl?.replaceChildren(filterPanel, catPanel);
  let seq = 0;
  let timer = 0;
  // Results shown: a first page of PAGE keeps the first query small (each result is one
  // slot fetched); "显示更多结果" adds another page.
  const PAGE = 10;
  let shown = PAGE;
  index.load().catch(() => {});

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const syncUrl = () => {
    const p = new URLSearchParams();
    for (const k of ["q", "type", "agency", "year", "category"]) if (state[k]) p.set(k, state[k]);
    const qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  };

  const run = async () => {
    const mine = ++seq;
    // The query this run answers: typing goes on while it waits for the index, and what it
    // shows must be named after what it searched, not after what the box holds by then.
    const q = state.q;
    syncUrl();
    delete results.dataset.q;
    if (!q.trim()) {
      results.replaceChildren();
      groupsEl.replaceChildren();
      catPanel.hidden = true;
      say("");
      return;
    }
    let res;
    const t0 = performance.now();
    try {
      res = await index.search(q, { kind: state.type, agency: state.agency, year: state.year, category: state.category, categoryCounts: state.catsOpen, limit: shown });
    } catch (e) {
      if (mine !== seq) return;
      if (e instanceof NoRangeError) {
        results.replaceChildren(el("p", { class: "gk-search-error gk-search-norange" }, NO_RANGE_MESSAGE));
        say("站内检索暂不可用");
      } else {
        results.replaceChildren(el("p", { class: "gk-search-error" }, `搜索暂不可用（${String(e?.message || e)}），请浏览公开目录查找。`));
        say("搜索暂不可用");
      }
      results.dataset.q = q;
      return;
    }
    if (mine !== seq) return;
    results.dataset.ms = String(Math.round(performance.now() - t0));
    renderFacets(res.facets);
    const inCategory = state.category ? `（分类：${state.category}）` : "";
    const count = `找到 ${res.total} 条结果${inCategory}` + (res.total > res.hits.length ? `，显示前 ${res.hits.length} 条` : "");
    if (res.hits.length === 0) {
      let text = `没有找到与“${q}”相关的内容。请换用更短的关键词，或浏览公开目录。`;
      if (res.unknownCategory) text = `本站没有名为“${state.category}”的分类，因此没有结果。请在“按分类筛选”中选择分类，或清除分类筛选。`;
      else if (state.category) text = `在分类“${state.category}”中没有找到与“${q}”相关的内容。可以清除分类筛选，在全部结果中查找。`;
      const parts = [el("p", { class: "gk-search-empty" }, text)];
      if (state.category) {
        const clear = el("button", { type: "button", class: "gk-search-more" }, "清除分类筛选");
        clear.addEventListener("click", () => {
          state.category = "";
          shown = PAGE;
          run().then(() => input.focus());
        });
        parts.push(clear);
      }
      results.replaceChildren(...parts);
      say(text);
      results.dataset.q = q;
      return;
    }
    const list = el("ol", { class: "gk-search-list" });
    for (const h of res.hits) {
      const meta = el("div", { class: "gk-search-meta" }, el("span", { class: "gk-search-kind" }, KIND_LABELS[h.kind] || h.kind));
      if (h.agency_name) meta.append(" · ", el("span", { class: "gk-search-agency" }, h.agency_name));
      if (h.date) meta.append(" · ", el("time", { datetime: h.date }, h.date));
      list.append(
        el(
          "li",
          { class: "gk-search-hit", "data-slug": h.slug, "data-tier": h.tier },
          el("a", { class: "gk-search-title", href: safeHref(h.url) }, renderParts(h.titleParts)),
          meta,
          el("p", { class: "gk-search-snippet" }, renderParts(h.snippetParts)),
        ),
      );
    }
    const parts = [el("p", { class: "gk-search-count" }, count), list];
    if (res.total > res.hits.length) {
      const more = el("button", { type: "button", class: "gk-search-more" }, "显示更多结果");
      more.addEventListener("click", async () => {
        const at = res.hits.length;
        shown += PAGE;
        await run();
        results.querySelectorAll("a.gk-search-title")[at]?.focus();
      });
      parts.push(more);
    }
    results.replaceChildren(...parts);
    say(count);
    results.dataset.q = q;
  };

  const renderCategories = (rows) => {
    saysChosen(catChosen, state.category ? [state.category] : []);
    if (!state.catsOpen) return catList.replaceChildren();
    if (!rows) return catList.replaceChildren(el("span", { class: "gk-search-facet-label" }, "正在统计各分类的结果数……"));
    if (rows.length === 0) return catList.replaceChildren(el("span", { class: "gk-search-facet-label" }, "这些结果都不属于任何分类。"));
    catList.replaceChildren(
      ...rows.map(([value, n]) =>
        el(
          "button",
          { type: "button", class: "gk-search-facet", "data-key": "category", "data-value": value, "aria-pressed": String(state.category === value) },
          value + " ",
          el("span", { class: "gk-search-facet-count" }, String(n)),
        ),
      ),
    );
  };

  const renderFacets = (f) => {
    if (!facetsEl) return;
    catPanel.hidden = !(index.categoryTable?.size > 0);
    renderCategories(f.categories);
    const groups = [];
    const chosen = [];
    for (const [key, label, field] of FACETS) {
      const rows = f[field];
      if (!rows || rows.length === 0) continue;
      const group = el("div", { class: "gk-search-facet-group", role: "group", "aria-label": label }, el("span", { class: "gk-search-facet-label" }, label));
      for (const [value, n, name] of rows) {
        const on = String(state[key]) === String(value);
        const text = key === "type" ? KIND_LABELS[value] || value : name || String(value);
        if (on) chosen.push(text);
        group.append(
          el(
            "button",
            { type: "button", class: "gk-search-facet", "data-key": key, "data-value": String(value), "aria-pressed": String(on) },
            text + " ",
            el("span", { class: "gk-search-facet-count" }, String(n)),
          ),
        );
      }
      groups.push(group);
    }
    groupsEl.replaceChildren(...groups);
    filterPanel.hidden = groups.length === 0;
    saysChosen(filterChosen, chosen);
  };
  catPanel.addEventListener("toggle", () => {
    if (catPanel.open === state.catsOpen) return;
    state.catsOpen = catPanel.open;
    if (state.catsOpen && state.q.trim()) {
      renderCategories(null);
      run();
    }
  });

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  };
  input.addEventListener("input", () => {
    state.q = input.value;
    shown = PAGE;
    schedule();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    state.q = input.value;
    clearTimeout(timer);
    run();
  });
  facetsEl?.addEventListener("click", (e) => {
    const b = e.target.closest("button[data-key]");
    if (!b) return;
    const key = b.dataset.key;
    state[key] = state[key] === b.dataset.value ? "" : b.dataset.value;
    shown = PAGE;
    run().then(() => facetsEl.querySelector(`button[data-key="${key}"][data-value="${CSS.escape(b.dataset.value)}"]`)?.focus());
  });
  const links = () => [...results.querySelectorAll("a.gk-search-title")];
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing) {
      e.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Escape") return;
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (e.key === "Escape") {
      if (at >= 0) input.focus();
      return;
    }
    if (t !== input && at < 0) return;
    e.preventDefault();
    const next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else if (next < all.length) all[next].focus();
  });
  if (state.q) run();
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
}
