//! Interface languages of the HTML pages (issue #12): English and French, from Fluent
//! messages (`crates/web/locales/{en,fr}/main.ftl`, embedded at compile time by
//! `fluent_templates::static_loader!`).
//!
//! The reader picks the language ([`Ui`], an extractor every page handler takes), first
//! match wins:
//! 1. the `ui` URL parameter (`?ui=fr`, `?ui=en`; any other non-empty value is English), which
//!    the search page keeps in the links it builds;
//! 2. the `undex_ui` cookie, set by the language switch of the page frame (`/ui/{code}`);
//! 3. the `Accept-Language` header: the first supported language by preference (`fr-CH,
//!    fr;q=0.9` is French);
//! 4. English.
//!
//! Only the interface is translated: UN content (paragraph text, titles, symbols, citations)
//! stays as the document prints it, and the JSON API is language-neutral. A message missing
//! from the French file falls back to the English one; a facet title or label the Fluent files
//! lack falls back to the registry's English text ([`Ui::t_or`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use serde::Deserialize;

use crate::AppState;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would show in the page source
        // and change the English pages.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ENGLISH: LanguageIdentifier = langid!("en");
static FRENCH: LanguageIdentifier = langid!("fr");

/// The name of the cookie the language switch sets.
pub const COOKIE: &str = "undex_ui";

/// An interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every interface language, in the order of the language switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language's code (`en`, `fr`): the `ui` parameter, the cookie and `<html lang>`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's name in itself, for the switch ("English", "Français").
    #[must_use]
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// The `ui` parameter's language: French for `fr` (or `fr-…`), English for any other
    /// non-empty value; `None` when blank.
    #[must_use]
    pub fn from_param(value: &str) -> Option<Lang> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        Some(Self::from_tag(v).unwrap_or(Lang::En))
    }

    /// The supported language of a language tag (`fr`, `fr-CH`, `EN-gb`), if any.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality (ties in the
    /// header's order); `None` when it names neither English nor French.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, range)| {
                let mut parts = range.split(';');
                let lang = Lang::from_tag(parts.next()?)?;
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.first().map(|r| r.2)
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &ENGLISH,
            Lang::Fr => &FRENCH,
        }
    }
}

/// The interface of one request: its language, and the page's own URL without `ui` (for the
/// language switch). Taken by every HTML handler; never rejects.
#[derive(Debug, Clone, Default)]
pub struct Ui {
    /// The chosen language.
    pub lang: Lang,
    /// Path and query of the page, `ui` left out.
    here: String,
}

/// The `ui` pair of a query string, and the other pairs.
fn split_query(query: Option<&str>) -> (Option<String>, Vec<(String, String)>) {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let mut ui = None;
    let rest = pairs
        .into_iter()
        .filter(|(k, v)| {
            if k == "ui" {
                ui = Some(v.clone());
                false
            } else {
                true
            }
        })
        .collect();
    (ui, rest)
}

/// The language the cookie names, if it names one.
fn cookie_lang(parts: &Parts) -> Option<Lang> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Lang::from_tag(value.trim_matches('"')))
}

impl Ui {
    /// The interface of a request: `ui` parameter, cookie, `Accept-Language`, English.
    #[must_use]
    pub fn from_parts(parts: &Parts) -> Ui {
        let (ui, rest) = split_query(parts.uri.query());
        let lang = ui
            .as_deref()
            .and_then(Lang::from_param)
            .or_else(|| cookie_lang(parts))
            .or_else(|| {
                parts
                    .headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default();
        let qs = serde_urlencoded::to_string(&rest).unwrap_or_default();
        let path = parts.uri.path();
        let here = if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        };
        Ui { lang, here }
    }

    /// An interface in `lang` for the page at `here` (path and query).
    #[must_use]
    pub fn new(lang: Lang, here: &str) -> Ui {
        Ui {
            lang,
            here: here.to_string(),
        }
    }

    /// The `lang` attribute of the page.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The link of the language switch to `lang`: sets the cookie, back to this page.
    #[must_use]
    pub fn switch_url(&self, lang: Lang) -> String {
        let next = serde_urlencoded::to_string([("next", &self.here)]).unwrap_or_default();
        format!("/ui/{}?{next}", lang.code())
    }

    /// Message `id` in the page's language (English when French lacks it; the id itself,
    /// logged, when both lack it).
    #[must_use]
    pub fn t(&self, id: &str) -> String {
        self.lookup(id, None).unwrap_or_else(|| missing(id))
    }

    /// Message `id` with its arguments (numbers as numbers, for plural forms).
    #[must_use]
    pub fn args(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.lookup(id, Some(&fluent_args(args)))
            .unwrap_or_else(|| missing(id))
    }

    /// Message `id` when a Fluent file has it, else `fallback` (the registry's English text
    /// for facets the files do not name).
    #[must_use]
    pub fn t_or(&self, id: &str, fallback: &str) -> String {
        self.lookup(id, None)
            .unwrap_or_else(|| fallback.to_string())
    }

    /// Whether message `id` formats without error with `args` in the page's language itself
    /// (no fallback to English).
    #[must_use]
    pub fn resolves_own(&self, id: &str, args: &[(&str, Arg<'_>)]) -> bool {
        LOCALES
            .lookup_single_language(self.lang.langid(), id, Some(&fluent_args(args)))
            .is_ok()
    }

    fn lookup(
        &self,
        id: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>,
    ) -> Option<String> {
        LOCALES.try_lookup_complete(self.lang.langid(), id, args)
    }

    /// A date of issue (ISO 8601) as the page prints it: "3 February 2010" in English
    /// ([`undex_core::citation::human_date`]), "3 février 2010" (and "1er mars") in French;
    /// anything else as given.
    #[must_use]
    pub fn date(&self, iso: &str) -> String {
        if self.lang == Lang::En {
            return undex_core::citation::human_date(iso);
        }
        let parts: Vec<&str> = iso.split('-').collect();
        if let [y, m, d] = parts[..]
            && let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>())
            && (1..=12).contains(&m)
        {
            let month = self.t(&format!("month-{m}"));
            let day = if d == 1 {
                self.t("day-first")
            } else {
                d.to_string()
            };
            return format!("{day} {month} {y}");
        }
        iso.to_string()
    }
}

/// Fluent's arguments.
fn fluent_args(args: &[(&str, Arg<'_>)]) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Str(s) => FluentValue::from(s.to_string()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned(name.to_string()), value)
        })
        .collect()
}

/// An argument of a message.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text, inserted as is.
    Str(&'a str),
    /// A number (plural forms select on it).
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

impl From<usize> for Arg<'_> {
    #[allow(clippy::cast_precision_loss)]
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<u8> for Arg<'_> {
    fn from(n: u8) -> Self {
        Arg::Num(f64::from(n))
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(f64::from(n))
    }
}

fn missing(id: &str) -> String {
    tracing::warn!(id, "no Fluent message");
    id.to_string()
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Ui::from_parts(parts))
    }
}

/// The route of the language switch.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/ui/{code}", get(switch))
}

#[derive(Debug, Default, Deserialize)]
struct SwitchQuery {
    next: Option<String>,
}

/// `GET /ui/{code}?next=/path`: remembers the language in the cookie (a year) and goes back
/// to `next` (a path of this site; the search page otherwise) in that language. An unknown
/// code is English.
async fn switch(Path(code): Path<String>, Query(query): Query<SwitchQuery>) -> Response {
    let lang = Lang::from_param(&code).unwrap_or_default();
    let next = query
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_string());
    let (path, query) = next.split_once('?').unwrap_or((&next, ""));
    let (_, mut rest) = split_query(Some(query));
    rest.push(("ui".to_string(), lang.code().to_string()));
    let qs = serde_urlencoded::to_string(&rest).unwrap_or_default();
    let mut res = Redirect::to(&format!("{path}?{qs}")).into_response();
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::{Lang, Ui};

    #[test]
    fn accept_language_picks_the_first_supported_language_by_quality() {
        let pick = Lang::from_accept_language;
        assert_eq!(pick("fr-CH, fr;q=0.9, en;q=0.8"), Some(Lang::Fr));
        assert_eq!(pick("de-DE, en;q=0.5, fr;q=0.7"), Some(Lang::Fr));
        assert_eq!(pick("en-US,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(pick("fr;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(pick("de, es"), None);
        assert_eq!(pick(""), None);
    }

    #[test]
    fn ui_parameter_values() {
        assert_eq!(Lang::from_param("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_param(" FR-ca "), Some(Lang::Fr));
        assert_eq!(Lang::from_param("en"), Some(Lang::En));
        assert_eq!(Lang::from_param("klingon"), Some(Lang::En));
        assert_eq!(Lang::from_param(""), None);
    }

    #[test]
    fn french_dates() {
        let fr = Ui::new(Lang::Fr, "/");
        assert_eq!(fr.date("2010-02-03"), "3 février 2010");
        assert_eq!(fr.date("2025-03-01"), "1er mars 2025");
        assert_eq!(fr.date("2025"), "2025");
        let en = Ui::new(Lang::En, "/");
        assert_eq!(en.date("2010-02-03"), "3 February 2010");
    }

    #[test]
    fn a_message_missing_in_french_falls_back_to_english_then_to_the_given_text() {
        let fr = Ui::new(Lang::Fr, "/");
        // A message only the English file holds (kept out of the French one on purpose).
        assert_eq!(
            fr.t("fallback-probe"),
            Ui::new(Lang::En, "/").t("fallback-probe")
        );
        assert_eq!(
            fr.t_or("facet-no-such-facet", "Registry title"),
            "Registry title"
        );
        assert_eq!(fr.t("no-such-message"), "no-such-message");
        assert_eq!(fr.t_or("facet-pillar", "Pillar"), "Pilier");
    }
}
