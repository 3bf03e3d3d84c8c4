//! The top hits of a query of several words without scoring every ad that has them all.
//!
//! tantivy skips the blocks of a posting list that cannot make the top hits only for a single word or a
//! union of words (block-max WAND); for a conjunction — "dinner companion", every word required, the
//! default here — it scores every document that has all the words, which for two common words is
//! hundreds of thousands of documents per search. [`AllTerms`] is that conjunction, scored exactly as a
//! `BooleanQuery` of `Must` term clauses (the sum of each word's BM25 score), whose top hits are
//! collected by walking the rarest word's postings block by block: a block whose best possible score
//! (its own block maximum plus the other words' maxima) cannot beat the current top hits is skipped
//! without looking at the other words, and so is each document whose partial score cannot. Counting,
//! filtering and snippets use the ordinary conjunction.

use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25Weight, BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term};

/// Documents holding every one of its terms, all of one field (see the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct AllTerms {
    terms: Vec<Term>,
    inner: BooleanQuery,
}

impl AllTerms {
    /// The conjunction `query` is, when it is nothing else: a `BooleanQuery` of two or more `Must` clauses,
    /// each a plain term of the same field.
    pub(crate) fn of(query: &dyn Query) -> Option<AllTerms> {
        let conjunction = query.downcast_ref::<BooleanQuery>()?;
        let clauses = conjunction.clauses();
        if clauses.len() < 2 {
            return None;
        }
        let mut terms = Vec::with_capacity(clauses.len());
        for (occur, clause) in clauses {
            if *occur != Occur::Must {
                return None;
            }
            terms.push(clause.downcast_ref::<TermQuery>()?.term().clone());
        }
        if terms.iter().any(|t| t.field() != terms[0].field()) {
            return None;
        }
        Some(AllTerms { terms, inner: conjunction.clone() })
    }
}

impl Query for AllTerms {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        let bm25 = match enable_scoring {
            EnableScoring::Enabled { statistics_provider, .. } => Some(
                self.terms
                    .iter()
                    .map(|t| Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(t)))
                    .collect::<tantivy::Result<Vec<_>>>()?,
            ),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(AllTermsWeight { terms: self.terms.clone(), bm25, inner }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct AllTermsWeight {
    terms: Vec<Term>,
    /// Each term's BM25 weight, when scoring.
    bm25: Option<Vec<Bm25Weight>>,
    /// The ordinary conjunction, for everything but the top hits.
    inner: Box<dyn Weight>,
}

/// `start` plus each of `maxima` in turn: summed in the same order as a document's score, so that (float
/// addition being monotonic) it is never below the score of a document whose parts are at most these.
fn bound(start: Score, maxima: &[Score]) -> Score {
    maxima.iter().fold(start, |sum, m| sum + m)
}

impl Weight for AllTermsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(weights) = &self.bm25 else {
            return self.inner.for_each_pruning(threshold, reader, callback);
        };
        let field = self.terms[0].field();
        let inverted = reader.inverted_index(field)?;
        let norms = reader.get_fieldnorms_reader(field)?;
        let mut lists: Vec<(BlockSegmentPostings, &Bm25Weight)> = Vec::with_capacity(self.terms.len());
        for (term, weight) in self.terms.iter().zip(weights) {
            match inverted.read_block_postings(term, IndexRecordOption::WithFreqs)? {
                Some(postings) => lists.push((postings, weight)),
                None => return Ok(()),
            }
        }
        // The rarest word leads; the others are looked up at its documents.
        lists.sort_by_key(|(p, _)| p.doc_freq());
        let (mut lead, lead_weight) = lists.remove(0);
        let maxima: Vec<Score> = lists.iter().map(|(_, w)| w.max_score()).collect();
        loop {
            let len = lead.docs().len();
            if len == 0 {
                return Ok(());
            }
            if bound(lead.block_max_score(&norms, lead_weight), &maxima) <= threshold {
                lead.advance();
                continue;
            }
            'docs: for i in 0..len {
                let doc = lead.docs()[i];
                let mut score = lead_weight.score(norms.fieldnorm_id(doc), lead.freqs()[i]);
                for (k, (postings, weight)) in lists.iter_mut().enumerate() {
                    if bound(score, &maxima[k..]) <= threshold {
                        continue 'docs;
                    }
                    if postings.docs().last().is_none_or(|&last| last < doc) {
                        postings.seek(doc);
                        if postings.docs().is_empty() {
                            // This word has no document from here on: neither has the conjunction.
                            return Ok(());
                        }
                    }
                    let Ok(j) = postings.docs().binary_search(&doc) else { continue 'docs };
                    score += weight.score(norms.fieldnorm_id(doc), postings.freqs()[j]);
                }
                if score > threshold {
                    threshold = callback(doc, score);
                }
            }
            lead.advance();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    /// Top hits by `AllTerms` equal those of the ordinary conjunction: several segments, deleted
    /// documents, lists of many blocks, words of every frequency and documents of every length.
    #[test]
    fn top_hits_equal_the_ordinary_conjunction() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["dinner", "companion", "city", "walks", "rare", "warm", "hotel", "visa"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for segment in 0..3 {
            for _ in 0..4000 {
                let len = 1 + next(40);
                let text: Vec<&str> = (0..len)
                    .map(|_| {
                        let w = next(100) as usize;
                        // Skewed: the first words are common, "rare" is rare.
                        if w < 60 {
                            words[w % 3]
                        } else if w < 61 {
                            "rare"
                        } else {
                            words[3 + w % 5]
                        }
                    })
                    .collect();
                let mut doc = TantivyDocument::default();
                doc.add_text(body, text.join(" "));
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
            if segment == 1 {
                writer.delete_term(Term::from_field_text(body, "rare"));
                writer.commit().unwrap();
            }
        }
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let term = |w: &str| Term::from_field_text(body, w);
        for query in [&["dinner", "companion"][..], &["dinner", "rare"], &["walks", "warm", "city"], &["hotel", "visa"]]
        {
            let inner = BooleanQuery::new(
                query
                    .iter()
                    .map(|w| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(term(w), IndexRecordOption::WithFreqs));
                        (Occur::Must, q)
                    })
                    .collect(),
            );
            let all = AllTerms::of(&inner).expect("a conjunction of terms");
            for limit in [1, 10, 50] {
                let want = searcher.search(&inner, &TopDocs::with_limit(limit)).unwrap();
                let got = searcher.search(&all, &TopDocs::with_limit(limit)).unwrap();
                assert_eq!(want.len(), got.len(), "{query:?} top {limit}");
                for ((ws, wd), (gs, gd)) in want.iter().zip(&got) {
                    assert!((ws - gs).abs() < 1e-4, "{query:?} top {limit}: {want:?} against {got:?}");
                    if (ws - gs).abs() < 1e-6 && wd != gd {
                        // Equal scores may come in either order.
                        assert!(got.iter().any(|(_, d)| d == wd), "{query:?}: {wd:?} missing");
                    }
                }
            }
        }
        let not_a_conjunction = BooleanQuery::new(vec![
            (Occur::Must, Box::new(TermQuery::new(term("dinner"), IndexRecordOption::WithFreqs)) as Box<dyn Query>),
            (Occur::Should, Box::new(TermQuery::new(term("visa"), IndexRecordOption::WithFreqs))),
        ]);
        assert!(AllTerms::of(&not_a_conjunction).is_none());
    }
}
