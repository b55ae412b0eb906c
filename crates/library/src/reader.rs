//! The read side of the library: [`LibraryReader`], the one service between the web app (HTML
//! pages, JSON API, MCP tools) and an open, read-only [`UndexIndex`].
//!
//! Each method is one unit of index work that a request needs, combining the index's lookups
//! where a question takes several (a paragraph with its neighbours and citations, a citation
//! resolved by each of its symbols, earlier wording and its chain, a trend along a dimension,
//! the rows of a feed). Methods are blocking: an async caller runs them on its blocking pool.
//! They answer domain types (rows, counts, [`TrendSeries`], [`crate::export::Exported`]);
//! turning them into HTML, JSON or URLs is the caller's business.
//!
//! Nothing here writes: the index folder's writer is [`crate::Library`]. The reader sees a
//! new commit (an ingest, a reindex switched in) as soon as the index's reader reloads.

mod citations;
mod earlier;

use std::sync::Arc;

use undex_analysis::{TrendDimension, TrendSeries, issue_date};
use undex_core::{CitationRef, Language, ParagraphRow, TextLanguage};
use undex_index::{
    DocumentOrder, IndexError, IndexStats, SearchRequest, SearchResponse, Selection, UndexIndex,
};

use crate::languages::{GroupedResponse, UnLanguage};

pub use citations::{
    CitedByParagraph, CitedDocument, CitingDocument, ParagraphCitations, ParagraphCite,
    pinpoint_covers,
};
pub use earlier::{CHAIN_MIN_SCORE, EARLIER_K, Earlier, EarlierMatch};

/// A paragraph with what its page and `GET /api/paragraphs/{id}` show around it: its
/// neighbours in reading order and its citations both ways.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphView {
    /// The paragraph's row, as stored (its `source_file` is the server's path).
    pub row: ParagraphRow,
    /// The unit before it in its document, `None` for the first.
    pub prev: Option<ParagraphRow>,
    /// The unit after it in its document, `None` for the last.
    pub next: Option<ParagraphRow>,
    /// What it cites and which paragraphs of other documents cite it.
    pub citations: ParagraphCitations,
}

/// A paragraph with its other language versions, as `GET /api/paragraphs/{id}` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphInLanguages {
    /// The paragraph, its neighbours and citations.
    pub view: ParagraphView,
    /// The same paragraph in each other language the index holds, as `(language, row)`
    /// sorted by language ([`LibraryReader::translations`]).
    pub translations: Vec<(TextLanguage, ParagraphRow)>,
    /// Why the paragraph has no tags when the reason is its language (no English version in
    /// the index to carry them from, [`crate::languages::tags_note`]); `None` otherwise.
    pub tags_note: Option<String>,
}

/// Where a citation ([`CitationRef`]) leads in the index.
#[derive(Debug, Clone, PartialEq)]
pub enum CitationTarget {
    /// The cited unit, with a note when the match is not exact (see [`CitationRef::find`]:
    /// a range or list cited, a paragraph found in an annex not named, …).
    Found {
        /// The unit's row.
        row: Box<ParagraphRow>,
        /// Why the match is not exact, if it is not.
        note: Option<String>,
    },
    /// The document is indexed, but has no such unit.
    NoUnit {
        /// The document's first row (its metadata).
        first: Box<ParagraphRow>,
        /// Units the index holds for the document.
        units: usize,
    },
    /// No document of the index has any of the citation's symbols.
    NoDocument,
}

/// The read service over one open index, cheap to clone (the index is shared, [`Arc`]).
///
/// Every method reads the index's current commit and may fail with [`IndexError`] (a query
/// that does not parse, a page past the result window, a damaged index); "not there" is an
/// empty answer (`None`, an empty list), never an error.
#[derive(Debug, Clone)]
pub struct LibraryReader {
    index: Arc<UndexIndex>,
}

impl LibraryReader {
    /// A reader over `index` (opened read-only, [`UndexIndex::open_read_only`]).
    #[must_use]
    pub fn new(index: UndexIndex) -> Self {
        Self::shared(Arc::new(index))
    }

    /// A reader over an index already shared with other owners.
    #[must_use]
    pub fn shared(index: Arc<UndexIndex>) -> Self {
        LibraryReader { index }
    }

    /// The index itself, for the rare read this service does not name (tests, tools).
    #[must_use]
    pub fn index(&self) -> &UndexIndex {
        &self.index
    }

    /// One page of a search: hits (full matches first, then on the page where they end the
    /// partial ones), the total of full matches and, when the request asks for them, facet
    /// counts ([`UndexIndex::search`]).
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] for a query that does not parse or breaks a limit,
    /// [`IndexError::ResultWindow`] for a page past the result window; index errors.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, IndexError> {
        self.index.search(request)
    }

    /// Counts of the index: documents, paragraphs, and what the index was built with.
    ///
    /// # Errors
    /// Index errors.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        self.index.stats()
    }

    /// Paragraph `id` ("A_79_875.en~76") with its neighbours and citations
    /// ([`paragraph_citations`](Self::paragraph_citations)); `None` when the index has no
    /// such paragraph.
    ///
    /// # Errors
    /// Index errors.
    pub fn paragraph(&self, id: &str) -> Result<Option<ParagraphView>, IndexError> {
        let Some(row) = self.index.paragraph(id)? else {
            return Ok(None);
        };
        let citations = self.paragraph_citations(&row)?;
        let (prev, next) = self.index.neighbours(id)?;
        Ok(Some(ParagraphView {
            row,
            prev,
            next,
            citations,
        }))
    }

    /// Paragraph `id` with its neighbours, citations and other language versions (and the
    /// note on tags missing for want of an English version): [`paragraph`](Self::paragraph)
    /// and [`translations`](Self::translations) in one call. `None` when the index has no
    /// such paragraph.
    ///
    /// # Errors
    /// Index errors.
    pub fn paragraph_in_languages(
        &self,
        id: &str,
    ) -> Result<Option<ParagraphInLanguages>, IndexError> {
        let Some(view) = self.paragraph(id)? else {
            return Ok(None);
        };
        let translations = self.translations(&view.row)?;
        let has_english = translations.iter().any(|(l, _)| *l == Language::En);
        let tags_note = crate::languages::tags_note(&view.row, has_english);
        Ok(Some(ParagraphInLanguages {
            view,
            translations,
            tags_note,
        }))
    }

    /// What `row` cites (its `cited` entries, in order, each marked when the index holds the
    /// document) and the paragraphs of other documents citing it by a pinpoint covering its
    /// number ([`pinpoint_covers`]; sorted by document id, then position). A unit printed
    /// without a number has no "cited by".
    ///
    /// # Errors
    /// Index errors.
    pub fn paragraph_citations(
        &self,
        row: &ParagraphRow,
    ) -> Result<ParagraphCitations, IndexError> {
        citations::paragraph_citations(&self.index, row)
    }

    /// The same paragraph in each other language the index holds, as `(language, row)`
    /// sorted by language ([`crate::languages::translations`]).
    ///
    /// # Errors
    /// Index errors.
    pub fn translations(
        &self,
        row: &ParagraphRow,
    ) -> Result<Vec<(TextLanguage, ParagraphRow)>, IndexError> {
        crate::languages::translations(&self.index, row)
    }

    /// Every unit of the document named by `key` (document id, or a symbol: each symbol of a
    /// joint one names it; English preferred among language versions), in reading order;
    /// empty when the index has none ([`UndexIndex::document`]).
    ///
    /// # Errors
    /// Index errors.
    pub fn document(&self, key: &str) -> Result<Vec<ParagraphRow>, IndexError> {
        self.index.document(key)
    }

    /// What a document cites and who cites it: `rows` are all the units of one document
    /// (as [`document`](Self::document) gives them). The cited symbols with the number of
    /// citing paragraphs (sorted by symbol), and the other documents whose paragraphs cite one
    /// of its symbols (any pinpoint), each with those paragraphs (sorted by document id).
    ///
    /// # Errors
    /// Index errors.
    pub fn document_citations(
        &self,
        rows: &[ParagraphRow],
    ) -> Result<(Vec<CitedDocument>, Vec<CitingDocument>), IndexError> {
        citations::document_citations(&self.index, rows)
    }

    /// The language versions of `row`'s document, its own included, as
    /// `(language, document id)` sorted by language ([`crate::languages::document_versions`]).
    ///
    /// # Errors
    /// Index errors.
    pub fn document_versions(
        &self,
        row: &ParagraphRow,
    ) -> Result<Vec<(TextLanguage, String)>, IndexError> {
        crate::languages::document_versions(&self.index, row)
    }

    /// Resolves a parsed citation: the document by the joint symbol, then by each of its
    /// symbols (as [`document`](Self::document) finds them), then the unit by
    /// [`CitationRef::find`].
    ///
    /// # Errors
    /// Index errors.
    pub fn resolve_citation(&self, cref: &CitationRef) -> Result<CitationTarget, IndexError> {
        let joint = cref.symbol();
        let keys = std::iter::once(joint.clone()).chain(
            cref.symbols
                .iter()
                .map(ToString::to_string)
                .filter(|s| *s != joint),
        );
        for key in keys {
            let rows = self.index.document(&key)?;
            let Some(first) = rows.first() else {
                continue;
            };
            return Ok(match cref.find(&rows) {
                Some((row, note)) => CitationTarget::Found {
                    row: Box::new(row.clone()),
                    note,
                },
                None => CitationTarget::NoUnit {
                    first: Box::new(first.clone()),
                    units: rows.len(),
                },
            });
        }
        Ok(CitationTarget::NoDocument)
    }

    /// The earlier wording of paragraph `id`: the at most `k` most similar paragraphs of
    /// earlier documents (word 3-shingle Jaccard similarity, 0–1, with a word diff each) and
    /// the chain back to the first appearance, each link at least `chain_min_score` similar
    /// to the one before (the web app asks for [`EARLIER_K`] and [`CHAIN_MIN_SCORE`]).
    /// Computed from the index's current commit (candidates from
    /// [`UndexIndex::similar_candidates`]); nothing is stored. `None` when the index has no
    /// paragraph `id`.
    ///
    /// # Errors
    /// Index errors.
    pub fn earlier_wording(
        &self,
        id: &str,
        k: usize,
        chain_min_score: f64,
    ) -> Result<Option<Earlier>, IndexError> {
        earlier::earlier_wording(&self.index, id, k, chain_min_score)
    }

    /// The counts of the rows `selection` selects along `by`, from the index's fast columns:
    /// by year (undated rows apart), by organ (rows without one apart) or by document (one
    /// row read per document, for its label and date).
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] for a query that does not parse; index errors.
    pub fn trend(
        &self,
        selection: &Selection,
        by: TrendDimension,
    ) -> Result<TrendSeries, IndexError> {
        let index = &self.index;
        Ok(match by {
            TrendDimension::Year => {
                let counts = index.count_by_year(selection)?;
                TrendSeries::by_year(&counts.by_year, counts.undated)
            }
            TrendDimension::Body => {
                let counts = index.count_by_value(selection, "body")?;
                TrendSeries::by_body(counts.by_value, counts.without)
            }
            TrendDimension::Document => {
                let documents = index.documents_matching(selection)?;
                TrendSeries::by_document(documents.iter().map(|d| (&d.first, d.rows)))
            }
        })
    }

    /// The earliest row `selection` selects, by date of issue (undated rows last), then
    /// document id and position: the first appearance of a search. Reads the matching
    /// documents oldest first and stops at the first row; `None` when nothing matches.
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] for a query that does not parse; index errors.
    pub fn first_appearance(
        &self,
        selection: &Selection,
    ) -> Result<Option<ParagraphRow>, IndexError> {
        let rows = self.index.rows_by_document(
            selection,
            DocumentOrder::OldestFirst,
            |r| Some((r.date.is_none(), r.date.clone())),
            |_| true,
            1,
        )?;
        Ok(rows.into_iter().next())
    }

    /// The `limit` newest rows `selection` selects, for a feed: read document by document
    /// from the newest date of issue down ([`issue_date`]), each document's rows in reading
    /// order.
    ///
    /// # Errors
    /// [`IndexError::InvalidQuery`] for a query that does not parse; index errors.
    pub fn newest_rows(
        &self,
        selection: &Selection,
        limit: usize,
    ) -> Result<Vec<ParagraphRow>, IndexError> {
        self.index.rows_by_document(
            selection,
            DocumentOrder::NewestFirst,
            issue_date,
            |_| true,
            limit,
        )
    }

    /// Exports from this library's index, written as `how` says
    /// ([`crate::export::Exporter`]: the matches of a search, or a list of ids).
    pub fn exporter(&self, how: crate::export::ExportRequest) -> crate::export::Exporter<'_> {
        crate::export::Exporter::new(&self.index, how)
    }

    /// One page of a search with one hit per aligned paragraph, led by its version in
    /// `lead_language` when it has one ([`crate::languages::search_grouped`]: `offset` and
    /// `limit` count paragraphs, `total` counts paragraphs among at most
    /// [`crate::languages::MAX_GROUPED_ROWS`] hits).
    ///
    /// # Errors
    /// As [`search`](Self::search).
    pub fn search_grouped(
        &self,
        request: &SearchRequest,
        lead_language: Option<UnLanguage>,
    ) -> Result<GroupedResponse, IndexError> {
        crate::languages::search_grouped(&self.index, request, lead_language)
    }
}
