//! One CJK character as a query term over the tantivy index.
//!
//! The tantivy index does not hold a unigram at every position ([`Side::IndexBigrams`]): a
//! character is indexed through the one token at its position, the bigram it starts or,
//! at the end of its run, the character alone. So the records holding a character are the
//! union of the postings of every term that starts with it, and its frequency in a record
//! is the sum of theirs. [`CharQuery`] scores that with BM25 exactly as a unigram term
//! would be scored, at the cost of reading a few hundred short postings lists for the rare
//! query that is a single character.
//!
//! [`Side::IndexBigrams`]: super::tokenize::Side::IndexBigrams

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// Records holding `ch` in `field`, scored as a unigram term.
#[derive(Debug, Clone)]
pub struct CharQuery {
    field: Field,
    ch: char,
}

impl CharQuery {
    pub fn new(field: Field, ch: char) -> CharQuery {
        CharQuery { field, ch }
    }
}

/// The records of one segment holding `ch` in `field`, with its frequency, in id order.
fn char_postings(
    reader: &SegmentReader,
    field: Field,
    ch: char,
) -> tantivy::Result<Vec<(DocId, u32)>> {
    let inverted = reader.inverted_index(field)?;
    let mut buf = [0u8; 4];
    let from = ch.encode_utf8(&mut buf).as_bytes().to_vec();
    // Terms starting with `ch` sort between its bytes and the same bytes with the last one
    // incremented (a UTF-8 final byte is at most 0xBF, so it cannot overflow).
    let mut to = from.clone();
    if let Some(last) = to.last_mut() {
        *last += 1;
    }
    let mut terms = inverted.terms().range().ge(&from).lt(&to).into_stream()?;
    let mut tf = vec![0u32; reader.max_doc() as usize];
    let mut held = 0usize;
    // Records deleted by an update stay in their segment until it is merged; they count
    // neither as matches nor in the document frequency.
    let alive = reader.alive_bitset();
    while terms.advance() {
        let mut postings =
            inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::WithFreqs)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                doc = postings.advance();
                continue;
            }
            let slot = &mut tf[doc as usize];
            if *slot == 0 {
                held += 1;
            }
            *slot += postings.term_freq();
            doc = postings.advance();
        }
    }
    let mut docs = Vec::with_capacity(held);
    docs.extend(
        tf.iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(d, &n)| (d as DocId, n)),
    );
    Ok(docs)
}

impl Query for CharQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut weight = CharWeight {
            field: self.field,
            ch: self.ch,
            bm25: None,
            read: Vec::new(),
        };
        if let EnableScoring::Enabled {
            searcher,
            statistics_provider,
        } = enable_scoring
        {
            // The document frequency needs every segment's postings: read them once, here,
            // and hand them to the scorers.
            for reader in searcher.segment_readers() {
                let docs = char_postings(reader, self.field, self.ch)?;
                weight.read.push((reader.segment_id(), docs));
            }
            let doc_freq: usize = weight.read.iter().map(|(_, d)| d.len()).sum();
            let docs = statistics_provider.total_num_docs()?;
            let tokens = statistics_provider.total_num_tokens(self.field)?;
            let average = tokens as Score / (docs.max(1) as Score);
            weight.bm25 = Some(Bm25Weight::for_one_term(doc_freq as u64, docs, average));
        }
        Ok(Box::new(weight))
    }
}

struct CharWeight {
    field: Field,
    ch: char,
    /// `None` when scoring is disabled.
    bm25: Option<Bm25Weight>,
    /// Postings per segment, read while computing `bm25`.
    read: Vec<(SegmentId, Vec<(DocId, u32)>)>,
}

impl Weight for CharWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let id = reader.segment_id();
        let docs = match self.read.iter().find(|(s, _)| *s == id) {
            Some((_, docs)) => docs.clone(),
            None => char_postings(reader, self.field, self.ch)?,
        };
        Ok(Box::new(CharScorer {
            docs,
            at: 0,
            fieldnorms: reader.fieldnorms_readers().get_field(self.field)?,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold {}",
                self.ch
            )));
        }
        Ok(Explanation::new("character as a unigram", scorer.score()))
    }
}

struct CharScorer {
    docs: Vec<(DocId, u32)>,
    at: usize,
    fieldnorms: Option<FieldNormReader>,
    bm25: Option<Bm25Weight>,
}

impl DocSet for CharScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).map_or(TERMINATED, |d| d.0)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len() as u32
    }
}

impl Scorer for CharScorer {
    fn score(&mut self) -> Score {
        let Some(&(doc, tf)) = self.docs.get(self.at) else {
            return 0.0;
        };
        match &self.bm25 {
            Some(w) => {
                let norm = self.fieldnorms.as_ref().map_or(0, |f| f.fieldnorm_id(doc));
                w.score(norm, tf)
            }
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{doc, Index, Term};

    use super::*;
    use crate::search::index::CjkTokenizer;
    use crate::search::tokenize::Side;

    /// The postings of `ch` read from a field without unigrams are the unigram postings of
    /// a field tokenized with them: same records, same frequencies.
    #[test]
    fn a_character_has_its_unigram_postings() {
        let indexing = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let mut b = Schema::builder();
        let uni = b.add_text_field("uni", indexing("uni"));
        let bi = b.add_text_field("bi", indexing("bi"));
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register("uni", CjkTokenizer::new(Side::Index));
        index
            .tokenizers()
            .register("bi", CjkTokenizer::new(Side::IndexBigrams));
        let texts = [
            "吉林市人民政府关于印发吉林市政府信息公开规定的通知",
            "市场监管：吉林市场 市 市市市",
            "税务局 ＡＢＣ 税",
            "no cjk at all",
            "政府信息公开工作年度报告（政府）",
        ];
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for t in texts {
            writer.add_document(doc!(uni => t, bi => t)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let inverted = reader.inverted_index(uni).unwrap();
        for ch in ['市', '吉', '税', '府', '报', '知', '关'] {
            let want: Vec<(DocId, u32)> = match inverted
                .read_postings(
                    &Term::from_field_text(uni, &ch.to_string()),
                    IndexRecordOption::WithFreqs,
                )
                .unwrap()
            {
                Some(mut p) => {
                    let mut v = Vec::new();
                    while p.doc() != TERMINATED {
                        v.push((p.doc(), p.term_freq()));
                        p.advance();
                    }
                    v
                }
                None => Vec::new(),
            };
            assert!(!want.is_empty(), "{ch}");
            assert_eq!(char_postings(reader, bi, ch).unwrap(), want, "{ch}");
        }
        assert_eq!(char_postings(reader, bi, '龍').unwrap(), Vec::new());
    }
}
