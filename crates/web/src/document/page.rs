//! `GET /d/{*symbol_or_id}`: the document page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use undex_core::{ParagraphRow, UnitId};

use super::api::{document_citations, load_document};
use crate::AppState;
use crate::citations::{CitingDocument, DocumentCite};
use crate::links::{encode_segment, paragraph_url};
use crate::params::SearchParams;
use crate::views::{
    HtmlError, chips, language_label, layout, non_un_badge, pinpoint_and_footnote, text_dir,
};

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
                        a href={ "/d/" (encode_segment(doc_id)) } hreflang=(language) { (language_label(language)) }
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
