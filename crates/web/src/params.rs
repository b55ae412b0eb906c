//! Query-string parameters of the search page and `/api/search`, and their extractor.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use undex_index::{Filters, SearchRequest};

use crate::ApiError;

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
        Some("true" | "1" | "yes") => Ok(Some(true)),
        Some("false" | "0" | "no") => Ok(Some(false)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "{other:?} is not a boolean (true or false)"
        ))),
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
    /// R2P pillar: `I`, `II` or `III`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pillar: Option<String>,
    /// Risk factor of the Framework of Analysis for Atrocity Crimes, 1–14 (other numbers up to
    /// 255 match nothing; larger ones are a 400 `bad_request`).
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    pub risk: Option<u8>,
    /// Recommendations only (`true`) or non-recommendations (`false`); also `1`/`0`,
    /// `yes`/`no`.
    #[serde(
        default,
        deserialize_with = "opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub rec: Option<bool>,
    /// Organ, as in the `body` facet ("Security Council").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Document type, as in the `doc_type` facet ("report").
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Language, ISO 639-1 ("en", "fr").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Addressee of recommendations, as in the `addressee` facet ("Member States").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<String>,
    /// Atrocity crime named: "genocide", "war crimes", "crimes against humanity", "ethnic
    /// cleansing".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crime: Option<String>,
    /// Country mentioned, ISO 3166-1 alpha-3 ("SDN").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Document symbol: only the paragraphs of that document ("A/79/875").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// A UN document symbol the paragraphs cite ("A/67/929").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited: Option<String>,
    /// Page, from 1 (the default); `page=0` is a 400 `bad_request`, and so is a page ending
    /// past the 10,000th hit (`page × per_page` > 10,000).
    #[serde(
        default,
        deserialize_with = "opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    #[param(minimum = 1, default = 1)]
    pub page: Option<usize>,
    /// Hits per page, 1–100 (default 20); another value is a 400 `bad_request`.
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
    /// `as_typed=true` searches the words as typed; a comma list of parameters (`rec,year`)
    /// keeps only those phrases from being read as filters (see [`crate::understand`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_typed: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl SearchParams {
    /// The page (from 1) and page size, validated.
    ///
    /// # Errors
    /// [`ApiError::BadRequest`] for `page=0`, `per_page=0` or `per_page` over 100.
    pub fn page(&self) -> Result<(usize, usize), ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 {
            return Err(ApiError::BadRequest("page starts at 1".into()));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(ApiError::BadRequest(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        Ok((page, per_page))
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
                "rec" => p.rec = Some(true),
                "addressee" => p.addressee = Some(u.value),
                "risk" => p.risk = u.value.parse().ok(),
                "pillar" => p.pillar = Some(u.value),
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
    /// [`undex_index::limits::MAX_RESULT_WINDOW`] (`page=20000000&per_page=100`).
    pub fn to_request(&self) -> Result<SearchRequest, ApiError> {
        let (page, per_page) = self.page()?;
        let offset = (page - 1)
            .checked_mul(per_page)
            .ok_or_else(|| ApiError::BadRequest("page is too large".into()))?;
        undex_index::limits::check_window(offset, per_page).map_err(ApiError::from)?;
        let (p, rank) = self.read_as_filters();
        Ok(SearchRequest {
            q: p.q.clone().unwrap_or_default(),
            filters: Filters {
                year: p.year,
                year_from: p.from,
                year_to: p.to,
                body: non_empty(&p.body),
                doc_type: non_empty(&p.doc_type),
                language: non_empty(&p.lang),
                pillar: non_empty(&p.pillar),
                risk_factor: p.risk,
                recommendation: p.rec,
                addressee: non_empty(&p.addressee),
                crime: non_empty(&p.crime),
                country: non_empty(&p.country),
                symbol: non_empty(&p.symbol),
                doc_id: None,
                cited: non_empty(&p.cited),
            },
            offset,
            limit: per_page,
            rank,
            skip_facets: self.facets == Some(false),
        })
    }

    /// The URL parameter a facet (named as in `undex_index::FACETS`) filters on.
    #[must_use]
    pub fn facet_param(facet: &str) -> &'static str {
        match facet {
            "year" => "year",
            "body" => "body",
            "doc_type" => "type",
            "language" => "lang",
            "pillar" => "pillar",
            "risk_factor" => "risk",
            "recommendation" => "rec",
            "addressee" => "addressee",
            "crime" => "crime",
            "country" => "country",
            "cited" => "cited",
            _ => "q",
        }
    }

    /// The current value of URL parameter `param`, as text.
    #[must_use]
    pub fn get(&self, param: &str) -> Option<String> {
        match param {
            "q" => non_empty(&self.q),
            "year" => self.year.map(|v| v.to_string()),
            "from" => self.from.map(|v| v.to_string()),
            "to" => self.to.map(|v| v.to_string()),
            "pillar" => non_empty(&self.pillar),
            "risk" => self.risk.map(|v| v.to_string()),
            "rec" => self.rec.map(|v| v.to_string()),
            "body" => non_empty(&self.body),
            "type" => non_empty(&self.doc_type),
            "lang" => non_empty(&self.lang),
            "addressee" => non_empty(&self.addressee),
            "crime" => non_empty(&self.crime),
            "country" => non_empty(&self.country),
            "symbol" => non_empty(&self.symbol),
            "cited" => non_empty(&self.cited),
            "as_typed" => non_empty(&self.as_typed),
            "page" => self.page.map(|v| v.to_string()),
            "per_page" => self.per_page.map(|v| v.to_string()),
            _ => None,
        }
    }

    /// Every set parameter, in a fixed order, as (name, value) pairs.
    #[must_use]
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        const NAMES: [&str; 18] = [
            "q",
            "year",
            "from",
            "to",
            "pillar",
            "risk",
            "rec",
            "body",
            "type",
            "lang",
            "addressee",
            "crime",
            "country",
            "symbol",
            "cited",
            "as_typed",
            "page",
            "per_page",
        ];
        NAMES
            .iter()
            .filter_map(|n| self.get(n).map(|v| (*n, v)))
            .collect()
    }

    /// The search-page URL with `param` set to `value` (or removed when `None`); the page is
    /// reset to 1 unless `param` is `page`.
    #[must_use]
    pub fn url_with(&self, param: &str, value: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .pairs()
            .into_iter()
            .filter(|(n, _)| *n != param && (param == "page" || *n != "page"))
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
