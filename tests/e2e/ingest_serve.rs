//! `undex ingest` over all of `../shared/seeds` and `../shared/corpus`, then `undex serve`
//! and the JSON API, as a new user meets them.

use serde_json::Value;

use crate::common::{enc, get, ingested, serve, undex};

fn search(addr: &str, query: &str, extra: &str) -> (u16, Value) {
    let (status, _, body) = get(addr, &format!("/api/search?q={}{extra}", enc(query)));
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, json)
}

#[test]
fn ingest_reads_everything_readable_and_reports_the_rest() {
    let run = ingested();
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    assert!(run.output.status.success(), "{stderr}");
    // The summary names each unreadable file with its reason.
    assert!(stderr.contains("g0917123.pdf"), "{stderr}");
    assert!(stderr.contains("A_47_843-EN.pdf"), "{stderr}");
    assert!(
        stderr.contains("Advance_questions_Slovenia_first_batch.doc"),
        "{stderr}"
    );
    assert!(stderr.contains("ingested "), "{stderr}");
    // 5 seed texts + 44 PDFs + 4 Word files - damaged - scan - legacy .doc: at least 48
    // documents, each written as one JSONL file.
    let files = std::fs::read_dir(&run.extracted).unwrap().count();
    assert!(files >= 48, "{files} extracted files; {stderr}");
}

#[test]
fn no_paragraph_carries_page_furniture_or_footnote_text() {
    let run = ingested();
    let job_number = regex::Regex::new(r"\b\d{2}-\d{5}\b|\bGE\.\d{2}-\d{4,5}\b").unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&run.extracted).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).unwrap();
            let body = row["text"].as_str().unwrap();
            checked += 1;
            assert!(
                !job_number.is_match(body),
                "job number in {}: {body}",
                row["id"]
            );
            // A page number alone ("5", "- 5 -") is furniture, never a paragraph.
            assert!(
                !body
                    .trim_matches(|c: char| c == '-' || c.is_whitespace())
                    .chars()
                    .all(|c| c.is_ascii_digit()),
                "page number as {}: {body}",
                row["id"]
            );
            assert!(
                !body.contains("Please recycle"),
                "furniture in {}",
                row["id"]
            );
            for note in row["footnotes"].as_array().unwrap() {
                let note = note["text"].as_str().unwrap();
                if note.len() > 40 {
                    assert!(!body.contains(note), "footnote text inside {}", row["id"]);
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} rows");
}

#[test]
fn search_api_finds_veto_restraint_in_the_2026_report_and_filters_by_pillar() {
    let run = ingested();
    let server = serve(&run.index);
    let (status, all) = search(&server.addr, "veto restraint", "");
    assert_eq!(status, 200, "{all}");
    let top3: Vec<&Value> = all["hits"].as_array().unwrap().iter().take(3).collect();
    let hit = top3
        .iter()
        .find(|h| {
            h["number"] == "28"
                && h["title"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Sustained implementation")
        })
        .unwrap_or_else(|| panic!("2026 para 28 not in top 3: {top3:#?}"));
    assert!(
        hit["citation"].as_str().unwrap().ends_with(", para. 28"),
        "{hit}"
    );
    assert!(
        hit["snippet"].as_str().unwrap().contains("<b>")
            || hit["snippet"].as_str().unwrap().contains("<mark>")
    );

    // The pillar III filter keeps the paragraphs holding both words that are tagged pillar
    // III (all of them, or fewer), and narrows a broader search.
    let (status, narrowed) = search(&server.addr, "veto restraint", "&pillar=III");
    assert_eq!(status, 200);
    let total = all["total"].as_u64().unwrap();
    let narrowed_total = narrowed["total"].as_u64().unwrap();
    assert!(
        narrowed_total > 0 && narrowed_total <= total,
        "{narrowed_total} of {total}"
    );
    let (_, broad) = search(&server.addr, "prevention", "");
    let (_, broad_iii) = search(&server.addr, "prevention", "&pillar=III");
    let (b, b3) = (
        broad["total"].as_u64().unwrap(),
        broad_iii["total"].as_u64().unwrap(),
    );
    assert!(b3 > 0 && b3 < b, "{b3} of {b}");
    assert!(
        narrowed["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["pillars"].as_array().unwrap().iter().any(|p| p == "III"))
    );
}

#[test]
fn malformed_queries_get_a_400_with_a_json_message() {
    let run = ingested();
    let server = serve(&run.index);
    for bad in ["\"unclosed phrase", "(veto AND", "year:notayear", "AND"] {
        let (status, ctype, body) = get(&server.addr, &format!("/api/search?q={}", enc(bad)));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(ctype.contains("json"), "{bad}: {ctype}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, _, _) = get(&server.addr, "/api/search?q=veto&page=abc");
    assert_eq!(status, 400);
    let (status, _, _) = get(&server.addr, "/api/paragraphs/no-such-id");
    assert_eq!(status, 404);
}

#[test]
fn paragraph_and_document_endpoints_and_pages() {
    let run = ingested();
    let server = serve(&run.index);
    let (_, hits) = search(&server.addr, "\"joint symbol\" OR veto", "");
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let (status, _, body) = get(&server.addr, &format!("/api/paragraphs/{}", enc(&id)));
    assert_eq!(status, 200, "{body}");
    let para: Value = serde_json::from_str(&body).unwrap();
    assert!(para.to_string().contains(&id));

    let (status, _, body) = get(&server.addr, "/api/documents/A/80/434-S/2025/632");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("S/2025/632"));

    for page in ["/", "/?q=veto", &format!("/p/{}", enc(&id)), "/d/A/80/434"] {
        let (status, ctype, body) = get(&server.addr, page);
        assert_eq!(status, 200, "{page}: {body}");
        assert!(ctype.contains("text/html"), "{page}");
    }
}

#[test]
fn re_ingesting_a_file_replaces_its_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let extracted = dir.path().join("extracted");
    let report = crate::common::report_2026();
    let args = [
        "ingest",
        report.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--extracted",
        extracted.to_str().unwrap(),
    ];
    assert!(undex(&args).status.success());
    let server = serve(&index);
    let (_, first) = search(&server.addr, "responsibility", "");
    drop(server);
    assert!(undex(&args).status.success());
    let server = serve(&index);
    let (_, second) = search(&server.addr, "responsibility", "");
    assert!(first["total"].as_u64().unwrap() > 10);
    assert_eq!(first["total"], second["total"]);
}

/// Ingests one file of `../shared/seeds` into `dir/index` (JSONL in `dir/extracted`); returns
/// what the command printed (stdout then stderr), after checking it succeeded.
fn ingest_seed(dir: &std::path::Path, file: &str) -> String {
    let path = crate::common::shared().join("seeds").join(file);
    let (index, extracted) = (dir.join("index"), dir.join("extracted"));
    let run = undex(&[
        "ingest",
        path.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--extracted",
        extracted.to_str().unwrap(),
    ]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "{out}");
    out
}

#[test]
fn a_saved_search_feed_gains_entries_after_a_new_matching_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let ingest = |file: &str| ingest_seed(dir.path(), file);
    let feed = |index: &std::path::Path| {
        let server = serve(index);
        let (status, ctype, body) = get(&server.addr, &format!("/feed.atom?q={}", enc("veto")));
        assert_eq!(status, 200, "{body}");
        assert!(ctype.contains("atom"), "{ctype}");
        body
    };
    ingest("sg-r2p-report-2026.txt");
    let before = feed(&index);
    ingest("sg-r2p-report-2025-A-79-875.txt");
    let after = feed(&index);
    let entries = |xml: &str| xml.matches("<entry>").count();
    assert!(entries(&before) >= 1, "{before}");
    assert!(entries(&after) > entries(&before), "{after}");
    // The new document's paragraphs are among the entries, with permalinks.
    assert!(after.contains("A/79/875-S/2025/248, para."), "{after}");
    assert!(after.contains("/p/A_79_875.en~"), "{after}");
}

#[test]
fn earlier_wording_of_a_new_ingest_is_visible_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let ingest = |file: &str| ingest_seed(dir.path(), file);
    ingest("sg-r2p-report-2026.txt");

    let server = serve(&index);
    let earlier = |id: &str| {
        let (status, _, body) = get(
            &server.addr,
            &format!("/api/paragraphs/{}/earlier", enc(id)),
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()
    };
    let (_, hits) = search(&server.addr, "\"In paragraphs 138 and 139\"", "");
    let p1 = hits["hits"][0]["row"]["id"]
        .as_str()
        .or_else(|| hits["hits"][0]["id"].as_str())
        .unwrap_or_else(|| panic!("no hit for 2026 para 1: {hits}"))
        .to_string();
    assert!(p1.ends_with("~1"), "{p1}");
    let alone = earlier(&p1);
    assert_eq!(alone["earlier"].as_array().map(Vec::len), Some(0));
    assert_eq!(alone["chain"].as_array().map(Vec::len), Some(1));

    // A second ingest adds the 2025 report while the server runs: earlier wording is computed
    // per request from the index, so the server finds 2025 paragraph 1 once its reader sees
    // the new commit, and the chain leads back to it.
    ingest("sg-r2p-report-2025-A-79-875.txt");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let found = loop {
        let e = earlier(&p1);
        if e["earlier"][0]["id"].is_string() || std::time::Instant::now() > deadline {
            break e;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(found["earlier"][0]["id"], "A_79_875.en~1", "{found}");
    assert!(
        found["earlier"][0]["citation"]
            .as_str()
            .is_some_and(|c| c.contains("A/79/875")),
        "{found}"
    );
    let chain: Vec<&str> = found["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(chain, [p1.as_str(), "A_79_875.en~1"]);
}

/// The README's JSON API example is what the quick start's index answers (this test's
/// index holds the same documents): every field it shows has the value shown (the score to
/// its two printed decimals), the facets it lists are listed in full, and its prose counts
/// ("the first of its 3 full matches, then 4 paragraphs with some of the words") hold. A
/// change to the API or the ranking that makes the example untrue fails here.
#[test]
fn the_readme_json_example_is_what_the_quick_start_index_answers() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let section = readme
        .split("\n## JSON API")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the README has a JSON API section");
    let url = section
        .split("curl '")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a curl example");
    let path = url
        .strip_prefix("http://127.0.0.1:8080")
        .expect("the example asks the quick start's server");
    let example: Value = serde_json::from_str(
        section
            .split("```json\n")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("a JSON example"),
    )
    .expect("the README's JSON example parses");
    let counts: Vec<usize> = section
        .split("the first of its ")
        .nth(1)
        .map(|s| {
            s.split_whitespace()
                .take(8)
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        counts.len(),
        2,
        "the prose gives the full and partial counts"
    );

    let run = ingested();
    let server = serve(&run.index);
    let (status, _, body) = get(&server.addr, path);
    assert_eq!(status, 200, "{body}");
    let real: Value = serde_json::from_str(&body).expect("json");

    for key in [
        "total",
        "page",
        "per_page",
        "facets_approximate",
        "partial_more",
    ] {
        assert_eq!(
            real[key], example[key],
            "{key}: the README shows {}",
            example[key]
        );
    }
    let hits = real["hits"].as_array().expect("hits");
    let full = hits.iter().filter(|h| h["all_words"] == true).count();
    assert_eq!(
        (full, hits.len() - full),
        (counts[0], counts[1]),
        "full and partial matches"
    );
    for (facet, values) in example["facets"].as_object().expect("facets") {
        assert_eq!(&real["facets"][facet], values, "facet {facet}");
    }
    let shown = example["hits"][0].as_object().expect("an example hit");
    for (key, value) in shown {
        if key == "score" {
            let real = real["hits"][0]["score"].as_f64().expect("score");
            let shown = value.as_f64().expect("score");
            assert!(
                (real - shown).abs() <= 0.005,
                "score {real}, the README shows {shown}"
            );
        } else {
            assert_eq!(&real["hits"][0][key], value, "hit field {key}");
        }
    }
}
