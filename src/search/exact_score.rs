//! Scores that do not depend on how the records are split into segments.
//!
//! A record's score is a sum of per-term, per-field BM25 scores, and tantivy adds them up in
//! an order that depends on its segment (its union drops a term's scorer from the list once
//! that term has no more records there, which reorders the rest). Floating-point addition
//! is not associative, so the same record scored the same terms can differ in the last bit
//! between an index written afresh and one updated in place (`super::update`), and ties
//! broken by the URL then come out in another order.
//!
//! [`Exact`] rounds each part to a multiple of 2⁻¹⁰ ([`QUANTUM`]). A sum of such multiples
//! below 2¹³ is exact in `f32` (23 bits of mantissa), so any order gives the same bits; a
//! part changes by at most 2⁻¹¹, far below what tells two records apart.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// The step every part of a score is rounded to.
pub const QUANTUM: Score = 1.0 / 1024.0;

fn round(score: Score) -> Score {
    (score / QUANTUM).round() * QUANTUM
}

/// `inner`, its scores rounded to multiples of [`QUANTUM`].
#[derive(Debug)]
pub struct Exact(pub Box<dyn Query>);

impl Clone for Exact {
    fn clone(&self) -> Exact {
        Exact(self.0.box_clone())
    }
}

impl Query for Exact {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExactWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExactWeight(Box<dyn Weight>);

impl Weight for ExactWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ExactScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.0.explain(reader, doc)?;
        let mut e = Explanation::new("rounded to a multiple of 2^-10", round(inner.value()));
        e.add_detail(inner);
        Ok(e)
    }
}

struct ExactScorer(Box<dyn Scorer>);

impl DocSet for ExactScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ExactScorer {
    fn score(&mut self) -> Score {
        round(self.0.score())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_parts_add_up_alike_in_any_order() {
        let parts: Vec<Score> = [0.1, 7.33, 12.000_01, 0.000_3, 3.3, 25.7, 1.0 / 3.0]
            .map(|p| round(p as Score))
            .to_vec();
        let forward: Score = parts.iter().sum();
        let backward: Score = parts.iter().rev().sum();
        let mut shuffled = 0.0;
        for i in [3, 0, 6, 2, 5, 1, 4] {
            shuffled += parts[i];
        }
        assert_eq!(forward.to_bits(), backward.to_bits());
        assert_eq!(forward.to_bits(), shuffled.to_bits());
        // Unrounded parts need not: each small part alone rounds up to one step of the large
        // one, together they make one step only.
        let raw: [Score; 3] = [3000.0, 0.000_13, 0.000_13];
        let a: Score = raw.iter().sum();
        let b: Score = raw.iter().rev().sum();
        assert_ne!(a.to_bits(), b.to_bits());
    }
}
