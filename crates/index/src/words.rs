//! The commonest query, every word required, scored in one loop.
//!
//! Where the exact field cannot add a match (see [`crate::query`]), a bare word is matched on
//! the stemmed fields and the document symbol and scored on the exact field too. As tantivy's
//! boolean tree, `veto AND restraint` is an intersection of two required-optional scorers,
//! each a term scorer behind a box with a second, optional, term scorer: every match goes
//! through three layers of virtual calls per word, and the intersection cannot use tantivy's
//! own fast path for plain term scorers. [`WordsQuery`] is the same query read from the
//! posting lists directly (with any excluded words: `veto -restraint`): in each segment where
//! every word is held by one matching field
//! (the usual case: an English word has postings in `text_en` and none in `symbol`), one loop
//! intersects the words' postings and adds, for each match, the BM25 score of each word on its
//! matching field and, where the row also holds it as printed, on `text`. The rows, the scores
//! and their order of addition are those of the boolean tree, which the query keeps and uses in
//! any other segment (a word held by two matching fields), when scoring is off, and to explain
//! a score.

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The terms of one required word.
#[derive(Clone, Debug)]
pub(crate) struct WordTerms {
    /// The word analyzed for each field it is matched on (the held stemmed fields and
    /// `symbol`), with the field's boost: a row matches when one of them is in it.
    pub(crate) matching: Vec<(Term, Score)>,
    /// The word analyzed for the field that only adds to the score (`text`), with its boost.
    pub(crate) scoring: (Term, Score),
}

/// Rows holding every word of [`WordsQuery::words`], scored as [`WordsQuery::general`] scores
/// them (see the module docs).
pub(crate) struct WordsQuery {
    /// The required words, in the order typed.
    pub(crate) words: Vec<WordTerms>,
    /// The terms of the excluded words on their matching fields: a row holding one is left
    /// out.
    pub(crate) excluded: Vec<Term>,
    /// The same query as tantivy's boolean tree.
    pub(crate) general: Box<dyn Query>,
}

impl Clone for WordsQuery {
    fn clone(&self) -> Self {
        Self {
            words: self.words.clone(),
            excluded: self.excluded.clone(),
            general: self.general.box_clone(),
        }
    }
}

impl fmt::Debug for WordsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordsQuery")
            .field("words", &self.words)
            .field("excluded", &self.excluded)
            .finish_non_exhaustive()
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let general = self.general.weight(enable_scoring)?;
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = enable_scoring
        else {
            return Ok(general);
        };
        let weigh = |(term, boost): &(Term, Score)| -> tantivy::Result<TermWeight> {
            Ok(TermWeight {
                term: term.clone(),
                bm25: Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?,
                boost: *boost,
            })
        };
        let words = self
            .words
            .iter()
            .map(|w| {
                Ok(WordWeight {
                    matching: w
                        .matching
                        .iter()
                        .map(weigh)
                        .collect::<tantivy::Result<_>>()?,
                    scoring: weigh(&w.scoring)?,
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(WordsWeight {
            words,
            excluded: self.excluded.clone(),
            general,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.general.query_terms(visitor);
    }
}

/// A term with its BM25 weight over the whole index and its field's boost.
struct TermWeight {
    term: Term,
    bm25: Bm25Weight,
    boost: Score,
}

/// A word's terms, weighed.
struct WordWeight {
    matching: Vec<TermWeight>,
    scoring: TermWeight,
}

struct WordsWeight {
    words: Vec<WordWeight>,
    excluded: Vec<Term>,
    general: Box<dyn Weight>,
}

/// One term's postings in one segment, with what scores them.
struct TermCursor {
    postings: SegmentPostings,
    norms: FieldNormReader,
    bm25: Bm25Weight,
}

impl TermCursor {
    /// The term's postings in `reader`, or `None` where the segment does not hold it.
    fn open(
        reader: &SegmentReader,
        weight: &TermWeight,
        boost: Score,
    ) -> tantivy::Result<Option<Self>> {
        let field = weight.term.field();
        let inverted = reader.inverted_index(field)?;
        let Some(info) = inverted.get_term_info(&weight.term)? else {
            return Ok(None);
        };
        let postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
        // As tantivy's term scorer: a field without norms scores every row as one token long.
        let norms = reader
            .fieldnorms_readers()
            .get_field(field)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some(Self {
            postings,
            norms,
            // As a boosted term query: the outer boost times the field's.
            bm25: weight.bm25.boost_by(boost * weight.boost),
        }))
    }

    /// The BM25 score of the current row.
    #[inline]
    fn score(&self) -> Score {
        let doc = self.postings.doc();
        self.bm25
            .score(self.norms.fieldnorm_id(doc), self.postings.term_freq())
    }
}

/// One word in one segment: its postings on the one matching field that holds it there, and
/// on the exact field where the segment holds it.
struct WordCursor {
    matching: TermCursor,
    scoring: Option<TermCursor>,
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut words = Vec::with_capacity(self.words.len());
        for word in &self.words {
            let mut held = None;
            for term in &word.matching {
                if let Some(cursor) = TermCursor::open(reader, term, boost)? {
                    if held.is_some() {
                        // Two matching fields hold the word here: their union is the general
                        // query's.
                        return self.general.scorer(reader, boost);
                    }
                    held = Some(cursor);
                }
            }
            let Some(matching) = held else {
                return Ok(Box::new(EmptyScorer));
            };
            words.push(WordCursor {
                matching,
                scoring: TermCursor::open(reader, &word.scoring, boost)?,
            });
        }
        // As tantivy's intersection: the rarest word leads, and scores are added in that
        // order (stable, so ties keep the typed order).
        words.sort_by_key(|w| w.matching.postings.doc_freq());
        let mut excluded = Vec::new();
        for term in &self.excluded {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(info) = inverted.get_term_info(term)? {
                excluded
                    .push(inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?);
            }
        }
        let mut scorer = WordsScorer { words, excluded };
        scorer.align();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.general.explain(reader, doc)
    }
}

/// The rows of one segment holding every word, each scored as the sum of its words' scores.
struct WordsScorer {
    /// At least one word, the rarest first.
    words: Vec<WordCursor>,
    /// The postings of the excluded words' terms held by the segment.
    excluded: Vec<SegmentPostings>,
}

impl WordsScorer {
    /// Moves every word to the first row at or after the first word's that holds them all and
    /// no excluded word.
    fn align(&mut self) -> DocId {
        let Some((lead, rest)) = self.words.split_first_mut() else {
            return TERMINATED;
        };
        let mut candidate = lead.matching.postings.doc();
        'candidates: while candidate != TERMINATED {
            for word in rest.iter_mut() {
                let postings = &mut word.matching.postings;
                let doc = if postings.doc() < candidate {
                    postings.seek(candidate)
                } else {
                    postings.doc()
                };
                if doc > candidate {
                    candidate = lead.matching.postings.seek(doc);
                    continue 'candidates;
                }
            }
            for postings in &mut self.excluded {
                if postings.doc() < candidate {
                    postings.seek(candidate);
                }
                if postings.doc() == candidate {
                    candidate = lead.matching.postings.advance();
                    continue 'candidates;
                }
            }
            return candidate;
        }
        TERMINATED
    }
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        match self.words.first_mut() {
            Some(lead) => {
                lead.matching.postings.advance();
                self.align()
            }
            None => TERMINATED,
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        match self.words.first_mut() {
            Some(lead) => {
                if lead.matching.postings.doc() < target {
                    lead.matching.postings.seek(target);
                }
                self.align()
            }
            None => TERMINATED,
        }
    }

    fn doc(&self) -> DocId {
        self.words
            .first()
            .map_or(TERMINATED, |w| w.matching.postings.doc())
    }

    fn size_hint(&self) -> u32 {
        self.words
            .first()
            .map_or(0, |w| w.matching.postings.doc_freq())
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc();
        // Each word as a required-optional scorer adds them: its matching field's score, then
        // the exact field's where the row holds the word as printed.
        let mut word_scores = self.words.iter_mut().map(|word| {
            let mut score = word.matching.score();
            if let Some(exact) = &mut word.scoring {
                let postings = &mut exact.postings;
                if postings.doc() <= doc && postings.seek(doc) == doc {
                    score += exact.score();
                }
            }
            score
        });
        // As tantivy's intersection: the first two, then the sum of the others.
        let first = word_scores.next().unwrap_or(0.0);
        match word_scores.next() {
            Some(second) => first + second + word_scores.sum::<Score>(),
            None => first,
        }
    }
}
