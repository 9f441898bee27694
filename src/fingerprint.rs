//! Fingerprints: 64-bit hashes of what a page, a file or a record is made from, which the
//! build compares with those it recorded to tell what changed (`render::memo`,
//! `write::manifest`). xxh3 rather than std's hasher: the manifest outlives the process, and
//! std's hasher may change between Rust releases.

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed, Xxh3};

thread_local! {
    static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    static HASHED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The fingerprint of the bytes of `parts`, one after the other, in `domain`: the same
/// however the bytes are split. One part, as most files are, is hashed in one call: setting
/// up a streaming hash cost more than hashing the few hundred bytes of most files (85,000
/// record data files each build at 100,000 records).
pub fn of_parts(domain: &str, parts: &[&[u8]]) -> u64 {
    let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
    let seed = xxh3_64(&[domain.as_bytes(), &len.to_le_bytes()].concat());
    match parts {
        [one] => xxh3_64_with_seed(one, seed),
        _ => {
            let mut hash = Xxh3::with_seed(seed);
            for part in parts {
                hash.update(part);
            }
            hash.digest()
        }
    }
}

/// A 64-bit fingerprint being computed.
pub struct Fingerprint(Xxh3);

impl Fingerprint {
    /// Starts a fingerprint in its own domain, so that two kinds of input never collide.
    pub fn new(domain: &str) -> Fingerprint {
        let mut f = Fingerprint(Xxh3::new());
        f.add_str(domain);
        f
    }

    pub fn add_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.add_parts(&[bytes])
    }

    /// [`Fingerprint::add_bytes`] of the bytes of `parts` one after the other, without
    /// joining them.
    pub fn add_parts(&mut self, parts: &[&[u8]]) -> &mut Self {
        // Length first: ("ab", "c") and ("a", "bc") must differ.
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.0.update(&(len as u64).to_le_bytes());
        for part in parts {
            self.0.update(part);
        }
        self
    }

    pub fn add_str(&mut self, s: &str) -> &mut Self {
        self.add_bytes(s.as_bytes())
    }

    pub fn add_u64(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// Adds a value by its JSON form. The JSON is written into a buffer and hashed at once:
    /// fed to the hash piece by piece as serde writes it (a quote, a key, a colon), the
    /// hash's own buffering cost more than the serialization.
    pub fn add_json<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        JSON.with(|json| {
            let mut json = json.borrow_mut();
            json.clear();
            let _ = serde_json::to_writer(&mut *json, value);
            self.0.update(&json);
        });
        self.0.update(&[0xff]);
        self
    }

    /// Adds a value by what its `Hash` writes: every field, as Rust holds it, without
    /// building or escaping its JSON. For values that stand for what a page is made of
    /// (`render::context`) rather than for the page's context itself. The bytes are gathered
    /// first and hashed at once, as [`Fingerprint::add_json`] does.
    pub fn add_hashed<T: std::hash::Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        struct Gather<'a>(&'a mut Vec<u8>);
        impl std::hash::Hasher for Gather<'_> {
            fn write(&mut self, bytes: &[u8]) {
                self.0.extend_from_slice(bytes);
            }
            fn finish(&self) -> u64 {
                unreachable!("the bytes are hashed by the fingerprint")
            }
        }
        HASHED.with(|bytes| {
            let mut bytes = bytes.borrow_mut();
            bytes.clear();
            value.hash(&mut Gather(&mut bytes));
            self.0.update(&(bytes.len() as u64).to_le_bytes());
            self.0.update(&bytes);
        });
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hash_as_the_bytes_they_make() {
        let whole = Fingerprint::new("file")
            .add_bytes(b"[\n{},\n{}\n]")
            .finish();
        let parts: [&[u8]; 5] = [b"[\n", b"{}", b",\n", b"{}", b"\n]"];
        assert_eq!(Fingerprint::new("file").add_parts(&parts).finish(), whole);
        let other: [&[u8]; 2] = [b"[\n{},\n{}", b"\n]\n"];
        assert_ne!(Fingerprint::new("file").add_parts(&other).finish(), whole);
    }

    #[test]
    fn a_file_s_fingerprint_is_the_same_however_its_bytes_are_split() {
        // Sizes on both sides of the one-call hash's thresholds (16, 128, 240 bytes) and of
        // the streaming hash's buffer.
        for len in [0, 1, 15, 16, 17, 128, 129, 240, 241, 1024, 1025, 70_000] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let whole = of_parts("file", &[&bytes]);
            for cut in [0, len / 3, len / 2, len] {
                let (a, b) = bytes.split_at(cut);
                assert_eq!(of_parts("file", &[a, b]), whole, "{len} cut at {cut}");
                let (b1, b2) = b.split_at(b.len() / 2);
                assert_eq!(of_parts("file", &[a, b1, b2]), whole, "{len} cut at {cut}");
            }
            assert_ne!(of_parts("other", &[&bytes]), whole);
            if len > 0 {
                let mut changed = bytes.clone();
                changed[len / 2] ^= 1;
                assert_ne!(of_parts("file", &[&changed]), whole);
                assert_ne!(of_parts("file", &[&bytes[1..]]), whole);
            }
        }
    }

    #[test]
    fn values_hashed_as_rust_holds_them_tell_apart_what_differs() {
        let fp = |v: &(&str, Option<u32>, Vec<&str>)| Fingerprint::new("v").add_hashed(v).finish();
        let a = ("公开目录", Some(3), vec!["规范性文件"]);
        assert_eq!(fp(&a), fp(&a.clone()));
        assert_ne!(fp(&a), fp(&("公开目录", None, vec!["规范性文件"])));
        assert_ne!(fp(&a), fp(&("公开目录", Some(3), vec!["规范性", "文件"])));
        let pair = |x: &str, y: &str| Fingerprint::new("v").add_hashed(&(x, y)).finish();
        assert_ne!(pair("ab", "c"), pair("a", "bc"));
        // Two values added one after the other are told apart from one holding both.
        assert_ne!(
            Fingerprint::new("v")
                .add_hashed("ab")
                .add_hashed("c")
                .finish(),
            Fingerprint::new("v")
                .add_hashed("a")
                .add_hashed("bc")
                .finish()
        );
    }

    #[test]
    fn fingerprints_tell_apart_what_differs_and_only_that() {
        let fp = |parts: &[&str]| {
            let mut f = Fingerprint::new("t");
            for p in parts {
                f.add_str(p);
            }
            f.finish()
        };
        assert_eq!(fp(&["ab", "c"]), fp(&["ab", "c"]));
        assert_ne!(fp(&["ab", "c"]), fp(&["a", "bc"]));
        assert_ne!(fp(&["政府"]), fp(&["政务"]));
        let mut a = tera::Context::new();
        a.insert("title", "关于印发《示例办法》的通知");
        a.insert("n", &3);
        let mut b = a.clone();
        let json = |c: &tera::Context| {
            let title = c.get("title").unwrap();
            let n = c.get("n").unwrap();
            Fingerprint::new("c").add_json(title).add_json(n).finish()
        };
        assert_eq!(json(&a), json(&b));
        b.insert("n", &4);
        assert_ne!(json(&a), json(&b));
        // Values are delimited: ("ab", "c") and ("a", "bc") as JSON differ too.
        assert_ne!(
            Fingerprint::new("j")
                .add_json(&"ab")
                .add_json(&"c")
                .finish(),
            Fingerprint::new("j")
                .add_json(&"a")
                .add_json(&"bc")
                .finish()
        );
        assert_ne!(
            Fingerprint::new("x").add_str("y").finish(),
            Fingerprint::new("xy").finish()
        );
    }
}
