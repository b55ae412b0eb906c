//! Query-string parameters of the search page and `/api/search`, and their extractor.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

use undex_index::registry::ValueKind;
use undex_index::{Filters, SearchRequest, Selection};

use crate::ApiError;

pub use undex_library::languages::MAX_GROUPED_PER_PAGE;
use undex_library::languages::QueryLanguage;

/// Default hits per page.
pub const DEFAULT_PER_PAGE: usize = 20;
/// Largest `per_page` accepted.
pub const MAX_PER_PAGE: usize = 100;

/// `Query<T>` whose rejection is an [`ApiError::BadRequest`] (400 JSON), not axum's plain text.
#[derive(Debug, Clone)]
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Params(v))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// `Path<T>` whose rejection (a segment that is not UTF-8 once percent-decoded, `%FF`) is an
/// [`ApiError::BadRequest`] (400 JSON), not axum's plain text.
#[derive(Debug, Clone)]
pub struct PathParam<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParam<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| PathParam(v))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// Parses an optional number, treating an empty value (`year=`) as absent.
fn opt_num<'de, D, N>(d: D) -> Result<Option<N>, D::Error>
where
    D: Deserializer<'de>,
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("{s:?}: {e}"))),
    }
}

/// Parses an optional boolean: `true`/`false`/`1`/`0`/`yes`/`no`; empty is absent.
fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_bool(s).map(Some).map_err(serde::de::Error::custom),
    }
}

/// A URL boolean: `true`/`false`, `1`/`0`, `yes`/`no`.
fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        other => Err(format!("{other:?} is not a boolean (true or false)")),
    }
}

/// The search state, as it appears in the URL (`/?q=veto&pillar=III&page=2`). An empty value
/// (`year=`) is the same as an absent one; a number or boolean that does not parse is a 400
/// `bad_request` naming it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Query in the undex query language (README, "Search syntax"): words all required
    /// (stemmed), `"phrases"`, `OR`, `NOT` / `-word`, parentheses, field filters
    /// (`pillar:III`, `year:[2020 TO 2025]`, `symbol:"A/79/875"`). Empty or absent: every
    /// paragraph passing the filters, in document order. At most 2,000 bytes, parentheses
    /// nested at most 16 deep, at most 128 operators; a query over a limit or that does not
    /// parse is a 400 `invalid_query`.
    #[serde(default)]
    #[param(example = "veto restraint")]
    pub q: Option<String>,
    /// Year of issue (`2025`).
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    pub year: Option<i32>,
    /// First year of issue, inclusive.
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<i32>,
    /// Last year of issue, inclusive.
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<i32>,
    /// Keyword filters, one URL parameter per entry of [`undex_index::FACETS`] (`pillar=III`,
    /// `risk=7`, `rec=true`, `body=…`, `type=report`, `lang=fr`, `addressee=…`, `verb=…`,
    /// `crime=…`, `country=SDN`, `cited=A/67/929`, `symbol=A/79/875`, `kind=…`). The OpenAPI
    /// document describes each from its registry entry ([`crate::openapi`]).
    #[serde(flatten)]
    #[param(ignore)]
    pub filters: FilterParams,
    /// Page, from 1 (the default); `page=0` is a 400 `bad_request`, and so is a page ending
    /// past the 10,000th hit (`page × per_page` > 10,000).
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(minimum = 1, default = 1)]
    pub page: Option<usize>,
    /// Hits per page, 1–100 (default 20; 1–50 with `versions=grouped`); another value is a
    /// 400 `bad_request`.
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<usize>,
    /// `facets=false` skips the facet counts (`/api/search` callers that show none save
    /// their cost); facets are counted by default.
    #[serde(
        default,
        deserialize_with = "opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(default = true)]
    pub facets: Option<bool>,
    /// How many matching paragraphs the facet counts are taken over: absent, about 3,000 on
    /// an index of more than 20,000 paragraphs and every match on a smaller one; a number
    /// (at least 1), at most that many in each segment of the index. Past it the counts are
    /// estimated from a uniform sample of the matches and `facets_approximate` is true; a
    /// number at least the search's `total` counts every match exactly, at a cost in
    /// proportion to the matches. 0 is a 400 `bad_request`.
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(minimum = 1)]
    pub facet_rows: Option<usize>,
    /// `as_typed=true` searches the words as typed; a comma list of parameters (`rec,year`)
    /// keeps only those phrases from being read as filters (see [`crate::understand`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_typed: Option<String>,
    /// `versions=grouped`: one hit per aligned paragraph across the languages the index
    /// holds, its other language versions listed under it (`versions` of each hit), led by
    /// its version in the query's language (`qlang`, else detected) when it has one, else by
    /// its best-ranked version; `total` then counts paragraphs, not language versions, among
    /// at most 2,000 hits (`grouping` says how many rows were read), and `per_page` is at
    /// most 50. `versions=all` (the default) lists each language version as a hit of its
    /// own. Any other value is a 400 `bad_request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(example = "grouped")]
    pub versions: Option<String>,
    /// The language of the query, chosen: `ar`, `zh`, `en`, `fr`, `ru` or `es` (any other
    /// value is a 400 `bad_request`). When absent it is detected from the words, only when
    /// the detection is confident (`query_language` of the answer says which). It chooses
    /// the version leading a grouped hit; it does not filter (`lang=fr` does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[param(example = "fr")]
    pub qlang: Option<String>,
    /// Interface language of the HTML pages (`ui=fr`, `ui=en`; any other value is English,
    /// never an error): kept in the links the search page builds, never a filter, and
    /// ignored by the JSON API (see `crate::i18n`).
    #[serde(
        default,
        deserialize_with = "opt_ui",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(ignore)]
    pub ui: Option<String>,
}

/// Parses the `ui` parameter: `fr` (or `fr-…`) is French, any other non-empty value English;
/// empty is absent. Never an error.
fn opt_ui<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .as_deref()
        .and_then(crate::i18n::Lang::from_param)
        .map(|l| l.code().to_string()))
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl SearchParams {
    /// No search, in the interface of `ui`: links from other pages to the search keep a
    /// language other than English (`ui=fr`).
    #[must_use]
    pub fn for_ui(ui: &crate::i18n::Ui) -> SearchParams {
        SearchParams {
            ui: (ui.lang != crate::i18n::Lang::En).then(|| ui.code().to_string()),
            ..SearchParams::default()
        }
    }

    /// The page (from 1) and page size, validated.
    ///
    /// # Errors
    /// [`ApiError::BadRequest`] for `page=0`, `per_page=0`, `per_page` over 100 (over
    /// [`MAX_GROUPED_PER_PAGE`] with `versions=grouped`), or a `versions` value
    /// [`grouped`](Self::grouped) refuses.
    pub fn page(&self) -> Result<(usize, usize), ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let max = if self.grouped()? {
            MAX_GROUPED_PER_PAGE
        } else {
            MAX_PER_PAGE
        };
        if page == 0 {
            return Err(ApiError::BadRequest("page starts at 1".into()));
        }
        if per_page == 0 || per_page > max {
            let grouped = if max == MAX_PER_PAGE {
                ""
            } else {
                " with versions=grouped"
            };
            return Err(ApiError::BadRequest(format!(
                "per_page must be between 1 and {max}{grouped}"
            )));
        }
        Ok((page, per_page))
    }

    /// True for `versions=grouped` (one hit per aligned paragraph); false for
    /// `versions=all`, blank or absent.
    ///
    /// # Errors
    /// [`ApiError::BadRequest`] for any other value.
    pub fn grouped(&self) -> Result<bool, ApiError> {
        match self.versions.as_deref().map(str::trim) {
            None | Some("" | "all") => Ok(false),
            Some("grouped") => Ok(true),
            Some(other) => Err(ApiError::BadRequest(format!(
                "versions={other:?}: use \"grouped\" (one hit per aligned paragraph) or \"all\""
            ))),
        }
    }

    /// The language of the query: `qlang` when given, else detected from `q` when the
    /// detection is confident ([`undex_library::languages::query_language`]); `None` when
    /// neither.
    ///
    /// # Errors
    /// [`ApiError::BadRequest`] for a `qlang` that is not an official language.
    pub fn query_language(&self) -> Result<Option<QueryLanguage>, ApiError> {
        undex_library::languages::query_language(
            self.q.as_deref().unwrap_or_default(),
            self.qlang.as_deref(),
        )
        .map_err(|e| ApiError::BadRequest(format!("qlang: {e}")))
    }

    /// What the query was read as ([`crate::understand::read`]), `None` when it is searched as
    /// typed. Parameters set explicitly are not read from the words.
    #[must_use]
    pub fn reading(&self) -> Option<crate::understand::Reading> {
        let q = non_empty(&self.q)?;
        let skip: Vec<&str> = self
            .as_typed
            .as_deref()
            .map(|s| s.split(',').map(str::trim).collect())
            .unwrap_or_default();
        let set: Vec<&str> = ["rec", "addressee", "risk", "pillar", "year", "from", "to"]
            .into_iter()
            .filter(|p| self.get(p).is_some())
            .collect();
        crate::understand::read(&q, &skip, &set)
    }

    /// These parameters with the filters read from the query applied, the query cut to the
    /// words left, and the words to rank by (see [`crate::understand`]).
    fn read_as_filters(&self) -> (SearchParams, String) {
        let Some(reading) = self.reading() else {
            return (self.clone(), String::new());
        };
        let mut p = self.clone();
        p.q = Some(reading.rest);
        for u in reading.parts {
            let n = u.value.parse::<i32>().ok();
            match u.param {
                "rec" => p.filters.set("rec", "true"),
                "addressee" | "risk" | "pillar" => p.filters.set(u.param, &u.value),
                "year" => p.year = n,
                "from" => p.from = n,
                "to" => p.to = n,
                _ => {}
            }
        }
        (p, reading.rank)
    }

    /// The index request for these parameters.
    ///
    /// # Errors
    /// As [`SearchParams::page`], and [`ApiError::BadRequest`] when the page ends past
    /// [`undex_index::limits::MAX_RESULT_WINDOW`] (`page=20000000&per_page=100`) or for
    /// `facet_rows=0`.
    pub fn to_request(&self) -> Result<SearchRequest, ApiError> {
        let (page, per_page) = self.page()?;
        let offset = (page - 1)
            .checked_mul(per_page)
            .ok_or_else(|| ApiError::BadRequest("page is too large".into()))?;
        undex_index::limits::check_window(offset, per_page).map_err(ApiError::from)?;
        if self.facet_rows == Some(0) {
            return Err(ApiError::BadRequest("facet_rows must be at least 1".into()));
        }
        let (p, rank) = self.read_as_filters();
        Ok(SearchRequest {
            q: p.q.clone().unwrap_or_default(),
            filters: Filters {
                year: p.year,
                year_from: p.from,
                year_to: p.to,
                doc_id: None,
                keywords: p.filters.by_facet_name(),
            },
            offset,
            limit: per_page,
            rank,
            skip_facets: self.facets == Some(false),
            // Neither the results page nor the search API shows evidence (a paragraph's page
            // reads its row whole).
            skip_evidence: true,
            facet_rows: self.facet_rows,
        })
    }

    /// The URL parameter a facet (named as in `undex_index::FACETS`) filters on.
    #[must_use]
    pub fn facet_param(facet: &str) -> &'static str {
        undex_index::registry::by_name(facet).map_or("q", |f| f.param)
    }

    /// The current value of URL parameter `param`, as text.
    #[must_use]
    pub fn get(&self, param: &str) -> Option<String> {
        match param {
            "q" => non_empty(&self.q),
            "year" => self.year.map(|v| v.to_string()),
            "from" => self.from.map(|v| v.to_string()),
            "to" => self.to.map(|v| v.to_string()),
            "as_typed" => non_empty(&self.as_typed),
            "versions" => non_empty(&self.versions),
            "qlang" => non_empty(&self.qlang),
            "page" => self.page.map(|v| v.to_string()),
            "per_page" => self.per_page.map(|v| v.to_string()),
            "ui" => self.ui.clone(),
            other => self.filters.get(other).map(str::to_string),
        }
    }

    /// Every set parameter, in a fixed order, as (name, value) pairs.
    #[must_use]
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let keywords = undex_index::registry::keywords().map(|f| f.param);
        ["q", "year", "from", "to"]
            .into_iter()
            .chain(keywords)
            .chain(["as_typed", "versions", "qlang", "page", "per_page", "ui"])
            .filter_map(|n| self.get(n).map(|v| (n, v)))
            .collect()
    }

    /// The search-page URL with `param` set to `value` (or removed when `None`); the page is
    /// reset to 1 unless `param` is `page` or `facet_rows` (the facets' sample leaves the
    /// hits as they are). `facet_rows` is not among [`SearchParams::pairs`]: a link sets it
    /// for one page, and the next search samples again.
    #[must_use]
    pub fn url_with(&self, param: &str, value: Option<&str>) -> String {
        let keeps_page = matches!(param, "page" | "facet_rows");
        let mut pairs: Vec<(&str, String)> = self
            .pairs()
            .into_iter()
            .filter(|(n, _)| *n != param && (keeps_page || *n != "page"))
            .collect();
        if let Some(v) = value {
            pairs.push((param, v.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() {
            "/".to_string()
        } else {
            format!("/?{qs}")
        }
    }
}

/// The keyword filters of a search, by URL parameter (`risk` → "7"), as given: one entry per
/// facet of [`undex_index::FACETS`] other than the year (whose `year`, `from` and `to` are
/// fields of [`SearchParams`]). Deserialising keeps only those parameters, drops blank values,
/// and checks each value against its facet's [`ValueKind`]: a number over its maximum or a
/// boolean that does not parse is an error naming the parameter (a 400 `bad_request`).
/// Booleans are kept as `true` / `false`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct FilterParams(BTreeMap<String, String>);

impl FilterParams {
    /// The value of URL parameter `param`, when set.
    #[must_use]
    pub fn get(&self, param: &str) -> Option<&str> {
        self.0.get(param).map(String::as_str)
    }

    /// Sets URL parameter `param` (a [`undex_index::Facet::param`]) to `value`; a blank value
    /// removes it.
    pub fn set(&mut self, param: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            self.0.remove(param);
        } else {
            self.0.insert(param.to_string(), value.to_string());
        }
    }

    /// These filters keyed by facet name (`risk_factor` → "7"), as [`Filters::keywords`]
    /// takes them.
    #[must_use]
    pub fn by_facet_name(&self) -> BTreeMap<String, String> {
        self.0
            .iter()
            .filter_map(|(param, value)| {
                undex_index::registry::by_param(param).map(|f| (f.name.to_string(), value.clone()))
            })
            .collect()
    }
}

/// `value` as the facet takes it, or why it does not.
fn check_value(facet: &undex_index::Facet, value: &str) -> Result<String, String> {
    let param = facet.param;
    match facet.kind {
        ValueKind::Number { max } => match value.parse::<u64>() {
            Ok(n) if n <= u64::from(max) => Ok(n.to_string()),
            Ok(_) => Err(format!("{param}={value:?}: at most {max}")),
            Err(e) => Err(format!("{param}={value:?}: {e}")),
        },
        ValueKind::Bool => parse_bool(value)
            .map(|b| b.to_string())
            .map_err(|e| format!("{param}={e}")),
        ValueKind::Text | ValueKind::Year => Ok(value.to_string()),
    }
}

impl<'de> Deserialize<'de> for FilterParams {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = BTreeMap::<String, String>::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (param, value) in given {
            let Some(facet) =
                undex_index::registry::by_param(&param).filter(|f| f.kind != ValueKind::Year)
            else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let value = check_value(facet, value).map_err(serde::de::Error::custom)?;
            out.insert(param, value);
        }
        Ok(FilterParams(out))
    }
}

/// The rows `params` select (query and filters; paging is not part of a selection).
pub(crate) fn selection(params: &SearchParams) -> Result<Selection, ApiError> {
    let mut p = params.clone();
    p.page = None;
    p.per_page = None;
    Ok(Selection::from(&p.to_request()?))
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
