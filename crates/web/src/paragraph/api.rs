//! `GET /api/paragraphs/{id}`: a paragraph as JSON (also the body of `/api/cite` and of the
//! MCP tool `get_paragraph`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;
use undex_core::ParagraphRow;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::citations::{CiteEntry, CitedByEntry, ParagraphView};
use crate::links::{paragraph_url, public_row};
use crate::params::PathParam;
use crate::{ApiError, AppState};

pub(crate) async fn paragraph(
    State(state): State<AppState>,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    paragraph_value(&state, &id).await.map(Json)
}

/// The body of `/api/paragraphs/{id}` (also of `/api/cite` and the MCP tool `get_paragraph`):
/// the row, `prev` / `next` ids, `url`, `cites`, `cited_by`, `translations` and `tags_note`,
/// from one call of [`LibraryReader::paragraph_in_languages`].
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown id; index errors.
pub(crate) async fn paragraph_value(state: &AppState, id: &str) -> Result<Value, ApiError> {
    let lookup = id.to_string();
    let found = state
        .blocking(move |library| library.paragraph_in_languages(&lookup))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no paragraph {id}")))?;
    let view = ParagraphView::from(found.view);
    // `translations`: language code → id (a JSON object, keyed by code).
    let translations = found
        .translations
        .into_iter()
        .map(|(l, t)| (l.to_string(), t.id))
        .collect();
    let tags_note = found.tags_note;
    let row = public_row(view.row);
    let value = serde_json::to_value(ApiParagraph {
        prev: view.prev.map(|r| r.id),
        next: view.next.map(|r| r.id),
        url: paragraph_url(&row.id),
        row,
        cites: view.cites,
        cited_by: view.cited_by,
        translations,
        tags_note,
    })
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(value)
}

/// The body of `/api/paragraphs/{id}`: the paragraph's row (every field of [`ParagraphRow`],
/// `source_file` reduced to its file name), with its neighbours, permalink and citations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiParagraph {
    #[serde(flatten)]
    row: ParagraphRow,
    /// Id of the previous unit of the document in reading order; null for the first.
    prev: Option<String>,
    /// Id of the next unit of the document in reading order; null for the last.
    next: Option<String>,
    /// Permalink path of the paragraph's page (`/p/{id}`).
    url: String,
    /// The UN documents the paragraph (or its footnotes) cites.
    cites: Vec<CiteEntry>,
    /// Paragraphs of other documents citing this paragraph by a pinpoint covering its number.
    cited_by: Vec<CitedByEntry>,
    /// The same paragraph in the other languages the index holds: language (ISO 639-1) →
    /// paragraph id (`{"fr": "A_HRC_WG.6_7_ITA_1.fr~12"}`), found by aligning the language
    /// versions of the document (same symbol; by paragraph number, else by length).
    translations: BTreeMap<String, String>,
    /// Why a paragraph in another language than English has no tags, when it is because the
    /// index holds no English version to carry them from; null otherwise.
    tags_note: Option<String>,
}
