//! Bounded reads over every match of a search, for what summarises a whole result set instead
//! of showing a page of it (exports, trends, feeds).
//!
//! Loading every matching row costs memory and time in proportion to the result set (the
//! whole index for an empty query). Here nothing is loaded per matching row:
//! - [`UndexIndex::ranked_rows`]: the first `max` matches in result order (as
//!   [`UndexIndex::search`] ranks them), loaded page by page through a [`RankedRows`] cursor;
//!   only their addresses are held.
//! - [`UndexIndex::count_by_year`], [`UndexIndex::count_by_value`]: counts per year or per
//!   keyword value, from the fast columns, without loading a row.
//! - [`UndexIndex::documents_matching`]: the number of matches per document, from the fast
//!   columns, with one row loaded per document.
//! - [`UndexIndex::rows_by_document`]: the first rows in the order of their documents' date
//!   (newest or oldest first), loading only the documents it needs, year by year.
//!
//! Every function takes a [`Selection`]: the query and filters of a search, so the query
//! limits of [`crate::limits`] apply as they do to a search.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};
use undex_core::ParagraphRow;

use crate::collect::Counter;
use crate::{Filters, IndexError, SearchRequest, UndexIndex};

/// The rows a scan reads: those a search matches (query and filters, as in
/// [`SearchRequest`]), optionally only those whose text holds a phrase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// The query in the undex query language; blank selects every row passing the filters.
    pub q: String,
    /// Structured filters, ANDed with the query.
    pub filters: Filters,
    /// When set, only rows whose unstemmed text holds these words in this order (split and
    /// lower-cased as the `text` field is: punctuation and case are ignored). A phrase without
    /// a word selects nothing more than the query.
    pub phrase: Option<String>,
}

impl From<&SearchRequest> for Selection {
    /// The query and filters of a search (its offset and limit are not part of a selection).
    fn from(req: &SearchRequest) -> Self {
        Selection {
            q: req.q.clone(),
            filters: req.filters.clone(),
            phrase: None,
        }
    }
}

/// The first matches of a search in result order, read page by page
/// ([`UndexIndex::ranked_rows`]). Holds one searcher, so every page comes from the same commit
/// even when the index is written meanwhile.
pub struct RankedRows {
    searcher: Searcher,
    row_field: Field,
    rows: std::sync::Arc<crate::rowzip::RowCodec>,
    addresses: std::vec::IntoIter<DocAddress>,
    total: usize,
}

impl std::fmt::Debug for RankedRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RankedRows")
            .field("total", &self.total)
            .field("remaining", &self.addresses.len())
            .finish_non_exhaustive()
    }
}

impl RankedRows {
    /// Rows the search matches, over all pages (may exceed the rows this cursor reads).
    #[must_use]
    pub fn total(&self) -> usize {
        self.total
    }

    /// Rows this cursor has yet to return.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.addresses.len()
    }

    /// The next (at most) `n` rows in result order; empty when every row has been read.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn next_page(&mut self, n: usize) -> Result<Vec<ParagraphRow>, IndexError> {
        self.addresses
            .by_ref()
            .take(n)
            .map(|addr| row_at(&self.searcher, self.row_field, &self.rows, addr))
            .collect()
    }
}

/// Matching rows per year of issue ([`UndexIndex::count_by_year`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearCounts {
    /// Rows per year, years ascending; years without rows are absent.
    pub by_year: BTreeMap<i32, u64>,
    /// Rows without a year of issue.
    pub undated: u64,
}

/// Matching rows per value of a keyword field ([`UndexIndex::count_by_value`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueCounts {
    /// Rows per value as stored ("Security Council"), values in byte order. A row with two
    /// values counts under each.
    pub by_value: BTreeMap<String, u64>,
    /// Rows without any value.
    pub without: u64,
}

/// A document with matches ([`UndexIndex::documents_matching`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentCount {
    /// Its first matching row in reading order (the document's metadata is on every row).
    pub first: ParagraphRow,
    /// Its matching rows.
    pub rows: u64,
}

/// The order of documents in [`UndexIndex::rows_by_document`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOrder {
    /// Greatest key first (latest date of issue).
    NewestFirst,
    /// Smallest key first (earliest date of issue).
    OldestFirst,
}

/// Loads the stored row at `addr` (`row_field`, compressed by `rows`).
///
/// # Errors
/// [`IndexError::Tantivy`] when the document store cannot be read;
/// [`IndexError::StoredRow`] / [`IndexError::Row`] when the stored row is damaged.
pub(crate) fn row_at(
    searcher: &Searcher,
    row_field: Field,
    rows: &crate::rowzip::RowCodec,
    addr: DocAddress,
) -> Result<ParagraphRow, IndexError> {
    row_parts_at(searcher, row_field, rows, addr, crate::stored::Parts::Whole)
}

/// [`row_at`], reading only `parts` of the row.
///
/// # Errors
/// As [`row_at`].
pub(crate) fn row_parts_at(
    searcher: &Searcher,
    row_field: Field,
    rows: &crate::rowzip::RowCodec,
    addr: DocAddress,
    parts: crate::stored::Parts,
) -> Result<ParagraphRow, IndexError> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let frame = doc
        .get_first(row_field)
        .and_then(|v| v.as_bytes())
        .ok_or_else(|| IndexError::StoredRow {
            message: format!("row {addr:?} has no stored row"),
        })?;
    Ok(crate::stored::decode(&rows.decode(frame)?, parts)?)
}

impl UndexIndex {
    /// The query of a selection, and whether it ranks by score (a non-blank `q`), built as
    /// [`UndexIndex::search`] builds it so that both rank the same rows the same way.
    fn selection_query(&self, sel: &Selection) -> Result<(Box<dyn Query>, bool), IndexError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let scored = !sel.q.trim().is_empty();
        if scored {
            clauses.push((Occur::Must, self.parse(&sel.q)?));
        }
        for f in self.filter_clauses(&sel.filters)? {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
        }
        if let Some(p) = sel.phrase.as_deref().and_then(|p| self.phrase_query(p)) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(p, 0.0))));
        }
        let query: Box<dyn Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok((query, scored))
    }

    /// The words of `phrase` in a row of the unstemmed `text` field, as a phrase (or term)
    /// query; `None` when the phrase has no word.
    fn phrase_query(&self, phrase: &str) -> Option<Box<dyn Query>> {
        let field = self.fields.text_exact;
        let mut analyzer = self.index.tokenizer_for_field(field).ok()?;
        let mut stream = analyzer.token_stream(phrase);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(Term::from_field_text(field, &stream.token().text));
        }
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms.remove(0),
                IndexRecordOption::Basic,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// The first `max` rows of `sel` in result order (BM25 when `q` is not blank, else newest
    /// year first then reading order: the order of [`UndexIndex::search`]), with the number of
    /// matches. Holds `max` addresses (12 bytes each), no row; rows are loaded by
    /// [`RankedRows::next_page`].
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] when `q` does not parse or is over a limit of
    /// [`crate::limits`]; [`IndexError::Tantivy`] on a damaged index.
    pub fn ranked_rows(&self, sel: &Selection, max: usize) -> Result<RankedRows, IndexError> {
        let searcher = self.reader.searcher();
        let (query, scored) = self.selection_query(sel)?;
        // The collector sizes its buffer by `max`: never more than the rows there are.
        let max = max.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let (addresses, total): (Vec<DocAddress>, usize) = if max == 0 {
            (Vec::new(), searcher.search(&*query, &Count)?)
        } else if scored {
            let top = TopDocs::with_limit(max).order_by_score();
            let (hits, total) = searcher.search(&*query, &(top, Count))?;
            (hits.into_iter().map(|(_, a)| a).collect(), total)
        } else {
            let top = TopDocs::with_limit(max).order_by_string_fast_field("sort_key", Order::Asc);
            let (hits, total) = searcher.search(&*query, &(top, Count))?;
            (hits.into_iter().map(|(_, a)| a).collect(), total)
        };
        Ok(RankedRows {
            searcher,
            row_field: self.fields.row,
            rows: std::sync::Arc::clone(&self.rows),
            addresses: addresses.into_iter(),
            total,
        })
    }

    /// Rows of `sel` per year of issue, from the `year` fast column (no row is loaded).
    ///
    /// # Errors
    /// As [`UndexIndex::ranked_rows`].
    pub fn count_by_year(&self, sel: &Selection) -> Result<YearCounts, IndexError> {
        let searcher = self.reader.searcher();
        let (query, _) = self.selection_query(sel)?;
        Ok(searcher.search(&*query, &year_collector())?)
    }

    /// Rows of `sel` per value of the keyword field `field` (a schema name of `FACETS`:
    /// "body", "type", "lang", "pillar", "risk", …), from its fast column (no row is loaded).
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] when `field` is not a field of `FACETS`; otherwise as
    /// [`UndexIndex::ranked_rows`].
    pub fn count_by_value(&self, sel: &Selection, field: &str) -> Result<ValueCounts, IndexError> {
        if !crate::registry::counted().any(|f| f.field == field) {
            return Err(IndexError::InvalidQuery {
                message: format!("no keyword field {field:?} to count by"),
            });
        }
        let searcher = self.reader.searcher();
        let (query, _) = self.selection_query(sel)?;
        Ok(searcher.search(&*query, &value_collector(field.to_string()))?)
    }

    /// The documents with rows in `sel`, by document id, each with its number of matching rows
    /// and its first matching row in reading order. Counts come from the fast columns; one row
    /// is loaded per document.
    ///
    /// # Errors
    /// As [`UndexIndex::ranked_rows`].
    pub fn documents_matching(&self, sel: &Selection) -> Result<Vec<DocumentCount>, IndexError> {
        let searcher = self.reader.searcher();
        let (query, _) = self.selection_query(sel)?;
        let groups: BTreeMap<String, Group> = searcher
            .search(&*query, &document_groups())?
            .into_iter()
            .collect();
        groups
            .into_values()
            .map(|g| {
                Ok(DocumentCount {
                    first: row_at(&searcher, self.fields.row, &self.rows, g.first.1)?,
                    rows: g.rows,
                })
            })
            .collect()
    }

    /// At most `limit` rows of `sel` accepted by `keep`, document by document in the order of
    /// `doc_key` (a document's key is `doc_key` of any of its rows; ties by document id), and
    /// in reading order within a document. Documents whose key is `None` are skipped.
    ///
    /// Reads year by year (newest or oldest first per `order`, documents without a year last),
    /// loading one row per document of the years it reaches and then the rows it returns or
    /// rejects, so the cost follows `limit`, not the number of matches. For that, `doc_key`
    /// must be the same on every row of a document and must order documents of different years
    /// as their years (a date of issue does: `2025-12-31` < `2026-01-01`).
    ///
    /// # Errors
    /// As [`UndexIndex::ranked_rows`].
    pub fn rows_by_document<K: Ord>(
        &self,
        sel: &Selection,
        order: DocumentOrder,
        doc_key: impl Fn(&ParagraphRow) -> Option<K>,
        mut keep: impl FnMut(&ParagraphRow) -> bool,
        limit: usize,
    ) -> Result<Vec<ParagraphRow>, IndexError> {
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        let searcher = self.reader.searcher();
        let (query, _) = self.selection_query(sel)?;
        let mut by_year: BTreeMap<Option<i64>, Vec<(String, Group)>> = BTreeMap::new();
        for (doc_id, g) in searcher.search(&*query, &document_groups())? {
            by_year.entry(g.year).or_default().push((doc_id, g));
        }
        let mut years: Vec<Option<i64>> = by_year.keys().copied().filter(Option::is_some).collect();
        if order == DocumentOrder::NewestFirst {
            years.reverse();
        }
        years.push(None);
        for year in years {
            let Some(docs) = by_year.remove(&year) else {
                continue;
            };
            let mut keyed = Vec::with_capacity(docs.len());
            for (doc_id, g) in docs {
                let first = row_at(&searcher, self.fields.row, &self.rows, g.first.1)?;
                if let Some(key) = doc_key(&first) {
                    keyed.push((key, doc_id, g.rows));
                }
            }
            keyed.sort_by(|a, b| {
                let by_key = match order {
                    DocumentOrder::NewestFirst => b.0.cmp(&a.0),
                    DocumentOrder::OldestFirst => a.0.cmp(&b.0),
                };
                by_key.then_with(|| a.1.cmp(&b.1))
            });
            for (_, doc_id, rows) in keyed {
                let in_doc = BooleanQuery::new(vec![
                    (Occur::Must, query.box_clone()),
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(self.fields.doc_id, &doc_id),
                            IndexRecordOption::Basic,
                        )),
                    ),
                ]);
                let n = usize::try_from(rows).unwrap_or(usize::MAX).max(1);
                let top = TopDocs::with_limit(n).order_by_fast_field::<u64>("position", Order::Asc);
                for (_, addr) in searcher.search(&in_doc, &top)? {
                    let row = row_at(&searcher, self.fields.row, &self.rows, addr)?;
                    if keep(&row) {
                        out.push(row);
                        if out.len() >= limit {
                            return Ok(out);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Counts per year from the `year` fast column.
fn year_collector() -> impl Collector<Fruit = YearCounts> {
    Counter::new(
        |_, segment: &SegmentReader| {
            Ok(YearSegment {
                years: segment.fast_fields().column_opt::<i64>("year")?,
                counts: BTreeMap::new(),
                undated: 0,
            })
        },
        |fruits: Vec<(BTreeMap<i64, u64>, u64)>| {
            let mut out = YearCounts::default();
            for (counts, undated) in fruits {
                out.undated += undated;
                for (year, n) in counts {
                    match i32::try_from(year) {
                        Ok(y) => *out.by_year.entry(y).or_default() += n,
                        Err(_) => out.undated += n,
                    }
                }
            }
            Ok(out)
        },
    )
}

struct YearSegment {
    years: Option<Column<i64>>,
    counts: BTreeMap<i64, u64>,
    undated: u64,
}

impl SegmentCollector for YearSegment {
    type Fruit = (BTreeMap<i64, u64>, u64);

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.years.as_ref().and_then(|c| c.first(doc)) {
            Some(y) => *self.counts.entry(y).or_default() += 1,
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.counts, self.undated)
    }
}

/// Counts per value of the keyword field `field` from its fast column.
fn value_collector(field: String) -> impl Collector<Fruit = ValueCounts> {
    Counter::new(
        move |_, segment: &SegmentReader| {
            let values = segment.fast_fields().str(&field)?;
            let terms = values.as_ref().map_or(0, |c| c.num_terms());
            Ok(ValueSegment {
                values,
                counts: vec![0; terms],
                without: 0,
            })
        },
        |fruits: Vec<ValueCounts>| {
            let mut out = ValueCounts::default();
            for fruit in fruits {
                out.without += fruit.without;
                for (value, n) in fruit.by_value {
                    *out.by_value.entry(value).or_default() += n;
                }
            }
            Ok(out)
        },
    )
}

struct ValueSegment {
    values: Option<StrColumn>,
    /// Rows per term ordinal of this segment's dictionary.
    counts: Vec<u64>,
    without: u64,
}

impl SegmentCollector for ValueSegment {
    type Fruit = ValueCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let mut any = false;
        if let Some(values) = &self.values {
            for ord in values.term_ords(doc) {
                if let Some(n) = usize::try_from(ord)
                    .ok()
                    .and_then(|o| self.counts.get_mut(o))
                {
                    *n += 1;
                    any = true;
                }
            }
        }
        if !any {
            self.without += 1;
        }
    }

    fn harvest(self) -> ValueCounts {
        let mut out = ValueCounts {
            by_value: BTreeMap::new(),
            without: self.without,
        };
        if let Some(values) = &self.values {
            let mut value = String::new();
            for (ord, &n) in self.counts.iter().enumerate() {
                value.clear();
                if n > 0 && matches!(values.ord_to_str(ord as u64, &mut value), Ok(true)) {
                    *out.by_value.entry(value.clone()).or_default() += n;
                }
            }
        }
        out
    }
}

/// The matches of one document: how many, the first in reading order (position, address),
/// and the document's year.
#[derive(Debug, Clone, Copy)]
struct Group {
    rows: u64,
    first: (u64, DocAddress),
    year: Option<i64>,
}

impl Group {
    fn merge(&mut self, other: Group) {
        self.rows += other.rows;
        self.first = self.first.min(other.first);
        self.year = self.year.or(other.year);
    }
}

/// Groups the matches by document from the `doc_id`, `position` and `year` fast columns.
fn document_groups() -> impl Collector<Fruit = HashMap<String, Group>> {
    Counter::new(
        |segment, reader: &SegmentReader| {
            let fast = reader.fast_fields();
            Ok(DocumentSegment {
                segment,
                doc_ids: fast.str("doc_id")?,
                positions: fast.column_opt::<u64>("position")?,
                years: fast.column_opt::<i64>("year")?,
                groups: HashMap::new(),
            })
        },
        |fruits: Vec<HashMap<String, Group>>| {
            let mut out: HashMap<String, Group> = HashMap::new();
            for fruit in fruits {
                for (doc_id, g) in fruit {
                    match out.get_mut(&doc_id) {
                        Some(existing) => existing.merge(g),
                        None => {
                            out.insert(doc_id, g);
                        }
                    }
                }
            }
            Ok(out)
        },
    )
}

struct DocumentSegment {
    segment: SegmentOrdinal,
    doc_ids: Option<StrColumn>,
    positions: Option<Column<u64>>,
    years: Option<Column<i64>>,
    /// By term ordinal of `doc_id` in this segment.
    groups: HashMap<u64, Group>,
}

impl SegmentCollector for DocumentSegment {
    type Fruit = HashMap<String, Group>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(ord) = self.doc_ids.as_ref().and_then(|c| c.term_ords(doc).next()) else {
            return;
        };
        let position = self
            .positions
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(u64::MAX);
        let here = Group {
            rows: 1,
            first: (position, DocAddress::new(self.segment, doc)),
            year: self.years.as_ref().and_then(|c| c.first(doc)),
        };
        match self.groups.get_mut(&ord) {
            Some(g) => g.merge(here),
            None => {
                self.groups.insert(ord, here);
            }
        }
    }

    fn harvest(self) -> HashMap<String, Group> {
        let mut out = HashMap::with_capacity(self.groups.len());
        if let Some(doc_ids) = &self.doc_ids {
            for (ord, g) in self.groups {
                let mut doc_id = String::new();
                if matches!(doc_ids.ord_to_str(ord, &mut doc_id), Ok(true)) {
                    out.insert(doc_id, g);
                }
            }
        }
        out
    }
}
