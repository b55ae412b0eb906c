//! Citation exports read from the index: every match of a search in result order, or a list
//! of paragraph ids in the given order, written by [`undex_analysis::ExportWriter`] a page at
//! a time. The one implementation behind `undex export`, `GET /api/export` and the MCP tool
//! `export_citations`.
//!
//! An export may be asked in one language (`language`, ISO 639-1): each paragraph is then
//! written in its version in that language when the index holds one aligned to it
//! ([`Translator`], the rule of [`crate::languages::translations`]), and kept in its own
//! language otherwise, listed in [`Exported::not_in_language`]: a row is never dropped for
//! want of a translation. In an export of a search, a paragraph the search matched in
//! several languages is written once ([`Exported::merged`]).

use undex_analysis::{AnalysisError, ExportFormat, ExportOptions, ExportWriter};
use undex_core::{Language, ParagraphRow};
use undex_index::{IndexError, Selection, UndexIndex};

use crate::languages::{Translator, UnLanguage};

/// Most rows an export of a search reads (`/api/export`, and `undex export` by default): a
/// search matching more is exported up to this many rows, in result order, and the caller
/// says so. Ten thousand rows make a CSV of about 15 MB.
pub const MAX_EXPORT_ROWS: usize = 10_000;
/// Rows read from the index at a time while exporting.
pub const EXPORT_PAGE_ROWS: usize = 500;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A paragraph id of an export of ids is not in the index.
    #[error("no paragraph {0:?}")]
    NotFound(String),
    /// The search does not parse, or the index cannot be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The writer failed (an unknown format, a DOCX that cannot be built).
    #[error(transparent)]
    Write(#[from] AnalysisError),
}

/// An export and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Rows exported.
    pub rows: usize,
    /// Rows the search matches (the rows asked for, for an export of ids).
    pub total: usize,
    /// The language the export was asked in, `None` for the rows as found.
    pub language: Option<UnLanguage>,
    /// Ids of the rows written in their own language because the index holds no version of
    /// them in [`language`](Self::language), in export order (empty without a language).
    pub not_in_language: Vec<String>,
    /// Rows of a search left out because the same paragraph was already written (the search
    /// matched it in several languages: written once, in [`language`](Self::language) when
    /// it has a version in it); always 0 for an export of ids or without a language.
    pub merged: usize,
}

impl Exported {
    /// Whether rows of the search were left out (more matches than the limit).
    #[must_use]
    pub fn truncated(&self) -> bool {
        self.rows + self.merged < self.total
    }
}

/// Rows on their way to an export in one language: each replaced by its version in that
/// language, the rows without one noted, and (for a search) a paragraph written once.
struct InLanguage<'a> {
    translator: Option<Translator<'a>>,
    /// For a search, the English version of a row without one in the language: two versions
    /// of one paragraph that has none (the English and the Russian) are written once.
    english: Option<Translator<'a>>,
    not_in_language: Vec<String>,
    written: std::collections::HashSet<String>,
    merge: bool,
    merged: usize,
}

impl<'a> InLanguage<'a> {
    fn new(index: &'a UndexIndex, language: Option<UnLanguage>, merge: bool) -> Self {
        let english = UnLanguage::official(Language::En)
            .filter(|en| merge && language.is_some_and(|l| l != *en))
            .map(|en| Translator::new(index, en));
        InLanguage {
            translator: language.map(|l| Translator::new(index, l)),
            english,
            not_in_language: Vec::new(),
            written: std::collections::HashSet::new(),
            merge,
            merged: 0,
        }
    }

    fn rows(&mut self, page: Vec<ParagraphRow>) -> Result<Vec<ParagraphRow>, IndexError> {
        let Some(translator) = self.translator.as_mut() else {
            return Ok(page);
        };
        let mut out = Vec::with_capacity(page.len());
        for row in page {
            // The paragraph's key: its id in the language, else in English, else its own.
            let (row, key, found) = match translator.version(&row)? {
                Some(version) => {
                    let key = version.id.clone();
                    (version, key, true)
                }
                None => {
                    let key = match self.english.as_mut() {
                        Some(en) => en.version(&row)?.map_or_else(|| row.id.clone(), |r| r.id),
                        None => row.id.clone(),
                    };
                    (row, key, false)
                }
            };
            if self.merge && !self.written.insert(key) {
                self.merged += 1;
                continue;
            }
            if !found {
                self.not_in_language.push(row.id.clone());
            }
            out.push(row);
        }
        Ok(out)
    }

    fn language(&self) -> Option<UnLanguage> {
        self.translator.as_ref().map(Translator::language)
    }
}

/// How an export is written: its format, the citation options, and the language its rows
/// are written in ([`Exporter`]).
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The file format (CSV, RIS, BibTeX, CSL-JSON, text, Word…).
    pub format: ExportFormat,
    /// The base URL of permalinks, whether text exports quote the paragraphs.
    pub options: ExportOptions,
    /// One of the six official languages ([`UnLanguage`]): each row is written in its
    /// version in that language when one is aligned to it, else as found (listed in
    /// [`Exported::not_in_language`]). `None`: every row as found.
    pub language: Option<UnLanguage>,
}

/// Exports from one index, written as one [`ExportRequest`] says: the matches of a search
/// ([`Exporter::search`]) or a list of paragraph ids ([`Exporter::ids`]).
pub struct Exporter<'a> {
    index: &'a UndexIndex,
    how: ExportRequest,
}

impl<'a> Exporter<'a> {
    /// Exports from `index`, written as `how` says.
    pub fn new(index: &'a UndexIndex, how: ExportRequest) -> Self {
        Self { index, how }
    }

    /// Exports the first `max_rows` rows matching `selection`, in result order (as
    /// `/api/search` lists them), reading [`EXPORT_PAGE_ROWS`] rows from the index at a
    /// time: the rows are never all in memory, only the export being written. In a
    /// language, a paragraph matched in several languages is written once
    /// ([`Exported::merged`]).
    ///
    /// # Errors
    /// [`ExportError::Index`] when the query does not parse or the index is damaged;
    /// [`ExportError::Write`] on a writer failure.
    pub fn search(&self, selection: &Selection, max_rows: usize) -> Result<Exported, ExportError> {
        let index = self.index;
        let mut ranked = index.ranked_rows(selection, max_rows)?;
        let total = ranked.total();
        let mut writer = ExportWriter::new(self.how.format, self.how.options.clone());
        let mut rows = InLanguage::new(index, self.how.language, true);
        loop {
            let page = ranked.next_page(EXPORT_PAGE_ROWS)?;
            if page.is_empty() {
                break;
            }
            writer.write_rows(&rows.rows(page)?)?;
        }
        let written = writer.rows();
        Ok(Exported {
            bytes: writer.finish()?,
            rows: written,
            total,
            language: rows.language(),
            not_in_language: rows.not_in_language,
            merged: rows.merged,
        })
    }

    /// Exports the rows of `ids`, in the given order (an id given twice is listed twice),
    /// loading [`EXPORT_PAGE_ROWS`] rows at a time.
    ///
    /// # Errors
    /// [`ExportError::NotFound`] naming the first unknown id; [`ExportError::Index`] on a
    /// damaged index; [`ExportError::Write`] on a writer failure.
    pub fn ids(&self, ids: &[String]) -> Result<Exported, ExportError> {
        let index = self.index;
        let mut writer = ExportWriter::new(self.how.format, self.how.options.clone());
        let mut rows = InLanguage::new(index, self.how.language, false);
        for page in ids.chunks(EXPORT_PAGE_ROWS) {
            writer.write_rows(&rows.rows(rows_by_ids(index, page)?)?)?;
        }
        Ok(Exported {
            bytes: writer.finish()?,
            rows: ids.len(),
            total: ids.len(),
            language: rows.language(),
            not_in_language: rows.not_in_language,
            merged: 0,
        })
    }
}

/// The rows of `ids`, in the given order (an id given twice is listed twice).
///
/// # Errors
/// [`ExportError::NotFound`] naming the first unknown id; [`ExportError::Index`] on a damaged
/// index.
pub fn rows_by_ids(index: &UndexIndex, ids: &[String]) -> Result<Vec<ParagraphRow>, ExportError> {
    ids.iter()
        .map(|id| {
            index
                .paragraph(id)?
                .ok_or_else(|| ExportError::NotFound(id.clone()))
        })
        .collect()
}
