//! Citations between documents as the API and the pages show them: what a paragraph or
//! document cites ("Cites") and which paragraphs of other documents cite it ("Cited by"),
//! each with its link. The lookups are the read service's ([`LibraryReader::paragraph`],
//! [`LibraryReader::document_citations`]); this module adds the URLs and the API schemas.
//!
//! A paragraph is "cited by" a paragraph of another document when that paragraph cites one of
//! the paragraph's document symbols (each symbol of a joint symbol, or the joint one) with a
//! pinpoint covering the paragraph's number: "46", a range "46-53" / "46–53", or a list
//! "37,40" / "37 and 40" (UN Editorial Manual pinpoints: "para. 46", "paras. 46–53").

use serde::Serialize;
use undex_core::ParagraphRow;
use undex_library::reader;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::links::paragraph_url;

/// Whether a pinpoint ("46", "46-53", "37 and 40") covers a paragraph number: the service
/// layer's rule, [`reader::pinpoint_covers`].
pub use undex_library::reader::pinpoint_covers;

/// One document a paragraph cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CiteEntry {
    /// Cited symbol ("A/67/929").
    pub symbol: String,
    /// Paragraph pinpoint, as written ("15", "46-53").
    pub pinpoint: Option<String>,
    /// Footnote number of the citation in the citing paragraph.
    pub footnote: Option<u32>,
    /// `/d/{symbol}` when the index holds the cited document, else null.
    pub url: Option<String>,
}

/// One paragraph of another document that cites this one: the read service's
/// [`reader::CitedByParagraph`] (its members, flat) and its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CitedByEntry {
    /// The citing paragraph: `id`, `citation`, `doc_id`, `symbol`, `pinpoint`, `footnote`.
    #[serde(flatten)]
    pub paragraph: reader::CitedByParagraph,
    /// Permalink of the citing paragraph (`/p/{id}`).
    pub url: String,
}

impl std::ops::Deref for CitedByEntry {
    type Target = reader::CitedByParagraph;

    fn deref(&self) -> &reader::CitedByParagraph {
        &self.paragraph
    }
}

/// A document cited by some paragraphs of a document, with how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DocumentCite {
    /// Cited symbol.
    pub symbol: String,
    /// Paragraphs of the citing document that cite it.
    pub count: usize,
    /// `/d/{symbol}` when the index holds the cited document, else null.
    pub url: Option<String>,
}

/// Another document citing a document, with its citing paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CitingDocument {
    /// Document id of the citing document.
    pub doc_id: String,
    /// Its symbol, when it has one.
    pub symbol: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its document page.
    pub url: String,
    /// The citing paragraphs, in reading order.
    pub paragraphs: Vec<CitedByEntry>,
}

/// The document-page path of a symbol or id, keeping its slashes (wildcard route).
pub(crate) fn symbol_url(symbol: &str) -> String {
    let segments: Vec<String> = symbol
        .split('/')
        .map(crate::links::encode_segment)
        .collect();
    format!("/d/{}", segments.join("/"))
}

/// The link of a cited symbol: its document page when the index holds it.
fn cited_url(symbol: &str, indexed: bool) -> Option<String> {
    indexed.then(|| symbol_url(symbol))
}

impl From<reader::CitedByParagraph> for CitedByEntry {
    fn from(c: reader::CitedByParagraph) -> Self {
        CitedByEntry {
            url: paragraph_url(&c.id),
            paragraph: c,
        }
    }
}

/// "Cites" and "Cited by" of one paragraph, as the API and the page show them (see
/// [`LibraryReader::paragraph_citations`]).
pub(crate) fn paragraph_entries(
    citations: reader::ParagraphCitations,
) -> (Vec<CiteEntry>, Vec<CitedByEntry>) {
    let cites = citations
        .cites
        .into_iter()
        .map(|c| CiteEntry {
            url: cited_url(&c.symbol, c.indexed),
            symbol: c.symbol,
            pinpoint: c.pinpoint,
            footnote: c.footnote,
        })
        .collect();
    let cited_by = citations.cited_by.into_iter().map(Into::into).collect();
    (cites, cited_by)
}

/// "Cites" and "Cited by" of a document, as the API and the page show them (see
/// [`LibraryReader::document_citations`]).
pub(crate) fn document_entries(
    (cites, cited_by): (Vec<reader::CitedDocument>, Vec<reader::CitingDocument>),
) -> (Vec<DocumentCite>, Vec<CitingDocument>) {
    let cites = cites
        .into_iter()
        .map(|c| DocumentCite {
            url: cited_url(&c.symbol, c.indexed),
            symbol: c.symbol,
            count: c.count,
        })
        .collect();
    let cited_by = cited_by
        .into_iter()
        .map(|d| CitingDocument {
            url: crate::links::doc_id_url(&d.doc_id),
            doc_id: d.doc_id,
            symbol: d.symbol,
            title: d.title,
            paragraphs: d.paragraphs.into_iter().map(Into::into).collect(),
        })
        .collect();
    (cites, cited_by)
}

/// A paragraph with what the paragraph page and `GET /api/paragraphs/{id}` show around it.
pub(crate) struct ParagraphView {
    pub(crate) row: ParagraphRow,
    pub(crate) prev: Option<ParagraphRow>,
    pub(crate) next: Option<ParagraphRow>,
    pub(crate) cites: Vec<CiteEntry>,
    pub(crate) cited_by: Vec<CitedByEntry>,
}

/// Loads a paragraph, its neighbours and its citations in one blocking task
/// ([`LibraryReader::paragraph`]).
///
/// # Errors
/// [`crate::error::ApiError::NotFound`] for an unknown id; index errors.
pub(crate) async fn load_paragraph(
    state: &crate::AppState,
    id: &str,
) -> Result<ParagraphView, crate::error::ApiError> {
    let lookup = id.to_string();
    let view = state
        .blocking(move |library| library.paragraph(&lookup))
        .await?
        .ok_or_else(|| crate::error::ApiError::NotFound(format!("no paragraph {id}")))?;
    Ok(view.into())
}

impl From<reader::ParagraphView> for ParagraphView {
    fn from(view: reader::ParagraphView) -> Self {
        let (cites, cited_by) = paragraph_entries(view.citations);
        ParagraphView {
            row: view.row,
            prev: view.prev,
            next: view.next,
            cites,
            cited_by,
        }
    }
}
