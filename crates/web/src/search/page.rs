//! `GET /`: the search page.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use undex_core::{Language, ParagraphRow};
use undex_index::Facet;
use undex_index::registry::{self, Label};

use undex_library::languages::{LanguageSource, UnLanguage, VersionHit};

use super::api::{ApiGrouping, Found, run_search};
use super::facets::{facet_label, facets_panel};
use crate::i18n::Ui;
use crate::links::paragraph_url;
use crate::params::{Params, SearchParams, query_string};
use crate::views::{HtmlError, chips, language_name, layout_with_head, non_un_badge, text_dir};
use crate::{ApiError, AppState};

fn syntax_help(ui: &Ui) -> Markup {
    html! {
        details.syntax {
            summary { (ui.t("help-title")) }
            ul {
                li { code { "veto restraint" } " " (ui.t("help-words")) " " code { "to" } ", " code { "the" } ", " code { "of" } " " (ui.t("help-words-stop")) }
                li { code { "\"restraint from using the veto\"" } " " (ui.t("help-phrase")) }
                li { code { "genocide OR \"ethnic cleansing\"" } ", " code { "veto NOT restraint" } ", " code { "+veto -Syria" } ", " (ui.t("help-parentheses")) }
                li { code { "pillar:III veto" } " " (ui.t("help-filters")) " " code { "risk:7" } ", " code { "year:2026" } ", " code { "year:[2020 TO 2025]" } ", " code { "lang:fr" } ", " code { "type:report" } }
                li { code { "A/79/875 veto" } " " (ui.t("help-symbol")) }
                li { code { "prévention du génocide" } " " (ui.t("help-languages")) " " code { "versions=grouped" } " " (ui.t("help-versions")) " " code { "qlang=fr" } " " (ui.t("help-qlang")) " " code { "lang:fr" } " " (ui.t("help-qlang-only")) }
                li { code { "recommendations to regional organizations" } ", " code { "calls on the Security Council" } ", " code { "risk factor 7 in 2024" } ", " code { "pillar II since 2015" } " " (ui.t("help-reading")) }
                li {
                    (ui.t("help-fields")) " "
                    @for (i, f) in registry::keywords().enumerate() {
                        @if i > 0 { ", " }
                        code title=(facet_description(ui, f)) { (query_example(f)) }
                    }
                    " " (ui.t("help-fields-hover"))
                }
            }
        }
    }
}

/// What a filter field holds, for the syntax help: message `facet-{name}-description`, else
/// the registry's English description.
fn facet_description(ui: &Ui, f: &Facet) -> String {
    ui.t_or(&format!("facet-{}-description", f.name), f.description)
}

/// `field:value` for the syntax help, the value quoted when it has a space or a slash.
fn query_example(f: &Facet) -> String {
    if f.example.contains([' ', '/']) {
        format!("{}:\"{}\"", f.field, f.example)
    } else {
        format!("{}:{}", f.field, f.example)
    }
}

fn search_form(ui: &Ui, params: &SearchParams) -> Markup {
    let q = params.q.clone().unwrap_or_default();
    html! {
        form.search action="/" method="get" role="search" {
            input type="search" name="q" value=(q) placeholder=(ui.t("search-placeholder")) aria-label=(ui.t("search-label")) autofocus;
            @for (name, value) in params.pairs() {
                @if name != "q" && name != "page" {
                    input type="hidden" name=(name) value=(value);
                }
            }
            button type="submit" { (ui.t("search-button")) }
        }
        (syntax_help(ui))
    }
}

fn active_filters(ui: &Ui, params: &SearchParams) -> Markup {
    let active: Vec<(&str, String)> = params
        .pairs()
        .into_iter()
        .filter(|(n, _)| {
            !matches!(
                *n,
                "q" | "page" | "per_page" | "as_typed" | "ui" | "versions" | "qlang"
            )
        })
        .collect();
    html! {
        @if !active.is_empty() {
            p.active-filters {
                (ui.t("filters-label")) " "
                @for (name, value) in &active {
                    a.chip.filter href=(params.url_with(name, None)) title=(ui.t("filter-remove")) { (filter_label(ui, name, value)) " ✕" }
                    " "
                }
            }
        }
    }
}

/// What the words of the search were read as ([`crate::understand`]): one chip per filter
/// read, each removable (that phrase is then searched as typed), the words left, and a link
/// to search everything as typed.
fn reading_notice(ui: &Ui, params: &SearchParams) -> Markup {
    let Some(reading) = params.reading() else {
        return html! {};
    };
    let not_read = |param: &str| {
        let mut skip: Vec<String> = params
            .as_typed
            .as_deref()
            .map(|s| s.split(',').map(|p| p.trim().to_string()).collect())
            .unwrap_or_default();
        // A recommendation read with its addressee is one phrase: not reading one reads neither.
        skip.push(param.to_string());
        if param == "addressee" {
            skip.push("rec".into());
        }
        skip.retain(|p| !p.is_empty());
        params.url_with("as_typed", Some(&skip.join(",")))
    };
    html! {
        p.reading {
            (ui.t("reading-label")) " "
            @for u in &reading.parts {
                a.chip.filter href=(not_read(u.param)) title=(ui.args("reading-as-typed-title", &[("words", (&u.words).into())])) {
                    (read_label(ui, u.param, &u.value)) " ✕"
                }
                " "
            }
            @if !reading.rest.is_empty() { (ui.t("reading-with-words")) " " q { (reading.rest) } " " }
            "· " a href=(params.url_with("as_typed", Some("true"))) { (ui.t("reading-as-typed")) }
        }
    }
}

/// A filter read from the words, as the reader reads it.
fn read_label(ui: &Ui, param: &str, value: &str) -> String {
    let arg = |id: &str| ui.args(id, &[("value", value.into())]);
    match param {
        "rec" => ui.t("read-rec"),
        "addressee" => arg("read-addressee"),
        "risk" => match registry::by_param("risk") {
            Some(f) => ui.args(
                "read-risk",
                &[("value", (&facet_label(ui, f, value)).into())],
            ),
            None => arg("read-risk"),
        },
        "pillar" => arg("read-pillar"),
        "year" => arg("read-year"),
        "from" => arg("read-from"),
        "to" => arg("read-to"),
        _ => format!("{param}: {value}"),
    }
}

/// An active filter as the reader reads it: "lang: French", "country: State of Palestine";
/// other parameters as they are in the URL.
fn filter_label(ui: &Ui, param: &str, value: &str) -> String {
    match registry::by_param(param) {
        Some(f) if matches!(f.label, Label::Language | Label::Country) => {
            format!("{param}: {}", facet_label(ui, f, value))
        }
        _ => format!("{param}: {value}"),
    }
}

/// The language of the query and the choices around it, above the hits: the language
/// (chosen or detected, or "not detected"), links to choose another (`qlang=`), to keep only
/// the paragraphs in it (the `lang` filter), and to list one hit per aligned paragraph
/// (`versions=grouped`) or each language version apart. Shown for a search with words when
/// the hits span more than one language, or when a language or grouping was asked.
fn languages_notice(ui: &Ui, params: &SearchParams, found: &Found) -> Markup {
    let grouped = found.grouping.is_some();
    let languages = found
        .res
        .facets
        .get("language")
        .map_or(0, std::vec::Vec::len);
    let has_words = params.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    if !has_words || (languages < 2 && !grouped && params.qlang.is_none()) {
        return html! {};
    }
    let lang = found.query_language.as_ref();
    html! {
        p.query-language {
            (ui.t("qlang-label")) " "
            @match lang {
                Some(l) => {
                    strong lang=(l.code) { (language_name(ui, l.code)) }
                    " "
                    @if l.source == LanguageSource::Chosen { (ui.t("qlang-chosen")) } @else { (ui.t("qlang-detected")) }
                }
                None => { (ui.t("qlang-unknown")) }
            }
            " · " (ui.t("qlang-choose")) " "
            @for official in Language::OFFICIAL {
                @let code = official.as_str();
                @let current = lang.is_some_and(|l| l.code.language() == official && l.source == LanguageSource::Chosen);
                @if current {
                    a.chip.filter href=(params.url_with("qlang", None)) title=(ui.t("filter-remove")) { (code) " ✕" }
                } @else {
                    a href=(params.url_with("qlang", Some(code))) hreflang=(code) title=(language_name(ui, official)) { (code) }
                }
                " "
            }
            @if let Some(l) = lang {
                @if params.get("lang").is_none() {
                    "· " a href=(params.url_with("lang", Some(l.code.code()))) { (ui.args("qlang-only", &[("language", (&language_name(ui, l.code)).into())])) } " "
                }
            }
            "· "
            @if grouped {
                a href=(params.url_with("versions", None)) { (ui.t("versions-all-link")) }
            } @else {
                a href=(params.url_with("versions", Some("grouped"))) { (ui.t("versions-grouped-link")) }
            }
        }
        @if let Some(g) = &found.grouping {
            p.grouping {
                (ui.args("grouped-note", &[("rows", g.rows_total().into()), ("total", found.res.total.into())]))
                @if !g.complete() {
                    " " (ui.args("grouped-incomplete", &[("read", g.rows_read().into()), ("rows", g.rows_total().into())]))
                }
            }
        }
    }
}

/// The other language versions of a grouped hit, under it: each language a link to its
/// paragraph, a link to read it beside the hit (`/p/{id}?with=…`), and its snippet.
fn versions_list(ui: &Ui, lead: &ParagraphRow, others: &[VersionHit]) -> Markup {
    html! {
        @if !others.is_empty() {
            ul.versions aria-label=(ui.t("versions-label")) {
                @for v in others {
                    li {
                        a href=(paragraph_url(&v.row.id)) hreflang=(v.row.language) { (language_name(ui, v.row.language)) }
                        " (" a href={ (paragraph_url(&lead.id)) "?with=" (v.row.language) } { (ui.t("versions-side-by-side")) } ") "
                        span.version-snippet lang=(v.row.language) dir=[text_dir(v.row.language)] { (PreEscaped(&v.snippet_html)) }
                    }
                }
            }
        }
    }
}

fn hit_card(
    ui: &Ui,
    row: &ParagraphRow,
    snippet_html: &str,
    others: &[VersionHit],
    search: &SearchParams,
) -> Markup {
    html! {
        article.hit {
            p.cite {
                input.select type="checkbox" name="ids" value=(row.id) form="export" aria-label=(ui.args("hit-select", &[("citation", (&row.citation).into())]));
                " "
                a href=(paragraph_url(&row.id)) { (row.citation) }
            }
            p.meta {
                (non_un_badge(ui, row))
                @if let Some(t) = &row.title { span.title { (t) } }
                @if let Some(d) = &row.date { " · " time datetime=(d) { (ui.date(d)) } }
                @if let Some(s) = &row.section { " · " span.section { (s) } }
            }
            p.snippet lang=(row.language) dir=[text_dir(row.language)] { (PreEscaped(snippet_html)) }
            (versions_list(ui, row, others))
            (chips(ui, row, search))
        }
    }
}

/// Page links. `more` is true when paragraphs with some of the words follow the full matches
/// (their pages are not counted in advance).
fn pagination(
    ui: &Ui,
    params: &SearchParams,
    total: usize,
    page: usize,
    per_page: usize,
    more: bool,
) -> Markup {
    let pages = total.div_ceil(per_page).max(1);
    let has_next = page < pages || more;
    html! {
        nav.pages aria-label=(ui.t("pages-label")) {
            @if page > 1 {
                a rel="prev" href=(params.url_with("page", Some(&(page - 1).to_string()))) { "← " (ui.t("page-previous")) }
            }
            @if more || page > pages {
                span { (ui.args("page-n", &[("page", page.into())])) }
            } @else {
                span { (ui.args("page-n-of", &[("page", page.into()), ("pages", pages.into())])) }
            }
            @if has_next {
                a rel="next" href=(params.url_with("page", Some(&(page + 1).to_string()))) { (ui.t("page-next")) " →" }
            }
        }
    }
}

/// Export formats offered on the search page: (`format=` value, label).
const EXPORT_FORMATS: [(&str, &str); 6] = [
    ("text", "Text"),
    ("docx", "Word"),
    ("csl-json", "CSL-JSON"),
    ("ris", "RIS"),
    ("bibtex", "BibTeX"),
    ("csv", "CSV"),
];

/// The label of an export format: message `export-format-{format}` (only "Text" is a word
/// to translate), else the format's name.
fn export_format_label(ui: &Ui, format: &str, label: &str) -> String {
    ui.t_or(&format!("export-format-{format}"), label)
}

/// The export form (its submit buttons send the checked hits, `ids=…`, to `/api/export`; with
/// none checked, the export holds every result), export-all links per format, and links to the
/// trend and the Atom feed of the search. The checkboxes of the hits belong to the form
/// through their `form="export"` attribute, so the form can stand apart from the list. The
/// form's language menu (`in_language`) starts on `language` (the query's, when the hits
/// are grouped), else on "their own language".
fn export_panel(ui: &Ui, params: &SearchParams, language: Option<UnLanguage>) -> Markup {
    let search_pairs: Vec<(&str, String)> = params
        .pairs()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "page" | "per_page"))
        .collect();
    let qs = query_string(params, &[]);
    let with_qs = |path: &str| {
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
    };
    html! {
        section.export aria-label=(ui.t("export-label")) {
            form #export action="/api/export" method="get" {
                @for (name, value) in &search_pairs {
                    input type="hidden" name=(name) value=(value);
                }
                (ui.t("export-selected")) " "
                label {
                    (ui.t("export-language")) " "
                    select name="in_language" {
                        option value="" { (ui.t("export-language-as-found")) }
                        @for official in Language::OFFICIAL {
                            option value=(official) selected[language.is_some_and(|l| l.language() == official)] { (language_name(ui, official)) }
                        }
                    }
                }
                " "
                @for (format, label) in EXPORT_FORMATS {
                    button type="submit" name="format" value=(format) { (export_format_label(ui, format, label)) }
                    " "
                }
            }
            p.export-all {
                (ui.t("export-all")) " "
                @for (format, label) in EXPORT_FORMATS {
                    a href={ "/api/export?" (query_string(params, &[("format", format)])) } { (export_format_label(ui, format, label)) }
                    " "
                }
                "· " a href=(with_qs("/trends")) { (ui.t("export-trend")) }
                " · " a href=(with_qs("/feed.atom")) type="application/atom+xml" { (ui.t("export-feed")) }
            }
        }
    }
}

/// `GET /`: the search page.
pub(crate) async fn search_page(
    State(state): State<AppState>,
    ui: Ui,
    Params(params): Params<SearchParams>,
) -> Result<Response, HtmlError> {
    let (page, per_page) = params.page()?;
    // A query that is one whole citation that resolves ("A/79/875, para. 58") opens the cited
    // paragraph (303 to `/p/{id}`); any other query, or a citation the index cannot answer,
    // is searched as before.
    if page == 1
        && let Some(q) = params.q.as_deref()
        && let Some(id) = crate::cite::search_box_target(&state, q).await
    {
        return Ok(axum::response::Redirect::to(&paragraph_url(&id)).into_response());
    }
    let q = params.q.clone().unwrap_or_default();
    let title = if q.trim().is_empty() {
        ui.t("search-title")
    } else {
        q.clone()
    };
    let result = run_search(&state, &params).await;
    let (status, body) = match result {
        Ok(found) => {
            let res = &found.res;
            let no_versions: &[VersionHit] = &[];
            let others = |i: usize| {
                found
                    .versions
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .map_or(no_versions, Vec::as_slice)
            };
            let first = (page - 1) * per_page + 1;
            let export_language = found
                .query_language
                .as_ref()
                .filter(|_| found.grouping.is_some())
                .map(|l| l.code);
            // The paragraphs the facets count: every language version when grouped.
            let facet_rows = found.grouping.map_or(res.total, ApiGrouping::rows_total);
            // Hits holding all the words come first on the page, then the partial matches.
            let full = res.hits.iter().filter(|h| h.all_words).count();
            let partial = res.hits.len() - full;
            (
                StatusCode::OK,
                html! {
                    (search_form(&ui, &params))
                    (reading_notice(&ui, &params))
                    (active_filters(&ui, &params))
                    (languages_notice(&ui, &params, &found))
                    div.layout {
                        (facets_panel(&ui, &params, res, facet_rows))
                        section.results {
                            @if res.total == 0 && res.hits.is_empty() {
                                p.summary { (ui.t("summary-none")) }
                            } @else if res.total == 0 {
                                p.summary.no-full-match { (ui.t("summary-no-full-match")) }
                            } @else if full == 0 {
                                p.summary { (ui.args("summary-past", &[("total", res.total.into())])) }
                            } @else {
                                @let range = [("first", first.into()), ("last", (first + full - 1).into()), ("total", res.total.into())];
                                p.summary {
                                    @if partial > 0 || res.partial_more {
                                        (ui.args("summary-range-all-words", &range))
                                    } @else {
                                        (ui.args("summary-range", &range))
                                    }
                                }
                            }
                            @if !res.hits.is_empty() { (export_panel(&ui, &params, export_language)) }
                            @for (i, h) in res.hits.iter().enumerate().filter(|(_, h)| h.all_words) { (hit_card(&ui, &h.row, &h.snippet_html, others(i), &params)) }
                            @if partial > 0 {
                                h2.partial #some-words { (ui.t("summary-some-words")) }
                                @for (i, h) in res.hits.iter().enumerate().filter(|(_, h)| !h.all_words) { (hit_card(&ui, &h.row, &h.snippet_html, others(i), &params)) }
                            }
                            @if res.total > per_page || page > 1 || res.partial_more { (pagination(&ui, &params, res.total, page, per_page, res.partial_more)) }
                        }
                    }
                },
            )
        }
        Err(ApiError::InvalidQuery(message)) => (
            StatusCode::BAD_REQUEST,
            html! {
                (search_form(&ui, &params))
                p.error { (ui.args("query-error", &[("message", (&message).into())])) }
            },
        ),
        Err(e) => return Err(e.into()),
    };
    let feed_qs = query_string(&params, &[]);
    let feed = if feed_qs.is_empty() {
        "/feed.atom".to_string()
    } else {
        format!("/feed.atom?{feed_qs}")
    };
    let head = html! {
        link rel="alternate" type="application/atom+xml" title={ "undex: " (title) } href=(feed);
    };
    Ok((status, layout_with_head(&ui, &title, false, head, body)).into_response())
}
