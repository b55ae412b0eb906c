//! What every HTML page shares (maud): the page frame ([`layout`]), errors as pages
//! ([`HtmlError`], the fallback [`not_found`]), and the small views several resources show:
//! tag chips, the non-UN badge, pinpoints, language and country names. Every page works
//! without JavaScript; `app.js` only adds the copy-citation button.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use undex_core::{ParagraphRow, risk_factor_name};

use crate::ApiError;
use crate::params::SearchParams;

/// An error rendered as an HTML page, with the status of [`ApiError::status_and_code`].
pub(crate) struct HtmlError(ApiError);

impl From<ApiError> for HtmlError {
    fn from(e: ApiError) -> Self {
        HtmlError(e)
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        let (status, _, message) = self.0.status_and_code();
        let title = if status == StatusCode::NOT_FOUND {
            "Not found"
        } else if status.is_client_error() {
            "Bad request"
        } else {
            "Something went wrong"
        };
        let body = html! {
            h1 { (title) }
            p.error { (message) }
            p { a href="/" { "Back to search" } }
        };
        (status, layout(title, true, body)).into_response()
    }
}

/// The page frame: header with the search box, content, footer.
pub(crate) fn layout(title: &str, mini_search: bool, content: Markup) -> Markup {
    layout_with_head(title, mini_search, html! {}, content)
}

/// [`layout`] with extra elements in `head` (`<link rel="alternate">`).
pub(crate) fn layout_with_head(
    title: &str,
    mini_search: bool,
    head_extra: Markup,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · undex" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
                (head_extra)
            }
            body {
                header.top {
                    a.brand href="/" { "undex" }
                    span.tagline { "UN reports, searchable by the paragraph" }
                    @if mini_search {
                        form.mini action="/" method="get" role="search" {
                            input type="search" name="q" aria-label="Search" placeholder="Search";
                        }
                    }
                }
                main { (content) }
                footer {
                    "Citations follow the UN Editorial Manual. Tags are machine-assigned, each with its evidence."
                }
            }
        }
    }
}

/// `rtl` for Arabic text, so that it renders right to left inside the English page.
pub(crate) fn text_dir(language: &str) -> Option<&'static str> {
    (language == "ar").then_some("rtl")
}

/// The English name of a country code as the UN writes it ("PSE" → "State of Palestine"); the
/// code itself when the tagger's table lacks it.
pub(crate) fn country_label(code: &str) -> &str {
    undex_tag::country_name(code.trim()).unwrap_or(code)
}

/// The English name of a language code, ISO 639-1 or 639-3 as the extractor writes them
/// ("fr" → "French", "slv" → "Slovenian"); the code itself when unknown.
pub(crate) fn language_label(code: &str) -> &str {
    let code = code.trim();
    let lower = code.to_ascii_lowercase();
    isolang::Language::from_639_1(&lower)
        .or_else(|| isolang::Language::from_639_3(&lower))
        .map_or(code, |l| l.to_name())
}

/// The tags of a row as chips, each a link to the search with that tag's filter added to
/// `search` (a result keeps the reader's words and filters; elsewhere `search` is empty).
pub(crate) fn chips(row: &ParagraphRow, search: &SearchParams) -> Markup {
    let link = |param: &str, value: &str| search.url_with(param, Some(value));
    html! {
        span.chips {
            @for p in &row.pillars {
                a.chip.pillar href=(link("pillar", p)) title={ "Pillar " (p) } { "Pillar " (p) }
            }
            @for r in &row.risk_factors {
                a.chip.risk href=(link("risk", &r.to_string())) title={ "Risk factor " (r) " of the UN Framework of Analysis for Atrocity Crimes (2014)" } {
                    "Risk factor " (r)
                    @if let Some(name) = risk_factor_name(*r) { ": " (name) }
                }
            }
            @if row.recommendation {
                a.chip.rec href=(link("rec", "true")) { "Recommendation" }
                @for a in &row.addressees {
                    a.chip.addressee href=(link("addressee", a)) { "→ " (a) }
                }
            }
            @for c in &row.crimes { a.chip.crime href=(link("crime", c)) { (c) } }
            @for c in &row.countries { a.chip.country href=(link("country", c)) title=(c) { (country_label(c)) } }
        }
    }
}

/// The visible mark of a document that is not a UN document (a civil-society summary, say:
/// [`ParagraphRow::is_un_document`]), with its author where known; nothing for a UN document.
pub(crate) fn non_un_badge(row: &ParagraphRow) -> Markup {
    html! {
        @if !row.is_un_document() {
            span.non-un title="Not issued by the United Nations: not cited as a UN document" {
                "Not a UN document"
                @if let Some(a) = &row.author { " · " (a) }
            }
            " "
        }
    }
}

/// ", para. 15", ", footnote 30" after a citation.
pub(crate) fn pinpoint_and_footnote(pinpoint: Option<&str>, footnote: Option<u32>) -> Markup {
    html! {
        @if let Some(p) = pinpoint {
            @if p.contains(['-', '–', ',']) || p.contains(" and ") { ", paras. " (p) } @else { ", para. " (p) }
        }
        @if let Some(f) = footnote { ", footnote " (f) }
    }
}

/// Fallback: JSON 404 under `/api/`, an HTML page elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let err = ApiError::NotFound(format!("no route {}", uri.path()));
    if uri.path().starts_with("/api/") {
        err.into_response()
    } else {
        HtmlError(err).into_response()
    }
}
