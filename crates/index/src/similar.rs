//! Candidates for "earlier wording": a "more like this" search built from a paragraph's words.
//!
//! Near-duplicate paragraphs are scored by `undex_analysis::similarity` (exact Jaccard
//! similarity of word 3-shingles). Scoring every row would be a full scan, and a resident
//! near-duplicate store does not fit the memory budget of a million-paragraph index, so the
//! rows worth scoring come from this index at query time:
//! [`UndexIndex::similar_candidates`] turns the paragraph's text into a BM25 query over the
//! unstemmed `text` field (the analyzer that splits words as the shingles do: letters and
//! digits, lower-cased) and returns the best [`SIMILAR_CANDIDATES`] rows of other documents.
//!
//! The query ORs the paragraph's most distinctive words: each distinct word is weighted by its
//! frequency in the paragraph times its BM25 inverse document frequency, and the
//! [`MAX_QUERY_TERMS`] heaviest are kept (ties by word, so the query is deterministic). A
//! near-duplicate shares most of those words, so BM25 ranks it near the top. Words found in
//! more than one row in [`COMMON_TERM_DIVISOR`] are left out when at least
//! [`MIN_QUERY_TERMS`] rarer words remain: they barely move BM25 scores, and their posting
//! lists are the longest to read. The cost of a query is therefore bounded by
//! [`MAX_QUERY_TERMS`] posting lists of words that are not common, plus the loading of at most
//! `limit` stored rows: no scan of the index.

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Term};
use undex_core::ParagraphRow;

use crate::{IndexError, UndexIndex};

/// Candidate rows a near-duplicate search returns by default (`limit` of
/// [`UndexIndex::similar_candidates`]). On the shared corpus (8,720 paragraphs), the first 100
/// candidates hold 1,549 of the 1,552 pairs of an exhaustive top 5 and every pair of Jaccard
/// similarity 0.3 or more (`docs/quality.md`, "Earlier wording: query-time candidates"); each
/// candidate costs one stored row to load and score.
pub const SIMILAR_CANDIDATES: usize = 100;
/// Largest `limit` [`UndexIndex::similar_candidates`] accepts; larger values are clamped.
pub const MAX_SIMILAR_CANDIDATES: usize = 1000;
/// Most words in the query built from a paragraph.
pub const MAX_QUERY_TERMS: usize = 64;
/// Fewest words the query keeps before it drops common ones (see [`COMMON_TERM_DIVISOR`]).
pub const MIN_QUERY_TERMS: usize = 8;
/// A word found in more than one row in this many is common: it is left out of the query
/// when [`MIN_QUERY_TERMS`] rarer words remain.
pub const COMMON_TERM_DIVISOR: u64 = 10;
/// Most words of a paragraph read to build its query (a longer text is cut: its first words
/// are enough to find its near-duplicates).
pub const MAX_TEXT_WORDS: usize = 2000;

/// A word of the query with its weight.
struct Weighted {
    word: String,
    doc_freq: u64,
    weight: f64,
}

impl UndexIndex {
    /// Rows of other documents whose wording is like `row`'s, best first: the candidates that
    /// `undex_analysis::similarity` scores exactly. A "more like this" BM25 query over the
    /// unstemmed text, built from `row.text` as the [module docs](crate::similar) describe,
    /// excluding every row of `row.doc_id`; with `max_year`, only rows of documents issued in
    /// that year or before (rows without a year are left out), so that later documents do not
    /// crowd out the earlier ones a search for earlier wording wants.
    ///
    /// Returns at most `limit` rows ([`SIMILAR_CANDIDATES`] is the usual value; clamped to
    /// [`MAX_SIMILAR_CANDIDATES`]), in descending BM25 score (ties in index order); empty when
    /// the text has no word the index holds. `row` need not be indexed.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn similar_candidates(
        &self,
        row: &ParagraphRow,
        limit: usize,
        max_year: Option<i32>,
    ) -> Result<Vec<ParagraphRow>, IndexError> {
        let limit = limit.min(MAX_SIMILAR_CANDIDATES);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let words = self.query_words(&searcher, &row.text)?;
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let field = self.fields.text_exact;
        let terms: Vec<Box<dyn Query>> = words
            .iter()
            .map(|w| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &w.word),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(BooleanQuery::union(terms))),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.doc_id, &row.doc_id),
                    IndexRecordOption::Basic,
                )),
            ),
        ];
        if let Some(year) = max_year {
            let upper = Term::from_field_i64(self.fields.year, i64::from(year));
            let range = RangeQuery::new(Bound::Unbounded, Bound::Included(upper));
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(range), 0.0)),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let top: Vec<(f32, DocAddress)> =
            searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(_, addr)| self.load_row(&searcher, addr, crate::stored::Parts::Whole))
            .collect()
    }

    /// The words of the query for `text`: distinct tokens of the `text` field's analyzer
    /// (first [`MAX_TEXT_WORDS`]), weighted by frequency × BM25 idf, the heaviest
    /// [`MAX_QUERY_TERMS`], then common words dropped while [`MIN_QUERY_TERMS`] remain.
    fn query_words(
        &self,
        searcher: &tantivy::Searcher,
        text: &str,
    ) -> Result<Vec<Weighted>, IndexError> {
        let field = self.fields.text_exact;
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut frequencies: BTreeMap<String, u32> = BTreeMap::new();
        let mut stream = analyzer.token_stream(text);
        let mut seen = 0usize;
        while seen < MAX_TEXT_WORDS && stream.advance() {
            *frequencies.entry(stream.token().text.clone()).or_default() += 1;
            seen += 1;
        }
        let rows = searcher.num_docs();
        let mut words = Vec::with_capacity(frequencies.len());
        for (word, frequency) in frequencies {
            let doc_freq = searcher.doc_freq(&Term::from_field_text(field, &word))?;
            if doc_freq == 0 {
                continue;
            }
            words.push(Weighted {
                weight: f64::from(frequency) * idf(doc_freq, rows),
                word,
                doc_freq,
            });
        }
        words.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.word.cmp(&b.word))
        });
        words.truncate(MAX_QUERY_TERMS);
        let common = rows / COMMON_TERM_DIVISOR;
        let rare = words.iter().filter(|w| w.doc_freq <= common).count();
        if rare >= MIN_QUERY_TERMS {
            words.retain(|w| w.doc_freq <= common);
        }
        Ok(words)
    }
}

/// BM25 inverse document frequency of a word in `doc_freq` of `rows` rows (as tantivy
/// computes it): `ln(1 + (rows - doc_freq + 0.5) / (doc_freq + 0.5))`.
#[allow(clippy::cast_precision_loss)]
fn idf(doc_freq: u64, rows: u64) -> f64 {
    let (df, n) = (doc_freq as f64, rows.max(doc_freq) as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_words_weigh_more() {
        assert!(idf(1, 1000) > idf(10, 1000));
        assert!(idf(999, 1000) > 0.0);
        // A row count below the doc frequency (deleted rows still counted) stays finite.
        assert!(idf(5, 3).is_finite());
    }
}
