//! End-to-end crawl against a loopback replay server that behaves like the UN services
//! (MANIFEST.md section 5) and serves the real files of `/work/shared/corpus`.
//!
//! Replayed behaviour: ODS symbol resolution with an UPPER-case `Location` (the upper-case path
//! answers a 1,303-byte HTML app with status 200), English answered for a language ODS does not
//! have, 429 with `Retry-After`, bursts of 502/503, slow resolution, a redirect to `/error` when
//! the browser-like headers are missing; Digital Library MARCXML paging and the empty 202 of its
//! bot protection; OHCHR listings with a Cloudflare challenge; robots.txt disallowing a path;
//! ETag / If-None-Match answered with 304.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use undex_core::Language;
use undex_crawl::{
    CrawlOptions, CrawlProgress, ManifestRecord, Outcome, Sources, crawl, read_manifest, sha256_hex,
};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
const MARCXML: &str = "metadata/undl_marcxml/undl_search_A_C.3_78_L_drafts.marcxml.xml";

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(CORPUS).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// One ODS document in one language: symbol, language, job-number stem, corpus file.
const ODS_FILES: [(&str, &str, &str, &str); 5] = [
    (
        "A/HRC/WG.6/34/ITA/3",
        "en",
        "G1924501",
        "pdf/ohchr_multilingual/ohchr_1_en.pdf",
    ),
    (
        "A/HRC/WG.6/34/ITA/3",
        "ru",
        "G1924504",
        "pdf/ohchr_multilingual/ohchr_1_ru.pdf",
    ),
    (
        "A/HRC/WG.6/7/ITA/1",
        "en",
        "G0916001",
        "pdf/ohchr_multilingual/ohchr_2_en.pdf",
    ),
    (
        "A/HRC/WG.6/7/ITA/1",
        "fr",
        "G0916002",
        "pdf/ohchr_multilingual/ohchr_2_fr.pdf",
    ),
    (
        "A/80/434",
        "en",
        "N2530101",
        "pdf/un_ods_samples/A_80_434-EN.pdf",
    ),
];
/// What A/80/434 (en) becomes after a "reissue".
const REISSUED: &str = "pdf/un_ods_samples/A_80_500-EN.pdf";
/// Resolves, but its lower-case path also answers the HTML app: never a document.
const HTML_ONLY_SYMBOL: &str = "A/80/500";
/// English PDFs served for Digital Library file links, by position of the record.
const DL_PDFS: [&str; 4] = [
    "pdf/hrc_upr_wg_reports/algeria2008.pdf",
    "pdf/hrc_upr_wg_reports/argentina2008.pdf",
    "pdf/hrc_upr_wg_reports/afghanistan2009.pdf",
    "pdf/hrc_upr_wg_reports/myanmar2011.pdf",
];
/// OHCHR files: path on the server, corpus file.
const OHCHR_FILES: [(&str, &str); 4] = [
    (
        "/sites/default/files/hrc/session58/A-HRC-WG-6-48-SVN-1-en.pdf",
        "pdf/hrc_upr_slovenia/g2420070.pdf",
    ),
    (
        "/sites/default/files/hrc/session58/advance-questions-slovenia-E.docx",
        "word/ohchr_upr_slovenia/UPR-wg48-Advance-Questions-Slovenia.docx",
    ),
    (
        "/documents/sr-executions/A-HRC-14-15-E.pdf",
        "pdf/hrc_upr_slovenia/g1012049.pdf",
    ),
    (
        // A DOCX named .doc, as OHCHR serves some.
        "/documents/sr-executions/AdvancedQuestionsSlovenia.doc",
        "word/ohchr_upr_slovenia/AdvancedQuestionsSlovenia.doc",
    ),
];

/// The ODS single-page app answered with 200 where a PDF was expected: 1,303 bytes of HTML.
fn spa_html() -> Vec<u8> {
    let mut s = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Official Document System</title><base href=\"/\"></head><body><app-root></app-root><script src=\"main.js\"></script>",
    );
    while s.len() < 1_289 {
        s.push(' ');
    }
    s.push_str("</body></html>");
    s.into_bytes()
}

struct Server {
    base: String,
    resolve_delay_ms: AtomicU64,
    reissued: AtomicBool,
    /// Full document bodies served (status 200 with a document), by path.
    bodies: Mutex<BTreeMap<String, usize>>,
    /// Requests per key, for bursts of failures.
    hits: Mutex<BTreeMap<String, usize>>,
    /// 304 answers.
    not_modified: AtomicUsize,
    /// Requests to paths robots.txt disallows (must stay 0).
    disallowed_hits: AtomicUsize,
    marc_records: Vec<String>,
}

impl Server {
    fn hit(&self, key: &str) -> usize {
        let mut h = self.hits.lock().unwrap();
        let n = h.entry(key.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    fn bodies_served(&self) -> usize {
        self.bodies.lock().unwrap().values().sum()
    }

    fn ods_file(&self, stem_lower: &str) -> Option<Vec<u8>> {
        ODS_FILES
            .iter()
            .find(|f| f.2.to_lowercase() == stem_lower)
            .map(|f| {
                if f.0 == "A/80/434" && self.reissued.load(Ordering::SeqCst) {
                    corpus(REISSUED)
                } else {
                    corpus(f.3)
                }
            })
    }
}

fn resp(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Response {
    let mut b = Response::builder().status(StatusCode::from_u16(status).unwrap());
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body)).unwrap()
}

fn serve_document(
    s: &Server,
    path: &str,
    bytes: Vec<u8>,
    req: &HeaderMap,
    ctype: &str,
) -> Response {
    let etag = format!("\"{}\"", &sha256_hex(&bytes)[..16]);
    let lm = "Wed, 23 Apr 2025 10:00:00 GMT";
    if req
        .get("if-none-match")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag)
    {
        s.not_modified.fetch_add(1, Ordering::SeqCst);
        return resp(304, &[("etag", &etag), ("last-modified", lm)], Vec::new());
    }
    *s.bodies
        .lock()
        .unwrap()
        .entry(path.to_string())
        .or_insert(0) += 1;
    resp(
        200,
        &[
            ("content-type", ctype),
            ("etag", &etag),
            ("last-modified", lm),
        ],
        bytes,
    )
}

async fn handler(State(s): State<Arc<Server>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let query: BTreeMap<String, String> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    if path.starts_with("/private/") {
        s.disallowed_hits.fetch_add(1, Ordering::SeqCst);
    }
    match path.as_str() {
        "/robots.txt" => resp(
            200,
            &[("content-type", "text/plain")],
            b"User-agent: *\nDisallow: /private/\n".to_vec(),
        ),
        "/error" => resp(200, &[("content-type", "text/html")], spa_html()),
        "/api/symbol/access" => {
            let delay = s.resolve_delay_ms.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            let sym = query.get("s").cloned().unwrap_or_default();
            let lang = query.get("l").cloned().unwrap_or_default();
            let key = format!("{sym}|{lang}");
            let n = s.hit(&key);
            // Bursts of 502/503 for one document, 429 + Retry-After for another.
            if sym == "A/HRC/WG.6/7/ITA/1" && lang == "fr" && n <= 2 {
                return resp(if n == 1 { 502 } else { 503 }, &[], b"Bad Gateway".to_vec());
            }
            if sym == "A/HRC/WG.6/34/ITA/3" && lang == "ru" && n == 1 {
                return resp(429, &[("retry-after", "1")], Vec::new());
            }
            let referer_ok = headers
                .get("referer")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|r| r.ends_with(&format!("/{lang}/{sym}")));
            let accept_ok = headers
                .get("accept")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("application/pdf"));
            if !referer_ok || !accept_ok {
                return resp(302, &[("location", "/error")], Vec::new());
            }
            if sym == HTML_ONLY_SYMBOL {
                return resp(
                    302,
                    &[("location", "/doc/UNDOC/GEN/N25/999/99/PDF/N2599999.PDF")],
                    Vec::new(),
                );
            }
            let own = ODS_FILES.iter().find(|f| f.0 == sym && f.1 == lang);
            // A language ODS does not have is answered in English.
            let file = own.or_else(|| ODS_FILES.iter().find(|f| f.0 == sym && f.1 == "en"));
            match file {
                Some(f) => {
                    let loc = format!("/doc/UNDOC/GEN/G19/245/01/PDF/{}.PDF", f.2);
                    resp(302, &[("location", &loc)], Vec::new())
                }
                None => resp(302, &[("location", "/error")], Vec::new()),
            }
        }
        p if p.starts_with("/doc/UNDOC/") => {
            // The upper-case path: the HTML app, with 200.
            resp(200, &[("content-type", "text/html")], spa_html())
        }
        p if p.starts_with("/doc/undoc/") => {
            let stem = p.rsplit('/').next().unwrap_or("").trim_end_matches(".pdf");
            match s.ods_file(stem) {
                Some(bytes) => serve_document(&s, p, bytes, &headers, "application/pdf"),
                None => resp(200, &[("content-type", "text/html")], spa_html()),
            }
        }
        "/search" => {
            let p = query.get("p").cloned().unwrap_or_default();
            if p.contains("blocked") {
                return resp(202, &[], Vec::new());
            }
            let rg: usize = query.get("rg").and_then(|v| v.parse().ok()).unwrap_or(10);
            let jrec: usize = query.get("jrec").and_then(|v| v.parse().ok()).unwrap_or(1);
            let start = jrec.saturating_sub(1).min(s.marc_records.len());
            let end = (start + rg).min(s.marc_records.len());
            let mut xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Search-Engine-Total-Number-Of-Results: {} -->\n<collection xmlns=\"http://www.loc.gov/MARC21/slim\">\n",
                s.marc_records.len()
            );
            for r in &s.marc_records[start..end] {
                xml.push_str(r);
                xml.push('\n');
            }
            xml.push_str("</collection>\n");
            resp(200, &[("content-type", "text/xml")], xml.into_bytes())
        }
        p if p.starts_with("/record/") => {
            let recid = p.split('/').nth(2).unwrap_or("");
            let pos = s
                .marc_records
                .iter()
                .position(|r| r.contains(&format!("tag=\"001\">{recid}<")));
            match pos.and_then(|i| DL_PDFS.get(i)) {
                Some(f) => serve_document(&s, p, corpus(f), &headers, "application/pdf"),
                None => resp(404, &[], b"not found".to_vec()),
            }
        }
        "/en/hr-bodies/hrc/regular-sessions/session58/list-reports" => {
            let html = format!(
                r#"<!doctype html><html><head><title>Session 58: list of reports</title></head><body>
<table><tr><td><a href="{}">A/HRC/WG.6/48/SVN/1</a></td></tr>
<tr><td><a href="{}">Advance questions to Slovenia</a></td></tr>
<tr><td><a href="https://undocs.org/A/HRC/WG.6/7/ITA/1">A/HRC/WG.6/7/ITA/1</a></td></tr>
<tr><td><a href="/private/internal-draft.pdf">Internal draft</a></td></tr>
<tr><td><a href="https://example.org/elsewhere.pdf">Elsewhere</a></td></tr>
<tr><td><a href="/en/about-us">About us</a></td></tr></table></body></html>"#,
                OHCHR_FILES[0].0, OHCHR_FILES[1].0
            );
            resp(200, &[("content-type", "text/html")], html.into_bytes())
        }
        "/en/hr-bodies/hrc/regular-sessions/session59/list-reports" => resp(
            403,
            &[("cf-mitigated", "challenge"), ("content-type", "text/html")],
            b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>".to_vec(),
        ),
        "/en/special-procedures/sr-executions/annual-thematic-reports" => {
            let html = format!(
                r#"<html><body><ul><li><a href="{}">A/HRC/14/15</a></li><li><a href="{}">Questions (Word)</a></li></ul></body></html>"#,
                OHCHR_FILES[2].0, OHCHR_FILES[3].0
            );
            resp(200, &[("content-type", "text/html")], html.into_bytes())
        }
        p => match OHCHR_FILES.iter().find(|f| f.0 == p) {
            Some(f) => serve_document(&s, p, corpus(f.1), &headers, "application/octet-stream"),
            None => resp(404, &[("content-type", "text/html")], b"<html>not found</html>".to_vec()),
        },
    }
}

fn marc_records() -> Vec<String> {
    let text = String::from_utf8(corpus(MARCXML)).unwrap();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(a) = rest.find("<ns0:record") {
        let Some(b) = rest[a..].find("</ns0:record>") else {
            break;
        };
        let end = a + b + "</ns0:record>".len();
        out.push(rest[a..end].to_string());
        rest = &rest[end..];
    }
    out
}

async fn start_server() -> Arc<Server> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Arc::new(Server {
        base: format!("http://{addr}"),
        resolve_delay_ms: AtomicU64::new(200),
        reissued: AtomicBool::new(false),
        bodies: Mutex::new(BTreeMap::new()),
        hits: Mutex::new(BTreeMap::new()),
        not_modified: AtomicUsize::new(0),
        disallowed_hits: AtomicUsize::new(0),
        marc_records: marc_records(),
    });
    let app = axum::Router::new()
        .fallback(handler)
        .with_state(server.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    server
}

/// Production base URLs, as in `corpus/sources.toml`; the tests override them all with
/// `CrawlOptions::base_urls`, as the CLI's `--base-url NAME=URL` does.
fn sources() -> Sources {
    Sources::from_toml(&format!(
        r#"
[[ods]]
name = "ods"
base_url = "https://documents.un.org"
viewer_url = "https://docs.un.org"
[[ods.documents]]
symbol = "A/HRC/WG.6/34/ITA/3"
[[ods.documents]]
symbol = "A/HRC/WG.6/7/ITA/1"
[[ods.documents]]
symbol = "A/80/434-S/2025/632"
[[ods.documents]]
symbol = "{HTML_ONLY_SYMBOL}-S/2025/656"
[[ods.documents]]
symbol = "A/99/1"

[[dl]]
name = "dl"
base_url = "https://digitallibrary.un.org"
query = '191__a:"A/C.3/78/L.*"'
page_size = 2
max_records = 4
languages = ["en"]

[[dl]]
name = "dl-blocked"
base_url = "https://digitallibrary.un.org"
query = "blocked by bot protection"

[[ohchr]]
name = "ohchr"
base_url = "https://www.ohchr.org"
hrc_sessions = [58, 59]
special_procedures = ["/en/special-procedures/sr-executions/annual-thematic-reports"]
"#
    ))
    .unwrap()
}

fn options(base: &str, out: &Path) -> CrawlOptions {
    let mut opts = CrawlOptions {
        out_dir: out.to_path_buf(),
        min_interval: Duration::from_millis(5),
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(5),
        request_timeout: Duration::from_secs(20),
        use_system_proxy: false,
        ..CrawlOptions::default()
    };
    for name in ["ods", "dl", "dl-blocked", "ohchr"] {
        opts.base_urls.insert(name.to_string(), base.to_string());
    }
    opts
}

/// The sha256 of every file the crawl must store: each document once per available language.
fn expected_shas(server: &Server) -> BTreeSet<String> {
    let mut files: Vec<&str> = ODS_FILES.iter().map(|f| f.3).collect();
    // Digital Library: only the records of the first two pages (max_records = 4) that have an
    // English file.
    for (i, r) in server.marc_records.iter().take(4).enumerate() {
        if r.contains("-EN.pdf</ns0:subfield>") {
            files.push(DL_PDFS[i]);
        }
    }
    files.extend(OHCHR_FILES.iter().map(|f| f.1));
    files.into_iter().map(|f| sha256_hex(&corpus(f))).collect()
}

/// sha256 names under raw/ (excluding the temp dir), checking each name matches its content.
fn stored_shas(out: &Path) -> BTreeSet<String> {
    let mut shas = BTreeSet::new();
    for e in std::fs::read_dir(out.join("raw")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            continue;
        }
        let name = e.file_name().to_string_lossy().to_string();
        let (stem, _ext) = name.split_once('.').unwrap();
        let bytes = std::fs::read(e.path()).unwrap();
        assert_eq!(sha256_hex(&bytes), stem, "{name} is intact");
        assert!(
            bytes.starts_with(b"%PDF-") || bytes.starts_with(b"PK\x03\x04"),
            "{name} is a document, not an error page"
        );
        assert!(shas.insert(stem.to_string()), "{name} stored once");
    }
    shas
}

fn outcomes_for(records: &[ManifestRecord], outcome: Outcome) -> Vec<&ManifestRecord> {
    records.iter().filter(|r| r.outcome == outcome).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_crawl_recrawl_reissue() {
    let server = start_server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crawl");
    let sources = sources();
    let opts = options(&server.base, &out);

    // Dry run: listings are read, no document is downloaded, nothing is written.
    let dry = crawl(
        &sources,
        &CrawlOptions {
            dry_run: true,
            ..opts.clone()
        },
        &undex_crawl::NoProgress,
    )
    .await
    .unwrap();
    assert!(!out.exists(), "a dry run writes nothing");
    assert_eq!(server.bodies_served(), 0);
    // 5 ODS symbols x 6 languages + DL English files + 4 OHCHR files + 2 off-limits OHCHR
    // links (the undocs.org link duplicates ODS look-ups already planned).
    let expected = expected_shas(&server);
    let dl_files = expected.len() - ODS_FILES.len() - OHCHR_FILES.len();
    assert_eq!(dry.planned().len(), 30 + dl_files + 4 + 2, "{dry}");
    assert!(dry.to_string().starts_with("dry run:"));
    assert!(dry.to_string().contains("estimated time:"), "{dry}");
    assert!(dry.estimate.is_some_and(|(lo, hi)| lo <= hi));

    // First crawl.
    let report = crawl(&sources, &opts, &undex_crawl::NoProgress)
        .await
        .unwrap();
    let summary = report.to_string();
    println!("first crawl: {summary}");
    assert_eq!(stored_shas(&out), expected, "{summary}");
    assert_eq!(report.count(Outcome::Fetched), expected.len(), "{summary}");
    assert_eq!(report.files.len(), expected.len());
    for f in &report.files {
        assert!(f.path.is_file());
        assert_eq!(
            f.record.sha256.as_deref(),
            Some(sha256_hex(&std::fs::read(&f.path).unwrap()).as_str())
        );
    }
    // Each ODS document once per available language; the English answers to the other
    // languages are recognised and not stored.
    let fetched_ods: BTreeSet<(String, String)> = report
        .records
        .iter()
        .filter(|r| r.source == "ods" && r.outcome == Outcome::Fetched)
        .map(|r| (r.symbols[0].clone(), r.language.unwrap().to_string()))
        .collect();
    let want: BTreeSet<(String, String)> = ODS_FILES
        .iter()
        .map(|f| (f.0.to_string(), f.1.to_string()))
        .collect();
    assert_eq!(fetched_ods, want);
    let wrong = outcomes_for(&report.records, Outcome::WrongLanguage);
    assert_eq!(wrong.len(), 13, "{summary}");
    assert!(wrong.iter().all(|r| r.path.is_none()));
    // Recognised from the text itself, not only from repeated bytes.
    assert!(
        wrong
            .iter()
            .all(|r| r.detected_language == Some(Language::En)),
        "{wrong:?}"
    );
    // The joint symbol is recorded with both symbols.
    assert!(report.records.iter().any(|r| {
        r.symbols == ["A/80/434".to_string(), "S/2025/632".to_string()]
            && r.outcome == Outcome::Fetched
            && r.final_url
                .as_deref()
                .is_some_and(|u| u.contains("/doc/undoc/gen/"))
    }));
    // The HTML app answered for a PDF: six times, never stored.
    let html = outcomes_for(&report.records, Outcome::NotADocument);
    assert_eq!(html.len(), 6, "{summary}");
    assert!(
        html.iter()
            .all(|r| r.bytes == Some(1_303) && r.symbols[0] == HTML_ONLY_SYMBOL)
    );
    // Unknown symbol: redirected to /error.
    assert_eq!(
        outcomes_for(&report.records, Outcome::NotFound).len(),
        6,
        "{summary}"
    );
    // Retries: 502 + 503 then success; 429 honoured.
    let retried = report
        .records
        .iter()
        .find(|r| {
            r.symbols[..] == ["A/HRC/WG.6/7/ITA/1".to_string()] && r.language == Some(Language::Fr)
        })
        .unwrap();
    assert_eq!(retried.outcome, Outcome::Fetched);
    assert_eq!(retried.requests, 4, "502, 503, 302, 200");
    // Blocked: the Digital Library's empty 202 and the Cloudflare challenge.
    let blocked = outcomes_for(&report.records, Outcome::Blocked);
    let blocked_sources: BTreeSet<&str> = blocked.iter().map(|r| r.source.as_str()).collect();
    assert_eq!(
        blocked_sources,
        BTreeSet::from(["dl-blocked", "ohchr"]),
        "{summary}"
    );
    // robots.txt and the allow-list.
    assert_eq!(outcomes_for(&report.records, Outcome::Disallowed).len(), 1);
    assert_eq!(server.disallowed_hits.load(Ordering::SeqCst), 0);
    assert_eq!(
        outcomes_for(&report.records, Outcome::HostNotAllowed).len(),
        1
    );
    // Digital Library metadata kept with the files.
    let dl = outcomes_for(&report.records, Outcome::Fetched)
        .into_iter()
        .filter(|r| r.source == "dl")
        .collect::<Vec<_>>();
    assert_eq!(dl.len(), dl_files);
    for r in &dl {
        let meta = r.meta.as_ref().unwrap();
        assert!(meta.recid.is_some() && meta.title.is_some() && meta.date.is_some());
        assert!(r.symbols[0].starts_with("A/C.3/78/L."), "{:?}", r.symbols);
    }
    // The manifest on disk has every attempt.
    let manifest = read_manifest(out.join("manifest.jsonl")).unwrap();
    assert_eq!(manifest.len(), report.records.len());
    assert!(
        summary.contains(&format!("{} fetched", expected.len())),
        "{summary}"
    );

    // Second crawl: conditional requests, nothing downloaded again.
    let before = server.bodies_served();
    let again = crawl(&sources, &opts, &undex_crawl::NoProgress)
        .await
        .unwrap();
    assert_eq!(server.bodies_served(), before, "{again}");
    assert_eq!(again.count(Outcome::Fetched), 0, "{again}");
    assert_eq!(again.count(Outcome::Unchanged), expected.len(), "{again}");
    assert!(again.files.is_empty());
    assert!(server.not_modified.load(Ordering::SeqCst) >= expected.len() + 13);
    assert_eq!(stored_shas(&out), expected);

    // A reissue: one document changes; only it is downloaded and reported.
    server.reissued.store(true, Ordering::SeqCst);
    let third = crawl(&sources, &opts, &undex_crawl::NoProgress)
        .await
        .unwrap();
    assert_eq!(third.count(Outcome::Changed), 1, "{third}");
    assert_eq!(third.files.len(), 1);
    assert_eq!(
        third.files[0].record.sha256.as_deref(),
        Some(sha256_hex(&corpus(REISSUED)).as_str())
    );
    // The reissued English file, and again for the five languages ODS answers in English
    // (their ETag changed too); those are still not stored.
    assert_eq!(server.bodies_served(), before + 6);
    assert_eq!(third.count(Outcome::WrongLanguage), 13, "{third}");
}

/// Signals when enough documents were stored, so the test can drop the crawl mid-way.
struct StopAfter {
    stored: AtomicUsize,
    at: usize,
    notify: tokio::sync::Notify,
}

impl CrawlProgress for StopAfter {
    fn finished(&self, record: &ManifestRecord) {
        if record.outcome == Outcome::Fetched
            && self.stored.fetch_add(1, Ordering::SeqCst) + 1 == self.at
        {
            self.notify.notify_one();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_crawl_resumes_with_every_document_once() {
    let server = start_server().await;
    server.resolve_delay_ms.store(300, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("crawl");
    let sources = sources();
    let opts = options(&server.base, &out);
    let expected = expected_shas(&server);

    let stop = StopAfter {
        stored: AtomicUsize::new(0),
        at: 3,
        notify: tokio::sync::Notify::new(),
    };
    let finished = tokio::select! {
        r = crawl(&sources, &opts, &stop) => Some(r),
        () = stop.notify.notified() => None,
    };
    assert!(finished.is_none(), "the crawl was dropped mid-way");
    // What the killed crawl left: whole files only, named by their hash, each with a manifest
    // line.
    let partial = stored_shas(&out);
    assert!(
        partial.len() >= 3 && partial.len() < expected.len(),
        "{}",
        partial.len()
    );
    // No manifest line for a file that is not in place.
    let manifest = read_manifest(out.join("manifest.jsonl")).unwrap();
    for r in &manifest {
        if let Some(p) = &r.path {
            assert!(out.join(p).is_file(), "{p}");
        }
    }

    server.resolve_delay_ms.store(0, Ordering::SeqCst);
    let report = crawl(&sources, &opts, &undex_crawl::NoProgress)
        .await
        .unwrap();
    assert_eq!(stored_shas(&out), expected, "{report}");
    assert!(
        std::fs::read_dir(out.join("raw").join(".tmp"))
            .unwrap()
            .next()
            .is_none(),
        "no temporary file left"
    );
    // Every expected document has a good manifest line pointing at an intact file.
    let manifest = read_manifest(out.join("manifest.jsonl")).unwrap();
    let good: BTreeSet<String> = manifest
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fetched | Outcome::Unchanged))
        .filter_map(|r| r.sha256.clone())
        .collect();
    assert_eq!(good, expected);
    assert_eq!(
        report.count(Outcome::Fetched) + report.count(Outcome::Unchanged),
        expected.len(),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn size_cap_and_strict_mode() {
    let server = start_server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crawl");
    let sources = sources();
    let opts = CrawlOptions {
        only_sources: vec!["ohchr".into()],
        languages: vec![Language::En],
        // The two Word files (18,560 and 33,142 bytes) fit, the two PDFs (278,350 and
        // 196,970 bytes) do not.
        max_file_bytes: 100_000,
        ..options(&server.base, &out)
    };
    let report = crawl(&sources, &opts, &undex_crawl::NoProgress)
        .await
        .unwrap();
    assert_eq!(report.count(Outcome::TooLarge), 2, "{report}");
    let want: BTreeSet<String> = OHCHR_FILES[1..]
        .iter()
        .filter(|f| f.1.contains("word/"))
        .map(|f| sha256_hex(&corpus(f.1)))
        .collect();
    assert_eq!(stored_shas(&out), want);
    // Only the English ODS look-up of the linked symbol was made (--lang en).
    assert!(
        report
            .records
            .iter()
            .filter(|r| r.requested_url.contains("/api/symbol/access"))
            .all(|r| r.language == Some(Language::En))
    );
    let strict = crawl(
        &sources,
        &CrawlOptions {
            strict: true,
            ..opts.clone()
        },
        &undex_crawl::NoProgress,
    )
    .await;
    assert!(matches!(
        strict,
        Err(undex_crawl::CrawlError::Incomplete { .. })
    ));
    // Unknown source names are refused.
    let bad = CrawlOptions {
        only_sources: vec!["nope".into()],
        ..opts
    };
    assert!(
        crawl(&sources, &bad, &undex_crawl::NoProgress)
            .await
            .is_err()
    );
}

/// Records the hosts reported unreachable.
#[derive(Default)]
struct Unreachable(Mutex<Vec<String>>);

impl CrawlProgress for Unreachable {
    fn unreachable(&self, host: &str, reason: &str) {
        assert!(
            reason.starts_with(&format!("cannot reach {host}")),
            "{reason}"
        );
        self.0.lock().unwrap().push(host.to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_host_is_said_at_once_and_counted_unreachable_not_disallowed() {
    // Offline, robots.txt could not be fetched and every document was reported "disallowed"
    // after minutes of retries; the dry run dropped the Digital Library and OHCHR sources.
    // A loopback port nobody listens on stands for a host that cannot be reached.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let host = closed.to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crawl");
    let opts = options(&format!("http://{closed}"), &out);
    let sources = sources();

    let seen = Unreachable::default();
    let report = crawl(&sources, &opts, &seen).await.unwrap();
    let summary = report.to_string();
    assert_eq!(
        seen.0.lock().unwrap().as_slice(),
        std::slice::from_ref(&host),
        "said once per host"
    );
    assert!(report.unreachable.contains_key(&host), "{summary}");
    assert_eq!(report.count(Outcome::Disallowed), 0, "{summary}");
    // Every ODS look-up (5 symbols x 6 languages) and every listing page ends unreachable,
    // and not one request was sent to the host after the first contact failed.
    assert_eq!(report.documents, 30, "{summary}");
    assert_eq!(
        report.count(Outcome::Unreachable),
        report.records.len(),
        "{summary}"
    );
    assert!(report.records.iter().all(|r| r.requests == 0), "{summary}");
    assert!(
        summary.contains(&format!("cannot reach {host}")),
        "{summary}"
    );
    assert!(summary.contains("unreachable 30"), "{summary}");
    assert!(!summary.contains("disallowed"), "{summary}");
    // Unreachable is a failure: strict mode fails.
    assert!(report.failed() > 0);

    // A dry run names every source, with an estimate or why there is none.
    let dry = crawl(
        &sources,
        &CrawlOptions {
            dry_run: true,
            ..opts.clone()
        },
        &undex_crawl::NoProgress,
    )
    .await
    .unwrap();
    let text = dry.to_string();
    let names: Vec<&str> = dry.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ods", "dl", "dl-blocked", "ohchr"], "{text}");
    for s in &dry.sources {
        assert!(text.contains(&format!("  {} ({host})", s.name)), "{text}");
        if s.kind == "ods" {
            assert_eq!(s.documents, 30);
            assert!(s.estimate.is_some() && s.unknown.is_none(), "{text}");
        } else {
            assert!(
                s.unknown
                    .as_deref()
                    .is_some_and(|u| u.contains("could not be read")),
                "{text}"
            );
        }
    }
    assert!(text.contains("not estimated"), "{text}");
    assert!(dry.unreachable.contains_key(&host), "{text}");
}
