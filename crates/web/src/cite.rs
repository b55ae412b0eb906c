//! Citations resolved to paragraphs: `GET /api/cite?ref=…`, the search box's jump to a cited
//! paragraph, and the MCP tools' `citation` arguments, all through [`resolve`].
//!
//! A citation is parsed by [`undex_core::parse_citation`] ("A/79/875, para. 58",
//! "A/79/875-S/2025/248 para 58", "A/HRC/59/15 para. 140.12", "S/RES/2803 (2025), op. 3",
//! "paras. 5-7": the first), then its document is looked up by symbol (the joint symbol, then
//! each of its symbols: either symbol of a joint GA/SC document names it) and the unit picked by
//! [`undex_core::CitationRef::find`].
//!
//! `GET /api/cite?ref=R` answers:
//! - 200: the paragraph, as `GET /api/paragraphs/{id}` answers it, plus `"cite"`:
//!   [`Understood`] and a `note` when the match is not exact (a range, an annex);
//! - 404 `{"message","code":"not_found","understood","document"}` when the document or the
//!   paragraph is not in the index (`document` is null, or the document found: its
//!   `doc_id`, `symbol`, `url` and number of units);
//! - 400 `{"message","code":"invalid_citation","ref"}` when `R` does not parse or is longer
//!   than [`undex_core::reference::MAX_CITATION_BYTES`].
//!
//! The bodies are the types below (`CiteAnswer`, [`CiteNotFound`], [`InvalidCitation`]),
//! from which the OpenAPI document (`crate::openapi`) derives their schemas.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use undex_core::{CitationError, CitationRef, LocatorKind, ParagraphRow, parse_citation};
use undex_index::IndexError;
use undex_library::reader::{CitationTarget, LibraryReader};

use crate::error::{ErrorBody, ErrorCode};
use crate::params::Params;
use crate::{ApiError, AppState};

/// The route of this module, merged into the app's router before its state is set.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/cite", get(cite_handler))
}

/// What a citation was understood as (the `cite` / `understood` object of `/api/cite`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Understood {
    /// The citation as given.
    #[serde(rename = "ref")]
    pub input: String,
    /// The citation rewritten in the Editorial Manual's form ("A/79/875, para. 58").
    pub citation: String,
    /// The symbol as cited (a joint symbol when two were given).
    pub symbol: String,
    /// Each symbol.
    pub symbols: Vec<String>,
    /// Annex named, if any ("annex I").
    pub annex: Option<String>,
    /// "paragraph", "operative", "preambular" or "page".
    pub kind: LocatorKind,
    /// The number as cited ("58", "140.12").
    pub number: String,
    /// Sub-paragraph ("a"), if any.
    pub sub: Option<String>,
    /// For a UPR recommendation number ("140.12"): paragraph "140".
    pub paragraph: Option<String>,
    /// For a UPR recommendation number ("140.12"): recommendation "12".
    pub recommendation: Option<String>,
    /// The rest of a range or list ("7" of "paras. 5-7"): not resolved.
    pub rest: Option<String>,
}

impl Understood {
    /// `input` as parsed into `cref`.
    #[must_use]
    pub fn new(input: &str, cref: &CitationRef) -> Self {
        let upr = cref.recommendation();
        Understood {
            input: input.to_string(),
            citation: cref.to_string(),
            symbol: cref.symbol(),
            symbols: cref.symbols.iter().map(ToString::to_string).collect(),
            annex: cref.annex.clone(),
            kind: cref.kind,
            number: cref.number.clone(),
            sub: cref.sub.clone(),
            paragraph: upr.map(|(p, _)| p.to_string()),
            recommendation: upr.map(|(_, r)| r.to_string()),
            rest: cref.rest.clone(),
        }
    }
}

/// The document a citation named, when found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FoundDocument {
    /// Its document id ("A_79_875.en").
    pub doc_id: String,
    /// Its symbol as cited ("A/79/875-S/2025/248").
    pub symbol: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its document page (`/d/{doc_id}`).
    pub url: String,
    /// Units the index holds for it.
    pub units: usize,
}

/// Where a citation led.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The cited unit, with a note when the match is not exact (see
    /// [`CitationRef::find`]).
    Found {
        /// The unit's row.
        row: Box<ParagraphRow>,
        /// Why the match is not exact, if it is not.
        note: Option<String>,
    },
    /// The document is indexed, but has no such unit.
    NoUnit(FoundDocument),
    /// No document of the index has any of the symbols.
    NoDocument,
}

/// Resolves a parsed citation against the index ([`LibraryReader::resolve_citation`]: the
/// document by the joint symbol, then by each symbol, English preferred among language
/// versions; then the unit by [`CitationRef::find`]).
///
/// # Errors
/// [`IndexError`] on a damaged index.
pub fn resolve(library: &LibraryReader, cref: &CitationRef) -> Result<Resolution, IndexError> {
    Ok(match library.resolve_citation(cref)? {
        CitationTarget::Found { row, note } => Resolution::Found { row, note },
        CitationTarget::NoUnit { first, units } => Resolution::NoUnit(FoundDocument {
            url: crate::links::document_url(&first),
            doc_id: first.doc_id,
            symbol: first.symbol,
            title: first.title,
            units,
        }),
        CitationTarget::NoDocument => Resolution::NoDocument,
    })
}

/// Parses and resolves `text` in one blocking index task: `Ok(None)` when it does not parse.
///
/// # Errors
/// As [`resolve`], through [`ApiError`].
pub async fn resolve_text(
    state: &AppState,
    text: &str,
) -> Result<Option<(CitationRef, Resolution)>, ApiError> {
    let Ok(cref) = parse_citation(text) else {
        return Ok(None);
    };
    state
        .blocking(move |library| {
            let resolution = resolve(library, &cref)?;
            Ok(Some((cref, resolution)))
        })
        .await
}

/// The paragraph id a search-box query leads to: `Some` only when the whole query is a
/// citation that resolves to a unit. Index errors count as "no": the search runs instead.
pub(crate) async fn search_box_target(state: &AppState, q: &str) -> Option<String> {
    // Most queries are not citations: no index work unless the text parses as one.
    parse_citation(q).ok()?;
    match resolve_text(state, q).await {
        Ok(Some((_, Resolution::Found { row, .. }))) => Some(row.id),
        _ => None,
    }
}

/// The message of a citation that names no unit of the index.
#[must_use]
pub fn not_found_message(cref: &CitationRef, resolution: &Resolution) -> String {
    match resolution {
        Resolution::NoDocument => format!(
            "no document {} in this index (understood the citation as {cref})",
            cref.symbol()
        ),
        Resolution::NoUnit(doc) => format!(
            "document {} found ({} units), but it has no {}",
            doc.symbol.as_deref().unwrap_or(&doc.doc_id),
            doc.units,
            cref.pinpoint()
        ),
        Resolution::Found { row, .. } => format!("found {}", row.citation),
    }
}

/// The query of `/api/cite`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CiteQuery {
    /// The citation: a UN document symbol, then a paragraph (`A/79/875, para. 58`,
    /// `A/79/875-S/2025/248 para 58`, `A/HRC/28/15 para. 115.12`,
    /// `S/RES/2803 (2025), op. 3`), case-insensitive, at most 200 bytes. Absent or empty is a
    /// 400 `invalid_citation`.
    #[serde(rename = "ref")]
    #[param(example = "A/79/875, para. 58")]
    reference: Option<String>,
}

/// The `cite` object of a 200 answer of `/api/cite`: what the citation was understood as,
/// and why the paragraph answered is not exactly the one cited, if it is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Cited {
    #[serde(flatten)]
    understood: Understood,
    /// Why the match is not exact: a range or list was cited (only its first paragraph is
    /// resolved), the paragraph was found in an annex the citation did not name, or "op. N"
    /// was found in a document not read as a resolution. Null for an exact match.
    note: Option<String>,
}

/// The 200 answer of `/api/cite`: the cited paragraph as `/api/paragraphs/{id}` answers it,
/// plus `cite`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CiteAnswer {
    /// The body of `/api/paragraphs/{id}` for the paragraph.
    #[serde(flatten)]
    #[schema(value_type = crate::paragraph::ApiParagraph)]
    paragraph: Value,
    /// What the citation was understood as.
    cite: Cited,
}

/// The 404 answer of `/api/cite`: the citation parses, but the index has no document with
/// its symbol, or the document has no such unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CiteNotFound {
    /// What is missing, for a person ("no document A/99/999 in this index (understood the
    /// citation as A/99/999, para. 1)", "document A/79/875-S/2025/248 found (… units), but it
    /// has no para. 999").
    pub message: String,
    /// Always `not_found`.
    pub code: ErrorCode,
    /// What the citation was understood as.
    pub understood: Understood,
    /// The document found, which lacks the unit; null when no document of the index has
    /// any of the citation's symbols.
    pub document: Option<FoundDocument>,
}

/// The 400 answer of `/api/cite` for a `ref` that is not a citation undex can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InvalidCitation {
    /// What was understood and what not, for a person ("understood the document A/79/875 but
    /// not "veto": write the paragraph as "para. 58", …"), or "citation too long".
    pub message: String,
    /// Always `invalid_citation`.
    pub code: ErrorCode,
    /// The citation as given (empty when `ref` is absent).
    #[serde(rename = "ref")]
    pub input: String,
}

/// A 400 answer of `/api/cite`: a citation that does not parse ([`InvalidCitation`]), or a
/// malformed query string, such as `ref` given twice ([`ErrorBody`], `bad_request`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CiteBadRequest {
    /// `ref` does not parse (`invalid_citation`).
    Citation(InvalidCitation),
    /// The query string is malformed (`bad_request`).
    Parameter(ErrorBody),
}

/// The 400 answer of a citation that does not parse.
fn invalid(input: &str, e: &CitationError) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(CiteBadRequest::Citation(InvalidCitation {
            message: e.to_string(),
            code: ErrorCode::InvalidCitation,
            input: input.to_string(),
        })),
    )
        .into_response()
}

async fn cite_handler(
    State(state): State<AppState>,
    Params(query): Params<CiteQuery>,
) -> Result<Response, ApiError> {
    let input = query.reference.unwrap_or_default();
    let cref = match parse_citation(&input) {
        Ok(c) => c,
        Err(e) => return Ok(invalid(&input, &e)),
    };
    let lookup = cref.clone();
    let resolution = state
        .blocking(move |library| resolve(library, &lookup))
        .await?;
    let understood = Understood::new(&input, &cref);
    match resolution {
        Resolution::Found { row, note } => {
            let paragraph = crate::paragraph::paragraph_value(&state, &row.id).await?;
            Ok(Json(CiteAnswer {
                paragraph,
                cite: Cited { understood, note },
            })
            .into_response())
        }
        other => {
            let document = match &other {
                Resolution::NoUnit(doc) => Some(doc.clone()),
                _ => None,
            };
            Ok((
                StatusCode::NOT_FOUND,
                Json(CiteNotFound {
                    message: not_found_message(&cref, &other),
                    code: ErrorCode::NotFound,
                    understood,
                    document,
                }),
            )
                .into_response())
        }
    }
}
