//! What every HTML page shares (maud): the page frame ([`layout`]), errors as pages
//! ([`HtmlError`], the fallback [`not_found`]), and the small views several resources show:
//! tag chips, the non-UN badge, pinpoints, language and country names. Every page works
//! without JavaScript; `app.js` only adds the copy-citation button.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use undex_core::{Language, ParagraphRow, TextLanguage, risk_factor_name};

use crate::ApiError;
use crate::i18n::{Lang, Ui};
use crate::params::SearchParams;

/// An error rendered as an HTML page, with the status of [`ApiError::status_and_code`]. A
/// handler's `?` gives one without the reader's language; [`localise_errors`] renders it in
/// the language of the request.
pub(crate) struct HtmlError(ApiError);

impl From<ApiError> for HtmlError {
    fn from(e: ApiError) -> Self {
        HtmlError(e)
    }
}

/// An error page not rendered yet: the response's extension until [`localise_errors`] knows
/// the request's language.
#[derive(Clone)]
struct PendingErrorPage(std::sync::Arc<ApiError>);

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        let (status, _, _) = self.0.status_and_code();
        let mut res = status.into_response();
        res.extensions_mut()
            .insert(PendingErrorPage(std::sync::Arc::new(self.0)));
        res
    }
}

/// The HTML page of an error, in the reader's language (the error's own message, a technical
/// detail, as it is).
fn error_page(err: &ApiError, ui: &Ui) -> Response {
    let (status, _, message) = err.status_and_code();
    let title = if status == StatusCode::NOT_FOUND {
        ui.t("error-not-found")
    } else if status.is_client_error() {
        ui.t("error-bad-request")
    } else {
        ui.t("error-internal")
    };
    let body = html! {
        h1 { (title) }
        p.error { (message) }
        p { a href="/" { (ui.t("error-back")) } }
    };
    (status, layout(ui, &title, true, body)).into_response()
}

/// Middleware: renders the error pages handlers return ([`HtmlError`]) in the language of
/// the request ([`Ui`]), and marks every HTML page as depending on what chooses that language
/// (`Vary: Accept-Language, Cookie`), so that a cache does not serve one reader's language to
/// another.
pub(crate) async fn localise_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, VARY};
    let (parts, body) = request.into_parts();
    let ui = Ui::from_parts(&parts);
    let mut res = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    if let Some(PendingErrorPage(err)) = res.extensions_mut().remove::<PendingErrorPage>() {
        let mut page = error_page(&err, &ui);
        // Headers a layer inside set are kept.
        for (name, value) in res.headers() {
            if name != CONTENT_TYPE && name != CONTENT_LENGTH {
                page.headers_mut().insert(name.clone(), value.clone());
            }
        }
        res = page;
    }
    let html = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        res.headers_mut().append(
            VARY,
            axum::http::HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    res
}

/// The page frame: header with the search box, content, footer.
pub(crate) fn layout(ui: &Ui, title: &str, mini_search: bool, content: Markup) -> Markup {
    layout_with_head(ui, title, mini_search, html! {}, content)
}

/// [`layout`] with extra elements in `head` (`<link rel="alternate">`).
pub(crate) fn layout_with_head(
    ui: &Ui,
    title: &str,
    mini_search: bool,
    head_extra: Markup,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ui.code()) {
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
                    span.tagline { (ui.t("frame-tagline")) }
                    @if mini_search {
                        form.mini action="/" method="get" role="search" {
                            input type="search" name="q" aria-label=(ui.t("frame-search")) placeholder=(ui.t("frame-search"));
                            @if ui.lang != Lang::En { input type="hidden" name="ui" value=(ui.code()); }
                        }
                    }
                    (language_switch(ui))
                }
                main { (content) }
                footer { (ui.t("frame-footer")) }
            }
        }
    }
}

/// The language switch of the page frame: "English | Français", the current one marked.
fn language_switch(ui: &Ui) -> Markup {
    html! {
        nav.ui-languages aria-label=(ui.t("frame-interface-language")) {
            @for (i, lang) in Lang::ALL.into_iter().enumerate() {
                @if i > 0 { " | " }
                @if lang == ui.lang {
                    strong lang=(lang.code()) aria-current="true" { (lang.autonym()) }
                } @else {
                    a href=(ui.switch_url(lang)) lang=(lang.code()) hreflang=(lang.code()) rel="alternate" { (lang.autonym()) }
                }
            }
        }
    }
}

/// `rtl` for Arabic text, so that it renders right to left inside the English page.
pub(crate) fn text_dir(language: TextLanguage) -> Option<&'static str> {
    (language == Language::Ar).then_some("rtl")
}

/// The English name of a country code as the UN writes it ("PSE" → "State of Palestine"); the
/// code itself when the tagger's table lacks it.
pub(crate) fn country_label(code: &str) -> &str {
    undex_tag::country_name(code.trim()).unwrap_or(code)
}

/// The name of a language in the reader's language: the Fluent message `language-{code}`
/// for the six official languages of the UN ("fr" → "French", "français"), else its English
/// name ([`TextLanguage::name`]: "German", "Dutch" for "nld", "Undetermined" for "und").
pub(crate) fn language_name(ui: &Ui, language: impl Into<TextLanguage>) -> String {
    let language = language.into();
    ui.t_or(&format!("language-{language}"), language.name())
}

/// The name of a language code as the index's `lang` facet lists it ("fr"), as
/// [`language_name`] gives it ([`TextLanguage::parse`] reads the code); the code itself when
/// it names no language.
pub(crate) fn language_code_name(ui: &Ui, code: &str) -> String {
    TextLanguage::parse(code).map_or_else(|| code.to_string(), |l| language_name(ui, l))
}

/// The tags of a row as chips, each a link to the search with that tag's filter added to
/// `search` (a result keeps the reader's words and filters; elsewhere `search` is empty).
pub(crate) fn chips(ui: &Ui, row: &ParagraphRow, search: &SearchParams) -> Markup {
    let link = |param: &str, value: &str| search.url_with(param, Some(value));
    html! {
        span.chips {
            @for p in &row.pillars {
                @let label = ui.args("chip-pillar", &[("pillar", p.into())]);
                a.chip.pillar href=(link("pillar", p)) title=(label) { (label) }
            }
            @for r in &row.risk_factors {
                a.chip.risk href=(link("risk", &r.to_string())) title=(ui.args("chip-risk-title", &[("factor", (*r).into())])) {
                    @if let Some(name) = risk_factor_title(ui, *r) {
                        (ui.args("chip-risk-named", &[("factor", (*r).into()), ("name", (&name).into())]))
                    } @else {
                        (ui.args("chip-risk", &[("factor", (*r).into())]))
                    }
                }
            }
            @if row.recommendation {
                a.chip.rec href=(link("rec", "true")) { (ui.t("chip-recommendation")) }
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
pub(crate) fn non_un_badge(ui: &Ui, row: &ParagraphRow) -> Markup {
    html! {
        @if !row.is_un_document() {
            span.non-un title=(ui.t("non-un-title")) {
                (ui.t("non-un"))
                @if let Some(a) = &row.author { " · " (a) }
            }
            " "
        }
    }
}

/// ", para. 15", ", footnote 30" after a citation.
pub(crate) fn pinpoint_and_footnote(
    ui: &Ui,
    pinpoint: Option<&str>,
    footnote: Option<u32>,
) -> Markup {
    html! {
        @if let Some(p) = pinpoint {
            @if p.contains(['-', '–', ',']) || p.contains(" and ") {
                (ui.args("pinpoint-paras", &[("paras", p.into())]))
            } @else {
                (ui.args("pinpoint-para", &[("para", p.into())]))
            }
        }
        @if let Some(f) = footnote { (ui.args("pinpoint-footnote", &[("footnote", f.into())])) }
    }
}

/// The name of risk factor `n` of the Framework of Analysis for Atrocity Crimes in the
/// reader's language (message `risk-factor-{n}`, else the English name of
/// [`risk_factor_name`]).
pub(crate) fn risk_factor_title(ui: &Ui, n: u8) -> Option<String> {
    let english = risk_factor_name(n)?;
    Some(ui.t_or(&format!("risk-factor-{n}"), english))
}

/// Fallback: JSON 404 under `/api/`, an HTML page elsewhere.
pub(crate) async fn not_found(uri: Uri, ui: Ui) -> Response {
    let err = ApiError::NotFound(format!("no route {}", uri.path()));
    if uri.path().starts_with("/api/") {
        err.into_response()
    } else {
        error_page(&err, &ui)
    }
}
