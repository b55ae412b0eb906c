//! `GET /d/{*symbol_or_id}`: the document page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use undex_core::{ParagraphRow, UnitId};

use super::api::{document_citations, load_document};
use crate::AppState;
use crate::citations::{CitingDocument, DocumentCite};
use crate::i18n::Ui;
use crate::links::{encode_segment, paragraph_url};
use crate::params::SearchParams;
use crate::views::{
    HtmlError, chips, language_name, layout, non_un_badge, pinpoint_and_footnote, text_dir,
};

/// The "Cites" and "Cited by" sections of a document page.
fn document_citations_html(ui: &Ui, cites: &[DocumentCite], cited_by: &[CitingDocument]) -> Markup {
    let search = SearchParams::for_ui(ui);
    html! {
        @if !cites.is_empty() {
            section.citations #cites {
                h2 { (ui.t("cites")) }
                ul.cites {
                    @for c in cites {
                        li {
                            @if let Some(u) = &c.url { a href=(u) { (c.symbol) } } @else { (c.symbol) }
                            " " span.count { "(" (ui.args("document-cite-count", &[("count", c.count.into())])) ")" }
                            " " a.small href=(search.url_with("cited", Some(&c.symbol))) { (ui.t("document-citing-it")) }
                        }
                    }
                }
            }
        }
        @if !cited_by.is_empty() {
            section.citations #cited-by {
                h2 { (ui.t("cited-by")) }
                ul.cited-by {
                    @for d in cited_by {
                        li {
                            a href=(d.url) { (d.symbol.as_deref().or(d.title.as_deref()).unwrap_or(&d.doc_id)) }
                            @if d.symbol.is_some() { @if let Some(t) = &d.title { " — " span.title { (t) } } }
                            ul {
                                @for p in &d.paragraphs {
                                    li {
                                        a href=(p.url) { (p.citation) }
                                        " " (ui.t("document-cites")) " " (p.symbol)
                                        (pinpoint_and_footnote(ui, p.pinpoint.as_deref(), p.footnote))
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

/// The headings to print before each row, as (depth from 0, heading): the part of its section
/// path that differs from the previous row's.
fn headings(rows: &[ParagraphRow]) -> Vec<Vec<(usize, &str)>> {
    let mut previous: &[String] = &[];
    let mut headings: Vec<Vec<(usize, &str)>> = Vec::with_capacity(rows.len());
    for row in rows {
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
    headings
}

/// `GET /d/{*key}`: a document with every paragraph under its headings.
pub(crate) async fn document_page(
    State(state): State<AppState>,
    ui: Ui,
    Path(key): Path<String>,
) -> Result<Response, HtmlError> {
    let rows = load_document(&state, key).await?;
    // Citations are an addition to the page: if they cannot be looked up, the page is still
    // served without them (and the error is logged).
    let (cites, cited_by) = match document_citations(&state, &rows).await {
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
    let headings = headings(&rows);
    let search = SearchParams::for_ui(&ui);
    let body = html! {
        nav.crumbs { a href="/" { (ui.t("search-title")) } " › " (name) }
        h1 { @if let Some(t) = &first.title { (t) } @else { (name) } }
        @if !first.is_un_document() { p { (non_un_badge(&ui, first)) } }
        @if versions.len() > 1 {
            nav.languages aria-label=(ui.t("document-versions")) {
                (ui.t("document-language-label")) " "
                @for (i, (language, doc_id)) in versions.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if *doc_id == first.doc_id {
                        strong aria-current="page" { (language_name(&ui, *language)) }
                    } @else {
                        a href={ "/d/" (encode_segment(doc_id)) } hreflang=(language) { (language_name(&ui, *language)) }
                    }
                }
            }
        }
        dl.docmeta {
            @if let Some(s) = &first.symbol { dt { (ui.t("document-symbol")) } dd { (s) } }
            @if let Some(d) = &first.date { dt { (ui.t("document-date")) } dd { (ui.date(d)) } }
            @if !first.bodies.is_empty() { dt { (ui.t("document-organs")) } dd { (first.bodies.join(", ")) } }
            @if let Some(a) = &first.author { dt { (ui.t("document-author")) } dd { (a) } }
            @if let Some(t) = &first.doc_type { dt { (ui.t("document-type")) } dd { (t) } }
            @if !first.agenda_items.is_empty() { dt { (ui.t("document-agenda-items")) } dd { (first.agenda_items.join(", ")) } }
            dt { (ui.t("document-language")) } dd { (language_name(&ui, first.language)) }
            dt { (ui.t("document-units")) } dd { (rows.len()) }
            @if let Some(s) = &first.symbol {
                dt { (ui.t("document-search-in-it")) }
                dd { a href=(SearchParams::for_ui(&ui).url_with("symbol", Some(s))) { (ui.t("document-search-paragraphs")) } }
            }
            @if !cites.is_empty() || !cited_by.is_empty() {
                // The lists themselves follow the text: a report citing sixty documents would
                // otherwise push its first paragraph off the screen.
                dt { (ui.t("document-citations")) }
                dd {
                    @if !cites.is_empty() {
                        a href="#cites" { (ui.args("document-cites-n", &[("count", cites.len().into())])) }
                    }
                    @if !cites.is_empty() && !cited_by.is_empty() { " · " }
                    @if !cited_by.is_empty() {
                        a href="#cited-by" { (ui.args("document-cited-by-n", &[("count", cited_by.len().into())])) }
                    }
                    " " (ui.t("document-listed-after"))
                }
            }
        }
        @for (row, heads) in rows.iter().zip(&headings) {
            @for (depth, heading) in heads {
                @if *depth == 0 { h2.heading { (heading) } } @else { h3.heading { (heading) } }
            }
            @let locator = UnitId::parse(&row.id).map_or("", |u| u.locator);
            div.unit id=(locator) {
                a.num href=(paragraph_url(&row.id)) title=(ui.args("document-permalink", &[("citation", (&row.citation).into())])) {
                    // A pilcrow stands in for the number a block is printed without.
                    (row.number.as_deref().unwrap_or("¶")) @if let Some(s) = &row.sub { "(" (s) ")" }
                }
                " "
                span.text lang=(row.language) dir=[text_dir(row.language)] { (row.text) }
                (chips(&ui, row, &search))
            }
        }
        (document_citations_html(&ui, &cites, &cited_by))
    };
    Ok(layout(&ui, &name, true, body).into_response())
}
