//! Hash tables for the build's own keys: paths, URLs, slugs and fingerprints, by the
//! hundred thousand on every build. std's SipHash resists keys chosen to collide, which
//! nothing here needs (the keys are the portal's own files, in a process that serves no
//! one), and hashing them cost a build after one edit at 100,000 records a quarter of a
//! second of CPU; rustc-hash's Fx hasher does the same work in a fraction of that.

pub type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub type HashSet<T> = rustc_hash::FxHashSet<T>;

/// An empty map with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, Default::default())
}
