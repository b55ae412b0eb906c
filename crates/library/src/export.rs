//! Citation exports read from the index: every match of a search in result order, or a list
//! of paragraph ids in the given order, written by [`undex_analysis::ExportWriter`] a page at
//! a time. The one implementation behind `undex export` and `GET /api/export`.

use undex_analysis::{AnalysisError, ExportFormat, ExportOptions, ExportWriter};
use undex_core::ParagraphRow;
use undex_index::{IndexError, Selection, UndexIndex};

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
}

impl Exported {
    /// Whether rows of the search were left out (more matches than the limit).
    #[must_use]
    pub fn truncated(&self) -> bool {
        self.rows < self.total
    }
}

/// Exports the first `max_rows` rows matching `selection`, in result order (as
/// `/api/search` lists them), reading [`EXPORT_PAGE_ROWS`] rows from the index at a time:
/// the rows are never all in memory, only the export being written.
///
/// # Errors
/// [`ExportError::Index`] when the query does not parse or the index is damaged;
/// [`ExportError::Write`] on a writer failure.
pub fn export_search(
    index: &UndexIndex,
    selection: &Selection,
    format: ExportFormat,
    options: &ExportOptions,
    max_rows: usize,
) -> Result<Exported, ExportError> {
    let mut ranked = index.ranked_rows(selection, max_rows)?;
    let total = ranked.total();
    let mut writer = ExportWriter::new(format, options.clone());
    loop {
        let page = ranked.next_page(EXPORT_PAGE_ROWS)?;
        if page.is_empty() {
            break;
        }
        writer.write_rows(&page)?;
    }
    let rows = writer.rows();
    Ok(Exported {
        bytes: writer.finish()?,
        rows,
        total,
    })
}

/// Exports the rows of `ids`, in the given order (an id given twice is listed twice), loading
/// [`EXPORT_PAGE_ROWS`] rows at a time.
///
/// # Errors
/// [`ExportError::NotFound`] naming the first unknown id; [`ExportError::Index`] on a damaged
/// index; [`ExportError::Write`] on a writer failure.
pub fn export_ids(
    index: &UndexIndex,
    ids: &[String],
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<Exported, ExportError> {
    let mut writer = ExportWriter::new(format, options.clone());
    for page in ids.chunks(EXPORT_PAGE_ROWS) {
        writer.write_rows(&rows_by_ids(index, page)?)?;
    }
    Ok(Exported {
        bytes: writer.finish()?,
        rows: ids.len(),
        total: ids.len(),
    })
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
