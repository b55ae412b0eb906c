//! Trends of a search:
//! - `GET /api/trends?q=…&<filters>&by=year|body|document&format=json|csv|svg` — counts of the
//!   matching rows, from the index's fast columns (no row is read, except one per document
//!   for `by=document`; [`LibraryReader::trend`]).
//! - `GET /trends?q=…&<filters>&by=…` — HTML page: the chart inline, a link to the CSV and the
//!   first appearance of the search: the earliest of the rows the chart counts
//!   ([`LibraryReader::first_appearance`]).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{PreEscaped, html};
use serde::{Deserialize, Serialize};
use undex_analysis::{TrendDimension, TrendPoint, TrendSeries, permalink};
use undex_core::ParagraphRow;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::error::analysis_error;
use crate::i18n::{Lang, Ui};
use crate::links::citation_of;
use crate::params::{Params, SearchParams, query_string, selection};
use crate::views::{HtmlError, layout};
use crate::{ApiError, AppState};

/// Size of the trend chart, in pixels.
const CHART_SIZE: (u32, u32) = (800, 400);

/// The routes of the trends resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/trends", get(trends_handler))
        .route("/trends", get(trends_page))
}

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
fn chart_title(ui: &Ui, q: &str, by: TrendDimension) -> String {
    let q: String = q
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&' | '"' | '\''))
        .collect();
    let q = q.trim();
    let dimension = ui.t(&format!("trend-dimension-{}", by.as_str()));
    if q.is_empty() {
        ui.args("trend-chart", &[("by", (&dimension).into())])
    } else {
        ui.args(
            "trend-chart-query",
            &[("q", q.into()), ("by", (&dimension).into())],
        )
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
            let bytes = series.to_csv().map_err(analysis_error)?;
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
                // The JSON API is language-neutral: its chart is titled in English.
                .to_svg(
                    &chart_title(&Ui::default(), &q, by),
                    CHART_SIZE.0,
                    CHART_SIZE.1,
                )
                .map_err(analysis_error)?;
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

async fn trends_page(
    State(state): State<AppState>,
    ui: Ui,
    Params(search): Params<SearchParams>,
    Params(extra): Params<TrendQuery>,
) -> Result<Response, HtmlError> {
    let by = dimension(extra.by.as_deref())?;
    let series = trend_series(&state, &search, by).await?;
    let q = search.q.clone().unwrap_or_default();
    let first = first_appearance_of(&state, &search).await?;
    let title = chart_title(&ui, &q, by);
    let (series, svg) = tokio::task::spawn_blocking(move || {
        let svg = series.to_svg(&title, CHART_SIZE.0, CHART_SIZE.1);
        (series, svg)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("trend task failed: {e}")))?;
    let svg = svg.map_err(analysis_error)?;
    let csv_url = format!(
        "/api/trends?{}",
        query_string(&search, &[("by", by.as_str()), ("format", "csv")])
    );
    let search_url = format!("/?{}", query_string(&search, &[]));
    let total = usize::try_from(series.total()).unwrap_or(usize::MAX);
    let body = html! {
        h1 { (ui.t("trend-title")) @if !q.trim().is_empty() { (ui.t("title-separator")) q { (q) } } }
        form.trend action="/trends" method="get" {
            input type="search" name="q" value=(q) aria-label=(ui.t("trend-query"));
            select name="by" aria-label=(ui.t("trend-count-by")) {
                @for d in [TrendDimension::Year, TrendDimension::Body, TrendDimension::Document] {
                    option value=(d.as_str()) selected[d == by] { (ui.t(&format!("trend-by-{}", d.as_str()))) }
                }
            }
            // The language chosen by the URL is kept.
            @if let Some(code) = &search.ui { input type="hidden" name="ui" value=(code); }
            button type="submit" { (ui.t("trend-show")) }
        }
        p { (ui.args("trend-total", &[("total", total.into())])) " "
            a href=(csv_url) { (ui.t("trend-csv")) } " · "
            a href=(search_url) { (ui.t("trend-see")) } }
        figure.chart { (PreEscaped(svg)) }
        @if !q.trim().is_empty() {
            section.first-appearance {
                h2 { (ui.t("trend-first")) }
                @match &first {
                    Some(row) => p {
                        (ui.t("trend-earliest")) " "
                        a href=(permalink("", &row.id)) { (citation_of(row)) }
                        @if let Some(d) = &row.date {
                            " (" time datetime=(d) { @if ui.lang == Lang::En { (d) } @else { (ui.date(d)) } } ")"
                        }
                    },
                    None => p { (ui.t("summary-none")) },
                }
            }
        }
    };
    Ok(layout(&ui, &ui.t("trend-title"), true, body).into_response())
}
