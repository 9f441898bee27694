//! The weight byte of a posting: the BM25 term-frequency part of a record's score for a
//! term (title weighted [`TITLE_WEIGHT`], body [`BODY_WEIGHT`]), scaled to 1..=255. The
//! client multiplies it by the term's idf, with the parameters `meta.json` gives.

/// BM25 parameters (in `meta.json`, so the client ranks with the same).
pub const BM25_K1: f64 = 1.2;
pub const BM25_B: f64 = 0.75;
pub const TITLE_WEIGHT: f64 = 3.0;
pub const BODY_WEIGHT: f64 = 1.0;

/// BM25's length part of a field of `len` positions (`avg` on average).
pub(super) fn length_norm(len: u32, avg: f64) -> f64 {
    BM25_K1 * (1.0 - BM25_B + BM25_B * f64::from(len) / avg.max(1.0))
}

fn tf_norm(tf: u32, norm: f64) -> f64 {
    if tf == 0 {
        return 0.0;
    }
    let tf = f64::from(tf);
    tf * (BM25_K1 + 1.0) / (tf + norm)
}

/// The weight byte of one posting (1..=255), from the fields' [`length_norm`]s.
pub(super) fn weight_normed(tt: u32, tb: u32, norm_t: f64, norm_b: f64) -> u8 {
    let s = TITLE_WEIGHT * tf_norm(tt, norm_t) + BODY_WEIGHT * tf_norm(tb, norm_b);
    let max = (TITLE_WEIGHT + BODY_WEIGHT) * (BM25_K1 + 1.0);
    ((s / max * 255.0).round() as u8).max(1)
}

/// The weight byte of one posting (1..=255).
pub(super) fn weight(tt: u32, tb: u32, lt: u32, lb: u32, avg_t: f64, avg_b: f64) -> u8 {
    weight_normed(tt, tb, length_norm(lt, avg_t), length_norm(lb, avg_b))
}

/// Document table entries needed while encoding postings.
pub(super) struct Lengths {
    /// Caller id → internal id.
    pub(super) internal: Vec<u32>,
    pub(super) title: Vec<u32>,
    pub(super) body: Vec<u32>,
    pub(super) avg_title: f64,
    pub(super) avg_body: f64,
}

/// An average length kept to 10 significant bits. Every weight byte depends on the
/// averages, so an exact average would change all of them whenever one record's length
/// changed; on this grid one changed record among thousands almost never moves it, and an
/// index can then take the record without weighing every other one again (`delta.rs`).
/// BM25 cares little: the grid is a tenth of a percent apart.
pub(super) fn on_grid(avg: f64) -> f64 {
    if !avg.is_finite() || avg <= 0.0 {
        return avg;
    }
    let step = (avg.log2().floor() - 10.0).exp2();
    (avg / step).round() * step
}

/// The gridded average of `sum` over `n` lengths.
pub(super) fn average(sum: u64, n: usize) -> f64 {
    on_grid(sum as f64 / (n.max(1) as f64))
}

impl Lengths {
    /// The lengths of the records' titles and bodies by caller id, and their averages.
    pub(super) fn new(internal: Vec<u32>, title: Vec<u32>, body: Vec<u32>) -> Lengths {
        let avg = |v: &[u32]| average(v.iter().map(|&x| u64::from(x)).sum(), v.len());
        Lengths {
            avg_title: avg(&title),
            avg_body: avg(&body),
            internal,
            title,
            body,
        }
    }

    /// The weight byte of a posting of the record with caller id `caller`.
    pub(super) fn weight(&self, caller: usize, title_tf: u32, body_tf: u32) -> u8 {
        weight(
            title_tf,
            body_tf,
            self.title[caller],
            self.body[caller],
            self.avg_title,
            self.avg_body,
        )
    }

    /// Each record's title and body [`length_norm`]s, by internal id, so that a term's
    /// records come out in the order they are stored.
    pub(super) fn norms(&self) -> Vec<(f64, f64)> {
        let mut norms = vec![(0.0, 0.0); self.internal.len()];
        for (caller, &i) in self.internal.iter().enumerate() {
            norms[i as usize] = (
                length_norm(self.title[caller], self.avg_title),
                length_norm(self.body[caller], self.avg_body),
            );
        }
        norms
    }
}
