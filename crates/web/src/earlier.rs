//! `GET /api/paragraphs/{id}/earlier`: the most similar paragraphs of earlier documents (word
//! 3-shingle Jaccard, k = [`EARLIER_K`]) with a word diff against each, and the chain back to
//! the first appearance of the language; and the same as a section of the paragraph page
//! ([`earlier_wording_html`]).
//!
//! Earlier wording keeps no store: each request asks the read service
//! ([`LibraryReader::earlier_wording`]), which asks the index for candidates ("more like
//! this") and scores them exactly ([`undex_analysis::similarity`]), so rows ingested while the
//! server runs are found without a restart.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use maud::{Markup, html};
use serde::Serialize;
use undex_analysis::{DiffKind, DiffSegment, permalink};
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::i18n::Ui;
use crate::links::citation_of;
use crate::params::PathParam;
use crate::{ApiError, AppState};

/// Earlier paragraphs listed by `/api/paragraphs/{id}/earlier`, and the least similarity of
/// a step of the chain: the read service's ([`undex_library::reader`]).
pub use undex_library::reader::{CHAIN_MIN_SCORE, EARLIER_K};

/// The route of the earlier-wording resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/paragraphs/{id}/earlier", get(earlier_handler))
}

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

/// A date as the earlier-wording section prints it: ISO 8601 in English (as it always has),
/// the long French form in French.
fn short_date(ui: &Ui, iso: &str) -> String {
    match ui.lang {
        crate::i18n::Lang::En => iso.to_string(),
        crate::i18n::Lang::Fr => ui.date(iso),
    }
}

/// The earlier wording of a paragraph as an HTML section for the paragraph page: each earlier
/// paragraph (citation linked to its permalink, date, similarity) with the word diff to this
/// paragraph (`<del>` for words only in the earlier text, `<ins>` for words only in this one),
/// then the chain back to the first appearance.
#[must_use]
pub fn earlier_wording_html(earlier: &EarlierResponse) -> Markup {
    earlier_wording_html_in(&Ui::default(), earlier)
}

/// [`earlier_wording_html`] in the interface language of `ui`.
#[must_use]
pub fn earlier_wording_html_in(ui: &Ui, earlier: &EarlierResponse) -> Markup {
    html! {
        section.earlier-wording {
            h2 { (ui.t("earlier-title")) }
            @if earlier.earlier.is_empty() {
                p { (ui.t("earlier-none")) }
            } @else {
                ol.earlier {
                    @for e in &earlier.earlier {
                        li {
                            a href=(e.url) { (e.citation) }
                            @if let Some(d) = &e.date { " (" (short_date(ui, d)) ")" }
                            " · " (ui.t("earlier-similarity")) " " (format!("{:.2}", e.score))
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
                    (ui.t("earlier-chain")) " "
                    @for (i, step) in earlier.chain.iter().enumerate() {
                        @if i > 0 { " ← " }
                        a href=(step.url) { (step.citation) }
                    }
                }
            }
        }
    }
}
