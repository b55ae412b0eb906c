//! JSON API handlers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use undex_core::ParagraphRow;
use undex_index::{FacetCount, IndexStats, SearchResponse};

use crate::citations::{CiteEntry, CitedByEntry, CitingDocument, DocumentCite};
use crate::params::{Params, PathParam, SearchParams};
use crate::{ApiError, AppState};
#[cfg(doc)]
use undex_library::reader::LibraryReader;

/// One hit of `/api/search`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiHit {
    /// Stable paragraph id ("A_79_875.en~76"), as in `/api/paragraphs/{id}`.
    id: String,
    /// The document symbol as cited ("A/79/875-S/2025/248"); null when the text carries none.
    symbol: Option<String>,
    /// The number as printed; null for a unit printed without one.
    number: Option<String>,
    /// Sub-paragraph ("a", "ii"), or null.
    sub: Option<String>,
    /// Citation in UN Editorial Manual style ("A/79/875-S/2025/248, para. 76").
    citation: String,
    /// The paragraph's whole text, without footnote markers.
    text: String,
    /// A fragment of the text, HTML-escaped, matched words wrapped in `<mark>…</mark>`, with
    /// "…" where it cuts the paragraph.
    snippet: String,
    /// Document title, or null.
    title: Option<String>,
    /// Date of issue (ISO 8601, "2025-05-29"), or null.
    date: Option<String>,
    /// Document type ("report of the Secretary-General"; ends in " (non-UN)" for a document
    /// not issued by the United Nations).
    doc_type: Option<String>,
    /// False for a document not issued by the United Nations (a civil-society summary): it is
    /// never cited as a UN document.
    un_document: bool,
    /// R2P pillars of the paragraph: "I", "II", "III".
    pillars: Vec<String>,
    /// Risk factors of the Framework of Analysis for Atrocity Crimes, 1–14.
    risk_factors: Vec<u8>,
    /// True for a recommendation in the author's own voice.
    recommendation: bool,
    /// Addressees of the recommendation ("Member States", "Security Council", …).
    addressees: Vec<String>,
    /// BM25 relevance (0 when the hits are listed in document order, with no words); full
    /// and partial matches are ranked separately, so their scores are not comparable.
    score: f32,
    /// True for a paragraph holding every word of the query (counted in `total`); false for
    /// the paragraphs with some of the words that follow the full matches.
    all_words: bool,
    /// Permalink path of the paragraph's page (`/p/{id}`).
    url: String,
}

/// The body of `/api/search`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiSearch {
    /// Paragraphs holding all the words of the query and passing the filters.
    total: usize,
    /// The page answered, from 1.
    page: usize,
    /// Hits per page asked for (the page may hold fewer).
    per_page: usize,
    /// The page of hits: full matches first (best first), then, on the page where they end,
    /// paragraphs with only some of the words (`all_words: false`).
    hits: Vec<ApiHit>,
    /// Value counts per facet over all full matches, keyed by facet name (`year`, `body`,
    /// `doc_type`, `language`, `pillar`, `risk_factor`, `recommendation`, `addressee`,
    /// `crime`, `country`, `cited`), each most frequent first, at most 50 values (an empty
    /// list when no match has a value); an empty object with `facets=false`.
    facets: BTreeMap<String, Vec<FacetCount>>,
    /// True when the search matched more rows than are counted for facets
    /// (`undex_index::facets::MAX_FACET_ROWS`): the counts are of a sample.
    facets_approximate: bool,
    /// On the page where the full matches end: true when paragraphs with only some of the
    /// words follow (their hits have `all_words: false`).
    partial_more: bool,
    /// Phrases of `q` read as filters on the tags ("recommendations to regional
    /// organizations" → `rec=true`, `addressee=regional organizations`; see
    /// `crate::understand`), each with the parameter it set; empty when `q` was searched as
    /// typed. `as_typed=true` turns the reading off.
    understood: Vec<crate::understand::Understood>,
    /// The words searched after the reading (`q` itself when nothing was read).
    searched: String,
}

/// The permalink path of a paragraph.
pub(crate) fn paragraph_url(id: &str) -> String {
    format!("/p/{}", encode_segment(id))
}

/// The path of a document page; symbols keep their slashes (wildcard route).
pub(crate) fn document_url(row: &ParagraphRow) -> String {
    doc_id_url(&row.doc_id)
}

/// The path of the document page of a document id (`/d/{doc_id}`).
pub(crate) fn doc_id_url(doc_id: &str) -> String {
    format!("/d/{}", encode_segment(doc_id))
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
    state.blocking(move |library| library.search(&req)).await
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
    let reading = params.reading();
    let hits = res
        .hits
        .into_iter()
        .map(|h| {
            let r = h.row;
            let un_document = r.is_un_document();
            ApiHit {
                url: paragraph_url(&r.id),
                id: r.id,
                symbol: r.symbol,
                number: r.number,
                sub: r.sub,
                citation: r.citation,
                text: r.text,
                snippet: h.snippet_html,
                un_document,
                title: r.title,
                date: r.date,
                doc_type: r.doc_type,
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
        understood: reading
            .as_ref()
            .map(|r| r.parts.clone())
            .unwrap_or_default(),
        searched: reading.map_or_else(|| params.q.clone().unwrap_or_default(), |r| r.rest),
    })
}

pub(crate) async fn paragraph(
    State(state): State<AppState>,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    paragraph_value(&state, &id).await.map(Json)
}

/// The body of `/api/paragraphs/{id}` (also of `/api/cite` and the MCP tool `get_paragraph`):
/// the row, `prev` / `next` ids, `url`, `cites` and `cited_by`.
///
/// # Errors
/// [`ApiError::NotFound`] for an unknown id; index errors.
pub(crate) async fn paragraph_value(state: &AppState, id: &str) -> Result<Value, ApiError> {
    let view = crate::citations::load_paragraph(state, id).await?;
    let (translations, tags_note) = paragraph_languages(state, &view.row).await?;
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

/// `translations` (language → id, see [`LibraryReader::translations`]) and `tags_note`
/// of `row`.
///
/// # Errors
/// Index errors.
async fn paragraph_languages(
    state: &AppState,
    row: &ParagraphRow,
) -> Result<(BTreeMap<String, String>, Option<String>), ApiError> {
    let lookup = row.clone();
    let translations = state
        .blocking(move |library| library.translations(&lookup))
        .await?;
    let note =
        undex_library::languages::tags_note(row, translations.iter().any(|(l, _)| l == "en"));
    let ids = translations.into_iter().map(|(l, t)| (l, t.id)).collect();
    Ok((ids, note))
}

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
    language: String,
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

pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<IndexStats>, ApiError> {
    state.blocking(|library| library.stats()).await.map(Json)
}
