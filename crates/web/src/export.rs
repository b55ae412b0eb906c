//! `GET /api/export?q=…&<filters of /api/search>&format=F`: the rows matching the search, in
//! result order (all pages), at most [`MAX_EXPORT_ROWS`]; or `&ids=id1,id2,…` (also
//! repeated: `&ids=id1&ids=id2`, as the search page's checkboxes send it): those rows in the
//! given order. `F` is `text` (default), `docx`, `csl-json`, `ris`, `bibtex` or `csv`.
//! Answered as an attachment `undex-export.<ext>` with the format's `Content-Type`;
//! permalinks point at `http://{Host}/p/{id}`. Headers [`TOTAL_HEADER`] and
//! [`EXPORTED_HEADER`] give the number of matches and of rows exported, and
//! [`TRUNCATED_HEADER`] says when the export stops at the limit. The rows are read by
//! the library's [`undex_library::export::Exporter`] ([`LibraryReader::exporter`]: the one
//! implementation behind `undex export` and the MCP tool `export_citations`).
//!
//! `&in_language=fr` (one of `ar`, `zh`, `en`, `fr`, `ru`, `es`) exports each paragraph in
//! its version in that language when the index holds one aligned to it; the others are
//! exported as found, counted in [`NOT_IN_LANGUAGE_HEADER`] and named in
//! [`NOT_IN_LANGUAGE_IDS_HEADER`] (never dropped); [`LANGUAGE_HEADER`] repeats the language,
//! and [`MERGED_HEADER`] counts the rows of a search left out because the same paragraph
//! was already exported (matched in several languages).

use std::fmt::Write as _;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use undex_analysis::{ExportFormat, ExportOptions};
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::error::analysis_error;
use crate::links::base_url;
use crate::params::{Params, SearchParams, selection};
use crate::{ApiError, AppState};
use undex_library::export::ExportRequest;
use undex_library::languages::UnLanguage;

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
/// Response header of `/api/export` with `in_language`: the language asked for ("fr").
pub const LANGUAGE_HEADER: &str = "x-undex-language";
/// Response header of `/api/export` with `in_language`: the number of paragraphs exported as
/// found because the index holds no version of them in that language (0 when every one has).
pub const NOT_IN_LANGUAGE_HEADER: &str = "x-undex-not-in-language";
/// Response header of `/api/export`, present when [`NOT_IN_LANGUAGE_HEADER`] is not 0: the
/// ids of those paragraphs, comma-separated, in export order; the first
/// [`MAX_NOT_IN_LANGUAGE_IDS`], then `...` when there are more (bytes of an id outside
/// printable ASCII are percent-encoded, as a header value must be).
pub const NOT_IN_LANGUAGE_IDS_HEADER: &str = "x-undex-not-in-language-ids";
/// Response header of `/api/export` with `in_language`, present when not 0: rows of the
/// search left out because the same paragraph was already exported (the search matched it
/// in several languages; it is exported once, in the language asked for when it has a
/// version in it).
pub const MERGED_HEADER: &str = "x-undex-merged";
/// Most ids named in [`NOT_IN_LANGUAGE_IDS_HEADER`] (the header stays under 8 KB).
pub const MAX_NOT_IN_LANGUAGE_IDS: usize = 100;

/// The route of the export resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/export", get(export_handler))
}

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
    /// Export each paragraph in its version in this official language (`ar`, `zh`, `en`,
    /// `fr`, `ru`, `es`) when the index holds one aligned to it; the others are exported as
    /// found and named in the `x-undex-not-in-language-ids` header. Blank or absent: the
    /// paragraphs as found. Another value is a 400 `bad_request`.
    #[param(example = "fr")]
    in_language: Option<String>,
}

/// The language of `in_language`, checked; `None` when blank or absent.
///
/// # Errors
/// [`ApiError::BadRequest`] for a value that is not an official language.
pub(crate) fn export_language(value: Option<&str>) -> Result<Option<UnLanguage>, ApiError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            UnLanguage::parse(v).map_err(|e| ApiError::BadRequest(format!("in_language: {e}")))
        })
        .transpose()
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
/// in result order; each in its version in `language` when one is aligned to it.
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
    language: Option<UnLanguage>,
) -> Result<Exported, ApiError> {
    let how = ExportRequest {
        format,
        options,
        language,
    };
    if ids.is_empty() {
        let selection = selection(search)?;
        state
            .on_library(move |library| {
                Ok(library.exporter(how).search(&selection, MAX_EXPORT_ROWS)?)
            })
            .await
    } else {
        state
            .on_library(move |library| Ok(library.exporter(how).ids(&ids)?))
            .await
    }
}

/// The ids of an export's paragraphs without a version in its language
/// ([`Exported::not_in_language`]), as
/// [`NOT_IN_LANGUAGE_IDS_HEADER`] gives them: the first [`MAX_NOT_IN_LANGUAGE_IDS`],
/// comma-separated, then `...` when there are more; bytes outside printable ASCII
/// percent-encoded.
#[must_use]
pub fn not_in_language_ids(ids: &[String]) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().take(MAX_NOT_IN_LANGUAGE_IDS).enumerate() {
        if i > 0 {
            out.push(',');
        }
        for c in id.chars() {
            if c.is_ascii_graphic() && c != '%' && c != ',' {
                out.push(c);
            } else {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    if ids.len() > MAX_NOT_IN_LANGUAGE_IDS {
        out.push_str(",...");
    }
    out
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
        .map_err(analysis_error)?;
    let ids = ids_of_query(raw.as_deref())?;
    let language = export_language(extra.in_language.as_deref())?;
    let options = ExportOptions {
        base_url: base_url(&headers),
        quote_text: false,
    };
    let exported = export(
        &state,
        ids.unwrap_or_default(),
        &search,
        format,
        options,
        language,
    )
    .await?;
    let truncated = exported.truncated();
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
    if let Some(language) = &exported.language {
        let mut set = |name: &'static str, value: String| {
            if let Ok(value) = header::HeaderValue::from_str(&value) {
                response
                    .headers_mut()
                    .insert(header::HeaderName::from_static(name), value);
            }
        };
        set(LANGUAGE_HEADER, language.to_string());
        set(
            NOT_IN_LANGUAGE_HEADER,
            exported.not_in_language.len().to_string(),
        );
        if !exported.not_in_language.is_empty() {
            set(
                NOT_IN_LANGUAGE_IDS_HEADER,
                not_in_language_ids(&exported.not_in_language),
            );
        }
        if exported.merged > 0 {
            set(MERGED_HEADER, exported.merged.to_string());
        }
    }
    if truncated {
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
