//! `GET /api/search`: a page of hits as JSON, with facet counts; with `versions=grouped`,
//! one hit per aligned paragraph with its other language versions
//! ([`LibraryReader::search_grouped`]).

use std::collections::BTreeMap;

use axum::extract::State;
use serde::Serialize;
use undex_core::TextLanguage;
use undex_index::{FacetCount, Hit, SearchResponse};
use undex_library::languages::{QueryLanguage, VersionHit};
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::body::JsonBody;
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
    /// ISO 639-1 language of the paragraph ("en", "fr").
    #[schema(value_type = String)]
    language: TextLanguage,
    /// With `versions=grouped` only: the same paragraph in the other languages the index
    /// holds, one per language, sorted by language (empty when it has none); absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    versions: Option<Vec<ApiVersion>>,
}

/// Another language version of a grouped hit (`versions=grouped`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiVersion {
    /// ISO 639-1 language ("en").
    #[schema(value_type = String)]
    language: TextLanguage,
    /// Paragraph id ("A_HRC_WG.6_7_ITA_1.en~12").
    id: String,
    /// Citation in UN Editorial Manual style.
    citation: String,
    /// The version's whole text.
    text: String,
    /// When the version is itself a hit of the search, its snippet (matched words in
    /// `<mark>…</mark>`); otherwise the opening of its text, HTML-escaped, at most 280
    /// characters, "…" where it is cut.
    snippet: String,
    /// The version's own BM25 score when it is a hit of the search; null when it is not
    /// (it does not match, or only past the hits read).
    score: Option<f32>,
    /// True when the version holds all the words, false when some, null when it is not a
    /// hit read.
    all_words: Option<bool>,
    /// Permalink path of the version's page (`/p/{id}`).
    url: String,
}

impl ApiGrouping {
    /// Rows holding all the words, each language version counted.
    pub(crate) fn rows_total(self) -> usize {
        self.rows_total
    }

    /// Hits read to form the groups.
    pub(crate) fn rows_read(self) -> usize {
        self.rows_read
    }

    /// Whether every row holding all the words was read.
    pub(crate) fn complete(self) -> bool {
        self.complete
    }
}

impl From<&VersionHit> for ApiVersion {
    fn from(v: &VersionHit) -> Self {
        ApiVersion {
            language: v.row.language,
            id: v.row.id.clone(),
            citation: v.row.citation.clone(),
            text: v.row.text.clone(),
            snippet: v.snippet_html.clone(),
            score: v.score,
            all_words: v.all_words,
            url: paragraph_url(&v.row.id),
        }
    }
}

/// How a grouped search (`versions=grouped`) read its hits.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiGrouping {
    /// Rows holding all the words, each language version counted (the ungrouped `total`).
    rows_total: usize,
    /// Hits read to form the groups (at most 2,000).
    rows_read: usize,
    /// True when every row holding all the words was read, so `total` is exact; false when
    /// the search matches more than 2,000 rows: `total` then counts the paragraphs of the
    /// first 2,000 and later pages end there (narrow the search, or page through
    /// `versions=all`).
    complete: bool,
}

/// A page of search results as the page and the API show them: the index's answer (with
/// `versions=grouped`, one hit per aligned paragraph, its lead version, and `total` counting
/// paragraphs), each hit's other versions, and how the grouping read the hits.
pub(crate) struct Found {
    /// The hits (lead versions when grouped), total, facets and `partial_more`.
    pub res: SearchResponse,
    /// With `versions=grouped`, each hit's other versions (parallel to `res.hits`);
    /// `None` otherwise.
    pub versions: Option<Vec<Vec<VersionHit>>>,
    /// With `versions=grouped`, how the hits were read.
    pub grouping: Option<ApiGrouping>,
    /// The query's language, chosen or detected.
    pub query_language: Option<QueryLanguage>,
}

/// The body of `/api/search`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiSearch {
    /// Paragraphs holding all the words of the query and passing the filters: each language
    /// version counted with `versions=all` (the default); with `versions=grouped`, aligned
    /// paragraphs (a paragraph matched in English and French counts once) among the hits
    /// read (all of them unless `grouping.complete` is false).
    total: usize,
    /// The page answered, from 1.
    page: usize,
    /// Hits per page asked for (the page may hold fewer).
    per_page: usize,
    /// The page of hits: full matches first (best first), then, on the page where they end,
    /// paragraphs with only some of the words (`all_words: false`).
    hits: Vec<ApiHit>,
    /// Value counts per facet over all full matches (rows: each language version counted,
    /// grouped or not), keyed by facet name (`year`, `body`,
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
    /// `all` (each language version is a hit) or `grouped` (one hit per aligned paragraph,
    /// `versions=grouped`: `total` counts paragraphs).
    versions: &'static str,
    /// The language of the query: chosen with `qlang` (`source: "chosen"`), or detected from
    /// its words when the detection is confident (`source: "detected"`, with its `basis`:
    /// `script`, `statistics` or `words`, and `whatlang`'s `confidence` for Latin script);
    /// null when neither (a short query such as "veto" is not guessed). It leads grouped
    /// hits; `lang=<code>` restricts the hits to it.
    query_language: Option<QueryLanguage>,
    /// With `versions=grouped` only: the ungrouped count and how many hits were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    grouping: Option<ApiGrouping>,
}

/// Runs the search of `params`: one hit per language version, or with `versions=grouped`
/// one per aligned paragraph, led by its version in the query's language.
///
/// # Errors
/// [`ApiError::BadRequest`] for bad parameters; [`ApiError::InvalidQuery`] for a query that
/// does not parse; index errors.
pub(crate) async fn run_search(state: &AppState, params: &SearchParams) -> Result<Found, ApiError> {
    let req = params.to_request()?;
    let query_language = params.query_language()?;
    if !params.grouped()? {
        let res = state.search(move |library| library.search(&req)).await?;
        return Ok(Found {
            res,
            versions: None,
            grouping: None,
            query_language,
        });
    }
    let lead = query_language.as_ref().map(QueryLanguage::language);
    let grouped = state
        .search(move |library| library.search_grouped(&req, lead))
        .await?;
    let mut versions = Vec::with_capacity(grouped.hits.len());
    let hits = grouped
        .hits
        .into_iter()
        .map(|g| {
            versions.push(g.others);
            Hit {
                row: g.lead.row,
                snippet_html: g.lead.snippet_html,
                score: g.score,
                all_words: g.all_words,
            }
        })
        .collect();
    Ok(Found {
        res: SearchResponse {
            total: grouped.total,
            hits,
            facets: grouped.facets,
            facets_approximate: grouped.facets_approximate,
            partial_more: grouped.partial_more,
        },
        versions: Some(versions),
        grouping: Some(ApiGrouping {
            rows_total: grouped.rows_total,
            rows_read: grouped.rows_read,
            complete: grouped.complete,
        }),
        query_language,
    })
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Params(params): Params<SearchParams>,
) -> Result<JsonBody<ApiSearch>, ApiError> {
    search_body(&state, &params).await.map(JsonBody)
}

/// The body of `/api/search` for `params` (also what the MCP tool `search` returns).
pub(crate) async fn search_body(
    state: &AppState,
    params: &SearchParams,
) -> Result<ApiSearch, ApiError> {
    let (page, per_page) = params.page()?;
    let found = run_search(state, params).await?;
    let res = found.res;
    let mut versions = found.versions.map(Vec::into_iter);
    let reading = params.reading();
    let hits = res
        .hits
        .into_iter()
        .map(|h| {
            let r = h.row;
            let others = versions.as_mut().map(|v| {
                v.next()
                    .unwrap_or_default()
                    .iter()
                    .map(ApiVersion::from)
                    .collect()
            });
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
                language: r.language,
                versions: others,
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
        versions: if found.grouping.is_some() {
            "grouped"
        } else {
            "all"
        },
        query_language: found.query_language,
        grouping: found.grouping,
    })
}
