// Shared by the tests under tests/js/ (not a test file itself: node --test skips the name).

/** A small deterministic generator (xorshift32), so that a failure can be replayed. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
