//! Citations between documents, the `cited` facet and filter, and selecting hits for export,
//! over a real index: the 2025 and 2026 Secretary-General reports on the responsibility to
//! protect (`shared/seeds`), read by `undex_extract` and tagged by `undex_tag`, which records
//! each paragraph's citations of UN documents (`cited`). The 2026 report cites the 2025 report
//! A/79/875 with pinpoints ("paras. 46–53", "paras. 37 and 40"), which is the real
//! "cited by" pair tested here. Requests go through `router(..).oneshot(..)`.

use crate::common;

use common::{App, R2025, R2026};

use axum::http::StatusCode;
use serde_json::Value;
use undex_core::ParagraphRow;
use undex_web::citations::pinpoint_covers;

fn rows_of(file: &str) -> Vec<ParagraphRow> {
    common::seed_rows(file, true)
}

fn app() -> App {
    common::app_with(rows_of(R2026), rows_of(R2025))
}

async fn get(app: &App, uri: &str) -> (StatusCode, Vec<u8>) {
    let got = common::get(app, uri).await;
    (got.status, got.body)
}

async fn html(app: &App, uri: &str) -> String {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    String::from_utf8(body).expect("utf-8")
}

async fn json(app: &App, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    serde_json::from_slice(&body).expect("json")
}

/// HTML text escaping as maud does it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)])
        .expect("encode")
        .trim_start_matches("v=")
        .to_string()
}

/// The text between `start` and the next `</section>` (one section of a page).
fn section<'a>(page: &'a str, start: &str) -> &'a str {
    let at = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in page"));
    let rest = &page[at..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn cited_filter_and_facet_on_the_search_api_and_page() {
    let app = app();
    let all_rows: Vec<&ParagraphRow> = app.rows_2026.iter().chain(&app.rows_2025).collect();
    let citing: Vec<&str> = all_rows
        .iter()
        .filter(|r| r.cited.iter().any(|c| c.symbol == "A/67/929"))
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        !citing.is_empty(),
        "the 2026 report cites A/67/929-S/2013/399"
    );
    let res = json(&app, "/api/search?cited=A%2F67%2F929&per_page=100").await;
    assert_eq!(res["total"].as_u64(), Some(citing.len() as u64));
    let ids: Vec<&str> = res["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    for id in &citing {
        assert!(ids.contains(id), "{id}");
    }
    // The facet over the whole index counts A/79/875 as often as rows cite it.
    let all = json(&app, "/api/search?per_page=1").await;
    let facet = all["facets"]["cited"].as_array().expect("cited facet");
    let count_a79 = all_rows
        .iter()
        .filter(|r| r.cited.iter().any(|c| c.symbol == "A/79/875"))
        .count() as u64;
    let bucket = facet
        .iter()
        .find(|b| b["value"] == "A/79/875")
        .expect("A/79/875 bucket");
    assert_eq!(bucket["count"].as_u64(), Some(count_a79));
    // The search page lists the facet with a link adding the filter, and the filter applies.
    let page = html(&app, "/").await;
    assert!(page.contains("Cites document"));
    assert!(page.contains("href=\"/?cited=A%2F79%2F875\""), "facet link");
    let filtered = html(&app, "/?cited=A%2F79%2F875").await;
    assert!(filtered.contains(&format!("of {count_a79} paragraph")));
}

#[tokio::test]
async fn a_paragraph_page_lists_what_it_cites() {
    let app = app();
    let row = app
        .rows_2026
        .iter()
        .find(|r| r.cited.iter().any(|c| c.symbol == "A/67/929"))
        .expect("2026 paragraph citing A/67/929");
    let cite = row
        .cited
        .iter()
        .find(|c| c.symbol == "A/67/929")
        .expect("cite");
    let page = html(&app, &format!("/p/{}", row.id)).await;
    let cites = section(&page, "id=\"cites\"");
    // Not in the index: plain text, with its pinpoint and footnote.
    assert!(cites.contains("A/67/929"), "{cites}");
    assert!(!cites.contains("href=\"/d/A/67/929\""));
    if let Some(p) = &cite.pinpoint {
        assert!(cites.contains(&format!("para. {p}")), "{cites}");
    }
    if let Some(f) = cite.footnote {
        assert!(cites.contains(&format!("footnote {f}")), "{cites}");
    }
    // A cited document that is indexed is linked.
    let row = app
        .rows_2026
        .iter()
        .find(|r| r.cited.iter().any(|c| c.symbol == "A/79/875"))
        .expect("2026 paragraph citing A/79/875");
    let page = html(&app, &format!("/p/{}", row.id)).await;
    assert!(section(&page, "id=\"cites\"").contains("href=\"/d/A/79/875\""));
    let api = json(&app, &format!("/api/paragraphs/{}", row.id)).await;
    let cites = api["cites"].as_array().expect("cites");
    assert_eq!(cites.len(), row.cited.len());
    assert!(
        cites
            .iter()
            .any(|c| c["symbol"] == "A/79/875" && c["url"] == "/d/A/79/875")
    );
}

#[tokio::test]
async fn a_paragraph_cited_with_a_pinpoint_lists_the_citing_paragraph() {
    let app = app();
    // Every (citing row, pinpoint) of the 2026 report that names A/79/875.
    let pinpointed: Vec<(&ParagraphRow, String, Option<u32>)> = app
        .rows_2026
        .iter()
        .flat_map(|r| {
            r.cited
                .iter()
                .filter(|c| c.symbol == "A/79/875")
                .filter_map(move |c| Some((r, c.pinpoint.clone()?, c.footnote)))
        })
        .collect();
    assert!(
        !pinpointed.is_empty(),
        "the 2026 report cites A/79/875 with pinpoints"
    );
    let mut checked = 0;
    for target in &app.rows_2025 {
        let expected: Vec<&(&ParagraphRow, String, Option<u32>)> = pinpointed
            .iter()
            .filter(|(_, p, _)| {
                target
                    .number
                    .as_deref()
                    .is_some_and(|n| pinpoint_covers(p, n))
            })
            .collect();
        if expected.is_empty() || target.sub.is_some() {
            continue;
        }
        checked += 1;
        let page = html(&app, &format!("/p/{}", target.id)).await;
        let cited_by = section(&page, "id=\"cited-by\"");
        for (citing, _, footnote) in &expected {
            assert!(
                cited_by.contains(&format!("href=\"/p/{}\"", citing.id)),
                "{} cited by {}: {cited_by}",
                target.id,
                citing.id
            );
            assert!(cited_by.contains(&esc(&citing.citation)));
            if let Some(f) = footnote {
                assert!(cited_by.contains(&format!("footnote {f}")));
            }
        }
        let api = json(&app, &format!("/api/paragraphs/{}", target.id)).await;
        let got: Vec<&str> = api["cited_by"]
            .as_array()
            .expect("cited_by")
            .iter()
            .filter_map(|c| c["id"].as_str())
            .collect();
        let mut want: Vec<&str> = expected.iter().map(|(r, _, _)| r.id.as_str()).collect();
        want.dedup();
        assert_eq!(got, want, "{}", target.id);
    }
    // "paras. 46–53" and "paras. 37 and 40" cover ten paragraphs.
    assert!(checked >= 3, "checked {checked}");
    // A paragraph outside every pinpoint has no "Cited by" entry.
    let uncited = app
        .rows_2025
        .iter()
        .find(|t| {
            !pinpointed
                .iter()
                .any(|(_, p, _)| t.number.as_deref().is_some_and(|n| pinpoint_covers(p, n)))
        })
        .expect("an uncited paragraph");
    let api = json(&app, &format!("/api/paragraphs/{}", uncited.id)).await;
    assert_eq!(api["cited_by"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn document_pages_list_cites_and_cited_by() {
    let app = app();
    let doc_2026 = &app.rows_2026[0].doc_id;
    let api = json(&app, &format!("/api/documents/{doc_2026}")).await;
    let cites = api["cites"].as_array().expect("cites");
    let a79 = cites
        .iter()
        .find(|c| c["symbol"] == "A/79/875")
        .expect("the 2026 report cites A/79/875");
    let rows_citing = app
        .rows_2026
        .iter()
        .filter(|r| r.cited.iter().any(|c| c.symbol == "A/79/875"))
        .count() as u64;
    assert_eq!(a79["count"].as_u64(), Some(rows_citing));
    assert_eq!(a79["url"], "/d/A/79/875");

    let api = json(&app, "/api/documents/A/79/875").await;
    let cited_by = api["cited_by"].as_array().expect("cited_by");
    let from_2026 = cited_by
        .iter()
        .find(|d| d["doc_id"] == doc_2026.as_str())
        .expect("cited by the 2026 report");
    let paragraphs = from_2026["paragraphs"].as_array().expect("paragraphs");
    assert_eq!(paragraphs.len() as u64, {
        app.rows_2026
            .iter()
            .flat_map(|r| &r.cited)
            .filter(|c| c.symbol == "A/79/875")
            .count() as u64
    });

    let page = html(&app, "/d/A/79/875").await;
    let section_html = section(&page, "id=\"cited-by\"");
    for p in paragraphs {
        let id = p["id"].as_str().expect("id");
        assert!(section_html.contains(&format!("href=\"/p/{id}\"")));
    }
    let page = html(&app, &format!("/d/{doc_2026}")).await;
    assert!(section(&page, "id=\"cites\"").contains("href=\"/d/A/79/875\""));
}

#[tokio::test]
async fn search_page_offers_selection_export_trend_and_feed() {
    let app = app();
    let page = html(&app, "/?q=veto&pillar=III").await;
    let hits = json(&app, "/api/search?q=veto&pillar=III").await;
    let hits = hits["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for h in hits {
        let id = h["id"].as_str().expect("id");
        assert!(
            page.contains(&format!(
                "type=\"checkbox\" name=\"ids\" value=\"{}\" form=\"export\"",
                esc(id)
            )),
            "{id}"
        );
    }
    assert!(page.contains("<form id=\"export\" action=\"/api/export\" method=\"get\">"));
    for format in ["text", "docx", "csl-json", "ris", "bibtex", "csv"] {
        assert!(page.contains(&format!(
            "<button type=\"submit\" name=\"format\" value=\"{format}\">"
        )));
        assert!(
            page.contains(&format!(
                "href=\"/api/export?q=veto&amp;pillar=III&amp;format={format}\""
            )),
            "{format}"
        );
    }
    assert!(page.contains("href=\"/trends?q=veto&amp;pillar=III\""));
    assert!(page.contains("href=\"/feed.atom?q=veto&amp;pillar=III\""));
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    // The export-all link answers with every result.
    let (status, body) = get(&app, "/api/export?q=veto&pillar=III&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(body.as_slice());
    let total = json(&app, "/api/search?q=veto&pillar=III").await["total"]
        .as_u64()
        .expect("total");
    assert_eq!(reader.records().count() as u64, total);
}

#[tokio::test]
async fn export_accepts_repeated_ids_as_checkboxes_send_them() {
    let app = app();
    let a = &app.rows_2026[5];
    let b = &app.rows_2025[10];
    let c = &app.rows_2025[3];
    // As the form sends it: repeated ids, plus the hidden search state and the button's format.
    let uri = format!(
        "/api/export?q=veto&ids={}&ids={}%2C{}&format=csv",
        enc(&a.id),
        enc(&b.id),
        enc(&c.id)
    );
    let (status, body) = get(&app, &uri).await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(body.as_slice());
    let headers = reader.headers().expect("headers").clone();
    let id_col = headers.iter().position(|h| h == "id").expect("id column");
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[id_col].to_string())
        .collect();
    assert_eq!(ids, vec![a.id.clone(), b.id.clone(), c.id.clone()]);
    let text = get(
        &app,
        &format!(
            "/api/export?ids={}&ids={}&format=text",
            enc(&a.id),
            enc(&b.id)
        ),
    )
    .await;
    let text = String::from_utf8(text.1).expect("utf-8");
    assert!(
        text.contains(&a.citation) && text.contains(&b.citation),
        "{text}"
    );
    // An unknown id among repeated ones is a 404.
    let (status, _) = get(
        &app,
        &format!("/api/export?ids={}&ids=A_1_1.en~999", enc(&a.id)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
