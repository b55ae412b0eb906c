//! The crawler's parsers and checks on the real files of `/work/shared/corpus`.

use std::path::Path;

use undex_core::Language;
use undex_crawl::{
    FileKind, ListingLink, detect_language, is_blocked, language_from_file_name,
    language_from_label, load_sources, looks_like_html, parse_listing, parse_marcxml,
    repair_mojibake, sniff,
};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(CORPUS).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn marcxml_search_result_total_records_files_and_metadata() {
    let xml = String::from_utf8(corpus(
        "metadata/undl_marcxml/undl_search_A_C.3_78_L_drafts.marcxml.xml",
    ))
    .unwrap();
    let page = parse_marcxml(&xml);
    assert_eq!(page.total, Some(94));
    assert_eq!(page.records.len(), 94);
    let first = &page.records[0];
    assert_eq!(first.meta.recid.as_deref(), Some("4026910"));
    assert!(
        first.symbols.iter().all(|s| s.starts_with("A/C.3/78/L.")),
        "{:?}",
        first.symbols
    );
    assert!(
        first
            .meta
            .date
            .as_deref()
            .is_some_and(|d| d.starts_with("2023"))
    );
    assert!(first.meta.title.is_some());
    assert!(!first.meta.subjects.is_empty());
    let en = first
        .files
        .iter()
        .find(|f| f.language == Some(Language::En))
        .unwrap();
    assert_eq!(
        en.url,
        "https://digitallibrary.un.org/record/4026910/files/A_C.3_78_L.49_Rev.1-EN.pdf"
    );
    assert_eq!(en.bytes, Some(245_952));
    // Every file's language is known, even where the $y label is mojibake.
    let files: Vec<_> = page.records.iter().flat_map(|r| &r.files).collect();
    assert!(files.iter().all(|f| f.language.is_some()));
    assert!(
        files
            .iter()
            .any(|f| f.label.as_deref().is_some_and(|l| l.contains('Ã')))
    );
    // Each record has at most one file per language.
    for r in &page.records {
        let mut langs: Vec<_> = r.files.iter().filter_map(|f| f.language).collect();
        let n = langs.len();
        langs.sort();
        langs.dedup();
        assert_eq!(langs.len(), n, "{:?}", r.meta.recid);
    }
    // Repaired titles and subjects carry no double-encoded characters.
    assert!(xml.contains("CÃ´te d'Ivoire"));
    assert!(
        page.records
            .iter()
            .flat_map(|r| r.meta.title.iter().chain(&r.meta.subjects))
            .all(|t| !t.contains("Ã´"))
    );
}

#[test]
fn mojibake_labels_map_to_languages() {
    assert_eq!(repair_mojibake("FranÃ§ais"), "Français");
    assert_eq!(repair_mojibake("English"), "English");
    assert_eq!(language_from_label("FranÃ§ais"), Some(Language::Fr));
    assert_eq!(language_from_label("EspaÃ±ol"), Some(Language::Es));
    assert_eq!(language_from_label("English"), Some(Language::En));
    assert_eq!(
        language_from_file_name("A_C.3_78_L.49_Rev.1-ZH.pdf"),
        Some(Language::Zh)
    );
    assert_eq!(
        language_from_file_name("advance-questions-E.docx"),
        Some(Language::En)
    );
    assert_eq!(language_from_file_name("g0916919.pdf"), None);
}

#[test]
fn sniffing_reads_bytes_not_names() {
    assert_eq!(
        sniff(&corpus("pdf/un_ods_samples/S_2025_257-EN.pdf")),
        Some(FileKind::Pdf)
    );
    // The damaged PDF still starts like one: it is a document (extract decides what to do).
    assert_eq!(
        sniff(&corpus("pdf/hrc_upr_slovenia/g0917123.pdf")),
        Some(FileKind::Pdf)
    );
    assert_eq!(
        sniff(&corpus(
            "word/ohchr_upr_slovenia/AdvancedQuestionsSlovenia.doc"
        )),
        Some(FileKind::Docx),
        "a DOCX named .doc"
    );
    assert_eq!(
        sniff(&corpus(
            "word/ohchr_upr_slovenia/Advance_questions_Slovenia_first_batch.doc"
        )),
        Some(FileKind::Doc)
    );
    // The MARCXML answer and HTML are not documents.
    let xml = corpus("metadata/undl_marcxml/undl_search_A_C.3_78_L_drafts.marcxml.xml");
    assert_eq!(sniff(&xml), None);
    assert_eq!(sniff(b"<!doctype html><html><head></head></html>"), None);
    assert!(looks_like_html(
        b"<!doctype html><html><head></head></html>"
    ));
    assert!(!looks_like_html(&corpus(
        "pdf/un_ods_samples/S_2025_257-EN.pdf"
    )));
}

#[test]
fn language_of_real_documents() {
    let cases = [
        ("pdf/ohchr_multilingual/ohchr_1_en.pdf", Some(Language::En)),
        ("pdf/ohchr_multilingual/ohchr_1_ru.pdf", Some(Language::Ru)),
        ("pdf/ohchr_multilingual/ohchr_2_fr.pdf", Some(Language::Fr)),
        ("pdf/un_ods_samples/A_80_434-EN.pdf", Some(Language::En)),
        // Image-only scan: no text layer, no verdict.
        ("pdf/un_ods_samples/A_47_843-EN.pdf", None),
    ];
    for (file, want) in cases {
        assert_eq!(
            detect_language(FileKind::Pdf, &corpus(file)),
            want,
            "{file}"
        );
    }
    assert_eq!(
        detect_language(
            FileKind::Docx,
            &corpus("word/ohchr_upr_slovenia/UPR-wg48-Advance-Questions-Slovenia.docx")
        ),
        Some(Language::En)
    );
    // A damaged PDF gives no verdict and no panic.
    assert_eq!(
        detect_language(FileKind::Pdf, &corpus("pdf/hrc_upr_slovenia/g0917123.pdf")),
        None
    );
}

#[test]
fn bot_protection_is_recognised() {
    assert!(is_blocked(202, None, b""));
    assert!(!is_blocked(200, None, b""));
    assert!(is_blocked(403, Some("challenge"), b"<html></html>"));
    assert!(is_blocked(
        403,
        None,
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>"
    ));
    assert!(!is_blocked(403, None, b"forbidden"));
}

#[test]
fn listing_links_become_symbols_or_files() {
    let page = url::Url::parse(
        "https://www.ohchr.org/en/hr-bodies/hrc/regular-sessions/session58/list-reports",
    )
    .unwrap();
    let html = r#"<html><body>
      <a href="https://undocs.org/A/HRC/58/3">A/HRC/58/3</a>
      <a href="https://docs.un.org/fr/A/79/875-S/2025/248">joint</a>
      <a href="https://documents.un.org/api/symbol/access?s=S/RES/2803(2025)&l=en&t=pdf">res</a>
      <a href="/sites/default/files/A-HRC-58-4-en.docx"> A/HRC/58/4 </a>
      <a href="/en/news">News</a>
      <a href="https://undocs.org/A/HRC/58/3">again</a>
    </body></html>"#;
    let links = parse_listing(html, &page);
    assert_eq!(
        links,
        vec![
            ListingLink::Symbol("A/79/875-S/2025/248".into()),
            ListingLink::Symbol("A/HRC/58/3".into()),
            ListingLink::Symbol("S/RES/2803 (2025)".into()),
            ListingLink::File {
                url: "https://www.ohchr.org/sites/default/files/A-HRC-58-4-en.docx".into(),
                symbol: Some("A/HRC/58/4".into()),
            },
        ]
    );
}

#[test]
fn the_committed_sources_file_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/sources.toml");
    let sources = load_sources(path).unwrap();
    let ods = &sources.ods[0];
    // The SG's R2P reports 2009-2025 and the Framework of Analysis.
    assert_eq!(ods.documents.len(), 18);
    assert!(
        ods.documents
            .iter()
            .any(|d| d.symbol == "A/70/741-S/2016/71")
    );
    assert!(
        ods.documents
            .iter()
            .all(|d| undex_core::parse_joint(&d.symbol).is_ok())
    );
    assert_eq!(ods.languages.len(), 6);
    assert_eq!(sources.names(), vec!["ods", "dl-r2p", "ohchr"]);
    assert!(undex_crawl::Sources::from_toml("[[ods]]\nname='x'\nlanguages=['ja']\n").is_err());
}

#[test]
fn first_crawl_estimate_for_the_default_sources() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/sources.toml");
    let sources = load_sources(path).unwrap();
    let lookups: usize = sources
        .ods
        .iter()
        .map(|s| s.documents.len() * s.languages.len())
        .sum();
    assert_eq!(lookups, 108);
    let opts = undex_crawl::CrawlOptions::default();
    let (lo, hi) = undex_crawl::ODS_RESOLVE_SECS;
    let fast =
        undex_crawl::estimate_duration(lookups, 0, &opts, std::time::Duration::from_secs(lo));
    let slow =
        undex_crawl::estimate_duration(lookups, 0, &opts, std::time::Duration::from_secs(hi));
    // 108 look-ups x (6 + 1) s / 4 slots = 189 s, but 216 requests at 1/s take 216 s;
    // 108 x (31 + 1) s / 4 = 864 s.
    assert_eq!(fast.as_secs(), 216);
    assert_eq!(slow.as_secs(), 864);
}
