//! The research endpoints (modules `undex_web::export`, `trends`, `feeds` and `earlier`) over
//! a real index: the 2025 and 2026 Secretary-General reports on the responsibility to protect
//! (`shared/seeds`), read by `undex_extract` and tagged by `undex_tag`. Requests go through
//! `router(..).oneshot(..)`.
//!
//! Earlier wording is computed per request from the index ("more like this" candidates,
//! scored exactly), so each test's in-memory index is all it needs.

use crate::common;

use common::{App, R2025, R2026, get};
use undex_index::UndexIndex;
use undex_web::AppState;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use undex_core::ParagraphRow;

fn rows_of(file: &str) -> Vec<ParagraphRow> {
    common::seed_rows(file, true)
}

fn app() -> App {
    common::app_with(rows_of(R2026), rows_of(R2025))
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).expect("encodes")[2..].to_string()
}

/// 20 paragraph ids, alternating between the reports and out of document order.
fn selection(app: &App) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(app.rows_2026[(i * 7 + 3) % app.rows_2026.len()].id.clone());
        ids.push(
            app.rows_2025[(app.rows_2025.len() - 1 - i * 5) % app.rows_2025.len()]
                .id
                .clone(),
        );
    }
    ids
}

/// Whether every one of `needles` occurs in `haystack`, each after the previous one.
fn in_order(haystack: &str, needles: &[String]) -> bool {
    let mut from = 0;
    for n in needles {
        match haystack[from..].find(n.as_str()) {
            Some(p) => from += p + n.len(),
            None => return false,
        }
    }
    true
}

#[tokio::test]
async fn export_of_a_selection_keeps_every_entry_in_order_in_all_formats() {
    let app = app();
    let ids = selection(&app);
    assert_eq!(ids.len(), 20);
    let rows: Vec<&ParagraphRow> = ids
        .iter()
        .map(|id| {
            app.rows_2026
                .iter()
                .chain(&app.rows_2025)
                .find(|r| &r.id == id)
                .expect("selected row")
        })
        .collect();
    let citations: Vec<String> = rows.iter().map(|r| r.citation.clone()).collect();
    let permalinks: Vec<String> = ids
        .iter()
        .map(|id| undex_analysis::permalink("http://undex.test", id))
        .collect();
    let base = format!("/api/export?ids={}", enc(&ids.join(",")));

    for format in undex_analysis::ExportFormat::ALL {
        let got = get(&app, &format!("{base}&format={format}")).await;
        assert_eq!(got.status, StatusCode::OK, "{format}");
        assert_eq!(got.ctype, format.content_type(), "{format}");
        assert_eq!(
            got.disposition,
            format!(
                "attachment; filename=\"undex-export.{}\"",
                format.file_extension()
            )
        );
        match format {
            undex_analysis::ExportFormat::Text => {
                let text = got.text();
                let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                assert_eq!(lines.len(), 20, "{text}");
                for (line, citation) in lines.iter().zip(&citations) {
                    assert!(line.contains(citation.as_str()), "{line} / {citation}");
                }
            }
            undex_analysis::ExportFormat::Docx => {
                assert!(got.body.starts_with(b"PK"), "a zip package");
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(got.body.clone()))
                    .expect("docx is a zip");
                let mut xml = String::new();
                std::io::Read::read_to_string(
                    &mut zip.by_name("word/document.xml").expect("document.xml"),
                    &mut xml,
                )
                .expect("xml");
                assert!(xml.matches("<w:p>").count() + xml.matches("<w:p ").count() >= 20);
                let escaped: Vec<String> =
                    citations.iter().map(|c| c.replace('&', "&amp;")).collect();
                assert!(in_order(&xml, &escaped), "citations in order in the docx");
            }
            undex_analysis::ExportFormat::CslJson => {
                let items = got.json();
                let items = items.as_array().expect("csl array");
                assert_eq!(items.len(), 20);
                for (item, url) in items.iter().zip(&permalinks) {
                    assert_eq!(item["URL"].as_str(), Some(url.as_str()), "{item}");
                }
            }
            undex_analysis::ExportFormat::Ris => {
                let text = got.text();
                assert_eq!(text.matches("TY  - RPT").count(), 20);
                assert_eq!(text.matches("ER  -").count(), 20);
                assert!(in_order(&text, &permalinks));
            }
            undex_analysis::ExportFormat::Bibtex => {
                let text = got.text();
                assert_eq!(text.matches("@techreport{").count(), 20);
                assert!(in_order(&text, &permalinks));
            }
            undex_analysis::ExportFormat::Csv => {
                let mut reader = csv::Reader::from_reader(got.body.as_slice());
                let got_ids: Vec<String> = reader
                    .records()
                    .map(|r| r.expect("csv record")[0].to_string())
                    .collect();
                assert_eq!(got_ids, ids);
            }
        }
    }

    let bad = get(&app, &format!("{base}&format=pdf")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["code"], "bad_request");
    let unknown = get(&app, "/api/export?ids=A_1_1.en~999&format=csv").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn export_of_a_query_returns_every_match_beyond_the_first_page() {
    let app = app();
    let q = "protect";
    let search = get(&app, &format!("/api/search?q={q}&per_page=100"))
        .await
        .json();
    let total = search["total"].as_u64().expect("total") as usize;
    let first_page = search["hits"].as_array().expect("hits").len();
    // More matches than a default page (20) of /api/search.
    assert!(total > 20, "total {total}");
    let expected: Vec<String> = {
        let mut ids = Vec::new();
        let mut page = 1;
        while ids.len() < total {
            let p = get(&app, &format!("/api/search?q={q}&per_page=100&page={page}"))
                .await
                .json();
            let hits = p["hits"].as_array().expect("hits");
            assert!(!hits.is_empty());
            ids.extend(
                hits.iter()
                    .map(|h| h["id"].as_str().expect("id").to_string()),
            );
            page += 1;
        }
        ids
    };
    assert!(first_page <= total);

    let got = get(
        &app,
        &format!("/api/export?q={q}&format=csv&page=1&per_page=5"),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(got.body.as_slice());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("csv record")[0].to_string())
        .collect();
    assert_eq!(ids.len(), total);
    assert_eq!(ids, expected, "result order of /api/search");

    // A filter narrows the export as it narrows the search.
    let filtered = get(&app, &format!("/api/search?q={q}&year=2025&per_page=1"))
        .await
        .json();
    let got = get(&app, &format!("/api/export?q={q}&year=2025&format=ris")).await;
    assert_eq!(
        got.text().matches("TY  - RPT").count() as u64,
        filtered["total"].as_u64().expect("total")
    );
}

#[tokio::test]
async fn trend_csv_matches_json_counts_and_the_page_shows_chart_and_first_appearance() {
    let app = app();
    for by in ["year", "body", "document"] {
        let json = get(&app, &format!("/api/trends?q=prevention&by={by}")).await;
        assert_eq!(json.status, StatusCode::OK);
        let json = json.json();
        let points = json["points"].as_array().expect("points");
        assert!(!points.is_empty(), "{by}");
        let csv = get(
            &app,
            &format!("/api/trends?q=prevention&by={by}&format=csv"),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.ctype.starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(csv.body.as_slice());
        assert_eq!(
            reader.headers().expect("header").iter().collect::<Vec<_>>(),
            vec![by, "count"]
        );
        let rows: Vec<(String, u64)> = reader
            .records()
            .map(|r| {
                let r = r.expect("record");
                (r[0].to_string(), r[1].parse().expect("count"))
            })
            .collect();
        let from_json: Vec<(String, u64)> = points
            .iter()
            .map(|p| {
                (
                    p["key"].as_str().expect("key").to_string(),
                    p["count"].as_u64().expect("count"),
                )
            })
            .collect();
        assert_eq!(rows, from_json, "{by}");
        let total: u64 = rows.iter().map(|r| r.1).sum();
        assert_eq!(json["total"].as_u64(), Some(total));
    }
    // By year: both reports' years, and the total is the search's total.
    let json = get(&app, "/api/trends?q=prevention&by=year").await.json();
    let keys: Vec<&str> = json["points"]
        .as_array()
        .expect("points")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert_eq!(keys, vec!["2025", "2026"]);
    let search = get(&app, "/api/search?q=prevention").await.json();
    assert_eq!(json["total"], search["total"]);

    let svg = get(&app, "/api/trends?q=prevention&format=svg").await;
    assert_eq!(svg.ctype, "image/svg+xml");
    assert!(svg.text().contains("<svg"));
    assert_eq!(
        get(&app, "/api/trends?by=country").await.status,
        StatusCode::BAD_REQUEST
    );

    // A bad parameter is an HTML error page in the site's frame, naming the parameter.
    let bad = get(&app, "/trends?q=veto&by=country").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = bad.text();
    assert!(bad.contains("Bad request") && bad.contains("by"), "{bad}");
    assert!(
        bad.contains("class=\"mini\"") || bad.contains("role=\"search\""),
        "{bad}"
    );

    let page = get(&app, "/trends?q=%22early+warning%22").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<svg"), "chart inline");
    assert!(html.contains("format=csv"), "link to the CSV");
    // The first appearance is the earliest paragraph (2025 report) containing the phrase.
    let first = app
        .rows_2025
        .iter()
        .find(|r| r.text.to_lowercase().contains("early warning"))
        .expect("phrase in the 2025 report");
    assert!(
        html.contains(&format!("href=\"/p/{}\"", first.id)),
        "{}",
        first.id
    );
    assert!(html.contains(&first.citation));
}

#[tokio::test]
async fn atom_feed_lists_the_newest_matches() {
    let app = app();
    let got = get(&app, "/feed.atom?q=genocide").await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.ctype.starts_with("application/atom+xml"));
    let xml = got.text();
    assert!(xml.contains("<feed") && xml.contains("http://www.w3.org/2005/Atom"));
    assert!(xml.contains("</feed>"));
    let entries = xml.matches("<entry>").count() + xml.matches("<entry ").count();
    assert_eq!(entries, xml.matches("</entry>").count());
    let search = get(&app, "/api/search?q=genocide").await.json();
    let total = search["total"].as_u64().expect("total") as usize;
    assert_eq!(entries, total.min(undex_web::feeds::FEED_LIMIT));
    // Newest first: the first entry is a paragraph of the 2026 report.
    let first_entry = &xml[xml.find("<entry").expect("an entry")..];
    let first_id = first_entry
        .split("<id>")
        .nth(1)
        .and_then(|s| s.split("</id>").next())
        .expect("entry id");
    assert!(first_id.starts_with("http://undex.test/p/"), "{first_id}");
    assert!(
        app.rows_2026
            .iter()
            .any(|r| first_id == undex_analysis::permalink("http://undex.test", &r.id)),
        "{first_id}"
    );
}

#[tokio::test]
async fn paragraph_1_of_2026_has_its_2025_wording_as_earlier() {
    let app = app();
    let p1_2026 = app
        .rows_2026
        .iter()
        .find(|r| r.id.ends_with("~1"))
        .expect("2026 para 1");
    let p1_2025 = app
        .rows_2025
        .iter()
        .find(|r| r.id.ends_with("~1"))
        .expect("2025 para 1");
    assert!(p1_2025.citation.contains("A/79/875"));
    let got = get(
        &app,
        &format!("/api/paragraphs/{}/earlier", enc(&p1_2026.id)),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let json = got.json();
    let earlier = json["earlier"].as_array().expect("earlier");
    assert!(earlier.len() <= undex_web::earlier::EARLIER_K);
    let hit = earlier
        .iter()
        .find(|e| e["id"] == p1_2025.id.as_str())
        .expect("2025 para 1 listed as earlier wording");
    assert_eq!(earlier[0]["id"], p1_2025.id.as_str(), "it is the closest");
    assert!(
        hit["citation"]
            .as_str()
            .expect("citation")
            .contains("A/79/875")
    );
    let diff = hit["diff"].as_array().expect("diff");
    assert!(diff.iter().any(|s| s["kind"] != "equal"), "non-empty diff");
    // Equal + deleted segments give the 2025 text back; equal + inserted the 2026 text.
    let join = |keep: &str| -> String {
        diff.iter()
            .filter(|s| s["kind"] == "equal" || s["kind"] == keep)
            .filter_map(|s| s["text"].as_str())
            .collect()
    };
    assert_eq!(join("deleted"), p1_2025.text);
    assert_eq!(join("inserted"), p1_2026.text);
    // Nothing of the 2025 report comes after it.
    let chain = json["chain"].as_array().expect("chain");
    assert_eq!(chain[0]["id"], p1_2026.id.as_str());
    assert!(chain.len() >= 2);
    assert_eq!(chain[1]["id"], p1_2025.id.as_str());
    assert_eq!(chain[1]["score"], hit["score"]);
    let scores: Vec<f64> = earlier.iter().filter_map(|e| e["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| (0.2..=1.0).contains(s)), "{scores:?}");
    // 2025 is the earliest report indexed: nothing earlier, a chain of one.
    let first = get(
        &app,
        &format!("/api/paragraphs/{}/earlier", enc(&p1_2025.id)),
    )
    .await
    .json();
    assert_eq!(
        first["earlier"].as_array().map(Vec::len),
        Some(0),
        "{first}"
    );
    assert_eq!(first["chain"].as_array().map(Vec::len), Some(1), "{first}");

    // The HTML section for the paragraph page marks the changes.
    let state_index = UndexIndex::in_memory().expect("index");
    state_index
        .replace_documents(&[app.rows_2026.clone(), app.rows_2025.clone()])
        .expect("ingest");
    let state = AppState::new(state_index);
    let resp = undex_web::earlier::earlier_wording(&state, &p1_2026.id)
        .await
        .expect("earlier wording");
    let html = undex_web::earlier::earlier_wording_html(&resp).into_string();
    assert!(html.contains("<ins>") || html.contains("<del>"), "{html}");
    assert!(html.contains(&format!("href=\"/p/{}\"", p1_2025.id)));

    let missing = get(&app, "/api/paragraphs/A_1_1.en~999/earlier").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// The rows `/api/search` lists for `query` (a query string such as `q=veto&year=2025`), all
/// pages, as the app's rows.
async fn matching_rows(app: &App, query: &str) -> Vec<ParagraphRow> {
    let all: std::collections::HashMap<&str, &ParagraphRow> = app
        .rows_2026
        .iter()
        .chain(&app.rows_2025)
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut rows = Vec::new();
    for page in 1.. {
        let v = get(
            app,
            &format!("/api/search?{query}&per_page=100&page={page}"),
        )
        .await
        .json();
        let hits = v["hits"].as_array().expect("hits");
        // The rows holding all the words (those `total` counts); partial matches follow them.
        rows.extend(
            hits.iter()
                .filter(|h| h["all_words"].as_bool().expect("all_words"))
                .map(|h| all[h["id"].as_str().expect("id")].clone()),
        );
        if hits.is_empty() || rows.len() as u64 >= v["total"].as_u64().expect("total") {
            break;
        }
    }
    rows
}

/// The `<id>` of each entry of an Atom feed, in order.
fn entry_ids(xml: &str) -> Vec<String> {
    xml.split("<entry")
        .skip(1)
        .filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next())
        .map(str::to_string)
        .collect()
}

/// Issue #16: trends, feeds and the first appearance no longer read every matching row (they
/// count from the index's fast columns and read documents newest or oldest first); they give
/// what the row-by-row computations of `undex_analysis` give over all the matching rows.
#[tokio::test]
async fn trends_feed_and_first_appearance_equal_the_row_by_row_computation() {
    let app = app();
    for query in [
        "q=",
        "q=prevention",
        "q=veto+restraint",
        "q=%22early+warning%22",
        "q=genocide&year=2025",
        "q=protect+NOT+prevention",
        "q=nosuchwordanywhere",
    ] {
        let rows = matching_rows(&app, query).await;
        for dim in [
            undex_analysis::TrendDimension::Year,
            undex_analysis::TrendDimension::Body,
            undex_analysis::TrendDimension::Document,
        ] {
            let got = get(&app, &format!("/api/trends?{query}&by={}", dim.as_str()))
                .await
                .json();
            let expected = undex_analysis::trend(&rows, dim);
            assert_eq!(
                got["points"],
                serde_json::to_value(&expected.points).expect("json"),
                "{query} by {}",
                dim.as_str()
            );
            assert_eq!(got["total"].as_u64(), Some(expected.total()));
        }
        let feed = get(&app, &format!("/feed.atom?{query}")).await.text();
        let expected = undex_analysis::atom_feed(
            &rows,
            &undex_analysis::FeedOptions {
                base_url: "http://undex.test".into(),
                query: String::new(),
                limit: undex_web::feeds::FEED_LIMIT,
                self_url: None,
                search_url: None,
            },
        )
        .expect("feed");
        assert_eq!(entry_ids(&feed), entry_ids(&expected), "{query}");

        let q = serde_urlencoded::from_str::<Vec<(String, String)>>(query).expect("query")[0]
            .1
            .clone();
        let page = get(&app, &format!("/trends?{query}")).await.text();
        if q.is_empty() {
            assert!(!page.contains("First appearance"));
            continue;
        }
        // The first appearance is the earliest of the rows the chart counts (issue #15).
        let earliest = rows.iter().min_by(|a, b| {
            (a.date.is_none(), &a.date, &a.doc_id, a.position).cmp(&(
                b.date.is_none(),
                &b.date,
                &b.doc_id,
                b.position,
            ))
        });
        match earliest {
            Some(first) => assert!(
                page.contains(&format!("<a href=\"/p/{}\">", first.id)),
                "{query}: first appearance {}",
                first.id
            ),
            None => assert!(page.contains("No paragraph matches."), "{query}"),
        }
    }
}

/// Issue #16: an export of a search reads at most a set number of rows, in result order, and
/// says when it stopped there; the response headers give the counts.
#[tokio::test]
async fn an_export_past_its_row_limit_is_cut_and_says_so() {
    let app = app();
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[app.rows_2026.clone(), app.rows_2025.clone()])
        .expect("ingest");
    let selection = undex_index::Selection {
        q: "protect".into(),
        ..undex_index::Selection::default()
    };
    let options = undex_analysis::ExportOptions {
        base_url: "http://undex.test".into(),
        quote_text: false,
    };
    let exporter = undex_library::export::Exporter::new(
        &index,
        undex_library::export::ExportRequest {
            format: undex_analysis::ExportFormat::Csv,
            options,
            language: None,
        },
    );
    let whole = exporter
        .search(&selection, undex_library::export::MAX_EXPORT_ROWS)
        .expect("export");
    assert!(!whole.truncated() && whole.rows == whole.total && whole.total > 20);
    let cut = exporter.search(&selection, 7).expect("export");
    assert!(cut.truncated());
    assert_eq!((cut.rows, cut.total), (7, whole.total));
    let ids = |bytes: &[u8]| -> Vec<String> {
        csv::Reader::from_reader(bytes)
            .records()
            .map(|r| r.expect("record")[0].to_string())
            .collect()
    };
    assert_eq!(
        ids(&cut.bytes),
        ids(&whole.bytes)[..7],
        "the first rows, in order"
    );

    // Over HTTP: the counts in headers, no truncation note under the limit.
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/export?q=protect&format=csv")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let total = whole.total.to_string();
    assert_eq!(
        header(undex_web::export::TOTAL_HEADER).as_deref(),
        Some(total.as_str())
    );
    assert_eq!(
        header(undex_web::export::EXPORTED_HEADER).as_deref(),
        Some(total.as_str())
    );
    assert_eq!(header(undex_web::export::TRUNCATED_HEADER), None);
}
