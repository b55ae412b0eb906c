//! Research endpoints over the index, wiring `undex_analysis` into the web app.
//!
//! Routes ([`routes`]):
//! - `GET /api/export?q=…&<filters of /api/search>&format=F` — the rows matching the search,
//!   in result order (all pages), at most [`MAX_EXPORT_ROWS`]; or `&ids=id1,id2,…` (also
//!   repeated: `&ids=id1&ids=id2`, as the search page's checkboxes send it) — those rows in
//!   the given order; `F` is `text` (default), `docx`, `csl-json`, `ris`, `bibtex` or `csv`.
//!   Answered as an attachment `undex-export.<ext>` with the format's `Content-Type`;
//!   permalinks point at `http://{Host}/p/{id}`. Headers [`TOTAL_HEADER`] and
//!   [`EXPORTED_HEADER`] give the number of matches and of rows exported, and
//!   [`TRUNCATED_HEADER`] says when the export stops at the limit.
//! - `GET /api/trends?q=…&<filters>&by=year|body|document&format=json|csv|svg` — counts of the
//!   matching rows, from the index's fast columns (no row is read, except one per document
//!   for `by=document`).
//! - `GET /trends?q=…&<filters>&by=…` — HTML page: the chart inline, a link to the CSV and the
//!   first appearance of the search: the earliest of the rows the chart counts.
//! - `GET /feed.atom?q=…&<filters>` — Atom feed (RFC 4287) of the [`FEED_LIMIT`] newest
//!   matching rows, read document by document from the newest year down.
//! - `GET /api/paragraphs/{id}/earlier` — the most similar paragraphs of earlier documents
//!   (word 3-shingle Jaccard, k = [`EARLIER_K`]) with a word diff against each, and the chain
//!   back to the first appearance of the language.
//!
//! Earlier wording keeps no store: each request asks the index for candidates ("more like
//! this", [`UndexIndex::similar_candidates`]) and scores them exactly
//! ([`undex_analysis::similarity`]), so rows ingested while the server runs are found without a
//! restart.
//! Errors answer JSON `{"message","code"}` as the rest of the API ([`ApiError`]).

use axum::Json;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use serde::{Deserialize, Serialize};
use undex_analysis::{
    AnalysisError, DiffKind, DiffSegment, ExportFormat, ExportOptions, FeedOptions, TrendDimension,
    TrendPoint, TrendSeries, atom_feed, permalink,
};
use undex_core::ParagraphRow;
use undex_core::citation::cite;
use undex_index::Selection;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::pages::{HtmlError, layout};
use crate::params::{Params, PathParam, SearchParams};
use crate::{ApiError, AppState};

pub use undex_library::export::{EXPORT_PAGE_ROWS, Exported, MAX_EXPORT_ROWS};
/// Response header of `/api/export`: the number of rows the search matches.
pub const TOTAL_HEADER: &str = "x-undex-total";
/// Response header of `/api/export`: the number of rows exported.
pub const EXPORTED_HEADER: &str = "x-undex-exported";
/// Response header of `/api/export`, present only when the export stops at
/// [`MAX_EXPORT_ROWS`]: says how many of how many rows were exported.
pub const TRUNCATED_HEADER: &str = "x-undex-truncated";
/// Most ids accepted in `ids=`.
pub const MAX_IDS: usize = 10_000;
/// Earlier paragraphs listed by `/api/paragraphs/{id}/earlier`, and the least similarity of
/// a step of the chain: the read service's ([`undex_library::reader`]).
pub use undex_library::reader::{CHAIN_MIN_SCORE, EARLIER_K};
/// Entries of the Atom feed.
pub const FEED_LIMIT: usize = 50;
/// Size of the trend chart, in pixels.
const CHART_SIZE: (u32, u32) = (800, 400);

/// The research routes, to be merged into the app's router before its state is set.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/export", get(export_handler))
        .route("/api/trends", get(trends_handler))
        .route("/trends", get(trends_page))
        .route("/feed.atom", get(feed_handler))
        .route("/api/paragraphs/{id}/earlier", get(earlier_handler))
}

// ---------------------------------------------------------------------------------------
// Reading rows from the index

/// Splits `ids=a,b,c` (commas, blanks ignored).
fn parse_ids(ids: &str) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = ids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.len() > MAX_IDS {
        return Err(ApiError::BadRequest(format!(
            "at most {MAX_IDS} ids per export"
        )));
    }
    Ok(ids)
}

/// The rows `params` select (query and filters; paging is not part of a selection).
pub(crate) fn selection(params: &SearchParams) -> Result<Selection, ApiError> {
    let mut p = params.clone();
    p.page = None;
    p.per_page = None;
    Ok(Selection::from(&p.to_request()?))
}

/// The site's base URL from the request's `Host` header (`http://{host}`); `http://localhost`
/// when the header is missing or holds characters a host cannot have.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The row's citation: its stored one, or the UN Editorial Manual citation when it is empty.
fn citation_of(row: &ParagraphRow) -> String {
    if row.citation.trim().is_empty() {
        cite(row)
    } else {
        row.citation.clone()
    }
}

fn research_error(e: AnalysisError) -> ApiError {
    match e {
        AnalysisError::UnknownFormat(_) => ApiError::BadRequest(e.to_string()),
        other => ApiError::Internal(other.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Export

/// Parameters of `/api/export` besides the search; `ids` is read from the raw query string,
/// since it may repeat (`ids=a&ids=b`, as a form of checkboxes sends it).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportQuery {
    /// File format: `text` (UN-style citation list, the default), `docx` (Word), `csl-json`,
    /// `ris`, `bibtex` or `csv`; case-insensitive, with the aliases `txt`, `csl`, `json` and
    /// `bib`. Any other value is a 400 `bad_request`.
    #[param(example = "csv")]
    format: Option<String>,
}

/// Every `ids` value of a query string, each split at commas, in order: `ids=a,b&ids=c` gives
/// `[a, b, c]`; `None` when no `ids` parameter is present.
///
/// # Errors
/// [`ApiError::BadRequest`] when the query string is malformed or holds more than
/// [`MAX_IDS`] ids.
fn ids_of_query(raw: Option<&str>) -> Result<Option<Vec<String>>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::BadRequest(format!("malformed query string: {e}")))?;
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        return Ok(None);
    }
    parse_ids(&values.join(",")).map(Some)
}

/// The export of `/api/export` and of the MCP tool `export_citations`: the rows of `ids` in
/// their order when there are any, else the first [`MAX_EXPORT_ROWS`] rows `search` selects,
/// in result order.
///
/// # Errors
/// [`ApiError::BadRequest`] for a query that does not parse; what
/// [`undex_library::export::ExportError`] maps to (an unknown id is
/// [`ApiError::NotFound`]); index errors.
pub(crate) async fn export(
    state: &AppState,
    ids: Vec<String>,
    search: &SearchParams,
    format: ExportFormat,
    options: ExportOptions,
) -> Result<Exported, ApiError> {
    if ids.is_empty() {
        let selection = selection(search)?;
        state
            .on_library(move |library| {
                Ok(library.export_search(&selection, format, &options, MAX_EXPORT_ROWS)?)
            })
            .await
    } else {
        state
            .on_library(move |library| Ok(library.export_ids(&ids, format, &options)?))
            .await
    }
}

pub(crate) async fn export_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    Params(search): Params<SearchParams>,
    Params(extra): Params<ExportQuery>,
) -> Result<Response, ApiError> {
    let format: ExportFormat = extra
        .format
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or("text")
        .parse()
        .map_err(research_error)?;
    let ids = ids_of_query(raw.as_deref())?;
    let options = ExportOptions {
        base_url: base_url(&headers),
        quote_text: false,
    };
    let exported = export(&state, ids.unwrap_or_default(), &search, format, options).await?;
    let mut response = (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"undex-export.{}\"",
                    format.file_extension()
                ),
            ),
            (
                header::HeaderName::from_static(TOTAL_HEADER),
                exported.total.to_string(),
            ),
            (
                header::HeaderName::from_static(EXPORTED_HEADER),
                exported.rows.to_string(),
            ),
        ],
        exported.bytes,
    )
        .into_response();
    if exported.rows < exported.total {
        let note = format!(
            "the first {} of {} matching paragraphs (limit {MAX_EXPORT_ROWS}); narrow the search to export the rest",
            exported.rows, exported.total
        );
        if let Ok(value) = header::HeaderValue::from_str(&note) {
            response
                .headers_mut()
                .insert(header::HeaderName::from_static(TRUNCATED_HEADER), value);
        }
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// Trends

/// Parameters of `/api/trends` and `/trends` besides the search.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TrendQuery {
    /// What to count by: `year` (the default; years without rows between the first and the
    /// last count 0, undated rows count under `undated`), `body` (organ; rows without one
    /// count under `unknown`) or `document` (in order of issue). Any other value is a 400
    /// `bad_request`.
    #[param(value_type = Option<TrendDimension>)]
    by: Option<String>,
    /// `json` (the default, a [`TrendJson`]), `csv` (`key,count` rows) or `svg` (an 800 × 400
    /// pixel bar chart). Any other value is a 400 `bad_request`.
    #[param(pattern = "^(json|csv|svg)?$")]
    format: Option<String>,
}

/// Parses `by=year|body|document` (default year).
pub(crate) fn dimension(by: Option<&str>) -> Result<TrendDimension, ApiError> {
    match by.map(str::trim).unwrap_or("") {
        "" | "year" => Ok(TrendDimension::Year),
        "body" => Ok(TrendDimension::Body),
        "document" => Ok(TrendDimension::Document),
        other => Err(ApiError::BadRequest(format!(
            "unknown trend dimension {other:?} (expected year, body or document)"
        ))),
    }
}

/// The body of `/api/trends?format=json`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrendJson {
    /// The query ("" when none).
    pub q: String,
    /// "year", "body" or "document".
    pub by: TrendDimension,
    /// Sum of the counts.
    pub total: u64,
    /// The bars, in chart order.
    pub points: Vec<TrendPoint>,
}

/// The chart title for a query: the query with characters that could break the SVG dropped.
fn chart_title(q: &str, by: TrendDimension) -> String {
    let q: String = q
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&' | '"' | '\''))
        .collect();
    let q = q.trim();
    if q.is_empty() {
        format!("Paragraphs by {}", by.as_str())
    } else {
        format!("Paragraphs matching {q} by {}", by.as_str())
    }
}

/// The counts of the rows `search` selects along `by`, from the index's fast columns.
pub(crate) async fn trend_series(
    state: &AppState,
    search: &SearchParams,
    by: TrendDimension,
) -> Result<TrendSeries, ApiError> {
    let selection = selection(search)?;
    state
        .blocking(move |library| library.trend(&selection, by))
        .await
}

/// The earliest row `search` selects (the rows the trend counts), by date of issue, undated
/// rows last, then document id and position: its year is the first year with a bar in the
/// chart by year. Reads the matching documents oldest first and stops at the first row.
async fn first_appearance_of(
    state: &AppState,
    search: &SearchParams,
) -> Result<Option<ParagraphRow>, ApiError> {
    let selection = selection(search)?;
    state
        .blocking(move |library| library.first_appearance(&selection))
        .await
}

pub(crate) async fn trends_handler(
    State(state): State<AppState>,
    Params(search): Params<SearchParams>,
    Params(extra): Params<TrendQuery>,
) -> Result<Response, ApiError> {
    let by = dimension(extra.by.as_deref())?;
    let format = extra.format.as_deref().map(str::trim).unwrap_or("json");
    if !matches!(format, "" | "json" | "csv" | "svg") {
        return Err(ApiError::BadRequest(format!(
            "unknown trend format {format:?} (expected json, csv or svg)"
        )));
    }
    let series = trend_series(&state, &search, by).await?;
    let q = search.q.clone().unwrap_or_default();
    match format {
        "csv" => {
            let bytes = series.to_csv().map_err(research_error)?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"undex-trend-{}.csv\"", by.as_str()),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        "svg" => {
            let svg = series
                .to_svg(&chart_title(&q, by), CHART_SIZE.0, CHART_SIZE.1)
                .map_err(research_error)?;
            Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
        }
        _ => Ok(Json(TrendJson {
            q,
            by,
            total: series.total(),
            points: series.points,
        })
        .into_response()),
    }
}

/// The query string of `params` without paging, plus `extra` pairs, URL-encoded.
pub(crate) fn query_string(params: &SearchParams, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .pairs()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "page" | "per_page"))
        .map(|(n, v)| (n.to_string(), v))
        .collect();
    pairs.extend(extra.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

async fn trends_page(
    State(state): State<AppState>,
    Params(search): Params<SearchParams>,
    Params(extra): Params<TrendQuery>,
) -> Result<Response, HtmlError> {
    let by = dimension(extra.by.as_deref())?;
    let series = trend_series(&state, &search, by).await?;
    let q = search.q.clone().unwrap_or_default();
    let first = first_appearance_of(&state, &search).await?;
    let title = chart_title(&q, by);
    let (series, svg) = tokio::task::spawn_blocking(move || {
        let svg = series.to_svg(&title, CHART_SIZE.0, CHART_SIZE.1);
        (series, svg)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("trend task failed: {e}")))?;
    let svg = svg.map_err(research_error)?;
    let csv_url = format!(
        "/api/trends?{}",
        query_string(&search, &[("by", by.as_str()), ("format", "csv")])
    );
    let search_url = format!("/?{}", query_string(&search, &[]));
    let body = html! {
        h1 { "Trend" @if !q.trim().is_empty() { ": " q { (q) } } }
        form.trend action="/trends" method="get" {
            input type="search" name="q" value=(q) aria-label="Query";
            select name="by" aria-label="Count by" {
                @for d in [TrendDimension::Year, TrendDimension::Body, TrendDimension::Document] {
                    option value=(d.as_str()) selected[d == by] { "by " (d.as_str()) }
                }
            }
            button type="submit" { "Show" }
        }
        p { (series.total()) " matching paragraphs. "
            a href=(csv_url) { "Download the counts (CSV)" } " · "
            a href=(search_url) { "See the paragraphs" } }
        figure.chart { (PreEscaped(svg)) }
        @if !q.trim().is_empty() {
            section.first-appearance {
                h2 { "First appearance" }
                @match &first {
                    Some(row) => p {
                        "The earliest matching paragraph: "
                        a href=(permalink("", &row.id)) { (citation_of(row)) }
                        @if let Some(d) = &row.date { " (" time datetime=(d) { (d) } ")" }
                    },
                    None => p { "No paragraph matches." },
                }
            }
        }
    };
    Ok(layout("Trend", true, body).into_response())
}

// ---------------------------------------------------------------------------------------
// Feed

async fn feed_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(search): Params<SearchParams>,
) -> Result<Response, ApiError> {
    let selection = selection(&search)?;
    let rows = state
        .blocking(move |library| library.newest_rows(&selection, FEED_LIMIT))
        .await?;
    let base = base_url(&headers);
    let qs = query_string(&search, &[]);
    let options = FeedOptions {
        query: search.q.clone().unwrap_or_default(),
        limit: FEED_LIMIT,
        self_url: Some(if qs.is_empty() {
            format!("{base}/feed.atom")
        } else {
            format!("{base}/feed.atom?{qs}")
        }),
        // The search page (`/`, see `crate::router`) with the same query and filters.
        search_url: Some(if qs.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/?{qs}")
        }),
        base_url: base,
    };
    let xml = tokio::task::spawn_blocking(move || atom_feed(&rows, &options))
        .await
        .map_err(|e| ApiError::Internal(format!("feed task failed: {e}")))?
        .map_err(research_error)?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// Earlier wording

/// A paragraph of an earlier document whose wording is close to the one asked about.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EarlierWording {
    /// Paragraph id.
    pub id: String,
    /// Its citation ("A/79/875-S/2025/248, para. 1").
    pub citation: String,
    /// Its permalink path (`/p/{id}`).
    pub url: String,
    /// Date of issue of its document (ISO 8601), if known.
    pub date: Option<String>,
    /// Jaccard similarity of word 3-shingles, 0–1.
    pub score: f64,
    /// Word diff from the earlier text to the paragraph's text: `deleted` runs are only in the
    /// earlier paragraph, `inserted` runs only in the later one.
    pub diff: Vec<DiffSegment>,
}

/// One step of the chain back to the first appearance of a paragraph's language.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChainStep {
    /// Paragraph id.
    pub id: String,
    /// Its citation.
    pub citation: String,
    /// Its permalink path (`/p/{id}`).
    pub url: String,
    /// Date of issue of its document, if known.
    pub date: Option<String>,
    /// Similarity to the previous (later) step, 0–1; 1.0 for the paragraph itself.
    pub score: f64,
}

/// The body of `/api/paragraphs/{id}/earlier`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EarlierResponse {
    /// The paragraph asked about.
    pub id: String,
    /// Its citation.
    pub citation: String,
    /// Most similar paragraphs of earlier documents, best first, at most [`EARLIER_K`].
    pub earlier: Vec<EarlierWording>,
    /// From the paragraph itself back to the first appearance (last step), each step at least
    /// [`CHAIN_MIN_SCORE`] similar to the one before; just the paragraph when nothing earlier
    /// is close enough.
    pub chain: Vec<ChainStep>,
}

/// The earlier wording of paragraph `id` (what `/api/paragraphs/{id}/earlier` answers), for
/// the paragraph page: [`LibraryReader::earlier_wording`] with [`EARLIER_K`] and
/// [`CHAIN_MIN_SCORE`], computed per request from the index's current commit (nothing is
/// cached, so a document ingested while the server runs is found as soon as the index reader
/// sees its commit), with citations and permalinks.
///
/// # Errors
/// [`ApiError::NotFound`] when the index has no paragraph `id`; [`ApiError::Internal`] when
/// the index cannot be read.
pub async fn earlier_wording(state: &AppState, id: &str) -> Result<EarlierResponse, ApiError> {
    let lookup = id.to_string();
    let found = state
        .blocking(move |library| library.earlier_wording(&lookup, EARLIER_K, CHAIN_MIN_SCORE))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no paragraph {id:?}")))?;
    let earlier = found
        .earlier
        .into_iter()
        .map(|m| EarlierWording {
            citation: citation_of(&m.row),
            url: permalink("", &m.row.id),
            diff: m.diff,
            id: m.row.id,
            date: m.row.date,
            score: m.score,
        })
        .collect();
    let chain = found
        .chain
        .into_iter()
        .map(|(row, score)| ChainStep {
            citation: citation_of(&row),
            url: permalink("", &row.id),
            id: row.id,
            date: row.date,
            score,
        })
        .collect();
    Ok(EarlierResponse {
        citation: citation_of(&found.row),
        id: id.to_string(),
        earlier,
        chain,
    })
}

pub(crate) async fn earlier_handler(
    State(state): State<AppState>,
    PathParam(id): PathParam<String>,
) -> Result<Json<EarlierResponse>, ApiError> {
    earlier_wording(&state, &id).await.map(Json)
}

/// The earlier wording of a paragraph as an HTML section for the paragraph page: each earlier
/// paragraph (citation linked to its permalink, date, similarity) with the word diff to this
/// paragraph (`<del>` for words only in the earlier text, `<ins>` for words only in this one),
/// then the chain back to the first appearance.
#[must_use]
pub fn earlier_wording_html(earlier: &EarlierResponse) -> Markup {
    html! {
        section.earlier-wording {
            h2 { "Earlier wording" }
            @if earlier.earlier.is_empty() {
                p { "No paragraph of an earlier document has similar wording." }
            } @else {
                ol.earlier {
                    @for e in &earlier.earlier {
                        li {
                            a href=(e.url) { (e.citation) }
                            @if let Some(d) = &e.date { " (" (d) ")" }
                            " · similarity " (format!("{:.2}", e.score))
                            blockquote.diff {
                                @for s in &e.diff {
                                    @match s.kind {
                                        DiffKind::Equal => (s.text),
                                        DiffKind::Inserted => ins { (s.text) },
                                        DiffKind::Deleted => del { (s.text) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if earlier.chain.len() > 1 {
                p.chain {
                    "Traced back to its first appearance: "
                    @for (i, step) in earlier.chain.iter().enumerate() {
                        @if i > 0 { " ← " }
                        a href=(step.url) { (step.citation) }
                    }
                }
            }
        }
    }
}
