//! The OpenAPI 3.1 description of the JSON API, generated from the API's Rust types with
//! `utoipa`, and the page that shows it.
//!
//! - `GET /api/openapi.json` — the document ([`openapi_json`]): every JSON endpoint, its query
//!   and path parameters (meaning, units, defaults and limits as the handlers enforce them),
//!   its responses and their schemas, and every error status with its [`ErrorBody`].
//! - `GET /api/docs` — the same document as an HTML page, rendered on the server (no script,
//!   nothing loaded from elsewhere): one section per endpoint with its parameters and
//!   responses, then one section per schema.
//!
//! The response schemas are derived (`utoipa::ToSchema`) on the types the handlers serialise,
//! where they are defined (`undex_core::ParagraphRow`, `undex_index::FacetCount`,
//! [`crate::citations::CiteEntry`], …), and the query parameters on the types they are parsed
//! into ([`SearchParams`]), so their doc comments are the descriptions. The operations are
//! declared here, on functions that only carry the `#[utoipa::path]` attributes; the handlers
//! are in `api.rs`, `cite.rs` and `research.rs`. `crates/web/tests/web/api/openapi.rs` validates
//! the document and checks every endpoint's real answers against it.

use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde_json::Value;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::cite::CiteQuery;
use crate::error::ErrorBody;
use crate::export::ExportQuery;
use crate::params::SearchParams;
use crate::trends::TrendQuery;
use crate::views::layout;

/// The OpenAPI document of the JSON API (see [`openapi`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "undex JSON API",
        description = "Search United Nations reports by the paragraph: citable paragraphs with \
            their tags (R2P pillars, risk factors of the Framework of Analysis for Atrocity \
            Crimes, recommendations) and the evidence for each, documents, citations between \
            them, exports, trends and earlier wording. Every endpoint is a GET without \
            authentication. Errors answer JSON `{\"message\", \"code\"}` (`ErrorBody`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        search,
        paragraph,
        earlier,
        cite,
        document,
        stats,
        export,
        trends,
        openapi_document
    ),
    components(schemas(ErrorBody)),
    modifiers(&FilterParamsFromRegistry),
    tags(
        (name = "search", description = "Searching paragraphs and counting them"),
        (name = "paragraphs", description = "One paragraph, by id or by citation, and its earlier wording"),
        (name = "documents", description = "One document with all its paragraphs"),
        (name = "research", description = "Citation exports and trends"),
        (name = "meta", description = "The index and this description")
    )
)]
pub struct ApiDoc;

/// Adds one query parameter per keyword facet of [`undex_index::FACETS`] to every operation
/// that reads [`SearchParams`] (`/api/search`, `/api/export`, `/api/trends`), after `to`: the
/// registry entry gives its name, description, example and type, so a new facet is
/// described without touching this file.
struct FilterParamsFromRegistry;

impl Modify for FilterParamsFromRegistry {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for path in ["/api/search", "/api/export", "/api/trends"] {
            let Some(op) = doc.paths.paths.get_mut(path).and_then(|p| p.get.as_mut()) else {
                continue;
            };
            let params = op.parameters.get_or_insert_with(Vec::new);
            let after_to = params
                .iter()
                .position(|p| matches!(p, RefOr::T(p) if p.name == "to"))
                .map_or(params.len(), |i| i + 1);
            let filters = undex_index::registry::keywords().map(|f| RefOr::T(filter_param(f)));
            params.splice(after_to..after_to, filters);
        }
    }
}

/// The query parameter of a keyword facet.
fn filter_param(f: &undex_index::Facet) -> Parameter {
    use undex_index::registry::ValueKind;
    let schema = match f.kind {
        ValueKind::Number { max } => ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(max)),
        ValueKind::Bool => ObjectBuilder::new().schema_type(Type::Boolean),
        ValueKind::Text | ValueKind::Year => ObjectBuilder::new().schema_type(Type::String),
    };
    let example = match f.kind {
        ValueKind::Number { .. } => f.example.parse::<u64>().map_or(Value::Null, Value::from),
        ValueKind::Bool => Value::Bool(f.example == "true"),
        ValueKind::Text | ValueKind::Year => Value::from(f.example),
    };
    ParameterBuilder::new()
        .name(f.param)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(f.description))
        .schema(Some(schema))
        .example(Some(example))
        .build()
}

/// Search paragraphs.
///
/// The paragraphs holding every word of `q` and passing the filters, best first, a page at a
/// time, with facet counts over all of them. When the query joins two or more words without
/// an operator, the page where the full matches end goes on with the best paragraphs holding
/// only some of the words (`all_words: false`, not counted in `total`).
///
/// Languages: each language version of a paragraph is a hit of its own by default
/// (`versions=all`). With `versions=grouped`, the versions of one paragraph aligned across
/// languages (the same paragraph of the English, French, … versions of a document) make one
/// hit, its other versions listed in its `versions` (language, id, citation, text, snippet,
/// permalink); the version leading the hit is the one in the query's language when the
/// paragraph has one, else its best-ranked version; groups rank by their best version. When
/// grouped, `total` counts paragraphs, not language versions, and pages (`page`,
/// `per_page` at most 50) step through paragraphs; `grouping.rows_total` gives the ungrouped
/// count, and `grouping.complete` is false when the search matched more than 2,000 rows (the
/// paragraphs of the first 2,000 are counted and paged). Facet counts stay counts of rows.
/// The query's language is `qlang` when given, else detected from its words when the
/// detection is confident (a script only one official language writes, or `whatlang`'s
/// statistics backed by the function words of one language: `prévention du génocide` is
/// French, `veto` is not guessed), and answered as `query_language` (null when unknown);
/// `lang=fr` (or `lang:fr` in `q`) keeps only the paragraphs in French.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of hits, with facet counts.", body = crate::search::ApiSearch),
        (status = 400, description = "The query does not parse or is over a limit \
            (`invalid_query`), or a parameter is malformed or out of range (`bad_request`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn search() {}

/// One paragraph.
///
/// The paragraph's row (text, footnotes, tags with their evidence, document metadata), the
/// ids of the units before and after it, the documents it cites and the paragraphs of other
/// documents citing it.
#[utoipa::path(
    get,
    path = "/api/paragraphs/{id}",
    tag = "paragraphs",
    params(("id" = String, Path, description = "Paragraph id, as in search hits (`sha-e702f05d8184.en~28`, `A_79_875.en~76`), percent-encoded.")),
    responses(
        (status = 200, description = "The paragraph.", body = crate::paragraph::ApiParagraph),
        (status = 400, description = "The id is not UTF-8 once percent-decoded (`bad_request`).", body = ErrorBody),
        (status = 404, description = "No paragraph has this id (`not_found`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn paragraph() {}

/// Earlier wording of a paragraph.
///
/// The paragraphs of documents issued before this paragraph's (both dated) whose wording is
/// closest to its own: Jaccard similarity of word 3-shingles, at least 0.2, at most 5, best
/// first, each with a word diff; and the chain back to the first appearance of the language
/// (each step at least 0.3 similar to the one after it). Computed per request from the
/// index's current state.
#[utoipa::path(
    get,
    path = "/api/paragraphs/{id}/earlier",
    tag = "paragraphs",
    params(("id" = String, Path, description = "Paragraph id, as in search hits, percent-encoded.")),
    responses(
        (status = 200, description = "Earlier wording and the chain (empty `earlier`, and a chain \
            of the paragraph alone, for an undated paragraph or when nothing earlier is close).",
            body = crate::earlier::EarlierResponse),
        (status = 400, description = "The id is not UTF-8 once percent-decoded (`bad_request`).", body = ErrorBody),
        (status = 404, description = "No paragraph has this id (`not_found`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn earlier() {}

/// The paragraph a citation names.
///
/// Reads a citation as people write it (forms of the United Nations Editorial Manual,
/// case-insensitive, any spacing): `A/79/875, para. 58`, `A/79/875 para 58`,
/// `A/79/875, paragraph 58`, `A/79/875 ¶ 58`; a joint GA/SC symbol,
/// `A/79/875-S/2025/248 para 58` (either symbol alone names the same document); a
/// sub-paragraph, `para. 4 (a)`; a UPR recommendation, `A/HRC/28/15 para. 115.12`
/// (paragraph 115, recommendation 12); an operative paragraph of a resolution,
/// `S/RES/2803 (2025), op. 3` (also `OP 3`, `operative para. 3`), or a preambular one,
/// `preambular para. 2` (counted in order); an annex, `annex I, para. 3`; a page,
/// `S/PV.10011, p. 5`. Of a range or list (`paras. 5-7`, `paras. 5, 7 and 9`) the first
/// paragraph is resolved, with a `note` saying so. At most 200 bytes.
///
/// The document is looked up by its symbol (the joint symbol, then each symbol; the English
/// version preferred), then the unit in it. The answer is the paragraph as
/// `/api/paragraphs/{id}` gives it, plus `cite`: what the citation was understood as.
#[utoipa::path(
    get,
    path = "/api/cite",
    tag = "paragraphs",
    params(CiteQuery),
    responses(
        (status = 200, description = "The cited paragraph, with what the citation was understood \
            as (`cite`; its `note` says why the match is not exact, if it is not).",
            body = crate::cite::CiteAnswer),
        (status = 400, description = "`ref` is absent, empty, over 200 bytes or not a citation \
            (`invalid_citation`, with the `ref` given), or the query string is malformed, such \
            as `ref` given twice (`bad_request`).", body = crate::cite::CiteBadRequest),
        (status = 404, description = "The citation parses, but no document of the index has \
            its symbol, or the document has no such unit (`not_found`, with what was \
            understood and the document found).", body = crate::cite::CiteNotFound),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn cite() {}

/// One document.
///
/// A document's metadata, the documents it cites and those citing it, and every one of its
/// paragraphs in reading order.
#[utoipa::path(
    get,
    path = "/api/documents/{key}",
    tag = "documents",
    params(("key" = String, Path, description = "Document id (`A_79_875.en`) or one of its \
        symbols (`A/79/875`), slashes kept as they are: `/api/documents/A/79/875`.")),
    responses(
        (status = 200, description = "The document.", body = crate::document::ApiDocument),
        (status = 400, description = "The key is not UTF-8 once percent-decoded (`bad_request`).", body = ErrorBody),
        (status = 404, description = "No document has this id or symbol (`not_found`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn document() {}

/// Size of the index.
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "meta",
    responses(
        (status = 200, description = "Documents and paragraphs in the index.", body = undex_index::IndexStats),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn stats() {}

/// Export a citation list.
///
/// The paragraphs matching the search (query and filters of `/api/search`; `page` and
/// `per_page` are ignored), in result order, all pages, at most 10,000; or, with `ids`, those
/// paragraphs in the order given. Answered as an attachment `undex-export.<ext>`;
/// permalinks in it point at `http://{Host}/p/{id}`.
///
/// With `in_language` (`fr`), each paragraph is exported in its version in that language
/// when the index holds one aligned to it (same paragraph, other language version of the
/// document); a paragraph without one is exported as found, never dropped, and named in the
/// `x-undex-not-in-language-ids` header. In an export of a search, a paragraph the search
/// matched in several languages is exported once (`x-undex-merged`).
#[utoipa::path(
    get,
    path = "/api/export",
    tag = "research",
    params(
        SearchParams,
        ExportQuery,
        ("ids" = Option<String>, Query, description = "Paragraph ids to export instead of a \
            search, comma-separated (`ids=a,b`) and/or repeated (`ids=a&ids=b`), in order (an \
            id given twice is listed twice), at most 10,000; blanks are ignored. An unknown id \
            is a 404 naming it."),
    ),
    responses(
        (status = 200, description = "The export, in the format asked for.",
            content(
                (String = "text/plain; charset=utf-8"),
                ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<Value> = "application/vnd.citationstyles.csl+json"),
                (String = "application/x-research-info-systems"),
                (String = "application/x-bibtex; charset=utf-8"),
                (String = "text/csv; charset=utf-8"),
            ),
            headers(
                ("content-disposition" = String, description = "`attachment; filename=\"undex-export.<ext>\"` (txt, docx, json, ris, bib, csv)."),
                ("x-undex-total" = u64, description = "Paragraphs the search matches (the number of ids for an export of ids)."),
                ("x-undex-exported" = u64, description = "Paragraphs exported."),
                ("x-undex-truncated" = String, description = "Only when the export stops at the 10,000-row limit: how many of how many paragraphs were exported."),
                ("x-undex-language" = String, description = "Only with `in_language`: the language asked for (`fr`)."),
                ("x-undex-not-in-language" = u64, description = "Only with `in_language`: paragraphs exported as found because the index holds no version of them in that language (0 when every one has)."),
                ("x-undex-not-in-language-ids" = String, description = "Only when `x-undex-not-in-language` is not 0: their ids, comma-separated, in export order; the first 100, then `...`."),
                ("x-undex-merged" = u64, description = "Only with `in_language`, when not 0: rows of the search left out because the same paragraph was already exported (the search matched it in several languages; it is exported once, in the language asked for when it has a version in it)."),
            )
        ),
        (status = 400, description = "Unknown `format`, more than 10,000 ids, an `in_language` \
            that is not an official language, a malformed parameter (`bad_request`), or a \
            query that does not parse (`invalid_query`).", body = ErrorBody),
        (status = 404, description = "One of `ids` is not a paragraph (`not_found`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read or the file written (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn export() {}

/// Count the matching paragraphs.
///
/// The paragraphs matching the search (query and filters of `/api/search`; `page` and
/// `per_page` are ignored) counted by year of issue, organ or document, from the index's
/// columns.
#[utoipa::path(
    get,
    path = "/api/trends",
    tag = "research",
    params(SearchParams, TrendQuery),
    responses(
        (status = 200, description = "The counts: JSON by default, CSV (`key,count`, as an inline \
            file `undex-trend-<by>.csv`) or an SVG bar chart, by `format`.",
            content(
                (crate::trends::TrendJson = "application/json"),
                (String = "text/csv; charset=utf-8"),
                (String = "image/svg+xml"),
            )
        ),
        (status = 400, description = "Unknown `by` or `format`, a malformed parameter \
            (`bad_request`), or a query that does not parse (`invalid_query`).", body = ErrorBody),
        (status = 500, description = "The index cannot be read (`internal`).", body = ErrorBody),
        (status = 503, description = OVERLOADED, body = ErrorBody),
    )
)]
#[allow(dead_code)]
fn trends() {}

/// This description.
///
/// The OpenAPI 3.1 document of the JSON API; `/api/docs` shows it as a page.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    operation_id = "openapi",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document.", body = Object),
    )
)]
#[allow(dead_code)]
fn openapi_document() {}

/// Description of the 503 answer every endpoint can give.
const OVERLOADED: &str = "The server is answering too many requests (`overloaded`, with \
    `Retry-After: 1`), or the answer took longer than the request timeout (30 s by default; \
    then the body is empty).";

/// The OpenAPI 3.1 document of the JSON API, as `utoipa` generates it: descriptions are the
/// doc comments as written (see [`openapi_json`] for the served form).
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document served at `/api/openapi.json` (pretty JSON, built once): [`openapi`] with each
/// description made plain text for readers that are not rustdoc: lines of a paragraph joined
/// (paragraphs stay apart, on a blank line) and intra-doc links "\[`ParagraphRow`\]" reduced to
/// their text "`ParagraphRow`".
#[must_use]
pub fn openapi_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut doc = serde_json::to_value(openapi()).unwrap_or(Value::Null);
        clean_descriptions(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}

/// Applies [`plain_description`] to every `description` string in `value`.
fn clean_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => {
                        *text = plain_description(text);
                    }
                    _ => clean_descriptions(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(clean_descriptions),
        _ => {}
    }
}

/// A doc comment as plain text: the lines of each paragraph joined by a space, paragraphs
/// separated by a blank line, "[`X`]" → "`X`".
fn plain_description(text: &str) -> String {
    let joined = text
        .split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(start) = rest.find("[`") {
        match rest[start..].find("`]") {
            Some(len) if !rest[start + 2..start + len].contains('`') => {
                out.push_str(&rest[..start]);
                out.push('`');
                out.push_str(&rest[start + 2..start + len]);
                out.push('`');
                rest = &rest[start + len + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = &rest[start + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `/api/openapi.json` and `/api/docs`, to be merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_handler))
        .route("/api/docs", get(docs_handler))
}

async fn openapi_handler() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        openapi_json(),
    )
        .into_response()
}

async fn docs_handler() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let page = PAGE.get_or_init(|| {
        let doc: Value = serde_json::from_str(openapi_json()).unwrap_or(Value::Null);
        docs_page(&doc).into_string()
    });
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        page.as_str(),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------
// The page

/// Order of the endpoints on the page (any other path of the document follows).
const PATH_ORDER: [&str; 9] = [
    "/api/search",
    "/api/paragraphs/{id}",
    "/api/paragraphs/{id}/earlier",
    "/api/cite",
    "/api/documents/{key}",
    "/api/export",
    "/api/trends",
    "/api/stats",
    "/api/openapi.json",
];

/// The operations of `doc`, in [`PATH_ORDER`]: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let Some(paths) = doc["paths"].as_object() else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort_by_key(|k| {
        (
            PATH_ORDER
                .iter()
                .position(|p| p == k)
                .unwrap_or(PATH_ORDER.len()),
            (*k).clone(),
        )
    });
    let mut out = Vec::new();
    for path in keys {
        if let Some(item) = paths[path].as_object() {
            for (method, op) in item {
                if op.is_object() {
                    out.push((method.to_uppercase(), path.clone(), op));
                }
            }
        }
    }
    out
}

/// The anchor of an operation's section.
fn op_anchor(op: &Value, path: &str) -> String {
    let id = op["operationId"].as_str().unwrap_or(path);
    format!("op-{}", anchor_text(id))
}

/// The anchor of a schema's section.
fn schema_anchor(name: &str) -> String {
    format!("schema-{}", anchor_text(name))
}

fn anchor_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Text with `code spans` in backticks rendered as `<code>`.
fn prose(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// Paragraphs of a description (blank lines separate them).
fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (prose(&p.replace('\n', " "))) }
        }
    }
}

/// The name of the component a `$ref` points at ("#/components/schemas/ApiHit" → "ApiHit").
fn ref_name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.rsplit('/').next()
}

/// A schema's type, briefly: a link for a reference, "string or null", "array of …",
/// "map of string to …", constraints after it.
fn type_html(schema: &Value) -> Markup {
    if let Some(name) = ref_name(schema) {
        return html! { a href={ "#" (schema_anchor(name)) } { (name) } };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema[key].as_array() {
            return html! {
                @for (i, alt) in alts.iter().enumerate() {
                    @if i > 0 { " or " }
                    (type_html(alt))
                }
            };
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        return html! {
            @for (i, part) in parts.iter().enumerate() {
                @if i > 0 { " and " }
                (type_html(part))
            }
        };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let constraints = constraints(schema);
    html! {
        @if types.is_empty() && schema.get("enum").is_none() { "any" }
        @for (i, t) in types.iter().enumerate() {
            @if i > 0 { " or " }
            @match *t {
                "array" => { "array of " (type_html(&schema["items"])) },
                "object" if schema["additionalProperties"].is_object() => {
                    "map of string to " (type_html(&schema["additionalProperties"]))
                },
                _ => (t),
            }
        }
        @if let Some(f) = schema["format"].as_str() { " (" (f) ")" }
        @if let Some(values) = schema["enum"].as_array() {
            @if !types.is_empty() { ": " }
            "one of "
            @for (i, v) in values.iter().enumerate() {
                @if i > 0 { ", " }
                code { (v.as_str().map_or_else(|| v.to_string(), str::to_string)) }
            }
        }
        @if !constraints.is_empty() { " " span.muted { "(" (constraints.join(", ")) ")" } }
    }
}

/// The constraints of a schema as text ("minimum 1", "default 20").
fn constraints(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, label) in [
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("pattern", "pattern"),
        ("default", "default"),
        ("example", "example"),
    ] {
        if let Some(v) = schema.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            // Unsigned integers carry "minimum 0"; not worth a mention.
            if !(key == "minimum" && v == "0") {
                out.push(format!("{label} {v}"));
            }
        }
    }
    out
}

/// The schema of a parameter or property, resolving nothing (references are links).
fn parameter_rows(op: &Value) -> Markup {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    html! {
        @if params.is_empty() {
            p { "No parameters." }
        } @else {
            table.api {
                thead { tr { th { "Parameter" } th { "In" } th { "Type" } th { "Description" } } }
                tbody {
                    @for param in &params {
                        tr {
                            td {
                                code { (param["name"].as_str().unwrap_or("")) }
                                @if param["required"].as_bool() == Some(true) { " " span.muted { "required" } }
                            }
                            td { (param["in"].as_str().unwrap_or("")) }
                            td { (type_html(&param["schema"])) }
                            td { (paragraphs(param["description"].as_str().unwrap_or(""))) }
                        }
                    }
                }
            }
        }
    }
}

fn response_rows(op: &Value) -> Markup {
    let empty = serde_json::Map::new();
    let responses = op["responses"].as_object().unwrap_or(&empty);
    html! {
        table.api {
            thead { tr { th { "Status" } th { "Body" } th { "Description" } } }
            tbody {
                @for (status, response) in responses {
                    tr {
                        td { code { (status) } }
                        td {
                            @if let Some(content) = response["content"].as_object() {
                                @for (ctype, media) in content {
                                    div { code { (ctype) } ": " (type_html(&media["schema"])) }
                                }
                            } @else { "none" }
                        }
                        td {
                            (paragraphs(response["description"].as_str().unwrap_or("")))
                            @if let Some(headers) = response["headers"].as_object() {
                                p { "Headers:" }
                                ul {
                                    @for (name, h) in headers {
                                        li { code { (name) } " — " (prose(h["description"].as_str().unwrap_or(""))) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Whether a schema admits null (`type: [.., "null"]`, or a `null` alternative of `oneOf`).
fn nullable(schema: &Value) -> bool {
    let null_type = |s: &Value| match &s["type"] {
        Value::String(t) => t == "null",
        Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => false,
    };
    null_type(schema)
        || ["oneOf", "anyOf"].iter().any(|k| {
            schema[*k]
                .as_array()
                .is_some_and(|alts| alts.iter().any(null_type))
        })
}

/// The properties of an object schema as a table; `allOf` parts are listed first. A property
/// that is neither required nor nullable is marked "may be absent" (the API sends every
/// nullable field, as null when it has no value).
fn schema_body(schema: &Value) -> Markup {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        @if let Some(parts) = schema["allOf"].as_array() {
            @for part in parts {
                @if let Some(name) = ref_name(part) {
                    p { "Every field of " a href={ "#" (schema_anchor(name)) } { (name) } ", and:" }
                } @else {
                    (schema_body(part))
                }
            }
        }
        @if let Some(alts) = schema["oneOf"].as_array() {
            p { "One of:" }
            ul {
                @for alt in alts {
                    li { (type_html(alt)) @if let Some(d) = alt["description"].as_str() { " — " (prose(d)) } }
                }
            }
        }
        @if schema.get("enum").is_some() {
            p { (type_html(schema)) }
        }
        @if let Some(props) = schema["properties"].as_object() {
            table.api {
                thead { tr { th { "Field" } th { "Type" } th { "Description" } } }
                tbody {
                    @for (name, prop) in props {
                        tr {
                            td {
                                code { (name) }
                                @if !required.contains(&name.as_str()) && !nullable(prop) {
                                    " " span.muted { "may be absent" }
                                }
                            }
                            td { (type_html(prop)) }
                            td { (paragraphs(prop["description"].as_str().unwrap_or(""))) }
                        }
                    }
                }
            }
        }
    }
}

/// The page of `/api/docs` for the OpenAPI document `doc`.
fn docs_page(doc: &Value) -> Markup {
    let ops = operations(doc);
    let empty = serde_json::Map::new();
    let schemas = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    let body = html! {
        article.apidocs {
            h1 { (doc["info"]["title"].as_str().unwrap_or("JSON API")) }
            (paragraphs(doc["info"]["description"].as_str().unwrap_or("")))
            p {
                "OpenAPI " (doc["openapi"].as_str().unwrap_or("")) " document: "
                a href="/api/openapi.json" { "/api/openapi.json" } "."
            }
            h2 { "Endpoints" }
            ul {
                @for (method, path, op) in &ops {
                    li {
                        a href={ "#" (op_anchor(op, path)) } { code { (method) " " (path) } }
                        " — " (op["summary"].as_str().unwrap_or(""))
                    }
                }
            }
            @for (method, path, op) in &ops {
                section.endpoint id=(op_anchor(op, path)) {
                    h2 { code { (method) " " (path) } }
                    p { strong { (op["summary"].as_str().unwrap_or("")) } }
                    (paragraphs(op["description"].as_str().unwrap_or("")))
                    h3 { "Parameters" }
                    (parameter_rows(op))
                    h3 { "Responses" }
                    (response_rows(op))
                }
            }
            h2 { "Schemas" }
            p {
                "Every field is sent unless marked “may be absent”; a field typed “… or null” is "
                code { "null" } " when it has no value."
            }
            @for (name, schema) in schemas {
                section.schema id=(schema_anchor(name)) {
                    h3 { (name) }
                    (paragraphs(schema["description"].as_str().unwrap_or("")))
                    (schema_body(schema))
                }
            }
        }
    };
    // The reference of the language-neutral JSON API, written from the code's English doc
    // comments: in English whatever the reader's interface language.
    let ui = crate::i18n::Ui::new(crate::i18n::Lang::En, "/api/docs");
    layout(&ui, "JSON API", true, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_plain_text() {
        assert_eq!(
            plain_description(
                "The row (every field of [`ParagraphRow`],\n`source_file` cut).\n\nNext."
            ),
            "The row (every field of `ParagraphRow`, `source_file` cut).\n\nNext."
        );
        assert_eq!(plain_description("a [b] [`c` d`] e"), "a [b] [`c` d`] e");
        assert!(!openapi_json().contains("[`"));
    }

    #[test]
    fn every_link_of_the_page_has_its_section() {
        let doc: Value = serde_json::from_str(openapi_json()).expect("json");
        let page = docs_page(&doc).into_string();
        let targets: Vec<&str> = page
            .split("href=\"#")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(targets.len() > 40, "{} links", targets.len());
        for target in targets {
            assert!(
                page.contains(&format!("id=\"{target}\"")),
                "no section #{target}"
            );
        }
        for name in doc["components"]["schemas"]
            .as_object()
            .expect("schemas")
            .keys()
        {
            assert!(
                page.contains(&format!("id=\"{}\"", schema_anchor(name))),
                "{name}"
            );
        }
    }

    #[test]
    fn every_path_is_on_the_page_in_order() {
        let doc: Value = serde_json::from_str(openapi_json()).expect("json");
        let paths: Vec<String> = operations(&doc).into_iter().map(|(_, p, _)| p).collect();
        assert_eq!(paths, PATH_ORDER.map(String::from).to_vec());
    }
}
