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

mod collect;
pub mod dense;
pub mod error;
pub mod facets;
pub mod limits;
mod lookup;
mod parallel;
pub mod query;
mod readonly;
pub mod registry;
mod rowzip;
pub mod scan;
pub mod schema;
mod search;
pub mod similar;
mod stem;
mod stem_search;
pub mod stems;
mod stored;
mod words;
mod writer;
mod writerdir;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::query::AllQuery;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy};
use undex_core::ParagraphRow;

pub use error::IndexError;
pub use parallel::SEARCH_THREADS_ENV;
pub use registry::{FACETS, Facet};
pub use scan::{DocumentCount, DocumentOrder, RankedRows, Selection, ValueCounts, YearCounts};
use schema::{Fields, build_schema, register_tokenizers};
pub use similar::SIMILAR_CANDIDATES;
pub use writer::{IndexBatch, MAX_MERGE_INPUTS, MAX_PARALLEL_MERGES, MAX_SEGMENT_ROWS};

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
    /// Leave each hit's `row.evidence` empty: the stored evidence is skipped, not parsed
    /// (callers that show no evidence, such as a page of results, parse each hit's row with
    /// about a quarter fewer instructions; see
    /// [`undex_core::ParagraphRow::from_json_without_evidence`]).
    #[serde(default)]
    pub skip_evidence: bool,
    /// How many matching rows the facet counts are taken over: `None` for about
    /// [`facets::MAX_FACET_ROWS`] (shared among the segments by their size), or every match
    /// in an index of at most [`facets::WHOLE_INDEX_ROWS`] rows; `Some(n)` (at least 1) for
    /// at most `n` in each segment, so that `n` at least the search's total counts every
    /// match however the matches fall among the segments. Past it the counts are estimated
    /// from a uniform sample of the matches and [`SearchResponse::facets_approximate`] is
    /// set. The cost of the counts grows with the sample (at 10,000 rows, a third of a
    /// median search on the 1M-row scale benchmark) and their error shrinks with its square
    /// root; `Some(usize::MAX)` counts every match.
    #[serde(default)]
    pub facet_rows: Option<usize>,
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
    /// True when the search matched more rows than [`facets::MAX_FACET_ROWS`] (about) and the
    /// facet counts are estimates from a uniform sample of the matches, scaled up to all of
    /// them; `total` is exact either way.
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

/// The query plans of one index: only the stemmed fields of the languages it holds are
/// searched (see [`query`]).
#[derive(Default)]
struct QueryPlans {
    /// By the set of languages held: bit `i` for [`schema::LANGUAGES`]`[i]`, bit 8 when every
    /// row is in a stemmed language.
    by_key: BTreeMap<u16, std::sync::Arc<query::QueryPlan>>,
    /// The plan of the last searcher generation seen, with its generation id.
    last: Option<(u64, std::sync::Arc<query::QueryPlan>)>,
}

/// An open undex index. Cheap to share between threads (`Send + Sync`); searches reuse one
/// reader, which reloads on commits (also commits made by another process).
pub struct UndexIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Query plans, by the languages the index holds (see [`QueryPlans`]).
    plans: Mutex<QueryPlans>,
    writer: Option<Mutex<Option<IndexWriter>>>,
    /// The folder of an on-disk index; `None` in memory.
    dir: Option<std::path::PathBuf>,
    /// Facet values per segment, decoded on first use (see [`facets`]).
    facet_tables: std::sync::Arc<facets::FacetTables>,
    /// Frequencies of frequent words per segment, decoded on first use (see [`dense`]).
    dense_tables: std::sync::Arc<dense::DenseTables>,
    /// The pool that spreads a long search's segments over the cores when it runs alone (see
    /// [`parallel`]).
    search_threads: parallel::SearchThreads,
    /// Compression of stored rows (see [`rowzip`]).
    rows: std::sync::Arc<rowzip::RowCodec>,
    /// The stemmed fields' postings, where the index keeps them in `.stems` files (see
    /// [`stems`]); `None` where it indexes them.
    stems: Option<std::sync::Arc<stem_search::Stems>>,
}

/// Whether a new index keeps the stemmed fields of the Snowball languages in `.stems` files
/// (see [`stems`]) instead of indexing them.
const NEW_INDEXES_KEEP_STEMS_IN_FILES: bool = true;

/// The builder of a new index: undex's schema and settings, with [`stems::StemsPlugin`]
/// registered when [`NEW_INDEXES_KEEP_STEMS_IN_FILES`].
fn new_index_builder() -> tantivy::IndexBuilder {
    let (schema, _) = build_schema();
    let builder = Index::builder()
        .schema(schema)
        .settings(schema::index_settings());
    if NEW_INDEXES_KEEP_STEMS_IN_FILES {
        builder.register_plugin(std::sync::Arc::new(stems::StemsPlugin))
    } else {
        builder
    }
}

impl std::fmt::Debug for UndexIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UndexIndex")
            .field("writable", &self.writer.is_some())
            .finish_non_exhaustive()
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
        let open_err = |e: Box<dyn std::error::Error + Send + Sync>| IndexError::Open {
            path: dir.to_path_buf(),
            source: e,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.into()))?;
        let mmap = MmapDirectory::open(dir).map_err(|e| open_err(e.into()))?;
        // An existing index is opened as it is, so that one of another version is named as
        // such ([`IndexError::Outdated`]) rather than as a schema mismatch.
        let exists = Index::exists(&mmap).map_err(|e| open_err(e.into()))?;
        let index = if exists {
            Index::open(mmap)
        } else {
            new_index_builder().open_or_create(mmap)
        }
        .map_err(|e| open_err(e.into()))?;
        Self::from_index(index, true, Some(dir))
    }

    /// Opens an existing index for searching only; writes answer [`IndexError::ReadOnly`].
    /// Nothing in `dir` is created or modified, so the folder may be read-only.
    ///
    /// # Errors
    /// [`IndexError::Open`] when `dir` holds no undex index.
    pub fn open_read_only(dir: &Path) -> Result<Self, IndexError> {
        let open_err = |e: Box<dyn std::error::Error + Send + Sync>| IndexError::Open {
            path: dir.to_path_buf(),
            source: e,
        };
        // Reads only: no lock file is created or written (see `readonly`).
        let directory = readonly::ReadOnlyDirectory::open(dir).map_err(|e| open_err(e.into()))?;
        let index = Index::open(directory).map_err(|e| open_err(e.into()))?;
        Self::from_index(index, false, Some(dir))
    }

    /// An index in memory, for tests and one-off runs.
    ///
    /// # Errors
    /// [`IndexError::Tantivy`] if the reader cannot be created.
    pub fn in_memory() -> Result<Self, IndexError> {
        Self::from_index(new_index_builder().create_in_ram()?, true, None)
    }

    /// An index in memory that writes `.stems` files ([`stems::StemsPlugin`]) and also
    /// indexes the stemmed fields, and searches those: for tests comparing the two.
    #[cfg(test)]
    pub(crate) fn in_memory_with_stems() -> Result<Self, IndexError> {
        let mut index = Self::in_memory()?;
        index.fields.stems_in_files = false;
        index.stems = None;
        Ok(index)
    }

    /// An index in memory that indexes the stemmed fields (the layout of indexes created
    /// before the `.stems` files), for tests comparing the two.
    #[cfg(test)]
    pub(crate) fn in_memory_indexing_stems() -> Result<Self, IndexError> {
        let (schema, _) = build_schema();
        let index = Index::builder()
            .schema(schema)
            .settings(schema::index_settings())
            .create_in_ram()?;
        Self::from_index(index, true, None)
    }

    /// Whether the index keeps its stemmed fields in `.stems` files (see [`stems`]) rather
    /// than indexing them.
    #[must_use]
    pub fn keeps_stems_in_files(&self) -> bool {
        self.stems.is_some()
    }

    fn from_index(
        mut index: Index,
        writable: bool,
        folder: Option<&Path>,
    ) -> Result<Self, IndexError> {
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
        let mut fields = expected;
        // An index records at creation the plugins it was created with; one with the stems
        // plugin keeps its stemmed fields in the plugin's files.
        let keeps_stems = index
            .load_metas()?
            .persisted_custom_extensions
            .iter()
            .any(|e| e == stems::STEMS_EXTENSION);
        if keeps_stems
            && !index
                .all_plugins()
                .any(|p| p.extensions() == [stems::STEMS_EXTENSION])
        {
            index.register_plugin(std::sync::Arc::new(stems::StemsPlugin));
        }
        fields.stems_in_files = keeps_stems;
        let stems = keeps_stems.then(|| std::sync::Arc::new(stem_search::Stems::new(&fields)));
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(UndexIndex {
            index,
            fields,
            reader,
            plans: Mutex::default(),
            writer: writable.then(|| Mutex::new(None)),
            dir: folder.map(Path::to_path_buf),
            facet_tables: std::sync::Arc::default(),
            dense_tables: std::sync::Arc::default(),
            search_threads: parallel::SearchThreads::default(),
            rows: std::sync::Arc::new(rowzip::RowCodec::new(folder)),
            stems,
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
        rows.sort_by(lookup::reading_order);
        Ok(rows)
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
#[must_use]
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    push_escaped(&mut out, s);
    out
}

/// Appends `s` to `out` escaped as [`escape_html`] escapes it, copying the runs between the
/// five escaped characters whole.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{LANGUAGES, lang_field};
    use crate::search::plain_snippet;

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
            assert!(f.text_field(l).is_some());
            let row_language = undex_core::TextLanguage::Known(l);
            assert_eq!(lang_field(&f, &row_language), f.text_field(l));
        }
        // Another language, an unlisted one, an undetermined one.
        for other in ["de", "nld", "und"] {
            let other = undex_core::TextLanguage::from_code(other).unwrap();
            assert!(lang_field(&f, &other).is_none(), "{other:?}");
        }
        assert_eq!(
            crate::schema::STEMMERS.map(|(language, _)| language.as_str()),
            ["en", "fr", "es", "ru", "ar"]
        );
    }
}
