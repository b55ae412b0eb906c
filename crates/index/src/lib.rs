//! The undex full-text index: one tantivy document per [`ParagraphRow`], searchable at the
//! level people cite (the numbered paragraph), with facets and highlighted snippets.
//!
//! - [`UndexIndex::replace_documents`]: ingest whole documents; re-ingesting a file replaces
//!   its rows (by `doc_id`, `source_file` and `sha256`), one atomic commit per call.
//! - [`UndexIndex::search`]: the query language (words, `"phrases"`, `AND`/`OR`/`NOT`, `+`/`-`,
//!   parentheses, field filters such as `pillar:III`, `risk:7`, `year:2026`,
//!   `year:[2020 TO 2026]`, `symbol:"A/79/875"`, `lang:fr`, `body:"Security Council"`,
//!   `type:report`, `recommendation:true`, `addressee:"Member States"`, `crime:genocide`,
//!   `country:SDN`, `cited:"A/67/929"` (paragraphs citing that document); aliases `risk_factor:`, `language:`, `doc_type:`, `rec:`) plus structured
//!   [`Filters`]; a bare symbol (`A/79/875 veto`) restricts to that document. BM25 over the
//!   per-language stemmed text, the unstemmed text (boost 0.6) and the title (0.3); facet
//!   counts over the whole result set; snippets with `<mark>` highlights.
//! - [`UndexIndex::paragraph`], [`UndexIndex::document`], [`UndexIndex::neighbours`],
//!   [`UndexIndex::stats`]: rebuild any page from the stored rows.
//!
//! The schema is described in [`schema`].
#![warn(missing_docs)]

pub mod error;
pub mod facets;
pub mod limits;
pub mod query;
mod readonly;
pub mod registry;
pub mod scan;
pub mod schema;
pub mod similar;
mod stored;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};
use undex_core::ParagraphRow;

pub use error::IndexError;
pub use registry::{FACETS, Facet};
pub use scan::{DocumentCount, DocumentOrder, RankedRows, Selection, ValueCounts, YearCounts};
use schema::{Fields, build_schema, lang_field, register_tokenizers, to_document};
pub use similar::SIMILAR_CANDIDATES;

/// Largest page size [`UndexIndex::search`] returns; larger limits are clamped.
pub const MAX_LIMIT: usize = 1000;
/// Buckets returned per facet.
pub(crate) const FACET_SIZE: u32 = 50;
/// Most language versions [`UndexIndex::language_versions`] returns (the six official
/// languages, with room for a reissue or two).
pub const MAX_LANGUAGE_VERSIONS: usize = 12;
/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 280;
/// Memory budget of the index writer, in bytes.
const WRITER_BUDGET: usize = 50_000_000;

/// Structured filters, ANDed with the query. Text values match case-insensitively and whole
/// (`body: "security council"` matches "Security Council", not "Council").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    /// Exact year of issue.
    pub year: Option<i32>,
    /// First year of a range, inclusive.
    pub year_from: Option<i32>,
    /// Last year of a range, inclusive.
    pub year_to: Option<i32>,
    /// Document id ("A_79_875.en"), exact.
    pub doc_id: Option<String>,
    /// Keyword filters: facet name of [`registry::FACETS`] → value ("pillar" → "III",
    /// "risk_factor" → "7", "recommendation" → "true", "symbol" → "A/79/875", "cited" →
    /// "A/67/929"). Each value is normalised by its facet ([`registry::Facet::normalize`])
    /// and matched whole and case-insensitively; an empty value is no filter.
    #[serde(flatten)]
    pub keywords: BTreeMap<String, String>,
}

impl Filters {
    /// These filters with the keyword filter `facet` (a [`registry::Facet::name`]) set to
    /// `value`.
    #[must_use]
    pub fn with(mut self, facet: &str, value: impl ToString) -> Self {
        self.keywords.insert(facet.to_string(), value.to_string());
        self
    }

    /// The value of keyword filter `facet`, when set and not blank.
    #[must_use]
    pub fn get(&self, facet: &str) -> Option<&str> {
        self.keywords
            .get(facet)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// A search: query string, filters and the page wanted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The query in the undex query language (see the crate docs); empty lists every row
    /// passing the filters in document order (newest year first, then reading order).
    pub q: String,
    /// Structured filters.
    pub filters: Filters,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return, at most [`MAX_LIMIT`]; 0 returns only the total and facets.
    pub limit: usize,
    /// Leave [`SearchResponse::facets`] empty (callers that show no facets save their cost).
    #[serde(default)]
    pub skip_facets: bool,
    /// Words that rank the rows but do not select them, used only when `q` is empty: rows
    /// passing the filters are ordered by BM25 on these words (any of them) instead of in
    /// document order. A search read as tag filters ("recommendations to regional
    /// organizations") keeps the words it turned into filters here, so that the paragraphs
    /// that speak of regional organizations most come first. Ignored when it does not parse.
    #[serde(default)]
    pub rank: String,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hit {
    /// The stored row.
    pub row: ParagraphRow,
    /// A fragment of the text, HTML-escaped, matched terms wrapped in `<mark>…</mark>`, with
    /// "…" before and after it where it cuts the paragraph.
    pub snippet_html: String,
    /// BM25 score (0 when listing in document order). Scores of full and partial matches
    /// are not comparable: each list is ranked on its own.
    pub score: f32,
    /// True when the row holds every word of the query (and is counted in
    /// [`SearchResponse::total`]); false for the rows with some of the words that follow
    /// them (see [`query`]).
    #[serde(default = "yes")]
    pub all_words: bool,
}

fn yes() -> bool {
    true
}

/// One facet value and the number of matching rows carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FacetCount {
    /// The value as stored ("III", "Security Council", "2026").
    pub value: String,
    /// Matching rows with this value.
    pub count: u64,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Rows holding all the words of the query and passing the filters, over all pages.
    pub total: usize,
    /// The requested page of hits: rows with all the words first (`total` of them over all
    /// pages), then, when the query joins two or more words without an operator, the best
    /// rows with some of the words ([`Hit::all_words`] false).
    pub hits: Vec<Hit>,
    /// For each name in [`FACETS`], value counts over the whole result set, most frequent
    /// first, ties by value, at most 50 values a facet; empty when the request skipped facets.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// True when the search matched more than [`facets::MAX_FACET_ROWS`] rows and the facet
    /// counts are over the first of them only (a sample); `total` is exact either way.
    #[serde(default)]
    pub facets_approximate: bool,
    /// On a page that reaches the end of the rows with all the words: true when rows with
    /// only some of the words follow it. False on pages inside the full matches (there, a next
    /// page exists when `offset + limit < total`).
    #[serde(default)]
    pub partial_more: bool,
}

/// Size of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndexStats {
    /// Documents (distinct `doc_id`).
    pub documents: u64,
    /// Rows (citable units).
    pub paragraphs: u64,
}

/// An open undex index. Cheap to share between threads (`Send + Sync`); searches reuse one
/// reader, which reloads on commits (also commits made by another process).
pub struct UndexIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Query parsers by the set of languages the index holds (bit `i` for
    /// [`schema::LANGUAGES`]`[i]`): only those languages' stemmed fields are searched.
    parsers: Mutex<BTreeMap<u8, std::sync::Arc<QueryParser>>>,
    writer: Option<Mutex<Option<IndexWriter>>>,
    /// The folder of an on-disk index; `None` in memory.
    dir: Option<std::path::PathBuf>,
    /// Facet values per segment, decoded on first use (see [`facets`]).
    facet_tables: std::sync::Arc<facets::FacetTables>,
}

impl std::fmt::Debug for UndexIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UndexIndex")
            .field("writable", &self.writer.is_some())
            .finish_non_exhaustive()
    }
}

/// Writes in progress on an [`UndexIndex`] (see [`UndexIndex::begin`]). Holds the index's
/// writer for its lifetime.
pub struct IndexBatch<'a> {
    index: &'a UndexIndex,
    guard: std::sync::MutexGuard<'a, Option<IndexWriter>>,
    /// Rows added since the last commit.
    pending: usize,
}

impl IndexBatch<'_> {
    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        self.guard.as_mut().ok_or(IndexError::Poisoned)
    }

    /// Replaces one document, given as its rows in reading order: deletes every row already
    /// indexed (or added earlier in this batch) with the same `doc_id`, `source_file` or
    /// `sha256` as one of `rows`, then adds `rows`. This is the one rule of what a
    /// re-ingest replaces. Returns the number of rows added (0 for an empty document, which
    /// deletes nothing).
    ///
    /// # Errors
    /// [`IndexError::Row`] when a row cannot be serialised; [`IndexError::Tantivy`] when the
    /// writer has failed.
    pub fn replace(&mut self, rows: &[ParagraphRow]) -> Result<usize, IndexError> {
        if rows.is_empty() {
            return Ok(0);
        }
        let f = &self.index.fields;
        let mut deletes: BTreeSet<(u8, &str)> = BTreeSet::new();
        for r in rows {
            deletes.insert((0, r.doc_id.as_str()));
            if !r.source_file.is_empty() {
                deletes.insert((1, r.source_file.as_str()));
            }
            if !r.sha256.is_empty() {
                deletes.insert((2, r.sha256.as_str()));
            }
        }
        let terms: Vec<Term> = deletes
            .into_iter()
            .map(|(kind, value)| {
                Term::from_field_text(
                    [f.doc_id, f.source_file, f.sha256][usize::from(kind)],
                    value,
                )
            })
            .collect();
        let docs = rows
            .iter()
            .map(|r| to_document(f, r))
            .collect::<Result<Vec<_>, _>>()?;
        let writer = self.writer()?;
        for term in terms {
            writer.delete_term(term);
        }
        for doc in docs {
            writer.add_document(doc)?;
        }
        self.pending += rows.len();
        Ok(rows.len())
    }

    /// Rows added since the last commit.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Commits every write of the batch so far, atomically, and makes it visible to
    /// searches. Returns the commit's opstamp.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on I/O errors; the writes since the last commit are then
    /// rolled back.
    pub fn commit(&mut self) -> Result<u64, IndexError> {
        let pending = self.pending;
        let writer = self.writer()?;
        let stamp = match writer.commit() {
            Ok(stamp) => stamp,
            Err(e) => {
                let _ = writer.rollback();
                self.pending = 0;
                return Err(e.into());
            }
        };
        self.pending = 0;
        self.index.reader.reload()?;
        tracing::debug!(rows = pending, opstamp = stamp, "index commit");
        Ok(stamp)
    }
}

impl IndexBatch<'_> {
    /// Merges every segment of the index into one, as Lucene's force-merge, when the index
    /// has more than one, and waits for it; commits pending rows first. A bulk load ends with
    /// this: one segment answers a search with one term lookup per field and word, and
    /// stores one term dictionary. Costs a rewrite of the index (about as long as indexing
    /// it); a small update should leave merging to tantivy's merge policy. Returns the
    /// number of segments merged (0 or 1: nothing done).
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the merge fails (the index keeps its segments).
    pub fn merge_segments(&mut self) -> Result<usize, IndexError> {
        if self.pending > 0 {
            self.commit()?;
        }
        let ids = self.index.index.searchable_segment_ids()?;
        if ids.len() < 2 {
            return Ok(ids.len());
        }
        let writer = self.writer()?;
        writer.merge(&ids).wait()?;
        let _ = writer.garbage_collect_files().wait();
        self.index.reader.reload()?;
        tracing::debug!(segments = ids.len(), "index segments merged into one");
        Ok(ids.len())
    }
}

impl Drop for IndexBatch<'_> {
    fn drop(&mut self) {
        if self.pending > 0
            && let Some(w) = self.guard.as_mut()
        {
            let _ = w.rollback();
        }
    }
}

impl UndexIndex {
    /// Opens the index in `dir`, creating the directory and an empty index when missing.
    /// The writer lock is taken on the first write, not here.
    ///
    /// # Errors
    /// [`IndexError::Open`] when the directory cannot be created or opened;
    /// [`IndexError::Outdated`] when it holds an index of another version (another schema);
    /// [`IndexError::Tantivy`] on I/O errors.
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        let open_err = |message: String| IndexError::Open {
            path: dir.to_path_buf(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        let mmap = MmapDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
        // An existing index is opened as it is, so that one of another version is named as
        // such ([`IndexError::Outdated`]) rather than as a schema mismatch.
        let exists = Index::exists(&mmap).map_err(|e| open_err(e.to_string()))?;
        let index = if exists {
            Index::open(mmap)
        } else {
            let (schema, _) = build_schema();
            Index::builder()
                .schema(schema)
                .settings(schema::index_settings())
                .open_or_create(mmap)
        }
        .map_err(|e| open_err(e.to_string()))?;
        Self::from_index(index, true, Some(dir))
    }

    /// Opens an existing index for searching only; writes answer [`IndexError::ReadOnly`].
    /// Nothing in `dir` is created or modified, so the folder may be read-only.
    ///
    /// # Errors
    /// [`IndexError::Open`] when `dir` holds no undex index.
    pub fn open_read_only(dir: &Path) -> Result<Self, IndexError> {
        let open_err = |message: String| IndexError::Open {
            path: dir.to_path_buf(),
            message,
        };
        // Reads only: no lock file is created or written (see `readonly`).
        let directory =
            readonly::ReadOnlyDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
        let index = Index::open(directory).map_err(|e| open_err(e.to_string()))?;
        Self::from_index(index, false, Some(dir))
    }

    /// An index in memory, for tests and one-off runs.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the reader cannot be created.
    pub fn in_memory() -> Result<Self, IndexError> {
        let (schema, _) = build_schema();
        let index = Index::builder()
            .schema(schema)
            .settings(schema::index_settings())
            .create_in_ram()?;
        Self::from_index(index, true, None)
    }

    fn from_index(index: Index, writable: bool, folder: Option<&Path>) -> Result<Self, IndexError> {
        let dir = folder.unwrap_or(Path::new("(memory)"));
        let (expected_schema, expected) = build_schema();
        let schema = index.schema();
        // Field handles are positional: refuse an index whose schema differs from ours.
        for (field, entry) in expected_schema.fields() {
            if schema.get_field(entry.name()).ok() != Some(field) {
                return Err(IndexError::Outdated {
                    path: dir.to_path_buf(),
                    field: entry.name().to_string(),
                });
            }
        }
        let fields = expected;
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(UndexIndex {
            index,
            fields,
            reader,
            parsers: Mutex::default(),
            writer: writable.then(|| Mutex::new(None)),
            dir: folder.map(Path::to_path_buf),
            facet_tables: std::sync::Arc::default(),
        })
    }

    /// The folder of the index, or `None` for an index in memory. Side files that follow the
    /// index (the ingest journal of `undex-library`) live here.
    #[must_use]
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The stamp of the index's last commit, read from its `meta.json` (so it also sees
    /// commits made by another process). Grows with every commit; 0 for a new index.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] when the metadata cannot be read.
    pub fn opstamp(&self) -> Result<u64, IndexError> {
        Ok(self.index.load_metas()?.opstamp)
    }

    /// Every row of the index, sorted by document id then position. Reloads the reader
    /// first, so rows committed a moment ago are included.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn all_rows(&self) -> Result<Vec<ParagraphRow>, IndexError> {
        self.reader.reload()?;
        let mut rows = self.rows_matching(&AllQuery)?;
        rows.sort_by(reading_order);
        Ok(rows)
    }

    /// Replaces documents: for each document (its rows, in reading order), deletes every row
    /// already indexed with the same `doc_id`, `source_file` or `sha256`, then adds the new
    /// rows; all in one commit, so a killed ingest leaves the previous commit intact and
    /// re-ingesting a file never duplicates it. Empty documents are skipped; when two
    /// documents of `docs` share a key, the later one wins. Returns the number of rows added.
    ///
    /// # Errors
    /// As [`UndexIndex::begin`] and [`IndexBatch::commit`].
    pub fn replace_documents(&self, docs: &[Vec<ParagraphRow>]) -> Result<usize, IndexError> {
        let mut batch = self.begin()?;
        let mut added = 0;
        for rows in docs {
            added += batch.replace(rows)?;
        }
        batch.commit()?;
        Ok(added)
    }

    /// Starts a batch of writes: [`IndexBatch::replace`] any number of documents, then
    /// [`IndexBatch::commit`] (as often as wanted: an ingest commits every few thousand
    /// rows so its memory does not grow with the corpus). Writes not committed when the
    /// batch is dropped are rolled back, so no later commit publishes half a batch.
    ///
    /// The writer lock (tantivy's `.tantivy-writer.lock` in the index folder) is taken on
    /// the first batch and held by this [`UndexIndex`] until it is dropped.
    ///
    /// # Errors
    /// [`IndexError::ReadOnly`] on a read-only index; [`IndexError::Locked`] when another
    /// process (another `undex ingest`) holds the writer lock; [`IndexError::Tantivy`] on
    /// I/O errors.
    pub fn begin(&self) -> Result<IndexBatch<'_>, IndexError> {
        let lock = self.writer.as_ref().ok_or(IndexError::ReadOnly)?;
        let mut guard = lock.lock().map_err(|_| IndexError::Poisoned)?;
        if guard.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(1, WRITER_BUDGET)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                        path: self.dir.clone().unwrap_or_default(),
                    },
                    e => IndexError::Tantivy(e),
                })?;
            *guard = Some(writer);
        }
        Ok(IndexBatch {
            index: self,
            guard,
            pending: 0,
        })
    }

    /// The parser for the languages `searcher` holds (see [`query`]), built on first use.
    fn parser(&self, searcher: &Searcher) -> std::sync::Arc<QueryParser> {
        let mut held: u8 = 0;
        for (i, field) in self.fields.text_lang.iter().enumerate() {
            let has_terms = searcher.segment_readers().iter().any(|s| {
                s.inverted_index(*field)
                    .is_ok_and(|ii| ii.terms().num_terms() > 0)
            });
            if has_terms {
                held |= 1 << i;
            }
        }
        if held == 0 {
            // An empty index: every language, so that queries are checked the same way.
            held = u8::MAX;
        }
        let mut parsers = self
            .parsers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let parser = parsers.entry(held).or_insert_with(|| {
            let f = &self.fields;
            // The title is not a default field: a word of the title would match every paragraph
            // of the document, and the total counts paragraphs holding the words themselves
            // (`title:` still searches it).
            let mut default_fields = vec![f.text_exact, f.symbol];
            default_fields.extend(
                f.text_lang
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| held & (1 << i) != 0)
                    .map(|(_, field)| *field),
            );
            let mut parser = QueryParser::for_index(&self.index, default_fields);
            // Words are required (see `query`); the stemmed field ranks first, exact wording
            // adds to it.
            parser.set_conjunction_by_default();
            parser.set_field_boost(f.text_exact, 0.6);
            // A bare symbol ("A/79/875 veto") selects the document; it should not outweigh text.
            parser.set_field_boost(f.symbol, 0.2);
            std::sync::Arc::new(parser)
        });
        std::sync::Arc::clone(parser)
    }

    /// The rows a query selects: those holding all its words (see [`query`]).
    fn parse(&self, q: &str) -> Result<Box<dyn Query>, IndexError> {
        let searcher = self.reader.searcher();
        Ok(query::parse(&self.parser(&searcher), q)?.all)
    }

    fn keyword_term(field: Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &value.trim().to_lowercase()),
            IndexRecordOption::Basic,
        ))
    }

    fn filter_clauses(&self, f: &Filters) -> Result<Vec<Box<dyn Query>>, IndexError> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let year_term = |y: i32| Term::from_field_i64(self.fields.year, i64::from(y));
        if let Some(y) = f.year {
            out.push(Box::new(TermQuery::new(
                year_term(y),
                IndexRecordOption::Basic,
            )));
        }
        if f.year_from.is_some() || f.year_to.is_some() {
            let lo = f
                .year_from
                .map_or(Bound::Unbounded, |y| Bound::Included(year_term(y)));
            let hi = f
                .year_to
                .map_or(Bound::Unbounded, |y| Bound::Included(year_term(y)));
            out.push(Box::new(RangeQuery::new(lo, hi)));
        }
        for (name, value) in &f.keywords {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let facet = registry::by_name(name)
                .filter(|f| f.kind != registry::ValueKind::Year)
                .ok_or_else(|| IndexError::InvalidQuery {
                    message: format!("no filter named {name:?}"),
                })?;
            out.push(Self::keyword_term(
                self.fields.keyword(facet.field),
                &(facet.normalize)(value),
            ));
        }
        if let Some(d) = &f.doc_id {
            out.push(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.doc_id, d),
                IndexRecordOption::Basic,
            )));
        }
        Ok(out)
    }

    /// Runs a search: the rows holding all the words of the query and passing the filters,
    /// ranked by BM25 (or listed in document order when `q` is blank), with facet counts
    /// over them; when the query joins two or more words without an operator, the best rows
    /// holding only some of the words follow them, page after page (see [`query`]).
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] when `q` does not parse or is over a limit of [`limits`];
    /// [`IndexError::ResultWindow`] when `offset + limit` is past
    /// [`limits::MAX_RESULT_WINDOW`]; [`IndexError::Tantivy`] /
    /// [`IndexError::Row`] on a damaged index.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
        limits::check_window(req.offset, req.limit.min(MAX_LIMIT))?;
        let searcher = self.reader.searcher();
        let parsed = if req.q.trim().is_empty() {
            None
        } else {
            Some(query::parse(&self.parser(&searcher), &req.q)?)
        };
        let filters: Vec<Box<dyn Query>> = self
            .filter_clauses(&req.filters)?
            .into_iter()
            .map(|f| Box::new(ConstScoreQuery::new(f, 0.0)) as Box<dyn Query>)
            .collect();
        let with_filters = |q: Option<Box<dyn Query>>, not: Option<Box<dyn Query>>| {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            clauses.extend(q.map(|q| (Occur::Must, q)));
            clauses.extend(filters.iter().map(|f| (Occur::Must, f.box_clone())));
            clauses.extend(not.map(|q| (Occur::MustNot, q)));
            let query: Box<dyn Query> = if clauses.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::new(clauses))
            };
            query
        };
        // Ranking words without a query: every row passing the filters, ordered by the words.
        let rank: Option<Box<dyn Query>> = if parsed.is_none() && !req.rank.trim().is_empty() {
            query::parse(&self.parser(&searcher), &req.rank)
                .ok()
                .map(|p| p.some.unwrap_or(p.all))
        } else {
            None
        };
        let query = match &rank {
            Some(words) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, with_filters(None, None)),
                (Occur::Should, words.box_clone()),
            ])),
            None => with_filters(parsed.as_ref().map(|p| p.all.box_clone()), None),
        };
        let limit = req.limit.min(MAX_LIMIT);
        let facet_collector = (!req.skip_facets).then(|| {
            self.facet_tables.retain(&searcher);
            facets::FacetCollector::new(std::sync::Arc::clone(&self.facet_tables))
        });
        let top = TopDocs::with_limit(limit.max(1)).and_offset(req.offset);
        let (addresses, total, facet_fruit): (Vec<(f32, DocAddress)>, usize, _) =
            if parsed.is_some() || rank.is_some() {
                searcher.search(&query, &(top.order_by_score(), Count, facet_collector))?
            } else {
                let (hits, total, facets) = searcher.search(
                    &query,
                    &(
                        top.order_by_string_fast_field("sort_key", Order::Asc),
                        Count,
                        facet_collector,
                    ),
                )?;
                (
                    hits.into_iter().map(|(_, a)| (0.0, a)).collect(),
                    total,
                    facets,
                )
            };
        let (facets, facets_approximate) =
            facet_fruit.map_or_else(|| (BTreeMap::new(), false), |f| (f.counts, f.approximate));
        let mut found: Vec<(f32, DocAddress, bool)> = addresses
            .into_iter()
            .take(limit)
            .map(|(score, addr)| (score, addr, true))
            .collect();
        // Rows with some of the words, after every row with all of them.
        let mut partial_more = false;
        let some = parsed.as_ref().and_then(|p| p.some.as_ref());
        if let (Some(some), Some(parsed)) = (some, &parsed) {
            let window_end = req.offset + limit;
            if limit > 0 && window_end >= total {
                let skip = req.offset.saturating_sub(total);
                let want = window_end - total.max(req.offset);
                let partial = with_filters(Some(some.box_clone()), Some(parsed.all.box_clone()));
                let top = TopDocs::with_limit(want + 1)
                    .and_offset(skip)
                    .order_by_score();
                let mut more = searcher.search(&partial, &top)?;
                partial_more = more.len() > want;
                more.truncate(want);
                found.extend(more.into_iter().map(|(score, addr)| (score, addr, false)));
            }
        }
        let snippet_query = parsed
            .as_ref()
            .map(|p| p.some.as_ref().unwrap_or(&p.all).box_clone())
            .or(rank);
        let mut generators: BTreeMap<Field, Option<SnippetGenerator>> = BTreeMap::new();
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr, all_words) in found {
            let row = self.load_row(&searcher, addr)?;
            let snippet_html = match &snippet_query {
                Some(q) => {
                    let mut html = String::new();
                    let lang = lang_field(&self.fields, &row.language);
                    for field in lang.into_iter().chain([self.fields.text_exact]) {
                        let generator = generators.entry(field).or_insert_with(|| {
                            SnippetGenerator::create(&searcher, &**q, field)
                                .ok()
                                .map(|mut g| {
                                    g.set_max_num_chars(SNIPPET_CHARS);
                                    g
                                })
                        });
                        if let Some(g) = generator {
                            let mut s = g.snippet(&row.text);
                            if !s.highlighted().is_empty() {
                                s.set_snippet_prefix_postfix("<mark>", "</mark>");
                                // "…" where the fragment cuts the paragraph.
                                let fragment = s.fragment().trim();
                                let text = row.text.trim();
                                let before = if text.starts_with(fragment) {
                                    ""
                                } else {
                                    "…"
                                };
                                let after = if text.ends_with(fragment) { "" } else { "…" };
                                html = format!("{before}{}{after}", s.to_html().trim());
                                break;
                            }
                        }
                    }
                    if html.is_empty() {
                        plain_snippet(&row.text)
                    } else {
                        html
                    }
                }
                None => plain_snippet(&row.text),
            };
            hits.push(Hit {
                row,
                snippet_html,
                score,
                all_words,
            });
        }
        Ok(SearchResponse {
            total,
            hits,
            facets,
            facets_approximate,
            partial_more,
        })
    }

    fn load_row(&self, searcher: &Searcher, addr: DocAddress) -> Result<ParagraphRow, IndexError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let json = doc
            .get_first(self.fields.row)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        Ok(stored::decode(json)?)
    }

    fn rows_matching(&self, query: &dyn Query) -> Result<Vec<ParagraphRow>, IndexError> {
        let searcher = self.reader.searcher();
        let addrs = searcher.search(query, &DocSetCollector)?;
        let mut addrs: Vec<DocAddress> = addrs.into_iter().collect();
        addrs.sort_unstable();
        addrs
            .into_iter()
            .map(|a| self.load_row(&searcher, a))
            .collect()
    }

    /// The row with unit id `id` ("A_79_875.en~76"), if indexed.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn paragraph(&self, id: &str) -> Result<Option<ParagraphRow>, IndexError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        Ok(self.rows_matching(&q)?.into_iter().next())
    }

    /// Every row of one document, in reading order (`position`). `key` is a document id
    /// ("A_79_875.en"), a symbol ("A/79/875", case-insensitive), a joint symbol
    /// ("A/79/875-S/2025/248") or a symbol slug ("A_79_875"). When several documents match
    /// (language versions), the English one is preferred, else the smallest document id.
    /// Empty when nothing matches.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn document(&self, key: &str) -> Result<Vec<ParagraphRow>, IndexError> {
        let key = key.trim();
        let by_id = |id: &str| {
            TermQuery::new(
                Term::from_field_text(self.fields.doc_id, id),
                IndexRecordOption::Basic,
            )
        };
        let mut rows = self.rows_matching(&by_id(key))?;
        if rows.is_empty() {
            rows = self.rows_matching(&*Self::keyword_term(self.fields.symbol, key))?;
        }
        if rows.is_empty() && !key.contains('.') {
            rows = self.rows_matching(&by_id(&format!("{key}.en")))?;
        }
        let chosen = rows
            .iter()
            .map(|r| (r.language != "en", r.doc_id.clone()))
            .min()
            .map(|(_, d)| d);
        let mut rows: Vec<ParagraphRow> = match chosen {
            Some(d) => rows.into_iter().filter(|r| r.doc_id == d).collect(),
            None => Vec::new(),
        };
        rows.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// Whether the index holds a row sharing `row`'s first symbol in another language than
    /// `row.language`: one count, no stored row read, so a bulk ingest of documents in one
    /// language asks it of every document without reading the index back. False for a row
    /// without a symbol. A true answer is a hint: [`Self::language_versions`] then applies
    /// [`undex_core::align::same_document`].
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_other_language(&self, row: &ParagraphRow) -> Result<bool, IndexError> {
        let Some(symbol) = row.symbols.first().or(row.symbol.as_ref()) else {
            return Ok(false);
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, Self::keyword_term(self.fields.symbol, symbol)),
            (
                Occur::MustNot,
                Self::keyword_term(self.fields.keyword("lang"), &row.language),
            ),
        ]);
        Ok(self.reader.searcher().search(&query, &Count)? > 0)
    }

    /// Every language version of the document `row` belongs to: each document of the index
    /// that shares one of its symbols (see [`undex_core::align::same_document`]), its own
    /// included, as `(language, rows in reading order)` sorted by language then document id.
    /// Empty for a row without a symbol (a non-UN document has no language versions). At
    /// most [`MAX_LANGUAGE_VERSIONS`] documents.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn language_versions(
        &self,
        row: &ParagraphRow,
    ) -> Result<Vec<(String, Vec<ParagraphRow>)>, IndexError> {
        let Some(symbol) = row.symbols.first().or(row.symbol.as_ref()) else {
            return Ok(Vec::new());
        };
        let mut by_doc: BTreeMap<String, Vec<ParagraphRow>> = BTreeMap::new();
        for r in self.rows_matching(&*Self::keyword_term(self.fields.symbol, symbol))? {
            if r.doc_id == row.doc_id || undex_core::align::same_document(row, &r) {
                by_doc.entry(r.doc_id.clone()).or_default().push(r);
            }
        }
        let mut out: Vec<(String, Vec<ParagraphRow>)> = by_doc
            .into_values()
            .take(MAX_LANGUAGE_VERSIONS)
            .map(|mut rows| {
                rows.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.id.cmp(&b.id)));
                (rows[0].language.clone(), rows)
            })
            .collect();
        out.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1[0].doc_id.cmp(&b.1[0].doc_id))
        });
        Ok(out)
    }

    /// Every row that cites one of `symbols` (its `cited` field, see
    /// [`undex_core::CitedDocument`]), case-insensitive, sorted by document id then
    /// position. Blank symbols are ignored; empty when `symbols` is empty.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn citing(&self, symbols: &[String]) -> Result<Vec<ParagraphRow>, IndexError> {
        let wanted: BTreeSet<String> = symbols
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = wanted
            .iter()
            .map(|s| {
                (
                    Occur::Should,
                    Self::keyword_term(self.fields.keyword("cited"), s),
                )
            })
            .collect();
        let mut rows = self.rows_matching(&BooleanQuery::new(clauses))?;
        rows.sort_by(reading_order);
        Ok(rows)
    }

    /// Whether a document with symbol (one of a joint symbol, or the joint one) or id `key`
    /// is indexed, in any language.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_document(&self, key: &str) -> Result<bool, IndexError> {
        let key = key.trim();
        if key.is_empty() {
            return Ok(false);
        }
        let searcher = self.reader.searcher();
        let by_symbol = searcher.search(&*Self::keyword_term(self.fields.symbol, key), &Count)?;
        if by_symbol > 0 {
            return Ok(true);
        }
        let by_id = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, key),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&by_id, &Count)? > 0)
    }

    /// Whether rows read from a file with this SHA-256 (hex, as in [`ParagraphRow::sha256`])
    /// are indexed: how a resumed ingest knows a file is already done.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn has_sha256(&self, sha256: &str) -> Result<bool, IndexError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.sha256, sha256),
            IndexRecordOption::Basic,
        );
        Ok(self.reader.searcher().search(&q, &Count)? > 0)
    }

    fn at_position(&self, doc_id: &str, position: u32) -> Result<Option<ParagraphRow>, IndexError> {
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.doc_id, doc_id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(self.fields.position, u64::from(position)),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        Ok(self.rows_matching(&q)?.into_iter().next())
    }

    /// The rows before and after unit `id` in its document's reading order; `(None, None)`
    /// when `id` is unknown.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] / [`IndexError::Row`] on a damaged index.
    pub fn neighbours(
        &self,
        id: &str,
    ) -> Result<(Option<ParagraphRow>, Option<ParagraphRow>), IndexError> {
        let Some(row) = self.paragraph(id)? else {
            return Ok((None, None));
        };
        let prev = match row.position.checked_sub(1) {
            Some(p) => self.at_position(&row.doc_id, p)?,
            None => None,
        };
        let next = match row.position.checked_add(1) {
            Some(p) => self.at_position(&row.doc_id, p)?,
            None => None,
        };
        Ok((prev, next))
    }

    /// Counts documents (rows at position 0, one per document) and rows.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] on a damaged index.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        let searcher = self.reader.searcher();
        let first = TermQuery::new(
            Term::from_field_u64(self.fields.position, 0),
            IndexRecordOption::Basic,
        );
        let documents = searcher.search(&first, &Count)?;
        Ok(IndexStats {
            documents: documents as u64,
            paragraphs: searcher.num_docs(),
        })
    }
}

/// Orders rows by document id, then position in the document, then id.
fn reading_order(a: &ParagraphRow, b: &ParagraphRow) -> std::cmp::Ordering {
    a.doc_id
        .cmp(&b.doc_id)
        .then_with(|| a.position.cmp(&b.position))
        .then_with(|| a.id.cmp(&b.id))
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
#[must_use]
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The start of `text`, at most [`SNIPPET_CHARS`] characters cut at a word boundary, escaped.
fn plain_snippet(text: &str) -> String {
    if text.chars().count() <= SNIPPET_CHARS {
        return escape_html(text);
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", escape_html(cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::LANGUAGES;

    #[test]
    fn plain_snippet_escapes_and_cuts_at_a_word() {
        assert_eq!(plain_snippet("a < b & c"), "a &lt; b &amp; c");
        let long = "word ".repeat(100);
        let s = plain_snippet(&long);
        assert!(s.ends_with('…'));
        assert!(s.chars().count() <= SNIPPET_CHARS + 1);
        assert!(!s.contains("wor…"));
    }

    #[test]
    fn every_language_has_a_field() {
        let (_, f) = build_schema();
        for l in LANGUAGES {
            assert!(lang_field(&f, l).is_some());
        }
        assert!(lang_field(&f, "de").is_none());
    }
}
