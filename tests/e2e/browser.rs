//! The web UI in a real browser: Debian's Chromium, headless, driven over WebDriver
//! (`chromedriver`) with `fantoccini`. A user searches, narrows by a facet, ticks three results,
//! exports them as CSV and as text (the files Chromium downloads are read back), then opens the
//! 2026 report's paragraph 1 and reads its earlier wording and diff. Screenshots of each step
//! are saved under `target/browser-screenshots/`.
//!
//! Without `chromedriver` or `/usr/bin/chromium` the test says why and passes, unless
//! `UNDEX_BROWSER_TESTS=required` (as in CI), when it fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{enc, free_port, get, ingested, serve};

const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one wait (a page, an element, a download) may take before the test fails.
const WAIT: Duration = Duration::from_secs(60);

/// `chromedriver` on a free loopback port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The path of `name` on `PATH`, if it is there.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// `chromedriver`, or `None` (after saying why) when the browser tests cannot run here.
/// Panics instead when `UNDEX_BROWSER_TESTS=required`.
fn chromedriver() -> Option<PathBuf> {
    let missing = match on_path("chromedriver") {
        None => "chromedriver is not on PATH".to_string(),
        Some(_) if !Path::new(CHROMIUM).is_file() => format!("{CHROMIUM} is missing"),
        Some(driver) => return Some(driver),
    };
    let hint = "install Debian's chromium and chromium-driver to run it";
    if std::env::var("UNDEX_BROWSER_TESTS").is_ok_and(|v| v == "required") {
        panic!("UNDEX_BROWSER_TESTS=required but {missing}; {hint}");
    }
    eprintln!("skipping the browser test: {missing}; {hint}");
    None
}

/// Starts `chromedriver` and waits until it listens.
fn start_driver(binary: &Path) -> Driver {
    let port = free_port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {}: {e}", binary.display()));
    let addr = format!("127.0.0.1:{port}");
    let driver = Driver {
        child,
        url: format!("http://{addr}"),
    };
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        // Listening is enough: the session request then waits for the browser.
        if std::net::TcpStream::connect(&addr).is_ok() {
            return driver;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("chromedriver did not listen on {addr}");
}

/// The session's capabilities: headless Chromium, no network but loopback, downloads saved
/// without a prompt into `downloads`.
fn capabilities(profile: &Path, downloads: &Path) -> serde_json::Map<String, Value> {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            },
        },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("json! of an object literal"),
    }
}

/// `<workspace>/target/browser-screenshots/`, created.
fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("take a screenshot");
    assert!(
        png.starts_with(b"\x89PNG"),
        "screenshot {name} is not a PNG"
    );
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

async fn find(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
}

async fn text(element: &Element) -> String {
    element.text().await.expect("read an element's text")
}

/// Waits until the browser has loaded a page whose query string holds every pair of `query`
/// and which has a `css` element; returns the URL.
async fn wait_for_page(client: &Client, query: &[(&str, &str)], css: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = client.current_url().await.expect("read the current URL");
        let ready = client
            .execute("return document.readyState", vec![])
            .await
            .expect("read document.readyState");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if query
            .iter()
            .all(|(k, v)| pairs.iter().any(|(pk, pv)| pk == k && pv == v))
            && ready == "complete"
            && client.find(Locator::Css(css)).await.is_ok()
        {
            return url.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "waiting for {query:?} and {css}: still at {url} ({ready})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// "1–13 of 13 paragraphs" → 13.
fn total_of(summary: &str) -> u64 {
    summary
        .split_once(" of ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total in the summary {summary:?}"))
}

/// Waits for `name` to be completely downloaded into `dir` (present, non-empty, and no
/// Chromium `.crdownload` partial file left) and returns its bytes.
async fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    let deadline = Instant::now() + WAIT;
    loop {
        let partial = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
        if !partial
            && let Ok(bytes) = std::fs::read(&path)
            && !bytes.is_empty()
        {
            return bytes;
        }
        let listing: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "{name} was not downloaded into {}: it holds {listing:?}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The id of the 2026 report's paragraph 1, from the search API.
fn report_2026_paragraph_1(addr: &str) -> String {
    let (status, _, body) = get(
        addr,
        &format!(
            "/api/search?q={}&year=2026&per_page=100",
            enc("\"World Summit Outcome\"")
        ),
    );
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let hits = json["hits"].as_array().expect("hits");
    hits.iter()
        .find(|h| {
            h["number"] == "1"
                && h["date"] == "2026-04-23"
                && h["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("Sustained implementation"))
        })
        .and_then(|h| h["id"].as_str())
        .unwrap_or_else(|| panic!("2026 report para. 1 not found: {json:#}"))
        .to_string()
}

#[test]
fn a_user_searches_filters_exports_and_reads_earlier_wording_in_chromium() {
    let Some(chromedriver) = chromedriver() else {
        return;
    };
    let run = ingested();
    assert!(
        run.output.status.success(),
        "{}",
        String::from_utf8_lossy(&run.output.stderr)
    );
    let server = serve(&run.index);
    let driver = start_driver(&chromedriver);
    let profile = tempfile::tempdir().expect("tempdir for the Chromium profile");
    let downloads = tempfile::tempdir().expect("tempdir for downloads");
    let para_1 = report_2026_paragraph_1(&server.addr);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities(profile.path(), downloads.path()))
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("open a Chromium session over {}: {e}", driver.url));
        // The steps run as their own task so that a failed assertion still ends the session
        // (and quits Chromium) before the panic is passed on.
        let steps = tokio::spawn(user_session(
            client.clone(),
            format!("http://{}", server.addr),
            downloads.path().to_path_buf(),
            para_1,
        ));
        let outcome = steps.await;
        let _ = client.close().await;
        if let Err(e) = outcome {
            match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("browser steps did not finish: {e}"),
            }
        }
    });
}

async fn user_session(client: Client, base: String, downloads: PathBuf, para_1: String) {
    // 1. Search like a user: type the query into the box on the front page and submit.
    client.goto(&format!("{base}/")).await.expect("open /");
    let input = find(&client, "form.search input[name=q]").await;
    input
        .send_keys("atrocity prevention")
        .await
        .expect("type the query");
    find(&client, "form.search button[type=submit]")
        .await
        .click()
        .await
        .expect("click Search");
    let url = wait_for_page(
        &client,
        &[("q", "atrocity prevention")],
        "section.results p.summary",
    )
    .await;
    let summary = text(&find(&client, "section.results p.summary").await).await;
    let all = total_of(&summary);
    let hits = client
        .find_all(Locator::Css("article.hit"))
        .await
        .expect("result cards");
    assert!(all > 3 && !hits.is_empty(), "{summary} at {url}");
    screenshot(&client, "01-search-results").await;

    // 2. Narrow by the pillar III facet: the URL carries the filter, the total is the facet's
    //    count, and every shown result is tagged pillar III.
    let facet = find(&client, "aside.facets a[href*='pillar=III']").await;
    assert_eq!(text(&facet).await.trim(), "Pillar III");
    let facet_item = facet
        .find(Locator::XPath(".."))
        .await
        .expect("the facet's list item");
    let facet_count: u64 = text(
        &facet_item
            .find(Locator::Css("span.count"))
            .await
            .expect("count"),
    )
    .await
    .trim()
    .parse()
    .expect("facet count is a number");
    facet.click().await.expect("click the Pillar III facet");
    let url = wait_for_page(
        &client,
        &[("q", "atrocity prevention"), ("pillar", "III")],
        "section.results p.summary",
    )
    .await;
    let summary = text(&find(&client, "section.results p.summary").await).await;
    let narrowed = total_of(&summary);
    assert_eq!(narrowed, facet_count, "{summary} at {url}");
    assert!(narrowed < all, "{narrowed} of {all}");
    let hits = client
        .find_all(Locator::Css("article.hit"))
        .await
        .expect("result cards");
    assert!(hits.len() >= 3, "{} results at {url}", hits.len());
    for hit in &hits {
        let pillars = hit
            .find_all(Locator::Css("a.chip.pillar"))
            .await
            .expect("pillar chips");
        let mut names = Vec::new();
        for p in &pillars {
            names.push(text(p).await);
        }
        assert!(
            names.iter().any(|n| n.trim() == "Pillar III"),
            "a result without pillar III: {names:?}\n{}",
            text(hit).await
        );
    }
    let active = text(&find(&client, "aside.facets li.active").await).await;
    assert!(active.contains("Pillar III"), "{active}");
    screenshot(&client, "02-facet-pillar-III").await;

    // 3. Tick three results and export them: the downloaded CSV and text hold exactly those
    //    paragraphs, in the page's order.
    let mut ids = Vec::new();
    let mut permalinks = Vec::new();
    let mut citations = Vec::new();
    for i in [0, 2, 1] {
        let hit = &hits[i];
        let tick = hit
            .find(Locator::Css("input.select[name=ids][form=export]"))
            .await
            .expect("the result's checkbox");
        tick.click().await.expect("tick the result");
        assert!(tick.is_selected().await.expect("checkbox state"));
    }
    for hit in hits.iter().take(3) {
        let tick = hit
            .find(Locator::Css("input.select[name=ids]"))
            .await
            .expect("the result's checkbox");
        ids.push(
            tick.attr("value")
                .await
                .expect("value")
                .expect("checkbox value"),
        );
        let link = hit.find(Locator::Css("p.cite a")).await.expect("permalink");
        permalinks.push(link.prop("href").await.expect("href").expect("an href"));
        citations.push(text(&link).await.trim().to_string());
    }
    let checked = client
        .find_all(Locator::Css("input.select[name=ids]:checked"))
        .await
        .expect("ticked boxes");
    assert_eq!(checked.len(), 3);
    screenshot(&client, "03-three-selected").await;

    find(&client, "#export button[name=format][value=csv]")
        .await
        .click()
        .await
        .expect("click Export CSV");
    let csv_bytes = downloaded(&downloads, "undex-export.csv").await;
    let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
    let header = reader.headers().expect("CSV header").clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {header:?}"))
    };
    let (id_col, link_col, cite_col) = (col("id"), col("permalink"), col("citation"));
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("well-formed CSV");
    let got_ids: Vec<&str> = records.iter().map(|r| &r[id_col]).collect();
    assert_eq!(got_ids, ids, "CSV ids");
    let got_links: Vec<&str> = records.iter().map(|r| &r[link_col]).collect();
    assert_eq!(got_links, permalinks, "CSV permalinks");
    let got_cites: Vec<&str> = records.iter().map(|r| &r[cite_col]).collect();
    assert_eq!(got_cites, citations, "CSV citations");

    find(&client, "#export button[name=format][value=text]")
        .await
        .click()
        .await
        .expect("click Export Text");
    let text_bytes = downloaded(&downloads, "undex-export.txt").await;
    let exported = String::from_utf8(text_bytes).expect("UTF-8 text export");
    let lines: Vec<&str> = exported.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines, citations, "text export");

    // 4. The 2026 report's paragraph 1: its earlier wording is the 2025 report (A/79/875),
    //    with a word diff.
    client
        .goto(&format!("{base}/p/{}", enc(&para_1)))
        .await
        .expect("open the paragraph page");
    let earlier = find(&client, "section.earlier-wording").await;
    let earlier_text = text(&earlier).await;
    assert!(earlier_text.contains("A/79/875"), "{earlier_text}");
    let first = earlier
        .find(Locator::Css("ol.earlier > li"))
        .await
        .expect("an earlier paragraph");
    let first_link = text(&first.find(Locator::Css("a")).await.expect("its link")).await;
    assert!(first_link.starts_with("A/79/875"), "{first_link}");
    for tag in ["ins", "del"] {
        let marks = earlier
            .find_all(Locator::Css(&format!("blockquote.diff {tag}")))
            .await
            .expect("diff marks");
        let mut shown = 0;
        for m in &marks {
            if m.is_displayed().await.expect("visibility") && !text(m).await.trim().is_empty() {
                shown += 1;
            }
        }
        assert!(shown > 0, "no visible <{tag}> in the diff: {earlier_text}");
    }
    client
        .execute(
            "document.querySelector('section.earlier-wording').scrollIntoView()",
            vec![],
        )
        .await
        .expect("scroll to the earlier wording");
    screenshot(&client, "04-paragraph-earlier-wording").await;

    // 5. A search no paragraph answers with all its words: the page says so, and the
    //    paragraphs with some of the words follow under their own heading (issue #15).
    client
        .goto(&format!("{base}/?q=early+warning+zanzibarite"))
        .await
        .expect("search with a word no paragraph holds");
    let summary = text(&find(&client, "section.results p.summary").await).await;
    assert!(
        summary.contains("No paragraph holds all the words"),
        "{summary}"
    );
    let heading = text(&find(&client, "section.results h2#some-words").await).await;
    assert_eq!(heading.trim(), "Paragraphs with some of the words");
    let partial = client
        .find_all(Locator::Css("section.results article.hit"))
        .await
        .expect("result cards");
    assert!(!partial.is_empty(), "no partial matches");
    let first = text(&partial[0]).await.to_lowercase();
    assert!(
        first.contains("early") || first.contains("warning"),
        "{first}"
    );
    screenshot(&client, "05-some-of-the-words").await;
}
