//! JSON API handlers.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use undex_core::ParagraphRow;
use undex_index::{FacetCount, SearchResponse};

use crate::citations::{CitingDocument, DocumentCite};
use crate::params::{Params, SearchParams};
use crate::{ApiError, AppState};

/// One hit of `/api/search`.
#[derive(Debug, Serialize)]
pub(crate) struct ApiHit {
    id: String,
    symbol: Option<String>,
    /// The number as printed; null for a unit printed without one.
    number: Option<String>,
    sub: Option<String>,
    citation: String,
    text: String,
    snippet: String,
    title: Option<String>,
    date: Option<String>,
    pillars: Vec<String>,
    risk_factors: Vec<u8>,
    recommendation: bool,
    addressees: Vec<String>,
    score: f32,
    /// True for a paragraph holding every word of the query (counted in `total`); false for
    /// the paragraphs with some of the words that follow the full matches.
    all_words: bool,
    url: String,
}

/// The body of `/api/search`.
#[derive(Debug, Serialize)]
pub(crate) struct ApiSearch {
    /// Paragraphs holding all the words of the query and passing the filters.
    total: usize,
    page: usize,
    per_page: usize,
    hits: Vec<ApiHit>,
    /// Value counts per facet; empty with `facets=false`.
    facets: BTreeMap<String, Vec<FacetCount>>,
    /// True when the search matched more rows than are counted for facets
    /// (`undex_index::facets::MAX_FACET_ROWS`): the counts are of a sample.
    facets_approximate: bool,
    /// On the page where the full matches end: true when paragraphs with only some of the
    /// words follow (their hits have `all_words: false`).
    partial_more: bool,
}

/// The permalink path of a paragraph.
pub(crate) fn paragraph_url(id: &str) -> String {
    format!("/p/{}", encode_segment(id))
}

/// The path of a document page; symbols keep their slashes (wildcard route).
pub(crate) fn document_url(row: &ParagraphRow) -> String {
    format!("/d/{}", encode_segment(&row.doc_id))
}

/// The file name of a path on the server ("/srv/undex/corpus/raw/A_79_875.pdf" →
/// "A_79_875.pdf"; `/` and `\` both separate): the API shows which file a row comes from,
/// never where the server keeps it.
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// A row as the API shows it: `source_file` reduced to its [`file_name`].
pub(crate) fn public_row(mut row: ParagraphRow) -> ParagraphRow {
    row.source_file = file_name(&row.source_file);
    row
}

/// Percent-encodes a path segment, keeping the characters of undex ids and symbols readable.
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'(' | b')' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) async fn run_search(
    state: &AppState,
    params: &SearchParams,
) -> Result<SearchResponse, ApiError> {
    let req = params.to_request()?;
    state.blocking(move |index| index.search(&req)).await
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<Json<ApiSearch>, ApiError> {
    search_body(&state, &params).await.map(Json)
}

/// The body of `/api/search` for `params` (also what the MCP tool `search` returns).
pub(crate) async fn search_body(
    state: &AppState,
    params: &SearchParams,
) -> Result<ApiSearch, ApiError> {
    let (page, per_page) = params.page()?;
    let res = run_search(state, params).await?;
    let hits = res
        .hits
        .into_iter()
        .map(|h| {
            let r = h.row;
            ApiHit {
                url: paragraph_url(&r.id),
                id: r.id,
                symbol: r.symbol,
                number: r.number,
                sub: r.sub,
                citation: r.citation,
                text: r.text,
                snippet: h.snippet_html,
                title: r.title,
                date: r.date,
                pillars: r.pillars,
                risk_factors: r.risk_factors,
                recommendation: r.recommendation,
                addressees: r.addressees,
                score: h.score,
                all_words: h.all_words,
            }
        })
        .collect();
    Ok(ApiSearch {
        total: res.total,
        page,
        per_page,
        hits,
        facets: res.facets,
        facets_approximate: res.facets_approximate,
        partial_more: res.partial_more,
    })
}

pub(crate) async fn paragraph(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    paragraph_value(&state, &id).await.map(Json)
}

/// The body of `/api/paragraphs/{id}` (also of `/api/cite` and the MCP tool `get_paragraph`):
/// the row, `prev` / `next` ids, `url`, `cites` and `cited_by`.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown id; index errors.
pub(crate) async fn paragraph_value(state: &AppState, id: &str) -> Result<Value, ApiError> {
    let crate::citations::ParagraphView {
        row,
        prev,
        next,
        cites,
        cited_by,
    } = crate::citations::load_paragraph(state, id).await?;
    let row = public_row(row);
    let mut value = serde_json::to_value(&row).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let Value::Object(map) = &mut value {
        map.insert("prev".into(), prev.map(|r| r.id).into());
        map.insert("next".into(), next.map(|r| r.id).into());
        map.insert("url".into(), paragraph_url(&row.id).into());
        let to_value = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
        map.insert("cites".into(), to_value(serde_json::to_value(&cites)));
        map.insert("cited_by".into(), to_value(serde_json::to_value(&cited_by)));
    }
    Ok(value)
}

/// Document metadata and rows, as `/api/documents/{key}` returns them.
#[derive(Debug, Serialize)]
pub(crate) struct ApiDocument {
    doc_id: String,
    symbol: Option<String>,
    symbols: Vec<String>,
    title: Option<String>,
    date: Option<String>,
    year: Option<i32>,
    bodies: Vec<String>,
    author: Option<String>,
    doc_type: Option<String>,
    language: String,
    agenda_items: Vec<String>,
    /// File name of the source (no server path).
    source_file: String,
    sha256: String,
    url: String,
    paragraphs: usize,
    /// Distinct documents its paragraphs cite, with counts.
    cites: Vec<DocumentCite>,
    /// Other documents citing it, with their citing paragraphs.
    cited_by: Vec<CitingDocument>,
    rows: Vec<ParagraphRow>,
}

pub(crate) async fn load_document(
    state: &AppState,
    key: String,
) -> Result<Vec<ParagraphRow>, ApiError> {
    let lookup = key.clone();
    let rows = state.blocking(move |index| index.document(&lookup)).await?;
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
        .blocking(move |index| crate::citations::document_citations(index, &rows))
        .await
}

pub(crate) async fn document(
    State(state): State<AppState>,
    Path(key): Path<String>,
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

pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let s = state.blocking(|index| index.stats()).await?;
    Ok(Json(
        serde_json::json!({ "documents": s.documents, "paragraphs": s.paragraphs }),
    ))
}
