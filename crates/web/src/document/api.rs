//! `GET /api/documents/{*symbol_or_id}`: a document's metadata, citations and rows as JSON.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use undex_core::{ParagraphRow, TextLanguage};

use crate::citations::{CitingDocument, DocumentCite};
use crate::links::{document_url, public_row};
use crate::params::PathParam;
use crate::{ApiError, AppState};

/// Document metadata and rows, as `/api/documents/{key}` returns them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiDocument {
    /// Stable document id ("A_79_875.en").
    doc_id: String,
    /// The symbol as cited, joint symbols joined ("A/79/875-S/2025/248"); null when none.
    symbol: Option<String>,
    /// Each symbol of the document.
    symbols: Vec<String>,
    /// Title, or null.
    title: Option<String>,
    /// Date of issue (ISO 8601), or null.
    date: Option<String>,
    /// Year of issue, or null.
    year: Option<i32>,
    /// Organs ("General Assembly", "Security Council").
    bodies: Vec<String>,
    /// Author ("Secretary-General"), or null.
    author: Option<String>,
    /// Document type ("report"), or null.
    doc_type: Option<String>,
    /// ISO 639-1 language ("en").
    #[schema(value_type = String)]
    language: TextLanguage,
    /// Agenda items.
    agenda_items: Vec<String>,
    /// File name of the source (no server path).
    source_file: String,
    /// SHA-256 of the source file, hex.
    sha256: String,
    /// Path of the document's page (`/d/{doc_id}`).
    url: String,
    /// Number of rows (citable units) in `rows`.
    paragraphs: usize,
    /// Distinct documents its paragraphs cite, with counts.
    cites: Vec<DocumentCite>,
    /// Other documents citing it, with their citing paragraphs.
    cited_by: Vec<CitingDocument>,
    /// Every citable unit, in reading order (`source_file` reduced to its file name).
    rows: Vec<ParagraphRow>,
}

pub(crate) async fn load_document(
    state: &AppState,
    key: String,
) -> Result<Vec<ParagraphRow>, ApiError> {
    let lookup = key.clone();
    let rows = state
        .blocking(move |library| library.document(&lookup))
        .await?;
    if rows.is_empty() {
        return Err(ApiError::NotFound(format!("no document {key}")));
    }
    Ok(rows)
}

/// "Cites" and "Cited by" of a document, looked up in a blocking thread.
pub(crate) async fn document_citations(
    state: &AppState,
    rows: &[ParagraphRow],
) -> Result<(Vec<DocumentCite>, Vec<CitingDocument>), ApiError> {
    let rows = rows.to_vec();
    state
        .blocking(move |library| library.document_citations(&rows))
        .await
        .map(crate::citations::document_entries)
}

pub(crate) async fn document(
    State(state): State<AppState>,
    PathParam(key): PathParam<String>,
) -> Result<Json<ApiDocument>, ApiError> {
    let rows = load_document(&state, key).await?;
    let (cites, cited_by) = document_citations(&state, &rows).await?;
    let rows: Vec<ParagraphRow> = rows.into_iter().map(public_row).collect();
    let first = rows[0].clone();
    Ok(Json(ApiDocument {
        cites,
        cited_by,
        url: document_url(&first),
        doc_id: first.doc_id,
        symbol: first.symbol,
        symbols: first.symbols,
        title: first.title,
        date: first.date,
        year: first.year,
        bodies: first.bodies,
        author: first.author,
        doc_type: first.doc_type,
        language: first.language,
        agenda_items: first.agenda_items,
        source_file: first.source_file,
        sha256: first.sha256,
        paragraphs: rows.len(),
        rows,
    }))
}
