//! `GET /api/search`: a page of hits as JSON, with facet counts.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use undex_index::{FacetCount, SearchResponse};

use crate::links::paragraph_url;
use crate::params::{Params, SearchParams};
use crate::{ApiError, AppState};

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
