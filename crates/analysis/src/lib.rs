//! Analyses of undex paragraph rows and the outputs built from them ([`undex_core::ParagraphRow`]).
//!
//! - [`export`](mod@export): citation exports of a list of rows, in the given order: a plain-text list in the
//!   style of the UN Editorial Manual ("A/79/875-S/2025/248, para. 76"), a Word file (.docx),
//!   CSL-JSON, RIS, BibTeX and CSV ([`ExportFormat`]).
//! - [`similarity`]: near-duplicate language across documents (exact Jaccard similarity of word
//!   3-shingles over candidate rows the caller supplies), word-level diffs and the chain of a
//!   paragraph back to its first appearance.
//! - [`trends`]: counts of matching rows per year / body / document, as an SVG chart and CSV,
//!   and the first appearance of a phrase.
//! - [`feed`]: an Atom feed of the newest matching rows.
//!
//! Permalinks: the page of a paragraph is `{base}/p/{id}` ([`permalink`]).
#![warn(missing_docs)]

mod docx;
pub mod export;
pub mod feed;
pub mod similarity;
pub mod trends;

pub use export::{
    ExportFormat, ExportOptions, ExportWriter, csv_cell, export, export_with, permalink,
};
pub use feed::{FeedOptions, atom_feed, issue_date};
pub use similarity::{
    DiffKind, DiffSegment, MAX_CHAIN_LINKS, SimilarRow, chain, diff_words, similar, similar_earlier,
};
pub use trends::{
    MAX_YEAR_SPAN, TrendDimension, TrendPoint, TrendSeries, contains_phrase, first_appearance,
    trend,
};

/// Errors of the analyses and exports. Messages are lowercase.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// An export format name other than "text", "docx", "csl-json", "ris", "bibtex", "csv".
    #[error("unknown export format {0:?} (expected text, docx, csl-json, ris, bibtex or csv)")]
    UnknownFormat(String),
    /// Writing CSV failed.
    #[error("csv writing failed: {0}")]
    Csv(#[from] csv::Error),
    /// Writing JSON failed.
    #[error("json writing failed: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing the .docx zip package failed.
    #[error("docx packaging failed: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing to a buffer failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Drawing a chart failed.
    #[error("chart drawing failed: {0}")]
    Chart(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Writing the Atom feed failed.
    #[error("feed writing failed: {0}")]
    Feed(#[source] Box<dyn std::error::Error + Send + Sync>),
}
