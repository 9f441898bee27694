// Shared by the tests under tests/js/ (not a test file itself): pieces of the static index's
// format (src/search/static_index/mod.rs), written from JavaScript, and a fetch over them.

export function varint(v) {
  const out = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-prefixed UTF-8 string, as in a record's head. */
export const str = (s) => {
  const b = Buffer.from(s);
  return [...varint(b.length), ...b];
};

/** A fetch over in-memory files that honours Range like a static host; `log` gets the names. */
export function fetchOver(files, log = []) {
  return async (url, opts = {}) => {
    const name = url.replace(/^mem:\/\//, "");
    log.push(name);
    const file = files[name];
    const m = /^bytes=(\d+)-(\d+)$/.exec(opts.headers?.Range || "");
    const body = m ? file.slice(Number(m[1]), Number(m[2]) + 1) : file;
    return { ok: true, status: m ? 206 : 200, arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) };
  };
}
