//! `GET /api/cite` and the search box's jump to a cited paragraph, over a real index: the 2025
//! and 2026 R2P reports (`shared/seeds`), the second-cycle UPR Working Group report on
//! Slovenia (A/HRC/28/15, whose recommendations are numbered "115.1", "115.2", …) and Security
//! Council resolution 2803 (2025), as `undex_extract` reads them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;
use undex_core::ParagraphRow;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pdf/");

fn pdf_rows(path: &str) -> Vec<ParagraphRow> {
    let path = format!("{CORPUS}{path}");
    let bytes = std::fs::read(&path).expect("corpus PDF readable");
    undex_extract::extract(&bytes, &path, &Default::default())
        .expect("corpus PDF extracts")
        .rows()
}

fn app() -> axum::Router {
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[
            crate::common::seed_rows(crate::common::R2026, false),
            crate::common::seed_rows(crate::common::R2025, false),
            pdf_rows("hrc_upr_slovenia/g1423930.pdf"),
            pdf_rows("un_ods_samples/S_RES_2803_2025-EN.pdf"),
        ])
        .expect("ingest");
    router(AppState::new(index))
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn send(app: &axum::Router, uri: &str) -> (StatusCode, Option<String>, String) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = axum::body::to_bytes(res.into_body(), 10_000_000)
        .await
        .expect("body");
    (
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

async fn cite(app: &axum::Router, reference: &str) -> (StatusCode, Value) {
    let (status, _, body) = send(app, &format!("/api/cite?ref={}", enc(reference))).await;
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{reference}: {e}: {body}"));
    (status, json)
}

#[tokio::test]
async fn every_citation_form_resolves_to_its_paragraph() {
    let app = app();
    // (citation as typed, paragraph id, start of its text)
    let para58 = "Several initiatives have been launched by Member States";
    for (reference, id, start) in [
        ("A/79/875, para. 58", "A_79_875.en~58", para58),
        ("A/79/875-S/2025/248 para 58", "A_79_875.en~58", para58),
        ("S/2025/248, para. 58", "A_79_875.en~58", para58),
        ("a/79/875   ¶ 58", "A_79_875.en~58", para58),
        ("A/79/875, paragraph 58", "A_79_875.en~58", para58),
        (
            "A/HRC/28/15 para. 115.12",
            "A_HRC_28_15.en~115.12",
            "Ratify the International Convention on the Rights of Migrant",
        ),
        (
            "S/RES/2803 (2025), op. 3",
            "S_RES_2803(2025).en~3",
            "Underscores the importance of the full resumption of humanitarian aid",
        ),
        (
            "s/res/2803(2025) OP 3",
            "S_RES_2803(2025).en~3",
            "Underscores the importance of the full resumption of humanitarian aid",
        ),
    ] {
        let (status, json) = cite(&app, reference).await;
        assert_eq!(status, StatusCode::OK, "{reference}: {json}");
        assert_eq!(json["id"], id, "{reference}: {json}");
        let text = json["text"].as_str().unwrap_or_default();
        assert!(text.starts_with(start), "{reference}: {text}");
        assert_eq!(json["cite"]["ref"], reference);
        assert_eq!(json["cite"]["note"], Value::Null, "{reference}");
        assert_eq!(json["url"], format!("/p/{id}"));
        // The same body as /api/paragraphs/{id}, plus what was understood.
        let (_, _, direct) = send(&app, &format!("/api/paragraphs/{}", enc(id))).await;
        let mut without_cite = json.clone();
        without_cite.as_object_mut().unwrap().remove("cite");
        let direct: Value = serde_json::from_str(&direct).expect("json");
        assert_eq!(without_cite, direct, "{reference}");
    }
    // What was understood: a joint symbol, a UPR recommendation, an operative paragraph.
    let (_, joint) = cite(&app, "A/79/875-S/2025/248 para 58").await;
    assert_eq!(joint["citation"], "A/79/875-S/2025/248, para. 58");
    assert_eq!(
        joint["cite"]["symbols"],
        serde_json::json!(["A/79/875", "S/2025/248"])
    );
    assert_eq!(joint["cite"]["citation"], "A/79/875-S/2025/248, para. 58");
    let (_, upr) = cite(&app, "A/HRC/28/15 para. 115.12").await;
    assert_eq!(upr["kind"], "upr_recommendation", "{upr}");
    assert_eq!(upr["number"], "115.12");
    assert_eq!(upr["cite"]["paragraph"], "115");
    assert_eq!(upr["cite"]["recommendation"], "12");
    assert_eq!(upr["citation"], "A/HRC/28/15, para. 115.12");
    let (_, op) = cite(&app, "S/RES/2803 (2025), op. 3").await;
    assert_eq!(op["kind"], "operative", "{op}");
    assert_eq!(op["cite"]["kind"], "operative");
    assert_eq!(op["cite"]["symbol"], "S/RES/2803 (2025)");
}

#[tokio::test]
async fn a_range_resolves_its_first_paragraph_and_says_so() {
    let app = app();
    let (status, json) = cite(&app, "A/79/875, paras. 5-7").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["id"], "A_79_875.en~5");
    assert_eq!(json["cite"]["rest"], "7");
    let note = json["cite"]["note"].as_str().expect("note");
    assert!(note.contains("the first, para. 5, is resolved"), "{note}");
}

#[tokio::test]
async fn what_is_not_in_the_index_is_404_with_what_was_understood() {
    let app = app();
    let (status, json) = cite(&app, "A/79/875, para. 999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    assert_eq!(json["code"], "not_found");
    assert_eq!(json["understood"]["symbol"], "A/79/875");
    assert_eq!(json["understood"]["number"], "999");
    assert_eq!(json["document"]["symbol"], "A/79/875-S/2025/248");
    assert_eq!(json["document"]["doc_id"], "A_79_875.en");
    let message = json["message"].as_str().unwrap();
    assert!(
        message.contains("A/79/875-S/2025/248 found") && message.contains("no para. 999"),
        "{message}"
    );
    // A resolution has no paragraph 99; an unknown document has no document at all.
    let (status, json) = cite(&app, "S/RES/2803 (2025), op. 99").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    let (status, json) = cite(&app, "A/99/999, para. 1").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    assert_eq!(json["document"], Value::Null);
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("no document A/99/999"),
        "{json}"
    );
}

#[tokio::test]
async fn a_citation_that_does_not_parse_is_400() {
    let app = app();
    for reference in [
        "",
        "veto restraint",
        "A/79/875",
        "A/79/875 veto",
        "para. 58",
        &"A/79/875, para. 58 ".repeat(20),
    ] {
        let (status, json) = cite(&app, reference).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{reference:?}: {json}");
        assert_eq!(json["code"], "invalid_citation", "{reference:?}");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (_, json) = cite(&app, "A/79/875 veto").await;
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("understood the document A/79/875 but not \"veto\""),
        "{json}"
    );
}

#[tokio::test]
async fn the_search_box_opens_a_cited_paragraph() {
    let app = app();
    let (status, location, _) = send(&app, &format!("/?q={}", enc("A/79/875, para. 58"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/p/A_79_875.en~58"));
    let (status, location, _) =
        send(&app, &format!("/?q={}", enc("S/RES/2803 (2025), op. 3"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/p/S_RES_2803(2025).en~3"));
    // The paragraph page it leads to.
    let (status, _, page) = send(&app, "/p/A_79_875.en~58").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("A/79/875-S/2025/248, para. 58"));
    // A citation the index cannot answer, and any other query, are searched as before.
    for q in ["A/79/875, para. 999", "veto restraint", "A/79/875 veto"] {
        let (status, location, page) = send(&app, &format!("/?q={}", enc(q))).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(location, None, "{q}");
        assert!(page.contains("<form"), "{q}");
    }
}
