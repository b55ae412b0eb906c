//! `GET /p/{id}`: the paragraph permalink page.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use undex_core::{Language, ParagraphRow, TextLanguage, UnitId};

use super::evidence::{evidence_list, highlighted_text};
use crate::AppState;
use crate::citations::{CiteEntry, CitedByEntry};
use crate::i18n::{Lang, Ui};
use crate::links::{document_url, paragraph_url};
use crate::params::SearchParams;
use crate::views::{
    HtmlError, chips, language_name, layout, non_un_badge, pinpoint_and_footnote, text_dir,
};

/// The "Cites" and "Cited by" sections of a paragraph page.
fn paragraph_citations_html(ui: &Ui, cites: &[CiteEntry], cited_by: &[CitedByEntry]) -> Markup {
    html! {
        section.citations #cites {
            h2 { (ui.t("cites")) }
            @if cites.is_empty() {
                p.muted { (ui.t("paragraph-cites-none")) }
            } @else {
                ul.cites {
                    @for c in cites {
                        li {
                            @if let Some(u) = &c.url { a href=(u) { (c.symbol) } } @else { (c.symbol) }
                            (pinpoint_and_footnote(ui, c.pinpoint.as_deref(), c.footnote))
                        }
                    }
                }
            }
        }
        section.citations #cited-by {
            h2 { (ui.t("cited-by")) }
            @if cited_by.is_empty() {
                p.muted { (ui.t("paragraph-cited-by-none")) }
            } @else {
                ul.cited-by {
                    @for c in cited_by {
                        li {
                            (ui.t("paragraph-cited-by-item")) " " a href=(c.url) { (c.citation) }
                            @if let Some(f) = c.footnote { (ui.args("pinpoint-footnote", &[("footnote", f.into())])) }
                            @if let Some(p) = &c.pinpoint { " (" (c.symbol) ", " (p) ")" }
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
    ui: &Ui,
    row: &ParagraphRow,
    translations: &[(TextLanguage, ParagraphRow)],
    with: Option<TextLanguage>,
) -> Markup {
    let beside = with.and_then(|w| translations.iter().find(|(l, _)| *l == w));
    html! {
        @if let Some((_, t)) = beside {
            section.side-by-side {
                h2 { (language_name(ui, row.language)) " | " (language_name(ui, t.language)) }
                p.muted { a href=(paragraph_url(&row.id)) { (ui.t("paragraph-one-column")) } }
                div.columns {
                    @for r in [row, t] {
                        div.column lang=(r.language) dir=[text_dir(r.language)] {
                            h3 { a href=(paragraph_url(&r.id)) { (language_name(ui, r.language)) } }
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
                h2 { (ui.t("paragraph-other-languages")) }
                @for (language, t) in translations {
                    div.translation {
                        h3 {
                            a href=(paragraph_url(&t.id)) { (language_name(ui, *language)) }
                            " · "
                            a.beside href={ (paragraph_url(&row.id)) "?with=" (language) } {
                                (ui.t("paragraph-side-by-side")) " " (language_name(ui, row.language)) " | " (language_name(ui, *language))
                            }
                        }
                        p.text lang=(language) dir=[text_dir(*language)] { (t.text) }
                    }
                }
            }
        }
    }
}

pub(crate) async fn paragraph_page(
    State(state): State<AppState>,
    ui: Ui,
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
    // The note is the library's, in English; the French page says the same in French.
    let tags_note = undex_library::languages::tags_note(
        &row,
        translations.iter().any(|(l, _)| *l == Language::En),
    )
    .map(|note| match ui.lang {
        Lang::En => note,
        Lang::Fr => ui.args(
            "paragraph-tags-note",
            &[("language", (&language_name(&ui, row.language)).into())],
        ),
    });
    // A language's code as written ("fr"); anything else is ignored.
    let with = query
        .with
        .as_deref()
        .map(str::trim)
        .and_then(TextLanguage::from_code);
    // Earlier wording is an addition to the page: if it cannot be computed, the page is still
    // served without it (and the error is logged).
    let earlier = match crate::earlier::earlier_wording(&state, &row.id).await {
        Ok(earlier) => Some(earlier),
        Err(err) => {
            tracing::warn!(id = %row.id, "earlier wording unavailable: {err:?}");
            None
        }
    };
    let body = html! {
        nav.crumbs {
            a href="/" { (ui.t("search-title")) } " › "
            a href={ (document_url(&row)) "#" (locator) } { (doc_name) }
        }
        article.paragraph {
            h1.cite { (row.citation) }
            p.copy {
                code #citation { (row.citation) }
                " "
                @if ui.lang == Lang::En {
                    button.copy-citation type="button" data-copy=(row.citation) hidden { "Copy citation" }
                } @else {
                    button.copy-citation type="button" data-copy=(row.citation) data-copied=(ui.t("copy-done")) data-copy-failed=(ui.t("copy-failed")) hidden { (ui.t("copy-citation")) }
                }
            }
            p.meta {
                (non_un_badge(&ui, &row))
                @if let Some(t) = &row.title { span.title { (t) } }
                @if let Some(d) = &row.date { " · " time datetime=(d) { (ui.date(d)) } }
                " · " (ui.args("paragraph-page", &[("page", row.page.into())]))
            }
            @if !row.section_path.is_empty() {
                p.section { (row.section_path.join(" › ")) }
            }
            @if let Some(s) = &row.speaker { p.speaker { (s) } }
            p.text lang=(row.language) dir=[text_dir(row.language)] {
                // A unit printed without a number shows none (its citation gives the page).
                @if let Some(n) = &row.number {
                    span.num { (n) @if let Some(s) = &row.sub { "(" (s) ")" } }
                    " "
                }
                (highlighted_text(&ui, &row))
            }
            (chips(&ui, &row, &SearchParams::for_ui(&ui)))
            @if !row.footnotes.is_empty() {
                section.footnotes {
                    h2 { (ui.t("paragraph-footnotes")) }
                    ol {
                        @for f in &row.footnotes {
                            li value=(f.marker) { (f.text) }
                        }
                    }
                }
            }
            (languages_html(&ui, &row, &translations, with))
            section.tags {
                h2 { (ui.t("paragraph-tags")) }
                @if let Some(note) = &tags_note { p.note.tags-note { (note) } }
                (evidence_list(&ui, &row))
            }
            (paragraph_citations_html(&ui, &cites, &cited_by))
            @if let Some(earlier) = &earlier {
                (crate::earlier::earlier_wording_html_in(&ui, earlier))
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
    Ok(layout(&ui, &row.citation, true, body).into_response())
}
