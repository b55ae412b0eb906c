//! Server-rendered HTML pages (maud). Every page works without JavaScript; `app.js` only adds
//! the copy-citation button.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use undex_core::{EvidenceRow, ParagraphRow, UnitId, risk_factor_name};
use undex_index::registry::{self, Label};
use undex_index::{Facet, FacetCount, SearchResponse};

use crate::api::{document_url, load_document, paragraph_url, run_search};
use crate::citations::{CiteEntry, CitedByEntry, CitingDocument, DocumentCite};
use crate::params::{Params, SearchParams};
use crate::{ApiError, AppState};

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
fn layout_with_head(title: &str, mini_search: bool, head_extra: Markup, content: Markup) -> Markup {
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
fn text_dir(language: &str) -> Option<&'static str> {
    (language == "ar").then_some("rtl")
}

/// The English name of a country code as the UN writes it ("PSE" → "State of Palestine"); the
/// code itself when the tagger's table lacks it.
fn country_label(code: &str) -> &str {
    undex_tag::country_name(code.trim()).unwrap_or(code)
}

/// The English name of a language code, ISO 639-1 or 639-3 as the extractor writes them
/// ("fr" → "French", "slv" → "Slovenian"); the code itself when unknown.
fn language_label(code: &str) -> &str {
    let code = code.trim();
    let lower = code.to_ascii_lowercase();
    isolang::Language::from_639_1(&lower)
        .or_else(|| isolang::Language::from_639_3(&lower))
        .map_or(code, |l| l.to_name())
}

/// The tags of a row as chips, each a link to the search with that tag's filter added to
/// `search` (a result keeps the reader's words and filters; elsewhere `search` is empty).
fn chips(row: &ParagraphRow, search: &SearchParams) -> Markup {
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

/// How the facet panel shows `value` of `facet`, from the facet's [`Label`].
fn facet_label(facet: &Facet, value: &str) -> String {
    match facet.label {
        Label::Pillar => format!("Pillar {value}"),
        Label::RiskFactor => match value.parse::<u8>().ok().and_then(risk_factor_name) {
            Some(name) => format!("{value}. {name}"),
            None => value.to_string(),
        },
        Label::Recommendation => match value {
            "true" => "Recommendations".into(),
            "false" => "Other paragraphs".into(),
            v => v.into(),
        },
        Label::Country => country_label(value).to_string(),
        Label::Language => language_label(value).to_string(),
        Label::Plain => value.to_string(),
    }
}

/// A facet's values in the order the page lists them: years newest first (a reader scans
/// years as a timeline), every other facet as the index gives them (most frequent first).
fn facet_order<'a>(facet: &str, counts: &'a [FacetCount]) -> Vec<&'a FacetCount> {
    let mut ordered: Vec<&FacetCount> = counts.iter().collect();
    if facet == "year" {
        ordered.sort_by(|a, b| {
            let year = |c: &FacetCount| c.value.trim().parse::<i64>().ok();
            year(b).cmp(&year(a)).then_with(|| b.value.cmp(&a.value))
        });
    }
    ordered
}

fn facets_panel(params: &SearchParams, res: &SearchResponse) -> Markup {
    html! {
        aside.facets aria-label="Refine" {
            @for facet in registry::counted() {
                @let counts = facet_order(facet.name, res.facets.get(facet.name).map(Vec::as_slice).unwrap_or(&[]));
                @if !counts.is_empty() {
                    @let param = facet.param;
                    @let current = params.get(param);
                    section.facet {
                        h3 { (facet.title) }
                        ul {
                            @for c in counts {
                                @let active = current.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(&c.value));
                                li class=[active.then_some("active")] {
                                    @if active {
                                        a href=(params.url_with(param, None)) title="Remove this filter" {
                                            "✕ " (facet_label(facet, &c.value))
                                        }
                                    } @else {
                                        a href=(params.url_with(param, Some(&c.value))) {
                                            (facet_label(facet, &c.value))
                                        }
                                    }
                                    " " span.count { (c.count) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn syntax_help() -> Markup {
    html! {
        details.syntax {
            summary { "Query syntax" }
            ul {
                li { code { "veto restraint" } " — paragraphs with both words (words match their inflections; " code { "to" } ", " code { "the" } ", " code { "of" } " and other stop words are not required); paragraphs with some of the words follow, under their own heading" }
                li { code { "\"restraint from using the veto\"" } " — an exact phrase" }
                li { code { "genocide OR \"ethnic cleansing\"" } ", " code { "veto NOT restraint" } ", " code { "+veto -Syria" } ", parentheses" }
                li { code { "pillar:III veto" } " — filters are always required: Pillar III paragraphs on the veto; also " code { "risk:7" } ", " code { "year:2026" } ", " code { "year:[2020 TO 2025]" } ", " code { "lang:fr" } ", " code { "type:report" } }
                li { code { "A/79/875 veto" } " — a document symbol restricts the search to that document" }
                li { code { "recommendations to regional organizations" } ", " code { "calls on the Security Council" } ", " code { "risk factor 7 in 2024" } ", " code { "pillar II since 2015" } " — read as filters on the tags, shown as chips you can remove (\"search the words as typed\" turns the reading off)" }
                li {
                    "Every filter field: "
                    @for (i, f) in registry::keywords().enumerate() {
                        @if i > 0 { ", " }
                        code title=(f.description) { (query_example(f)) }
                    }
                    " (hover for what each holds)"
                }
            }
        }
    }
}

/// `field:value` for the syntax help, the value quoted when it has a space or a slash.
fn query_example(f: &Facet) -> String {
    if f.example.contains([' ', '/']) {
        format!("{}:\"{}\"", f.field, f.example)
    } else {
        format!("{}:{}", f.field, f.example)
    }
}

fn search_form(params: &SearchParams) -> Markup {
    let q = params.q.clone().unwrap_or_default();
    html! {
        form.search action="/" method="get" role="search" {
            input type="search" name="q" value=(q) placeholder="Search paragraphs: veto restraint, \"early warning\", pillar:III" aria-label="Search" autofocus;
            @for (name, value) in params.pairs() {
                @if name != "q" && name != "page" {
                    input type="hidden" name=(name) value=(value);
                }
            }
            button type="submit" { "Search" }
        }
        (syntax_help())
    }
}

fn active_filters(params: &SearchParams) -> Markup {
    let active: Vec<(&str, String)> = params
        .pairs()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "q" | "page" | "per_page" | "as_typed"))
        .collect();
    html! {
        @if !active.is_empty() {
            p.active-filters {
                "Filters: "
                @for (name, value) in &active {
                    a.chip.filter href=(params.url_with(name, None)) title="Remove" { (filter_label(name, value)) " ✕" }
                    " "
                }
            }
        }
    }
}

/// What the words of the search were read as ([`crate::understand`]): one chip per filter
/// read, each removable (that phrase is then searched as typed), the words left, and a link
/// to search everything as typed.
fn reading_notice(params: &SearchParams) -> Markup {
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
            "Read as: "
            @for u in &reading.parts {
                a.chip.filter href=(not_read(u.param)) title={ "Search \"" (u.words) "\" as typed" } {
                    (read_label(u.param, &u.value)) " ✕"
                }
                " "
            }
            @if !reading.rest.is_empty() { "with the words " q { (reading.rest) } " " }
            "· " a href=(params.url_with("as_typed", Some("true"))) { "search the words as typed" }
        }
    }
}

/// A filter read from the words, as the reader reads it.
fn read_label(param: &str, value: &str) -> String {
    match param {
        "rec" => "Recommendations".to_string(),
        "addressee" => format!("addressed to {value}"),
        "risk" => match registry::by_param("risk") {
            Some(f) => format!("Risk factor {}", facet_label(f, value)),
            None => format!("Risk factor {value}"),
        },
        "pillar" => format!("Pillar {value}"),
        "year" => format!("in {value}"),
        "from" => format!("from {value}"),
        "to" => format!("until {value}"),
        _ => format!("{param}: {value}"),
    }
}

/// An active filter as the reader reads it: "lang: French", "country: State of Palestine";
/// other parameters as they are in the URL.
fn filter_label(param: &str, value: &str) -> String {
    match registry::by_param(param) {
        Some(f) if matches!(f.label, Label::Language | Label::Country) => {
            format!("{param}: {}", facet_label(f, value))
        }
        _ => format!("{param}: {value}"),
    }
}

/// The visible mark of a document that is not a UN document (a civil-society summary, say:
/// [`ParagraphRow::is_un_document`]), with its author where known; nothing for a UN document.
fn non_un_badge(row: &ParagraphRow) -> Markup {
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

fn hit_card(row: &ParagraphRow, snippet_html: &str, search: &SearchParams) -> Markup {
    html! {
        article.hit {
            p.cite {
                input.select type="checkbox" name="ids" value=(row.id) form="export" aria-label={ "Select " (row.citation) " for export" };
                " "
                a href=(paragraph_url(&row.id)) { (row.citation) }
            }
            p.meta {
                (non_un_badge(row))
                @if let Some(t) = &row.title { span.title { (t) } }
                @if let Some(d) = &row.date { " · " time datetime=(d) { (undex_core::citation::human_date(d)) } }
                @if let Some(s) = &row.section { " · " span.section { (s) } }
            }
            p.snippet lang=(row.language) dir=[text_dir(&row.language)] { (PreEscaped(snippet_html)) }
            (chips(row, search))
        }
    }
}

/// Page links. `more` is true when paragraphs with some of the words follow the full matches
/// (their pages are not counted in advance).
fn pagination(
    params: &SearchParams,
    total: usize,
    page: usize,
    per_page: usize,
    more: bool,
) -> Markup {
    let pages = total.div_ceil(per_page).max(1);
    let has_next = page < pages || more;
    html! {
        nav.pages aria-label="Pages" {
            @if page > 1 {
                a rel="prev" href=(params.url_with("page", Some(&(page - 1).to_string()))) { "← Previous" }
            }
            @if more || page > pages {
                span { "Page " (page) }
            } @else {
                span { "Page " (page) " of " (pages) }
            }
            @if has_next {
                a rel="next" href=(params.url_with("page", Some(&(page + 1).to_string()))) { "Next →" }
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

/// The export form (its submit buttons send the checked hits, `ids=…`, to `/api/export`; with
/// none checked, the export holds every result), export-all links per format, and links to the
/// trend and the Atom feed of the search. The checkboxes of the hits belong to the form
/// through their `form="export"` attribute, so the form can stand apart from the list.
fn export_panel(params: &SearchParams) -> Markup {
    let search_pairs: Vec<(&str, String)> = params
        .pairs()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "page" | "per_page"))
        .collect();
    let qs = crate::research::query_string(params, &[]);
    let with_qs = |path: &str| {
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
    };
    html! {
        section.export aria-label="Export" {
            form #export action="/api/export" method="get" {
                @for (name, value) in &search_pairs {
                    input type="hidden" name=(name) value=(value);
                }
                "Export selected paragraphs (all results when none is selected): "
                @for (format, label) in EXPORT_FORMATS {
                    button type="submit" name="format" value=(format) { (label) }
                    " "
                }
            }
            p.export-all {
                "Export all results: "
                @for (format, label) in EXPORT_FORMATS {
                    a href={ "/api/export?" (crate::research::query_string(params, &[("format", format)])) } { (label) }
                    " "
                }
                "· " a href=(with_qs("/trends")) { "Trend of this search" }
                " · " a href=(with_qs("/feed.atom")) type="application/atom+xml" { "Atom feed" }
            }
        }
    }
}

/// `GET /`: the search page.
pub(crate) async fn search_page(
    State(state): State<AppState>,
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
        "Search".to_string()
    } else {
        q.clone()
    };
    let result = run_search(&state, &params).await;
    let (status, body) = match result {
        Ok(res) => {
            let first = (page - 1) * per_page + 1;
            // Hits holding all the words come first on the page, then the partial matches.
            let full = res.hits.iter().filter(|h| h.all_words).count();
            let partial = res.hits.len() - full;
            (
                StatusCode::OK,
                html! {
                    (search_form(&params))
                    (reading_notice(&params))
                    (active_filters(&params))
                    div.layout {
                        (facets_panel(&params, &res))
                        section.results {
                            @if res.total == 0 && res.hits.is_empty() {
                                p.summary { "No paragraph matches." }
                            } @else if res.total == 0 {
                                p.summary.no-full-match { "No paragraph holds all the words of this search." }
                            } @else if full == 0 {
                                p.summary { (res.total) @if res.total == 1 { " paragraph holds" } @else { " paragraphs hold" } " all the words; this page is past them." }
                            } @else {
                                p.summary { (first) "–" (first + full - 1) " of " (res.total) @if res.total == 1 { " paragraph" } @else { " paragraphs" } @if partial > 0 || res.partial_more { " with all the words" } }
                            }
                            @if !res.hits.is_empty() { (export_panel(&params)) }
                            @for h in res.hits.iter().filter(|h| h.all_words) { (hit_card(&h.row, &h.snippet_html, &params)) }
                            @if partial > 0 {
                                h2.partial #some-words { "Paragraphs with some of the words" }
                                @for h in res.hits.iter().filter(|h| !h.all_words) { (hit_card(&h.row, &h.snippet_html, &params)) }
                            }
                            @if res.total > per_page || page > 1 || res.partial_more { (pagination(&params, res.total, page, per_page, res.partial_more)) }
                        }
                    }
                },
            )
        }
        Err(ApiError::InvalidQuery(message)) => (
            StatusCode::BAD_REQUEST,
            html! {
                (search_form(&params))
                p.error { "This query does not parse: " (message) ". Check quotes and parentheses, and the field names in the syntax help." }
            },
        ),
        Err(e) => return Err(e.into()),
    };
    let feed_qs = crate::research::query_string(&params, &[]);
    let feed = if feed_qs.is_empty() {
        "/feed.atom".to_string()
    } else {
        format!("/feed.atom?{feed_qs}")
    };
    let head = html! {
        link rel="alternate" type="application/atom+xml" title={ "undex: " (title) } href=(feed);
    };
    Ok((status, layout_with_head(&title, false, head, body)).into_response())
}

/// Merges evidence spans into non-overlapping, in-bounds byte ranges on char boundaries,
/// each with the labels of the tags it supports.
fn merge_spans(text: &str, spans: &[(usize, usize, String)]) -> Vec<(usize, usize, Vec<String>)> {
    let mut valid: Vec<&(usize, usize, String)> = spans
        .iter()
        .filter(|(s, e, _)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .collect();
    valid.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (s, e, label) in valid {
        match out.last_mut() {
            Some(last) if *s < last.1 => {
                last.1 = last.1.max(*e);
                if !last.2.contains(label) {
                    last.2.push(label.clone());
                }
            }
            _ => out.push((*s, *e, vec![label.clone()])),
        }
    }
    out
}

fn highlighted_text(row: &ParagraphRow) -> Markup {
    let spans: Vec<(usize, usize, String)> = row
        .evidence
        .iter()
        .map(|e| {
            (
                e.evidence.start,
                e.evidence.end,
                tag_name(&e.family, &e.value),
            )
        })
        .collect();
    // (plain text before, marked span, its labels), then the tail.
    let mut pieces: Vec<(&str, &str, String)> = Vec::new();
    let mut at = 0;
    for (start, end, labels) in merge_spans(&row.text, &spans) {
        pieces.push((
            &row.text[at..start],
            &row.text[start..end],
            labels.join(", "),
        ));
        at = end;
    }
    let tail = &row.text[at..];
    html! {
        @for (plain, marked, labels) in &pieces {
            (plain)
            mark.evidence title={ "evidence for " (labels) } { (marked) }
        }
        (tail)
    }
}

/// One line of the evidence list: the evidence of a tag by one rule on one wording, however
/// often the paragraph repeats it.
struct EvidenceLine<'a> {
    row: &'a EvidenceRow,
    /// Times the paragraph holds it.
    times: usize,
    /// Highest confidence among them.
    confidence: f32,
}

/// The evidence of `row` with each piece once: the same tag, rule and words (case aside)
/// are one line with a count, in order of first appearance.
fn evidence_lines(row: &ParagraphRow) -> Vec<EvidenceLine<'_>> {
    let mut lines: Vec<EvidenceLine<'_>> = Vec::new();
    for e in &row.evidence {
        let same = |l: &EvidenceLine<'_>| {
            l.row.family == e.family
                && l.row.value == e.value
                && l.row.evidence.rule == e.evidence.rule
                && l.row.evidence.text.to_lowercase() == e.evidence.text.to_lowercase()
        };
        match lines.iter_mut().find(|l| same(l)) {
            Some(line) => {
                line.times += 1;
                line.confidence = line.confidence.max(e.evidence.confidence);
            }
            None => lines.push(EvidenceLine {
                row: e,
                times: 1,
                confidence: e.evidence.confidence,
            }),
        }
    }
    lines
}

fn evidence_list(row: &ParagraphRow) -> Markup {
    html! {
        @if row.evidence.is_empty() {
            p.muted { "No tags were assigned to this paragraph." }
        } @else {
            ul.evidence {
                @for line in evidence_lines(row) {
                    @let e = line.row;
                    @let carried = undex_core::align::carried_from(&e.evidence.rule);
                    li {
                        "tagged " strong { (tag_name(&e.family, &e.value)) } " because: "
                        @if let Some((en_id, _)) = carried {
                            a.carried href=(paragraph_url(en_id)) { (undex_core::align::carried_label(en_id)) } ": "
                        }
                        @if e.evidence.text.is_empty() {
                            em { (rule_reason(&e.evidence.rule)) }
                        } @else {
                            q lang=[carried.map(|_| "en")] { (e.evidence.text) }
                        }
                        @if line.times > 1 { " " span.times { "(" (line.times) " times)" } }
                        " " span.rule { "(" (e.evidence.rule) ", confidence " (format!("{:.2}", line.confidence)) ")" }
                    }
                }
            }
        }
    }
}

/// What a rule means, for evidence that marks no words (a list item that inherits its
/// lead-in's recommendation, a UPR item with neither verb nor State found).
fn rule_reason(rule: &str) -> String {
    if let Some(n) = rule.strip_prefix("recommendation.lead_in:") {
        return format!("an item of the list introduced by paragraph {n}");
    }
    match rule {
        "recommendation.lead_in" => {
            "an item of the list introduced by the text before it".to_string()
        }
        "recommendation.upr_item" => "a numbered UPR recommendation".to_string(),
        "pillar.I.upr_recommendation" => {
            "a UPR recommendation to the State under review".to_string()
        }
        other => format!("rule {other}"),
    }
}

fn tag_name(family: &str, value: &str) -> String {
    match family {
        "pillar" => format!("pillar {value}"),
        "risk_factor" => match value.parse::<u8>().ok().and_then(risk_factor_name) {
            Some(name) => format!("risk factor {value} ({name})"),
            None => format!("risk factor {value}"),
        },
        "recommendation" if value == "true" => "recommendation".into(),
        "recommendation" => "not a recommendation".into(),
        "country" => format!("country {}", country_label(value)),
        other => format!("{other} {value}"),
    }
}

/// ", para. 15", ", footnote 30" after a citation.
fn pinpoint_and_footnote(pinpoint: Option<&str>, footnote: Option<u32>) -> Markup {
    html! {
        @if let Some(p) = pinpoint {
            @if p.contains(['-', '–', ',']) || p.contains(" and ") { ", paras. " (p) } @else { ", para. " (p) }
        }
        @if let Some(f) = footnote { ", footnote " (f) }
    }
}

/// The "Cites" and "Cited by" sections of a paragraph page.
fn paragraph_citations_html(cites: &[CiteEntry], cited_by: &[CitedByEntry]) -> Markup {
    html! {
        section.citations #cites {
            h2 { "Cites" }
            @if cites.is_empty() {
                p.muted { "No UN document citation was found in this paragraph or its footnotes." }
            } @else {
                ul.cites {
                    @for c in cites {
                        li {
                            @if let Some(u) = &c.url { a href=(u) { (c.symbol) } } @else { (c.symbol) }
                            (pinpoint_and_footnote(c.pinpoint.as_deref(), c.footnote))
                        }
                    }
                }
            }
        }
        section.citations #cited-by {
            h2 { "Cited by" }
            @if cited_by.is_empty() {
                p.muted { "No indexed paragraph of another document cites this paragraph." }
            } @else {
                ul.cited-by {
                    @for c in cited_by {
                        li {
                            "cited by " a href=(c.url) { (c.citation) }
                            @if let Some(f) = c.footnote { ", footnote " (f) }
                            @if let Some(p) = &c.pinpoint { " (" (c.symbol) ", " (p) ")" }
                        }
                    }
                }
            }
        }
    }
}

/// The "Cites" and "Cited by" sections of a document page.
fn document_citations_html(cites: &[DocumentCite], cited_by: &[CitingDocument]) -> Markup {
    html! {
        @if !cites.is_empty() {
            section.citations #cites {
                h2 { "Cites" }
                ul.cites {
                    @for c in cites {
                        li {
                            @if let Some(u) = &c.url { a href=(u) { (c.symbol) } } @else { (c.symbol) }
                            " " span.count { "(" (c.count) @if c.count == 1 { " paragraph" } @else { " paragraphs" } ")" }
                            " " a.small href=(SearchParams::default().url_with("cited", Some(&c.symbol))) { "all paragraphs citing it" }
                        }
                    }
                }
            }
        }
        @if !cited_by.is_empty() {
            section.citations #cited-by {
                h2 { "Cited by" }
                ul.cited-by {
                    @for d in cited_by {
                        li {
                            a href=(d.url) { (d.symbol.as_deref().or(d.title.as_deref()).unwrap_or(&d.doc_id)) }
                            @if d.symbol.is_some() { @if let Some(t) = &d.title { " — " span.title { (t) } } }
                            ul {
                                @for p in &d.paragraphs {
                                    li {
                                        a href=(p.url) { (p.citation) }
                                        " cites " (p.symbol)
                                        (pinpoint_and_footnote(p.pinpoint.as_deref(), p.footnote))
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

/// `GET /p/{id}`: the paragraph permalink.
/// Query of `GET /p/{id}`: `with` names a language (ISO 639-1, "fr") to show beside the
/// paragraph in two columns.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ParagraphQuery {
    with: Option<String>,
}

/// The paragraph's other language versions: each with its text, a link to its page and a
/// link to show it beside this one (`?with=fr`); with `with`, the two side by side.
fn languages_html(
    row: &ParagraphRow,
    translations: &[(String, ParagraphRow)],
    with: Option<&str>,
) -> Markup {
    let beside = with.and_then(|w| translations.iter().find(|(l, _)| l == w));
    html! {
        @if let Some((_, t)) = beside {
            section.side-by-side {
                h2 { (language_label(&row.language)) " | " (language_label(&t.language)) }
                p.muted { a href=(paragraph_url(&row.id)) { "one column" } }
                div.columns {
                    @for r in [row, t] {
                        div.column lang=(r.language) dir=[text_dir(&r.language)] {
                            h3 { a href=(paragraph_url(&r.id)) { (language_label(&r.language)) } }
                            p.text {
                                @if let Some(n) = &r.number {
                                    span.num { (n) @if let Some(s) = &r.sub { "(" (s) ")" } } " "
                                }
                                (r.text)
                            }
                        }
                    }
                }
            }
        }
        @if !translations.is_empty() {
            section.languages {
                h2 { "In other languages" }
                @for (language, t) in translations {
                    div.translation {
                        h3 {
                            a href=(paragraph_url(&t.id)) { (language_label(language)) }
                            " · "
                            a.beside href={ (paragraph_url(&row.id)) "?with=" (language) } {
                                "side by side: " (language_label(&row.language)) " | " (language_label(language))
                            }
                        }
                        p.text lang=(language) dir=[text_dir(language)] { (t.text) }
                    }
                }
            }
        }
    }
}

pub(crate) async fn paragraph_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ParagraphQuery>,
) -> Result<Response, HtmlError> {
    let crate::citations::ParagraphView {
        row,
        prev,
        next,
        cites,
        cited_by,
    } = crate::citations::load_paragraph(&state, &id).await?;
    let doc_name = row
        .symbol
        .clone()
        .or_else(|| row.title.clone())
        .unwrap_or_else(|| row.doc_id.clone());
    let locator = UnitId::parse(&row.id).map_or("", |u| u.locator).to_string();
    // The other language versions are an addition to the page, as earlier wording below.
    let lookup = row.clone();
    let translations = match state
        .blocking(move |library| library.translations(&lookup))
        .await
    {
        Ok(t) => t,
        Err(err) => {
            tracing::warn!(id = %row.id, "language versions unavailable: {err:?}");
            Vec::new()
        }
    };
    let tags_note =
        undex_library::languages::tags_note(&row, translations.iter().any(|(l, _)| l == "en"));
    // A language code is two or three letters; anything else is ignored.
    let with = query
        .with
        .as_deref()
        .map(str::trim)
        .filter(|w| (2..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_alphabetic()));
    // Earlier wording is an addition to the page: if it cannot be computed, the page is still
    // served without it (and the error is logged).
    let earlier = match crate::research::earlier_wording(&state, &row.id).await {
        Ok(earlier) => Some(earlier),
        Err(err) => {
            tracing::warn!(id = %row.id, "earlier wording unavailable: {err:?}");
            None
        }
    };
    let body = html! {
        nav.crumbs {
            a href="/" { "Search" } " › "
            a href={ (document_url(&row)) "#" (locator) } { (doc_name) }
        }
        article.paragraph {
            h1.cite { (row.citation) }
            p.copy {
                code #citation { (row.citation) }
                " "
                button.copy-citation type="button" data-copy=(row.citation) hidden { "Copy citation" }
            }
            p.meta {
                (non_un_badge(&row))
                @if let Some(t) = &row.title { span.title { (t) } }
                @if let Some(d) = &row.date { " · " time datetime=(d) { (undex_core::citation::human_date(d)) } }
                " · page " (row.page)
            }
            @if !row.section_path.is_empty() {
                p.section { (row.section_path.join(" › ")) }
            }
            @if let Some(s) = &row.speaker { p.speaker { (s) } }
            p.text lang=(row.language) dir=[text_dir(&row.language)] {
                // A unit printed without a number shows none (its citation gives the page).
                @if let Some(n) = &row.number {
                    span.num { (n) @if let Some(s) = &row.sub { "(" (s) ")" } }
                    " "
                }
                (highlighted_text(&row))
            }
            (chips(&row, &SearchParams::default()))
            @if !row.footnotes.is_empty() {
                section.footnotes {
                    h2 { "Footnotes" }
                    ol {
                        @for f in &row.footnotes {
                            li value=(f.marker) { (f.text) }
                        }
                    }
                }
            }
            (languages_html(&row, &translations, with))
            section.tags {
                h2 { "Tags and their evidence" }
                @if let Some(note) = &tags_note { p.note.tags-note { (note) } }
                (evidence_list(&row))
            }
            (paragraph_citations_html(&cites, &cited_by))
            @if let Some(earlier) = &earlier {
                (crate::research::earlier_wording_html(earlier))
            }
            nav.neighbours {
                @if let Some(p) = &prev {
                    a rel="prev" href=(paragraph_url(&p.id)) { "← " (p.citation) }
                }
                @if let Some(n) = &next {
                    a rel="next" href=(paragraph_url(&n.id)) { (n.citation) " →" }
                }
            }
        }
    };
    Ok(layout(&row.citation, true, body).into_response())
}

/// `GET /d/{*key}`: a document with every paragraph under its headings.
pub(crate) async fn document_page(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, HtmlError> {
    let rows = load_document(&state, key).await?;
    // Citations are an addition to the page: if they cannot be looked up, the page is still
    // served without them (and the error is logged).
    let (cites, cited_by) = match crate::api::document_citations(&state, &rows).await {
        Ok(c) => c,
        Err(err) => {
            tracing::warn!(doc = %rows[0].doc_id, "citations unavailable: {err:?}");
            (Vec::new(), Vec::new())
        }
    };
    let first = &rows[0];
    let name = first.symbol.clone().unwrap_or_else(|| first.doc_id.clone());
    let lookup = first.clone();
    let versions = match state
        .blocking(move |library| library.document_versions(&lookup))
        .await
    {
        Ok(v) => v,
        Err(err) => {
            tracing::warn!(doc = %first.doc_id, "language versions unavailable: {err:?}");
            Vec::new()
        }
    };
    // The headings to print before each row: the part of its section path that differs from
    // the previous row's.
    let mut previous: &[String] = &[];
    let mut headings: Vec<Vec<(usize, &str)>> = Vec::with_capacity(rows.len());
    for row in &rows {
        let path = row.section_path.as_slice();
        let common = path
            .iter()
            .zip(previous)
            .take_while(|(a, b)| a == b)
            .count();
        headings.push(
            path.iter()
                .enumerate()
                .skip(common)
                .map(|(d, h)| (d, h.as_str()))
                .collect(),
        );
        previous = path;
    }
    let body = html! {
        nav.crumbs { a href="/" { "Search" } " › " (name) }
        h1 { @if let Some(t) = &first.title { (t) } @else { (name) } }
        @if !first.is_un_document() { p { (non_un_badge(first)) } }
        @if versions.len() > 1 {
            nav.languages aria-label="Language versions" {
                "Language: "
                @for (i, (language, doc_id)) in versions.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if *doc_id == first.doc_id {
                        strong aria-current="page" { (language_label(language)) }
                    } @else {
                        a href={ "/d/" (crate::api::encode_segment(doc_id)) } hreflang=(language) { (language_label(language)) }
                    }
                }
            }
        }
        dl.docmeta {
            @if let Some(s) = &first.symbol { dt { "Symbol" } dd { (s) } }
            @if let Some(d) = &first.date { dt { "Date" } dd { (undex_core::citation::human_date(d)) } }
            @if !first.bodies.is_empty() { dt { "Organs" } dd { (first.bodies.join(", ")) } }
            @if let Some(a) = &first.author { dt { "Author" } dd { (a) } }
            @if let Some(t) = &first.doc_type { dt { "Type" } dd { (t) } }
            @if !first.agenda_items.is_empty() { dt { "Agenda items" } dd { (first.agenda_items.join(", ")) } }
            dt { "Language" } dd { (language_label(&first.language)) }
            dt { "Units" } dd { (rows.len()) }
            @if let Some(s) = &first.symbol {
                dt { "Search in it" }
                dd { a href=(SearchParams::default().url_with("symbol", Some(s))) { "paragraphs of this document" } }
            }
            @if !cites.is_empty() || !cited_by.is_empty() {
                // The lists themselves follow the text: a report citing sixty documents would
                // otherwise push its first paragraph off the screen.
                dt { "Citations" }
                dd {
                    @if !cites.is_empty() {
                        a href="#cites" { "cites " (cites.len()) @if cites.len() == 1 { " document" } @else { " documents" } }
                    }
                    @if !cites.is_empty() && !cited_by.is_empty() { " · " }
                    @if !cited_by.is_empty() {
                        a href="#cited-by" { "cited by " (cited_by.len()) @if cited_by.len() == 1 { " document" } @else { " documents" } }
                    }
                    " (listed after the text)"
                }
            }
        }
        @for (row, heads) in rows.iter().zip(&headings) {
            @for (depth, heading) in heads {
                @if *depth == 0 { h2.heading { (heading) } } @else { h3.heading { (heading) } }
            }
            @let locator = UnitId::parse(&row.id).map_or("", |u| u.locator);
            div.unit id=(locator) {
                a.num href=(paragraph_url(&row.id)) title={ "Permalink: " (row.citation) } {
                    // A pilcrow stands in for the number a block is printed without.
                    (row.number.as_deref().unwrap_or("¶")) @if let Some(s) = &row.sub { "(" (s) ")" }
                }
                " "
                span.text lang=(row.language) dir=[text_dir(&row.language)] { (row.text) }
                (chips(row, &SearchParams::default()))
            }
        }
        (document_citations_html(&cites, &cited_by))
    };
    Ok(layout(&name, true, body).into_response())
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

#[cfg(test)]
mod tests {
    use super::merge_spans;

    #[test]
    fn spans_merge_and_invalid_ones_are_dropped() {
        let text = "exercise restraint from using the veto — é";
        let spans = vec![
            (9, 18, "pillar III".to_string()),
            (14, 38, "risk_factor 7".to_string()),
            (100, 120, "out of range".to_string()),
            (text.len() - 1, text.len(), "not a boundary".to_string()),
        ];
        let merged = merge_spans(text, &spans);
        assert_eq!(merged.len(), 1);
        assert_eq!(
            &text[merged[0].0..merged[0].1],
            "restraint from using the veto"
        );
        assert_eq!(
            merged[0].2,
            vec!["pillar III".to_string(), "risk_factor 7".to_string()]
        );
    }
}
