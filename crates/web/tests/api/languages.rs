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
