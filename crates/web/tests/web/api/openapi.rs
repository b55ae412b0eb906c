//! The OpenAPI document against the real API (module of the `http` test binary): the app is
//! served on a loopback port over the 2025 and 2026 Secretary-General reports (tagged by the
//! real tagger), `/api/openapi.json` is validated as OpenAPI 3.1 by `openapi-spec-validator`,
//! and every endpoint is called with real parameters, errors included, each answer's status,
//! Content-Type and JSON body checked against the document by `check_openapi.py` (jsonschema,
//! every object closed: a field the API sends that the document lacks fails). Python 3 with
//! `openapi-spec-validator` and `jsonschema` is required (`.ci/run` installs them): the test
//! fails without them.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use undex_index::UndexIndex;
use undex_web::AppState;

use crate::common::{self, R2025, R2026};

const CHECKER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/web/api/check_openapi.py"
);

/// One answer of the server.
struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("chunk size");
        raw = &raw[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// `GET uri` over a new connection to `addr` (HTTP/1.1, `Connection: close`).
async fn get(addr: std::net::SocketAddr, uri: &str) -> Answer {
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {uri} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).await.expect("read");
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("{uri}: no response head"));
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{uri}: bad status line in {head}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[head_end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    let content_type = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

/// The answers gathered for the checker, and the (path, status) pairs they cover.
struct Cases {
    addr: std::net::SocketAddr,
    lines: Vec<String>,
    covered: BTreeSet<(String, u16)>,
}

impl Cases {
    /// Sends `GET uri`, asserts its status, and records the answer under the document's path
    /// template `path`.
    async fn call(&mut self, path: &str, uri: &str, status: u16) -> Answer {
        let answer = get(self.addr, uri).await;
        assert_eq!(
            answer.status,
            status,
            "{uri}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        self.lines.push(
            json!({
                "uri": uri,
                "path": path,
                "status": answer.status,
                "content_type": answer.content_type,
                "body": String::from_utf8_lossy(&answer.body),
            })
            .to_string(),
        );
        self.covered.insert((path.to_string(), status));
        answer
    }

    /// As [`Cases::call`], for an error answer: also asserts its JSON `code`.
    async fn error(&mut self, path: &str, uri: &str, status: u16, code: &str) {
        let answer = self.call(path, uri, status).await;
        assert_eq!(answer.json()["code"], code, "{uri}");
    }
}

/// Percent-encodes a path segment (ids hold `~`, kept; symbols' slashes are kept by the
/// document route).
fn seg(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers_as_its_openapi_document_says() {
    // The real app over the real reports, on a loopback port.
    let rows_2026 = common::seed_rows(R2026, true);
    let rows_2025 = common::seed_rows(R2025, true);
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[rows_2026.clone(), rows_2025.clone()])
        .expect("ingest");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(undex_web::serve_on(listener, AppState::new(index), async {
        let _ = stopped.await;
    }));
    let mut cases = Cases {
        addr,
        lines: Vec::new(),
        covered: BTreeSet::new(),
    };

    // The document itself.
    let doc_answer = cases
        .call("/api/openapi.json", "/api/openapi.json", 200)
        .await;
    assert!(doc_answer.content_type.starts_with("application/json"));
    let doc = doc_answer.json();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();

    // Search: hits with and without filters, pages, no facets; a query that does not parse,
    // bad paging.
    let s = "/api/search";
    let veto = cases.call(s, "/api/search?q=veto+restraint", 200).await;
    assert!(veto.json()["total"].as_u64().expect("total") >= 1);
    cases
        .call(s, "/api/search?q=veto&pillar=III&per_page=5&page=1", 200)
        .await;
    cases
        .call(s, "/api/search?q=prevention&year=2025&facets=false", 200)
        .await;
    let all = cases
        .call(s, "/api/search?rec=true&per_page=100", 200)
        .await;
    assert!(!all.json()["hits"].as_array().expect("hits").is_empty());
    cases
        .call(
            s,
            "/api/search?q=responsibility+protect+atrocity+veto+genocide&page=2",
            200,
        )
        .await;
    // Languages (issue #12): grouped hits with their (here empty) versions, the query's
    // language detected and chosen; bad values.
    let grouped = cases
        .call(
            s,
            "/api/search?q=responsibility+to+protect&versions=grouped&per_page=50",
            200,
        )
        .await;
    assert_eq!(grouped.json()["query_language"]["code"], "en");
    assert!(grouped.json()["grouping"]["rows_total"].as_u64().is_some());
    cases
        .call(s, "/api/search?q=veto&versions=grouped&qlang=fr", 200)
        .await;
    cases
        .error(
            s,
            "/api/search?q=veto&versions=grouped&per_page=51",
            400,
            "bad_request",
        )
        .await;
    cases
        .error(s, "/api/search?q=veto&qlang=xx", 400, "bad_request")
        .await;
    cases
        .error(s, "/api/search?q=%28veto", 400, "invalid_query")
        .await;
    cases
        .error(s, "/api/search?q=veto&per_page=500", 400, "bad_request")
        .await;
    cases
        .error(s, "/api/search?page=abc", 400, "bad_request")
        .await;
    cases
        .error(s, "/api/search?page=200&per_page=100", 400, "bad_request")
        .await;
    cases
        .error(s, "/api/search?rec=maybe", 400, "bad_request")
        .await;

    // Documents: by id and by symbol (slashes kept); every paragraph of both, each with its
    // earlier wording; unknown ones.
    let d = "/api/documents/{key}";
    let p = "/api/paragraphs/{id}";
    let e = "/api/paragraphs/{id}/earlier";
    let mut cites = 0;
    let mut cited_by = 0;
    let mut earlier = 0;
    for rows in [&rows_2026, &rows_2025] {
        let doc_id = &rows[0].doc_id;
        let document = cases
            .call(d, &format!("/api/documents/{}", seg(doc_id)), 200)
            .await
            .json();
        assert_eq!(document["paragraphs"].as_u64(), Some(rows.len() as u64));
        for row in rows.iter() {
            let para = cases
                .call(p, &format!("/api/paragraphs/{}", seg(&row.id)), 200)
                .await
                .json();
            cites += usize::from(!para["cites"].as_array().expect("cites").is_empty());
            cited_by += usize::from(!para["cited_by"].as_array().expect("cited_by").is_empty());
            let before = cases
                .call(e, &format!("/api/paragraphs/{}/earlier", seg(&row.id)), 200)
                .await
                .json();
            earlier += usize::from(!before["earlier"].as_array().expect("earlier").is_empty());
        }
    }
    assert!(
        cites > 0,
        "no paragraph cites a document: the check saw no CiteEntry"
    );
    assert!(
        earlier > 0,
        "no earlier wording found: the check saw no EarlierWording"
    );
    eprintln!("paragraphs citing: {cites}, cited: {cited_by}, with earlier wording: {earlier}");
    let symbol = rows_2025[0]
        .symbols
        .first()
        .expect("2025 report has a symbol");
    cases
        .call(d, &format!("/api/documents/{symbol}"), 200)
        .await;
    cases
        .error(d, "/api/documents/A/99/999", 404, "not_found")
        .await;
    cases
        .error(d, "/api/documents/%FF", 400, "bad_request")
        .await;
    cases
        .error(p, "/api/paragraphs/no-such-paragraph", 404, "not_found")
        .await;
    cases
        .error(p, "/api/paragraphs/%FF", 400, "bad_request")
        .await;
    cases
        .error(
            e,
            "/api/paragraphs/no-such-paragraph/earlier",
            404,
            "not_found",
        )
        .await;

    // Citations: a paragraph of the 2025 report by its symbol and by the joint symbol, a range
    // (the first paragraph, with a note), a paragraph or a document the index lacks (404 with
    // what was understood, and the document found or null), citations that do not parse or
    // are too long, no `ref`, and `ref` given twice (a malformed query string).
    let c = "/api/cite";
    for reference in ["A/79/875, para. 58", "A/79/875-S/2025/248 para 58"] {
        let answer = cases
            .call(c, &format!("/api/cite?ref={}", seg(reference)), 200)
            .await
            .json();
        assert_eq!(answer["id"], "A_79_875.en~58", "{reference}: {answer}");
        assert_eq!(answer["cite"]["ref"], reference);
        assert_eq!(answer["cite"]["note"], Value::Null, "{reference}");
    }
    let range = cases
        .call(
            c,
            &format!("/api/cite?ref={}", seg("A/79/875, paras. 5-7")),
            200,
        )
        .await
        .json();
    assert_eq!(range["id"], "A_79_875.en~5", "{range}");
    assert!(range["cite"]["note"].is_string(), "{range}");
    let missing = cases
        .call(
            c,
            &format!("/api/cite?ref={}", seg("A/79/875, para. 999")),
            404,
        )
        .await
        .json();
    assert_eq!(missing["code"], "not_found");
    assert_eq!(missing["document"]["doc_id"], "A_79_875.en", "{missing}");
    let unknown = cases
        .call(
            c,
            &format!("/api/cite?ref={}", seg("A/99/999, para. 1")),
            404,
        )
        .await
        .json();
    assert_eq!(unknown["document"], Value::Null, "{unknown}");
    for uri in [
        format!("/api/cite?ref={}", seg("veto restraint")),
        format!("/api/cite?ref={}", seg("A/79/875 veto")),
        format!("/api/cite?ref={}", seg(&"A/79/875, para. 58 ".repeat(20))),
        "/api/cite".to_string(),
    ] {
        cases.error(c, &uri, 400, "invalid_citation").await;
    }
    cases
        .error(c, "/api/cite?ref=A%2F79%2F875&ref=x", 400, "bad_request")
        .await;

    // Stats.
    let stats = cases.call("/api/stats", "/api/stats", 200).await.json();
    assert_eq!(stats["documents"], 2);

    // Export: of a search in each format, of ids; unknown format, unknown id, bad query.
    let x = "/api/export";
    for format in ["text", "docx", "csl-json", "ris", "bibtex", "csv"] {
        let answer = cases
            .call(x, &format!("/api/export?q=veto&format={format}"), 200)
            .await;
        assert!(answer.header("x-undex-total").is_some(), "{format}");
        assert!(answer.header("x-undex-exported").is_some(), "{format}");
    }
    let ids = format!("{},{}", seg(&rows_2026[0].id), seg(&rows_2025[1].id));
    cases
        .call(x, &format!("/api/export?ids={ids}&format=csl-json"), 200)
        .await;
    // In a language the index does not hold: every row exported as found, and named.
    let french = cases
        .call(
            x,
            &format!("/api/export?ids={ids}&format=csv&in_language=fr"),
            200,
        )
        .await;
    assert_eq!(french.header("x-undex-language"), Some("fr"));
    assert_eq!(french.header("x-undex-not-in-language"), Some("2"));
    cases
        .error(
            x,
            "/api/export?q=veto&in_language=klingon",
            400,
            "bad_request",
        )
        .await;
    cases
        .error(x, "/api/export?q=veto&format=pdf", 400, "bad_request")
        .await;
    cases
        .error(x, "/api/export?ids=no-such-paragraph", 404, "not_found")
        .await;
    cases
        .error(x, "/api/export?q=%28veto", 400, "invalid_query")
        .await;

    // Trends: each dimension and format; unknown dimension or format.
    let t = "/api/trends";
    cases.call(t, "/api/trends?q=veto", 200).await;
    cases.call(t, "/api/trends?q=prevention&by=body", 200).await;
    cases
        .call(t, "/api/trends?by=document&pillar=III", 200)
        .await;
    cases.call(t, "/api/trends?q=veto&format=csv", 200).await;
    cases
        .call(t, "/api/trends?q=veto&by=body&format=svg", 200)
        .await;
    cases
        .error(t, "/api/trends?by=month", 400, "bad_request")
        .await;
    cases
        .error(t, "/api/trends?format=xml", 400, "bad_request")
        .await;
    cases
        .error(t, "/api/trends?q=%28veto", 400, "invalid_query")
        .await;

    // The docs page is served and names every endpoint.
    let page = get(addr, "/api/docs").await;
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    let html = String::from_utf8_lossy(&page.body);
    for path in &documented {
        assert!(html.contains(path.as_str()), "/api/docs lacks {path}");
    }
    // /api/cite has its section, with its parameter and the schemas of its answers.
    let section = html
        .split("<section class=\"endpoint\" id=\"op-cite\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("/api/docs has a section for /api/cite");
    for needle in [
        "GET /api/cite",
        "<code>ref</code>",
        "S/RES/2803 (2025), op. 3",
        "#schema-CiteAnswer",
        "#schema-CiteBadRequest",
        "#schema-CiteNotFound",
    ] {
        assert!(section.contains(needle), "/api/cite section lacks {needle}");
    }

    stop.send(()).expect("stop");
    server.await.expect("join").expect("clean shutdown");

    // Every documented path was called, with a success and (but for the two that cannot fail
    // on a readable index) an error.
    for path in &documented {
        let statuses: Vec<u16> = cases
            .covered
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, s)| *s)
            .collect();
        assert!(statuses.contains(&200), "{path} never called: {statuses:?}");
        if !matches!(path.as_str(), "/api/openapi.json" | "/api/stats") {
            assert!(
                statuses.iter().any(|s| *s >= 400),
                "{path}: no error answer checked"
            );
        }
    }

    // The document and every answer, through the Python validators.
    let dir = tempfile::tempdir().expect("tempdir");
    let doc_file = dir.path().join("openapi.json");
    std::fs::write(&doc_file, &doc_answer.body).expect("write document");
    let cases_file = dir.path().join("cases.jsonl");
    let mut f = std::fs::File::create(&cases_file).expect("cases file");
    for line in &cases.lines {
        writeln!(f, "{line}").expect("write case");
    }
    drop(f);
    let out = std::process::Command::new("python3")
        .arg(CHECKER)
        .arg(&doc_file)
        .arg(&cases_file)
        .output()
        .expect(
            "python3 must be installed, with openapi-spec-validator and jsonschema \
             (`python3 -m pip install openapi-spec-validator jsonschema`; .ci/run installs them)",
        );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the API does not match its OpenAPI document (or the checker could not run: \
         `python3 -m pip install openapi-spec-validator jsonschema`):\n{stdout}\n{stderr}"
    );
    eprintln!("{stdout}");
    assert!(stdout.contains("document valid"), "{stdout}");
}
