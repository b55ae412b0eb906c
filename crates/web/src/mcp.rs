//! The Model Context Protocol server of undex: read-only tools that let an assistant search UN
//! reports by the paragraph and cite what it finds, built on the official Rust SDK (`rmcp`).
//!
//! Served over stdio by `undex mcp [--index DIR]` ([`serve_stdio`]) and over Streamable HTTP
//! at `/mcp` by `undex serve` ([`http_service`], stateless, JSON answers, `Host` limited to
//! loopback names against DNS rebinding).
//!
//! Tools (every one calls the function the JSON API calls, so both answer alike):
//! - `search` — `/api/search`: each hit's citation, snippet, tags and permalink path;
//! - `get_paragraph` — `/api/paragraphs/{id}` or `/api/cite`: text, citation, tags,
//!   previous / next ids, and the same paragraph in other languages the index holds;
//! - `get_document` — `/api/documents/{symbol}`: metadata and an outline of headings and
//!   paragraph numbers;
//! - `earlier_wording` — `/api/paragraphs/{id}/earlier`;
//! - `trend` — `/api/trends`;
//! - `export_citations` — `/api/export` (text formats; at most [`MAX_EXPORT_ROWS`] rows).
//!
//! Tool results are JSON objects (structured content, also given as text), except
//! `export_citations`, which returns the export file's text. A question the index cannot
//! answer (unknown paragraph, query that does not parse) is a tool error whose text says why.

use std::fmt::Write as _;
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router};
use serde::Deserialize;
use serde_json::{Value, json};
use undex_analysis::{DiffKind, ExportFormat, ExportOptions};
use undex_core::{ParagraphRow, parse_citation};
use undex_library::reader::LibraryReader;

use crate::cite::{Resolution, Understood, not_found_message, resolve};
use crate::document::load_document;
use crate::paragraph::paragraph_value;
use crate::params::SearchParams;
use crate::search::search_body;
use crate::{ApiError, AppState};

/// Hits per page of the `search` tool.
pub const SEARCH_PER_PAGE: usize = 10;
/// Most rows `export_citations` returns (a search's first rows in result order, or ids).
pub const MAX_EXPORT_ROWS: usize = 500;
/// Longest `id`, `symbol` or `query` argument accepted, in bytes (the index's own query limit,
/// 2,000 bytes, is checked again by the search).
pub const MAX_ARG_BYTES: usize = 2_000;
/// Most entries of a `get_document` outline (headings and units); a longer document's outline
/// stops there and says so.
pub const MAX_OUTLINE_ENTRIES: usize = 3_000;

/// What every tool description says about citations (a macro so that `concat!` can use it).
macro_rules! citation_rule {
    () => {
        " UN documents are cited by symbol and paragraphs by number, as the UN Editorial Manual \
         asks: \"A/79/875-S/2025/248, para. 76\" (a joint GA/SC symbol is one document), \
         \"para. 4 (a)\" for a sub-paragraph, \"A/HRC/59/15, para. 140.12\" for a UPR \
         recommendation, \"S/RES/2803 (2025), op. 3\" for an operative paragraph; a document \
         without a symbol is cited by title and date. Every statement made from these results \
         must cite the paragraph it comes from with the `citation` string returned, and link \
         its permalink path when possible."
    };
}

const INSTRUCTIONS: &str = concat!(
    "undex searches United Nations reports (the Secretary-General's reports on the \
     responsibility to protect, UPR and Human Rights Council documents, GA and SC documents) \
     by the numbered paragraph, with tags for R2P pillar (I, II, III), the 14 risk factors of \
     the Framework of Analysis for Atrocity Crimes and recommendations. Use `search` to find \
     paragraphs, `get_paragraph` to read one (by id or by citation), `get_document` for a \
     document's outline, `earlier_wording` to trace language back to earlier reports, `trend` \
     to count paragraphs by year, organ or document, and `export_citations` for a citation \
     list.",
    citation_rule!()
);

/// The filters shared by `search`, `trend` and `export_citations` (those of `/api/search`).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct FilterArgs {
    /// R2P pillar: "I", "II" or "III".
    pub pillar: Option<String>,
    /// Risk factor of the UN Framework of Analysis for Atrocity Crimes (2014), 1 to 14.
    pub risk_factor: Option<u8>,
    /// true: only recommendations (in the author's own voice); false: only other paragraphs.
    pub recommendation: Option<bool>,
    /// Year of issue, such as 2025.
    pub year: Option<i32>,
    /// Document symbol, such as "A/79/875" (either symbol of a joint one).
    pub symbol: Option<String>,
    /// Organ, such as "Security Council" or "Human Rights Council".
    pub body: Option<String>,
    /// Addressee of a recommendation, such as "Member States".
    pub addressee: Option<String>,
    /// Country mentioned, ISO 3166-1 alpha-3, such as "SDN".
    pub country: Option<String>,
    /// ISO 639-1 language of the document, such as "en" or "fr".
    pub language: Option<String>,
}

/// Arguments of `search`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub struct SearchArgs {
    /// The query: words (all required, inflections match), "exact phrases", OR, NOT, -word,
    /// parentheses, and field filters such as pillar:III, risk:7, year:2026, symbol:"A/79/875".
    pub query: String,
    /// Filters added to the query.
    #[serde(flatten)]
    pub filters: FilterArgs,
    /// Page of results, from 1 (10 hits a page).
    #[serde(default)]
    pub page: Option<usize>,
    /// true: one hit per paragraph across languages, its other language versions (id,
    /// citation, snippet) listed under it, led by its version in the query's language;
    /// `total` then counts paragraphs. Default false: each language version is a hit.
    #[serde(default)]
    pub grouped: Option<bool>,
    /// The language the query is written in: "ar", "zh", "en", "fr", "ru" or "es"; detected
    /// from the words when absent (only when the detection is confident). It chooses the
    /// version leading a grouped hit; to keep only paragraphs in a language, use `language`.
    #[serde(default)]
    pub query_language: Option<String>,
}

/// Arguments naming one paragraph: its id, or a citation.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ParagraphArgs {
    /// The paragraph id returned by `search` ("A_79_875.en~58").
    pub id: Option<String>,
    /// A citation instead of an id: "A/79/875, para. 58", "A/79/875-S/2025/248 para 58",
    /// "A/HRC/59/15 para. 140.12", "S/RES/2803 (2025), op. 3".
    pub citation: Option<String>,
}

/// Arguments of `get_document`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub struct DocumentArgs {
    /// The document's symbol ("A/79/875", a joint "A/79/875-S/2025/248") or document id.
    pub symbol: String,
}

/// Arguments of `trend`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct TrendArgs {
    /// The query, as for `search` (empty counts every paragraph passing the filters).
    pub query: String,
    /// What to count by: "year" (default), "body" (organ) or "document".
    pub by: Option<String>,
    /// Filters added to the query.
    #[serde(flatten)]
    pub filters: FilterArgs,
}

/// Arguments of `export_citations`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ExportArgs {
    /// Export the paragraphs matching this query (in result order)...
    pub query: Option<String>,
    /// ...or these paragraph ids, in this order.
    pub ids: Option<Vec<String>>,
    /// "text" (default: UN-style citation list), "csl-json", "ris", "bibtex" or "csv".
    pub format: Option<String>,
    /// Export each paragraph in its version in this official language ("ar", "zh", "en",
    /// "fr", "ru", "es") when the index holds one; the paragraphs without one are exported
    /// as found and named at the end of the answer.
    pub in_language: Option<String>,
    /// Filters added to the query.
    #[serde(flatten)]
    pub filters: FilterArgs,
}

/// The undex MCP server: the tools over one shared index ([`AppState`], with its limit on
/// index reads running at once).
#[derive(Debug, Clone)]
pub struct UndexMcp {
    state: AppState,
    tool_router: ToolRouter<UndexMcp>,
}

/// A tool-level error (the model sees its text).
fn tool_error(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.into())])
}

/// An [`ApiError`] as a tool result: what the caller got wrong is a tool error it can read;
/// an internal error is a protocol error.
fn api_error(e: ApiError) -> Result<CallToolResult, ErrorData> {
    match e {
        ApiError::Internal(detail) => {
            tracing::error!(%detail, "mcp: internal error");
            Err(ErrorData::internal_error("something went wrong", None))
        }
        other => Ok(tool_error(other.status_and_code().2)),
    }
}

/// Why a tool stops before its answer: a tool error for the model to read, or an [`ApiError`]
/// (which [`api_error`] makes a tool error or a protocol error). Both convert with `?`.
enum Stop {
    Tool(CallToolResult),
    Api(ApiError),
}

impl From<CallToolResult> for Stop {
    fn from(e: CallToolResult) -> Stop {
        Stop::Tool(e)
    }
}

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Stop {
        Stop::Api(e)
    }
}

/// A tool's outcome as the protocol takes it: its result, or where it stopped.
async fn answer(
    outcome: impl Future<Output = Result<CallToolResult, Stop>>,
) -> Result<CallToolResult, ErrorData> {
    match outcome.await {
        Ok(result) | Err(Stop::Tool(result)) => Ok(result),
        Err(Stop::Api(e)) => api_error(e),
    }
}

/// Refuses an argument longer than [`MAX_ARG_BYTES`].
fn check_len(name: &str, value: &str) -> Result<(), CallToolResult> {
    if value.len() > MAX_ARG_BYTES {
        Err(tool_error(format!(
            "{name} is {} bytes long; at most {MAX_ARG_BYTES}",
            value.len()
        )))
    } else {
        Ok(())
    }
}

/// `<mark>…</mark>` removed and HTML entities decoded: a snippet as plain text.
fn plain(snippet_html: &str) -> String {
    snippet_html
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A word diff in wdiff's notation: `[-deleted-]`, `{+inserted+}`.
fn diff_text(diff: &[undex_analysis::DiffSegment]) -> String {
    let mut out = String::new();
    for s in diff {
        match s.kind {
            DiffKind::Equal => out.push_str(&s.text),
            DiffKind::Deleted => {
                let _ = write!(out, "[-{}-]", s.text);
            }
            DiffKind::Inserted => {
                let _ = write!(out, "{{+{}+}}", s.text);
            }
        }
    }
    out
}

/// The search parameters of a tool's query and filters (as `/api/search` reads them).
fn search_params(query: &str, filters: &FilterArgs) -> SearchParams {
    let mut p = SearchParams {
        q: Some(query.to_string()),
        year: filters.year,
        ..SearchParams::default()
    };
    let f = &mut p.filters;
    let text = [
        ("pillar", &filters.pillar),
        ("symbol", &filters.symbol),
        ("body", &filters.body),
        ("addressee", &filters.addressee),
        ("country", &filters.country),
        ("lang", &filters.language),
    ];
    for (param, value) in text {
        if let Some(v) = value {
            f.set(param, v);
        }
    }
    if let Some(r) = filters.risk_factor {
        f.set("risk", &r.to_string());
    }
    if let Some(r) = filters.recommendation {
        f.set("rec", &r.to_string());
    }
    p
}

/// The same paragraph in the other languages the index holds (the rule of
/// [`LibraryReader::translations`], shared with `GET /api/paragraphs/{id}` and the pages):
/// language, id, citation, text and permalink of each.
fn translations(library: &LibraryReader, row: &ParagraphRow) -> Result<Vec<Value>, ApiError> {
    Ok(library
        .translations(row)?
        .into_iter()
        .map(|(_, t)| {
            json!({
                "language": t.language,
                "id": t.id,
                "citation": t.citation,
                "text": t.text,
                "url": crate::links::paragraph_url(&t.id),
            })
        })
        .collect())
}

#[tool_router]
impl UndexMcp {
    /// The server over `state`'s index.
    #[must_use]
    pub fn new(state: AppState) -> Self {
        UndexMcp {
            state,
            tool_router: Self::tool_router(),
        }
    }

    /// The paragraph id named by `args` (an id as given, or a citation resolved), or the tool
    /// error to answer.
    async fn paragraph_id(&self, args: &ParagraphArgs) -> Result<String, CallToolResult> {
        match (&args.id, &args.citation) {
            (Some(id), _) if !id.trim().is_empty() => {
                check_len("id", id)?;
                Ok(id.trim().to_string())
            }
            (_, Some(citation)) if !citation.trim().is_empty() => {
                let cref = parse_citation(citation).map_err(|e| tool_error(e.to_string()))?;
                let lookup = cref.clone();
                let resolution = self
                    .state
                    .blocking(move |library| resolve(library, &lookup))
                    .await
                    .map_err(|e| tool_error(e.status_and_code().2))?;
                match resolution {
                    Resolution::Found { row, .. } => Ok(row.id),
                    other => Err(tool_error(not_found_message(&cref, &other))),
                }
            }
            _ => Err(tool_error(
                "give `id` (from search) or `citation` (such as \"A/79/875, para. 58\")",
            )),
        }
    }

    #[tool(
        description = concat!(
            "Search UN reports paragraph by paragraph. Returns the total number of paragraphs \
             holding all the words, and for each hit (10 a page) its id, `citation`, a snippet, \
             its tags (R2P pillars, risk factors of the Framework of Analysis for Atrocity \
             Crimes, recommendation and addressees) and its permalink path (`url`). Hits with \
             `all_words: false` hold only some of the words.",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn search(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
            check_len("query", &args.query)?;
            let mut params = search_params(&args.query, &args.filters);
            params.page = args.page;
            params.per_page = Some(SEARCH_PER_PAGE);
            params.facets = Some(false);
            if args.grouped == Some(true) {
                params.versions = Some("grouped".into());
            }
            params.qlang.clone_from(&args.query_language);
            let body = search_body(&self.state, &params).await?;
            let body = serde_json::to_value(&body).unwrap_or(Value::Null);
            let hits: Vec<Value> = body["hits"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|h| {
                    let mut hit = json!({
                        "id": h["id"],
                        "citation": h["citation"],
                        "snippet": plain(h["snippet"].as_str().unwrap_or_default()),
                        "title": h["title"],
                        "date": h["date"],
                        "tags": {
                            "pillars": h["pillars"],
                            "risk_factors": h["risk_factors"],
                            "recommendation": h["recommendation"],
                            "addressees": h["addressees"],
                        },
                        "all_words": h["all_words"],
                        "url": h["url"],
                        "language": h["language"],
                    });
                    if let Some(versions) = h["versions"].as_array() {
                        hit["versions"] = versions
                            .iter()
                            .map(|v| {
                                json!({
                                    "language": v["language"],
                                    "id": v["id"],
                                    "citation": v["citation"],
                                    "snippet": plain(v["snippet"].as_str().unwrap_or_default()),
                                    "url": v["url"],
                                })
                            })
                            .collect();
                    }
                    hit
                })
                .collect();
            Ok(CallToolResult::structured(json!({
                "query": args.query,
                "query_language": body["query_language"],
                "versions": body["versions"],
                "total": body["total"],
                "page": body["page"],
                "per_page": body["per_page"],
                "more": body["partial_more"].as_bool().unwrap_or(false)
                    || body["total"].as_u64().unwrap_or(0)
                        > body["page"].as_u64().unwrap_or(1) * SEARCH_PER_PAGE as u64,
                "hits": hits,
            })))
        })
        .await
    }

    #[tool(
        description = concat!(
            "Read one paragraph of a UN document, by `id` (from search) or by `citation` \
             (\"A/79/875, para. 58\"). Returns its text, `citation`, document, section, tags, \
             footnotes, the documents it cites, the ids of the previous and next paragraphs, \
             its permalink path, and the same paragraph in other official languages when the \
             index holds them.",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_paragraph(
        &self,
        Parameters(args): Parameters<ParagraphArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
            let id = self.paragraph_id(&args).await?;
            let p = paragraph_value(&self.state, &id).await?;
            let row: Option<ParagraphRow> = serde_json::from_value(p.clone()).ok();
            let translations = match row {
                Some(row) => {
                    self.state
                        .on_library(move |library| translations(library, &row))
                        .await?
                }
                None => Vec::new(),
            };
            let understood = args
                .citation
                .as_deref()
                .filter(|_| args.id.as_deref().is_none_or(|i| i.trim().is_empty()))
                .and_then(|c| parse_citation(c).ok().map(|r| Understood::new(c, &r)));
            Ok(CallToolResult::structured(json!({
                "id": p["id"],
                "citation": p["citation"],
                "text": p["text"],
                "symbol": p["symbol"],
                "title": p["title"],
                "date": p["date"],
                "language": p["language"],
                "number": p["number"],
                "sub": p["sub"],
                "section": p["section_path"],
                "page": p["page"],
                "footnotes": p["footnotes"],
                "tags": {
                    "pillars": p["pillars"],
                    "risk_factors": p["risk_factors"],
                    "recommendation": p["recommendation"],
                    "addressees": p["addressees"],
                    "crimes": p["crimes"],
                    "countries": p["countries"],
                },
                "cites": p["cites"],
                "prev": p["prev"],
                "next": p["next"],
                "url": p["url"],
                "translations": translations,
                "understood": understood,
            })))
        })
        .await
    }

    #[tool(
        description = concat!(
            "Outline of one UN document, by symbol (\"A/79/875\") or id: its metadata (title, \
             date, organs, type) and, in reading order, its headings and its paragraphs \
             (id, citation pinpoint such as \"para. 58\", first words).",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_document(
        &self,
        Parameters(args): Parameters<DocumentArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
            check_len("symbol", &args.symbol)?;
            let rows = load_document(&self.state, args.symbol.trim().to_string()).await?;
            let first = &rows[0];
            let mut outline: Vec<Value> = Vec::new();
            let mut path: Vec<String> = Vec::new();
            let mut truncated = false;
            for row in &rows {
                if outline.len() >= MAX_OUTLINE_ENTRIES {
                    truncated = true;
                    break;
                }
                // A heading is listed where the path first reaches it.
                let common = path
                    .iter()
                    .zip(&row.section_path)
                    .take_while(|(a, b)| a == b)
                    .count();
                for (level, heading) in row.section_path.iter().enumerate().skip(common) {
                    outline.push(json!({ "heading": heading, "level": level + 1 }));
                }
                path.clone_from(&row.section_path);
                let pinpoint = row
                    .citation
                    .strip_prefix(first.symbol.as_deref().unwrap_or("\u{0}"))
                    .map(|p| p.trim_start_matches(", ").to_string())
                    .unwrap_or_else(|| row.citation.clone());
                let start: String = row.text.chars().take(80).collect();
                outline.push(json!({
                "id": row.id,
                "pinpoint": pinpoint,
                "number": row.number,
                "sub": row.sub,
                "start": if row.text.chars().count() > 80 { format!("{start}…") } else { start },
            }));
            }
            Ok(CallToolResult::structured(json!({
                "doc_id": first.doc_id,
                "symbol": first.symbol,
                "symbols": first.symbols,
                "title": first.title,
                "date": first.date,
                "bodies": first.bodies,
                "author": first.author,
                "doc_type": first.doc_type,
                "language": first.language,
                "units": rows.len(),
                "url": crate::links::document_url(first),
                "outline": outline,
                "outline_truncated": truncated,
            })))
        })
        .await
    }

    #[tool(
        description = concat!(
            "Earlier wording of a paragraph, by `id` or `citation`: the most similar \
             paragraphs of earlier documents (similarity 0-1, word diff in wdiff notation: \
             [-only in the earlier text-] {+only in this one+}) and the chain back to the \
             first appearance of the language.",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn earlier_wording(
        &self,
        Parameters(args): Parameters<ParagraphArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
            let id = self.paragraph_id(&args).await?;
            let earlier = crate::earlier::earlier_wording(&self.state, &id).await?;
            let list: Vec<Value> = earlier
                .earlier
                .iter()
                .map(|e| {
                    json!({
                        "id": e.id,
                        "citation": e.citation,
                        "url": e.url,
                        "date": e.date,
                        "similarity": (e.score * 1000.0).round() / 1000.0,
                        "diff": diff_text(&e.diff),
                    })
                })
                .collect();
            Ok(CallToolResult::structured(json!({
                "id": earlier.id,
                "citation": earlier.citation,
                "earlier": list,
                "chain": earlier.chain,
            })))
        })
        .await
    }

    #[tool(
        description = concat!(
            "Count the paragraphs matching a query (and filters) by year of issue, by organ \
             (by: \"body\") or by document: how often a subject comes up over time. Returns \
             the total and one point per year, organ or document.",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn trend(
        &self,
        Parameters(args): Parameters<TrendArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
            check_len("query", &args.query)?;
            let by = crate::trends::dimension(args.by.as_deref())?;
            let params = search_params(&args.query, &args.filters);
            let series = crate::trends::trend_series(&self.state, &params, by).await?;
            let body = crate::trends::TrendJson {
                q: args.query,
                by,
                total: series.total(),
                points: series.points,
            };
            Ok(CallToolResult::structured(
                serde_json::to_value(&body).unwrap_or(Value::Null),
            ))
        })
        .await
    }

    #[tool(
        description = concat!(
            "A citation list of the paragraphs matching a query (in result order) or of \
             chosen paragraph ids, in one of the formats of /api/export: \"text\" (UN-style \
             citations), \"csl-json\", \"ris\", \"bibtex\" or \"csv\"; at most 500 \
             paragraphs. With `in_language` (\"fr\"), each paragraph in its version in that \
             official language when the index holds one; the others are named at the end. \
             Returns the file's text.",
            citation_rule!()
        ),
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn export_citations(
        &self,
        Parameters(args): Parameters<ExportArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        answer(async move {
        let format: ExportFormat = match args
            .format
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .unwrap_or("text")
            .parse()
        {
            Ok(ExportFormat::Docx) => {
                return Err(tool_error(
                    "docx is a binary format: use text, csl-json, ris, bibtex or csv (or GET /api/export?format=docx)",
                ).into());
            }
            Ok(f) => f,
            Err(e) => return Err(tool_error(e.to_string()).into()),
        };
        let options = ExportOptions {
            base_url: String::new(),
            quote_text: false,
        };
        let ids: Vec<String> = args
            .ids
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let query = args.query.unwrap_or_default();
        if ids.is_empty() {
            check_len("query", &query)?;
        } else if ids.len() > MAX_EXPORT_ROWS {
            return Err(tool_error(format!(
                "{} ids given; at most {MAX_EXPORT_ROWS}",
                ids.len()
            ))
            .into());
        } else {
            for id in &ids {
                check_len("id", id)?;
            }
        }
        let search = search_params(&query, &args.filters);
        let language = crate::export::export_language(args.in_language.as_deref())
            .map_err(|e| tool_error(e.status_and_code().2))?;
        let exported =
            crate::export::export(&self.state, ids, &search, format, options, language).await?;
        let mut text = String::from_utf8_lossy(&exported.bytes).into_owned();
        if let Some(language) = &exported.language {
            let missing = &exported.not_in_language;
            if !missing.is_empty() {
                let (n, s) = (missing.len(), if missing.len() == 1 { "" } else { "s" });
                let _ = write!(
                    text,
                    "\n[{n} paragraph{s} without a {language} version in the index, exported as found: {}]",
                    missing.join(", ")
                );
            }
            if exported.merged > 0 {
                let _ = write!(
                    text,
                    "\n[{} rows left out: the same paragraph was already exported (matched in several languages)]",
                    exported.merged
                );
            }
        }
        if exported.truncated() {
            let _ = write!(
                text,
                "\n[the first {} of {} matching paragraphs; narrow the query for the rest]",
                exported.rows, exported.total
            );
        }
        Ok(CallToolResult::success(vec![ContentBlock::text(text)]))
        })
        .await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for UndexMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("undex", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// Serves the tools over standard input and output (JSON-RPC lines) until the client closes
/// the connection. Logs must go to standard error: standard output carries the protocol.
///
/// # Errors
/// The MCP handshake fails or the connection breaks (as `std::io::Error`).
pub async fn serve_stdio(state: AppState) -> std::io::Result<()> {
    let running = UndexMcp::new(state)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| std::io::Error::other(format!("mcp: {e}")))?;
    running
        .waiting()
        .await
        .map_err(|e| std::io::Error::other(format!("mcp: {e}")))?;
    Ok(())
}

/// The Streamable HTTP service of the tools, mounted at `/mcp` by [`crate::router`]:
/// stateless (no session is kept between requests), answering JSON, accepting only
/// loopback `Host` names (`localhost`, `127.0.0.1`, `::1`: rmcp's protection against DNS
/// rebinding) and request bodies of at most 64 KiB.
#[must_use]
pub fn http_service(state: AppState) -> StreamableHttpService<UndexMcp, LocalSessionManager> {
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None)
        .with_max_request_body_bytes(64 * 1024);
    StreamableHttpService::new(
        move || Ok(UndexMcp::new(state.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    )
}
