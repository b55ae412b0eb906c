//! The language versions of one document side by side (issue #12, items 2 and 3), over an
//! index of the real EN/FR (A/HRC/WG.6/7/ITA/1) and EN/RU (A/HRC/WG.6/34/ITA/3) pairs of
//! `shared/corpus/pdf/ohchr_multilingual`, extracted and tagged as `undex ingest` does, the
//! English tags carried to the other versions as its last step does.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;
use undex_core::ParagraphRow;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/corpus/pdf/ohchr_multilingual/"
);

fn rows(file: &str) -> Vec<ParagraphRow> {
    let path = format!("{DIR}{file}");
    let bytes = std::fs::read(&path).expect("shared PDF");
    let mut doc = undex_extract::extract(&bytes, &path, &Default::default()).expect("extracts");
    undex_tag::tag_document(&mut doc);
    doc.rows()
}

/// The four versions, French and Russian with the English tags carried.
fn versions() -> &'static [Vec<ParagraphRow>; 4] {
    static DOCS: OnceLock<[Vec<ParagraphRow>; 4]> = OnceLock::new();
    DOCS.get_or_init(|| {
        let (en2, mut fr2) = (rows("ohchr_2_en.pdf"), rows("ohchr_2_fr.pdf"));
        let (en1, mut ru1) = (rows("ohchr_1_en.pdf"), rows("ohchr_1_ru.pdf"));
        assert!(undex_core::align::carry_english_tags(&en2, &mut fr2) > 20);
        assert!(undex_core::align::carry_english_tags(&en1, &mut ru1) > 20);
        [en2, fr2, en1, ru1]
    })
}

fn app_of(docs: &[Vec<ParagraphRow>]) -> axum::Router {
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(docs).expect("ingest");
    router(AppState::new(index))
}

fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(|| app_of(versions())).clone()
}

async fn get(app: axum::Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

async fn json(app: axum::Router, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// A numbered French paragraph carrying English pillar tags, and its English counterpart.
fn tagged_french() -> (&'static ParagraphRow, &'static ParagraphRow) {
    let [en, fr, ..] = versions();
    let f = fr
        .iter()
        .find(|r| r.number.is_some() && !r.pillars.is_empty())
        .expect("a French paragraph with pillars");
    let e = en.iter().find(|r| r.number == f.number).unwrap();
    (f, e)
}

#[tokio::test]
async fn the_api_lists_each_paragraph_in_the_other_languages() {
    let app = app();
    let v = json(app.clone(), "/api/paragraphs/A_HRC_WG.6_7_ITA_1.en~12").await;
    assert_eq!(v["translations"]["fr"], "A_HRC_WG.6_7_ITA_1.fr~12");
    assert_eq!(v["translations"].as_object().unwrap().len(), 1);
    let v = json(app.clone(), "/api/paragraphs/A_HRC_WG.6_7_ITA_1.fr~12").await;
    assert_eq!(v["translations"]["en"], "A_HRC_WG.6_7_ITA_1.en~12");
    assert!(v["tags_note"].is_null());
    let v = json(app.clone(), "/api/paragraphs/A_HRC_WG.6_34_ITA_3.ru~5").await;
    assert_eq!(v["translations"]["en"], "A_HRC_WG.6_34_ITA_3.en~5");
    // Every numbered English paragraph has its counterpart, and the English masthead blocks
    // of A/HRC/WG.6/7/ITA/1 (printed in English only) have none.
    for n in [1, 52, 53, 138] {
        let v = json(
            app.clone(),
            &format!("/api/paragraphs/A_HRC_WG.6_7_ITA_1.en~{n}"),
        )
        .await;
        assert_eq!(
            v["translations"]["fr"],
            format!("A_HRC_WG.6_7_ITA_1.fr~{n}")
        );
    }
    let v = json(app.clone(), "/api/paragraphs/A_HRC_WG.6_7_ITA_1.en~b1").await;
    assert_eq!(v["translations"], serde_json::json!({}));
}

#[tokio::test]
async fn a_french_paragraph_carries_the_english_tags_with_their_evidence() {
    let (fr, en) = tagged_french();
    let v = json(app(), &format!("/api/paragraphs/{}", fr.id)).await;
    assert_eq!(v["pillars"], serde_json::json!(en.pillars));
    let carried: Vec<&Value> = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["rule"]
                .as_str()
                .unwrap()
                .starts_with(&format!("english_version:{}:", en.id))
        })
        .collect();
    assert!(!carried.is_empty());
    for e in carried {
        assert!(en.text.contains(e["text"].as_str().unwrap()));
    }
    let (status, page) = get(app(), &format!("/p/{}", fr.id)).await;
    assert_eq!(status, StatusCode::OK);
    let label = format!(
        "from the English version, para. {}",
        en.number.as_deref().unwrap()
    );
    assert!(page.contains(&label), "{label} not on the page");
    assert!(page.contains(&format!("href=\"/p/{}\"", en.id)));
}

#[tokio::test]
async fn the_paragraph_page_shows_the_other_languages_and_two_columns() {
    let (status, page) = get(app(), "/p/A_HRC_WG.6_7_ITA_1.en~12").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("In other languages"));
    assert!(page.contains("href=\"/p/A_HRC_WG.6_7_ITA_1.fr~12\""));
    assert!(page.contains("href=\"/p/A_HRC_WG.6_7_ITA_1.en~12?with=fr\""));
    let fr = &versions()[1]
        .iter()
        .find(|r| r.id == "A_HRC_WG.6_7_ITA_1.fr~12")
        .unwrap()
        .text;
    let first_words: String = fr.chars().take(40).collect();
    let escaped = first_words.replace('\'', "&#39;");
    assert!(page.contains(&first_words) || page.contains(&escaped));
    assert!(!page.contains("side-by-side"));
    let (_, page) = get(app(), "/p/A_HRC_WG.6_7_ITA_1.en~12?with=fr").await;
    assert!(page.contains("class=\"side-by-side\""));
    assert!(page.contains("English | French"));
    // An unknown or malformed language shows one column.
    let (status, page) = get(app(), "/p/A_HRC_WG.6_7_ITA_1.en~12?with=%3Cscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("class=\"side-by-side\""));
}

#[tokio::test]
async fn the_document_page_links_its_other_language_versions() {
    let (_, page) = get(app(), "/d/A_HRC_WG.6_7_ITA_1.en").await;
    assert!(page.contains("Language versions"));
    assert!(page.contains("href=\"/d/A_HRC_WG.6_7_ITA_1.fr\""));
    let (_, page) = get(app(), "/d/A_HRC_WG.6_34_ITA_3.ru").await;
    assert!(page.contains("href=\"/d/A_HRC_WG.6_34_ITA_3.en\""));
}

/// A Russian version indexed without its English one has no tags, and says why.
#[tokio::test]
async fn an_untagged_language_without_its_english_version_says_so() {
    let ru = rows("ohchr_1_ru.pdf");
    let app = app_of(&[ru]);
    let v = json(app.clone(), "/api/paragraphs/A_HRC_WG.6_34_ITA_3.ru~5").await;
    assert!(
        v["tags_note"]
            .as_str()
            .unwrap()
            .contains("no English version")
    );
    assert_eq!(v["translations"], serde_json::json!({}));
    let (_, page) = get(app, "/p/A_HRC_WG.6_34_ITA_3.ru~5").await;
    assert!(page.contains("no English version of this document"));
    // The English version itself never has the note.
    let v = json(self::app(), "/api/paragraphs/A_HRC_WG.6_34_ITA_3.en~5").await;
    assert!(v["tags_note"].is_null());
}

/// A GET with its headers.
async fn get_with_headers(
    app: axum::Router,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

/// The ids of a CSV export, in order.
fn csv_ids(body: &str) -> Vec<String> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("record")[0].to_string())
        .collect()
}

/// Search all languages with one hit per aligned paragraph (issue #12, item 4): a word both
/// versions print matches the English and the French paragraph; grouped with the query's
/// language chosen as French, each paragraph is one hit led by its French version with the
/// English one under it, and the pages hold each matching version once, `total` paragraphs.
#[tokio::test]
async fn grouped_search_gives_one_hit_per_paragraph_with_its_other_versions() {
    let app = app();
    let flat = json(app.clone(), "/api/search?q=discrimination&per_page=100").await;
    assert_eq!(flat["versions"], "all");
    assert!(flat["query_language"].is_null(), "one word is not guessed");
    assert!(flat["hits"][0].get("versions").is_none());
    assert!(flat.get("grouping").is_none());
    let rows = flat["total"].as_u64().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let mut paragraphs = 0;
    for page in 1.. {
        let v = json(
            app.clone(),
            &format!(
                "/api/search?q=discrimination&versions=grouped&qlang=fr&per_page=10&page={page}"
            ),
        )
        .await;
        assert_eq!(v["versions"], "grouped");
        assert_eq!(
            v["query_language"],
            serde_json::json!({"code": "fr", "source": "chosen"})
        );
        assert_eq!(v["grouping"]["rows_total"], rows);
        assert_eq!(v["grouping"]["complete"], true);
        let total = v["total"].as_u64().unwrap();
        assert!(total < rows, "{total} paragraphs of {rows} rows");
        let hits: Vec<&Value> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["all_words"] == true)
            .collect();
        for h in &hits {
            paragraphs += 1;
            let versions = h["versions"].as_array().unwrap();
            for id in std::iter::once(&h["id"]).chain(versions.iter().map(|v| &v["id"])) {
                assert!(seen.insert(id.as_str().unwrap().to_string()), "{id} twice");
            }
            if let Some(en) = versions.iter().find(|v| v["language"] == "en") {
                assert_eq!(h["language"], "fr", "French leads: {h}");
                let id = h["id"].as_str().unwrap();
                assert_eq!(en["id"], id.replace(".fr~", ".en~"));
                assert_eq!(en["url"], format!("/p/{}", en["id"].as_str().unwrap()));
                assert!(!en["text"].as_str().unwrap().is_empty());
            }
        }
        if hits.is_empty() || page as u64 * 10 >= total {
            assert_eq!(paragraphs, total);
            break;
        }
    }
    assert!(
        seen.len() as u64 >= rows,
        "every matching version is listed"
    );
    // Limits and bad values.
    for (uri, needle) in [
        (
            "/api/search?q=x&versions=grouped&per_page=51",
            "between 1 and 50",
        ),
        ("/api/search?q=x&versions=some", "grouped"),
        ("/api/search?q=x&qlang=de", "ar, zh, en, fr, ru, es"),
    ] {
        let (status, body) = get(app.clone(), uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body.contains(needle), "{uri}: {body}");
    }
}

/// The French query of issue #12 over all languages: its language is detected, the paragraph
/// on the Genocide Convention comes in French, its English version one click away, on the
/// API and on the page (in the French interface too).
#[tokio::test]
async fn a_french_query_is_detected_and_leads_with_french() {
    let app = app();
    let q = "pr%C3%A9vention%20du%20g%C3%A9nocide";
    let v = json(app.clone(), &format!("/api/search?q={q}&versions=grouped")).await;
    assert_eq!(v["query_language"]["code"], "fr");
    assert_eq!(v["query_language"]["source"], "detected");
    let hit = &v["hits"][0];
    assert_eq!(hit["language"], "fr");
    assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
    let en = &hit["versions"][0];
    assert_eq!(en["language"], "en");
    assert_eq!(
        en["id"],
        hit["id"].as_str().unwrap().replace(".fr~", ".en~")
    );
    assert!(en["text"].as_str().unwrap().contains("Genocide"));

    let (status, page) = get(app.clone(), &format!("/?q={q}&versions=grouped")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Language of the query:"), "{page}");
    assert!(page.contains("(detected)"));
    assert!(page.contains("class=\"versions\""));
    let en_id = en["id"].as_str().unwrap();
    assert!(
        page.contains(&format!("href=\"/p/{en_id}\"")),
        "English version one click away"
    );
    let fr_id = hit["id"].as_str().unwrap();
    assert!(
        page.contains(&format!("href=\"/p/{fr_id}?with=en\"")),
        "side by side"
    );
    assert!(page.contains("only the paragraphs in French"));
    assert!(page.contains("lang=fr"));
    assert!(page.contains("each language version apart"));
    assert!(
        page.contains("<option value=\"fr\" selected>"),
        "the export menu starts on the query's language"
    );
    let (_, page) = get(app.clone(), &format!("/?q={q}&versions=grouped&ui=fr")).await;
    for needle in [
        "Langue de la requête",
        "(détectée)",
        "Autres langues",
        "côte à côte",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    // Ungrouped, the page offers grouping.
    let (_, page) = get(app, "/?q=discrimination").await;
    assert!(page.contains("versions=grouped"));
    assert!(page.contains("one hit per paragraph, all languages"));
}

/// Exports by language: an English search exported in French gives the French text of the
/// same paragraph numbers; ids without a French version are exported in English and named in
/// the headers, never dropped; the MCP tool says the same in its text.
#[tokio::test]
async fn an_export_in_french_gives_the_french_paragraphs_and_names_the_rest() {
    let app = app();
    let base = "/api/export?q=discrimination&lang=en&format=csv";
    let (_, _, english) = get_with_headers(app.clone(), base).await;
    let (status, headers, french) =
        get_with_headers(app.clone(), &format!("{base}&in_language=fr")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-undex-language"], "fr");
    let (en_ids, fr_ids) = (csv_ids(&english), csv_ids(&french));
    assert!(en_ids.len() > 5);
    assert_eq!(en_ids.len(), fr_ids.len());
    let missing: usize = headers["x-undex-not-in-language"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut translated = 0;
    for (e, f) in en_ids.iter().zip(&fr_ids) {
        if f == e {
            continue;
        }
        translated += 1;
        assert_eq!(f, &e.replace(".en~", ".fr~"));
        let row = versions()[1].iter().find(|r| &r.id == f).unwrap();
        let opening: String = row.text.chars().take(25).collect();
        assert!(french.contains(opening.trim()), "{f}: French text");
    }
    assert_eq!(translated + missing, en_ids.len());
    assert!(translated > missing);

    // All languages (EN, FR, RU): a paragraph matched in several is exported once, in French
    // when it has a French version, else once in the language it was found in.
    let (_, headers, all) = get_with_headers(
        app.clone(),
        "/api/export?q=discrimination&format=csv&in_language=fr",
    )
    .await;
    let merged: usize = headers["x-undex-merged"].to_str().unwrap().parse().unwrap();
    assert!(merged > 0);
    let ids = csv_ids(&all);
    let paragraphs: std::collections::BTreeSet<String> = ids
        .iter()
        .map(|id| {
            id.replace(".en~", "~")
                .replace(".fr~", "~")
                .replace(".ru~", "~")
        })
        .collect();
    assert_eq!(paragraphs.len(), ids.len(), "each paragraph once: {ids:?}");
    assert!(
        ids.iter()
            .all(|id| !id.starts_with("A_HRC_WG.6_7_ITA_1.en~") || id.ends_with("~b1"))
    );

    let ids = "A_HRC_WG.6_7_ITA_1.en~b1,A_HRC_WG.6_7_ITA_1.en~12";
    let (status, headers, body) = get_with_headers(
        app.clone(),
        &format!("/api/export?ids={ids}&format=csv&in_language=fr"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        csv_ids(&body),
        ["A_HRC_WG.6_7_ITA_1.en~b1", "A_HRC_WG.6_7_ITA_1.fr~12"]
    );
    assert_eq!(headers["x-undex-not-in-language"], "1");
    assert_eq!(
        headers["x-undex-not-in-language-ids"],
        "A_HRC_WG.6_7_ITA_1.en~b1"
    );
    let (status, body) = get(
        app.clone(),
        &format!("/api/export?ids={ids}&in_language=de"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let v = mcp_call(
        app,
        "export_citations",
        serde_json::json!({
            "ids": ["A_HRC_WG.6_7_ITA_1.en~b1", "A_HRC_WG.6_7_ITA_1.en~12"],
            "format": "csv", "in_language": "fr"}),
    )
    .await;
    let text = v["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("A_HRC_WG.6_7_ITA_1.fr~12"), "{text}");
    assert!(
        text.contains("1 paragraph without a fr version in the index, exported as found: A_HRC_WG.6_7_ITA_1.en~b1"),
        "{text}"
    );
}

/// Calls MCP tool `name` with `arguments` over Streamable HTTP (`/mcp`, stateless).
async fn mcp_call(app: axum::Router, name: &str, arguments: Value) -> Value {
    let call = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": name, "arguments": arguments}});
    let res = app
        .oneshot(
            Request::post("/mcp")
                .header("host", "127.0.0.1:8080")
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", "2025-03-26")
                .body(Body::from(call.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// The MCP `search` tool grouped: the French query's paragraph in French, its English
/// version listed; and the `lang` filter with grouping keeps French hits, each still listing
/// its English version.
#[tokio::test]
async fn grouped_search_over_mcp_and_with_the_language_filter() {
    let v = mcp_call(
        app(),
        "search",
        serde_json::json!({"query": "prévention du génocide", "grouped": true}),
    )
    .await;
    let body = &v["result"]["structuredContent"];
    assert_eq!(body["query_language"]["code"], "fr", "{v}");
    assert_eq!(body["versions"], "grouped");
    let hit = &body["hits"][0];
    assert_eq!(hit["language"], "fr");
    assert_eq!(hit["versions"][0]["language"], "en");
    assert_eq!(
        hit["versions"][0]["id"],
        hit["id"].as_str().unwrap().replace(".fr~", ".en~")
    );

    let v = json(
        app(),
        "/api/search?q=discrimination&lang=fr&versions=grouped&per_page=50",
    )
    .await;
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["language"] == "fr"));
    assert!(
        hits.iter()
            .filter(|h| h["all_words"] == true)
            .all(|h| h["versions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["language"] == "en")),
        "each French paragraph lists its English version"
    );
}
