//! The web app over a real index: the 2025 and 2026 Secretary-General reports on the
//! responsibility to protect (`shared/seeds`), read by `undex_extract`, with hand tags and
//! evidence on the veto paragraph (the tagger is a separate crate). Requests go through
//! `router(..).oneshot(..)`; no socket.

#[path = "api/cite.rs"]
mod cite;
use crate::common;
#[path = "api/mcp_http.rs"]
mod mcp_http;
#[path = "api/openapi.rs"]
mod openapi;

use common::{App, R2025, R2026};
use undex_index::UndexIndex;
use undex_web::AppState;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;
use undex_core::{Evidence, EvidenceRow, ParagraphRow};

fn rows_of(file: &str) -> Vec<ParagraphRow> {
    common::seed_rows(file, false)
}

/// Tags paragraph 28 of the 2026 report (pillar III, with evidence on the veto phrase).
fn tagged_2026() -> Vec<ParagraphRow> {
    let mut rows = rows_of(R2026);
    for r in &mut rows {
        if r.id.ends_with("~28") {
            let phrase = "restraint from using the veto";
            let start = r.text.find(phrase).expect("veto phrase in paragraph 28");
            r.pillars = vec!["III".into()];
            r.recommendation = true;
            r.addressees = vec!["Security Council".into()];
            r.evidence = vec![EvidenceRow {
                family: "pillar".into(),
                value: "III".into(),
                evidence: Evidence {
                    start,
                    end: start + phrase.len(),
                    text: phrase.into(),
                    rule: "pillar.III.lexicon:veto".into(),
                    confidence: 0.9,
                },
            }];
        }
    }
    rows
}

fn app() -> App {
    common::app_with(tagged_2026(), rows_of(R2025))
}

async fn get(app: &App, uri: &str) -> (StatusCode, String, String) {
    let got = common::get(app, uri).await;
    let body = String::from_utf8_lossy(&got.body).into_owned();
    (got.status, got.ctype, body)
}

async fn get_json(app: &App, uri: &str) -> (StatusCode, Value) {
    let (status, ctype, body) = get(app, uri).await;
    assert!(
        ctype.starts_with("application/json"),
        "{uri}: {ctype}: {body}"
    );
    (status, serde_json::from_str(&body).expect("json"))
}

#[tokio::test]
async fn api_search_ranks_the_veto_paragraph_and_reports_facets() {
    let app = app();
    let (status, v) = get_json(&app, "/api/search?q=veto+restraint&per_page=3").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["page"], 1);
    assert_eq!(v["per_page"], 3);
    let hits = v["hits"].as_array().expect("hits");
    assert!(hits.len() <= 3);
    let para28 = app
        .rows_2026
        .iter()
        .find(|r| r.id.ends_with("~28"))
        .expect("28");
    let hit = hits
        .iter()
        .find(|h| h["id"] == para28.id.as_str())
        .expect("28 in top three");
    assert_eq!(hit["citation"], para28.citation.as_str());
    assert_eq!(hit["url"], format!("/p/{}", para28.id));
    assert!(
        hit["snippet"]
            .as_str()
            .expect("snippet")
            .contains("<mark>veto</mark>")
    );
    assert_eq!(hit["pillars"][0], "III");
    let pillar = &v["facets"]["pillar"][0];
    assert_eq!(
        (pillar["value"].as_str(), pillar["count"].as_u64()),
        (Some("III"), Some(1))
    );
    assert_eq!(v["facets_approximate"], false);
    // Callers that show no facets can skip them; the hits and total are the same.
    let (status, bare) =
        get_json(&app, "/api/search?q=veto+restraint&per_page=3&facets=false").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bare["facets"], serde_json::json!({}));
    assert_eq!((&bare["total"], &bare["hits"]), (&v["total"], &v["hits"]));
}

/// `facet_rows`: a small index counts every match by default; a smaller sample than the
/// matches gives estimates, marked; one at least the total gives the exact counts again; 0
/// or a word is a 400 naming the parameter.
#[tokio::test]
async fn api_facet_rows_chooses_the_sample() {
    let app = app();
    let (status, whole) = get_json(&app, "/api/search?q=&per_page=1").await;
    assert_eq!(status, StatusCode::OK);
    let total = whole["total"].as_u64().expect("total");
    assert!(total > 100, "{total} paragraphs");
    assert_eq!(whole["facets_approximate"], false);
    let (_, sampled) = get_json(&app, "/api/search?q=&per_page=1&facet_rows=10").await;
    assert_eq!(sampled["facets_approximate"], true);
    assert_ne!(sampled["facets"], whole["facets"]);
    assert_eq!(sampled["total"], whole["total"]);
    let (_, exact) = get_json(
        &app,
        &format!("/api/search?q=&per_page=1&facet_rows={total}"),
    )
    .await;
    assert_eq!(exact["facets_approximate"], false);
    assert_eq!(exact["facets"], whole["facets"]);
    for bad in ["0", "many"] {
        let (status, err) = get_json(&app, &format!("/api/search?q=&facet_rows={bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(err.to_string().contains("facet_rows"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn api_filters_and_pagination() {
    let app = app();
    let (_, all) = get_json(&app, "/api/search?per_page=100").await;
    let total = app.rows_2026.len() + app.rows_2025.len();
    assert_eq!(all["total"], total);
    let (_, y) = get_json(&app, "/api/search?year=2025&per_page=5&page=2").await;
    assert_eq!(y["total"], app.rows_2025.len());
    assert_eq!(y["hits"][0]["id"], app.rows_2025[5].id.as_str());
    let (_, p) = get_json(
        &app,
        "/api/search?pillar=III&rec=true&body=Security+Council",
    )
    .await;
    assert_eq!(p["total"], 1);
    let (_, s) = get_json(&app, "/api/search?q=symbol:%22A/79/875%22&per_page=1").await;
    assert_eq!(s["total"], app.rows_2025.len());
    // Empty values are absent, not errors (forms submit them).
    let (status, _) = get_json(&app, "/api/search?q=veto&year=&page=").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn bad_requests_are_400_json() {
    let app = app();
    for (uri, code) in [
        ("/api/search?q=%28veto", "invalid_query"),
        ("/api/search?q=nosuchfield:x", "invalid_query"),
        ("/api/search?q=veto&page=abc", "bad_request"),
        ("/api/search?q=veto&page=0", "bad_request"),
        ("/api/search?q=veto&per_page=1000", "bad_request"),
        ("/api/search?rec=maybe", "bad_request"),
        ("/api/search?risk=300", "bad_request"),
        ("/?q=veto&page=abc", "bad_request"),
    ] {
        let (status, v) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["code"], code, "{uri}");
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
    // The HTML search page shows a parse error as a page, still 400.
    let (status, ctype, body) = get(&app, "/?q=%22veto").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(ctype.starts_with("text/html"));
    assert!(body.contains("does not parse"));
}

/// Issue #16: one GET used to abort the server, through the stack (thousands of nested
/// parentheses reached tantivy's recursive grammar) or the heap (a page number sized the
/// top-k collector: `memory allocation of 32000000000 bytes failed`). Each is now a 400
/// on every route that takes a query, and the same app keeps answering.
#[tokio::test]
async fn hostile_queries_and_pages_are_400_and_the_server_keeps_serving() {
    let app = app();
    let enc = |q: &str| q.replace('(', "%28").replace(')', "%29").replace(' ', "+");
    let nested = enc(&format!("{}veto{}", "(".repeat(3000), ")".repeat(3000)));
    let shapes = [
        nested,
        enc(&format!("{}veto", "-(".repeat(2000))),
        enc(&format!("{}veto", "+(".repeat(2000))),
        enc(&format!("{}veto", "NOT (".repeat(900))),
        enc(&"(".repeat(3000)),
        enc(&"NOT ".repeat(400)),
    ];
    for q in &shapes {
        for route in [
            "/api/search",
            "/",
            "/api/export",
            "/api/trends",
            "/trends",
            "/feed.atom",
        ] {
            let uri = format!("{route}?q={q}&format=csv");
            let (status, _, body) = get(&app, &uri).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{route}: {}",
                &body[..body.len().min(200)]
            );
        }
    }
    for uri in [
        "/api/search?q=veto&page=20000000&per_page=100",
        "/api/search?q=veto&page=100000000&per_page=100",
        "/api/search?q=veto&page=101&per_page=100",
        "/?q=veto&page=20000000&per_page=100",
        &format!("/api/search?q=veto&page={}", usize::MAX),
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains("page"), "{uri}: {body}");
    }
    // The last page inside the window still answers.
    let (status, v) = get_json(&app, "/api/search?page=100&per_page=100").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["hits"].as_array().map(Vec::len), Some(0));
    let (status, v) = get_json(&app, "/api/search?q=veto+restraint").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["total"].as_u64().is_some_and(|t| t > 0));
}

#[tokio::test]
async fn not_found_is_404_json_under_api_and_html_elsewhere() {
    let app = app();
    for uri in [
        "/api/paragraphs/no~such",
        "/api/documents/A/80/1",
        "/api/nothing",
    ] {
        let (status, v) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(v["code"], "not_found");
    }
    for uri in ["/p/no~such", "/d/A/80/1", "/nothing"] {
        let (status, ctype, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(ctype.starts_with("text/html"), "{uri}");
        assert!(body.contains("Not found"));
    }
}

#[tokio::test]
async fn api_paragraph_and_document() {
    let app = app();
    let d = &app.rows_2025;
    let (status, v) = get_json(&app, &format!("/api/paragraphs/{}", d[3].id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["text"], d[3].text.as_str());
    assert_eq!(v["citation"], d[3].citation.as_str());
    assert_eq!(v["prev"], d[2].id.as_str());
    assert_eq!(v["next"], d[4].id.as_str());
    let (_, first) = get_json(&app, &format!("/api/paragraphs/{}", d[0].id)).await;
    assert!(first["prev"].is_null());
    for key in ["A/79/875", "A/79/875-S/2025/248", "A_79_875.en"] {
        let (status, doc) = get_json(&app, &format!("/api/documents/{key}")).await;
        assert_eq!(status, StatusCode::OK, "{key}");
        assert_eq!(doc["symbol"], "A/79/875-S/2025/248");
        assert_eq!(doc["paragraphs"], d.len());
        let ids: Vec<&str> = doc["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        let expected: Vec<&str> = d.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, expected, "{key}");
    }
}

#[tokio::test]
async fn search_page_renders_hits_facets_and_filter_links() {
    let app = app();
    let (status, ctype, body) = get(&app, "/?q=veto+restraint").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/html"));
    let para28 = app
        .rows_2026
        .iter()
        .find(|r| r.id.ends_with("~28"))
        .expect("28");
    assert!(body.contains(&format!("href=\"/p/{}\"", para28.id)));
    assert!(body.contains("<mark>veto</mark>"));
    // Facet link adding the pillar filter while keeping the query, and a chip.
    assert!(
        body.contains("href=\"/?q=veto+restraint&amp;pillar=III\""),
        "facet link"
    );
    assert!(body.contains("Pillar III"));
    // With the filter on, the link removes it and the hidden input keeps it in the form.
    let (_, _, filtered) = get(&app, "/?q=veto+restraint&pillar=III").await;
    assert!(filtered.contains("1–1 of 1 paragraph<"), "summary");
    assert!(
        filtered.contains("href=\"/?q=veto+restraint\""),
        "remove link"
    );
    assert!(filtered.contains("type=\"hidden\" name=\"pillar\" value=\"III\""));
    // Pagination over the whole 2025 report.
    let (_, _, listing) = get(&app, "/?year=2025").await;
    assert!(
        listing.contains("href=\"/?year=2025&amp;page=2\""),
        "next page link"
    );
    // User input is escaped.
    let (_, _, escaped) = get(&app, "/?q=%3Cscript%3E").await;
    assert!(!escaped.contains("<script>"));
}

#[tokio::test]
async fn paragraph_page_shows_evidence_footnotes_and_neighbours() {
    let app = app();
    let para28 = app
        .rows_2026
        .iter()
        .find(|r| r.id.ends_with("~28"))
        .expect("28");
    let (status, _, body) = get(&app, &format!("/p/{}", para28.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&para28.citation));
    assert!(
        body.contains("title=\"evidence for pillar III\">restraint from using the veto</mark>")
    );
    assert!(body.contains(
        "tagged <strong>pillar III</strong> because: <q>restraint from using the veto</q>"
    ));
    assert!(body.contains("data-copy=\""));
    let pos = usize::try_from(para28.position).expect("position");
    let prev = &app.rows_2026[pos - 1];
    let next = &app.rows_2026[pos + 1];
    assert!(body.contains(&format!("href=\"/p/{}\"", prev.id)));
    assert!(body.contains(&format!("href=\"/p/{}\"", next.id)));
    for f in &para28.footnotes {
        assert!(body.contains(&format!("<li value=\"{}\">", f.marker)));
    }
    assert!(
        !para28.footnotes.is_empty(),
        "paragraph 28 carries footnotes 46 and 47"
    );
}

#[tokio::test]
async fn document_page_lists_every_paragraph_under_headings() {
    let app = app();
    let (status, _, body) = get(&app, "/d/A/79/875-S/2025/248").await;
    assert_eq!(status, StatusCode::OK);
    for r in &app.rows_2025 {
        let locator = r.id.split_once('~').expect("locator").1;
        assert!(
            body.contains(&format!("id=\"{locator}\"")),
            "anchor {locator}"
        );
    }
    let mut sections: Vec<&str> = app
        .rows_2025
        .iter()
        .filter_map(|r| r.section_path.first().map(String::as_str))
        .collect();
    sections.dedup();
    assert!(!sections.is_empty());
    for s in sections {
        let escaped = s
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            body.contains(&format!("<h2 class=\"heading\">{escaped}</h2>")),
            "heading {s}"
        );
    }
}

#[tokio::test]
async fn static_assets_are_embedded() {
    let app = app();
    let (status, ctype, css) = get(&app, "/static/style.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/css"));
    assert!(css.contains("--un-blue"));
    let (status, ctype, js) = get(&app, "/static/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/javascript"));
    assert!(js.contains("clipboard"));
}

#[tokio::test]
async fn serves_an_on_disk_index_over_loopback() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = rows_of(R2025);
    UndexIndex::open_or_create(dir.path())
        .expect("create")
        .replace_documents(std::slice::from_ref(&rows))
        .expect("ingest");
    let index = UndexIndex::open_read_only(dir.path()).expect("open read-only");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(undex_web::serve_on(listener, AppState::new(index), async {
        let _ = stopped.await;
    }));
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    conn.write_all(b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("send");
    let mut response = String::new();
    conn.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let body = response.split("\r\n\r\n").nth(1).expect("body");
    let v: Value = serde_json::from_str(body).expect("json");
    assert_eq!(v["documents"], 1);
    assert_eq!(v["paragraphs"], rows.len());
    stop.send(()).expect("stop");
    server.await.expect("join").expect("clean shutdown");
}

/// Issue #16: no query string makes `/api/search` or the search page answer 5xx. Queries are
/// drawn from the query language's own pieces (operators, quotes, escapes, field names,
/// ranges, boosts), from its characters at random, as very long words, and as any Unicode;
/// each is sent to both routes, which must answer 200 or a 400 that names the problem. A fixed
/// seed keeps the cases the same on every run (`fuzz/`, the `query` target, explores further).
#[test]
fn no_query_string_makes_search_answer_5xx() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

    // Pieces of the query language and of real queries, separated by `|`.
    const PIECES: &str = "(|)|\"|'|+|-|:|*|\\|^|~|[|]|{|}|/| | | |AND|OR|NOT|TO|pillar:|year:|\
        text:|risk:|lang:|symbol:|cited:|body:|type:|rec:|recommendation:|addressee:|\
        risk_factor:|id:|position:|nosuchfield:|veto|restraint|III|7|2026|A/79/875|S/RES/2803|\
        é|否决|\u{0}|\u{feff}|\u{200b}";
    let piece = prop::sample::select(PIECES.split('|').collect::<Vec<_>>());
    let queries = prop_oneof![
        prop::collection::vec(piece, 0..24).prop_map(|p| p.concat()),
        "[()\"'+\\-:*\\\\ ^~\\[\\]{}/a-zA-Z0-9]{0,60}",
        "[a-z]{1,3}[a-zA-Z0-9]{200,2500}",
        (1usize..40, "[a-z:]{0,8}").prop_map(|(n, w)| format!(
            "{}{w}{}",
            "(".repeat(n),
            ")".repeat(n / 2)
        )),
        any::<String>(),
        "\\PC{0,80}",
    ];
    let app = app();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(16),
        ..Config::default()
    });
    runner
        .run(&queries, |q| {
            let encoded = serde_urlencoded::to_string([("q", &q)]).expect("urlencode");
            for route in ["/api/search", "/"] {
                let uri = format!("{route}?{encoded}");
                let (status, ctype, body) = rt.block_on(get(&app, &uri));
                let head: String = body.chars().take(300).collect();
                prop_assert!(
                    status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
                    "{route} {q:?}: {status}: {head}"
                );
                if route == "/api/search" {
                    let v: Value = serde_json::from_str(&body)
                        .map_err(|e| TestCaseError::fail(format!("{q:?}: {e}: {head}")))?;
                    if status == StatusCode::BAD_REQUEST {
                        prop_assert!(
                            v["code"] == "invalid_query" || v["code"] == "bad_request",
                            "{q:?}: {head}"
                        );
                    }
                } else {
                    prop_assert!(ctype.starts_with("text/html"), "{q:?}: {ctype}");
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Issue #16: every response carries the security headers (pages, API, assets, errors), and
/// the policy allows what the pages use: their script and style sheet from the site, no
/// inline script or style.
#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = app();
    for uri in [
        "/",
        "/?q=veto+restraint",
        "/api/search?q=veto",
        "/api/search?q=%28veto",
        "/static/app.js",
        "/static/style.css",
        "/no/such/page",
        "/api/no-such-route",
        "/trends?q=prevention",
        "/feed.atom?q=veto",
    ] {
        let res = app
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        let headers = res.headers();
        assert_eq!(
            headers
                .get(header::CONTENT_SECURITY_POLICY)
                .map(|v| v.to_str().ok()),
            Some(Some(undex_web::serve::CONTENT_SECURITY_POLICY)),
            "{uri}"
        );
        assert_eq!(
            headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{uri}"
        );
        assert_eq!(
            headers.get(header::REFERRER_POLICY).map(|v| v.as_bytes()),
            Some(undex_web::serve::REFERRER_POLICY.as_bytes()),
            "{uri}"
        );
    }
    let csp = undex_web::serve::CONTENT_SECURITY_POLICY;
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let (_, _, page) = get(&app, "/?q=veto").await;
    assert!(
        page.contains("<script src=\"/static/app.js\""),
        "external script only"
    );
    assert!(
        !page.contains("<script>") && !page.contains("style=\""),
        "nothing inline"
    );
}

/// Issue #16: a field wildcard (`text:*`, a field that exists but is not a fast field, or an
/// unknown one) was a 500; it is a 400 `invalid_query` naming the field.
#[tokio::test]
async fn field_wildcards_are_400_invalid_query() {
    let app = app();
    for q in [
        "text:*",
        "title:*",
        "foo:*",
        "text:* veto",
        "veto AND title:*",
    ] {
        let encoded = serde_urlencoded::to_string([("q", q)]).expect("urlencode");
        for route in ["/api/search", "/api/trends", "/feed.atom", "/api/export"] {
            let (status, _, body) = get(&app, &format!("{route}?{encoded}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{route} {q}: {body}");
            let v: Value = serde_json::from_str(&body).expect("json");
            assert_eq!(v["code"], "invalid_query", "{route} {q}: {body}");
        }
        let (status, _, body) = get(&app, &format!("/?{encoded}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "/ {q}: {body}");
    }
}

/// Issue #16: the JSON API showed the server's absolute file paths (`source_file`); it shows
/// the file name only.
#[tokio::test]
async fn api_shows_source_file_names_not_server_paths() {
    let app = app();
    let row = &app.rows_2025[3];
    assert!(row.source_file.contains('/'), "the fixture has a path");
    let name = row.source_file.rsplit('/').next().expect("name");
    let (_, v) = get_json(&app, &format!("/api/paragraphs/{}", row.id)).await;
    assert_eq!(v["source_file"], name);
    let (_, doc) = get_json(&app, "/api/documents/A/79/875").await;
    assert_eq!(doc["source_file"], name);
    for r in doc["rows"].as_array().expect("rows") {
        assert_eq!(r["source_file"], name);
    }
    let (_, _, body) = get(&app, "/api/documents/A/79/875").await;
    assert!(!body.contains(&row.source_file), "no path anywhere");
}

/// The index folder of a server's test: every file's name, size and modification time.
fn snapshot(dir: &std::path::Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            let meta = e.metadata().expect("metadata");
            (
                e.file_name().to_string_lossy().into_owned(),
                meta.len(),
                meta.modified().expect("mtime"),
            )
        })
        .collect();
    files.sort();
    files
}

/// Issue #16: serving opens the index read-only. tantivy's default directory creates and
/// write-locks `.tantivy-meta.lock` whenever a reader opens segments, so a server could not
/// start on a folder it may not write and wrote into a fresh copy. Here the lock files are
/// removed (as in a copied index), the folder and its files are made read-only, and after
/// serving searches the folder holds exactly the same files, sizes and modification times.
/// Run as root, the permissions do not stop a write, so the proof is the unchanged listing;
/// run as another user, the test also proves that serving needs no write permission.
#[tokio::test]
async fn serving_writes_nothing_in_the_index_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let index_dir = dir.path().join("index");
    let rows = rows_of(R2025);
    UndexIndex::open_or_create(&index_dir)
        .expect("create")
        .replace_documents(std::slice::from_ref(&rows))
        .expect("ingest");
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(index_dir.join(lock));
    }
    let set_mode = |mode: u32| {
        for entry in std::fs::read_dir(&index_dir).expect("dir") {
            let path = entry.expect("entry").path();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o444))
                .expect("chmod file");
        }
        std::fs::set_permissions(&index_dir, std::fs::Permissions::from_mode(mode))
            .expect("chmod dir");
    };
    set_mode(0o555);
    let before = snapshot(&index_dir);
    let index = UndexIndex::open_read_only(&index_dir).expect("open read-only");
    let app = common::App {
        router: undex_web::router(AppState::new(index)),
        rows_2026: Vec::new(),
        rows_2025: rows.clone(),
    };
    let (status, v) = get_json(&app, "/api/search?q=veto").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["total"].as_u64().is_some_and(|t| t > 0));
    let (status, _) = get_json(&app, "/api/trends?by=year").await;
    assert_eq!(status, StatusCode::OK);
    drop(app);
    assert_eq!(snapshot(&index_dir), before, "nothing created or modified");
    set_mode(0o755);
}

/// Issue #16: a client that opens a connection and sends half a request head (or nothing)
/// held a connection and a task forever. With a header timeout of one second, the server
/// closes twenty such connections without answering them, and a complete request on a new
/// connection is answered meanwhile and afterwards.
#[tokio::test]
async fn half_sent_requests_are_closed_after_the_header_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&[rows_of(R2025)]).expect("ingest");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let limits = undex_web::ServeLimits {
        header_read_timeout: std::time::Duration::from_secs(1),
        ..undex_web::ServeLimits::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        undex_web::serve_with(listener, AppState::new(index), &limits, async {
            let _ = stopped.await;
        })
        .await
    });
    async fn complete_request(addr: std::net::SocketAddr) -> String {
        let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
        conn.write_all(b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await
            .expect("send");
        let mut response = String::new();
        conn.read_to_string(&mut response).await.expect("read");
        response
    }
    let mut idle = Vec::new();
    for i in 0..20 {
        let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
        if i % 2 == 0 {
            conn.write_all(b"GET /api/stats HTTP/1.1\r\nHost: local")
                .await
                .expect("send half");
        }
        idle.push(conn);
    }
    assert!(complete_request(addr).await.starts_with("HTTP/1.1 200"));
    for (i, mut conn) in idle.into_iter().enumerate() {
        let mut buf = Vec::new();
        // Bounded so that a regression fails instead of hanging; the server's timeout is 1 s.
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            conn.read_to_end(&mut buf),
        )
        .await
        .unwrap_or_else(|_| panic!("connection {i} still open after 30 s"));
        // Closed by the server: end of stream (or a reset), and never a response.
        if let Ok(n) = read {
            assert_eq!(n, buf.len());
        }
        assert!(
            !String::from_utf8_lossy(&buf).contains(" 200 "),
            "connection {i} was answered"
        );
    }
    assert!(complete_request(addr).await.starts_with("HTTP/1.1 200"));
    stop.send(()).expect("stop");
    server.await.expect("join").expect("clean shutdown");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer accepting after shutdown"
    );
}

/// Issue #16: a request body over [`undex_web::ServeLimits::max_body_bytes`] answers 413
/// before any handler runs.
#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let index = UndexIndex::in_memory().expect("index");
    let limits = undex_web::ServeLimits {
        max_body_bytes: 1024,
        ..undex_web::ServeLimits::default()
    };
    let app = undex_web::serve::limited_router(AppState::new(index), &limits);
    let res = app
        .clone()
        .oneshot(
            Request::get("/api/stats")
                .header(header::CONTENT_LENGTH, "4096")
                .body(Body::from(vec![b'x'; 4096]))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let res = app
        .oneshot(
            Request::get("/api/stats")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(res.status(), StatusCode::OK);
}

/// The `verb` facet, added as one entry of `undex_index::registry::FACETS`: on the tagged 2025
/// and 2026 reports it is counted with every search, filters by URL parameter and by query
/// field, is listed in the facet panel under its title and is described in the OpenAPI
/// document, with nothing else declared for it.
#[tokio::test]
async fn the_verb_facet_is_one_registry_entry() {
    let app = common::app_with(
        common::seed_rows(R2026, true),
        common::seed_rows(R2025, true),
    );
    let rows: Vec<&ParagraphRow> = app.rows_2026.iter().chain(&app.rows_2025).collect();
    // The verb the tagger finds most often in the two reports.
    let mut verbs: std::collections::BTreeMap<&str, usize> = Default::default();
    for v in rows.iter().filter_map(|r| r.verb.as_deref()) {
        *verbs.entry(v).or_default() += 1;
    }
    let (verb, urged) = verbs
        .iter()
        .max_by_key(|(v, n)| (**n, std::cmp::Reverse(**v)))
        .map(|(v, n)| (v.to_string(), *n))
        .expect("the tagger finds directive verbs");
    let enc = verb.replace(' ', "+");

    let (_, all) = get_json(&app, "/api/search?per_page=1").await;
    let counted: u64 = all["facets"]["verb"]
        .as_array()
        .expect("a verb facet")
        .iter()
        .filter(|c| c["value"] == verb.as_str())
        .map(|c| c["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(counted, urged as u64);

    let (status, by_param) = get_json(&app, &format!("/api/search?verb={enc}&per_page=100")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_param["total"], urged);
    for hit in by_param["hits"].as_array().unwrap() {
        let row = rows
            .iter()
            .find(|r| hit["id"] == r.id.as_str())
            .expect("a row");
        assert_eq!(row.verb.as_deref(), Some(verb.as_str()), "{}", row.id);
    }
    let upper = enc.to_uppercase();
    for q in [
        format!("verb:%22{enc}%22"),
        format!("Verb:%22{upper}%22"),
        format!("verbs:%22{enc}%22"),
    ] {
        let (_, by_query) = get_json(&app, &format!("/api/search?q={q}&per_page=1")).await;
        assert_eq!(by_query["total"], urged, "{q}");
    }

    let (_, _, page) = get(&app, "/?lang=en").await;
    assert!(page.contains("<h3>Directive verb</h3>"), "the facet panel");
    assert!(
        page.contains(&format!("href=\"/?lang=en&amp;verb={enc}\"")),
        "a link that filters by the verb"
    );

    let (_, doc) = get_json(&app, "/api/openapi.json").await;
    let params = doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(
        params
            .iter()
            .any(|p| p["name"] == "verb" && p["in"] == "query")
    );
}
