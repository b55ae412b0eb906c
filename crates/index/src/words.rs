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
//!
//! Alternatives (`veto OR restraint`, with any excluded words) are read the same way
//! ([`WordsQuery::any`]): one loop over the union of the words' postings on their matching
//! fields adds, for each row, the scores of the words it holds, in the order typed, where
//! tantivy's union of required-optional scorers went through a buffered union of boxed
//! scorers (on the scale benchmark's `a OR b` queries, a sixth less time per search).
//!
//! A search that keeps only a page of the best rows sets [`WordsQuery::keep`]. Once a
//! segment's scorer has given that many scores, a row is first bounded from its stemmed
//! postings alone: a word's frequency as printed is at most its stem's (each printed
//! occurrence is one of the stem's) and the row has as many words on `text` as on the stemmed
//! field (the same analyzer before the stemmer), so the word's exact-field score is at most
//! that score at the stem's frequency and the stemmed field's length. A row whose bound is
//! under the segment's `keep`-th best score cannot reach the page and the exact field's
//! postings are not read for it. Every row is still matched, counted and offered to the
//! facets. A single word (a term, or `+a -b`) is then read 128 postings at a time, its block's
//! stemmed scores and bounds computed in one loop before its rows are compared with the floor
//! one by one ([`WordsScorer::for_each_by_block`]): the same rows and scores, a quarter to a
//! third less time on the broad words of the scale benchmark. Alternatives are read likewise,
//! 4,096 row ids at a time ([`AnyWordsScorer::for_each_by_window`]).
//!
//! In an intersection, each word but the rarest, and each excluded word, is looked up at the
//! candidate rows in its table of frequencies by row where its segment has one (a frequent
//! word: [`crate::dense`]) instead of sought in its postings: an array read instead of a
//! skip-list step, a block decoded and a search in it. The rows and their scores are the
//! same; on the scale benchmark's keyword queries, a fifth to a third less time in process.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, Postings, SegmentPostings, TermInfo};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use crate::dense::{DenseTable, DenseTables};
use crate::stem_search::Stems;
use crate::stems::StemPostings;

/// The terms of one required word.
#[derive(Clone, Debug)]
pub(crate) struct WordTerms {
    /// The word analyzed for each field it is matched on (the held stemmed fields and
    /// `symbol`), with the field's boost: a row matches when one of them is in it.
    pub(crate) matching: Vec<(Term, Score)>,
    /// The word analyzed for the field that only adds to the score (`text`), with its boost.
    pub(crate) scoring: (Term, Score),
}

/// Rows holding every word of [`WordsQuery::words`] (or with [`WordsQuery::any`] one of
/// them), scored as [`WordsQuery::general`] scores them (see the module docs).
pub(crate) struct WordsQuery {
    /// The required words (with `any`, the alternatives), in the order typed.
    pub(crate) words: Vec<WordTerms>,
    /// True when a row needs one of the words only (`veto OR restraint`): each word it holds
    /// adds its score, in the order typed, as tantivy's union of the words adds them.
    pub(crate) any: bool,
    /// The terms of the excluded words on their matching fields: a row holding one is left
    /// out.
    pub(crate) excluded: Vec<Term>,
    /// The same query as tantivy's boolean tree.
    pub(crate) general: Box<dyn Query>,
    /// How many best rows of each segment the search keeps (its page's `offset + limit`,
    /// ranked by score), or 0 when every row's score is wanted. When set, a row whose score
    /// cannot reach the segment's `keep` best so far is given its stemmed fields' score only
    /// (a lower one) and the exact field's postings are not read for it (see
    /// [`WordsScorer::score`]): the rows kept and their scores are the same.
    pub(crate) keep: usize,
    /// The index's tables of frequent words (see [`crate::dense`]): a required word other
    /// than the rarest, or an excluded word, is looked up there instead of sought in its
    /// postings, where its segment has a table of it. `None`: every word is sought.
    pub(crate) dense: Option<Arc<DenseTables>>,
    /// Where the index keeps its stemmed fields in `.stems` files, their postings: a word's
    /// terms on those fields are read there ([`crate::stem_search`]).
    pub(crate) stems: Option<Arc<Stems>>,
}

impl Clone for WordsQuery {
    fn clone(&self) -> Self {
        Self {
            words: self.words.clone(),
            any: self.any,
            excluded: self.excluded.clone(),
            general: self.general.box_clone(),
            keep: self.keep,
            dense: self.dense.clone(),
            stems: self.stems.clone(),
        }
    }
}

impl fmt::Debug for WordsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordsQuery")
            .field("words", &self.words)
            .field("any", &self.any)
            .field("excluded", &self.excluded)
            .finish_non_exhaustive()
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let general = self.general.weight(enable_scoring)?;
        let EnableScoring::Enabled {
            statistics_provider,
            searcher,
            ..
        } = enable_scoring
        else {
            return Ok(general);
        };
        let schema = searcher.schema();
        let field_name = |term: &Term| schema.get_field_name(term.field());
        let weigh = |(term, boost): &(Term, Score), bounds_exact: bool| {
            Ok(TermWeight {
                term: term.clone(),
                bm25: match &self.stems {
                    Some(stems) => stems.bm25(statistics_provider, searcher, term)?,
                    None => Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?,
                },
                boost: *boost,
                bounds_exact,
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
                        .map(|matching| {
                            let bounds = field_name(&w.scoring.0) == "text"
                                && crate::schema::stems_exact_field(field_name(&matching.0));
                            weigh(matching, bounds)
                        })
                        .collect::<tantivy::Result<_>>()?,
                    scoring: weigh(&w.scoring, false)?,
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(WordsWeight {
            words,
            any: self.any,
            excluded: self.excluded.clone(),
            general,
            keep: self.keep,
            dense: self.dense.clone(),
            stems: self.stems.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.general.query_terms(visitor);
    }
}

/// `query` set to keep each segment's `keep` best rows (see [`WordsQuery::keep`]) and to
/// look its frequent words up in `dense` (see [`WordsQuery::dense`]) when it is a
/// [`WordsQuery`]; any other query as it is.
pub(crate) fn keeping(
    mut query: Box<dyn Query>,
    keep: usize,
    dense: Option<&Arc<DenseTables>>,
) -> Box<dyn Query> {
    if let Some(words) = query.downcast_mut::<WordsQuery>() {
        words.keep = keep;
        words.dense = dense.cloned();
    }
    query
}

/// A term with its BM25 weight over the whole index and its field's boost.
struct TermWeight {
    term: Term,
    bm25: Bm25Weight,
    boost: Score,
    /// For a matching term: whether its field analyzes the text as `text` does and then
    /// stems each word (the Snowball languages' fields), so that a row's frequency of the stem
    /// and its length there bound the word's frequency and the row's length on `text`, the
    /// scoring term's field (see [`WordsQuery::keep`]). False for the scoring term.
    bounds_exact: bool,
}

/// A word's terms, weighed.
struct WordWeight {
    matching: Vec<TermWeight>,
    scoring: TermWeight,
}

struct WordsWeight {
    words: Vec<WordWeight>,
    any: bool,
    excluded: Vec<Term>,
    general: Box<dyn Weight>,
    keep: usize,
    dense: Option<Arc<DenseTables>>,
    stems: Option<Arc<Stems>>,
}

/// A term's postings in one segment: tantivy's, or a stem's in a `.stems` file. Both
/// cursors hold a decoded block; neither is boxed, as they are read row by row.
#[allow(clippy::large_enum_variant)]
enum MatchPostings {
    Indexed(SegmentPostings),
    Stems(StemPostings),
}

impl MatchPostings {
    /// The term's frequency in the current row.
    #[inline]
    fn term_freq(&self) -> u32 {
        match self {
            Self::Indexed(p) => p.term_freq(),
            Self::Stems(p) => p.term_freq(),
        }
    }

    /// The rows holding the term (deleted rows included).
    #[inline]
    fn doc_freq(&self) -> u32 {
        match self {
            Self::Indexed(p) => p.doc_freq(),
            Self::Stems(p) => p.doc_freq(),
        }
    }
}

impl DocSet for MatchPostings {
    #[inline]
    fn advance(&mut self) -> DocId {
        match self {
            Self::Indexed(p) => p.advance(),
            Self::Stems(p) => p.advance(),
        }
    }

    #[inline]
    fn seek(&mut self, target: DocId) -> DocId {
        match self {
            Self::Indexed(p) => p.seek(target),
            Self::Stems(p) => p.seek(target),
        }
    }

    #[inline]
    fn doc(&self) -> DocId {
        match self {
            Self::Indexed(p) => p.doc(),
            Self::Stems(p) => p.doc(),
        }
    }

    fn size_hint(&self) -> u32 {
        self.doc_freq()
    }
}

/// Where a term's postings are, to read them again block by block or decode its table:
/// tantivy's term info, or the stem's decoded postings.
enum Source {
    Indexed(TermInfo),
    /// Boxed: the cursor holds its block.
    Stems(Box<StemPostings>),
}

impl Source {
    /// The postings' blocks, from the first.
    fn blocks(&self, reader: &SegmentReader, field: Field) -> tantivy::Result<Blocks> {
        Ok(match self {
            Self::Indexed(info) => Blocks::Indexed(
                reader
                    .inverted_index(field)?
                    .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?,
            ),
            Self::Stems(postings) => Blocks::Stems(StemPostings::clone(postings)),
        })
    }

    /// The term's table of frequencies by row in `reader`'s segment, where it has one (see
    /// [`DenseTables::get`]).
    fn dense(
        &self,
        tables: &DenseTables,
        reader: &SegmentReader,
        field: Field,
    ) -> tantivy::Result<Option<Arc<DenseTable>>> {
        match self {
            Self::Indexed(info) => tables.get(reader, field, info),
            Self::Stems(postings) => {
                let place = usize::try_from(postings.place()).unwrap_or(usize::MAX);
                tables.get_with(reader, field, postings.doc_freq(), place, || {
                    Ok(DenseTable::from_stems(
                        reader.max_doc(),
                        StemPostings::clone(postings),
                    ))
                })
            }
        }
    }
}

/// A term's postings read 128 rows at a time: tantivy's blocks, or a stem's.
enum Blocks {
    Indexed(BlockSegmentPostings),
    Stems(StemPostings),
}

impl Blocks {
    /// The current block's rows: empty past the last.
    #[inline]
    fn docs(&self) -> &[DocId] {
        match self {
            Self::Indexed(b) => b.docs(),
            Self::Stems(p) => p.block().0,
        }
    }

    /// The current block's frequencies, one a row of [`Blocks::docs`].
    #[inline]
    fn freqs(&self) -> &[u32] {
        match self {
            Self::Indexed(b) => b.freqs(),
            Self::Stems(p) => p.block().1,
        }
    }

    /// The current block's row count.
    #[inline]
    fn block_len(&self) -> usize {
        self.docs().len()
    }

    /// Moves to the next block.
    #[inline]
    fn advance(&mut self) {
        match self {
            Self::Indexed(b) => b.advance(),
            Self::Stems(p) => p.next_block(),
        }
    }
}

/// One term's postings in one segment, with what scores them.
struct TermCursor {
    postings: MatchPostings,
    norms: FieldNormReader,
    bm25: Bm25Weight,
    /// The term's field, and where its postings are, to read them again block by block
    /// ([`WordsScorer::for_each_by_block`]) or decode its table ([`crate::dense`]).
    field: Field,
    source: Source,
}

impl TermCursor {
    /// The term's postings in `reader`, or `None` where the segment does not hold it: on a
    /// stemmed field of `stems`, from the segment's `.stems` file.
    fn open(
        reader: &SegmentReader,
        weight: &TermWeight,
        boost: Score,
        stems: Option<&Stems>,
    ) -> tantivy::Result<Option<Self>> {
        let field = weight.term.field();
        if let Some(stems) = stems.filter(|s| s.language(field).is_some()) {
            let Some(postings) = stems.postings(reader, &weight.term)? else {
                return Ok(None);
            };
            return Ok(Some(Self {
                source: Source::Stems(Box::new(postings.clone())),
                postings: MatchPostings::Stems(postings),
                norms: stems.norms(reader)?,
                bm25: weight.bm25.boost_by(boost * weight.boost),
                field,
            }));
        }
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
            postings: MatchPostings::Indexed(postings),
            norms,
            // As a boosted term query: the outer boost times the field's.
            bm25: weight.bm25.boost_by(boost * weight.boost),
            field,
            source: Source::Indexed(info),
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
    /// The word's BM25 weight on the exact field (as `scoring`'s, also where the segment does
    /// not hold the word as printed).
    exact: Bm25Weight,
    /// The word's frequencies on its matching field by row, where the word is one the rows
    /// are looked up in (not the lead of an intersection) and the segment has a table of it
    /// ([`crate::dense`]): then `matching`'s postings are read only for a row holding it 15
    /// times or more.
    dense: Option<Arc<DenseTable>>,
}

impl WordCursor {
    /// The word's frequency on its matching field at `doc`, a row that holds it: from its
    /// table, or from its postings, which are on `doc` where the word has no table.
    #[inline]
    fn tf(&mut self, doc: DocId) -> u32 {
        if let Some(table) = &self.dense {
            let tf = table.get(doc);
            if tf < DenseTable::SATURATED {
                return tf;
            }
            let postings = &mut self.matching.postings;
            if postings.doc() < doc {
                postings.seek(doc);
            }
        }
        self.matching.postings.term_freq()
    }

    /// At `doc`, a row that holds the word: the word's score on its matching field, and the
    /// most its whole score can be there (see [`WordsScorer::score`]: the exact field's score
    /// at the stem's frequency and the row's stemmed length added).
    #[inline]
    fn bounds(&mut self, doc: DocId) -> (Score, Score) {
        let tf = self.tf(doc);
        self.bounds_at(doc, tf)
    }

    /// [`WordCursor::bounds`] at `doc`, whose frequency on the matching field is `tf`.
    #[inline]
    fn bounds_at(&self, doc: DocId, tf: u32) -> (Score, Score) {
        let m = &self.matching;
        let norm = m.norms.fieldnorm_id(doc);
        let score = m.bm25.score(norm, tf);
        (score, score + self.exact.score(norm, tf))
    }

    /// [`WordCursor::score`] at `doc` given the word's score there on its matching field.
    #[inline]
    fn score_at(&mut self, doc: DocId, matching: Score) -> Score {
        let mut score = matching;
        if let Some(exact) = &mut self.scoring {
            let postings = &mut exact.postings;
            if postings.doc() <= doc && postings.seek(doc) == doc {
                score += exact.score();
            }
        }
        score
    }

    /// The word's score at `doc`, a row that holds it, as its required-optional scorer adds
    /// it: its matching field's score, then the exact field's where the row holds the word as
    /// printed.
    #[inline]
    fn score(&mut self, doc: DocId) -> Score {
        let tf = self.tf(doc);
        let m = &self.matching;
        let matching = m.bm25.score(m.norms.fieldnorm_id(doc), tf);
        self.score_at(doc, matching)
    }
}

/// A segment's scorer of [`WordsWeight`], unboxed where it is one of the loops of this module.
enum SegmentScorer {
    /// Every word required ([`WordsScorer`]).
    All(WordsScorer),
    /// Any of the words ([`AnyWordsScorer`]).
    Any(AnyWordsScorer),
    /// Nothing matches in the segment ([`EmptyScorer`]) or the general query's scorer.
    Other(Box<dyn Scorer>),
}

/// Calls `callback` with each row of `scorer` and its score, as tantivy's `for_each_scorer`
/// does, with `scorer`'s methods called directly where its type is known.
#[inline]
fn for_each_row<S: Scorer + ?Sized>(scorer: &mut S, callback: &mut dyn FnMut(DocId, Score)) {
    let mut doc = scorer.doc();
    while doc != TERMINATED {
        callback(doc, scorer.score());
        doc = scorer.advance();
    }
}

impl WordsWeight {
    /// The scorer of the rows of `reader` (see [`Weight::scorer`]).
    fn segment_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<SegmentScorer> {
        let stems = self.stems.as_deref();
        let mut words = Vec::with_capacity(self.words.len());
        let mut bounded = self.keep > 0;
        for word in &self.words {
            let mut held = None;
            for term in &word.matching {
                if let Some(cursor) = TermCursor::open(reader, term, boost, stems)? {
                    if held.is_some() {
                        // Two matching fields hold the word here: their union is the general
                        // query's.
                        return Ok(SegmentScorer::Other(self.general.scorer(reader, boost)?));
                    }
                    bounded &= term.bounds_exact;
                    held = Some(cursor);
                }
            }
            let Some(matching) = held else {
                if self.any {
                    // An alternative the segment does not hold matches nothing here.
                    continue;
                }
                return Ok(SegmentScorer::Other(Box::new(EmptyScorer)));
            };
            words.push(WordCursor {
                matching,
                scoring: TermCursor::open(reader, &word.scoring, boost, stems)?,
                exact: word.scoring.bm25.boost_by(boost * word.scoring.boost),
                dense: None,
            });
        }
        if words.is_empty() {
            return Ok(SegmentScorer::Other(Box::new(EmptyScorer)));
        }
        let dense = |field: Field, source: &Source| match &self.dense {
            Some(tables) => source.dense(tables, reader, field),
            None => Ok(None),
        };
        let mut excluded = Vec::new();
        for term in &self.excluded {
            let field = term.field();
            if let Some(stems) = stems.filter(|s| s.language(field).is_some()) {
                if let Some(postings) = stems.postings(reader, term)? {
                    let source = Source::Stems(Box::new(postings.clone()));
                    excluded.push(match dense(field, &source)? {
                        Some(table) => Excluded::Dense(table),
                        None => Excluded::Postings(Box::new(MatchPostings::Stems(postings))),
                    });
                }
                continue;
            }
            let inverted = reader.inverted_index(field)?;
            if let Some(info) = inverted.get_term_info(term)? {
                excluded.push(match dense(field, &Source::Indexed(info.clone()))? {
                    Some(table) => Excluded::Dense(table),
                    None => Excluded::Postings(Box::new(MatchPostings::Indexed(
                        inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?,
                    ))),
                });
            }
        }
        let best = Best::new(if bounded { self.keep } else { 0 });
        if self.any {
            let mut scorer = AnyWordsScorer {
                words,
                excluded,
                best,
                doc: TERMINATED,
            };
            scorer.settle();
            return Ok(SegmentScorer::Any(scorer));
        }
        // As tantivy's intersection: the rarest word leads, and scores are added in that
        // order (stable, so ties keep the typed order).
        words.sort_by_key(|w| w.matching.postings.doc_freq());
        // The other words are looked up at the lead's rows: in their tables where they have
        // one.
        for word in words.iter_mut().skip(1) {
            word.dense = dense(word.matching.field, &word.matching.source)?;
        }
        let mut scorer = WordsScorer {
            words,
            excluded,
            best,
        };
        scorer.align();
        Ok(SegmentScorer::All(scorer))
    }
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.segment_scorer(reader, boost)? {
            SegmentScorer::All(scorer) => Box::new(scorer),
            SegmentScorer::Any(scorer) => Box::new(scorer),
            SegmentScorer::Other(scorer) => scorer,
        })
    }

    /// As tantivy's default (every row of [`Weight::scorer`] and its score, in order), with the
    /// loop's calls to the scorer made directly rather than through a `Box<dyn Scorer>`: three
    /// indirect calls a matching row fewer, on the commonest queries.
    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        match self.segment_scorer(reader, 1.0)? {
            SegmentScorer::All(mut scorer)
                if scorer.words.len() == 1 && scorer.best.keep > 0 && by_block() =>
            {
                scorer.for_each_by_block(reader, callback)?;
            }
            SegmentScorer::All(mut scorer) => for_each_row(&mut scorer, callback),
            SegmentScorer::Any(mut scorer)
                if scorer.words.len() <= AnyWordsScorer::MAX_WINDOWED_WORDS
                    && scorer.best.keep > 0
                    && by_block() =>
            {
                scorer.for_each_by_window(reader, callback)?;
            }
            SegmentScorer::Any(mut scorer) => for_each_row(&mut scorer, callback),
            SegmentScorer::Other(mut scorer) => for_each_row(scorer.as_mut(), callback),
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.general.explain(reader, doc)
    }
}

/// The rows of one segment holding every word, each scored as the sum of its words' scores.
struct WordsScorer {
    /// At least one word, the rarest first.
    words: Vec<WordCursor>,
    /// The excluded words' terms held by the segment.
    excluded: Vec<Excluded>,
    /// The best scores given so far, when rows that cannot reach them are not scored whole.
    best: Best,
}

/// The `keep` best scores a segment's scorer has given (none kept when `keep` is 0): the
/// least of them, once there are `keep`, is the floor a row's score must reach to be among
/// the segment's `keep` best rows. A min-heap: `O(log keep)` per score that raises the floor.
struct Best {
    keep: usize,
    scores: BinaryHeap<Reverse<Ranked>>,
    /// The least of `scores` once it holds `keep`, else `Score::NEG_INFINITY`.
    floor: Score,
}

/// A score ordered by [`Score::total_cmp`].
struct Ranked(Score);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Best {
    fn new(keep: usize) -> Self {
        Self {
            keep,
            scores: BinaryHeap::with_capacity(keep),
            floor: Score::NEG_INFINITY,
        }
    }

    /// Records a row's score.
    #[inline]
    fn add(&mut self, score: Score) {
        if self.keep == 0 || score <= self.floor {
            return;
        }
        if self.scores.len() == self.keep {
            self.scores.pop();
        }
        self.scores.push(Reverse(Ranked(score)));
        if self.scores.len() == self.keep {
            self.floor = self
                .scores
                .peek()
                .map_or(Score::NEG_INFINITY, |least| least.0.0);
        }
    }
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
            // Words with a table first: a lookup rejects a row for less than a seek.
            for word in rest.iter() {
                if let Some(table) = &word.dense
                    && table.get(candidate) == 0
                {
                    candidate = lead.matching.postings.advance();
                    continue 'candidates;
                }
            }
            for word in rest.iter_mut().filter(|w| w.dense.is_none()) {
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
            if excluded_at(&mut self.excluded, candidate) {
                candidate = lead.matching.postings.advance();
                continue 'candidates;
            }
            return candidate;
        }
        TERMINATED
    }

    /// [`Weight::for_each`] of a single word (with or without excluded words) whose segment
    /// keeps its best rows: every row, with the score [`WordsScorer::score`] gives it, in the
    /// same order and with the same floor, read from the word's postings 128 rows at a time.
    /// Each block's stemmed scores and bounds are computed first in one loop (the rows'
    /// lengths and BM25 divisions do not wait on one another there, nor on the callback), then
    /// each row is compared with the floor as it stands when its turn comes. Single words are
    /// the broad queries (a term, `+a -b`) where most of tens of thousands of rows are under
    /// the floor and cost only that comparison and the callback.
    ///
    /// # Errors
    /// Reading the word's postings again.
    fn for_each_by_block(
        &mut self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        // Rows before the first aligned one hold an excluded word.
        let start = self.doc();
        if start == TERMINATED {
            return Ok(());
        }
        let matching = &self.words[0].matching;
        let mut blocks = matching.source.blocks(reader, matching.field)?;
        let (mut scores, mut bounds) = (Vec::new(), Vec::new());
        loop {
            let docs = blocks.docs();
            let Some(&last) = docs.last() else {
                break;
            };
            if last >= start {
                let word = &self.words[0];
                scores.clear();
                bounds.clear();
                for (&doc, &tf) in docs.iter().zip(blocks.freqs()) {
                    let (score, bound) = word.bounds_at(doc, tf);
                    scores.push(score);
                    bounds.push(bound);
                }
                for ((&doc, &score), &bound) in docs.iter().zip(&scores).zip(&bounds) {
                    if doc < start || excluded_at(&mut self.excluded, doc) {
                        continue;
                    }
                    let floor = self.best.floor;
                    let score = if floor > Score::NEG_INFINITY && bound < floor {
                        score
                    } else {
                        self.whole_single(doc, score)
                    };
                    callback(doc, score);
                }
            }
            blocks.advance();
        }
        Ok(())
    }

    /// The whole score of the single word's row `doc` whose stemmed score is `stemmed`, as
    /// [`WordCursor::score`] adds them, recorded among the best.
    #[inline]
    fn whole_single(&mut self, doc: DocId, stemmed: Score) -> Score {
        let score = self.words[0].score_at(doc, stemmed);
        self.best.add(score);
        score
    }
}

/// Set by a test to read single words and alternatives row by row ([`for_each_row`]), to
/// compare. Process-wide (a search may run on the search pool's threads): other tests running
/// meanwhile get the same results either way.
#[cfg(test)]
static ROW_BY_ROW: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(test)]
thread_local! {
    /// Segments this thread has read by block or by window, for a test to check that its
    /// searches took those loops.
    static BY_BLOCK_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether single words and alternatives are read by block
/// ([`WordsScorer::for_each_by_block`], [`AnyWordsScorer::for_each_by_window`]): always, but
/// while a test asks for the row-by-row loops.
fn by_block() -> bool {
    #[cfg(test)]
    {
        // Asked last in the loops' guards: true here means the loop is taken.
        let by_block = !ROW_BY_ROW.load(std::sync::atomic::Ordering::Relaxed);
        BY_BLOCK_READS.set(BY_BLOCK_READS.get() + usize::from(by_block));
        by_block
    }
    #[cfg(not(test))]
    {
        true
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
        if self.best.floor > Score::NEG_INFINITY {
            // The most the row can score: each word's exact-field score is at most its score
            // at the row's stem frequency and length (a word as printed is one of the stem's
            // occurrences; both fields count the same words), and sums of floats grow with
            // their terms. A row under the floor cannot be kept (the scorer has given `keep`
            // scores at or above it); it gets its stemmed score, under the floor too.
            let (mut stemmed, mut most) = (Sum::default(), Sum::default());
            for word in &mut self.words {
                let (score, bound) = word.bounds(doc);
                stemmed.add(score);
                most.add(bound);
            }
            if most.total() < self.best.floor {
                return stemmed.total();
            }
        }
        let mut sum = Sum::default();
        for word in &mut self.words {
            sum.add(word.score(doc));
        }
        let score = sum.total();
        self.best.add(score);
        score
    }
}

/// The rows of one segment holding at least one of the words (and no excluded word), each
/// scored as the sum of the scores of the words it holds, in the order typed: tantivy's union
/// of the words' required-optional scorers, read in one loop.
///
/// The sums are those of the union while every word's postings run (it adds its scorers'
/// scores in their order, and moves the last in place of one whose postings end): with two
/// words always, with three or more up to the last bit of a row's score past the end of a
/// word's postings in its segment.
struct AnyWordsScorer {
    /// The words the segment holds (at least one), in the order typed.
    words: Vec<WordCursor>,
    /// The excluded words' terms held by the segment.
    excluded: Vec<Excluded>,
    /// The best scores given so far, when rows that cannot reach them are not scored whole.
    best: Best,
    /// The current row.
    doc: DocId,
}

/// One word's postings read block by block, with the next row's place in the block.
struct BlockCursor {
    blocks: Blocks,
    at: usize,
}

impl BlockCursor {
    /// The next row, or [`TERMINATED`] past the last.
    #[inline]
    fn doc(&self) -> DocId {
        self.blocks
            .docs()
            .get(self.at)
            .copied()
            .unwrap_or(TERMINATED)
    }

    /// The next row's frequency; moves to the row after it.
    #[inline]
    fn take(&mut self) -> u32 {
        let tf = self.blocks.freqs()[self.at];
        self.at += 1;
        if self.at == self.blocks.block_len() {
            self.blocks.advance();
            self.at = 0;
        }
        tf
    }
}

/// An excluded word's term in one segment.
enum Excluded {
    /// Looked up in its table ([`crate::dense`]).
    Dense(Arc<DenseTable>),
    /// Sought in its postings (boxed: a cursor is large).
    Postings(Box<MatchPostings>),
}

/// True when row `doc` holds an excluded word (one of `excluded` is on it). The postings only
/// move forward, so rows are asked in increasing order.
#[inline]
fn excluded_at(excluded: &mut [Excluded], doc: DocId) -> bool {
    excluded.iter_mut().any(|excluded| match excluded {
        Excluded::Dense(table) => table.get(doc) != 0,
        Excluded::Postings(postings) => {
            if postings.doc() < doc {
                postings.seek(doc);
            }
            postings.doc() == doc
        }
    })
}

/// Rows of a union visited together (a window of consecutive row ids), as bits.
const WINDOW_ROWS: usize = 4096;

impl AnyWordsScorer {
    /// Most words read by window ([`AnyWordsScorer::for_each_by_window`]); more alternatives
    /// than this are read row by row.
    const MAX_WINDOWED_WORDS: usize = 8;

    /// [`Weight::for_each`] of alternatives (with or without excluded words) whose segment
    /// keeps its best rows: every row of the union, with the score [`AnyWordsScorer::score`]
    /// gives it, in the same order and with the same floor. The rows are taken
    /// [`WINDOW_ROWS`] row ids at a time: each word's postings in the window are read block
    /// by block and their stemmed scores and bounds added by row, in the order typed (as
    /// `score` adds them); then the window's rows are visited in order and compared with the
    /// floor as it stands at their turn, the exact field read for the rows that may reach it.
    ///
    /// # Errors
    /// Reading the words' postings again.
    fn for_each_by_window(
        &mut self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        // Rows before the first settled one hold an excluded word.
        let start = self.doc;
        if start == TERMINATED {
            return Ok(());
        }
        let mut cursors = Vec::with_capacity(self.words.len());
        for word in &self.words {
            let m = &word.matching;
            let mut cursor = BlockCursor {
                blocks: m.source.blocks(reader, m.field)?,
                at: 0,
            };
            while cursor.doc() < start {
                cursor.take();
            }
            cursors.push(cursor);
        }
        let mut bits = [0u64; WINDOW_ROWS / 64];
        let mut held = vec![0u8; WINDOW_ROWS];
        let mut stemmed = vec![0.0 as Score; WINDOW_ROWS];
        let mut most = vec![0.0 as Score; WINDOW_ROWS];
        let n = self.words.len();
        let mut scores = vec![0.0 as Score; WINDOW_ROWS * n];
        loop {
            let base = cursors
                .iter()
                .map(BlockCursor::doc)
                .min()
                .unwrap_or(TERMINATED);
            if base == TERMINATED {
                break;
            }
            let end = base.saturating_add(WINDOW_ROWS as DocId);
            for (w, (cursor, word)) in cursors.iter_mut().zip(&self.words).enumerate() {
                loop {
                    let doc = cursor.doc();
                    if doc >= end {
                        break;
                    }
                    let tf = cursor.take();
                    let row = (doc - base) as usize;
                    let (score, bound) = word.bounds_at(doc, tf);
                    if held[row] == 0 {
                        bits[row / 64] |= 1 << (row % 64);
                        stemmed[row] = 0.0;
                        most[row] = 0.0;
                    }
                    held[row] |= 1 << w;
                    stemmed[row] += score;
                    most[row] += bound;
                    scores[row * n + w] = score;
                }
            }
            for (i, chunk) in bits.iter_mut().enumerate() {
                while *chunk != 0 {
                    let row = i * 64 + chunk.trailing_zeros() as usize;
                    *chunk &= *chunk - 1;
                    let doc = base + row as DocId;
                    let holds = std::mem::take(&mut held[row]);
                    if excluded_at(&mut self.excluded, doc) {
                        continue;
                    }
                    let floor = self.best.floor;
                    let score = if floor > Score::NEG_INFINITY && most[row] < floor {
                        stemmed[row]
                    } else {
                        let mut sum: Score = 0.0;
                        for (w, word) in self.words.iter_mut().enumerate() {
                            if holds & (1 << w) != 0 {
                                sum += word.score_at(doc, scores[row * n + w]);
                            }
                        }
                        self.best.add(sum);
                        sum
                    };
                    callback(doc, score);
                }
            }
        }
        Ok(())
    }

    /// The first row a word is on.
    fn least(&self) -> DocId {
        self.words
            .iter()
            .map(|w| w.matching.postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first row at or after the words' least one that holds no excluded word.
    fn settle(&mut self) -> DocId {
        let mut doc = self.least();
        while doc != TERMINATED && excluded_at(&mut self.excluded, doc) {
            for word in &mut self.words {
                if word.matching.postings.doc() == doc {
                    word.matching.postings.advance();
                }
            }
            doc = self.least();
        }
        self.doc = doc;
        doc
    }
}

impl DocSet for AnyWordsScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for word in &mut self.words {
            if word.matching.postings.doc() == doc {
                word.matching.postings.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for word in &mut self.words {
            if word.matching.postings.doc() < target {
                word.matching.postings.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.words
            .iter()
            .map(|w| w.matching.postings.doc_freq())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for AnyWordsScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        if self.best.floor > Score::NEG_INFINITY {
            // The bound of `WordsScorer::score`, over the words the row holds.
            let (mut stemmed, mut most): (Score, Score) = (0.0, 0.0);
            for word in self
                .words
                .iter_mut()
                .filter(|w| w.matching.postings.doc() == doc)
            {
                let (score, bound) = word.bounds(doc);
                stemmed += score;
                most += bound;
            }
            if most < self.best.floor {
                return stemmed;
            }
        }
        let mut sum: Score = 0.0;
        for word in self
            .words
            .iter_mut()
            .filter(|w| w.matching.postings.doc() == doc)
        {
            sum += word.score(doc);
        }
        self.best.add(sum);
        sum
    }
}

/// The words' scores added as tantivy's intersection adds them: the first two, then the sum of
/// the others.
#[derive(Default)]
struct Sum {
    words: usize,
    first: Score,
    second: Score,
    others: Score,
}

impl Sum {
    #[inline]
    fn add(&mut self, score: Score) {
        match self.words {
            0 => self.first = score,
            1 => self.second = score,
            _ => self.others += score,
        }
        self.words += 1;
    }

    #[inline]
    fn total(&self) -> Score {
        if self.words < 2 {
            self.first
        } else {
            self.first + self.second + self.others
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchRequest, UndexIndex};
    use std::sync::atomic::Ordering;
    use undex_core::ParagraphRow;

    /// Searches of `q` for five pages: the first ten rows, the first, a page starting inside
    /// the first ten, the first hundred and fifty rows from the 251st.
    fn pages(q: &str) -> impl Iterator<Item = SearchRequest> + '_ {
        [(0, 10), (0, 1), (7, 5), (0, 100), (250, 50)]
            .into_iter()
            .map(move |(offset, limit)| SearchRequest {
                q: q.into(),
                offset,
                limit,
                ..Default::default()
            })
    }

    /// Thirty copies of the two seed reports' rows, each copy its own documents.
    fn seed_copies() -> Vec<Vec<ParagraphRow>> {
        let seeds: Vec<ParagraphRow> =
            ["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"]
                .iter()
                .flat_map(|f| undex_testkit::tagged_seed_rows(f))
                .collect();
        (0..30)
            .flat_map(|copy| {
                let mut by_doc: std::collections::BTreeMap<String, Vec<ParagraphRow>> =
                    std::collections::BTreeMap::new();
                for row in &seeds {
                    let mut row = row.clone();
                    row.id = format!("{}-{copy}", row.id);
                    row.doc_id = format!("{}-{copy}", row.doc_id);
                    row.source_file = format!("copy{copy}/{}", row.source_file);
                    row.sha256 = format!("{copy}{}", row.sha256);
                    by_doc.entry(row.doc_id.clone()).or_default().push(row);
                }
                by_doc.into_values()
            })
            .collect()
    }

    /// Single words read by block and alternatives by window give every search the same answer
    /// as read row by row: the page, its scores and order (ties included), the total and the
    /// facets. Thirty copies of the two seed reports (thousands of rows, so that common words
    /// fill many blocks of 128 rows and repeat their scores), each copy its own document.
    #[test]
    fn broad_queries_by_block_answer_as_row_by_row() {
        let index = UndexIndex::in_memory().unwrap();
        index.replace_documents(&seed_copies()).unwrap();
        let mut broad = 0;
        for q in [
            "responsibility",
            "protect",
            "states",
            "prevention",
            "atrocity",
            "council",
            "regional",
            "women",
            "Myanmar",
            "+protect -responsibility",
            "+states -member -general",
            "+prevention -atrocity",
            "-council +security",
            "protect OR prevention",
            "regional OR council OR women",
            "Myanmar OR atrocity -prevention",
            "responsibility OR states",
        ] {
            for req in pages(q) {
                let (offset, limit) = (req.offset, req.limit);
                ROW_BY_ROW.store(true, Ordering::Relaxed);
                let rows = index.search(&req);
                ROW_BY_ROW.store(false, Ordering::Relaxed);
                let reads = BY_BLOCK_READS.get();
                let blocks = index.search(&req);
                assert!(
                    BY_BLOCK_READS.get() > reads,
                    "{q}: not read by block or by window"
                );
                let (rows, blocks) = (rows.unwrap(), blocks.unwrap());
                assert_eq!(blocks, rows, "{q} ({offset}, {limit})");
                if offset == 0 && limit == 10 && rows.total > 4 * 128 {
                    broad += 1;
                }
            }
        }
        assert!(broad >= 5, "only {broad} words over four blocks");
    }

    /// Frequent words looked up in their tables ([`crate::dense`]) give every search the same
    /// answer as sought in their postings: the page, its scores and order, the total and the
    /// facets; also when the tables' budget holds one table at a time (each search drops and
    /// decodes them again), and for a row holding a word 15 times or more (its frequency read
    /// from the postings). On the thirty copies of the seed reports, where `states`,
    /// `protect` or `prevention` are in more than one row in 32.
    #[test]
    fn frequent_words_in_tables_answer_as_sought() {
        let mut docs = seed_copies();
        // A row holding `states` twenty times and a word no other row holds.
        let mut row = docs[0][0].clone();
        row.text = format!("Zanzibarian {}", ["States"; 20].join(" and "));
        row.id = format!("{}-many", row.id);
        row.doc_id = format!("{}-many", row.doc_id);
        row.source_file = format!("many/{}", row.source_file);
        row.sha256 = format!("many{}", row.sha256);
        docs.push(vec![row]);
        let mut index = UndexIndex::in_memory().unwrap();
        index.replace_documents(&docs).unwrap();
        let whole = Arc::clone(&index.dense_tables);
        // The largest segment's table.
        let one_table = index
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| (s.max_doc() as usize).div_ceil(2))
            .max()
            .unwrap();
        for q in [
            "zanzibarian states",
            "zanzibarian AND states AND and",
            "protect states",
            "responsibility AND protect",
            "prevention atrocity crimes",
            "security council regional",
            "women AND peace AND security",
            "+myanmar -states",
            "+atrocity -prevention -the",
            "council OR regional -states",
            "responsibility to protect",
        ] {
            for req in pages(q) {
                let (offset, limit) = (req.offset, req.limit);
                index.dense_tables = Arc::new(DenseTables::with_budget(0));
                let sought = index.search(&req).unwrap();
                index.dense_tables = Arc::clone(&whole);
                let (_, asked) = whole.usage();
                let looked_up = index.search(&req).unwrap();
                assert!(whole.usage().1 > asked, "{q}: no word looked up in a table");
                assert_eq!(looked_up, sought, "{q} ({offset}, {limit})");
                // One table's worth: a new table drops the ones before.
                let one = Arc::new(DenseTables::with_budget(one_table));
                index.dense_tables = Arc::clone(&one);
                let evicting = index.search(&req).unwrap();
                assert_eq!(evicting, sought, "{q} ({offset}, {limit}), evicting");
                assert!(one.usage().0 <= one_table);
            }
        }
        assert!(whole.usage().0 > one_table, "a single table was decoded");
    }
}
